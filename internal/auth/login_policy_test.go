package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// setPolicy stores p as the security administrator would.
func setPolicy(t *testing.T, st *store.Store, p cunjing.LoginPolicy) {
	t.Helper()
	ctx := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "anquan", Role: cunjing.RoleSecurityAdmin})
	if err := st.SetLoginPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
}

func TestStoredPolicyRulesPasswordChanges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		a.Policies = st
		const twelve = "Lushan-Gx-72"
		if err := auth.DefaultPolicy.Check(twelve, "zhang"); err != nil {
			t.Fatalf("the start-up policy refuses %q: %v", twelve, err)
		}
		setPolicy(t, st, cunjing.LoginPolicy{MinLength: 14, MinClasses: 3, MaxAge: 90 * 24 * time.Hour, Blocklist: true})
		res, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		ctx := cunjing.WithIdentity(context.Background(), whoAmI(a, res.Token))
		err = a.ChangePassword(ctx, goodPassword, twelve)
		var e *cunjing.Error
		if !errors.As(err, &e) || e.Code != cunjing.EInvalid || e.Fields["password"] != "must be at least 14 characters long" {
			t.Fatalf("a 12-character password under a 14-character policy: %v; want refused for its length", err)
		}
		if err := a.ChangePassword(ctx, goodPassword, "Lushan-Gx-72-Nord"); err != nil {
			t.Fatalf("a 17-character password: %v", err)
		}
	})
}

func TestStoredPolicyRequiresASecondFactorAtTheNextLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		a.Policies = st
		before, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		if err != nil || before.Restriction != "" {
			t.Fatalf("login before the policy = %+v, %v; want no restriction", before, err)
		}
		setPolicy(t, st, cunjing.LoginPolicy{MinLength: 8, MinClasses: 3, MaxAge: 90 * 24 * time.Hour, Blocklist: true, RequireMFA: true})
		if a.RequireMFA {
			t.Fatal("the authenticator was built with RequireMFA")
		}
		for user, want := range map[string]string{"zhang": cunjing.RestrictMFA, "audit": ""} {
			res, err := a.Login(callerCtx("10.0.0.1"), user, goodPassword)
			if err != nil || res.Restriction != want {
				t.Errorf("login of %s = %+v, %v; want restriction %q", user, res, err, want)
			}
		}
		if id := whoAmI(a, before.Token); id.Restriction != "" {
			t.Errorf("the session opened before the policy became %q", id.Restriction)
		}
	})
}

func TestStoredPolicyExpiresPasswordsAtTheNextRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClock()
		c.now = time.Now()
		a := newAuth(t, st, c)
		a.Policies = st
		res, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := a.CreateToken(cunjing.WithIdentity(context.Background(), whoAmI(a, res.Token)), "script")
		if err != nil {
			t.Fatal(err)
		}
		c.Add(31 * 24 * time.Hour)
		if id := whoAmI(a, token); id.Restriction != "" {
			t.Fatalf("31 days on under the 90-day start-up policy: restriction %q", id.Restriction)
		}
		setPolicy(t, st, cunjing.LoginPolicy{MinLength: 8, MinClasses: 3, MaxAge: 30 * 24 * time.Hour, Blocklist: true})
		if id := whoAmI(a, token); id.Restriction != cunjing.RestrictChangePassword {
			t.Fatalf("31 days on under a 30-day policy: restriction %q; want change_password", id.Restriction)
		}
	})
}
