package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"cunjing/internal/auth"
	"cunjing/internal/demo"
)

// postForm posts a form as a browser would.
func postForm(t *testing.T, h http.Handler, target string, form url.Values, cookies ...*http.Cookie) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return serve(t, h, r)
}

func sessionCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == auth.SessionCookie {
			return c
		}
	}
	return nil
}

func TestLoginLogout(t *testing.T) {
	h, _ := demoUIAs(t, "")
	res, body := postForm(t, h, "/login", url.Values{"username": {"lushan"}, "password": {"wrong"}, "next": {"/areas"}})
	wantStatus(t, res, http.StatusUnauthorized)
	wantContains(t, "login page", body, "用户名或密码错误")

	res, _ = postForm(t, h, "/login", url.Values{"username": {"LuShan"}, "password": {demo.AccountPassword}, "next": {"/areas"}})
	wantStatus(t, res, http.StatusSeeOther)
	cookie := sessionCookie(res)
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || res.Header.Get("Location") != "/areas" {
		t.Fatalf("login: cookie %+v, location %q", cookie, res.Header.Get("Location"))
	}
	r := httptest.NewRequest(http.MethodGet, "/areas", nil)
	r.AddCookie(cookie)
	res, _ = serve(t, h, r)
	if res.Header.Get("Location") != "/areas/410423" {
		t.Fatalf("the 鲁山县 administrator's /areas goes to %q; want his county", res.Header.Get("Location"))
	}
	res, _ = postForm(t, h, "/logout", nil, cookie)
	wantStatus(t, res, http.StatusSeeOther)
	r = httptest.NewRequest(http.MethodGet, "/areas/410423", nil)
	r.AddCookie(cookie)
	if res, _ = serve(t, h, r); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("the cookie still works after logging out: %d", res.StatusCode)
	}
}

func TestLoginKeepsTheNextPageOnThisSite(t *testing.T) {
	for next, want := range map[string]string{"/units": "/units", "//evil.example/x": "/", "https://evil.example": "/", `/\evil.example`: "/"} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q; want %q", next, got, want)
		}
	}
}

func TestOtherCountyIsNotFound(t *testing.T) {
	h, _ := demoUIAs(t, "ruzhou")
	for _, path := range []string{"/areas/410423", "/areas/410423/search?q=村", "/units/410423000000", "/areas/4104"} {
		res, body := get(t, h, path)
		wantStatus(t, res, http.StatusNotFound)
		wantContains(t, path, body, "<h1>页面不存在</h1>")
	}
	res, body := get(t, h, "/areas/410482")
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(body, "鲁山") {
		t.Error("汝州市's page mentions 鲁山")
	}
}
