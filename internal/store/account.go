package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"cunjing"
)

// CreateUser adds an account. The caller may create it only for a unit
// inside his scope and with a role he outranks; both are checked here, in
// the store, whatever the request said.
func (s *Store) CreateUser(ctx context.Context, u cunjing.User) error {
	if err := validateUser(u); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkGrant(ctx, tx, u.Role, u.UnitCode); err != nil {
			return err
		}
		if err := s.insertUser(ctx, tx, u); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionUserCreate, cunjing.CanonicalUsername(u.Username), cunjing.ResultOK, string(u.Role)+" "+u.UnitCode)
	})
}

// UpdateUser changes an account inside the caller's scope. Disabling it or
// resetting its password ends its sessions at once.
func (s *Store) UpdateUser(ctx context.Context, username string, up cunjing.UserUpdate) error {
	name := cunjing.CanonicalUsername(username)
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		u, err := s.userInScope(ctx, tx, name)
		if err != nil {
			return err
		}
		changes := applyUpdate(u, up)
		if err := validateUser(*u); err != nil {
			return err
		}
		if err := s.checkGrant(ctx, tx, u.Role, u.UnitCode); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE users SET display_name = ?, phone = ?, role = ?, unit_code = ?,
			disabled = ? WHERE username = ?`), u.DisplayName, u.Phone, string(u.Role), nullIfEmpty(u.UnitCode), u.Disabled, name); err != nil {
			return fmt.Errorf("store: update user: %w", err)
		}
		if err := s.resetPassword(ctx, tx, name, up); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionUserUpdate, name, cunjing.ResultOK, strings.Join(changes, ", "))
	})
}

// applyUpdate changes u and names what changed, for the audit row.
func applyUpdate(u *cunjing.User, up cunjing.UserUpdate) []string {
	var changes []string
	set := func(name string, changed bool) {
		if changed {
			changes = append(changes, name)
		}
	}
	if up.DisplayName != nil {
		u.DisplayName = *up.DisplayName
		set("display name", true)
	}
	if up.Phone != nil {
		u.Phone = *up.Phone
		set("phone", true)
	}
	if up.Role != nil {
		set("role "+string(u.Role)+"→"+string(*up.Role), u.Role != *up.Role)
		u.Role = *up.Role
	}
	if up.UnitCode != nil {
		set("unit "+u.UnitCode+"→"+*up.UnitCode, u.UnitCode != *up.UnitCode)
		u.UnitCode = *up.UnitCode
	}
	if up.Disabled != nil {
		set(map[bool]string{true: "disabled", false: "enabled"}[*up.Disabled], u.Disabled != *up.Disabled)
		u.Disabled = *up.Disabled
	}
	set("password reset", up.PasswordHash != nil)
	return changes
}

func (s *Store) resetPassword(ctx context.Context, tx *sql.Tx, name string, up cunjing.UserUpdate) error {
	revoke := up.PasswordHash != nil || up.Disabled != nil && *up.Disabled
	if up.PasswordHash != nil {
		if _, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE users SET password_hash = ?, must_change_password = ?,
			password_changed_at = ?, failed_logins = 0, locked_until = '', totp_secret = '', totp_last_step = 0 WHERE username = ?`),
			*up.PasswordHash, true, timestamp(s.now()), name); err != nil {
			return fmt.Errorf("store: reset password: %w", err)
		}
	}
	if !revoke {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE sessions SET revoked_at = ? WHERE username = ? AND revoked_at = ''"),
		timestamp(s.now()), name); err != nil {
		return fmt.Errorf("store: end sessions: %w", err)
	}
	return nil
}

// validateUser checks the fields an account must have.
func validateUser(u cunjing.User) error {
	fields := map[string]string{}
	if name := cunjing.CanonicalUsername(u.Username); name == "" || len(name) > 64 || strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		fields["username"] = "1–64 characters without spaces or control characters"
	}
	if !u.Role.Valid() {
		fields["role"] = "unknown role"
	}
	if u.UnitCode == "" && !u.Role.IsAdministrator() {
		fields["unit_code"] = "a police account belongs to a unit"
	}
	if len([]rune(u.DisplayName)) > 50 {
		fields["display_name"] = "at most 50 characters"
	}
	if !validPhone(u.Phone) {
		fields["phone"] = "digits, +, - and spaces, at most 20 characters"
	}
	if len(fields) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the account is not valid", Fields: fields}
	}
	return nil
}

// validPhone is the light check of an account's phone: digits, +, - and
// spaces, at most 20 characters, or none.
func validPhone(phone string) bool {
	return len(phone) <= 20 && !strings.ContainsFunc(phone, func(r rune) bool {
		return (r < '0' || r > '9') && r != '+' && r != '-' && r != ' '
	})
}

// checkGrant refuses a role the caller does not outrank, or a unit outside
// the caller's scope (as not found, like any out-of-scope object).
func (s *Store) checkGrant(ctx context.Context, tx *sql.Tx, role cunjing.Role, unitCode string) error {
	id := cunjing.IdentityFrom(ctx)
	if id == nil {
		return errNoIdentity
	}
	if id != cunjing.SystemIdentity && !id.Role.Outranks(role) {
		return &cunjing.Error{Code: cunjing.EForbidden, Message: "you may not give the role " + string(role), Fields: map[string]string{"role": "above your own"}}
	}
	if unitCode == "" {
		return nil
	}
	visible, args, err := unitInScope(ctx, "code")
	if err != nil {
		return err
	}
	query := "SELECT COUNT(*) FROM units WHERE code = ?"
	if visible != "" {
		query += " AND " + visible
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.dialect.q(query), append([]any{unitCode}, args...)...).Scan(&n); err != nil {
		return fmt.Errorf("store: check unit: %w", err)
	}
	if n == 0 {
		return &cunjing.Error{Code: cunjing.ENotFound, Message: "unit " + unitCode + " not found", Fields: map[string]string{"unit_code": "unknown unit"}}
	}
	return nil
}

// usersInScope is the condition that an account's unit lies inside the
// scope of ctx; accounts without a unit are seen by whole-database scopes
// only.
func usersInScope(ctx context.Context) (string, []any, error) {
	scope, err := scopeOf(ctx)
	if err != nil || scope.All {
		return "", nil, err
	}
	inside, args, _ := prefixRanges("area_code", scope.Prefixes)
	return "unit_code IN (SELECT unit_code FROM unit_areas WHERE " + inside + ")", args, nil
}

// userInScope reads an account inside the scope of ctx; others are not found.
func (s *Store) userInScope(ctx context.Context, db querier, name string) (*cunjing.User, error) {
	cond, args, err := usersInScope(ctx)
	if err != nil {
		return nil, err
	}
	query := "SELECT " + userColumns + " FROM users WHERE username = ?"
	if cond != "" {
		query += " AND " + cond
	}
	rows, err := db.QueryContext(ctx, s.dialect.q(query), append([]any{name}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: read user: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, cunjing.Errorf(cunjing.ENotFound, "user not found")
	}
	return scanUser(rows)
}

// FindUsers lists the accounts inside the caller's scope, by user name.
func (s *Store) FindUsers(ctx context.Context, f cunjing.UserFilter) ([]cunjing.User, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(usersInScope(ctx)); err != nil {
		return nil, "", err
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		l.add(`(username LIKE ? ESCAPE '\' OR display_name LIKE ? ESCAPE '\')`, likeContains(q), likeContains(q))
	}
	if f.Role != "" {
		l.add("role = ?", string(f.Role))
	}
	query, err := l.sqlBy("username", "SELECT "+userColumns+" FROM users", page)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), l.args...)
	if err != nil {
		return nil, "", fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var users []cunjing.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, "", err
		}
		users = append(users, *u)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store: list users: %w", err)
	}
	users, next := cut(users, page.Limit, func(u cunjing.User) string { return u.Username })
	return users, next, nil
}

// UserDetail returns an account inside the caller's scope with its phone
// in full, and records that the caller saw it (SECURITY.md D1). An account
// outside the scope is returned only under the caller's live break-glass
// grant for it, whose reason the audit row repeats (B6); otherwise it is
// not found, like a missing one.
func (s *Store) UserDetail(ctx context.Context, username string) (*cunjing.User, error) {
	name := cunjing.CanonicalUsername(username)
	object := cunjing.UserObject(name)
	u, err := s.userInScope(ctx, s.read, name)
	detail := ""
	if cunjing.ErrorCode(err) == cunjing.ENotFound {
		reason, granted, grantErr := s.liveGrant(ctx, object)
		switch {
		case grantErr != nil:
			return nil, grantErr
		case granted:
			u, err = s.userBy(ctx, s.read, name)
			detail = "break-glass: " + reason
		}
	}
	if err != nil {
		return nil, err
	}
	if err := s.Audit(ctx, cunjing.ActionReadPersonal, object, cunjing.ResultOK, detail); err != nil {
		return nil, err
	}
	return u, nil
}
