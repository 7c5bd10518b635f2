package auth_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// TestLoginEventsAreAudited walks through the events of SECURITY.md C1 that
// the authenticator owns and finds one audit row for each, with its actor,
// address and result.
func TestLoginEventsAreAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		a.Login(callerCtx("10.0.0.9"), "zhang", "wrong")
		for i := 0; i < 4; i++ {
			a.Login(callerCtx("10.0.0.9"), "zhang", "wrong")
		}
		a.Login(callerCtx("10.0.0.9"), "zhang", goodPassword) // locked
		res, err := a.Login(callerCtx("10.0.0.8"), "audit", goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		ctx := cunjing.WithIdentity(context.Background(), whoAmI(a, res.Token))
		_, tok, _ := a.CreateToken(ctx, "app")
		a.RevokeToken(ctx, tok.IDHash)
		if err := a.ChangePassword(ctx, goodPassword, "Lushan-Review-2026!"); err != nil {
			t.Fatal(err)
		}
		a.Logout(ctx)

		rows, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Page: cunjing.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range slices.Backward(rows) {
			got = append(got, fmt.Sprintf("%s %s %s %s %s", r.Action, r.Actor, r.IP, r.Result, r.Detail))
		}
		want := []string{
			"login zhang 10.0.0.9 denied unauthorized",
			"login zhang 10.0.0.9 denied locked",
			"login audit 10.0.0.8 ok ",
			"token_create audit 192.0.2.1 ok ",
			"token_revoke audit 192.0.2.1 ok ",
			"password_change audit 192.0.2.1 ok ",
			"logout audit 192.0.2.1 ok ",
		}
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("no audit row %q in:\n%v", w, got)
			}
		}
	})
}
