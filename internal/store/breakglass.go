package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"cunjing"
)

var _ cunjing.BreakGlassService = (*Store)(nil)

// BreakGlass grants the caller a read of object outside his scope for ttl
// (cunjing.BreakGlassTTL when 0 or less) and audits the grant with its
// reason, in one transaction. The reason is trimmed and must have
// cunjing.MinBreakGlassReason to cunjing.MaxBreakGlassReason characters;
// only roles that read personal data may ask. Whether the object exists is
// not checked, so that a grant tells nothing about it.
func (s *Store) BreakGlass(ctx context.Context, object, reason string, ttl time.Duration) error {
	id := cunjing.IdentityFrom(ctx)
	if id == nil {
		return errNoIdentity
	}
	if !id.Role.Can(cunjing.PermReadPersonal) {
		return cunjing.Errorf(cunjing.EForbidden, "your role may not read personal data")
	}
	object, err := cunjing.CanonicalObject(object)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < cunjing.MinBreakGlassReason || n > cunjing.MaxBreakGlassReason ||
		!utf8.ValidString(reason) || strings.ContainsRune(reason, 0) {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "a break-glass read needs a stated reason",
			Fields: map[string]string{"reason": fmt.Sprintf("%d–%d characters", cunjing.MinBreakGlassReason, cunjing.MaxBreakGlassReason)}}
	}
	if ttl <= 0 {
		ttl = cunjing.BreakGlassTTL
	}
	now := s.now()
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO break_glass (id, username, object, reason, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`), rand.Text(), cunjing.CanonicalUsername(id.Username), object, reason,
			timestamp(now), timestamp(now.Add(ttl))); err != nil {
			return fmt.Errorf("store: break-glass grant: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionBreakGlass, object, cunjing.ResultOK, reason)
	})
}

// liveGrant returns the reason of the caller's newest unexpired grant for
// object, and whether there is one. A role that no longer reads personal
// data has none.
func (s *Store) liveGrant(ctx context.Context, object string) (string, bool, error) {
	id := cunjing.IdentityFrom(ctx)
	if id == nil {
		return "", false, errNoIdentity
	}
	if !id.Role.Can(cunjing.PermReadPersonal) {
		return "", false, nil
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT reason FROM break_glass WHERE username = ? AND object = ?
		AND expires_at > ? ORDER BY expires_at DESC LIMIT 1`), cunjing.CanonicalUsername(id.Username), object, timestamp(s.now()))
	if err != nil {
		return "", false, fmt.Errorf("store: read break-glass grant: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return "", false, rows.Err()
	}
	var reason string
	if err := rows.Scan(&reason); err != nil {
		return "", false, fmt.Errorf("store: read break-glass grant: %w", err)
	}
	return reason, true, nil
}

// SetClock replaces the clock the store stamps rows and judges grants
// with. Tests use it to move time on; the server keeps time.Now.
func (s *Store) SetClock(now func() time.Time) {
	s.now = now
}
