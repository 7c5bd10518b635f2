package web

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"cunjing/internal/store/storetest"
)

func TestHtmxIsVendoredAndServed(t *testing.T) {
	h := newTestUI(t, storetest.SQLite(t), "")
	_, page := get(t, h, "/login")
	wantContains(t, "layout", page, `<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>`)
	src := regexp.MustCompile(`<script src="(/static/vendor/htmx\.min\.js\?v=[0-9a-f]+)" defer></script>`).FindStringSubmatch(page)
	if src == nil {
		t.Fatal("the layout does not load htmx with defer")
	}
	res, js := get(t, h, src[1])
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("htmx Content-Type = %q", ct)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("versioned htmx Cache-Control = %q, want a year, immutable", cc)
	}

	versions, err := os.ReadFile("static/vendor/VERSIONS")
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^htmx\.min\.js htmx\.org (2\.0\.\d+) ([0-9a-f]{64})$`).FindStringSubmatch(string(versions))
	if line == nil {
		t.Fatalf("VERSIONS has no line for htmx.min.js of htmx.org 2.0.x:\n%s", versions)
	}
	sum := sha256.Sum256([]byte(js))
	if got := hex.EncodeToString(sum[:]); got != line[2] {
		t.Errorf("served htmx.min.js has sha256 %s, VERSIONS says %s", got, line[2])
	}
	if !strings.Contains(js, `version:"`+line[1]+`"`) {
		t.Errorf("htmx.min.js does not say it is version %s", line[1])
	}
}

func TestStaticFiles(t *testing.T) {
	h := newTestUI(t, storetest.SQLite(t), "")
	_, page := get(t, h, "/login")
	css := regexp.MustCompile(`<link rel="stylesheet" href="(/static/app\.css\?v=[0-9a-f]+)">`).FindStringSubmatch(page)
	if css == nil {
		t.Fatal("the layout does not link app.css with a version")
	}
	res, body := get(t, h, css[1])
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "text/css; charset=utf-8" {
		t.Errorf("app.css Content-Type = %q", ct)
	}
	wantContains(t, "app.css", body, `"PingFang SC"`, `"Microsoft YaHei"`, `"Noto Sans CJK SC"`)

	res, _ = get(t, h, "/static/app.css?v=old")
	wantStatus(t, res, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("app.css with a stale version: Cache-Control = %q, want no-cache", cc)
	}
	for _, path := range []string{"/static/", "/static/vendor/", "/static/nope.js"} {
		res, _ := get(t, h, path)
		wantStatus(t, res, http.StatusNotFound)
	}
}
