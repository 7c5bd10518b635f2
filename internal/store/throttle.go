package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cunjing"
)

// Throttle is the login limit: Failures failed logins within Window lock an
// account for Lock; IPFailures failed logins from one address within Window
// refuse that address until the window passes.
type Throttle struct {
	Failures   int
	IPFailures int
	Window     time.Duration
	Lock       time.Duration
}

// LoginBlocked reports whether the account is locked or the address is
// refused at now. Unknown accounts are never locked, so that the answer
// does not tell them from known ones.
func (s *Store) LoginBlocked(ctx context.Context, username, ip string, now time.Time, t Throttle) (userLocked, ipBlocked bool, err error) {
	var lockedUntil string
	err = s.read.QueryRowContext(ctx, s.dialect.q("SELECT locked_until FROM users WHERE username = ?"), username).Scan(&lockedUntil)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, false, fmt.Errorf("store: read lock: %w", err)
	}
	userLocked = lockedUntil != "" && lockedUntil > timestamp(now)
	var start string
	var failures int
	err = s.read.QueryRowContext(ctx, s.dialect.q("SELECT window_start, failures FROM login_ip_failures WHERE ip = ?"), ip).Scan(&start, &failures)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, false, fmt.Errorf("store: read address failures: %w", err)
	}
	ipBlocked = failures >= t.IPFailures && start > timestamp(now.Add(-t.Window))
	return userLocked, ipBlocked, nil
}

// RecordLoginFailure counts a failed login for the account (if it exists)
// and the address in one transaction, and locks the account when it reaches
// the limit. The counters are updated in SQL, so parallel failures all count.
func (s *Store) RecordLoginFailure(ctx context.Context, username, ip string, now time.Time, t Throttle) error {
	windowStart := timestamp(now.Add(-t.Window))
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE users SET
			failed_logins = CASE WHEN first_failed_at > ? THEN failed_logins + 1 ELSE 1 END,
			first_failed_at = CASE WHEN first_failed_at > ? THEN first_failed_at ELSE ? END
			WHERE username = ?`), windowStart, windowStart, timestamp(now), username)
		if err != nil {
			return fmt.Errorf("store: count failed login: %w", err)
		}
		_, err = tx.ExecContext(ctx, s.dialect.q("UPDATE users SET locked_until = ?, failed_logins = 0, first_failed_at = '' WHERE username = ? AND failed_logins >= ?"),
			timestamp(now.Add(t.Lock)), username, t.Failures)
		if err != nil {
			return fmt.Errorf("store: lock account: %w", err)
		}
		return s.countAddressFailure(ctx, tx, ip, now, windowStart)
	})
}

func (s *Store) countAddressFailure(ctx context.Context, tx *sql.Tx, ip string, now time.Time, windowStart string) error {
	_, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO login_ip_failures (ip, window_start, failures) VALUES (?, ?, 1)
		ON CONFLICT (ip) DO UPDATE SET
		failures = CASE WHEN login_ip_failures.window_start > ? THEN login_ip_failures.failures + 1 ELSE 1 END,
		window_start = CASE WHEN login_ip_failures.window_start > ? THEN login_ip_failures.window_start ELSE excluded.window_start END`),
		ip, timestamp(now), windowStart, windowStart)
	if err != nil {
		return fmt.Errorf("store: count address failure: %w", err)
	}
	return nil
}

// ClearLoginFailures resets the account's failure count after a good login.
func (s *Store) ClearLoginFailures(ctx context.Context, username string) error {
	return s.exec(ctx, "UPDATE users SET failed_logins = 0, first_failed_at = '', locked_until = '' WHERE username = ?", username)
}

// UseTOTPStep records the time step of an accepted second-factor code, and
// reports false when that step or a later one was used already (a replay).
func (s *Store) UseTOTPStep(ctx context.Context, username string, step int64) (bool, error) {
	used := false
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.dialect.q("UPDATE users SET totp_last_step = ? WHERE username = ? AND totp_last_step < ?"), step, username, step)
		if err != nil {
			return fmt.Errorf("store: use code: %w", err)
		}
		n, err := res.RowsAffected()
		used = n == 1
		return err
	})
	return used, err
}

// TOTPLastStep returns the last accepted time step of the user's codes.
func (s *Store) TOTPLastStep(ctx context.Context, username string) (int64, error) {
	var step int64
	if err := s.read.QueryRowContext(ctx, s.dialect.q("SELECT totp_last_step FROM users WHERE username = ?"), username).Scan(&step); err != nil {
		return 0, fmt.Errorf("store: read code step: %w", err)
	}
	return step, nil
}

// SetTOTPSecret stores a user's second-factor secret ("" removes it).
func (s *Store) SetTOTPSecret(ctx context.Context, username, secret string) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE users SET totp_secret = ?, totp_last_step = 0 WHERE username = ?"), secret, username); err != nil {
			return fmt.Errorf("store: set second factor: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionUserUpdate, username, cunjing.ResultOK, "second factor enrolled")
	})
}
