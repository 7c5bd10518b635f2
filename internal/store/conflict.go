package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"cunjing"
)

// reportConflict records in tx that the person of resident id, held in
// area held, was claimed in area claimed, and audits it; a claim still
// open from that area is not recorded twice. It returns the conflict's ID.
func (s *Store) reportConflict(ctx context.Context, tx *sql.Tx, resident int64, held, claimed string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, s.dialect.q(`SELECT id FROM conflicts WHERE resident_id = ? AND claimed_in = ? AND resolved_at = ''`),
		resident, claimed).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO conflicts (resident_id, held_in, claimed_in, claimed_by, claimed_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`), resident, held, claimed, actorOf(ctx), timestamp(s.now())).Scan(&id)
		if err != nil {
			return 0, fmt.Errorf("store: report conflict: %w", err)
		}
	case err != nil:
		return 0, fmt.Errorf("store: look up conflict: %w", err)
	}
	detail := fmt.Sprintf("reported: conflict %d, held in %s, claimed in %s", id, held, claimed)
	return id, s.auditTx(ctx, tx, cunjing.ActionConflict, recordObject(cunjing.RecordResident, resident), cunjing.ResultOK, detail)
}

const conflictColumns = `c.id, c.resident_id, c.held_in, c.claimed_in, c.claimed_by, c.claimed_at, r.name, r.id_masked,
	c.resolved_by, c.resolution, c.resolved_at`

const conflictFrom = " FROM conflicts c JOIN residents r ON r.id = c.resident_id"

// conflictVisible is the condition that a conflict touches the scope:
// the person is held in it or was claimed from it.
func conflictVisible(ctx context.Context) (string, []any, error) {
	held, heldArgs, err := inScope(ctx, "c.held_in")
	if err != nil || held == "" {
		return "", nil, err
	}
	claimed, claimedArgs, _ := inScope(ctx, "c.claimed_in")
	return "(" + held + " OR " + claimed + ")", append(heldArgs, claimedArgs...), nil
}

// FindConflicts lists the open conflicts that touch the scope, oldest
// first, the person's ID number masked.
func (s *Store) FindConflicts(ctx context.Context, page cunjing.Page) ([]cunjing.Conflict, string, error) {
	page = page.Normalized()
	var l listQuery
	if err := l.addScope(conflictVisible(ctx)); err != nil {
		return nil, "", err
	}
	l.add("c.resolved_at = ''")
	query, err := l.sqlByID("c.id", "SELECT "+conflictColumns+conflictFrom, page, false)
	if err != nil {
		return nil, "", err
	}
	found, err := s.queryConflicts(ctx, s.read, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	found, next := cutByID(found, page.Limit, func(c cunjing.Conflict) int64 { return c.ID })
	return found, next, nil
}

// ResolveConflict closes a conflict that touches the scope, with the
// resolution in words, audited; one that does not is not found.
func (s *Store) ResolveConflict(ctx context.Context, id int64, resolution string) error {
	resolution = strings.TrimSpace(resolution)
	if resolution == "" || utf8.RuneCountInString(resolution) > cunjing.MaxNoteRunes || strings.ContainsFunc(resolution, printsNothingInText) {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "say how the conflict was resolved",
			Fields: map[string]string{"resolution": "is required: at most 2000 printable characters"}}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		visible, args, err := conflictVisible(ctx)
		if err != nil {
			return err
		}
		query := "SELECT " + conflictColumns + conflictFrom + " WHERE c.id = ?"
		if visible != "" {
			query += " AND " + visible
		}
		found, err := s.queryConflicts(ctx, tx, query, append([]any{id}, args...)...)
		if err != nil {
			return err
		}
		if len(found) == 0 {
			return cunjing.Errorf(cunjing.ENotFound, "conflict %d not found", id)
		}
		if found[0].Resolved {
			return cunjing.Errorf(cunjing.EConflict, "conflict %d is already resolved", id)
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE conflicts SET resolved_by = ?, resolution = ?, resolved_at = ? WHERE id = ?"),
			actorOf(ctx), resolution, timestamp(s.now()), id); err != nil {
			return fmt.Errorf("store: resolve conflict: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionConflict, recordObject(cunjing.RecordResident, found[0].ResidentID), cunjing.ResultOK,
			fmt.Sprintf("resolved: conflict %d", id))
	})
}

func (s *Store) queryConflicts(ctx context.Context, db querier, query string, args ...any) ([]cunjing.Conflict, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query conflicts: %w", err)
	}
	defer rows.Close()
	var found []cunjing.Conflict
	for rows.Next() {
		var c cunjing.Conflict
		var claimedAt, resolvedAt string
		if err := rows.Scan(&c.ID, &c.ResidentID, &c.HeldIn, &c.ClaimedIn, &c.ClaimedBy, &claimedAt, &c.Name, &c.IDMasked,
			&c.ResolvedBy, &c.Resolution, &resolvedAt); err != nil {
			return nil, fmt.Errorf("store: scan conflict: %w", err)
		}
		if c.ClaimedAt, err = parseTimestamp(claimedAt); err != nil {
			return nil, fmt.Errorf("store: scan conflict: %w", err)
		}
		if resolvedAt != "" {
			c.Resolved = true
			if c.ResolvedAt, err = parseTimestamp(resolvedAt); err != nil {
				return nil, fmt.Errorf("store: scan conflict: %w", err)
			}
		}
		found = append(found, c)
	}
	return found, rows.Err()
}
