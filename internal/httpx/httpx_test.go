package httpx

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverHidesThePanic(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	boom := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("SELECT secret FROM users at /srv/cunjing/store.go:42")
	})
	fail := func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
	rec := httptest.NewRecorder()
	Log(logger, Recover(logger, fail, boom)).ServeHTTP(rec, httptest.NewRequest("GET", "/areas/41", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 500 || strings.Contains(string(body), "SELECT") || strings.Contains(string(body), "store.go") {
		t.Fatalf("%d %q; want a generic 500", rec.Code, body)
	}
	if !strings.Contains(logs.String(), "SELECT secret") || !strings.Contains(logs.String(), rec.Header().Get("X-Request-ID")) {
		t.Fatalf("the log lacks the panic or the request id: %s", logs.String())
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	h := SecurityHeaders(http.NotFoundHandler())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/anything", nil))
	for name, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "same-origin",
	} {
		if got := rec.Header().Get(name); !strings.Contains(got, want) {
			t.Errorf("%s = %q; want it to contain %q", name, got, want)
		}
	}
}

func TestLogLeavesTheQueryOut(t *testing.T) {
	var logs bytes.Buffer
	h := Log(slog.New(slog.NewTextHandler(&logs, nil)), http.NotFoundHandler())
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/areas?q=13800138000", nil))
	if strings.Contains(logs.String(), "13800138000") || !strings.Contains(logs.String(), "status=404") {
		t.Fatalf("log line: %s", logs.String())
	}
}
