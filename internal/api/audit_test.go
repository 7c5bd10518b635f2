package api_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/api"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// auditPage is one page of GET /api/v1/audit.
type auditPage struct {
	Items []struct {
		Seq       int64     `json:"seq"`
		At        time.Time `json:"at"`
		Actor     string    `json:"actor"`
		UnitCode  string    `json:"unit_code"`
		IP        string    `json:"ip"`
		Action    string    `json:"action"`
		Object    string    `json:"object"`
		Result    string    `json:"result"`
		RequestID string    `json:"request_id"`
		Detail    string    `json:"detail"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// seqs returns the sequence numbers of the page's rows.
func (p auditPage) seqs() []int64 {
	var seqs []int64
	for _, it := range p.Items {
		seqs = append(seqs, it.Seq)
	}
	return seqs
}

// searchAudit fetches one page of the audit search with the query q.
func searchAudit(t *testing.T, srv *httptest.Server, q url.Values) auditPage {
	t.Helper()
	var page auditPage
	if status := get(t, srv, "/api/v1/audit?"+q.Encode(), &page); status != 200 {
		t.Fatalf("audit?%s: %d", q.Encode(), status)
	}
	return page
}

// officerCtx is an officer's request, for audit rows of a known actor.
func officerCtx(username string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: cunjing.RoleOfficer,
		UnitCode: "410423510100", IP: "10.4.1.7", RequestID: "req-" + username})
}

func auditRow(t *testing.T, st *store.Store, ctx context.Context, action, object string) {
	t.Helper()
	if err := st.Audit(ctx, action, object, cunjing.ResultOK, ""); err != nil {
		t.Fatal(err)
	}
}

func TestAuditSearchFilters(t *testing.T) {
	srv, st := newServerAs(t, "auditor")
	li, wang := officerCtx("li.na"), officerCtx("wang.qiang")
	auditRow(t, st, li, cunjing.ActionReadPersonal, "resident 1001")
	time.Sleep(5 * time.Millisecond)
	middle := time.Now()
	time.Sleep(5 * time.Millisecond)
	auditRow(t, st, wang, cunjing.ActionReadPersonal, "resident 1002")
	auditRow(t, st, li, cunjing.ActionBreakGlass, "resident 2001")

	first := searchAudit(t, srv, url.Values{"actor": {"li.na"}})
	if len(first.Items) != 2 || first.Items[0].Object != "resident 2001" || first.Items[1].Object != "resident 1001" {
		t.Fatalf("actor li.na: %+v; want her two rows, newest first", first.Items)
	}
	row := first.Items[1]
	if _, offset := row.At.Zone(); offset != 8*3600 || row.UnitCode != "410423510100" || row.IP != "10.4.1.7" ||
		row.RequestID != "req-li.na" || row.Result != "ok" || row.Action != cunjing.ActionReadPersonal {
		t.Errorf("row = %+v; want the time in Asia/Shanghai and every field", row)
	}
	day := row.At.Format(cunjing.DateLayout)
	dayBefore := row.At.AddDate(0, 0, -1).Format(cunjing.DateLayout)
	dayAfter := row.At.AddDate(0, 0, 1).Format(cunjing.DateLayout)
	stamp := middle.Format(time.RFC3339Nano)
	cases := []struct {
		name  string
		q     url.Values
		wantN int
		want  []string // objects, newest first
	}{
		{"action", url.Values{"action": {cunjing.ActionReadPersonal}}, 2, []string{"resident 1002", "resident 1001"}},
		{"object contains", url.Values{"object": {"resident 200"}}, 1, []string{"resident 2001"}},
		{"actor and action", url.Values{"actor": {"WANG.QIANG"}, "action": {cunjing.ActionReadPersonal}}, 1, []string{"resident 1002"}},
		{"from a time", url.Values{"from": {stamp}, "action": {cunjing.ActionReadPersonal}}, 1, []string{"resident 1002"}},
		{"to a time", url.Values{"to": {stamp}, "action": {cunjing.ActionReadPersonal}}, 1, []string{"resident 1001"}},
		{"that day", url.Values{"from": {day}, "to": {day}, "action": {cunjing.ActionReadPersonal}}, 2, nil},
		{"to the day before", url.Values{"to": {dayBefore}, "action": {cunjing.ActionReadPersonal}}, 0, nil},
		{"from the day after", url.Values{"from": {dayAfter}, "action": {cunjing.ActionReadPersonal}}, 0, nil},
	}
	for _, c := range cases {
		page := searchAudit(t, srv, c.q)
		var objects []string
		for _, it := range page.Items {
			objects = append(objects, it.Object)
		}
		if len(objects) != c.wantN || c.want != nil && !slices.Equal(objects, c.want) {
			t.Errorf("%s (%s): %q; want %d rows %q", c.name, c.q.Encode(), objects, c.wantN, c.want)
		}
	}
}

func TestAuditSearchNamesBadParameters(t *testing.T) {
	srv, _ := newServerAs(t, "auditor")
	cases := map[string]string{
		"from=2026-02-30":                    "from",
		"to=yesterday":                       "to",
		"from=2026-03-05&to=2026-03-01":      "to",
		"action=delete_everything":           "action",
		"limit=0":                            "limit",
		"object=" + strings.Repeat("x", 101): "object",
	}
	for q, field := range cases {
		for _, path := range []string{"/api/v1/audit?", "/api/v1/audit/export.xlsx?"} {
			if field == "limit" && strings.Contains(path, "export") {
				continue
			}
			var e apiError
			if status := get(t, srv, path+q, &e); status != 400 || e.Error.Code != "invalid" || e.Error.Fields[field] == "" {
				t.Errorf("%s%s: %d %+v; want 400 naming %s", path, q, status, e.Error, field)
			}
		}
	}
}

func TestAuditPagesWalkWithoutGapsAndQueriesAreAudited(t *testing.T) {
	srv, st := newServerAs(t, "auditor")
	for i := range 23 {
		auditRow(t, st, officerCtx("li.na"), cunjing.ActionConfigChange, "setting "+strconv.Itoa(i))
	}
	var seqs []int64
	q := url.Values{"action": {cunjing.ActionConfigChange}, "limit": {"10"}}
	pages := 0
	for {
		page := searchAudit(t, srv, q)
		pages++
		seqs = append(seqs, page.seqs()...)
		if page.NextCursor == "" || pages > 5 {
			break
		}
		q.Set("cursor", page.NextCursor)
	}
	if pages != 3 || len(seqs) != 23 {
		t.Fatalf("%d pages, %d rows; want 3 pages of the 23 rows", pages, len(seqs))
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]-1 {
			t.Fatalf("pages list %v; want consecutive rows, newest first, each once", seqs)
		}
	}

	queries := searchAudit(t, srv, url.Values{"action": {cunjing.ActionAuditQuery}, "object": {"config_change"}})
	if len(queries.Items) != 3 {
		t.Fatalf("%d audit_query rows for the three pages; want 3: %+v", len(queries.Items), queries.Items)
	}
	if q := queries.Items[0]; q.Actor != "auditor" || q.Object != `action="config_change"` || q.Detail != "3 rows" {
		t.Errorf("audit_query row = %+v; want the auditor, the filter and the rows of the last page", q)
	}
}

// exportAudit downloads the audit export with the query q and returns its rows.
func exportAudit(t *testing.T, srv *httptest.Server, q url.Values) [][]string {
	t.Helper()
	resp, err := http.Get(srv.URL + "/api/v1/audit/export.xlsx?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="audit-`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export: %d %v %.200s", resp.StatusCode, resp.Header, body)
	}
	f, err := excelize.OpenReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("the export does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("audit")
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestAuditExportIsASafeWorkbookAndAudited(t *testing.T) {
	srv, st := newServerAs(t, "auditor")
	auditRow(t, st, officerCtx("li.na"), cunjing.ActionConfigChange, "retention 365d")
	if err := st.Audit(storetest.Ctx(), cunjing.ActionConfigChange, "=cmd|' /C calc'!A0", cunjing.ResultOK, "@SUM(1+1)"); err != nil {
		t.Fatal(err)
	}
	latest := searchAudit(t, srv, url.Values{"action": {cunjing.ActionConfigChange}}).Items

	rows := exportAudit(t, srv, url.Values{"action": {cunjing.ActionConfigChange}})
	header := []string{"seq", "at (Asia/Shanghai)", "actor", "unit_code", "ip", "action", "object", "result", "request_id", "detail"}
	if len(rows) != 3 || !slices.Equal(rows[0], header) {
		t.Fatalf("export rows = %q; want the header and the two rows", rows)
	}
	formula := rows[1]
	if formula[0] != strconv.FormatInt(latest[0].Seq, 10) || formula[1] != latest[0].At.Format("2006-01-02 15:04:05") ||
		formula[2] != "system" || formula[5] != cunjing.ActionConfigChange || formula[7] != "ok" {
		t.Errorf("newest row = %q; want row %d at %s in Shanghai", formula, latest[0].Seq, latest[0].At)
	}
	if formula[6] != "'=cmd|' /C calc'!A0" || formula[9] != "'@SUM(1+1)" {
		t.Errorf("formula-like cells = %q, %q; want them to start with an apostrophe", formula[6], formula[9])
	}
	if plain := rows[2]; plain[2] != "li.na" || plain[4] != "10.4.1.7" || plain[6] != "retention 365d" || plain[8] != "req-li.na" {
		t.Errorf("second row = %q", plain)
	}

	exports := searchAudit(t, srv, url.Values{"action": {cunjing.ActionAuditExport}}).Items
	if len(exports) != 1 || exports[0].Actor != "auditor" || exports[0].Object != `action="config_change"` || exports[0].Detail != "2 rows" {
		t.Errorf("audit_export rows = %+v; want one by the auditor naming the filter and the rows", exports)
	}
}

func TestAuditExportSaysWhenItIsCut(t *testing.T) {
	srv, st := newServerAs(t, "auditor")
	api.SetAuditExportMax(t, 2)
	for i := range 3 {
		auditRow(t, st, officerCtx("li.na"), cunjing.ActionConfigChange, "setting "+strconv.Itoa(i))
	}
	rows := exportAudit(t, srv, url.Values{"actor": {"li.na"}})
	if len(rows) != 4 || rows[1][6] != "setting 2" || rows[2][6] != "setting 1" || !strings.HasPrefix(rows[3][0], "cut at 2 rows") {
		t.Errorf("cut export = %q; want the two newest rows and a last row saying it was cut", rows)
	}
	exports := searchAudit(t, srv, url.Values{"action": {cunjing.ActionAuditExport}}).Items
	if len(exports) != 1 || exports[0].Detail != "2 rows, cut at 2" {
		t.Errorf("audit_export rows = %+v; want the cut recorded", exports)
	}
}
