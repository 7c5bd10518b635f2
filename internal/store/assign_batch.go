package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"cunjing"
)

// assignBatch records assignments in one transaction as Assign does each,
// but reads each member of staff, each area and the staffing models once
// (prefetch reads them 500 at a time), prepares its per-row statements once,
// and appends the audit rows to the trail together (flush). AssignAll posts
// a whole force this way: preparing and running a dozen statements per row
// was most of its time. Staff, areas and models do not change while
// assignments are recorded.
type assignBatch struct {
	s        *Store
	tx       *sql.Tx
	staff    map[int64]*cunjing.Staff
	areas    map[string]*cunjing.Area
	bindings []cunjing.ModelBinding // loaded on first need
	models   []cunjing.StaffingModel
	loaded   bool
	posts    *sql.Stmt // postsFrom, prepared on first use
	insert   *sql.Stmt
	audit    []auditRow
	touched  []string // areas whose posts changed, for area_posts
}

func (s *Store) newAssignBatch(tx *sql.Tx) *assignBatch {
	return &assignBatch{s: s, tx: tx, staff: map[int64]*cunjing.Staff{}, areas: map[string]*cunjing.Area{}}
}

// prefetch reads the staff and areas of reqs that exist in scope; any
// other is looked up, and refused, when its request comes.
func (b *assignBatch) prefetch(ctx context.Context, reqs []cunjing.AssignRequest) error {
	var ids, codes []any
	seenID, seenCode := map[int64]bool{}, map[string]bool{}
	for _, r := range reqs {
		if !seenID[r.StaffID] {
			seenID[r.StaffID] = true
			ids = append(ids, r.StaffID)
		}
		if !seenCode[r.AreaCode] && checkAreaInScope(ctx, r.AreaCode) == nil {
			seenCode[r.AreaCode] = true
			codes = append(codes, r.AreaCode)
		}
	}
	if err := b.prefetchStaff(ctx, ids); err != nil {
		return err
	}
	return b.prefetchAreas(ctx, codes)
}

// prefetchStaff reads the members of staff in scope among ids.
func (b *assignBatch) prefetchStaff(ctx context.Context, ids []any) error {
	visible, scopeArgs, err := unitInScope(ctx, "s.unit_code")
	if err != nil {
		return err
	}
	staff, err := b.s.staffByID(ctx, b.tx, ids, visible, scopeArgs)
	for i := range staff {
		b.staff[staff[i].ID] = &staff[i]
	}
	return err
}

// prefetchAreas reads the areas among codes, which lie in scope.
func (b *assignBatch) prefetchAreas(ctx context.Context, codes []any) error {
	return inBatches(codes, func(batch []any) error {
		rows, err := b.tx.QueryContext(ctx, b.s.dialect.q("SELECT "+areaColumns+" FROM areas WHERE code IN ("+marks(len(batch))+")"), batch...)
		if err != nil {
			return fmt.Errorf("store: read areas: %w", err)
		}
		areas, err := scanAreas(rows)
		for i := range areas {
			b.areas[areas[i].Code] = &areas[i]
		}
		return err
	})
}

// prepare prepares the statements run for every row.
func (b *assignBatch) prepare(ctx context.Context) error {
	if b.posts != nil {
		return nil
	}
	var err error
	if b.posts, err = b.tx.PrepareContext(ctx, b.s.dialect.q(postsFromQuery)); err != nil {
		return fmt.Errorf("store: prepare: %w", err)
	}
	if b.insert, err = b.tx.PrepareContext(ctx, b.s.dialect.q(insertAssignment)); err != nil {
		return fmt.Errorf("store: prepare: %w", err)
	}
	return nil
}

const insertAssignment = `INSERT INTO assignments (staff_id, area_code, role, start_date, end_date, note, created_at)
	VALUES (?, ?, ?, ?, '', ?, ?) RETURNING id`

// assign checks and records one assignment; its audit rows wait for flush.
func (b *assignBatch) assign(ctx context.Context, r cunjing.AssignRequest) (*cunjing.Assignment, error) {
	staff, area, err := b.checkPost(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := b.prepare(ctx); err != nil {
		return nil, err
	}
	rows, err := b.posts.QueryContext(ctx, r.AreaCode, string(r.Role), r.Start.String())
	if err != nil {
		return nil, fmt.Errorf("store: query assignments: %w", err)
	}
	posts, err := scanAssignments(rows)
	if err != nil {
		return nil, err
	}
	if err := b.makeRoom(ctx, r, area, posts); err != nil {
		return nil, err
	}
	made := &cunjing.Assignment{StaffID: r.StaffID, AreaCode: r.AreaCode, Role: r.Role, Start: r.Start, Note: strings.TrimSpace(r.Note),
		StaffName: staff.Name, StaffKind: staff.Kind, PoliceNumber: staff.PoliceNumber, AreaName: area.Name}
	if err := b.insert.QueryRowContext(ctx, r.StaffID, r.AreaCode, string(r.Role), r.Start.String(), made.Note,
		timestamp(b.s.now())).Scan(&made.ID); err != nil {
		return nil, fmt.Errorf("store: insert assignment: %w", err)
	}
	b.touched = append(b.touched, r.AreaCode)
	b.audit = append(b.audit, auditRow{action: cunjing.ActionAssign, object: r.AreaCode, result: cunjing.ResultOK,
		detail: fmt.Sprintf("%s %s from %s", staffObject(r.StaffID), r.Role, r.Start)})
	return made, nil
}

// flush brings area_posts up to date and appends the audit rows of the
// batch to the trail.
func (b *assignBatch) flush(ctx context.Context) error {
	if len(b.audit) == 0 {
		return nil
	}
	if err := b.s.refreshPosts(ctx, b.tx, b.touched); err != nil {
		return err
	}
	err := b.s.appendAudit(ctx, b.tx, b.audit)
	b.audit, b.touched = nil, nil
	return err
}

// checkPost reads the staff and area of a request, both in scope, and
// checks that they suit the role.
func (b *assignBatch) checkPost(ctx context.Context, r cunjing.AssignRequest) (*cunjing.Staff, *cunjing.Area, error) {
	staff, ok := b.staff[r.StaffID]
	if !ok {
		var err error
		if staff, err = b.s.staffInScope(ctx, b.tx, r.StaffID); err != nil {
			return nil, nil, err
		}
		b.staff[r.StaffID] = staff
	}
	area, ok := b.areas[r.AreaCode]
	if !ok {
		var err error
		if area, err = b.s.areaInScope(ctx, b.tx, r.AreaCode); err != nil {
			return nil, nil, err
		}
		b.areas[r.AreaCode] = area
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

// makeRoom ends the holders' assignments for a replacement, or checks that
// the model leaves room for one more. posts are those in force from r.Start
// on; one already ended there overlaps the history and cannot be replaced.
func (b *assignBatch) makeRoom(ctx context.Context, r cunjing.AssignRequest, area *cunjing.Area, posts []cunjing.Assignment) error {
	for _, h := range posts {
		switch {
		case h.StaffID == r.StaffID:
			return cunjing.Errorf(cunjing.EConflict, "%s already holds this post from %s", h.StaffName, h.Start)
		case !h.Open() && r.Replace:
			return &cunjing.Error{Code: cunjing.EConflict, Message: fmt.Sprintf("%s held this post until %s; start on or after that day", h.StaffName, h.End),
				Fields: map[string]string{"start": "overlaps an earlier post"}}
		}
	}
	if r.Replace {
		for _, h := range posts {
			if r.Start.Before(h.Start) {
				return &cunjing.Error{Code: cunjing.EInvalid, Message: fmt.Sprintf("the new post cannot start before %s's, on %s", h.StaffName, h.Start),
					Fields: map[string]string{"start": "before the start of the post it replaces"}}
			}
			if err := b.s.closePost(ctx, b.tx, h.ID, r.Start); err != nil {
				return err
			}
			b.audit = append(b.audit, endPostAudit(h, r.Start))
		}
		return nil
	}
	if len(posts) == 0 {
		return nil
	}
	model, err := b.model(ctx, area)
	if err != nil {
		return err
	}
	if limit := model.MaxFor(r.Role); limit > 0 && len(posts) >= limit {
		return &cunjing.Error{Code: cunjing.EConflict,
			Message: fmt.Sprintf("%s already holds this post and the model %s allows %d; reassign instead", posts[0].StaffName, model.Name, limit),
			Fields:  map[string]string{"role": "already filled"}}
	}
	return nil
}

// model returns the staffing model that applies to an area, reading the
// models and their bindings on first need.
func (b *assignBatch) model(ctx context.Context, a *cunjing.Area) (cunjing.StaffingModel, error) {
	if !b.loaded {
		var err error
		if b.bindings, err = b.s.loadBindings(ctx, b.tx); err != nil {
			return cunjing.StaffingModel{}, err
		}
		if b.models, err = b.s.loadModels(ctx, b.tx); err != nil {
			return cunjing.StaffingModel{}, err
		}
		b.loaded = true
	}
	return pickModel(b.bindings, b.models, a), nil
}
