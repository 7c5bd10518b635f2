package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"cunjing"
)

var _ cunjing.UserService = (*Store)(nil)

// User returns the account with the given user name.
func (s *Store) User(ctx context.Context, username string) (*cunjing.User, error) {
	var u cunjing.User
	var role string
	err := s.read.QueryRowContext(ctx, s.dialect.q("SELECT username, display_name, password_hash, role FROM users WHERE username = ?"),
		cunjing.CanonicalUsername(username)).Scan(&u.Username, &u.DisplayName, &u.PasswordHash, &role)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cunjing.Errorf(cunjing.ENotFound, "user not found")
	}
	if err != nil {
		return nil, fmt.Errorf("store: read user: %w", err)
	}
	u.Role = cunjing.Role(role)
	return &u, nil
}

// CreateFirstUser adds u when the users table is empty, in one transaction,
// and reports whether it did.
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
		_, err := tx.ExecContext(ctx, s.dialect.q("INSERT INTO users (username, display_name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)"),
			cunjing.CanonicalUsername(u.Username), u.DisplayName, u.PasswordHash, string(u.Role), timestamp(s.now()))
		if err != nil {
			return fmt.Errorf("store: create first user: %w", err)
		}
		created = true
		return nil
	})
	return created, err
}
