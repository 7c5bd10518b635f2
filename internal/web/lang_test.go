package web

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestChineseByDefault(t *testing.T) {
	h, _ := demoUI(t)
	res, body := get(t, h, "/areas/4104")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "default page", body, `<html lang="zh-CN">`, "<dt>村</dt>", "下级区划", `href="/areas/4104?lang=en"`)
	if len(res.Cookies()) != 0 {
		t.Errorf("a page without ?lang= sets cookies %v", res.Cookies())
	}
}

func TestEnglishOnRequestAndRemembered(t *testing.T) {
	h, _ := demoUI(t)
	res, body := get(t, h, "/areas/4104?lang=en")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "English page", body, `<html lang="en">`, "<dt>Villages</dt><dd>2,549</dd>", "Areas below", "平顶山市", `href="/areas/4104?lang=zh"`)

	cookie := langCookieOf(t, res)
	if cookie.Value != "en" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
		t.Errorf("cookie = %+v, want lang=en, HttpOnly, SameSite=Lax, Path=/", cookie)
	}
	if age := time.Duration(cookie.MaxAge) * time.Second; age < 364*24*time.Hour {
		t.Errorf("cookie lasts %v, want a year", age)
	}

	res, body = get(t, h, "/areas/410423", "Cookie: lang=en")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "page after choosing English", body, `<html lang="en">`, "Responsible police units", "鲁山县公安局")

	res, body = get(t, h, "/areas/410423?lang=zh", "Cookie: lang=en")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "page after switching back", body, `<html lang="zh-CN">`, "责任警务机构")
	if c := langCookieOf(t, res); c.Value != "zh-CN" {
		t.Errorf("switching back sets lang=%q, want zh-CN", c.Value)
	}
}

func TestLanguageSwitchKeepsTheQuery(t *testing.T) {
	h, _ := demoUI(t)
	_, body := get(t, h, "/areas/410423/search?q=%E7%8E%8B")
	wantContains(t, "search page", body, `href="/areas/410423/search?lang=en&amp;q=%E7%8E%8B"`)
}

func langCookieOf(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range res.Cookies() {
		if c.Name == langCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", langCookie, strings.Join(res.Header.Values("Set-Cookie"), "; "))
	return nil
}
