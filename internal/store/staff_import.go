package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cunjing"
)

var _ cunjing.StaffImporter = (*Store)(nil)

// ImportStaff writes an import of staff and posts in one transaction: the
// references of every row are checked first and all failures reported
// together, then the staff are added or changed, then the posts recorded,
// each audited, and the import itself is audited once.
func (s *Store) ImportStaff(ctx context.Context, in cunjing.StaffImport) (cunjing.StaffImportResult, error) {
	var res cunjing.StaffImportResult
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		imp := &staffImport{s: s, tx: tx, staff: append([]cunjing.Staff(nil), in.Staff...),
			posts: append([]cunjing.ImportPost(nil), in.Posts...)}
		if err := imp.check(ctx); err != nil {
			return err
		}
		if err := imp.writeStaff(ctx, &res); err != nil {
			return err
		}
		if err := imp.writePosts(ctx, &res); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionImportStaff, in.File, cunjing.ResultOK, fmt.Sprintf(
			"staff: %d added, %d changed, %d unchanged; posts: %d added, %d unchanged",
			res.StaffAdded, res.StaffChanged, res.StaffUnchanged, res.PostsAdded, res.PostsUnchanged))
	})
	if err != nil {
		return cunjing.StaffImportResult{}, err
	}
	return res, nil
}

// holder is what a post needs to know of the member of staff it names.
type holder struct {
	id     int64
	kind   cunjing.StaffKind
	status cunjing.StaffStatus
}

// staffImport is one import under way in its transaction.
type staffImport struct {
	s        *Store
	tx       *sql.Tx
	staff    []cunjing.Staff
	posts    []cunjing.ImportPost
	old      map[int64]*cunjing.Staff // stored members the rows change
	byNumber map[string]holder        // police number → member
	byID     map[int64]holder
	recorded map[int]bool // posts recorded before, by index
	failures []error
}

// fail records the failure of item i (staff first, then posts).
func (imp *staffImport) fail(i int, code, field, msg string) {
	imp.failures = append(imp.failures, &cunjing.ItemError{Index: i,
		Err: &cunjing.Error{Code: code, Message: msg, Fields: map[string]string{field: msg}}})
}

// check reads what the rows refer to and records every failure.
func (imp *staffImport) check(ctx context.Context) error {
	for _, step := range []func(context.Context) error{imp.checkChanged, imp.checkUnits, imp.checkNumbers,
		imp.checkAccounts, imp.checkHolders, imp.checkAreas} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return errors.Join(imp.failures...)
}

// checkChanged reads the members that rows change, keeps a masked phone as
// the stored number, and validates every staff row.
func (imp *staffImport) checkChanged(ctx context.Context) error {
	var ids []any
	for _, m := range imp.staff {
		if m.ID != 0 {
			ids = append(ids, m.ID)
		}
	}
	managed, args, err := unitManaged(ctx, "s.unit_code")
	if err != nil {
		return err
	}
	found, err := imp.s.staffByID(ctx, imp.tx, ids, managed, args)
	if err != nil {
		return err
	}
	imp.old = make(map[int64]*cunjing.Staff, len(found))
	for k := range found {
		imp.old[found[k].ID] = &found[k]
	}
	for i := range imp.staff {
		imp.checkStaffRow(i)
	}
	return nil
}

func (imp *staffImport) checkStaffRow(i int) {
	m := &imp.staff[i]
	if m.ID != 0 {
		old, ok := imp.old[m.ID]
		if !ok {
			imp.fail(i, cunjing.ENotFound, "staff_id", "staff "+strconv.FormatInt(m.ID, 10)+" not found")
			return
		}
		if strings.Contains(m.Phone, "*") && m.Phone == cunjing.MaskPhone(old.Phone) {
			m.Phone = old.Phone
		}
	}
	if err := m.Validate(); err != nil {
		imp.failures = append(imp.failures, &cunjing.ItemError{Index: i, Err: err})
	}
}

// checkUnits refuses units the scope does not manage, as not found.
func (imp *staffImport) checkUnits(ctx context.Context) error {
	managed, args, err := unitManaged(ctx, "code")
	if err != nil {
		return err
	}
	found := map[string]bool{}
	err = imp.s.lookupIn(ctx, imp.tx, "SELECT code FROM units WHERE code IN (%s)", distinct(imp.staff, func(m cunjing.Staff) string { return m.UnitCode }),
		managed, args, func(rows *sql.Rows) error {
			var code string
			err := rows.Scan(&code)
			found[code] = true
			return err
		})
	for i, m := range imp.staff {
		if err == nil && !found[m.UnitCode] {
			imp.fail(i, cunjing.ENotFound, "unit_code", "unit "+m.UnitCode+" not found")
		}
	}
	return err
}

// checkNumbers refuses police numbers that another member holds.
func (imp *staffImport) checkNumbers(ctx context.Context) error {
	taken, err := imp.holders(ctx, "police_number", distinct(imp.staff, func(m cunjing.Staff) string { return m.PoliceNumber }))
	for i, m := range imp.staff {
		if id, ok := taken[m.PoliceNumber]; err == nil && ok && id != m.ID {
			imp.fail(i, cunjing.EConflict, "police_number", "police number "+m.PoliceNumber+" is already registered")
		}
	}
	return err
}

// checkAccounts refuses new links to accounts that do not exist or lie
// outside the scope (see checkStaffAccount), and accounts linked to another
// member.
func (imp *staffImport) checkAccounts(ctx context.Context) error {
	names := distinct(imp.staff, func(m cunjing.Staff) string { return m.Username })
	linked, err := imp.holders(ctx, "username", names)
	if err != nil {
		return err
	}
	visible, args, err := usersInScope(ctx)
	if err != nil {
		return err
	}
	exists := map[string]bool{}
	err = imp.s.lookupIn(ctx, imp.tx, "SELECT username FROM users WHERE username IN (%s)", names, visible, args, func(rows *sql.Rows) error {
		var name string
		err := rows.Scan(&name)
		exists[name] = true
		return err
	})
	for i, m := range imp.staff {
		old := imp.old[m.ID]
		switch id, ok := linked[m.Username]; {
		case m.Username == "" || err != nil:
		case !exists[m.Username] && (old == nil || old.Username != m.Username):
			imp.fail(i, cunjing.EInvalid, "username", "account "+m.Username+" does not exist")
		case ok && id != m.ID:
			imp.fail(i, cunjing.EConflict, "username", "account "+m.Username+" is already linked to another staff record")
		}
	}
	return err
}

// holders maps the values of a unique staff column to the members holding
// them, in any scope: uniqueness is global.
func (imp *staffImport) holders(ctx context.Context, column string, values []any) (map[string]int64, error) {
	held := map[string]int64{}
	err := imp.s.lookupIn(ctx, imp.tx, "SELECT "+column+", id FROM staff WHERE "+column+" IN (%s)", values, "", nil, func(rows *sql.Rows) error {
		var value string
		var id int64
		err := rows.Scan(&value, &id)
		held[value] = id
		return err
	})
	return held, err
}

// checkHolders finds the member each post names, among the rows and the
// staff in scope, and checks that he may hold the post.
func (imp *staffImport) checkHolders(ctx context.Context) error {
	imp.byNumber, imp.byID = map[string]holder{}, map[int64]holder{}
	if err := imp.readHolders(ctx); err != nil {
		return err
	}
	for _, m := range imp.staff {
		h := holder{id: m.ID, kind: m.Kind, status: m.Status}
		if m.PoliceNumber != "" {
			imp.byNumber[m.PoliceNumber] = h
		}
		if m.ID != 0 {
			imp.byID[m.ID] = h
		}
	}
	imp.recorded = map[int]bool{}
	for j, p := range imp.posts {
		h, field, ok := imp.holderOf(p)
		if ok && h.id != 0 {
			recorded, err := imp.isRecorded(ctx, h.id, p)
			if err != nil {
				return err
			}
			imp.recorded[j] = recorded
		}
		switch {
		case imp.recorded[j]:
		case !ok:
			imp.fail(len(imp.staff)+j, cunjing.ENotFound, field, "staff not found")
		case h.kind != p.Role.StaffKind():
			imp.fail(len(imp.staff)+j, cunjing.EInvalid, "role", fmt.Sprintf("a %s post is held by %s staff, not %s", p.Role, p.Role.StaffKind(), h.kind))
		case h.status != cunjing.StaffActive:
			imp.fail(len(imp.staff)+j, cunjing.EInvalid, field, "the staff is not active ("+string(h.status)+")")
		}
	}
	return nil
}

// readHolders reads the stored members in scope that posts name.
func (imp *staffImport) readHolders(ctx context.Context) error {
	var numbers, ids []any
	for _, p := range imp.posts {
		if p.PoliceNumber != "" {
			numbers = append(numbers, p.PoliceNumber)
		} else if p.StaffID > 0 {
			ids = append(ids, p.StaffID)
		}
	}
	visible, args, err := unitInScope(ctx, "s.unit_code")
	if err != nil {
		return err
	}
	const sel = "SELECT s.id, s.police_number, s.kind, s.status FROM staff s WHERE "
	keep := func(rows *sql.Rows) error {
		var h holder
		var number, kind, status string
		err := rows.Scan(&h.id, &number, &kind, &status)
		h.kind, h.status = cunjing.StaffKind(kind), cunjing.StaffStatus(status)
		if number != "" {
			imp.byNumber[number] = h
		}
		imp.byID[h.id] = h
		return err
	}
	if err := imp.s.lookupIn(ctx, imp.tx, sel+"s.police_number IN (%s)", numbers, visible, args, keep); err != nil {
		return err
	}
	return imp.s.lookupIn(ctx, imp.tx, sel+"s.id IN (%s)", ids, visible, args, keep)
}

// holderOf returns the member a post names and the field that names him.
func (imp *staffImport) holderOf(p cunjing.ImportPost) (holder, string, bool) {
	if p.PoliceNumber != "" {
		h, ok := imp.byNumber[p.PoliceNumber]
		return h, "police_number", ok
	}
	h, ok := imp.byID[p.StaffID]
	return h, "staff_id", ok && p.StaffID > 0
}

// isRecorded reports whether the post is recorded already: the same
// member, area, role and start, ended or not.
func (imp *staffImport) isRecorded(ctx context.Context, staffID int64, p cunjing.ImportPost) (bool, error) {
	var one int
	err := imp.tx.QueryRowContext(ctx, imp.s.dialect.q(`SELECT 1 FROM assignments WHERE staff_id = ? AND area_code = ? AND role = ?
		AND start_date = ?`), staffID, p.AreaCode, string(p.Role), p.Start.String()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: look up post: %w", err)
	}
	return true, nil
}

// checkAreas refuses areas out of scope, as not found, and areas that take
// no posts; it validates the rest of each post.
func (imp *staffImport) checkAreas(ctx context.Context) error {
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	levels := map[string]cunjing.Level{}
	err = imp.s.lookupIn(ctx, imp.tx, "SELECT code, level FROM areas WHERE code IN (%s)",
		distinct(imp.posts, func(p cunjing.ImportPost) string { return p.AreaCode }), "", nil, func(rows *sql.Rows) error {
			var code, level string
			err := rows.Scan(&code, &level)
			if scope.Covers(code) {
				levels[code] = cunjing.Level(level)
			}
			return err
		})
	if err != nil {
		return err
	}
	today := cunjing.DateOf(imp.s.now())
	for j, p := range imp.posts {
		level, ok := levels[p.AreaCode]
		switch {
		case !ok:
			imp.fail(len(imp.staff)+j, cunjing.ENotFound, "area_code", "area "+p.AreaCode+" not found")
		case imp.recorded[j]:
		case level != cunjing.LevelVillage && level != cunjing.LevelGrid && level != cunjing.LevelVenue:
			imp.fail(len(imp.staff)+j, cunjing.EInvalid, "area_code", "posts are for villages, communities, grids and venues")
		}
		r := p.AssignRequest
		if p.PoliceNumber != "" {
			r.StaffID = 1 // named by police number, resolved when written
		}
		if err := r.Validate(today); err != nil {
			imp.failures = append(imp.failures, &cunjing.ItemError{Index: len(imp.staff) + j, Err: err})
		}
	}
	return nil
}

// writeStaff adds the new members and changes the others.
func (imp *staffImport) writeStaff(ctx context.Context, res *cunjing.StaffImportResult) error {
	var audit []auditRow
	for i := range imp.staff {
		m := &imp.staff[i]
		if m.ID != 0 {
			if err := imp.change(ctx, m, res); err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
			continue
		}
		id, err := imp.s.insertStaff(ctx, imp.tx, m)
		if err != nil {
			return &cunjing.ItemError{Index: i, Err: err}
		}
		m.ID = id
		res.StaffAdded++
		audit = append(audit, auditRow{action: cunjing.ActionStaffCreate, object: staffObject(id), result: cunjing.ResultOK,
			detail: string(m.Kind) + " " + m.UnitCode})
		if m.PoliceNumber != "" {
			h := imp.byNumber[m.PoliceNumber]
			h.id = id
			imp.byNumber[m.PoliceNumber] = h
		}
	}
	if len(audit) == 0 {
		return nil
	}
	return imp.s.appendAudit(ctx, imp.tx, audit)
}

// change writes a row over the stored member unless they are equal.
func (imp *staffImport) change(ctx context.Context, m *cunjing.Staff, res *cunjing.StaffImportResult) error {
	old := imp.old[m.ID]
	if staffChanges(old, m) == "" {
		res.StaffUnchanged++
		return nil
	}
	res.StaffChanged++
	return imp.s.updateStaffTx(ctx, imp.tx, old, m)
}

// writePosts records the posts not recorded before.
func (imp *staffImport) writePosts(ctx context.Context, res *cunjing.StaffImportResult) error {
	for j, p := range imp.posts {
		if imp.recorded[j] {
			res.PostsUnchanged++
			continue
		}
		h, _, _ := imp.holderOf(p)
		r := p.AssignRequest
		r.StaffID = h.id
		if _, err := imp.s.assignTx(ctx, imp.tx, r); err != nil {
			return &cunjing.ItemError{Index: len(imp.staff) + j, Err: err}
		}
		res.PostsAdded++
	}
	return nil
}

// lookupIn runs query, whose "IN (%s)" takes the keys, in batches, with the
// condition cond (and its args) added when set, and calls scan on each row.
func (s *Store) lookupIn(ctx context.Context, tx *sql.Tx, query string, keys []any, cond string, args []any,
	scan func(*sql.Rows) error) error {
	return inBatches(keys, func(batch []any) error {
		q := fmt.Sprintf(query, marks(len(batch)))
		if cond != "" {
			q += " AND " + cond
		}
		return s.scanEach(ctx, tx, q, slices.Concat(batch, args), scan)
	})
}

func (s *Store) scanEach(ctx context.Context, tx *sql.Tx, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return fmt.Errorf("store: import look-up: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("store: import look-up: %w", err)
		}
	}
	return rows.Err()
}

// distinct returns the non-empty values of key over items, once each.
func distinct[T any](items []T, key func(T) string) []any {
	seen := map[string]bool{}
	var out []any
	for _, it := range items {
		if k := key(it); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
