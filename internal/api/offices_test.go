package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// officeBody is the part of an office's profile the tests read.
type officeBody struct {
	Unit struct {
		Code string `json:"code"`
	} `json:"unit"`
	StationName string `json:"station_name"`
	Feature     string `json:"feature"`
	Villages    []struct {
		Code string `json:"code"`
	} `json:"villages"`
	Items []struct {
		Code   string `json:"code"`
		Points int    `json:"points"`
	} `json:"items"`
	Checks []struct {
		Item      string `json:"item"`
		Met       bool   `json:"met"`
		CheckedBy string `json:"checked_by"`
	} `json:"checks"`
	Score    int `json:"score"`
	MaxScore int `json:"max_score"`
	Percent  int `json:"percent"`
	Photos   []struct {
		URL string `json:"url"`
	} `json:"photos"`
}

// lushanOffice returns the code of the first village work station of 鲁山县.
func lushanOffice(t *testing.T, st *store.Store) string {
	t.Helper()
	units, _, err := st.FindUnits(storetest.Ctx(), cunjing.UnitFilter{Under: "410423000000", Kind: cunjing.UnitWorkstation, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(units) != 1 {
		t.Fatalf("a work station of 鲁山县: %v, %v", units, err)
	}
	return units[0].Code
}

// putChecks records every item of the standard at an office, met or not,
// and returns the profile answered.
func putChecks(t *testing.T, srv *httptest.Server, code string, met bool) officeBody {
	t.Helper()
	var p officeBody
	if status := get(t, srv, "/api/v1/offices/"+code, &p); status != 200 {
		t.Fatalf("office %s: %d", code, status)
	}
	var checks []string
	for _, it := range p.Items {
		checks = append(checks, fmt.Sprintf(`{"item":%q,"met":%t,"note":"督导检查"}`, it.Code, met))
	}
	resp, body := send(t, srv, "", "PUT", "/api/v1/offices/"+code+"/checks", `{"checks":[`+strings.Join(checks, ",")+`]}`)
	if resp.StatusCode != 200 {
		t.Fatalf("put checks: %d %s", resp.StatusCode, body)
	}
	var after officeBody
	json.Unmarshal([]byte(body), &after)
	return after
}

func TestOfficeChecklistChangesTheScoreAndTheBelowStandardList(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	code := lushanOffice(t, st)
	all := putChecks(t, srv, code, true)
	if all.Percent != 100 || all.Score != all.MaxScore || all.MaxScore == 0 || len(all.Checks) != len(all.Items) || all.Checks[0].CheckedBy != "lushan" {
		t.Fatalf("every item met: %+v", all)
	}
	if all.StationName == "" || len(all.Villages) == 0 {
		t.Errorf("profile without station or villages: %+v", all)
	}
	if below := officeCodes(t, srv, "/api/v1/offices?under=410423&below=80"); strings.Contains(below, code) {
		t.Errorf("an office meeting every item is listed below standard")
	}
	none := putChecks(t, srv, code, false)
	if none.Percent != 0 || none.Score != 0 {
		t.Fatalf("no item met: %+v", none)
	}
	var list struct {
		Items []struct {
			Code    string `json:"code"`
			Percent int    `json:"percent"`
		} `json:"items"`
	}
	if status := get(t, srv, "/api/v1/offices?under=410423&below=80", &list); status != 200 || len(list.Items) == 0 {
		t.Fatalf("below standard: %d %+v", status, list)
	}
	found := false
	for i, o := range list.Items {
		found = found || o.Code == code
		if o.Percent >= 80 || i > 0 && o.Percent < list.Items[i-1].Percent {
			t.Fatalf("below-standard list not all below 80 %%, lowest first: %+v", list.Items)
		}
	}
	if !found || list.Items[0].Percent != 0 {
		t.Errorf("the office scoring 0 is not at the head of the list: %+v", list.Items[:min(3, len(list.Items))])
	}
	mine := 0
	for _, row := range auditRows(t, st, cunjing.ActionOfficeUpdate, code) {
		if row.Actor == "lushan" {
			mine++
		}
	}
	if mine != 2 {
		t.Errorf("audit rows of lushan's checks = %d; want 2", mine)
	}
}

// officeCodes returns the body of an office list, for a look at its codes.
func officeCodes(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	resp, body := send(t, srv, "", "GET", path, "")
	if resp.StatusCode != 200 {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, body)
	}
	return body
}

func TestOfficeFeaturePhotosAndScope(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	code := lushanOffice(t, st)
	resp, body := send(t, srv, "", "PATCH", "/api/v1/offices/"+code, `{"feature":"枫桥式调解室","location":{"lng":112.9,"lat":33.74,"datum":"GCJ-02"}}`)
	var p officeBody
	json.Unmarshal([]byte(body), &p)
	if resp.StatusCode != 200 || p.Feature != "枫桥式调解室" || !strings.Contains(body, `"datum":"GCJ-02"`) {
		t.Fatalf("patch: %d %s", resp.StatusCode, body)
	}
	var img bytes.Buffer
	png.Encode(&img, image.NewGray(image.Rect(0, 0, 3, 3)))
	resp, body = send(t, srv, "", "POST", "/api/v1/offices/"+code+"/photos?caption=外景", img.String())
	if resp.StatusCode != 201 || resp.Header.Get("Location") == "" {
		t.Fatalf("photo upload: %d %s", resp.StatusCode, body)
	}
	photo, err := http.Get(srv.URL + resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(photo.Body)
	photo.Body.Close()
	if photo.StatusCode != 200 || photo.Header.Get("Content-Type") != "image/png" || !bytes.Equal(data, img.Bytes()) {
		t.Errorf("photo read back: %d %s, %d bytes", photo.StatusCode, photo.Header.Get("Content-Type"), len(data))
	}
	if resp, body := send(t, srv, "", "POST", "/api/v1/offices/"+code+"/photos", "not an image"); resp.StatusCode != 400 {
		t.Errorf("a text as a photo: %d %s", resp.StatusCode, body)
	}
	ruzhou, _ := newServerAs(t, "ruzhou")
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/api/v1/offices/" + code, ""},
		{"PUT", "/api/v1/offices/" + code + "/checks", `{"checks":[{"item":"signage","met":true}]}`},
		{"PATCH", "/api/v1/offices/" + code, `{"feature":"x"}`},
		{"GET", "/api/v1/offices?under=410423", ""},
	} {
		if resp, body := send(t, ruzhou, "", c.method, c.path, c.body); resp.StatusCode != 404 {
			t.Errorf("%s %s from 汝州: %d %s; want 404", c.method, c.path, resp.StatusCode, body)
		}
	}
	var e apiError
	if status := get(t, srv, "/api/v1/offices?below=80", &e); status != 400 || e.Error.Fields["under"] == "" {
		t.Errorf("a list without under: %d %+v", status, e.Error)
	}
	if status := get(t, srv, "/api/v1/offices/410423000000", &e); status != 404 {
		t.Errorf("the county bureau as an office: %d; want 404", status)
	}
}

func TestOfficeStandardIsTheAdministratorsToChange(t *testing.T) {
	srv, _ := newServerAs(t, "city")
	var std struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
		PassPercent int `json:"pass_percent"`
	}
	if status := get(t, srv, "/api/v1/office-standard", &std); status != 200 || len(std.Items) != 7 || std.PassPercent != cunjing.OfficePassPercent {
		t.Fatalf("standard: %d %+v", status, std)
	}
	resp, body := send(t, srv, "", "PUT", "/api/v1/office-standard", `{"items":[{"code":"signage","name":"标识","points":40},{"code":"wifi","name":"网络","points":60}]}`)
	if resp.StatusCode != 200 || !strings.Contains(body, `"wifi"`) || strings.Contains(body, `"reception"`) {
		t.Fatalf("put standard: %d %s", resp.StatusCode, body)
	}
	resp, body = send(t, srv, "", "PUT", "/api/v1/office-standard", `{"items":[{"code":"Wi Fi","name":"","points":0}]}`)
	var e apiError
	json.Unmarshal([]byte(body), &e)
	if resp.StatusCode != 400 || e.Error.Fields["code"] == "" || e.Error.Fields["points"] == "" {
		t.Errorf("a bad item: %d %s", resp.StatusCode, body)
	}
	county, _ := newServerAs(t, "lushan")
	if resp, _ := send(t, county, "", "PUT", "/api/v1/office-standard", `{"items":[{"code":"a","name":"a","points":1}]}`); resp.StatusCode != 403 {
		t.Errorf("a county rescoring the whole city's offices: %d; want 403", resp.StatusCode)
	}
	chief, _ := newServerAs(t, "chief")
	if resp, _ := send(t, chief, "", "PUT", "/api/v1/office-standard", `{"items":[{"code":"a","name":"a","points":1}]}`); resp.StatusCode != 403 {
		t.Errorf("a station chief changing the standard: %d; want 403", resp.StatusCode)
	}
}
