package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/store/storetest"
)

type visitOut struct {
	ID         int64  `json:"id"`
	AreaCode   string `json:"area_code"`
	Date       string `json:"date"`
	Kind       string `json:"kind"`
	TargetName string `json:"target_name"`
	Officer    string `json:"officer"`
	Content    string `json:"content"`
	Photos     int    `json:"photos"`
	Location   *struct {
		Lng   float64 `json:"lng"`
		Lat   float64 `json:"lat"`
		Datum string  `json:"datum"`
	} `json:"location"`
}

type ledgerOut struct {
	Items      []visitOut `json:"items"`
	NextCursor string     `json:"next_cursor"`
	Counts     []struct {
		Kind  string `json:"kind"`
		Count int    `json:"count"`
	} `json:"counts"`
}

func TestAVisitIsTheCallersAndFillsTheLedger(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	p := lushanPlace(t, st)
	today := time.Now().In(cunjing.Shanghai)
	body := fmt.Sprintf(`{"date":%q,"kind":"household","target":"resident","target_id":%d,"content":"入户走访",
		"location":{"lng":112.9,"lat":33.74,"datum":"GCJ-02"}}`, today.Format("2006-01-02"), p.owner)
	var v visitOut
	if status := sendJSON(t, srv, "POST", "/api/v1/visits", body, &v); status != http.StatusCreated {
		t.Fatalf("create visit: %d %+v", status, v)
	}
	if v.Officer != "lushan" || v.AreaCode != p.village || v.TargetName != p.ownerName || v.Location == nil || v.Location.Datum != "GCJ-02" {
		t.Errorf("visit = %+v; want lushan's, in %s, to %s, on GCJ-02", v, p.village, p.ownerName)
	}
	var e apiError
	withOfficer := strings.Replace(body, `"kind"`, `"officer":"ruzhou","kind"`, 1)
	if status := sendJSON(t, srv, "POST", "/api/v1/visits", withOfficer, &e); status != http.StatusBadRequest {
		t.Errorf("a visit naming its officer: %d; want 400", status)
	}
	swapped := strings.Replace(body, `"lng":112.9,"lat":33.74`, `"lng":33.74,"lat":112.9`, 1)
	if status := sendJSON(t, srv, "POST", "/api/v1/visits", swapped, &e); status != http.StatusBadRequest || e.Error.Fields["location"] == "" {
		t.Errorf("swapped coordinates: %d %+v; want 400 naming location", status, e)
	}
	area := fmt.Sprintf(`{"date":%q,"kind":"publicity","target":"area","area_code":%q,"content":"=HYPERLINK(\"http://x\")"}`,
		today.Format("2006-01-02"), p.village)
	if status := sendJSON(t, srv, "POST", "/api/v1/visits", area, nil); status != http.StatusCreated {
		t.Fatalf("an area visit: %d", status)
	}
	q := url.Values{"under": {p.village}, "officer": {"lushan"}, "month": {today.Format("2006-01")}}
	var ledger ledgerOut
	if status := get(t, srv, "/api/v1/ledger?"+q.Encode(), &ledger); status != http.StatusOK || len(ledger.Items) != 2 || ledger.Items[0].ID != v.ID {
		t.Fatalf("ledger: %d %+v; want the two visits", status, ledger)
	}
	counts := map[string]int{}
	for _, c := range ledger.Counts {
		counts[c.Kind] = c.Count
	}
	if len(ledger.Counts) != len(cunjing.VisitKinds) || counts["household"] != 1 || counts["publicity"] != 1 || counts["safety"] != 0 {
		t.Errorf("counts = %+v; want every kind, one household visit and one publicity", ledger.Counts)
	}
	if status := get(t, srv, "/api/v1/ledger?month=2026-13", &e); status != http.StatusBadRequest || e.Error.Fields["month"] == "" {
		t.Errorf("month 2026-13: %d %+v; want 400 naming month", status, e)
	}
	ruzhou, _ := newServerAsOn(t, st, "ruzhou")
	if status := get(t, ruzhou, fmt.Sprintf("/api/v1/visits/%d", v.ID), &e); status != http.StatusNotFound {
		t.Errorf("汝州 reading 鲁山's visit: %d; want 404", status)
	}
	if status := sendJSON(t, ruzhou, "POST", "/api/v1/visits", body, &e); status != http.StatusNotFound || e.Error.Fields["target_id"] == "" {
		t.Errorf("汝州 visiting a resident of 鲁山: %d %+v; want 404 naming target_id", status, e)
	}
	if get(t, ruzhou, "/api/v1/ledger?"+q.Encode(), &ledger); len(ledger.Items) != 0 {
		t.Errorf("汝州's ledger shows %+v; want nothing of 鲁山", ledger.Items)
	}
}

func TestVisitPhotosAreUploadedByTheOfficerAndReadInScope(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	p := lushanPlace(t, st)
	body := fmt.Sprintf(`{"date":%q,"kind":"safety","target":"area","area_code":%q,"content":"安全检查"}`,
		time.Now().In(cunjing.Shanghai).Format("2006-01-02"), p.village)
	var v visitOut
	if status := sendJSON(t, srv, "POST", "/api/v1/visits", body, &v); status != http.StatusCreated {
		t.Fatalf("create visit: %d", status)
	}
	photo := pngBytes(t)
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/visits/%d/photos?caption=%s", srv.URL, v.ID, url.QueryEscape("现场")), bytes.NewReader(photo))
	req.Header.Set("Content-Type", "image/png")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var photos struct {
		Items []struct {
			Caption string `json:"caption"`
			URL     string `json:"url"`
		} `json:"items"`
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(text, &photos) != nil || len(photos.Items) != 1 || photos.Items[0].Caption != "现场" {
		t.Fatalf("upload: %d %s; want 201 listing the photo", resp.StatusCode, text)
	}
	status, image := raw(t, srv, "GET", photos.Items[0].URL)
	if status != http.StatusOK || image != string(photo) {
		t.Errorf("the photo: %d, %d bytes; want the PNG sent", status, len(image))
	}
	ruzhou, _ := newServerAsOn(t, st, "ruzhou")
	if status, _ := raw(t, ruzhou, "GET", photos.Items[0].URL); status != http.StatusNotFound {
		t.Errorf("汝州 reading the photo: %d; want 404", status)
	}
	if status, _ := raw(t, srv, "GET", fmt.Sprintf("/api/v1/visits/%d/photos/x", v.ID)); status != http.StatusNotFound {
		t.Errorf("photo x: %d; want 404", status)
	}
}

func TestTheLedgerExportIsASafeWorkbookAndAudited(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	p := lushanPlace(t, st)
	day := time.Now().In(cunjing.Shanghai)
	for _, content := range []string{"=HYPERLINK(\"http://x\",\"点我\")", "+1 走访"} {
		body := fmt.Sprintf(`{"date":%q,"kind":"publicity","target":"area","area_code":%q,"content":%q}`, day.Format("2006-01-02"), p.village, content)
		if status := sendJSON(t, srv, "POST", "/api/v1/visits", body, nil); status != http.StatusCreated {
			t.Fatalf("create visit: %d", status)
		}
	}
	q := url.Values{"under": {p.village}, "officer": {"lushan"}, "month": {day.Format("2006-01")}}
	resp, err := http.Get(srv.URL + "/api/v1/ledger/export?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="ledger-`) {
		t.Fatalf("export: %d %v %.200s", resp.StatusCode, resp.Header, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("台账")
	if err != nil || len(rows) != 3 || rows[0][0] != "日期" || rows[0][7] != "走访内容" {
		t.Fatalf("ledger sheet = %q, %v; want the header and two visits", rows, err)
	}
	contents := []string{rows[1][7], rows[2][7]}
	if !slices.Contains(contents, "'=HYPERLINK(\"http://x\",\"点我\")") || !slices.Contains(contents, "'+1 走访") {
		t.Errorf("contents = %q; want the formula-like cells neutralised with an apostrophe", contents)
	}
	if rows[1][1] != "法制宣传" || rows[1][4] != p.village || rows[1][5] != "lushan" {
		t.Errorf("first row = %q; want a publicity visit by lushan in %s", rows[1], p.village)
	}
	summary, err := f.GetRows("汇总")
	if err != nil || len(summary) != len(cunjing.VisitKinds)+1 || !slices.ContainsFunc(summary, func(row []string) bool { return slices.Equal(row, []string{"法制宣传", "2"}) }) {
		t.Errorf("summary sheet = %q, %v; want every kind, 2 publicity visits", summary, err)
	}
	exports, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionExport, Object: "ledger:"})
	if err != nil || len(exports) != 1 || exports[0].Actor != "lushan" || !strings.Contains(exports[0].Object, "month="+day.Format("2006-01")) {
		t.Errorf("export audit rows = %+v, %v; want one by lushan naming the month", exports, err)
	}
}
