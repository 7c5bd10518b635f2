package web

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// checklistForm is the checklist form with every item of the standard
// ticked met or not met.
func checklistForm(t *testing.T, st *store.Store, met bool) url.Values {
	t.Helper()
	items, err := st.StandardItems(storetest.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	for _, it := range items {
		form.Add("item", it.Code)
		form.Set("met."+it.Code, map[bool]string{true: "1", false: "0"}[met])
		form.Set("note."+it.Code, "督导检查")
	}
	return form
}

// tick posts the checklist of an office and follows the redirect.
func tick(t *testing.T, h http.Handler, st *store.Store, code string, met bool) string {
	t.Helper()
	res, _ := postForm(t, h, "/offices/"+code+"/checks", checklistForm(t, st, met))
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/offices/"+code+"?done=checked" {
		t.Fatalf("redirect to %q", loc)
	}
	res, page := get(t, h, "/offices/"+code+"?done=checked")
	wantStatus(t, res, http.StatusOK)
	return page
}

func TestChecklistChangesTheScoreShown(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	code, _ := workstationsOf(t, st, "410423000000")
	page := tick(t, h, st, code, true)
	wantContains(t, "office after every item met", page, "检查结果已记录，得分已更新。", "100 / 100 分", `value="100"`,
		`<span class="badge badge-ok">达标</span>`, "lushan 于 ")
	page = tick(t, h, st, code, false)
	wantContains(t, "office after no item met", page, "0 / 100 分", `value="0"`, `<span class="badge badge-failed">未达标</span>`)
	if strings.Contains(page, "100 / 100 分") {
		t.Error("the old score is still shown")
	}
	res, _ := postForm(t, h, "/offices/"+code+"/checks", url.Values{"item": {"moat"}, "met.moat": {"1"}})
	wantStatus(t, res, http.StatusBadRequest)
}

func TestBelowStandardListShowsTheLowestFirst(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	low, high := workstationsOf(t, st, "410423000000")
	tick(t, h, st, low, false)
	tick(t, h, st, high, true)
	res, list := get(t, h, "/offices?under=410423")
	wantStatus(t, res, http.StatusOK)
	rows := between(list, "<tbody>", "</tbody>")
	if first := between(rows, `href="/offices/`, `"`); first != low {
		t.Errorf("first office below standard = %q; want %s, which scores 0", first, low)
	}
	if strings.Contains(rows, "/offices/"+high+`"`) {
		t.Error("an office meeting every item is listed below standard")
	}
	wantContains(t, "below-standard list", list, `<a href="/offices?under=410423" aria-current="page">未达标（低于 80%）</a>`)
	_, all := get(t, h, "/offices?under=410423&all=1")
	wantContains(t, "list of all offices", all, "/offices/"+high+`"`, "/offices/"+low+`"`)
	_, top := get(t, h, "/offices")
	wantContains(t, "offices of the caller's county", top, "警务室建设 · 鲁山县", `href="/offices?under=410423001"`)
}

func TestOfficeProfileFeatureAndPhotos(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	code, _ := workstationsOf(t, st, "410423000000")
	res, _ := postForm(t, h, "/offices/"+code, url.Values{"feature": {"枫桥式调解室"}, "lng": {"112.9"}, "lat": {"33.74"}, "datum": {"GCJ-02"}})
	wantStatus(t, res, http.StatusSeeOther)
	_, page := get(t, h, "/offices/"+code)
	wantContains(t, "office page", page, "枫桥式调解室", "经度 112.90000，纬度 33.74000（GCJ-02）", "服务村（社区）")
	res, _ = postForm(t, h, "/offices/"+code, url.Values{"feature": {"x"}, "lng": {"2.35"}, "lat": {"48.85"}, "datum": {"WGS-84"}})
	wantStatus(t, res, http.StatusBadRequest)

	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 3)))
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("photo", "front.png")
	part.Write(img.Bytes())
	mw.WriteField("caption", "外景")
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/offices/"+code+"/photos", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	res, _ = serve(t, h, r)
	wantStatus(t, res, http.StatusSeeOther)
	_, page = get(t, h, "/offices/"+code+"?done=photo")
	src := between(page, `<ul class="photo-grid">`, `</ul>`)
	src = between(src, `<img src="`, `"`)
	wantContains(t, "office page with a photo", page, "照片已上传。", `alt="外景"`)
	res, data := get(t, h, src)
	wantStatus(t, res, http.StatusOK)
	if res.Header.Get("Content-Type") != "image/png" || data != img.String() {
		t.Errorf("thumbnail %s: %s, %d bytes", src, res.Header.Get("Content-Type"), len(data))
	}
	_, unit := get(t, h, "/units/"+code)
	wantContains(t, "unit page", unit, `href="/offices/`+code+`"`)
}

func TestOfficePagesFollowRolesAndScope(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	code, _ := workstationsOf(t, st, "410423000000")
	res, page := get(t, h, "/offices/"+code)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(page, `action="/offices/`+code+`/checks"`) || strings.Contains(page, `enctype="multipart/form-data"`) {
		t.Error("an officer is offered the manager's forms")
	}
	res, _ = postForm(t, h, "/offices/"+code+"/checks", checklistForm(t, st, true))
	wantStatus(t, res, http.StatusForbidden)
	res, _ = get(t, h, "/admin/office-standard")
	wantStatus(t, res, http.StatusForbidden)
	ruzhou, _ := demoUIAs(t, "ruzhou")
	res, _ = get(t, ruzhou, "/offices/"+code)
	wantStatus(t, res, http.StatusNotFound)
}

func TestOfficeStandardForm(t *testing.T) {
	h, st := demoUIAs(t, "city")
	res, page := get(t, h, "/admin/office-standard")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "standard form", page, `value="signage"`, "统一标识标牌")
	form := url.Values{}
	items, _ := st.StandardItems(storetest.Ctx())
	for _, it := range items {
		form.Add("new", "0")
		form.Add("code", it.Code)
		form.Add("name", it.Name)
		form.Add("points", "10")
	}
	form.Add("remove", "police_gear")
	for _, row := range [][3]string{{"wifi", "网络接入", "30"}, {"", "", ""}} {
		form.Add("new", "1")
		form.Add("code", row[0])
		form.Add("name", row[1])
		form.Add("points", row[2])
	}
	res, _ = postForm(t, h, "/admin/office-standard", form)
	wantStatus(t, res, http.StatusSeeOther)
	saved, _ := st.StandardItems(storetest.Ctx())
	if len(saved) != 7 || saved[6].Code != "wifi" || saved[0].Points != 10 {
		t.Errorf("standard saved = %+v; want 6 kept at 10 points and wifi added", saved)
	}
	form.Set("points", "0")
	res, page = postForm(t, h, "/admin/office-standard", form)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "refused standard", page, `class="row-error"`, "未保存")
}

func TestOfficePagesInEnglish(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	code, _ := workstationsOf(t, st, "410423000000")
	_, page := get(t, h, "/offices/"+code+"?lang=en")
	wantContains(t, "English office page", page, "Standard checklist", "Met</label>", "Not met</label>", "Villages served", "Save the checks")
	_, list := get(t, h, "/offices?under=410423&lang=en")
	wantContains(t, "English office list", list, "Below standard (under 80%)", "Police offices")
	_, std := get(t, h, "/admin/office-standard?lang=en")
	wantContains(t, "English standard", std, "Office construction standard", "Save the standard")
}

func TestACountyCannotRescoreTheCitysOffices(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	form := url.Values{"new": {"1"}, "code": {"wifi"}, "name": {"网络接入"}, "points": {"30"}}
	res, page := postForm(t, h, "/admin/office-standard", form)
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, "refusal", page, "由市局统一设定")
	if items, _ := st.StandardItems(storetest.Ctx()); len(items) != 7 {
		t.Errorf("the standard has %d items after the refusal; want the 7 it had", len(items))
	}
}
