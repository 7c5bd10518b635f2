package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cunjing"
)

// CreateSession stores a session or API token.
func (s *Store) CreateSession(ctx context.Context, sess cunjing.Session) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO sessions (id_hash, username, kind, name, mfa_pending,
			created_at, last_seen_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '')`),
			sess.IDHash, sess.Username, string(sess.Kind), sess.Name, sess.MFAPending,
			timestamp(sess.CreatedAt), timestamp(sess.LastSeenAt), timestamp(sess.ExpiresAt))
		if err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		return nil
	})
}

// sessionQuery reads a session, its user, the user's scope (a row per
// area) and the stored login policy, in one round trip. Officers and
// auxiliaries see the areas of their open assignments; the other roles
// their unit's jurisdiction.
var sessionQuery = `SELECT s.kind, s.name, s.mfa_pending, s.created_at, s.last_seen_at, s.expires_at, ` + userColumnsOf("u.") + `,
	COALESCE(a.area_code, x.area_code, ''), COALESCE(p.value, '') FROM sessions s JOIN users u ON u.username = s.username
	LEFT JOIN unit_areas a ON a.unit_code = u.unit_code AND u.role NOT IN (` + postHolders + `)
	LEFT JOIN staff st ON st.username = u.username AND u.role IN (` + postHolders + `)
	LEFT JOIN assignments x ON x.staff_id = st.id AND x.end_date = ''
	LEFT JOIN settings p ON p.name = '` + loginPolicySetting + `'
	WHERE s.id_hash = ? AND s.revoked_at = '' ORDER BY COALESCE(a.area_code, x.area_code, '')`

// postHolders are the roles whose scope is their posts (SQL list).
const postHolders = "'" + string(cunjing.RoleOfficer) + "', '" + string(cunjing.RoleAuxiliary) + "'"

// Session returns a live session with its user, the user's data scope and
// the stored login policy, read in one query at each request so that a
// change of unit, jurisdiction or policy applies at once (SECURITY.md B5).
// A revoked or unknown session is unauthorized; expiry is the caller's to
// judge.
func (s *Store) Session(ctx context.Context, idHash string) (*cunjing.SessionState, error) {
	stmt, err := s.readStmt(ctx, sessionQuery)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, idHash)
	if err != nil {
		return nil, fmt.Errorf("store: read session: %w", err)
	}
	defer rows.Close()
	state := &cunjing.SessionState{Session: &cunjing.Session{IDHash: idHash}}
	var policy string
	for rows.Next() {
		var area string
		if err := scanSessionRow(rows, state, &area, &policy); err != nil {
			return nil, err
		}
		if area != "" {
			state.Scope.Prefixes = append(state.Scope.Prefixes, area)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read session: %w", err)
	}
	if state.User == nil {
		return nil, cunjing.Errorf(cunjing.EUnauthorized, "not logged in")
	}
	state.Session.Username = state.User.Username
	// Accounts without a unit are the administrators set up at install.
	state.Scope.All = state.User.UnitCode == "" && state.User.Role.IsAdministrator()
	if policy != "" {
		p, err := parseLoginPolicy(policy)
		if err != nil {
			return nil, err
		}
		state.Policy = &p
	}
	return state, nil
}

// scanSessionRow reads one row of sessionQuery into state.
func scanSessionRow(rows *sql.Rows, state *cunjing.SessionState, area, policy *string) error {
	sess := state.Session
	var kind, created, seen, expires string
	var row userRow
	dest := append([]any{&kind, &sess.Name, &sess.MFAPending, &created, &seen, &expires}, row.dest()...)
	if err := rows.Scan(append(dest, area, policy)...); err != nil {
		return fmt.Errorf("store: read session: %w", err)
	}
	sess.Kind = cunjing.SessionKind(kind)
	sess.CreatedAt, _ = parseTimestamp(created)
	sess.LastSeenAt, _ = parseTimestamp(seen)
	sess.ExpiresAt, _ = parseTimestamp(expires)
	state.User = row.user()
	return nil
}

// TouchSession records activity on a session, for the idle timeout.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	return s.exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", timestamp(at), idHash)
}

// CompleteMFA marks the second factor of a session as given.
func (s *Store) CompleteMFA(ctx context.Context, idHash string) error {
	return s.exec(ctx, "UPDATE sessions SET mfa_pending = ? WHERE id_hash = ?", false, idHash)
}

// RevokeSession ends one session or token of a user.
func (s *Store) RevokeSession(ctx context.Context, username, idHash string) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.dialect.q("UPDATE sessions SET revoked_at = ? WHERE id_hash = ? AND username = ? AND revoked_at = ''"),
			timestamp(s.now()), idHash, username)
		if err != nil {
			return fmt.Errorf("store: revoke session: %w", err)
		}
		return mustAffect(res, "session")
	})
}

// RevokeSessions ends every session and token of a user but keep, if any.
func (s *Store) RevokeSessions(ctx context.Context, username, keep string) error {
	return s.exec(ctx, "UPDATE sessions SET revoked_at = ? WHERE username = ? AND id_hash <> ? AND revoked_at = ''",
		timestamp(s.now()), username, keep)
}

// Tokens lists the live API tokens of a user, newest first.
func (s *Store) Tokens(ctx context.Context, username string) ([]cunjing.Session, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT id_hash, name, created_at, last_seen_at, expires_at FROM sessions
		WHERE username = ? AND kind = ? AND revoked_at = '' ORDER BY created_at DESC`), username, string(cunjing.SessionToken))
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	defer rows.Close()
	var tokens []cunjing.Session
	for rows.Next() {
		t := cunjing.Session{Username: username, Kind: cunjing.SessionToken}
		var created, seen, expires string
		if err := rows.Scan(&t.IDHash, &t.Name, &created, &seen, &expires); err != nil {
			return nil, fmt.Errorf("store: list tokens: %w", err)
		}
		t.CreatedAt, _ = parseTimestamp(created)
		t.LastSeenAt, _ = parseTimestamp(seen)
		t.ExpiresAt, _ = parseTimestamp(expires)
		tokens = append(tokens, t)
	}
	return tokens, rows.Err()
}

// exec runs one statement in its own write transaction.
func (s *Store) exec(ctx context.Context, query string, args ...any) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.dialect.q(query), args...); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	})
}
