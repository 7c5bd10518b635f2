package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
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
	ids, err := s.AddDualPosts(ctx, []cunjing.DualPost{p})
	if err != nil {
		return 0, itemCause(err)
	}
	return ids[0], nil
}

// AddDualPosts records dual posts as AddDualPost does each, in one
// transaction, and returns their IDs in order. It reads the officers, the
// villages and the officers' earlier terms of the whole batch at once,
// checks each post against those and the posts before it in the batch, and
// appends the audit rows together. A refused post is named by a
// cunjing.ItemError, and then none is recorded.
func (s *Store) AddDualPosts(ctx context.Context, posts []cunjing.DualPost) ([]int64, error) {
	posts = slices.Clone(posts)
	today := cunjing.DateOf(s.now())
	for i := range posts {
		if err := validateDualPost(&posts[i], today); err != nil {
			return nil, &cunjing.ItemError{Index: i, Err: err}
		}
	}
	if len(posts) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(posts))
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		b, err := s.readDualPostBatch(ctx, tx, posts)
		if err != nil {
			return err
		}
		insert, err := tx.PrepareContext(ctx, s.dialect.q(`INSERT INTO dual_posts (staff_id, area_code, post, appointed_on,
			document_no, ended_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`))
		if err != nil {
			return fmt.Errorf("store: prepare: %w", err)
		}
		defer insert.Close()
		audit := make([]auditRow, len(posts))
		for i, p := range posts {
			if err := b.check(p); err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
			if err := insert.QueryRowContext(ctx, p.StaffID, p.AreaCode, string(p.Post), p.AppointedOn.String(), p.DocumentNo,
				p.EndedOn.String(), timestamp(s.now())).Scan(&ids[i]); err != nil {
				return fmt.Errorf("store: insert dual post: %w", err)
			}
			audit[i] = auditRow{action: cunjing.ActionDualPost, object: p.AreaCode, result: cunjing.ResultOK,
				detail: fmt.Sprintf("dual_post:%d %s %s from %s", ids[i], staffObject(p.StaffID), p.Post, p.AppointedOn)}
		}
		return s.appendAudit(ctx, tx, audit)
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// itemCause is the error of the item of a batch of one, for the methods on
// one item that call the batch ones.
func itemCause(err error) error {
	if item, ok := err.(*cunjing.ItemError); ok {
		return item.Err
	}
	return err
}

// validateDualPost checks a dual post on its own and that it is not
// appointed or ended after today.
func validateDualPost(p *cunjing.DualPost, today cunjing.Date) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if today.Before(p.AppointedOn) {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the dual post is not valid",
			Fields: map[string]string{"appointed_on": "cannot be in the future: the register records posts taken"}}
	}
	if today.Before(p.EndedOn) {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the dual post is not valid",
			Fields: map[string]string{"ended_on": "cannot be in the future"}}
	}
	return nil
}

// dualPostBatch is what the checks of a batch of dual posts read: its
// officers and villages that are in scope, and the terms of the officers'
// posts, stored or earlier in the batch.
type dualPostBatch struct {
	staff map[int64]cunjing.Staff
	areas map[string]cunjing.Area
	terms map[dualPostKey][]dualTerm
}

// dualPostKey is one post of one officer in one village.
type dualPostKey struct {
	staff int64
	area  string
	post  cunjing.DualPostKind
}

// dualTerm is the days of a term: from its appointment to its end, openEnd
// while held.
type dualTerm struct{ from, end string }

func termOf(appointed, ended string) dualTerm {
	return dualTerm{from: appointed, end: cmp.Or(ended, openEnd)}
}

// readDualPostBatch reads the officers in scope, the villages in scope and
// the stored terms of the officers of posts, a few hundred at a time.
func (s *Store) readDualPostBatch(ctx context.Context, tx *sql.Tx, posts []cunjing.DualPost) (*dualPostBatch, error) {
	b := &dualPostBatch{staff: map[int64]cunjing.Staff{}, terms: map[dualPostKey][]dualTerm{}}
	var ids []any
	var codes []string
	seen := map[int64]bool{}
	for _, p := range posts {
		if !seen[p.StaffID] {
			seen[p.StaffID] = true
			ids = append(ids, p.StaffID)
		}
		if checkAreaInScope(ctx, p.AreaCode) == nil {
			codes = append(codes, p.AreaCode)
		}
	}
	visible, scopeArgs, err := unitInScope(ctx, "s.unit_code")
	if err != nil {
		return nil, err
	}
	staff, err := s.staffByID(ctx, tx, ids, visible, scopeArgs)
	if err != nil {
		return nil, err
	}
	for _, m := range staff {
		b.staff[m.ID] = m
	}
	if b.areas, err = s.areasByCodes(ctx, codes); err != nil {
		return nil, err
	}
	return b, s.readDualTerms(ctx, tx, ids, b.terms)
}

// readDualTerms adds the stored terms of the officers ids to terms.
func (s *Store) readDualTerms(ctx context.Context, tx *sql.Tx, ids []any, terms map[dualPostKey][]dualTerm) error {
	return inBatches(ids, func(batch []any) error {
		rows, err := tx.QueryContext(ctx, s.dialect.q(`SELECT staff_id, area_code, post, appointed_on, ended_on
			FROM dual_posts WHERE staff_id IN (`+marks(len(batch))+")"), batch...)
		if err != nil {
			return fmt.Errorf("store: read dual posts: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var k dualPostKey
			var post, appointed, ended string
			if err := rows.Scan(&k.staff, &k.area, &post, &appointed, &ended); err != nil {
				return fmt.Errorf("store: read dual posts: %w", err)
			}
			k.post = cunjing.DualPostKind(post)
			terms[k] = append(terms[k], termOf(appointed, ended))
		}
		return rows.Err()
	})
}

// check checks the officer and the village of a new dual post, both in
// scope, and that it does not overlap the same post held before; the post
// then counts for the posts after it in the batch.
func (b *dualPostBatch) check(p cunjing.DualPost) error {
	staff, ok := b.staff[p.StaffID]
	if !ok {
		return cunjing.Errorf(cunjing.ENotFound, "staff %d not found", p.StaffID)
	}
	area, ok := b.areas[p.AreaCode]
	if !ok {
		return cunjing.Errorf(cunjing.ENotFound, "area not found")
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
	key := dualPostKey{staff: p.StaffID, area: p.AreaCode, post: p.Post}
	term := termOf(p.AppointedOn.String(), p.EndedOn.String())
	for _, t := range b.terms[key] {
		if t.from < term.end && t.end > term.from {
			return &cunjing.Error{Code: cunjing.EConflict, Message: staff.Name + " already holds this post in " + area.Name + " in that period",
				Fields: map[string]string{"post": "already held"}}
		}
	}
	b.terms[key] = append(b.terms[key], term)
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
