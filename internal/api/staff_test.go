package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// staffOut is a member of staff as the API answers.
type staffOut struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	UnitCode     string `json:"unit_code"`
	Phone        string `json:"phone"`
	PoliceNumber string `json:"police_number"`
	Status       string `json:"status"`
	HasPhoto     bool   `json:"has_photo"`
}

// postOut is a post as the API answers.
type postOut struct {
	ID        int64   `json:"id"`
	StaffName string  `json:"staff_name"`
	AreaCode  string  `json:"area_code"`
	Role      string  `json:"role"`
	Start     string  `json:"start"`
	End       *string `json:"end"`
}

// freeNumber returns a police number no member of staff has, so that the
// tests do not depend on the numbers of the demo force.
func freeNumber(t *testing.T, st *store.Store, from int) string {
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

// createStaff posts a member of staff and returns him as answered.
func createStaff(t *testing.T, srv *httptest.Server, body string) staffOut {
	t.Helper()
	resp, out := send(t, srv, "", "POST", "/api/v1/staff", body)
	var m staffOut
	if err := json.Unmarshal([]byte(out), &m); err != nil || resp.StatusCode != http.StatusCreated || m.ID == 0 {
		t.Fatalf("create staff %s: %d %s", body, resp.StatusCode, out)
	}
	if want := fmt.Sprintf("/api/v1/staff/%d", m.ID); resp.Header.Get("Location") != want {
		t.Errorf("Location %q; want %q", resp.Header.Get("Location"), want)
	}
	return m
}

func officerJSON(name, number, unit, phone string) string {
	return fmt.Sprintf(`{"name":%q,"kind":"officer","police_number":%q,"unit_code":%q,"phone":%q}`, name, number, unit, phone)
}

// errorOf decodes an error answer.
func errorOf(t *testing.T, body string) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not an error body: %s", body)
	}
	return e
}

func TestStaffPhonesAreMaskedInListsAndTheDetailIsAudited(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	number := freeNumber(t, st, 900100)
	m := createStaff(t, srv, officerJSON("李明远", number, ws.Code, "138 1234 5678"))

	_, list := send(t, srv, "", "GET", "/api/v1/staff?kind=officer&q=李明远&unit="+ws.Code, "")
	if !strings.Contains(list, `"phone":"138****5678"`) || strings.Contains(list, "13812345678") {
		t.Errorf("the list shows the phone unmasked or not at all: %s", list)
	}
	resp, detail := send(t, srv, "", "GET", fmt.Sprintf("/api/v1/staff/%d", m.ID), "")
	if resp.StatusCode != 200 || !strings.Contains(detail, `"phone":"13812345678"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("detail: %d %s, Cache-Control %q; want the full phone, no-store", resp.StatusCode, detail, resp.Header.Get("Cache-Control"))
	}
	var reads []cunjing.AuditEvent
	for _, e := range auditRows(t, st, cunjing.ActionReadPersonal, fmt.Sprintf("staff:%d", m.ID)) {
		if e.Object == fmt.Sprintf("staff:%d", m.ID) {
			reads = append(reads, e)
		}
	}
	if len(reads) != 1 || reads[0].Actor != "lushan" {
		t.Errorf("read_personal rows = %+v; want one by lushan", reads)
	}

	resp, body := send(t, srv, "", "PATCH", fmt.Sprintf("/api/v1/staff/%d", m.ID), `{"status":"on_leave","phone":"0375-2345678"}`)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("patch: %d %s", resp.StatusCode, body)
	}
	var got staffOut
	get(t, srv, fmt.Sprintf("/api/v1/staff/%d", m.ID), &got)
	if got.Status != "on_leave" || got.Phone != "0375-2345678" || got.Name != "李明远" || got.PoliceNumber != number {
		t.Errorf("after the patch: %+v; want on leave with the landline, the rest kept", got)
	}
}

func TestStaffInputIsCheckedField(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	number := freeNumber(t, st, 900200)
	createStaff(t, srv, officerJSON("王强", number, ws.Code, ""))
	cases := []struct {
		name, body string
		status     int
		field      string
	}{
		{"bad phone", officerJSON("陈静", freeNumber(t, st, 900300), ws.Code, "12345"), 400, "phone"},
		{"taken police number", officerJSON("陈静", number, ws.Code, ""), 409, "police_number"},
		{"officer without number", `{"name":"陈静","kind":"officer","unit_code":"` + ws.Code + `"}`, 400, "police_number"},
		{"cadre with a number", `{"name":"陈静","kind":"cadre","police_number":"123456","unit_code":"` + ws.Code + `"}`, 400, "police_number"},
		{"unknown kind", `{"name":"陈静","kind":"general","unit_code":"` + ws.Code + `"}`, 400, "kind"},
		{"unit of another county", officerJSON("陈静", freeNumber(t, st, 900300), "410482000000", ""), 404, "unit_code"},
	}
	for _, c := range cases {
		resp, body := send(t, srv, "", "POST", "/api/v1/staff", c.body)
		if e := errorOf(t, body); resp.StatusCode != c.status || e.Error.Fields[c.field] == "" {
			t.Errorf("%s: %d %s; want %d naming %s", c.name, resp.StatusCode, body, c.status, c.field)
		}
	}
	if resp, body := send(t, srv, "", "POST", "/api/v1/staff", `{"name":"陈静","kind":"cadre","unit_code":"`+ws.Code+`","salary":1}`); resp.StatusCode != 400 {
		t.Errorf("an unknown field: %d %s; want 400", resp.StatusCode, body)
	}
	if resp, body := send(t, srv, "", "GET", "/api/v1/staff?kind=general&status=gone&unit=41", ""); resp.StatusCode != 400 ||
		len(errorOf(t, body).Error.Fields) != 3 {
		t.Errorf("bad filters: %d %s; want 400 naming kind, status and unit", resp.StatusCode, body)
	}
}

func TestStaffOfAnotherCountyOrStationIsNotFound(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	m := createStaff(t, srv, officerJSON("李明远", freeNumber(t, st, 900400), ws.Code, "13812345678"))
	path := fmt.Sprintf("/api/v1/staff/%d", m.ID)

	ruzhou, _ := newServerAsOn(t, st, "ruzhou")
	for _, req := range []struct{ method, path, body string }{
		{"GET", path, ""},
		{"PATCH", path, `{"status":"retired"}`},
		{"GET", path + "/photo", ""},
		{"POST", "/api/v1/assignments", fmt.Sprintf(`{"staff_id":%d,"area_code":%q,"role":"responsible","start":"2025-01-01"}`, m.ID, ws.Jurisdiction[0])},
		{"POST", "/api/v1/areas", fmt.Sprintf(`{"parent_code":%q,"level":"venue","name":"小学","venue_type":"school"}`, ws.Jurisdiction[0])},
	} {
		if resp, body := send(t, ruzhou, "", req.method, req.path, req.body); resp.StatusCode != http.StatusNotFound {
			t.Errorf("汝州 %s %s: %d %s; want 404", req.method, req.path, resp.StatusCode, body)
		}
	}
	_, list := send(t, ruzhou, "", "GET", "/api/v1/staff?q=李明远", "")
	if strings.Contains(list, "李明远") {
		t.Errorf("汝州 lists 鲁山's staff: %s", list)
	}

	// The station chief sees his station's staff, not another station's.
	chief, _ := newServerAsOn(t, st, "chief")
	own := userOf(t, st, "chief").UnitCode
	stations, _, err := st.FindUnits(storetest.Ctx(), cunjing.UnitFilter{Under: "410423000000", Kind: cunjing.UnitStation})
	if err != nil || len(stations) < 2 {
		t.Fatalf("stations of 鲁山: %v, %v", stations, err)
	}
	other := stations[0].Code
	if other == own {
		other = stations[1].Code
	}
	theirs := createStaff(t, srv, officerJSON("赵刚", freeNumber(t, st, 900500), other, ""))
	mine := createStaff(t, srv, officerJSON("钱进", freeNumber(t, st, 900600), own, ""))
	if resp, body := send(t, chief, "", "GET", fmt.Sprintf("/api/v1/staff/%d", theirs.ID), ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the chief reading another station's officer: %d %s; want 404", resp.StatusCode, body)
	}
	if resp, body := send(t, chief, "", "GET", fmt.Sprintf("/api/v1/staff/%d", mine.ID), ""); resp.StatusCode != http.StatusOK {
		t.Errorf("the chief reading his own officer: %d %s; want 200", resp.StatusCode, body)
	}
}

func TestAssignReassignAndAskWhoWasResponsible(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	village := ws.Jurisdiction[0]

	// A new venue has no posts yet, whatever the demo force holds.
	resp, body := send(t, srv, "", "POST", "/api/v1/areas", fmt.Sprintf(`{"parent_code":%q,"level":"venue","name":"张庄小学","venue_type":"school","lng":112.9,"lat":33.74,"datum":"GCJ-02"}`, village))
	var venue struct {
		Code      string `json:"code"`
		Level     string `json:"level"`
		VenueType string `json:"venue_type"`
	}
	json.Unmarshal([]byte(body), &venue)
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(venue.Code, village+"-S") || venue.Level != "venue" || venue.VenueType != "school" ||
		resp.Header.Get("Location") != "/api/v1/areas/"+venue.Code {
		t.Fatalf("create venue: %d %s", resp.StatusCode, body)
	}
	if resp, body := send(t, srv, "", "POST", "/api/v1/areas", fmt.Sprintf(`{"parent_code":%q,"level":"grid","name":"一网格"}`, village)); resp.StatusCode != 400 {
		t.Errorf("a grid in a village: %d %s; want 400", resp.StatusCode, body)
	}

	li := createStaff(t, srv, officerJSON("李明远", freeNumber(t, st, 900700), ws.Code, ""))
	wang := createStaff(t, srv, officerJSON("王强", freeNumber(t, st, 900800), ws.Code, ""))
	cadre := createStaff(t, srv, `{"name":"周干部","kind":"cadre","unit_code":"`+ws.Code+`"}`)
	post := func(staff int64, start string, replace bool) (*http.Response, string) {
		return send(t, srv, "", "POST", "/api/v1/assignments",
			fmt.Sprintf(`{"staff_id":%d,"area_code":%q,"role":"responsible","start":%q,"replace":%v}`, staff, venue.Code, start, replace))
	}
	resp, body = post(cadre.ID, "2025-01-01", false)
	if e := errorOf(t, body); resp.StatusCode != 400 || e.Error.Fields["role"] == "" {
		t.Errorf("a cadre as responsible officer: %d %s; want 400 on role", resp.StatusCode, body)
	}
	resp, body = post(li.ID, "2025-01-01", false)
	var first postOut
	json.Unmarshal([]byte(body), &first)
	if resp.StatusCode != http.StatusCreated || first.StaffName != "李明远" || first.End != nil {
		t.Fatalf("assign: %d %s", resp.StatusCode, body)
	}
	if resp, body := post(wang.ID, "2025-06-01", false); resp.StatusCode != http.StatusConflict {
		t.Errorf("a second responsible officer: %d %s; want 409", resp.StatusCode, body)
	}
	if resp, body := post(wang.ID, "2999-01-01", true); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a post starting in the future: %d %s; want 400", resp.StatusCode, body)
	}
	resp, body = post(wang.ID, "2025-06-01", true)
	var second postOut
	json.Unmarshal([]byte(body), &second)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("reassign: %d %s", resp.StatusCode, body)
	}

	for on, want := range map[string]string{"2024-12-31": "", "2025-03-01": "李明远", "2025-06-01": "王强"} {
		var page struct{ Items []postOut }
		get(t, srv, "/api/v1/assignments?role=responsible&area="+venue.Code+"&on="+on, &page)
		got := ""
		for _, p := range page.Items {
			got += p.StaffName
		}
		if got != want {
			t.Errorf("responsible on %s: %q; want %q", on, got, want)
		}
	}
	var history struct{ Items []postOut }
	get(t, srv, "/api/v1/assignments?area="+venue.Code, &history)
	if len(history.Items) != 2 {
		t.Fatalf("history: %+v; want both posts", history.Items)
	}
	for _, p := range history.Items {
		if p.ID == first.ID && (p.End == nil || *p.End != "2025-06-01") {
			t.Errorf("the replaced post: %+v; want it ended on 2025-06-01", p)
		}
	}

	end := fmt.Sprintf("/api/v1/assignments/%d/end", second.ID)
	if resp, body := send(t, srv, "", "POST", end, `{"end":"2025-05-01"}`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an end before the start: %d %s; want 400", resp.StatusCode, body)
	}
	today := cunjing.DateOf(time.Now()).String()
	if resp, body := send(t, srv, "", "POST", end, `{"end":"`+today+`"}`); resp.StatusCode != http.StatusNoContent {
		t.Errorf("end today: %d %s; want 204", resp.StatusCode, body)
	}
	if resp, body := send(t, srv, "", "POST", end, `{"end":"`+today+`"}`); resp.StatusCode != http.StatusConflict {
		t.Errorf("end again: %d %s; want 409", resp.StatusCode, body)
	}
	var open struct{ Items []postOut }
	get(t, srv, "/api/v1/assignments?open=true&under="+village, &open)
	for _, p := range open.Items {
		if p.AreaCode == venue.Code {
			t.Errorf("an ended post is listed as open: %+v", p)
		}
	}
	if resp, body := send(t, srv, "", "GET", "/api/v1/assignments?on=2025-02-30&open=maybe&staff=x", ""); resp.StatusCode != 400 ||
		len(errorOf(t, body).Error.Fields) != 3 {
		t.Errorf("bad filters: %d %s; want 400 naming on, open and staff", resp.StatusCode, body)
	}
}

// pngBytes returns a small PNG image.
func pngBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 3, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// putPhoto sends a photo as a raw body of the given type.
func putPhoto(t *testing.T, srv *httptest.Server, id int64, contentType string, body io.Reader) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/staff/%d/photo", srv.URL, id), body)
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestStaffPhotosAreBoundedImages(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	m := createStaff(t, srv, officerJSON("李明远", freeNumber(t, st, 901000), ws.Code, ""))
	img := pngBytes(t)

	if status, body := putPhoto(t, srv, m.ID, "image/png", bytes.NewReader(append(img, make([]byte, cunjing.MaxPhotoBytes)...))); status != http.StatusRequestEntityTooLarge ||
		errorOf(t, body).Error.Code != "too_large" {
		t.Errorf("a photo over the limit: %d %s; want 413 too_large", status, body)
	}
	if status, body := putPhoto(t, srv, m.ID, "image/png", bytes.NewReader(make([]byte, 3*cunjing.MaxPhotoBytes))); status != http.StatusRequestEntityTooLarge {
		t.Errorf("a body far over the limit: %d %s; want 413", status, body)
	}
	if status, body := putPhoto(t, srv, m.ID, "text/plain", strings.NewReader("not an image")); status != http.StatusBadRequest {
		t.Errorf("text as a photo: %d %s; want 400", status, body)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("photo", "li.png")
	fw.Write(img)
	mw.Close()
	if status, body := putPhoto(t, srv, m.ID, mw.FormDataContentType(), &form); status != http.StatusNoContent {
		t.Fatalf("a PNG in a form: %d %s; want 204", status, body)
	}
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/staff/%d/photo", srv.URL, m.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !bytes.Equal(got, img) {
		t.Errorf("the photo: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
	}
	var after staffOut
	get(t, srv, fmt.Sprintf("/api/v1/staff/%d", m.ID), &after)
	if !after.HasPhoto {
		t.Error("the record does not say it has a photo")
	}
}

func TestStaffRoutesNeedTheirPermission(t *testing.T) {
	_, st := newServerAs(t, "")
	ws, _ := workstations(t, st, "410423000000")
	m := cunjing.Staff{Name: "李明远", Kind: cunjing.StaffOfficer, UnitCode: ws.Code, PoliceNumber: freeNumber(t, st, 901100), Phone: "13812345678"}
	staff := []cunjing.Staff{m}
	if err := st.CreateStaff(storetest.Ctx(), staff); err != nil {
		t.Fatal(err)
	}
	detail := fmt.Sprintf("/api/v1/staff/%d", staff[0].ID)
	matrix := []struct {
		method, path, body string
		want               map[string]int
	}{
		{"GET", "/api/v1/staff", "", map[string]int{"": 401, "leader": 200, "officer": 200, "auditor": 403}},
		{"POST", "/api/v1/staff", "{}", map[string]int{"": 401, "leader": 403, "officer": 403, "auditor": 403, "chief": 400, "lushan": 400}},
		{"GET", "/api/v1/assignments", "", map[string]int{"": 401, "leader": 200, "auditor": 403}},
		{"POST", "/api/v1/assignments", "{}", map[string]int{"officer": 403, "leader": 403, "chief": 400}},
		{"POST", "/api/v1/assignments/1/end", "{}", map[string]int{"officer": 403, "leader": 403}},
		{"POST", "/api/v1/areas", "{}", map[string]int{"officer": 403, "admin": 403, "lushan": 400}},
		{"PATCH", detail, `{"status":"retired"}`, map[string]int{"officer": 403, "leader": 403}},
		{"PUT", detail + "/photo", "x", map[string]int{"officer": 403, "leader": 403}},
	}
	for _, row := range matrix {
		for user, want := range row.want {
			srv, _ := newServerAsOn(t, st, user)
			if resp, body := send(t, srv, "", row.method, row.path, row.body); resp.StatusCode != want {
				t.Errorf("%s %s as %q: %d; want %d (%s)", row.method, row.path, user, resp.StatusCode, want, body)
			}
		}
	}
	// The city leader reads the register but not the phones in it.
	leader, _ := newServerAsOn(t, st, "leader")
	var got staffOut
	if status := get(t, leader, detail, &got); status != 200 || got.Phone != "138****5678" {
		t.Errorf("the leader's view: %d %+v; want the phone masked", status, got)
	}
}
