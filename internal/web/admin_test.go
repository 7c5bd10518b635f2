package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// adminUI serves the UI over an empty store to its only account, the
// system administrator.
func adminUI(t *testing.T) (http.Handler, *store.Store) {
	t.Helper()
	st := newStore(t)
	return newTestUI(t, st, cunjing.FirstAdminName), st
}

// csvFile is a file to upload.
type csvFile struct {
	name string
	body []byte
}

// postFiles uploads files to the import page as the form does, signed in
// as the administrator.
func postFiles(t *testing.T, h http.Handler, files ...csvFile) (*http.Response, string) {
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
	r := httptest.NewRequest(http.MethodPost, "/admin/divisions", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return serve(t, h, r)
}

func TestImportNeedsTheAdministrator(t *testing.T) {
	visitor, _ := demoUIAs(t, "")
	res, _ := get(t, visitor, "/admin/divisions")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login?next=%2Fadmin%2Fdivisions" {
		t.Errorf("a visitor is sent to %q; want the login page", loc)
	}

	city, _ := demoUIAs(t, "city")
	res, body := get(t, city, "/admin/divisions")
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, "403 page", body, "<h1>无权访问</h1>")
	res, _ = serve(t, city, httptest.NewRequest(http.MethodPost, "/admin/divisions?lang=en", strings.NewReader("x")))
	wantStatus(t, res, http.StatusForbidden)

	admin, _ := adminUI(t)
	res, body = get(t, admin, "/admin/divisions")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "import form", body, `enctype="multipart/form-data"`, `name="files"`, "multiple", "streetCode", "GBK")
}

func TestImportWithABadLineWritesNothing(t *testing.T) {
	h, st := adminUI(t)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("code,name\n42,\"湖北省\"\n4X,\"湖南省\"\n")
	if err != nil {
		t.Fatal(err)
	}
	res, body := postFiles(t, h, csvFile{"provinces-gbk.csv", []byte(gbk)})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	problems := between(body, "<tbody>", "</tbody>")
	wantContains(t, "bad lines", problems, "provinces-gbk.csv", `data-label="行号">3</td>`, "has a character that is not a digit")
	wantContains(t, "import page", body, "共 1 行有误，未导入任何数据。")
	if _, err := st.AreaDetail(storetest.Ctx(), "42"); cunjing.ErrorCode(err) != cunjing.ENotFound {
		t.Errorf("after a failed import, area 42: err %v, want not found", err)
	}
}

func TestImportAddsAProvince(t *testing.T) {
	h, st := adminUI(t)
	res, body := postFiles(t, h, csvFile{"42-provinces.csv", []byte("code,name\n42,\"湖北省\"\n")})
	wantStatus(t, res, http.StatusOK)
	report := between(body, `<section class="notice notice-ok"`, "</section>")
	wantContains(t, "report", report, "<dt>新增</dt><dd>1</dd>", "<dt>更名</dt><dd>0</dd>", "<dt>未变</dt><dd>0</dd>",
		`<td class="name">42-provinces.csv</td><td data-label="编码">UTF-8</td>`)
	if a, err := st.AreaDetail(storetest.Ctx(), "42"); err != nil || a.Name != "湖北省" {
		t.Errorf("after the import, area 42 = %v, %v; want 湖北省", a, err)
	}
}

func TestImportWithoutFiles(t *testing.T) {
	h, _ := adminUI(t)
	res, body := postFiles(t, h)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantContains(t, "import page", body, "请至少选择一个 CSV 文件。")
}

func TestImportOverTheLimit(t *testing.T) {
	h, _ := adminUI(t)
	const boundary = "cunjing-test-boundary"
	body := io.MultiReader(
		strings.NewReader("--"+boundary+"\r\nContent-Disposition: form-data; name=\"files\"; filename=\"huge.csv\"\r\nContent-Type: text/csv\r\n\r\n"),
		io.LimitReader(filler{}, httpx.MaxUploadBody+1),
		strings.NewReader("\r\n--"+boundary+"--\r\n"),
	)
	r := httptest.NewRequest(http.MethodPost, "/admin/divisions", body)
	r.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	res, page := serve(t, h, r)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	wantContains(t, "413 page", page, "<h1>上传内容太大</h1>")
}

// filler reads as an endless run of CSV-ish bytes.
type filler struct{}

func (filler) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = "1,x\n"[i%4]
	}
	return len(p), nil
}
