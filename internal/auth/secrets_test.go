package auth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// TestNoSecretIsStoredInTheClear logs in, creates an API token and changes
// the password, then reads every text column of every account, session and
// audit table directly: no password or token may appear (SECURITY.md A6).
func TestNoSecretIsStoredInTheClear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		res, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		ctx := cunjing.WithIdentity(context.Background(), whoAmI(a, res.Token))
		apiToken, _, err := a.CreateToken(ctx, "app")
		if err != nil {
			t.Fatal(err)
		}
		const newPassword = "Second-Lushan-Pass-8"
		if err := a.ChangePassword(ctx, goodPassword, newPassword); err != nil {
			t.Fatal(err)
		}
		secrets := []string{goodPassword, newPassword, res.Token, apiToken}
		db := storetest.Direct(t, st)
		for _, table := range []string{"users", "sessions", "audit_log", "login_ip_failures"} {
			rows, err := db.Query("SELECT * FROM " + table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					text := fmt.Sprintf("%s", v)
					for _, secret := range secrets {
						if strings.Contains(text, secret) {
							t.Errorf("%s.%s holds a secret in the clear", table, cols[i])
						}
					}
				}
			}
			rows.Close()
		}
	})
}
