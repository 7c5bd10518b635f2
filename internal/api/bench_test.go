package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"cunjing"
	"cunjing/internal/api"
	"cunjing/internal/auth/authtest"
	"cunjing/internal/demo"
	"cunjing/internal/store/storetest"
)

// BenchmarkAreaGet compares GET /api/v1/areas/{code} of a 鲁山县 village
// through the whole chain — bearer token, session and user lookup, scope
// read from the database, scope applied in SQL — with the same handler
// given an unscoped identity directly, without any of that. The last case
// is a read of personal data, which also appends an audit row: the
// account of the officer, with his phone, read by the 鲁山 administrator.
//
//	go test ./internal/api -run '^$' -bench AreaGet -count 5
func BenchmarkAreaGet(b *testing.B) {
	st := storetest.SQLite(b)
	if _, err := demo.Load(storetest.Ctx(), st); err != nil {
		b.Fatal(err)
	}
	authn := authtest.Authenticator(st)
	h := api.New(api.Deps{Auth: authn, Areas: st, Units: st, Users: st, Audit: st, Grants: st, Ping: st.Ping, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	village, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: "410423", Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil {
		b.Fatal(err)
	}
	path := "/api/v1/areas/" + village[0].Code
	unscoped := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := &cunjing.Identity{Username: "bench", Role: cunjing.RoleCityAdmin, Scope: cunjing.Scope{All: true}}
		h.ServeHTTP(w, r.WithContext(cunjing.WithIdentity(r.Context(), id)))
	})
	b.Run("unauthenticated-unscoped", func(b *testing.B) { benchGet(b, unscoped, path) })
	token := authtest.Login(b, authn, "lushan", demo.AccountPassword)
	b.Run("token-scoped", func(b *testing.B) { benchGet(b, authtest.As(authn, token, h), path) })
	b.Run("token-scoped-audited-account", func(b *testing.B) { benchGet(b, authtest.As(authn, token, h), "/api/v1/users/officer") })
}

func benchGet(b *testing.B, h http.Handler, path string) {
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequestWithContext(context.Background(), "GET", path, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
