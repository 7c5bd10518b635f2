package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// uploadStaff posts files to the staff import page as its form does.
func uploadStaff(t *testing.T, h http.Handler, files ...csvFile) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, f := range files {
		part, err := mw.CreateFormFile("files", f.name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write(f.body)
	}
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/staff/import", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return serve(t, h, r)
}

// firstLushanStation returns the code of a station of 鲁山县.
func firstLushanStation(t *testing.T, st *store.Store) string {
	t.Helper()
	units, _, err := st.FindUnits(storetest.Ctx(), cunjing.UnitFilter{Under: "410423000000", Kind: cunjing.UnitStation, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(units) == 0 {
		t.Fatalf("a station of 鲁山县: %v", err)
	}
	return units[0].Code
}

func TestStaffImportPageOffersTheTemplateAndExports(t *testing.T) {
	h, _ := demoUIAs(t, "lushan")
	res, body := get(t, h, "/staff/import")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "import page", body, `action="/staff/import"`, `enctype="multipart/form-data"`, `name="files"`,
		`href="/staff/template.xlsx"`, `action="/staff/export.xlsx"`, `href="/staff/posts.xlsx?history=1"`, "下载模板")
	res, body = get(t, h, "/staff/template.xlsx")
	wantStatus(t, res, http.StatusOK)
	wb, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the template is not a workbook: %v", err)
	}
	defer wb.Close()
	if sheets := strings.Join(wb.GetSheetList(), ","); sheets != "人员,包保,说明" {
		t.Errorf("template sheets = %s", sheets)
	}
	for _, path := range []string{"/staff/export.xlsx", "/staff/posts.xlsx", "/staff/posts.xlsx?history=1"} {
		if res, _ := get(t, h, path); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	if res, _ := get(t, h, "/staff/export.xlsx?unit=abc"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("export of unit abc: %d; want 400", res.StatusCode)
	}
	res, body = get(t, h, "/staff")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "staff register", body, `href="/staff/import"`)
}

func TestStaffImportPageListsRowColumnAndReason(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	station := firstLushanStation(t, st)
	bad := "姓名,类别,单位代码,警号\n赵一,民警," + station + ",\n钱二,警察," + station + ",\n"
	res, body := uploadStaff(t, h, csvFile{"staff.csv", []byte(bad)})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, "problems", body, "共 2 处错误，未导入任何数据。", "<th scope=\"col\">列</th>",
		`<td class="num" data-label="行">2</td>`, `<td data-label="列">警号</td>`, "民警的警号应为 6 位数字",
		`<td data-label="列">类别</td>`)

	good := "姓名,类别,单位代码,手机,警号\n赵一,民警," + station + ",13800001234,990201\n"
	res, body = uploadStaff(t, h, csvFile{"staff.csv", []byte(good)})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "result", body, "导入完成", "新增人员", "UTF-8")
	if found, _, _ := st.FindStaff(storetest.Ctx(), cunjing.StaffFilter{Query: "990201"}); len(found) != 1 || found[0].Name != "赵一" {
		t.Errorf("imported staff = %+v", found)
	}
}

func TestStaffImportNeedsToManageStaff(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	for _, path := range []string{"/staff/import", "/staff/template.xlsx", "/staff/export.xlsx", "/staff/posts.xlsx"} {
		if res, _ := get(t, h, path); res.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s as an officer: %d; want 403", path, res.StatusCode)
		}
	}
	if res, _ := uploadStaff(t, h, csvFile{"x.csv", []byte("姓名,类别,单位代码\n")}); res.StatusCode != http.StatusForbidden {
		t.Errorf("upload as an officer: %d; want 403", res.StatusCode)
	}
}
