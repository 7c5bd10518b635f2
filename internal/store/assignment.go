package store

import (
	"context"
	"database/sql"
	"fmt"

	"cunjing"
)

var _ cunjing.AssignmentService = (*Store)(nil)

const assignmentColumns = `x.id, x.staff_id, x.area_code, x.role, x.start_date, x.end_date, x.note,
	s.name, s.kind, s.police_number, a.name`

const assignmentFrom = ` FROM assignments x JOIN staff s ON s.id = x.staff_id JOIN areas a ON a.code = x.area_code`

// Assign records an assignment of a member of staff in scope to an area in
// scope. The role must suit the staff's kind and the area must need an
// officer (village, community, grid or venue). A role already filled is a
// conflict unless r.Replace ends the holders' assignments on r.Start, or the
// area's staffing model allows more.
func (s *Store) Assign(ctx context.Context, r cunjing.AssignRequest) (*cunjing.Assignment, error) {
	if err := r.Validate(cunjing.DateOf(s.now())); err != nil {
		return nil, err
	}
	var made *cunjing.Assignment
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		made, err = s.assignTx(ctx, tx, r)
		return err
	})
	return made, err
}

// assignTx checks and records one assignment in tx, audited.
func (s *Store) assignTx(ctx context.Context, tx *sql.Tx, r cunjing.AssignRequest) (*cunjing.Assignment, error) {
	b := s.newAssignBatch(tx)
	made, err := b.assign(ctx, r)
	if err != nil {
		return nil, err
	}
	return made, b.flush(ctx)
}

// AssignAll records assignments in one transaction, in order, as Assign
// does each. A failure names its item (cunjing.ItemError) and nothing is
// recorded.
func (s *Store) AssignAll(ctx context.Context, reqs []cunjing.AssignRequest) ([]cunjing.Assignment, error) {
	today := cunjing.DateOf(s.now())
	for i := range reqs {
		if err := reqs[i].Validate(today); err != nil {
			return nil, &cunjing.ItemError{Index: i, Err: err}
		}
	}
	made := make([]cunjing.Assignment, len(reqs))
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		b := s.newAssignBatch(tx)
		if err := b.prefetch(ctx, reqs); err != nil {
			return err
		}
		for i, r := range reqs {
			a, err := b.assign(ctx, r)
			if err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
			made[i] = *a
		}
		return b.flush(ctx)
	})
	return made, err
}

// postsFromQuery selects the assignments of a role in an area (arguments:
// area, role, start) in force on some day from start on: the open ones and
// those that end after start.
const postsFromQuery = "SELECT " + assignmentColumns + assignmentFrom +
	" WHERE x.area_code = ? AND x.role = ? AND (x.end_date = '' OR x.end_date > ?) ORDER BY x.id"

// EndAssignment ends an open assignment in scope on the day given.
func (s *Store) EndAssignment(ctx context.Context, id int64, end cunjing.Date) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		found, err := s.queryAssignments(ctx, tx, "SELECT "+assignmentColumns+assignmentFrom+" WHERE x.id = ?", id)
		if err != nil {
			return err
		}
		if len(found) == 0 || checkAreaInScope(ctx, found[0].AreaCode) != nil {
			return cunjing.Errorf(cunjing.ENotFound, "assignment %d not found", id)
		}
		a := found[0]
		if !a.Open() {
			return cunjing.Errorf(cunjing.EConflict, "the assignment ended on %s", a.End)
		}
		if msg := endDateProblem(end, a.Start, cunjing.DateOf(s.now())); msg != "" {
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "the end date is not valid", Fields: map[string]string{"end": msg}}
		}
		return s.endPost(ctx, tx, a, end)
	})
}

// endDateProblem says why end cannot end a post (or dual post) that began
// on start, "" when it can: it is required, not before the start and not
// after today.
func endDateProblem(end, start, today cunjing.Date) string {
	switch {
	case end.IsZero():
		return "required (YYYY-MM-DD)"
	case end.Before(start):
		return "cannot be before the start, " + start.String()
	case today.Before(end):
		return "cannot be in the future"
	}
	return ""
}

func (s *Store) endPost(ctx context.Context, tx *sql.Tx, a cunjing.Assignment, end cunjing.Date) error {
	if err := s.closePost(ctx, tx, a.ID, end); err != nil {
		return err
	}
	if err := s.refreshPosts(ctx, tx, []string{a.AreaCode}); err != nil {
		return err
	}
	return s.appendAudit(ctx, tx, []auditRow{endPostAudit(a, end)})
}

// closePost sets the end of an open assignment.
func (s *Store) closePost(ctx context.Context, tx *sql.Tx, id int64, end cunjing.Date) error {
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE assignments SET end_date = ? WHERE id = ? AND end_date = ''"), end.String(), id); err != nil {
		return fmt.Errorf("store: end assignment: %w", err)
	}
	return nil
}

// endPostAudit is the audit row of the end of an assignment.
func endPostAudit(a cunjing.Assignment, end cunjing.Date) auditRow {
	return auditRow{action: cunjing.ActionAssignEnd, object: a.AreaCode, result: cunjing.ResultOK,
		detail: fmt.Sprintf("%s %s from %s to %s", staffObject(a.StaffID), a.Role, a.Start, end)}
}

// FindAssignments lists the assignments of areas in scope that match f,
// newest first.
func (s *Store) FindAssignments(ctx context.Context, f cunjing.AssignmentFilter) ([]cunjing.Assignment, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(inScope(ctx, "x.area_code")); err != nil {
		return nil, "", err
	}
	if f.Area != "" {
		l.add("x.area_code = ?", f.Area)
	}
	if f.Under != "" {
		l.add("x.area_code >= ? AND x.area_code < ?", f.Under, f.Under+cunjing.CodeUpperBound)
	}
	if f.StaffID != 0 {
		l.add("x.staff_id = ?", f.StaffID)
	}
	if f.Role != "" {
		l.add("x.role = ?", string(f.Role))
	}
	if !f.On.IsZero() {
		l.add("x.start_date <= ? AND (x.end_date = '' OR x.end_date > ?)", f.On.String(), f.On.String())
	}
	if f.Open {
		l.add("x.end_date = ''")
	}
	query, err := l.sqlByID("x.id", "SELECT "+assignmentColumns+assignmentFrom, page, true)
	if err != nil {
		return nil, "", err
	}
	found, err := s.queryAssignments(ctx, s.read, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	found, next := cutByID(found, page.Limit, func(a cunjing.Assignment) int64 { return a.ID })
	return found, next, nil
}

func (s *Store) queryAssignments(ctx context.Context, db querier, query string, args ...any) ([]cunjing.Assignment, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query assignments: %w", err)
	}
	return scanAssignments(rows)
}

// scanAssignments reads the rows of a query of assignmentColumns and closes
// them.
func scanAssignments(rows *sql.Rows) ([]cunjing.Assignment, error) {
	defer rows.Close()
	var found []cunjing.Assignment
	for rows.Next() {
		var a cunjing.Assignment
		var role, start, end, kind string
		if err := rows.Scan(&a.ID, &a.StaffID, &a.AreaCode, &role, &start, &end, &a.Note, &a.StaffName, &kind,
			&a.PoliceNumber, &a.AreaName); err != nil {
			return nil, fmt.Errorf("store: scan assignment: %w", err)
		}
		a.Role, a.StaffKind = cunjing.PostRole(role), cunjing.StaffKind(kind)
		var err error
		a.Start, err = cunjing.ParseDate(start)
		if err == nil {
			a.End, err = cunjing.ParseDate(end)
		}
		if err != nil {
			return nil, fmt.Errorf("store: assignment %d: %w", a.ID, err)
		}
		found = append(found, a)
	}
	return found, rows.Err()
}
