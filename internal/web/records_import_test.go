package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// testJobs runs the imports of a test UI, stopped when the test ends.
func testJobs(t *testing.T, st *store.Store) *importer.RecordJobs {
	jobs := &importer.RecordJobs{Store: st, Dir: filepath.Join(t.TempDir(), "imports")}
	t.Cleanup(jobs.Stop)
	return jobs
}

// residentsCSV is a register of two people of the village and one whose
// ID number is mistyped.
func residentsCSV(village string) (string, []string) {
	ids := []string{testIDNumber("410423", "19700101", 11), testIDNumber("410423", "19720202", 22)}
	bad := ids[1][:17] + map[bool]string{true: "1", false: "0"}[ids[1][17] == '0']
	lines := []string{"区划代码,地址,户号,与户主关系,姓名,证件类型,证件号码,性别,出生日期,联系电话,人员类别,留守类型,状态,备注",
		village + ",幸福路1号,H1,户主,张大山,身份证," + ids[0] + ",,,13812345678,户籍,,在住,",
		village + ",幸福路1号,H1,配偶,李秀英,身份证," + ids[1] + ",,,,户籍,,在住,",
		village + ",幸福路2号,H2,户主,王小二,身份证," + bad + ",,,,户籍,,在住,"}
	return strings.Join(lines, "\n") + "\n", ids
}

// postImport sends the import form: the fields in order, then the file.
func postImport(t *testing.T, h http.Handler, fields [][2]string, name, content string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(content))
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/import/records", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return serve(t, h, r)
}

// importedJob posts a file and returns its job's page once the job ended.
func importedJob(t *testing.T, h http.Handler, st *store.Store, content string) (string, *cunjing.ImportJob) {
	t.Helper()
	res, body := postImport(t, h, [][2]string{{"kind", "residents"}, {"mode", "add"}}, "residents.csv", content)
	wantStatus(t, res, http.StatusSeeOther)
	page := res.Header.Get("Location")
	var id int64
	if _, err := fmt.Sscanf(page, "/import/records/%d", &id); err != nil {
		t.Fatalf("the import goes to %q (%.300s)", page, body)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		job, err := st.ImportJob(storetest.Ctx(), id)
		if err != nil {
			t.Fatal(err)
		}
		if job.State != cunjing.ImportRunning {
			return page, job
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d still running", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestRecordImportPageOffersKindsModesTemplatesAndExport(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	res, body := get(t, h, "/import/records")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the import page", body, `method="post" action="/import/records" enctype="multipart/form-data"`,
		`name="kind" value="residents" checked`, `name="kind" value="rentals"`, `name="mode" value="upsert"`, `type="file" name="file"`,
		`href="/import/templates/orgs"`, `action="/import/export.xlsx"`, `<a href="/import/records" aria-current="page">导入导出</a>`)
	leader := newTestUI(t, st, "leader")
	res, _ = get(t, leader, "/import/records")
	wantStatus(t, res, http.StatusForbidden)
	res, _ = get(t, leader, "/import/export.xlsx?kind=residents&under=410423")
	wantStatus(t, res, http.StatusForbidden)
}

func TestRecordImportRunsShowsItsCountsAndReportsBadRows(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	content, ids := residentsCSV(village)
	page, job := importedJob(t, h, st, content)
	if job.State != cunjing.ImportDone || job.Added != 2 || job.Refused != 1 || job.CreatedBy != "officer" {
		t.Fatalf("the job ended as %+v; want 2 added and 1 refused", job)
	}
	res, body := get(t, h, page)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the finished job", body, "导入完成", "<dt>新增</dt><dd>2</dd>", `<dt>未导入</dt><dd class="bad">1</dd>`,
		`href="`+page+`/report.xlsx"`, "撤销本次导入", "residents.csv")
	if strings.Contains(body, "hx-trigger") {
		t.Error("a finished job is still polled")
	}

	res, report := get(t, h, page+"/report.xlsx")
	wantStatus(t, res, http.StatusOK)
	wb, err := excelize.OpenReader(strings.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows(importer.RefusedSheetName)
	if err != nil || len(rows) != 2 || rows[1][4] != "王小二" {
		t.Errorf("the report's refused rows are %v (%v); want 王小二's", rows, err)
	}
	entries, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionExport})
	if err != nil || len(entries) != 1 || entries[0].Object != fmt.Sprintf("import:%d report", job.ID) {
		t.Errorf("audit of the report: %+v, %v", entries, err)
	}

	_, found := postFind(t, h, ids[0], false)
	wantContains(t, "a search for an imported person", found, "张大山")
}

func TestRecordImportProgressPollsWhileTheJobRuns(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	ctx := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "officer", Role: cunjing.RoleOfficer,
		Scope: cunjing.Scope{All: true}})
	sess, err := st.BeginImport(ctx, cunjing.ImportStart{Kind: cunjing.ImportOrgs, Mode: cunjing.ImportAdd, FileName: "orgs.csv",
		FileHash: strings.Repeat("ab", 32), FileSize: 100, Header: []string{"区划代码", "单位名称"}})
	if err != nil {
		t.Fatal(err)
	}
	job := sess.Job()
	sess.Close() // left running, as a stopped server leaves it
	page := fmt.Sprintf("/import/records/%d", job.ID)
	res, body := get(t, h, page, "HX-Request: true")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the progress of a running job", body, `hx-get="`+page+`" hx-trigger="every 1s" hx-swap="outerHTML"`,
		"正在导入", "<progress", "撤销本次导入")
	if strings.Contains(body, "<html") {
		t.Error("the poll gets a whole page")
	}
	chief := newTestUI(t, st, "chief")
	res, _ = get(t, chief, page)
	wantStatus(t, res, http.StatusNotFound)
}

func TestRecordImportCancelRollsItBack(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	content, _ := residentsCSV(village)
	page, _ := importedJob(t, h, st, content)
	res, _ := postForm(t, h, page+"/cancel", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != page+"?done=cancelled" {
		t.Fatalf("the cancel goes to %q", loc)
	}
	_, body := get(t, h, page+"?done=cancelled")
	wantContains(t, "the cancelled job", body, "本次导入已撤销。", "已撤销")
	people, _, err := st.FindResidents(storetest.Ctx(), cunjing.ResidentFilter{Under: village})
	if err != nil || len(people) != 0 {
		t.Errorf("after the rollback %d residents remain (%v)", len(people), err)
	}
}

func TestRecordImportRefusesBadUploadsWithTheReason(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	cases := []struct {
		fields     [][2]string
		name, body string
		status     int
		says       string
	}{
		{[][2]string{{"kind", "residents"}, {"mode", "add"}}, "", "", http.StatusBadRequest, "请选择要导入的文件。"},
		{[][2]string{{"kind", "people"}, {"mode", "add"}}, "a.csv", "x\n", http.StatusBadRequest, "请选择导入什么"},
		{[][2]string{{"kind", "residents"}, {"mode", "add"}}, "a.xlsx", "姓名,证件号码\n", http.StatusUnsupportedMediaType, "不支持这种文件"},
		{[][2]string{{"kind", "residents"}, {"mode", "add"}}, "a.csv", "名字,电话\n张三,13812345678\n", http.StatusUnprocessableEntity, "文件的表头不对"},
	}
	for _, c := range cases {
		res, body := postImport(t, h, c.fields, c.name, c.body)
		if res.StatusCode != c.status {
			t.Errorf("upload %q as %v: status %d, want %d", c.name, c.fields, res.StatusCode, c.status)
		}
		wantContains(t, "the refusal of "+c.name, body, c.says, `action="/import/records"`)
	}
}

func TestRecordTemplatesAndRegisterExport(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	res, body := get(t, h, "/import/templates/residents")
	wantStatus(t, res, http.StatusOK)
	wb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	header, _ := wb.GetRows(wb.GetSheetName(0))
	wb.Close()
	if len(header) == 0 || !strings.Contains(strings.Join(header[0], ","), "证件号码") {
		t.Errorf("the residents template starts %v", header)
	}
	res, _ = get(t, h, "/import/templates/people")
	wantStatus(t, res, http.StatusNotFound)

	id := testIDNumber("410423", "19800101", 11)
	addResident(t, st, village, "张三", id, "13812345678")
	res, body = get(t, h, "/import/export.xlsx?kind=residents&under="+village)
	wantStatus(t, res, http.StatusOK)
	wb, err = excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, _ := wb.GetRows(wb.GetSheetName(0))
	if len(rows) != 2 || rows[1][4] != "张三" {
		t.Errorf("the export is %v; want 张三", rows)
	}
	entries, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionExport})
	if err != nil || len(entries) != 1 || entries[0].Object != "register:residents under="+village {
		t.Errorf("audit of the export: %+v, %v", entries, err)
	}
	res, body = get(t, h, "/import/export.xlsx?kind=residents&under="+firstVillage(t, st, "410482").Code)
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, "an export out of scope", body, "您的辖区内没有这个区划代码。")
}

func TestRecordImportRefusesCrossSitePosts(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	guarded := http.NewCrossOriginProtection().Handler(h)
	for _, path := range []string{"/import/records", "/import/records/1/cancel"} {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(""))
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		res, _ := serve(t, guarded, r)
		wantStatus(t, res, http.StatusForbidden)
	}
}
