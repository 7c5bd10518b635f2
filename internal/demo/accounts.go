package demo

import (
	"context"
	"fmt"

	"cunjing"
	"cunjing/internal/auth"
)

// AccountPassword is the password of every demo account; serve --demo
// prints it. It meets the password policy.
const AccountPassword = "Shiyan-Demo-2026"

// Account is a demo account: a role over a real unit of the demo city.
type Account struct {
	Username    string
	DisplayName string
	Role        cunjing.Role
	// Unit picks the account's unit from the generated organisation.
	Unit func(units []cunjing.Unit) string
}

// Accounts are one demo account per role, so that a newcomer sees how the
// scope changes what each one sees: the city, 鲁山县 and 汝州市, a station
// of 鲁山县 and one of its village work stations, whose officer and
// auxiliary are linked to staff records and see the villages of their posts.
var Accounts = []Account{
	{"city", "市局管理员", cunjing.RoleCityAdmin, code("410400000000")},
	{"leader", "市局领导", cunjing.RoleLeader, code("410400000000")},
	{"lushan", "鲁山县局管理员", cunjing.RoleCountyAdmin, code("410423000000")},
	{"ruzhou", "汝州市局管理员", cunjing.RoleCountyAdmin, code("410482000000")},
	{"chief", "派出所所长", cunjing.RoleStationChief, parentOf(firstOf(cunjing.UnitWorkstation, "410423"))},
	{"officer", "包村民警", cunjing.RoleOfficer, firstOf(cunjing.UnitWorkstation, "410423")},
	{"fujing", "辅警", cunjing.RoleAuxiliary, firstOf(cunjing.UnitWorkstation, "410423")},
	{"security", "安全管理员", cunjing.RoleSecurityAdmin, none},
	{"auditor", "审计员", cunjing.RoleAuditor, none},
}

func code(c string) func([]cunjing.Unit) string { return func([]cunjing.Unit) string { return c } }

func none([]cunjing.Unit) string { return "" }

// parentOf picks the parent of the unit pick picks.
func parentOf(pick func([]cunjing.Unit) string) func([]cunjing.Unit) string {
	return func(units []cunjing.Unit) string {
		code := pick(units)
		for _, u := range units {
			if u.Code == code {
				return u.ParentCode
			}
		}
		return ""
	}
}

// firstOf picks the first unit of a kind whose code starts with prefix.
func firstOf(kind cunjing.UnitKind, prefix string) func([]cunjing.Unit) string {
	return func(units []cunjing.Unit) string {
		for _, u := range units {
			if u.Kind == kind && len(u.Code) >= len(prefix) && u.Code[:len(prefix)] == prefix {
				return u.Code
			}
		}
		return ""
	}
}

// createAccounts adds the demo accounts over the generated units.
func createAccounts(ctx context.Context, st Store, units []cunjing.Unit) error {
	for _, a := range Accounts {
		hash, err := auth.HashPassword(AccountPassword)
		if err != nil {
			return err
		}
		u := cunjing.User{Username: a.Username, DisplayName: a.DisplayName, Role: a.Role, UnitCode: a.Unit(units), PasswordHash: hash}
		if err := st.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("demo: account %s: %w", a.Username, err)
		}
	}
	return nil
}
