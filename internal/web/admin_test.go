package web

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/httpx"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

const adminPassword = "村警-test-password"

// adminUI serves the UI over an empty store whose only account is the
// system administrator.
func adminUI(t *testing.T) (http.Handler, *store.Store) {
	t.Helper()
	st := storetest.SQLite(t)
	hash, err := auth.HashPassword(adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	admin := cunjing.User{Username: cunjing.FirstAdminName, DisplayName: "管理员", PasswordHash: hash, Role: cunjing.RoleSystemAdmin}
	if _, err := st.CreateFirstUser(context.Background(), admin); err != nil {
		t.Fatal(err)
	}
	return newTestUI(t, st), st
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
	r.SetBasicAuth(cunjing.FirstAdminName, adminPassword)
	return serve(t, h, r)
}

func TestImportNeedsTheAdministrator(t *testing.T) {
	h, _ := adminUI(t)
	res, body := get(t, h, "/admin/divisions")
	wantStatus(t, res, http.StatusUnauthorized)
	if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("WWW-Authenticate = %q, want a Basic challenge", res.Header.Get("WWW-Authenticate"))
	}
	wantContains(t, "401 page", body, "<h1>需要管理员登录</h1>")

	r := httptest.NewRequest(http.MethodPost, "/admin/divisions?lang=en", strings.NewReader("x"))
	r.SetBasicAuth(cunjing.FirstAdminName, "wrong")
	res, body = serve(t, h, r)
	wantStatus(t, res, http.StatusUnauthorized)
	wantContains(t, "English 401 page", body, "<h1>Administrator sign-in required</h1>")

	r = httptest.NewRequest(http.MethodGet, "/admin/divisions", nil)
	r.SetBasicAuth(cunjing.FirstAdminName, adminPassword)
	res, body = serve(t, h, r)
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
	if _, err := st.AreaDetail(context.Background(), "42"); cunjing.ErrorCode(err) != cunjing.ENotFound {
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
	if a, err := st.AreaDetail(context.Background(), "42"); err != nil || a.Name != "湖北省" {
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
	r.SetBasicAuth(cunjing.FirstAdminName, adminPassword)
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
