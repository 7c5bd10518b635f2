package web

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// collectedHousehold adds an address with a household of one to the
// officer's village and returns the address page and the person's page.
func collectedHousehold(t *testing.T, h http.Handler, street, name, id string) (string, string) {
	t.Helper()
	addr := newAddress(t, h, officerVillage(t, h), street, "1")
	form := householdValues("", name, id)
	form["phone"][0] = "13712345678"
	res, _ := postForm(t, h, addr+"/households", form)
	wantStatus(t, res, http.StatusSeeOther)
	return addr, "/residents/" + residentsAt(t, h, addr)[0]
}

func TestHouseWithItsOwnerAndTenants(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	addr, owner := collectedHousehold(t, h, "试验东街", "陈国栋", testIDNumber("410423", "19610203", 51))
	form := mustGet(t, h, addr+"/houses/new")
	ownerID := strings.TrimPrefix(owner, "/residents/")
	wantContains(t, "the house form", form, `value="r:`+ownerID+`"`, "陈国栋", `name="use" value="rented"`)

	res, body := postForm(t, h, addr+"/houses", url.Values{"use": {"self"}, "owner": {"r:" + ownerID}, "floor_area": {"八十"}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a floor area in words", between(body, `id="house-area"`, "</div>"), "建筑面积应为 0 到 100000 之间的数字")
	res, _ = postForm(t, h, addr+"/houses", url.Values{"use": {"self"}, "owner": {"r:" + ownerID}, "floor_area": {"85.5"}})
	wantStatus(t, res, http.StatusSeeOther)
	house, _, _ := strings.Cut(res.Header.Get("Location"), "?")
	page := mustGet(t, h, house+"?done=created")
	wantContains(t, "the house page", page, "房屋已登记", "自住", "陈国栋", "85.5 平方米", "登记租客", "待审核")

	tenant, _ := collectedHouseholdAt(t, h, addr, "林小梅", testIDNumber("350102", "19980412", 62))
	res, _ = postForm(t, h, house+"/rentals", url.Values{"tenant": {tenant}, "start": {"2026-01-01"}})
	wantStatus(t, res, http.StatusSeeOther)
	page = mustGet(t, h, house)
	wantContains(t, "the rented house", page, "林小梅", "2026-01-01 起租", "出租")
	history := between(page, `id="history-h"`, "</section>")
	wantContains(t, "the house's history", history, "房屋用途", "自住", "出租")

	rental := between(page, `action="`+house+`/rentals/`, `/end"`)
	res, _ = postForm(t, h, house+"/rentals/"+rental+"/end", url.Values{"end": {"2026-06-30"}})
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, "the ended tenancy", mustGet(t, h, house), "2026-01-01 至 2026-06-30")
	res, _ = postForm(t, h, house+"/rentals/999999/end", url.Values{"end": {"2026-06-30"}})
	wantStatus(t, res, http.StatusNotFound)
}

// collectedHouseholdAt adds a household of one to an address and returns
// the person's ID.
func collectedHouseholdAt(t *testing.T, h http.Handler, addr, name, id string) (string, string) {
	t.Helper()
	before := residentsAt(t, h, addr)
	res, _ := postForm(t, h, addr+"/households", householdValues("", name, id))
	wantStatus(t, res, http.StatusSeeOther)
	for _, p := range residentsAt(t, h, addr) {
		if !strings.Contains(strings.Join(before, " "), p) {
			return p, "/residents/" + p
		}
	}
	t.Fatalf("no new resident at %s", addr)
	return "", ""
}

func TestOrgFormChecksTheCreditCodeAndMasksThePhone(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	addr := newAddress(t, h, officerVillage(t, h), "试验商业街", "18")
	org := url.Values{"name": {"鲁山县平安旅馆"}, "type": {"hotel"}, "credit_code": {"91410423MA9F7XYZ1K"},
		"legal_rep": {"马成"}, "contact_phone": {"0375-5012345"}, "staff_count": {"6"}}
	res, body := postForm(t, h, addr+"/orgs", org)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a wrong credit code", between(body, `id="org-credit"`, "</div>"), "统一社会信用代码不正确")
	wantContains(t, "the refused org form", body, `value="鲁山县平安旅馆"`)

	org.Set("credit_code", "")
	res, _ = postForm(t, h, addr+"/orgs", org)
	wantStatus(t, res, http.StatusSeeOther)
	page, _, _ := strings.Cut(res.Header.Get("Location"), "?")
	body = mustGet(t, h, page)
	wantContains(t, "the org page", body, "鲁山县平安旅馆", "旅馆", "特种行业", "0375-5012345", "马成")
	wantContains(t, "the address page", mustGet(t, h, addr), `href="`+page+`"`, "鲁山县平安旅馆")

	leader := newTestUI(t, st, "leader")
	body = mustGet(t, leader, page)
	if strings.Contains(body, "0375-5012345") || !strings.Contains(body, "*2345") {
		t.Error("the leader sees an org's phone in full, or not at all")
	}
}

// pngPhoto is a small PNG image.
func pngPhoto(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 6))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// postMultipart posts fields and one file "photo" as a browser would.
func postMultipart(t *testing.T, h http.Handler, target string, fields url.Values, photo []byte) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if photo != nil {
		part, err := mw.CreateFormFile("photo", "photo.png")
		if err != nil {
			t.Fatal(err)
		}
		part.Write(photo)
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, target, &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return serve(t, h, r)
}

func TestVisitIsLoggedWithItsPositionAndPhoto(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	addr, _ := collectedHousehold(t, h, "试验东街", "黄大年", testIDNumber("410423", "19570101", 71))
	form := mustGet(t, h, addr+"/visits/new")
	household := between(form, `name="target" value="household:`, `"`)
	wantContains(t, "the visit form", form, "黄大年 户", `data-locate="gps-status"`, `name="datum" value="WGS-84"`,
		`capture="environment"`, `enctype="multipart/form-data"`)

	fields := url.Values{"address": {strings.TrimPrefix(addr, "/addresses/")}, "target": {"household:" + household},
		"kind": {"household"}, "date": {"2026-01-05"}, "content": {""}, "lng": {"112.908"}, "lat": {"33.741"}, "datum": {"WGS-84"}}
	res, body := postMultipart(t, h, "/visits", fields, nil)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a visit without content", between(body, `id="visit-content"`, "</div>"), "请填写走访内容。")

	fields.Set("content", "入户核实人口信息，宣传防诈骗")
	fields.Set("lng", "33.741")
	fields.Set("lat", "112.908")
	res, body = postMultipart(t, h, "/visits", fields, nil)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "swapped coordinates", body, "位置须在中国境内，经度在前、纬度在后。")

	fields.Set("lng", "112.908")
	fields.Set("lat", "33.741")
	res, body = postMultipart(t, h, "/visits", fields, pngPhoto(t))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logging the visit: %d %.400s", res.StatusCode, body)
	}
	visit, _, _ := strings.Cut(res.Header.Get("Location"), "?")
	page := mustGet(t, h, visit+"?done=created")
	wantContains(t, "the visit page", page, "走访已记录", "入户走访", "入户核实人口信息", "经度 112.908000，纬度 33.741000（WGS-84）", visit+"/photos/")
	photo := between(between(page, `class="photo-grid"`, "</ul>"), `<img src="`, `"`)
	res, data := get(t, h, photo)
	wantStatus(t, res, http.StatusOK)
	if res.Header.Get("Content-Type") != "image/png" || !bytes.Equal([]byte(data), pngPhoto(t)) {
		t.Errorf("the photo comes back as %s, %d bytes", res.Header.Get("Content-Type"), len(data))
	}

	res, body = postMultipart(t, h, "/visits", fields, []byte("not an image"))
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a file that is no photo", between(body, `id="visit-photo"`, "</div>"), "照片须为 JPEG 或 PNG 格式")
}

func TestStationReviewsWhatOfficersCollected(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	addr, person := collectedHousehold(t, h, "试验东街", "郑光荣", testIDNumber("410423", "19590909", 81))
	chief := newTestUI(t, st, "chief")
	res, queue := get(t, chief, "/review?under="+officerVillage(t, h))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the chief's nav", queue, `<a href="/review" aria-current="page">审核</a>`)
	address, resident := "address:"+strings.TrimPrefix(addr, "/addresses/"), "resident:"+strings.TrimPrefix(person, "/residents/")
	wantContains(t, "the review queue", queue, `value="`+address+`"`, `value="`+resident+`"`, "郑光荣", "试验东街1号")
	if strings.Contains(queue, testIDNumber("410423", "19590909", 81)) {
		t.Error("the review queue shows an ID number in full")
	}
	if nav := mustGet(t, h, "/"); strings.Contains(nav, `href="/review"`) {
		t.Error("the officer is offered the review")
	}
	res, _ = get(t, h, "/review")
	wantStatus(t, res, http.StatusForbidden)

	res, body := postForm(t, chief, "/review", url.Values{"item": {resident}, "action": {"return"}, "back": {"/review"}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a return without reason", body, "退回时请写明原因。", `value="`+resident+`" checked`)

	res, _ = postForm(t, chief, "/review", url.Values{"item": {resident}, "action": {"return"}, "reason": {"电话号码需核实"}, "back": {person}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != person+"?done=returned&n=1" {
		t.Fatalf("a review from the record's page goes to %q", loc)
	}
	page := mustGet(t, h, person)
	wantContains(t, "the returned record", page, "已退回", "退回原因：电话号码需核实", "chief")
	wantContains(t, "the history of the review", between(page, `id="history-h"`, "</section>"), "审核状态", "待审核", "已退回")

	res, _ = postForm(t, chief, "/review", url.Values{"item": {address}, "action": {"verify"}, "back": {"/review"}})
	wantStatus(t, res, http.StatusSeeOther)
	wantContains(t, "the verified address", mustGet(t, h, addr), "已核实")
	if queue := mustGet(t, chief, "/review?under="+officerVillage(t, h)); strings.Contains(queue, `value="`+address+`"`) {
		t.Error("a verified address is still in the queue")
	}
	wantContains(t, "the returned records", mustGet(t, chief, "/review?state=returned&under="+officerVillage(t, h)), `value="`+resident+`"`, "电话号码需核实")

	res, _ = postForm(t, chief, "/review", url.Values{"item": {resident}, "action": {"verify"}, "back": {"https://evil.example/"}})
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/review?") {
		t.Errorf("a review sent back to another site goes to %q", loc)
	}
}

func TestAddressEditIsKeptInTheHistoryAndDuplicatesNamed(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	first := newAddress(t, h, village, "试验东街", "30")
	second := newAddress(t, h, village, "试验东街", "31")
	wantContains(t, "the edit form", mustGet(t, h, second+"/edit"), `value="试验东街"`, `value="31"`)

	res, body := postForm(t, h, second, url.Values{"street": {"试验东街"}, "house_number": {"３０号"}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, "an address registered already", body, "这个地址在本辖区已经登记", `href="`+first+`"`)

	res, _ = postForm(t, h, second, url.Values{"street": {"试验东街"}, "house_number": {"31"}, "building": {"2"}, "room": {"301"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := mustGet(t, h, second)
	wantContains(t, "the edited address", page, "<h1>试验东街31号2栋301室</h1>")
	wantContains(t, "its history", between(page, `id="history-h"`, "</section>"), "楼栋", "室", "301", "officer")
}

func TestStationVerifiesManyRecordsAtOnce(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	a := newAddress(t, h, village, "试验北街", "1")
	b := newAddress(t, h, village, "试验北街", "2")
	chief := newTestUI(t, st, "chief")
	verified := reviewedFigure(t, mustGet(t, h, "/areas/"+village+"/register"))
	items := url.Values{"item": {"address:" + strings.TrimPrefix(a, "/addresses/"), "address:" + strings.TrimPrefix(b, "/addresses/")},
		"action": {"verify"}, "back": {"/review?kind=address&state=collected"}}
	res, _ := postForm(t, chief, "/review", items)
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	wantContains(t, "the queue after verifying two", mustGet(t, chief, loc), "已核实 2 条记录。")
	for _, addr := range []string{a, b} {
		wantContains(t, addr, mustGet(t, h, addr), "badge-state-verified")
	}
	if after := reviewedFigure(t, mustGet(t, h, "/areas/"+village+"/register")); after != verified+2 {
		t.Errorf("the register counts %d records verified after verifying two more than %d", after, verified)
	}
}

// reviewedFigure reads how many records of a register are verified.
func reviewedFigure(t *testing.T, page string) int {
	t.Helper()
	text := strings.ReplaceAll(between(page, "已核实 ", " ·"), ",", "")
	n, err := strconv.Atoi(text)
	if err != nil {
		t.Fatalf("no figure of verified records on the page (%q)", text)
	}
	return n
}

func TestRegisterSpeaksEnglish(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	addr := newAddress(t, h, village, "试验东街", "5")
	wantContains(t, "the English register", mustGet(t, h, "/areas/"+village+"/register?lang=en"),
		"Basic information", "Standard addresses", "Awaiting review", "New address")
	wantContains(t, "the English household form", mustGet(t, h, addr+"/households/new?lang=en"),
		"Record a household", "Member 1", "Relation to the head", "Add another member")
}
