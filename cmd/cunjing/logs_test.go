package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	neturl "net/url"
	"strings"
	"sync"
	"testing"

	"cunjing/internal/auth"
	"cunjing/internal/demo"
)

// syncBuffer collects the server's log, written from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fetch sends a request and drops the answer: only the log matters here.
func fetch(t *testing.T, c *http.Client, req *http.Request) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// TestLogsHoldNoPersonalDataNorSecrets drives a demo server with personal
// data in query strings, forged log lines in a path and a user name, and
// checks its log (SECURITY.md C5): no mobile, ID number, token or password,
// and one line per entry.
func TestLogsHoldNoPersonalDataNorSecrets(t *testing.T) {
	const mobile, idNumber = "13800138000", "410423199001011234"
	var logs syncBuffer
	url, stop := startServeLogging(t, &logs, "--demo", "--data", t.TempDir())

	token, _ := apiLogin(t, url, "lushan", demo.AccountPassword)
	auditorToken, _ := apiLogin(t, url, "auditor", demo.AccountPassword)
	personal := "q=" + mobile + "&phone=" + mobile + "&id_number=" + idNumber
	calls := []struct {
		token, path string
		status      int
	}{
		{token, "/api/v1/areas?" + personal, 200},
		{token, "/api/v1/areas/410423?" + personal, 200},
		{token, "/api/v1/units?" + personal + "&limit=x", 400},
		{token, "/api/v1/audit?object=" + mobile, 403},
		{auditorToken, "/api/v1/audit?object=" + mobile + "&actor=" + idNumber, 200},
		{auditorToken, "/api/v1/audit?from=" + idNumber, 400},
		{auditorToken, "/api/v1/audit/export.xlsx?object=" + idNumber, 200},
	}
	for _, c := range calls {
		if status := apiCall(t, "GET", url+c.path, c.token, ""); status != c.status {
			t.Errorf("GET %s: %d; want %d", c.path, status, c.status)
		}
	}

	browse := browser(t, url, "lushan")
	forged := []string{
		"/areas/410423/search?q=" + mobile,
		"/areas/410423/search?q=" + idNumber,
		"/areas/%0Afake%20log%20line",
		"/api/v1/areas/x%0Atime=2026-01-01T00:00:00Z%20level=ERROR%20msg=forged",
	}
	for _, path := range forged {
		req, _ := http.NewRequest("GET", url+path, nil)
		fetch(t, browse, req)
	}
	body, _ := json.Marshal(map[string]string{"username": "lushan\ntime=2026-01-01T00:00:00Z level=INFO msg=forged", "password": idNumber})
	req, _ := http.NewRequest("POST", url+"/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	fetch(t, http.DefaultClient, req)
	req, _ = http.NewRequest("POST", url+"/login", strings.NewReader(neturl.Values{
		"username": {"evil\nfake log line " + mobile}, "password": {demo.AccountPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	fetch(t, http.DefaultClient, req)

	base, _ := neturl.Parse(url)
	var cookie string
	for _, c := range browse.Jar.Cookies(base) {
		if c.Name == auth.SessionCookie {
			cookie = c.Value
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	log := logs.String()
	if cookie == "" || !strings.Contains(log, `/areas/\nfake log line`) {
		t.Fatalf("no session cookie, or the forged path was not logged escaped; log:\n%s", log)
	}
	secrets := map[string]string{"mobile": mobile, "ID number": idNumber, "bearer token": token, "auditor's token": auditorToken,
		"session cookie": cookie, "demo password": demo.AccountPassword}
	for what, secret := range secrets {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds the %s %q", what, secret)
		}
	}
	for i, line := range strings.Split(strings.TrimSuffix(log, "\n"), "\n") {
		if !strings.HasPrefix(line, "time=") {
			t.Errorf("log line %d does not start with time=: %q", i+1, line)
		}
	}
}
