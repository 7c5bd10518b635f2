package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/auth/authtest"
	"cunjing/internal/demo"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// adminPassword is the first administrator's password in these tests.
const adminPassword = demotest.AdminPassword

// newTestUI serves the UI over a real SQLite store to a logged-in user:
// "admin", a demo account, or "" for a visitor.
func newTestUI(t *testing.T, st *store.Store, username string) http.Handler {
	t.Helper()
	authn := authtest.Authenticator(st)
	h, err := New(Deps{
		Auth:  authn,
		Areas: st,
		Units: st,
		Audit: st,
		Users: st,
		Import: func(ctx context.Context, files ...importer.File) (*importer.DivisionReport, error) {
			return importer.ImportDivisions(ctx, st, files...)
		},
		Grants: st,
		Staff:  st, Assignments: st, Staffing: st, StaffImport: st, Coverage: st, Cards: st, DualPosts: st, Offices: st, Exports: st,
		RecordJobs: testJobs(t, st), RecordImports: st, RecordExports: st,
		Search: st, Addresses: st, Residents: st, Houses: st, Orgs: st, Visits: st, Reviews: st,
		Policies: st,
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	token := ""
	switch username {
	case "":
	case cunjing.FirstAdminName:
		token = authtest.Login(t, authn, username, adminPassword)
	default:
		token = authtest.Login(t, authn, username, demo.AccountPassword)
	}
	return authtest.As(authn, token, h)
}

// newStore returns a store whose first account is the system administrator.
func newStore(t *testing.T) *store.Store {
	t.Helper()
	st := storetest.SQLite(t)
	hash, err := auth.HashPassword(adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	admin := cunjing.User{Username: cunjing.FirstAdminName, DisplayName: "管理员", PasswordHash: hash, Role: cunjing.RoleSystemAdmin}
	if _, err := st.CreateFirstUser(storetest.Ctx(), admin); err != nil {
		t.Fatal(err)
	}
	return st
}

// demoUI serves the UI over the demo city — the real Pingdingshan divisions,
// the generated police force and its accounts — to the city administrator.
func demoUI(t *testing.T) (http.Handler, *store.Store) {
	return demoUIAs(t, "city")
}

// demoUIAs serves the demo city to the given user.
func demoUIAs(t *testing.T, username string) (http.Handler, *store.Store) {
	t.Helper()
	st := demotest.Store(t)
	return newTestUI(t, st, username), st
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
