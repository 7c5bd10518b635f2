package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// postFile sends one file as multipart/form-data to path.
func postFile(t *testing.T, srv *httptest.Server, path, name string, body []byte) (*http.Response, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, _ := mw.CreateFormFile("files", name)
	part.Write(body)
	mw.Close()
	resp, err := http.Post(srv.URL+path, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

// workbookAt downloads a workbook.
func workbookAt(t *testing.T, srv *httptest.Server, path string) *excelize.File {
	t.Helper()
	status, body := raw(t, srv, "GET", path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, status, body)
	}
	wb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: not a workbook: %v", path, err)
	}
	t.Cleanup(func() { wb.Close() })
	return wb
}

// lushanPost returns a station of 鲁山县 and a village it serves.
func lushanPost(t *testing.T, st *store.Store) (station, village string) {
	t.Helper()
	ctx := storetest.Ctx()
	units, _, err := st.FindUnits(ctx, cunjing.UnitFilter{Under: "410423000000", Kind: cunjing.UnitStation, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(units) == 0 {
		t.Fatalf("a station of 鲁山县: %v", err)
	}
	areas, _, err := st.FindAreas(ctx, cunjing.AreaFilter{Under: units[0].Jurisdiction[0], Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(areas) == 0 {
		t.Fatalf("a village of %s: %v", units[0].Jurisdiction[0], err)
	}
	return units[0].Code, areas[0].Code
}

func TestStaffTemplateImportAndExportOverTheAPI(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	station, village := lushanPost(t, st)
	wb := workbookAt(t, srv, "/api/v1/staff/template.xlsx")
	today := time.Now().In(cunjing.Shanghai).Format("2006-01-02")
	wb.SetSheetRow("人员", "A2", &[]any{"张立新", "民警", station, "13800001234", "990101"})
	wb.SetSheetRow("包保", "A2", &[]any{village, "990101", nil, "责任民警", today, "是"})
	var filled bytes.Buffer
	wb.WriteTo(&filled)

	resp, body := postFile(t, srv, "/api/v1/staff/import", "人员.xlsx", filled.Bytes())
	var res struct {
		StaffAdded int `json:"staff_added"`
		PostsAdded int `json:"posts_added"`
	}
	json.Unmarshal(body, &res)
	if resp.StatusCode != http.StatusOK || res.StaffAdded != 1 || res.PostsAdded != 1 {
		t.Fatalf("import: %d %s; want one member and one post added", resp.StatusCode, body)
	}

	rows, _ := workbookAt(t, srv, "/api/v1/staff/export.xlsx?unit="+station).GetRows("人员")
	if !slices.ContainsFunc(rows, func(r []string) bool {
		return len(r) > 4 && r[0] == "张立新" && r[3] == "138****1234" && r[4] == "990101"
	}) {
		t.Errorf("staff export = %v; want the new officer with his phone masked", rows)
	}
	exports, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionExport})
	if err != nil || len(exports) != 1 || exports[0].Object != "staff:"+station || exports[0].Actor != "lushan" {
		t.Errorf("audit rows of the staff export: %+v, %v; want one by lushan for staff:%s", exports, err, station)
	}
	rows, _ = workbookAt(t, srv, "/api/v1/assignments/export.xlsx?under="+village).GetRows("包保")
	if !slices.ContainsFunc(rows, func(r []string) bool {
		return len(r) > 4 && r[0] == village && r[1] == "990101" && r[3] == "责任民警" && r[4] == today
	}) {
		t.Errorf("assignment export = %v; want the new post", rows)
	}
	if status, _ := raw(t, srv, "GET", "/api/v1/assignments/export.xlsx?history=maybe"); status != http.StatusBadRequest {
		t.Errorf("history=maybe: %d; want 400", status)
	}
}

func TestStaffImportListsEveryBadRowOverTheAPI(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	station, _ := lushanPost(t, st)
	csv := fmt.Sprintf("姓名,类别,单位代码,警号\n赵一,民警,%s,\n钱二,警察,%s,\n", station, station)
	resp, body := postFile(t, srv, "/api/v1/staff/import", "staff.csv", []byte(csv))
	var e struct {
		Error struct {
			Code     string `json:"code"`
			Problems []struct {
				File    string `json:"file"`
				Line    int    `json:"line"`
				Column  string `json:"column"`
				Message string `json:"message"`
			} `json:"problems"`
			Total int `json:"total"`
		} `json:"error"`
	}
	json.Unmarshal(body, &e)
	if resp.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" || e.Error.Total != 2 {
		t.Fatalf("%d %s; want 400 with two problems", resp.StatusCode, body)
	}
	first, second := e.Error.Problems[0], e.Error.Problems[1]
	if first.File != "staff.csv" || first.Line != 2 || first.Column != "警号" || !strings.Contains(first.Message, "6 位数字") ||
		second.Line != 3 || second.Column != "类别" {
		t.Errorf("problems = %+v", e.Error.Problems)
	}
	if found, _, _ := st.FindStaff(storetest.Ctx(), cunjing.StaffFilter{Query: "赵一"}); len(found) != 0 {
		t.Errorf("a refused import wrote %v", found)
	}
}

func TestStaffImportAndExportNeedToManageStaff(t *testing.T) {
	for user, want := range map[string]int{"": 401, "officer": 403, "auditor": 403, "leader": 403, "chief": 200} {
		srv, _ := newServerAs(t, user)
		for _, path := range []string{"/api/v1/staff/template.xlsx", "/api/v1/staff/export.xlsx", "/api/v1/assignments/export.xlsx"} {
			if status, _ := raw(t, srv, "GET", path); status != want {
				t.Errorf("GET %s as %q: %d; want %d", path, user, status, want)
			}
		}
		if want == 200 {
			want = 400 // an empty upload
		}
		if resp, _ := postFile(t, srv, "/api/v1/staff/import", "x.csv", nil); resp.StatusCode != want {
			t.Errorf("POST import as %q: %d; want %d", user, resp.StatusCode, want)
		}
	}
}
