package web

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// freePoliceNumber returns a police number no member of staff has, so that
// the tests do not depend on the numbers of the demo force.
func freePoliceNumber(t *testing.T, st *store.Store, from int) string {
	t.Helper()
	for n := from; n < from+1000; n++ {
		number := fmt.Sprintf("%06d", n)
		found, _, err := st.FindStaff(storetest.Ctx(), cunjing.StaffFilter{Query: number})
		if err != nil {
			t.Fatal(err)
		}
		if len(found) == 0 {
			return number
		}
	}
	t.Fatal("no free police number")
	return ""
}

// addStaffMember creates a member of staff as the command line does and
// returns his ID.
func addStaffMember(t *testing.T, st *store.Store, m cunjing.Staff) int64 {
	t.Helper()
	staff := []cunjing.Staff{m}
	if err := st.CreateStaff(storetest.Ctx(), staff); err != nil {
		t.Fatal(err)
	}
	return staff[0].ID
}

// newOfficer is an officer of unit with a free police number.
func newOfficer(t *testing.T, st *store.Store, name, unit string, from int) cunjing.Staff {
	return cunjing.Staff{Name: name, Kind: cunjing.StaffOfficer, UnitCode: unit, PoliceNumber: freePoliceNumber(t, st, from), Phone: "13812345678"}
}

// villageOf returns the first village of a work station's jurisdiction.
func villageOf(t *testing.T, st *store.Store, unit string) string {
	t.Helper()
	d, err := st.UnitDetail(storetest.Ctx(), unit)
	if err != nil || len(d.Jurisdiction) == 0 {
		t.Fatalf("jurisdiction of %s: %v", unit, err)
	}
	return d.Jurisdiction[0]
}

// newVenue creates a venue under area through the area page's form and
// returns its code, read from the redirect to its posts page.
func newVenue(t *testing.T, h http.Handler, area string) string {
	t.Helper()
	res, body := postForm(t, h, "/areas/"+area+"/venues", url.Values{"name": {"张庄小学"}, "venue_type": {"school"}, "datum": {"GCJ-02"}})
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	code, ok := strings.CutPrefix(loc, "/areas/")
	code, _, _ = strings.Cut(code, "/posts?done=created")
	if !ok || !strings.HasPrefix(code, area+"-S") {
		t.Fatalf("new venue went to %q (%s)", loc, body)
	}
	return code
}

func TestStaffListMasksPhonesAndTheDetailIsAudited(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	unit, _ := workstationsOf(t, st, "410423000000")
	id := addStaffMember(t, st, newOfficer(t, st, "李明远", unit, 900100))

	res, list := get(t, h, "/staff?q="+url.QueryEscape("李明远"))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "staff list", list, `<a href="/staff" aria-current="page">人员</a>`, fmt.Sprintf(`href="/staff/%d"`, id),
		"138****5678", "民警", "在岗")
	if strings.Contains(list, "13812345678") {
		t.Error("the staff list shows a phone in full")
	}
	res, detail := get(t, h, fmt.Sprintf("/staff/%d", id))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "staff page", detail, `href="tel:13812345678"`, "完整手机号的每次查看都记入审计日志。", "现任岗位")
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q; want no-store", cc)
	}
	events, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionReadPersonal, Object: fmt.Sprintf("staff:%d", id),
		Page: cunjing.Page{Limit: 10}})
	if err != nil || len(events) != 1 || events[0].Actor != "lushan" {
		t.Errorf("read_personal rows = %+v, %v; want one by lushan", events, err)
	}
}

func TestStaffFormShowsErrorsByTheirFields(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	unit, _ := workstationsOf(t, st, "410423000000")
	taken := freePoliceNumber(t, st, 900200)
	addStaffMember(t, st, cunjing.Staff{Name: "王强", Kind: cunjing.StaffOfficer, UnitCode: unit, PoliceNumber: taken})
	form := url.Values{"name": {"陈静"}, "kind": {"officer"}, "unit_code": {unit}, "police_number": {freePoliceNumber(t, st, 900300)},
		"phone": {"12345"}, "status": {"active"}}

	res, body := postForm(t, h, "/staff", form)
	wantStatus(t, res, http.StatusBadRequest)
	phone := between(body, `id="staff-phone"`, "</div>")
	wantContains(t, "the phone field", phone, `aria-invalid="true"`, `class="field-error"`, "手机号（11 位）或固定电话")
	wantContains(t, "the refused form", body, `value="陈静"`, "有些内容填写得不对")

	form.Set("phone", "13812345678")
	form.Set("police_number", taken)
	res, body = postForm(t, h, "/staff", form)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, "the police number field", between(body, `id="staff-number"`, "</div>"), "该警号已经登记")

	form.Set("police_number", freePoliceNumber(t, st, 900400))
	res, _ = postForm(t, h, "/staff", form)
	wantStatus(t, res, http.StatusSeeOther)
	if !strings.HasPrefix(res.Header.Get("Location"), "/staff/") {
		t.Errorf("after creating: Location %q", res.Header.Get("Location"))
	}
}

func TestAssigningThroughThePostsPage(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	unit, _ := workstationsOf(t, st, "410423000000")
	venue := newVenue(t, h, villageOf(t, st, unit))
	li := addStaffMember(t, st, newOfficer(t, st, "李明远", unit, 900500))
	wang := addStaffMember(t, st, newOfficer(t, st, "王强远", unit, 900600))
	cadre := addStaffMember(t, st, cunjing.Staff{Name: "周干部", Kind: cunjing.StaffCadre, UnitCode: unit})
	page := "/areas/" + venue + "/posts"

	res, body := get(t, h, page+"?done=created")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the new venue's posts page", body, "已创建，现在可以为它安排责任民警。", "目前没有人在岗。",
		fmt.Sprintf(`<option value="%d">李明远 · 民警 · `, li), "替换现任")

	assign := func(staff int64, start string, replace bool) (*http.Response, string) {
		form := url.Values{"staff_id": {fmt.Sprint(staff)}, "role": {"responsible"}, "start": {start}}
		if replace {
			form.Set("replace", "1")
		}
		return postForm(t, h, page, form)
	}
	res, body = assign(cadre, "2025-01-01", false)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a cadre as responsible officer", body, "人员类别与岗位不符")

	res, _ = assign(li, "2025-01-01", false)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != page+"?done=assigned" {
		t.Fatalf("after assigning: Location %q", loc)
	}
	_, body = get(t, h, page)
	wantContains(t, "the posts in force", between(body, `id="current-h"`, "</section>"), "责任民警", "李明远", "自 2025-01-01 起")

	res, body = assign(wang, "2025-06-01", false)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, "a second officer without replacing", body, "该岗位已有人担任", `value="2025-06-01"`)

	res, _ = assign(wang, "2025-06-01", true)
	wantStatus(t, res, http.StatusSeeOther)
	_, body = get(t, h, page+"?on=2025-03-01")
	current := between(body, `id="current-h"`, "</section>")
	wantContains(t, "the posts after the reassignment", current, "王强远")
	if strings.Contains(current, "李明远") {
		t.Error("the replaced officer is still listed in force")
	}
	history := between(body, `id="history-h"`, "</table>")
	wantContains(t, "the history", history, "李明远", "王强远", "2025-06-01", "在任")
	wantContains(t, "who was responsible on 2025-03-01", between(body, `id="on-answer"`, "</div>"), "2025-03-01 在岗人员", "李明远")

	posts, _, err := st.FindAssignments(storetest.Ctx(), cunjing.AssignmentFilter{Area: venue, Open: true})
	if err != nil || len(posts) != 1 {
		t.Fatalf("open posts: %+v, %v", posts, err)
	}
	res, body = postForm(t, h, fmt.Sprintf("%s/%d/end", page, posts[0].ID), url.Values{"end": {"2025-05-01"}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "an end before the start", body, "结束日期无效")
	res, _ = postForm(t, h, fmt.Sprintf("%s/%d/end", page, posts[0].ID), url.Values{})
	wantStatus(t, res, http.StatusSeeOther)
	_, body = get(t, h, page)
	wantContains(t, "the page after the end", body, "目前没有人在岗。")
}

func TestPostsOfAnotherCountyAreNotFound(t *testing.T) {
	h, st := demoUIAs(t, "ruzhou")
	unit, _ := workstationsOf(t, st, "410423000000")
	village := villageOf(t, st, unit)
	li := addStaffMember(t, st, newOfficer(t, st, "李明远", unit, 900700))
	res, _ := get(t, h, "/areas/"+village+"/posts")
	wantStatus(t, res, http.StatusNotFound)
	res, _ = postForm(t, h, "/areas/"+village+"/posts", url.Values{"staff_id": {fmt.Sprint(li)}, "role": {"responsible"}, "start": {"2025-01-01"}})
	wantStatus(t, res, http.StatusNotFound)
	res, _ = postForm(t, h, "/areas/"+village+"/venues", url.Values{"name": {"小学"}, "venue_type": {"school"}})
	wantStatus(t, res, http.StatusNotFound)
	res, _ = get(t, h, fmt.Sprintf("/staff/%d", li))
	wantStatus(t, res, http.StatusNotFound)
}

func TestAreaPageOffersPostsAndNewGridsToManagers(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	communities, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: "410423", Kind: cunjing.KindCommunity, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(communities) == 0 {
		t.Fatalf("a community of 鲁山: %v", err)
	}
	code := communities[0].Code
	_, body := get(t, h, "/areas/"+code)
	wantContains(t, "a community's page", body, `href="/areas/`+code+`/posts"`, `action="/areas/`+code+`/grids"`,
		`action="/areas/`+code+`/venues"`, `<option value="hospital">医院</option>`)

	res, body := postForm(t, h, "/areas/"+code+"/grids", url.Values{"name": {" "}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a grid without a name", body, "请填写名称")
	res, _ = postForm(t, h, "/areas/"+code+"/grids", url.Values{"name": {"东关一网格"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/areas/"+code+"-G") {
		t.Errorf("after creating a grid: Location %q", loc)
	}

	leader := newTestUI(t, st, "leader")
	_, body = get(t, leader, "/areas/"+code)
	if strings.Contains(body, "/grids") || strings.Contains(body, "/venues") {
		t.Error("the leader, who does not manage staff, is offered the grid and venue forms")
	}
	wantContains(t, "the leader's view of a community", body, `href="/areas/`+code+`/posts"`)
}

func TestStaffPhotoUpload(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	unit, _ := workstationsOf(t, st, "410423000000")
	id := addStaffMember(t, st, newOfficer(t, st, "李明远", unit, 900800))
	var img bytes.Buffer
	if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 3, 4))); err != nil {
		t.Fatal(err)
	}
	upload := func(data []byte) (*http.Response, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("photo", "li.png")
		fw.Write(data)
		mw.Close()
		r := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/staff/%d/photo", id), &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		return serve(t, h, r)
	}
	res, body := upload(append(img.Bytes(), make([]byte, cunjing.MaxPhotoBytes)...))
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	wantContains(t, "a photo too large", body, "照片太大")
	res, body = upload([]byte("%PDF-1.4"))
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a PDF as photo", body, "只能上传 JPEG 或 PNG")
	res, _ = upload(img.Bytes())
	wantStatus(t, res, http.StatusSeeOther)
	_, body = get(t, h, res.Header.Get("Location"))
	wantContains(t, "the staff page", body, "照片已更新。", fmt.Sprintf(`src="/staff/%d/photo"`, id))
	res, photo := get(t, h, fmt.Sprintf("/staff/%d/photo", id))
	if res.Header.Get("Content-Type") != "image/png" || photo != img.String() {
		t.Errorf("the photo: %s, %d bytes", res.Header.Get("Content-Type"), len(photo))
	}
}

func TestStaffPagesSpeakEnglish(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	unit, _ := workstationsOf(t, st, "410423000000")
	id := addStaffMember(t, st, newOfficer(t, st, "李明远", unit, 900900))
	village := villageOf(t, st, unit)
	for path, want := range map[string][]string{
		"/staff?lang=en":                       {"Staff register", "Search by name or police number", "Police officer"},
		fmt.Sprintf("/staff/%d?lang=en", id):   {"Current posts", "Every view of the full phone number"},
		"/staff/new?lang=en":                   {"Add a member of staff", "Police number"},
		"/areas/" + village + "/posts?lang=en": {"Posts in force", "Assign staff", "Who was on post on a day", "Responsible officer"},
	} {
		res, body := get(t, h, path)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, path, body, want...)
	}
}
