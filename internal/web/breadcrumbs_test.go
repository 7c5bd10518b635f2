package web

import (
	"net/http"
	"strings"
	"testing"
)

func TestBreadcrumbsLinkOnlyTheAreasAChiefCanOpen(t *testing.T) {
	h, _ := demoUIAs(t, "chief")
	res, _ := get(t, h, "/coverage")
	town := strings.TrimPrefix(res.Header.Get("Location"), "/coverage/")
	county := town[:6]
	village := between(mustGet(t, h, "/areas/"+town), `<td class="name"><a href="/areas/`, `"`)
	if village == "" {
		t.Fatalf("no village on the page of %s", town)
	}
	for page, dead := range map[string]string{
		"/dual-posts":                  `href="/dual-posts?under=` + county + `"`,
		"/offices":                     `href="/offices?under=` + county + `"`,
		"/areas/" + village + "/posts": `href="/areas/` + county + `"`,
	} {
		body := mustGet(t, h, page)
		crumbs := between(body, `<nav class="breadcrumb"`, "</nav>")
		if crumbs == "" || strings.Contains(crumbs, dead) {
			t.Errorf("%s: breadcrumb %q; want %s named but not linked, the chief cannot open it", page, crumbs, county)
		}
	}
}

// mustGet returns the body of a page that must answer 200.
func mustGet(t *testing.T, h http.Handler, target string) string {
	t.Helper()
	res, body := get(t, h, target)
	wantStatus(t, res, http.StatusOK)
	return body
}
