package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	neturl "net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"cunjing/internal/demo"
)

// startServe runs "cunjing serve" with args until the test ends and returns
// the URL it prints when ready, and a function that stops it and returns
// run's error.
func startServe(t testing.TB, args ...string) (string, func() error) {
	t.Helper()
	return startServeLogging(t, io.Discard, args...)
}

// serveReadyWithin bounds the start of serve in tests: the demo force
// loads in about 2.5 s, but ten times slower under the race detector.
const serveReadyWithin = 3 * time.Minute

// startServeLogging is startServe with the server's log written to stderr.
// A demo starts without its population unless args ask for one with
// --demo-residents: loading 200,000 residents in the background would slow
// every other test, ten times over under the race detector.
func startServeLogging(t testing.TB, stderr io.Writer, args ...string) (string, func() error) {
	t.Helper()
	if slices.Contains(args, "--demo") && !slices.Contains(args, "--demo-residents") {
		args = append(args, "--demo-residents", "0")
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), pw, stderr)
		pw.Close()
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), "open "); ok {
				urls <- strings.TrimSuffix(url, "/")
			}
		}
	}()
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() { stop() })
	select {
	case url := <-urls:
		return url, stop
	case err := <-done:
		done <- err // for stop, run by Cleanup
		t.Fatalf("serve ended before it was ready: %v", err)
	case <-time.After(serveReadyWithin):
		t.Fatalf("serve was not ready in %v", serveReadyWithin)
	}
	return "", nil
}

// browser returns an HTTP client with a cookie jar that does not follow
// redirects, logged in through the login form as a demo account.
func browser(t *testing.T, url, username string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(url+"/login", neturl.Values{"username": {username}, "password": {demo.AccountPassword}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in as %s: %d", username, resp.StatusCode)
	}
	return c
}

func TestServeDemoAnswersAndStopsGracefully(t *testing.T) {
	url, stop := startServe(t, "--demo", "--data", t.TempDir())
	if resp, err := http.Get(url + "/api/v1/areas/410423"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a visitor reads an area: %v %v", resp, err)
	}
	c := browser(t, url, "lushan")
	for _, path := range []string{"/healthz", "/api/v1/areas/410423", "/areas/410423"} {
		resp, err := c.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), "ok") && !strings.Contains(string(body), "鲁山县") {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, body)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Request-ID") == "" {
			t.Errorf("%s: security headers or request id missing: %v", path, resp.Header)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("serve after SIGTERM-like cancel: %v; want a clean stop", err)
	}
}

func TestCrossOriginPostIsRefused(t *testing.T) {
	url, _ := startServe(t, "--demo", "--data", t.TempDir())
	req, _ := http.NewRequest("POST", url+"/admin/divisions", strings.NewReader("x"))
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: %d; want 403", resp.StatusCode)
	}
}

func TestDataFolderFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CUNJING_DATA", dir)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var applied, latest int
	if _, err := fmt.Sscanf(out.String(), "database schema at migration %d of %d (sqlite)", &applied, &latest); err != nil || applied != latest {
		t.Errorf("migrate printed %q; want every migration applied", out.String())
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "cunjing.db")); len(matches) != 1 {
		t.Errorf("no database in CUNJING_DATA=%s", dir)
	}
}

func TestImportDivisionsCommand(t *testing.T) {
	data := t.TempDir()
	files := []string{"41-provinces.csv", "4104-cities.csv", "4104-areas.csv", "4104-streets.csv", "4104-villages.csv"}
	args := []string{"import", "divisions", "--data", data}
	for _, f := range files {
		args = append(args, filepath.Join("../../internal/demo/data", f))
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("%v: %s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "imported: 2990 added, 0 renamed, 0 unchanged") {
		t.Errorf("first import printed %q", out.String())
	}
	out.Reset()
	if err := run(context.Background(), args, &out, &errOut); err != nil || !strings.Contains(out.String(), "0 added, 0 renamed, 2990 unchanged") {
		t.Errorf("second import: %v %q", err, out.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	writeFile(t, bad, "code,name,provinceCode\n4201,\"武汉市\",42\n42x2,\"坏市\",42\n")
	errOut.Reset()
	err := run(context.Background(), []string{"import", "divisions", "--data", data, bad}, io.Discard, &errOut)
	if !errors.Is(err, errReported) || !strings.Contains(errOut.String(), "bad.csv:2: code 4201: parent 42 is neither") ||
		!strings.Contains(errOut.String(), "bad.csv:3: code \"42x2\"") || !strings.Contains(errOut.String(), "nothing was imported") {
		t.Errorf("bad file: %v\n%s", err, errOut.String())
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	var errOut bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, io.Discard, &errOut); !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), "Usage:") {
		t.Fatalf("%v %q", err, errOut.String())
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
