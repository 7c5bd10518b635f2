package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

const day = 24 * time.Hour

// asRole is a request context of a user with the role and no unit.
func asRole(username string, role cunjing.Role) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: role, IP: "10.0.0.9"})
}

// configChanges returns the config_change rows, newest first.
func configChanges(t *testing.T, s *store.Store) []cunjing.AuditEvent {
	t.Helper()
	events, _, err := s.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionConfigChange})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func TestLoginPolicyIsStoredAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, err := s.LoginPolicy(context.Background()); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Fatalf("before any is set: %v; want not found", err)
		}
		security := asRole("anquan", cunjing.RoleSecurityAdmin)
		first := cunjing.LoginPolicy{MinLength: 10, MinClasses: 3, MaxAge: 60 * day, Blocklist: true}
		second := cunjing.LoginPolicy{MinLength: 14, MinClasses: 1, MaxAge: 60 * day, Blocklist: true, RequireMFA: true}
		for _, p := range []cunjing.LoginPolicy{first, second} {
			if err := s.SetLoginPolicy(security, p); err != nil {
				t.Fatal(err)
			}
			if got, err := s.LoginPolicy(context.Background()); err != nil || got != p {
				t.Fatalf("read back %+v, %v; want %+v", got, err, p)
			}
		}
		events := configChanges(t, s)
		want := []string{"min_length 10 → 14, min_classes 3 → 1, require_mfa false → true",
			"start-up defaults → min_length 10, min_classes 3, max_age_days 60, blocklist true, require_mfa false"}
		if len(events) != len(want) {
			t.Fatalf("config_change rows = %+v; want %d", events, len(want))
		}
		for i, e := range events {
			if e.Detail != want[i] || e.Actor != "anquan" || e.Object != "login_policy" || e.Result != cunjing.ResultOK || e.IP != "10.0.0.9" {
				t.Errorf("row %d = %+v; want detail %q by anquan on login_policy", i, e, want[i])
			}
		}
		if bad, reason, err := s.VerifyAudit(storetest.Ctx()); bad != 0 || err != nil {
			t.Errorf("audit chain broken at %d: %s, %v", bad, reason, err)
		}
	})
}

func TestLoginPolicyNeedsTheSecurityAdministratorAndItsFloors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		good := cunjing.LoginPolicy{MinLength: 8, MinClasses: 3, MaxAge: 90 * day, Blocklist: true}
		for _, role := range []cunjing.Role{cunjing.RoleSystemAdmin, cunjing.RoleCityAdmin, cunjing.RoleAuditor, cunjing.RoleOfficer} {
			if err := s.SetLoginPolicy(asRole("someone", role), good); cunjing.ErrorCode(err) != cunjing.EForbidden {
				t.Errorf("%s: %v; want forbidden", role, err)
			}
		}
		security := asRole("anquan", cunjing.RoleSecurityAdmin)
		for _, c := range []struct {
			p     cunjing.LoginPolicy
			field string
		}{
			{cunjing.LoginPolicy{MinLength: 6, MinClasses: 3, MaxAge: 90 * day}, "min_length"},
			{cunjing.LoginPolicy{MinLength: 10, MinClasses: 2, MaxAge: 90 * day}, "min_classes"},
			{cunjing.LoginPolicy{MinLength: 12, MinClasses: 0, MaxAge: 90 * day}, "min_classes"},
			{cunjing.LoginPolicy{MinLength: 8, MinClasses: 3, MaxAge: 366 * day}, "max_age_days"},
			{cunjing.LoginPolicy{MinLength: 8, MinClasses: 3, MaxAge: -day}, "max_age_days"},
		} {
			err := s.SetLoginPolicy(security, c.p)
			var e *cunjing.Error
			if !errors.As(err, &e) || e.Code != cunjing.EInvalid || e.Fields[c.field] == "" {
				t.Errorf("%+v: %v; want invalid naming %s", c.p, err, c.field)
			}
		}
		if _, err := s.LoginPolicy(context.Background()); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("after refused changes: %v; want nothing stored", err)
		}
		if events := configChanges(t, s); len(events) != 0 {
			t.Errorf("refused changes left audit rows: %+v", events)
		}
	})
}
