// Package authtest logs tests in as real users: a real authenticator, a
// real session in the store and its token on every request.
package authtest

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/auth"
)

// Store is what the authenticator reads: accounts, sessions and the login
// policy.
type Store interface {
	auth.Store
	cunjing.LoginPolicyService
}

// Authenticator returns the server's authenticator without the mandatory
// second factor, so that tests log in with a password alone, until a
// stored login policy asks for one.
func Authenticator(st Store) *auth.Authenticator {
	return &auth.Authenticator{Store: st, Policy: auth.DefaultPolicy, Throttle: auth.DefaultThrottle,
		Policies: st, Now: time.Now, Logger: slog.New(slog.DiscardHandler)}
}

// Login logs username in with password and returns the session token.
func Login(t testing.TB, a *auth.Authenticator, username, password string) string {
	t.Helper()
	ctx := cunjing.WithIdentity(context.Background(), &cunjing.Identity{IP: "192.0.2.1"})
	res, err := a.Login(ctx, username, password)
	if err != nil {
		t.Fatalf("log in as %s: %v", username, err)
	}
	return res.Token
}

// As serves h as the user of token would see it: the token goes on every
// request that carries none, and the authenticator tells who it is.
func As(a *auth.Authenticator, token string, h http.Handler) http.Handler {
	identify := a.Identify(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" && r.Header.Get("Authorization") == "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		identify.ServeHTTP(w, r)
	})
}
