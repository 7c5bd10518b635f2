package api_test

import (
	"archive/zip"
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
	"cunjing/internal/store/storetest"
)

// riIDNumber is a valid ID number of 鲁山县 born on 1901-02-03, a day the
// demo population does not use, with sequence seq.
func riIDNumber(seq int) string {
	s := fmt.Sprintf("41042319010203%03d", seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// riVillage is a village of 鲁山县 in the demo city.
func riVillage(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	var page struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	if status := get(t, srv, "/api/v1/areas?under=410423&level=village&limit=1", &page); status != 200 || len(page.Items) == 0 {
		t.Fatalf("a village of 鲁山县: %d %+v", status, page)
	}
	return page.Items[0].Code
}

// residentsCSV is a residents file of n persons of a village, the last
// with a bad phone.
func residentsCSV(village string, n int) string {
	var b strings.Builder
	b.WriteString("区划代码,地址,户号,姓名,证件号码,联系电话\n")
	for i := range n {
		phone := fmt.Sprintf("137%08d", i)
		if i == n-1 {
			phone = "12345"
		}
		fmt.Fprintf(&b, "%s,导入路%d号,RI%d,测试%c,%s,%s\n", village, i/3, i/3, '甲'+rune(i%10), riIDNumber(i), phone)
	}
	return b.String()
}

// uploadRecords sends one file to POST path and returns the answer.
func uploadRecords(t *testing.T, srv *httptest.Server, path, name string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		part, _ := mw.CreateFormFile("file", name)
		_, err := io.Copy(part, body)
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	resp, err := http.Post(srv.URL+path, mw.FormDataContentType(), pr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

// jobJSON is a job as the API shows it.
type jobJSON struct {
	ID       int64  `json:"id"`
	State    string `json:"state"`
	RowsDone int64  `json:"rows_done"`
	Added    int64  `json:"added"`
	Updated  int64  `json:"updated"`
	Refused  int64  `json:"refused"`
}

// waitForJob polls a job until it ended.
func waitForJob(t *testing.T, srv *httptest.Server, id int64) jobJSON {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		var job jobJSON
		if status := get(t, srv, fmt.Sprintf("/api/v1/imports/%d", id), &job); status != 200 {
			t.Fatalf("job %d: %d", id, status)
		}
		if job.State != "running" || time.Now().After(deadline) {
			return job
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startJob uploads a residents file and returns its job.
func startJob(t *testing.T, srv *httptest.Server, query, name, body string) jobJSON {
	t.Helper()
	resp, out := uploadRecords(t, srv, "/api/v1/imports/residents"+query, name, strings.NewReader(body))
	var job jobJSON
	if resp.StatusCode != http.StatusAccepted || json.Unmarshal(out, &job) != nil || job.ID == 0 ||
		resp.Header.Get("Location") != fmt.Sprintf("/api/v1/imports/%d", job.ID) {
		t.Fatalf("upload: %d %s", resp.StatusCode, out)
	}
	return job
}

func TestImportsRunInTheBackgroundAndReportTheRefusedRows(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	village := riVillage(t, srv)
	job := waitForJob(t, srv, startJob(t, srv, "", "户籍.csv", residentsCSV(village, 7)).ID)
	if job.State != "done" || job.RowsDone != 7 || job.Added != 6 || job.Refused != 1 {
		t.Fatalf("job = %+v; want 6 added and the bad phone refused", job)
	}
	wb := workbookAt(t, srv, fmt.Sprintf("/api/v1/imports/%d/report", job.ID))
	rows, _ := wb.GetRows("未导入的行")
	if len(rows) != 2 || rows[1][4] != riIDNumber(6) || rows[1][6] != "8" || !strings.HasPrefix(rows[1][7], "联系电话：号码不对") {
		t.Errorf("report = %q; want the refused row as in the file, its row number and why", rows)
	}
	trail, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionExport, Object: fmt.Sprintf("import:%d report", job.ID)})
	if err != nil || len(trail) != 1 || trail[0].Actor != "lushan" {
		t.Errorf("report audit = %+v, %v", trail, err)
	}
	again := startJob(t, srv, "", "again.csv", residentsCSV(village, 7))
	if again.ID != job.ID || again.State != "done" {
		t.Errorf("the same file again = %+v; want its finished job, nothing imported twice", again)
	}
	upsert := waitForJob(t, srv, startJob(t, srv, "?mode=upsert", "户籍.csv", residentsCSV(village, 7)).ID)
	if upsert.ID == job.ID || upsert.Added != 0 || upsert.Updated != 0 || upsert.Refused != 1 {
		t.Errorf("the same file in upsert mode = %+v; want nothing changed", upsert)
	}
}

func TestImportJobsBelongToTheirCreator(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	village := riVillage(t, srv)
	job := waitForJob(t, srv, startJob(t, srv, "", "r.csv", residentsCSV(village, 4)).ID)
	other, _ := newServerAsOn(t, st, "ruzhou")
	for _, c := range []struct{ method, path string }{{"GET", "/api/v1/imports/%d"}, {"GET", "/api/v1/imports/%d/report"},
		{"POST", "/api/v1/imports/%d/cancel"}} {
		resp, body := send(t, other, "", c.method, fmt.Sprintf(c.path, job.ID), "")
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s by another account: %d %s; want 404", c.method, c.path, resp.StatusCode, body)
		}
	}
	resp, body := send(t, srv, "", "POST", fmt.Sprintf("/api/v1/imports/%d/cancel", job.ID), "")
	var cancelled jobJSON
	if json.Unmarshal([]byte(body), &cancelled); resp.StatusCode != 200 || cancelled.State != "cancelled" {
		t.Fatalf("cancel: %d %s", resp.StatusCode, body)
	}
	var found struct {
		Items []any `json:"items"`
	}
	get(t, srv, "/api/v1/residents?under="+village+"&limit=500", &found)
	for _, item := range found.Items {
		if strings.Contains(fmt.Sprint(item), "导入路") {
			t.Errorf("after the rollback a resident of the import remains: %v", item)
		}
	}
}

// zipOf makes a zip of named parts.
func zipOf(t *testing.T, parts map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range parts {
			if !yield(k) {
				return
			}
		}
	}) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(parts[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportUploadsAreCheckedBeforeParsing(t *testing.T) {
	srv, _ := newServerAs(t, "lushan")
	village := riVillage(t, srv)
	workbook := []byte("<workbook/>")
	cases := []struct {
		name   string
		file   string
		body   io.Reader
		status int
		code   string
	}{
		{"a CSV renamed .xlsx", "r.xlsx", strings.NewReader(residentsCSV(village, 2)), 415, "unsupported"},
		{"an old or encrypted workbook", "r.xlsx", bytes.NewReader([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}), 415, "unsupported"},
		{"a macro workbook", "r.xlsm", bytes.NewReader(zipOf(t, map[string][]byte{"xl/workbook.xml": workbook, "xl/vbaProject.bin": {1, 2, 3}})), 415, "unsupported"},
		{"a zip bomb", "r.xlsx", bytes.NewReader(zipOf(t, map[string][]byte{"xl/workbook.xml": workbook,
			"xl/worksheets/sheet1.xml": make([]byte, 64<<20)})), 422, "unprocessable"},
		{"a header without the columns", "r.csv", strings.NewReader("姓名,电话\n王五,13800000000\n"), 400, "invalid"},
		{"an oversized file", "big.csv", io.MultiReader(strings.NewReader("区划代码,姓名,证件号码\n"), io.LimitReader(zeros{}, 256<<20)), 413, "too_large"},
	}
	for _, c := range cases {
		resp, out := uploadRecords(t, srv, "/api/v1/imports/residents", c.file, c.body)
		var e apiError
		json.Unmarshal(out, &e)
		if resp.StatusCode != c.status || e.Error.Code != c.code {
			t.Errorf("%s: %d %s; want %d %s", c.name, resp.StatusCode, out, c.status, c.code)
		}
	}
	var health map[string]string
	if status := get(t, srv, "/healthz", &health); status != 200 {
		t.Errorf("after the refused uploads /healthz = %d", status)
	}
}

func TestTemplatesAndExportsOfRegisters(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	village := riVillage(t, srv)
	waitForJob(t, srv, startJob(t, srv, "", "r.csv", residentsCSV(village, 4)).ID)
	tpl := workbookAt(t, srv, "/api/v1/templates/residents")
	if header, _ := tpl.GetRows("实有人口"); len(header) != 1 || header[0][6] != "证件号码" {
		t.Errorf("template header = %q", header)
	}
	if resp, _ := send(t, srv, "", "GET", "/api/v1/templates/nothing", ""); resp.StatusCode != 404 {
		t.Errorf("template of an unknown kind: %d", resp.StatusCode)
	}
	full := exportedIDs(t, workbookAt(t, srv, "/api/v1/exports/residents?under="+village))
	if !slices.Contains(full, riIDNumber(1)) {
		t.Errorf("export for 鲁山县's administrator lacks %s in full", riIDNumber(1))
	}
	trail, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionExport, Object: "register:residents under=" + village})
	if err != nil || len(trail) != 1 || trail[0].Actor != "lushan" {
		t.Errorf("export audit = %+v, %v", trail, err)
	}
	leader, _ := newServerAsOn(t, st, "leader")
	masked := exportedIDs(t, workbookAt(t, leader, "/api/v1/exports/residents?under="+village))
	if !slices.Contains(masked, cunjing.MaskIDNumber(riIDNumber(1))) || slices.Contains(masked, riIDNumber(1)) {
		t.Errorf("export for the leader shows ID numbers in full")
	}
	for path, want := range map[string]int{"/api/v1/exports/residents?under=410482": 404, "/api/v1/exports/residents": 400,
		"/api/v1/exports/rentals?under=" + village: 404} {
		if resp, body := send(t, srv, "", "GET", path, ""); resp.StatusCode != want {
			t.Errorf("GET %s: %d %s; want %d", path, resp.StatusCode, body, want)
		}
	}
}

// exportedIDs lists the 证件号码 column of a residents export.
func exportedIDs(t *testing.T, wb *excelize.File) []string {
	t.Helper()
	rows, err := wb.GetRows("实有人口")
	if err != nil || len(rows) == 0 {
		t.Fatalf("export: %v", err)
	}
	col := slices.Index(rows[0], "证件号码")
	var ids []string
	for _, r := range rows[1:] {
		if col < len(r) {
			ids = append(ids, r[col])
		}
	}
	return ids
}
