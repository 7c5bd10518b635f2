package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// officerCtx creates an account of unit with the role and returns a request
// context carrying its identity, scoped to the unit's jurisdiction.
func officerCtx(t *testing.T, s *store.Store, username string, role cunjing.Role, unit string) context.Context {
	t.Helper()
	u := cunjing.User{Username: username, Phone: "13812345678", Role: role, UnitCode: unit, PasswordHash: "x"}
	if err := s.CreateUser(storetest.Ctx(), u); err != nil {
		t.Fatal(err)
	}
	d, err := s.UnitDetail(storetest.Ctx(), unit)
	if err != nil {
		t.Fatal(err)
	}
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: role, UnitCode: unit,
		Scope: cunjing.Scope{Prefixes: d.Jurisdiction}})
}

func TestBreakGlassOpensOneAccountUntilItExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		zhou := officerCtx(t, s, "zhou", cunjing.RoleOfficer, "410423510101")
		officerCtx(t, s, "lin", cunjing.RoleOfficer, "410423510102")
		leader := officerCtx(t, s, "gao", cunjing.RoleLeader, "410423510101")
		if _, err := s.UserDetail(zhou, "lin"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Fatalf("an account of another unit: %v; want not found", err)
		}
		for _, reason := range []string{"", "  too short  ", "\u3000\u3000查一下\u3000\u3000"} {
			if err := s.BreakGlass(zhou, "user:lin", reason, 0); cunjing.ErrorCode(err) != cunjing.EInvalid {
				t.Errorf("reason %q: %v; want invalid", reason, err)
			}
		}
		const reason = "协查盗窃案，需核实该民警联系方式"
		if err := s.BreakGlass(leader, "user:lin", reason, 0); cunjing.ErrorCode(err) != cunjing.EForbidden {
			t.Errorf("a leader breaks the glass: %v; want forbidden", err)
		}
		if err := s.BreakGlass(zhou, "user:LIN", " "+reason+"\n", 0); err != nil {
			t.Fatal(err)
		}
		u, err := s.UserDetail(zhou, "lin")
		if err != nil || u.Phone != "13812345678" {
			t.Fatalf("under the grant: %+v, %v", u, err)
		}
		if _, err := s.UserDetail(zhou, "gao"); err != nil {
			t.Errorf("an account of his own unit: %v", err)
		}
		if _, err := s.UserDetail(leader, "lin"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("zhou's grant opened lin to gao: %v", err)
		}
		events := findAll(t, s, cunjing.AuditFilter{Actor: "zhou"})
		if len(events) != 3 || events[2].Action != cunjing.ActionBreakGlass || events[2].Object != "user:lin" || events[2].Detail != reason ||
			events[1].Action != cunjing.ActionReadPersonal || events[1].Object != "user:lin" || !strings.Contains(events[1].Detail, reason) ||
			events[0].Object != "user:gao" || events[0].Detail != "" {
			t.Errorf("zhou's audit rows = %+v; want the grant and the read with the reason, then a routine read", events)
		}
		later := time.Now().Add(cunjing.BreakGlassTTL)
		s.SetClock(func() time.Time { return later })
		if _, err := s.UserDetail(zhou, "lin"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("after an hour: %v; want not found", err)
		}
		if err := s.BreakGlass(zhou, "user:lin", reason, time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UserDetail(zhou, "lin"); err != nil {
			t.Errorf("under a new one-minute grant: %v", err)
		}
		later = later.Add(time.Minute)
		if _, err := s.UserDetail(zhou, "lin"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("after the one-minute grant: %v; want not found", err)
		}
	})
}

func TestAccountPhonesAreCheckedLightly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		n := 0
		for phone, ok := range map[string]bool{"": true, "13812345678": true, "+86 138-1234-5678": true, "0375-1234567": true,
			"138 1234 5678 ext": false, "１３８１２３４５６７８": false, "+86 138 1234 5678 000 1": false} {
			n++
			err := s.CreateUser(storetest.Ctx(), cunjing.User{Username: fmt.Sprintf("p%d", n), Phone: phone, Role: cunjing.RoleOfficer,
				UnitCode: "410423510101", PasswordHash: "x"})
			if ok != (err == nil) {
				t.Errorf("phone %q: %v", phone, err)
			}
		}
	})
}
