package main

import (
	"net/http"
	neturl "net/url"
	"strings"
	"testing"
)

// TestCollectionPostsRefuseOtherOrigins posts the collection forms as the
// logged-in officer twice: from another site, which the server refuses
// (SECURITY.md E1), then from the page itself, which it accepts.
func TestCollectionPostsRefuseOtherOrigins(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	c := browser(t, url, "officer")
	resp, err := c.Get(url + "/areas")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	village := strings.TrimPrefix(resp.Header.Get("Location"), "/areas/")
	post := func(path string, form neturl.Values, site string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, url+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if site == "cross-site" {
			req.Header.Set("Origin", "https://evil.example")
		}
		req.Header.Set("Sec-Fetch-Site", site)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	forms := map[string]neturl.Values{
		"/areas/" + village + "/addresses": {"street": {"跨站路"}, "house_number": {"1"}},
		"/check/id-number":                 {"id_number": {"410423197603150134"}},
		"/conflicts/1/resolve":             {"resolution": {"已核实"}},
	}
	for path, form := range forms {
		if status := post(path, form, "cross-site"); status != http.StatusForbidden {
			t.Errorf("a cross-site POST to %s: %d; want 403", path, status)
		}
	}
	if status := post("/areas/"+village+"/addresses", forms["/areas/"+village+"/addresses"], "same-origin"); status != http.StatusSeeOther {
		t.Errorf("the officer's own POST of a new address: %d; want 303", status)
	}
}
