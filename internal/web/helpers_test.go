package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cunjing/internal/demo"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// newTestUI serves the UI over a real SQLite store.
func newTestUI(t *testing.T, st *store.Store) http.Handler {
	t.Helper()
	h, err := New(Deps{
		Areas: st,
		Units: st,
		Users: st,
		Import: func(ctx context.Context, files ...importer.File) (*importer.DivisionReport, error) {
			return importer.ImportDivisions(ctx, st, files...)
		},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return h
}

// demoUI serves the UI over the demo city: the real Pingdingshan divisions
// and the generated police force.
func demoUI(t *testing.T) (http.Handler, *store.Store) {
	t.Helper()
	st := storetest.SQLite(t)
	if _, err := demo.Load(context.Background(), st); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	return newTestUI(t, st), st
}

// get sends a GET with the given header lines ("Name: value") and returns
// the response with its body read.
func get(t *testing.T, h http.Handler, target string, header ...string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for _, line := range header {
		name, value, _ := strings.Cut(line, ": ")
		r.Header.Add(name, value)
	}
	return serve(t, h, r)
}

func serve(t *testing.T, h http.Handler, r *http.Request) (*http.Response, string) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := w.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// between returns the part of s from the first start to the next end after
// it, or "" when either is missing.
func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	part, _, ok := strings.Cut(rest, end)
	if !ok {
		return ""
	}
	return part
}

func wantStatus(t *testing.T, res *http.Response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("status %d, want %d", res.StatusCode, want)
	}
}

func wantContains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not contain %q", what, sub)
		}
	}
}
