package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

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
	staff, area, err := s.checkPost(ctx, tx, r)
	if err != nil {
		return nil, err
	}
	holders, err := s.openPosts(ctx, tx, r.AreaCode, r.Role)
	if err != nil {
		return nil, err
	}
	if err := s.makeRoom(ctx, tx, r, area, holders); err != nil {
		return nil, err
	}
	made := &cunjing.Assignment{StaffID: r.StaffID, AreaCode: r.AreaCode, Role: r.Role, Start: r.Start, Note: strings.TrimSpace(r.Note),
		StaffName: staff.Name, StaffKind: staff.Kind, PoliceNumber: staff.PoliceNumber, AreaName: area.Name}
	if err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO assignments (staff_id, area_code, role, start_date, end_date, note, created_at)
		VALUES (?, ?, ?, ?, '', ?, ?) RETURNING id`), r.StaffID, r.AreaCode, string(r.Role), r.Start.String(), made.Note,
		timestamp(s.now())).Scan(&made.ID); err != nil {
		return nil, fmt.Errorf("store: insert assignment: %w", err)
	}
	return made, s.auditTx(ctx, tx, cunjing.ActionAssign, r.AreaCode, cunjing.ResultOK,
		fmt.Sprintf("%s %s from %s", staffObject(r.StaffID), r.Role, r.Start))
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
		for i, r := range reqs {
			a, err := s.assignTx(ctx, tx, r)
			if err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
			made[i] = *a
		}
		return nil
	})
	return made, err
}

// checkPost reads the staff and area of a request, both in scope, and
// checks that they suit the role.
func (s *Store) checkPost(ctx context.Context, tx *sql.Tx, r cunjing.AssignRequest) (*cunjing.Staff, *cunjing.Area, error) {
	staff, err := s.staffInScope(ctx, tx, r.StaffID)
	if err != nil {
		return nil, nil, err
	}
	area, err := s.areaInScope(ctx, tx, r.AreaCode)
	if err != nil {
		return nil, nil, err
	}
	fields := map[string]string{}
	if staff.Kind != r.Role.StaffKind() {
		fields["role"] = fmt.Sprintf("a %s post is held by %s staff, %s is %s", r.Role, r.Role.StaffKind(), staff.Name, staff.Kind)
	}
	if staff.Status != cunjing.StaffActive {
		fields["staff_id"] = staff.Name + " is not active (" + string(staff.Status) + ")"
	}
	if area.Level != cunjing.LevelVillage && area.Level != cunjing.LevelGrid && area.Level != cunjing.LevelVenue {
		fields["area_code"] = "posts are for villages, communities, grids and venues"
	}
	if len(fields) > 0 {
		return nil, nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "the assignment is not valid", Fields: fields}
	}
	return staff, area, nil
}

// openPosts returns the open assignments of a role in an area.
func (s *Store) openPosts(ctx context.Context, tx *sql.Tx, area string, role cunjing.PostRole) ([]cunjing.Assignment, error) {
	return s.queryAssignments(ctx, tx, "SELECT "+assignmentColumns+assignmentFrom+
		" WHERE x.area_code = ? AND x.role = ? AND x.end_date = '' ORDER BY x.id", area, string(role))
}

// makeRoom ends the holders' assignments for a replacement, or checks that
// the model leaves room for one more.
func (s *Store) makeRoom(ctx context.Context, tx *sql.Tx, r cunjing.AssignRequest, area *cunjing.Area, holders []cunjing.Assignment) error {
	for _, h := range holders {
		if h.StaffID == r.StaffID {
			return cunjing.Errorf(cunjing.EConflict, "%s already holds this post", h.StaffName)
		}
	}
	if r.Replace {
		for _, h := range holders {
			if r.Start.Before(h.Start) {
				return &cunjing.Error{Code: cunjing.EInvalid, Message: fmt.Sprintf("the new post cannot start before %s's, on %s", h.StaffName, h.Start),
					Fields: map[string]string{"start": "before the start of the post it replaces"}}
			}
			if err := s.endPost(ctx, tx, h, r.Start); err != nil {
				return err
			}
		}
		return nil
	}
	if len(holders) == 0 {
		return nil
	}
	model, err := s.modelForArea(ctx, tx, area)
	if err != nil {
		return err
	}
	if limit := model.MaxFor(r.Role); limit > 0 && len(holders) >= limit {
		return &cunjing.Error{Code: cunjing.EConflict,
			Message: fmt.Sprintf("%s already holds this post and the model %s allows %d; reassign instead", holders[0].StaffName, model.Name, limit),
			Fields:  map[string]string{"role": "already filled"}}
	}
	return nil
}

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
		fields := map[string]string{}
		switch {
		case !a.Open():
			return cunjing.Errorf(cunjing.EConflict, "the assignment ended on %s", a.End)
		case end.IsZero():
			fields["end"] = "required (YYYY-MM-DD)"
		case end.Before(a.Start):
			fields["end"] = "cannot be before the start, " + a.Start.String()
		case cunjing.DateOf(s.now()).Before(end):
			fields["end"] = "cannot be in the future"
		}
		if len(fields) > 0 {
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "the end date is not valid", Fields: fields}
		}
		return s.endPost(ctx, tx, a, end)
	})
}

func (s *Store) endPost(ctx context.Context, tx *sql.Tx, a cunjing.Assignment, end cunjing.Date) error {
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE assignments SET end_date = ? WHERE id = ? AND end_date = ''"), end.String(), a.ID); err != nil {
		return fmt.Errorf("store: end assignment: %w", err)
	}
	return s.auditTx(ctx, tx, cunjing.ActionAssignEnd, a.AreaCode, cunjing.ResultOK,
		fmt.Sprintf("%s %s from %s to %s", staffObject(a.StaffID), a.Role, a.Start, end))
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
