package auth_test

import (
	"testing"
	"time"

	"cunjing/internal/store/storetest"
)

// BenchmarkLogin is one successful password login: the throttle check, the
// argon2id verification (19 MiB, 2 passes), the session and its audit row.
//
//	go test ./internal/auth -run '^$' -bench Login -count 5
func BenchmarkLogin(b *testing.B) {
	st := storetest.SQLite(b)
	a := newAuth(b, st, newClock())
	a.Now = time.Now
	for b.Loop() {
		if _, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword); err != nil {
			b.Fatal(err)
		}
	}
}
