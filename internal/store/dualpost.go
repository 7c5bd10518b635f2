package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"cunjing"
)

var _ cunjing.DualPostService = (*Store)(nil)

const dualPostColumns = `d.id, d.staff_id, d.area_code, d.post, d.appointed_on, d.document_no, d.ended_on, s.name, a.name`

const dualPostFrom = ` FROM dual_posts d JOIN staff s ON s.id = d.staff_id JOIN areas a ON a.code = d.area_code`

// heldOn is the condition that a dual post (alias d) is held on a day
// (one argument): appointed by then and not ended by then.
const heldOn = "d.appointed_on <= ? AND (d.ended_on = '' OR d.ended_on > ?)"

// openEnd stands for the end of a post not ended: a date after every other.
// It is a date, not "~": date columns keep the database's collation, and in
// a linguistic one (zh_CN, ICU) "~" sorts before the digits.
const openEnd = "9999-12-31"

// AddDualPost records the dual post of an active police officer in scope
// in a village or community in scope, audited. The same post in the same
// village held by the same officer over an overlapping period is a
// conflict; dates after today are refused for the end.
func (s *Store) AddDualPost(ctx context.Context, p cunjing.DualPost) (int64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	today := cunjing.DateOf(s.now())
	if today.Before(p.AppointedOn) {
		return 0, &cunjing.Error{Code: cunjing.EInvalid, Message: "the dual post is not valid",
			Fields: map[string]string{"appointed_on": "cannot be in the future: the register records posts taken"}}
	}
	if today.Before(p.EndedOn) {
		return 0, &cunjing.Error{Code: cunjing.EInvalid, Message: "the dual post is not valid",
			Fields: map[string]string{"ended_on": "cannot be in the future"}}
	}
	var id int64
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkDualPost(ctx, tx, p); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO dual_posts (staff_id, area_code, post, appointed_on, document_no,
			ended_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), p.StaffID, p.AreaCode, string(p.Post),
			p.AppointedOn.String(), p.DocumentNo, p.EndedOn.String(), timestamp(s.now())).Scan(&id); err != nil {
			return fmt.Errorf("store: insert dual post: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionDualPost, p.AreaCode, cunjing.ResultOK,
			fmt.Sprintf("dual_post:%d %s %s from %s", id, staffObject(p.StaffID), p.Post, p.AppointedOn))
	})
	return id, err
}

// checkDualPost checks the officer and the village of a new dual post,
// both in scope, and that it does not overlap the same post held before.
func (s *Store) checkDualPost(ctx context.Context, tx *sql.Tx, p cunjing.DualPost) error {
	staff, err := s.staffInScope(ctx, tx, p.StaffID)
	if err != nil {
		return err
	}
	area, err := s.areaInScope(ctx, tx, p.AreaCode)
	if err != nil {
		return err
	}
	fields := map[string]string{}
	if staff.Kind != cunjing.StaffOfficer {
		fields["staff_id"] = "a dual post is held by a police officer; " + staff.Name + " is " + string(staff.Kind)
	} else if staff.Status != cunjing.StaffActive {
		fields["staff_id"] = staff.Name + " is not active (" + string(staff.Status) + ")"
	}
	if area.Level != cunjing.LevelVillage {
		fields["area_code"] = "must be a village or community"
	}
	if len(fields) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the dual post is not valid", Fields: fields}
	}
	end := p.EndedOn.String()
	if end == "" {
		end = openEnd
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.dialect.q(`SELECT COUNT(*) FROM dual_posts WHERE staff_id = ? AND area_code = ? AND post = ?
		AND appointed_on < ? AND (ended_on = '' OR ended_on > ?)`), p.StaffID, p.AreaCode, string(p.Post), end,
		p.AppointedOn.String()).Scan(&n); err != nil {
		return fmt.Errorf("store: check dual posts: %w", err)
	}
	if n > 0 {
		return &cunjing.Error{Code: cunjing.EConflict, Message: staff.Name + " already holds this post in " + area.Name + " in that period",
			Fields: map[string]string{"post": "already held"}}
	}
	return nil
}

// EndDualPost ends a held dual post of a village in scope on a day between
// its appointment and today, audited.
func (s *Store) EndDualPost(ctx context.Context, id int64, end cunjing.Date) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		found, err := s.queryDualPosts(ctx, tx, "SELECT "+dualPostColumns+dualPostFrom+" WHERE d.id = ?", id)
		if err != nil {
			return err
		}
		if len(found) == 0 || checkAreaInScope(ctx, found[0].AreaCode) != nil {
			return cunjing.Errorf(cunjing.ENotFound, "dual post %d not found", id)
		}
		p := found[0]
		if !p.EndedOn.IsZero() {
			return cunjing.Errorf(cunjing.EConflict, "the dual post ended on %s", p.EndedOn)
		}
		if msg := endDateProblem(end, p.AppointedOn, cunjing.DateOf(s.now())); msg != "" {
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "the end date is not valid", Fields: map[string]string{"ended_on": msg}}
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE dual_posts SET ended_on = ? WHERE id = ? AND ended_on = ''"), end.String(), id); err != nil {
			return fmt.Errorf("store: end dual post: %w", err)
		}
		return s.appendAudit(ctx, tx, []auditRow{endDualPostAudit(p, end)})
	})
}

// endDualPostAudit is the audit row of the end of a dual post.
func endDualPostAudit(p cunjing.DualPost, end cunjing.Date) auditRow {
	return auditRow{action: cunjing.ActionDualPost, object: p.AreaCode, result: cunjing.ResultOK,
		detail: fmt.Sprintf("dual_post:%d %s %s ended %s", p.ID, staffObject(p.StaffID), p.Post, end)}
}

// DualPosts lists the dual posts of the villages in scope under an area
// code ("" for the whole scope), of one officer when staffID is set: the
// ones not ended first, then by appointment, newest first.
func (s *Store) DualPosts(ctx context.Context, under string, staffID int64) ([]cunjing.DualPost, error) {
	var l listQuery
	if err := l.addScope(inScope(ctx, "d.area_code")); err != nil {
		return nil, err
	}
	if under != "" {
		if err := checkAreaInScope(ctx, under); err != nil {
			return nil, err
		}
		l.add("d.area_code >= ? AND d.area_code < ?", under, under+cunjing.CodeUpperBound)
	}
	if staffID != 0 {
		l.add("d.staff_id = ?", staffID)
	}
	query := "SELECT " + dualPostColumns + dualPostFrom
	if len(l.where) > 0 {
		query += " WHERE " + strings.Join(l.where, " AND ")
	}
	query += " ORDER BY CASE WHEN d.ended_on = '' THEN 0 ELSE 1 END, d.appointed_on DESC, d.id DESC"
	return s.queryDualPosts(ctx, s.read, query, l.args...)
}

func (s *Store) queryDualPosts(ctx context.Context, db querier, query string, args ...any) ([]cunjing.DualPost, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query dual posts: %w", err)
	}
	defer rows.Close()
	var found []cunjing.DualPost
	for rows.Next() {
		var p cunjing.DualPost
		var post, appointed, ended string
		if err := rows.Scan(&p.ID, &p.StaffID, &p.AreaCode, &post, &appointed, &p.DocumentNo, &ended, &p.StaffName, &p.AreaName); err != nil {
			return nil, fmt.Errorf("store: scan dual post: %w", err)
		}
		p.Post = cunjing.DualPostKind(post)
		p.AppointedOn, err = cunjing.ParseDate(appointed)
		if err == nil {
			p.EndedOn, err = cunjing.ParseDate(ended)
		}
		if err != nil {
			return nil, fmt.Errorf("store: dual post %d: %w", p.ID, err)
		}
		found = append(found, p)
	}
	return found, rows.Err()
}

// childCodeLength is the length of the codes of the children of a code,
// by the length of the code; village-tier codes have no official children.
var childCodeLength = map[int]int{2: 4, 4: 6, 6: 9, 9: 12}

// DualPostTally counts the villages and communities under an area in
// scope (the area itself when it is one) and how many of them have an
// officer holding a dual post today.
func (s *Store) DualPostTally(ctx context.Context, under string) (cunjing.DualPostTally, error) {
	var t cunjing.DualPostTally
	rows, err := s.tallyDualPosts(ctx, under, 0)
	if err != nil {
		return t, err
	}
	for _, r := range rows {
		t.Areas += r.Areas
		t.Held += r.Held
	}
	return t, nil
}

// DualPostsByChild is DualPostTally for each child of an area in scope,
// keyed by the child's code; children without villages are left out, and a
// village-tier area has no children.
func (s *Store) DualPostsByChild(ctx context.Context, under string) (map[string]cunjing.DualPostTally, error) {
	length, ok := childCodeLength[len(under)]
	if !ok {
		if err := checkAreaInScope(ctx, under); err != nil {
			return nil, err
		}
		return map[string]cunjing.DualPostTally{}, nil
	}
	return s.tallyDualPosts(ctx, under, length)
}

// tallyDualPosts counts villages and the villages with a dual post held
// today under an area in scope, grouped by the first length characters
// of their codes; length 0 makes one group.
func (s *Store) tallyDualPosts(ctx context.Context, under string, length int) (map[string]cunjing.DualPostTally, error) {
	if err := checkAreaInScope(ctx, under); err != nil {
		return nil, err
	}
	group := "''"
	if length > 0 {
		group = "SUBSTR(a.code, 1, " + strconv.Itoa(length) + ")"
	}
	today := cunjing.DateOf(s.now()).String()
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT `+group+`, COUNT(*),
		COUNT(CASE WHEN EXISTS (SELECT 1 FROM dual_posts d WHERE d.area_code = a.code AND `+heldOn+`) THEN 1 END)
		FROM areas a WHERE a.level = 'village' AND a.code >= ? AND a.code < ? GROUP BY 1`),
		today, today, under, under+cunjing.CodeUpperBound)
	if err != nil {
		return nil, fmt.Errorf("store: tally dual posts: %w", err)
	}
	defer rows.Close()
	tallies := map[string]cunjing.DualPostTally{}
	for rows.Next() {
		var key string
		var t cunjing.DualPostTally
		if err := rows.Scan(&key, &t.Areas, &t.Held); err != nil {
			return nil, fmt.Errorf("store: tally dual posts: %w", err)
		}
		tallies[key] = t
	}
	return tallies, rows.Err()
}
