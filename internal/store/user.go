package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"cunjing"
)

var _ cunjing.UserService = (*Store)(nil)

var userColumns = userColumnsOf("")

// userColumnsOf lists the columns of an account, each after alias (such as
// "u.") for a join.
func userColumnsOf(alias string) string {
	return strings.ReplaceAll("#username, #display_name, #phone, #role, COALESCE(#unit_code, ''), #disabled, #password_hash, "+
		"#password_changed_at, #must_change_password, #totp_secret, #created_at", "#", alias)
}

// User returns the account with the given user name.
func (s *Store) User(ctx context.Context, username string) (*cunjing.User, error) {
	return s.userBy(ctx, s.read, cunjing.CanonicalUsername(username))
}

func (s *Store) userBy(ctx context.Context, db querier, username string) (*cunjing.User, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q("SELECT "+userColumns+" FROM users WHERE username = ?"), username)
	if err != nil {
		return nil, fmt.Errorf("store: read user: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: read user: %w", err)
		}
		return nil, cunjing.Errorf(cunjing.ENotFound, "user not found")
	}
	return scanUser(rows)
}

func scanUser(rows *sql.Rows) (*cunjing.User, error) {
	var row userRow
	if err := rows.Scan(row.dest()...); err != nil {
		return nil, fmt.Errorf("store: scan user: %w", err)
	}
	return row.user(), nil
}

// userRow is an account as its userColumns are scanned.
type userRow struct {
	u                      cunjing.User
	role, changed, created string
}

func (r *userRow) dest() []any {
	return []any{&r.u.Username, &r.u.DisplayName, &r.u.Phone, &r.role, &r.u.UnitCode, &r.u.Disabled, &r.u.PasswordHash,
		&r.changed, &r.u.MustChangePassword, &r.u.TOTPSecret, &r.created}
}

func (r *userRow) user() *cunjing.User {
	u := r.u
	u.Role = cunjing.Role(r.role)
	u.PasswordChangedAt, _ = parseTimestamp(r.changed)
	u.CreatedAt, _ = parseTimestamp(r.created)
	return &u
}

// CreateFirstUser adds u when the users table is empty, in one transaction,
// and reports whether it did. The creation is audited in the same transaction.
func (s *Store) CreateFirstUser(ctx context.Context, u cunjing.User) (bool, error) {
	created := false
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
			return fmt.Errorf("store: count users: %w", err)
		}
		if n > 0 {
			return nil
		}
		if err := s.insertUser(ctx, tx, u); err != nil {
			return err
		}
		if err := s.auditTx(ctx, tx, cunjing.ActionUserCreate, cunjing.CanonicalUsername(u.Username), cunjing.ResultOK,
			"role "+string(u.Role)); err != nil {
			return err
		}
		created = true
		return nil
	})
	return created, err
}

func (s *Store) insertUser(ctx context.Context, tx *sql.Tx, u cunjing.User) error {
	now := timestamp(s.now())
	_, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO users (username, display_name, phone, role, unit_code, disabled,
		password_hash, password_changed_at, must_change_password, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		cunjing.CanonicalUsername(u.Username), u.DisplayName, u.Phone, string(u.Role), nullIfEmpty(u.UnitCode), u.Disabled,
		u.PasswordHash, now, u.MustChangePassword, now)
	switch {
	case err != nil && isUniqueViolation(err):
		return cunjing.Errorf(cunjing.EConflict, "user %s exists already", cunjing.CanonicalUsername(u.Username))
	case err != nil && isForeignKeyViolation(err):
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "unknown unit", Fields: map[string]string{"unit_code": "unknown unit"}}
	case err != nil:
		return fmt.Errorf("store: insert user: %w", err)
	}
	return nil
}

// parseTimestamp reads a *_at column; "" is the zero time.
func parseTimestamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02T15:04:05.000000Z", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: bad timestamp %q: %w", s, err)
	}
	return t, nil
}

// SetPassword stores a new password hash changed at the given time, and
// records whether the user must change it at the next login.
func (s *Store) SetPassword(ctx context.Context, username, hash string, mustChange bool, at time.Time) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE users SET password_hash = ?, must_change_password = ?,
			password_changed_at = ?, failed_logins = 0, locked_until = '' WHERE username = ?`),
			hash, mustChange, timestamp(at), cunjing.CanonicalUsername(username))
		if err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		if err := mustAffect(res, "user"); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionPasswordChange, cunjing.CanonicalUsername(username), cunjing.ResultOK, "")
	})
}

// mustAffect turns an update of no row into not found.
func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if n == 0 {
		return cunjing.Errorf(cunjing.ENotFound, "%s not found", what)
	}
	return nil
}

var errNoIdentity = errors.New("store: no identity in the context")
