package auth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

const goodPassword = "Lushan-Station-9!"

// clock is a fake time the tests move.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time      { return c.now }
func (c *clock) Add(d time.Duration) { c.now = c.now.Add(d) }
func newClock() *clock               { return &clock{now: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)} }
func callerCtx(ip string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{IP: ip})
}

// newAuth returns an authenticator over a store holding a tiny city with one
// bureau and two accounts: "zhang", a station chief of the bureau, and "audit", an
// auditor.
func newAuth(t testing.TB, st *store.Store, c *clock) *auth.Authenticator {
	t.Helper()
	ctx := storetest.Ctx()
	areas := []cunjing.Area{
		{Code: "41", Name: "河南省", Level: cunjing.LevelProvince, Kind: "province"},
		{Code: "4104", Name: "平顶山市", Level: cunjing.LevelCity, Kind: "city", ParentCode: "41"},
		{Code: "410423", Name: "鲁山县", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
	}
	if _, err := st.ImportAreas(ctx, slices.Values(areas)); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUnits(ctx, []cunjing.Unit{{Code: "410423000000", Name: "鲁山县公安局", Kind: cunjing.UnitBureau, Jurisdiction: []string{"410423"}}}); err != nil {
		t.Fatal(err)
	}
	hash, _ := auth.HashPassword(goodPassword)
	for _, u := range []cunjing.User{
		{Username: "zhang", Role: cunjing.RoleStationChief, UnitCode: "410423000000", PasswordHash: hash},
		{Username: "audit", Role: cunjing.RoleAuditor, PasswordHash: hash},
	} {
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	return &auth.Authenticator{Store: st, Policy: auth.DefaultPolicy, Throttle: auth.DefaultThrottle, Now: c.Now}
}

// whoAmI runs a request with the token through Identify and returns the
// identity the handler saw.
func whoAmI(a *auth.Authenticator, token string) *cunjing.Identity {
	var seen *cunjing.Identity
	h := a.Identify(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = cunjing.IdentityFrom(r.Context()) }))
	req := httptest.NewRequest("GET", "/api/v1/areas", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	h.ServeHTTP(httptest.NewRecorder(), req)
	return seen
}

func TestLoginGivesAScopedSession(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClock()
		a := newAuth(t, st, c)
		res, err := a.Login(callerCtx("10.0.0.1"), "Zhang", goodPassword)
		if err != nil || res.Restriction != "" {
			t.Fatalf("login = %+v, %v", res, err)
		}
		id := whoAmI(a, res.Token)
		if id.Username != "zhang" || id.Role != cunjing.RoleStationChief || !slices.Equal(id.Scope.Prefixes, []string{"410423"}) {
			t.Fatalf("identity = %+v; want zhang with the scope of his unit", id)
		}
	})
}

func TestWrongPasswordAndUnknownUserLookTheSame(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		_, wrong := a.Login(callerCtx("10.0.0.1"), "zhang", "nope")
		_, unknown := a.Login(callerCtx("10.0.0.1"), "nobody", "nope")
		if wrong == nil || unknown == nil || wrong.Error() != unknown.Error() {
			t.Fatalf("wrong password: %v; unknown user: %v; want the same answer", wrong, unknown)
		}
	})
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClock()
		a := newAuth(t, st, c)
		for i := 0; i < 5; i++ {
			a.Login(callerCtx("10.0.0.1"), "zhang", "wrong")
		}
		if _, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword); cunjing.ErrorCode(err) != cunjing.ELocked {
			t.Fatalf("right password after 5 failures: %v; want locked", err)
		}
		c.Add(15*time.Minute + time.Second)
		if _, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword); err != nil {
			t.Fatalf("after 15 minutes: %v; want a session", err)
		}
	})
}

func TestParallelFailuresAllCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClock()
		a := newAuth(t, st, c)
		a.Throttle.Failures, a.Throttle.IPFailures = 20, 1000
		var wg sync.WaitGroup
		for i := 0; i < 19; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); a.Login(callerCtx("10.0.0.2"), "zhang", "wrong") }()
		}
		wg.Wait()
		if locked, _, _ := st.LoginBlocked(context.Background(), "zhang", "10.0.0.2", c.Now(), a.Throttle); locked {
			t.Fatal("locked after 19 of 20 allowed failures")
		}
		a.Login(callerCtx("10.0.0.2"), "zhang", "wrong")
		if locked, _, _ := st.LoginBlocked(context.Background(), "zhang", "10.0.0.2", c.Now(), a.Throttle); !locked {
			t.Fatal("not locked after exactly 20 failures: a parallel failure was lost")
		}
	})
}

func TestOneAddressSprayingManyAccountsIsRateLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		var last error
		for i := 0; i < 50; i++ {
			_, last = a.Login(callerCtx("10.0.0.3"), "user"+string(rune('a'+i%26))+string(rune('a'+i/26)), "Spray-2026!")
		}
		if cunjing.ErrorCode(last) != cunjing.ERateLimited {
			t.Fatalf("50th attempt from one address: %v; want rate limited", last)
		}
		if _, err := a.Login(callerCtx("10.0.0.4"), "zhang", goodPassword); err != nil {
			t.Fatalf("another address: %v", err)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClock()
		a := newAuth(t, st, c)
		res, _ := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		c.Add(29 * time.Minute)
		if whoAmI(a, res.Token).Username != "zhang" {
			t.Fatal("session ended before 30 idle minutes")
		}
		c.Add(31 * time.Minute)
		if whoAmI(a, res.Token).Username != "" {
			t.Fatal("session alive after 31 idle minutes")
		}
		busy, _ := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		for i := 0; i < 25; i++ {
			c.Add(29 * time.Minute)
			whoAmI(a, busy.Token)
		}
		if whoAmI(a, busy.Token).Username != "" {
			t.Fatal("an active session outlived 12 hours")
		}
	})
}

func TestLogoutRevokesTheToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		res, _ := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		if err := a.Logout(cunjing.WithIdentity(context.Background(), whoAmI(a, res.Token))); err != nil {
			t.Fatal(err)
		}
		if whoAmI(a, res.Token).Username != "" {
			t.Fatal("the token still works after logout")
		}
	})
}

func TestDisabledUserIsCutOffAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		res, _ := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		disabled := true
		if err := st.UpdateUser(storetest.Ctx(), "zhang", cunjing.UserUpdate{Disabled: &disabled}); err != nil {
			t.Fatal(err)
		}
		if whoAmI(a, res.Token).Username != "" {
			t.Fatal("a disabled user's session still works")
		}
	})
}

func TestExpiredPasswordAllowsOnlyChangingIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClock()
		c.now = time.Now()
		a := newAuth(t, st, c)
		c.Add(91 * 24 * time.Hour)
		res, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		if err != nil || res.Restriction != cunjing.RestrictChangePassword {
			t.Fatalf("login 91 days later = %+v, %v; want change_password", res, err)
		}
		id := whoAmI(a, res.Token)
		if auth.Allow(cunjing.PermReadJurisdiction).Status(id) != http.StatusUnauthorized || auth.Pending.Status(id) != 0 {
			t.Fatal("an expired password opens data routes, or closes the password route")
		}
		ctx := cunjing.WithIdentity(context.Background(), id)
		if err := a.ChangePassword(ctx, goodPassword, "Passw0rd"); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Fatalf("a blocklisted new password: %v", err)
		}
		if err := a.ChangePassword(ctx, goodPassword, "New-Lushan-Pass-7"); err != nil {
			t.Fatal(err)
		}
		if id := whoAmI(a, res.Token); id.Restriction != "" {
			t.Fatalf("after the change the session is still restricted: %q", id.Restriction)
		}
	})
}

func TestSecondFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		c := newClock()
		c.now = time.Now().Truncate(30 * time.Second).Add(time.Second)
		a := newAuth(t, st, c)
		a.RequireMFA = true
		res, _ := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		id := whoAmI(a, res.Token)
		if res.Restriction != cunjing.RestrictMFA || auth.Allow(cunjing.PermReadJurisdiction).Status(id) != http.StatusUnauthorized {
			t.Fatalf("password only: restriction %q; want mfa_pending and data routes closed", res.Restriction)
		}
		ctx := cunjing.WithIdentity(context.Background(), id)
		secret, _, err := a.EnrollMFA(ctx)
		if err != nil {
			t.Fatal(err)
		}
		code, _ := totp.GenerateCode(secret, c.Now())
		if err := a.VerifyMFA(ctx, code); err != nil {
			t.Fatalf("right code: %v", err)
		}
		if whoAmI(a, res.Token).Restriction != "" {
			t.Fatal("the session is still pending after the right code")
		}
		second, _ := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		ctx2 := cunjing.WithIdentity(context.Background(), whoAmI(a, second.Token))
		if err := a.VerifyMFA(ctx2, code); cunjing.ErrorCode(err) != cunjing.EUnauthorized {
			t.Fatalf("replayed code: %v; want refused", err)
		}
		for i := 0; i < 4; i++ {
			a.VerifyMFA(ctx2, "000000")
		}
		if _, err := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword); cunjing.ErrorCode(err) != cunjing.ELocked {
			t.Fatalf("after 5 wrong codes: %v; want the account locked", err)
		}
	})
}

func TestTokensAreListedAndRevocable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAuth(t, st, newClock())
		res, _ := a.Login(callerCtx("10.0.0.1"), "zhang", goodPassword)
		ctx := cunjing.WithIdentity(context.Background(), whoAmI(a, res.Token))
		secret, tok, err := a.CreateToken(ctx, "巡防 app")
		if err != nil || whoAmI(a, secret).Username != "zhang" {
			t.Fatalf("new token: %v", err)
		}
		list, _ := st.Tokens(context.Background(), "zhang")
		if len(list) != 1 || list[0].Name != "巡防 app" || list[0].IDHash == secret {
			t.Fatalf("tokens = %+v", list)
		}
		if err := a.RevokeToken(ctx, tok.IDHash); err != nil || whoAmI(a, secret).Username != "" {
			t.Fatalf("revoked token still works: %v", err)
		}
	})
}
