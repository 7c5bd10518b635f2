package web

import (
	"context"
	"cunjing"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

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

func TestPasswordPageStatesThePolicyInForce(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	_, body := get(t, h, "/password")
	wantContains(t, "password page", body, "新密码至少 8 个字符，包含大写字母、小写字母、数字、符号中的 3 类")
	security := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "security", Role: cunjing.RoleSecurityAdmin, Scope: cunjing.Scope{All: true}})
	if err := st.SetLoginPolicy(security, cunjing.LoginPolicy{MinLength: 14, MinClasses: 2, MaxAge: 90 * 24 * time.Hour, Blocklist: true}); err != nil {
		t.Fatal(err)
	}
	_, body = get(t, h, "/password")
	wantContains(t, "password page after the change", body, "新密码至少 14 个字符，包含大写字母、小写字母、数字、符号中的 2 类")
}
