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

var _ cunjing.StaffService = (*Store)(nil)

const staffColumns = `s.id, s.name, s.kind, s.unit_code, u.name, s.phone, s.police_number, s.status, COALESCE(s.username, ''),
	EXISTS (SELECT 1 FROM photos p WHERE p.owner = 'staff:' || CAST(s.id AS TEXT)), s.updated_at`

const staffFrom = " FROM staff s JOIN units u ON u.code = s.unit_code"

// FindStaff lists the staff of the units in scope that match f, by ID,
// with phones masked.
func (s *Store) FindStaff(ctx context.Context, f cunjing.StaffFilter) ([]cunjing.Staff, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(unitInScope(ctx, "s.unit_code")); err != nil {
		return nil, "", err
	}
	if f.Unit != "" {
		l.add(`s.unit_code IN (SELECT code FROM units WHERE path >= (SELECT path FROM units WHERE code = ?)
			AND path < (SELECT path FROM units WHERE code = ?) || '~')`, f.Unit, f.Unit)
	}
	if f.Kind != "" {
		l.add("s.kind = ?", string(f.Kind))
	}
	if f.Status != "" {
		l.add("s.status = ?", string(f.Status))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		l.add(`(s.name LIKE ? ESCAPE '\' OR s.police_number LIKE ? ESCAPE '\')`, likeContains(q), likeContains(q))
	}
	query, err := l.sqlByID("s.id", "SELECT "+staffColumns+staffFrom, page, false)
	if err != nil {
		return nil, "", err
	}
	staff, err := s.queryStaff(ctx, s.read, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	for i := range staff {
		staff[i].Phone = cunjing.MaskPhone(staff[i].Phone)
	}
	staff, next := cutByID(staff, page.Limit, func(m cunjing.Staff) int64 { return m.ID })
	return staff, next, nil
}

// StaffMember returns one member of staff in scope with his full phone and
// records the read of personal data; a role that does not read personal
// data gets the phone masked, and nothing to record.
func (s *Store) StaffMember(ctx context.Context, id int64) (*cunjing.Staff, error) {
	if !readsPersonal(ctx) {
		m, err := s.staffInScope(ctx, s.read, id)
		if err != nil {
			return nil, err
		}
		m.Phone = cunjing.MaskPhone(m.Phone)
		return m, nil
	}
	var m *cunjing.Staff
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = s.staffInScope(ctx, tx, id); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionReadPersonal, staffObject(id), cunjing.ResultOK, "")
	})
	return m, err
}

// readsPersonal reports whether the caller may read personal data unmasked:
// the system itself, or a role with cunjing.PermReadPersonal.
func readsPersonal(ctx context.Context) bool {
	id := cunjing.IdentityFrom(ctx)
	return id == cunjing.SystemIdentity || id != nil && id.Role.Can(cunjing.PermReadPersonal)
}

// staffInScope reads a member of staff whose unit is in scope; any other
// is not found.
func (s *Store) staffInScope(ctx context.Context, db querier, id int64) (*cunjing.Staff, error) {
	visible, args, err := unitInScope(ctx, "s.unit_code")
	if err != nil {
		return nil, err
	}
	query := "SELECT " + staffColumns + staffFrom + " WHERE s.id = ?"
	if visible != "" {
		query += " AND " + visible
	}
	staff, err := s.queryStaff(ctx, db, query, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(staff) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "staff %d not found", id)
	}
	return &staff[0], nil
}

// CreateStaff adds members of staff of units the scope manages, linked to
// accounts in scope, in one transaction, each audited, and sets their IDs. A failure names its item
// (cunjing.ItemError) and nothing is added.
func (s *Store) CreateStaff(ctx context.Context, staff []cunjing.Staff) error {
	for i := range staff {
		if err := staff[i].Validate(); err != nil {
			return &cunjing.ItemError{Index: i, Err: err}
		}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		units := map[string]bool{}
		audit := make([]auditRow, len(staff))
		for i := range staff {
			if err := s.checkStaffUnit(ctx, tx, staff[i].UnitCode, units); err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
			if err := s.checkStaffAccount(ctx, tx, staff[i].Username); err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
			id, err := s.insertStaff(ctx, tx, &staff[i])
			if err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
			staff[i].ID = id
			audit[i] = auditRow{action: cunjing.ActionStaffCreate, object: staffObject(id), result: cunjing.ResultOK,
				detail: string(staff[i].Kind) + " " + staff[i].UnitCode}
		}
		return s.appendAudit(ctx, tx, audit)
	})
}

// checkStaffUnit refuses a unit that does not exist or that the scope does
// not manage, alike, as not found; seen remembers the units already checked.
func (s *Store) checkStaffUnit(ctx context.Context, tx *sql.Tx, code string, seen map[string]bool) error {
	if seen[code] {
		return nil
	}
	visible, args, err := unitManaged(ctx, "code")
	if err != nil {
		return err
	}
	query := "SELECT 1 FROM units WHERE code = ?"
	if visible != "" {
		query += " AND " + visible
	}
	var one int
	err = tx.QueryRowContext(ctx, s.dialect.q(query), append([]any{code}, args...)...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return &cunjing.Error{Code: cunjing.ENotFound, Message: "unit " + code + " not found",
			Fields: map[string]string{"unit_code": "unknown unit"}}
	}
	if err != nil {
		return fmt.Errorf("store: check unit: %w", err)
	}
	seen[code] = true
	return nil
}

// unitManaged returns the SQL condition that a unit (by its code column)
// lies wholly inside the scope of ctx, with its arguments. The bureaus above
// the scope are seen (unitInScope) but not managed: a station chief cannot
// change the county bureau's staff, nor a county the city's.
func unitManaged(ctx context.Context, codeColumn string) (string, []any, error) {
	scope, err := scopeOf(ctx)
	if err != nil || scope.All {
		return "", nil, err
	}
	inside, args, _ := prefixRanges("area_code", scope.Prefixes)
	return "(" + codeColumn + " IN (SELECT unit_code FROM unit_areas WHERE " + inside + ") AND " +
		codeColumn + " NOT IN (SELECT unit_code FROM unit_areas WHERE NOT " + inside + "))", append(args, args...), nil
}

// staffManaged reads a member of staff whose unit the scope manages; any
// other is not found.
func (s *Store) staffManaged(ctx context.Context, tx *sql.Tx, id int64) (*cunjing.Staff, error) {
	m, err := s.staffInScope(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := s.checkStaffUnit(ctx, tx, m.UnitCode, map[string]bool{}); err != nil {
		if cunjing.ErrorCode(err) == cunjing.ENotFound {
			return nil, cunjing.Errorf(cunjing.ENotFound, "staff %d not found", id)
		}
		return nil, err
	}
	return m, nil
}

func (s *Store) insertStaff(ctx context.Context, tx *sql.Tx, m *cunjing.Staff) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO staff (name, kind, unit_code, phone, police_number, status, username, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), m.Name, string(m.Kind), m.UnitCode, m.Phone, m.PoliceNumber,
		string(m.Status), nullIfEmpty(m.Username), timestamp(s.now())).Scan(&id)
	if err != nil {
		return 0, staffWriteError(err, m)
	}
	return id, nil
}

// staffWriteError turns constraint violations into messages a user can act on.
func staffWriteError(err error, m *cunjing.Staff) error {
	switch {
	case isUniqueViolation(err) && strings.Contains(err.Error(), "police_number"):
		return &cunjing.Error{Code: cunjing.EConflict, Message: "police number " + m.PoliceNumber + " is already registered",
			Fields: map[string]string{"police_number": "already registered"}}
	case isUniqueViolation(err):
		return &cunjing.Error{Code: cunjing.EConflict, Message: "account " + m.Username + " is already linked to another staff record",
			Fields: map[string]string{"username": "already linked"}}
	case isForeignKeyViolation(err):
		return unknownAccount(m.Username)
	}
	return fmt.Errorf("store: write staff: %w", err)
}

// unknownAccount is the error of a link to an account that does not exist.
func unknownAccount(username string) error {
	return &cunjing.Error{Code: cunjing.EInvalid, Message: "account " + username + " does not exist",
		Fields: map[string]string{"username": "unknown account"}}
}

// checkStaffAccount refuses to link a member of staff to an account outside
// the scope, as if it did not exist: the data scope of an officer's account
// follows the posts of the record linked to it.
func (s *Store) checkStaffAccount(ctx context.Context, tx *sql.Tx, username string) error {
	if username == "" {
		return nil
	}
	_, err := s.userInScope(ctx, tx, username)
	if cunjing.ErrorCode(err) == cunjing.ENotFound {
		return unknownAccount(username)
	}
	return err
}

// UpdateStaff changes a member of staff of a unit the scope manages (see
// unitManaged). One who is transferred or retires leaves his posts and dual
// posts that day; the kind of one who holds posts does not change. An
// account is linked only from within the scope.
func (s *Store) UpdateStaff(ctx context.Context, m cunjing.Staff) error {
	if err := m.Validate(); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		old, err := s.staffManaged(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		if err := s.checkStaffUnit(ctx, tx, m.UnitCode, map[string]bool{}); err != nil {
			return err
		}
		if m.Username != old.Username {
			if err := s.checkStaffAccount(ctx, tx, m.Username); err != nil {
				return err
			}
		}
		return s.updateStaffTx(ctx, tx, old, &m)
	})
}

// updateStaffTx writes m over old, a member the scope manages, in tx,
// audited; one who is transferred or retires leaves his posts, and one who
// holds posts keeps his kind.
func (s *Store) updateStaffTx(ctx context.Context, tx *sql.Tx, old, m *cunjing.Staff) error {
	_, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE staff SET name = ?, kind = ?, unit_code = ?, phone = ?, police_number = ?,
		status = ?, username = ?, updated_at = ? WHERE id = ?`), m.Name, string(m.Kind), m.UnitCode, m.Phone, m.PoliceNumber,
		string(m.Status), nullIfEmpty(m.Username), timestamp(s.now()), m.ID)
	if err != nil {
		return staffWriteError(err, m)
	}
	var ended []auditRow
	switch {
	case m.Status == cunjing.StaffTransferred || m.Status == cunjing.StaffRetired:
		if ended, err = s.leavePosts(ctx, tx, m.ID); err != nil {
			return err
		}
	case m.Kind != old.Kind:
		if err := s.checkNoOpenPosts(ctx, tx, m); err != nil {
			return err
		}
	}
	return s.appendAudit(ctx, tx, append(ended, auditRow{action: cunjing.ActionStaffUpdate, object: staffObject(m.ID),
		result: cunjing.ResultOK, detail: staffChanges(old, m)}))
}

// leavePosts ends the open assignments and dual posts of a member of staff
// today and returns their audit rows.
func (s *Store) leavePosts(ctx context.Context, tx *sql.Tx, id int64) ([]auditRow, error) {
	today := cunjing.DateOf(s.now())
	posts, err := s.queryAssignments(ctx, tx, "SELECT "+assignmentColumns+assignmentFrom+" WHERE x.staff_id = ? AND x.end_date = ''", id)
	if err != nil {
		return nil, err
	}
	duals, err := s.queryDualPosts(ctx, tx, "SELECT "+dualPostColumns+dualPostFrom+" WHERE d.staff_id = ? AND d.ended_on = ''", id)
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE assignments SET end_date = ? WHERE staff_id = ? AND end_date = ''"), today.String(), id); err != nil {
		return nil, fmt.Errorf("store: end posts: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE dual_posts SET ended_on = ? WHERE staff_id = ? AND ended_on = ''"), today.String(), id); err != nil {
		return nil, fmt.Errorf("store: end dual posts: %w", err)
	}
	audit := make([]auditRow, 0, len(posts)+len(duals))
	codes := make([]string, len(posts))
	for i, a := range posts {
		codes[i] = a.AreaCode
		audit = append(audit, endPostAudit(a, today))
	}
	for _, p := range duals {
		audit = append(audit, endDualPostAudit(p, today))
	}
	return audit, s.refreshPosts(ctx, tx, codes)
}

// checkNoOpenPosts refuses to change the kind of a member of staff who
// holds posts or dual posts: each was given for the kind he had.
func (s *Store) checkNoOpenPosts(ctx context.Context, tx *sql.Tx, m *cunjing.Staff) error {
	var n int
	if err := tx.QueryRowContext(ctx, s.dialect.q(`SELECT (SELECT COUNT(*) FROM assignments WHERE staff_id = ? AND end_date = '')
		+ (SELECT COUNT(*) FROM dual_posts WHERE staff_id = ? AND ended_on = '')`), m.ID, m.ID).Scan(&n); err != nil {
		return fmt.Errorf("store: count posts: %w", err)
	}
	if n > 0 {
		return &cunjing.Error{Code: cunjing.EConflict, Message: fmt.Sprintf("%s holds %d posts for his kind of staff; end them first", m.Name, n),
			Fields: map[string]string{"kind": "holds posts"}}
	}
	return nil
}

// staffChanges names the fields that changed, without personal values.
func staffChanges(old, m *cunjing.Staff) string {
	var changed []string
	for _, f := range []struct {
		name     string
		was, now string
	}{
		{"name", old.Name, m.Name}, {"kind", string(old.Kind), string(m.Kind)}, {"unit", old.UnitCode, m.UnitCode},
		{"phone", old.Phone, m.Phone}, {"police_number", old.PoliceNumber, m.PoliceNumber},
		{"status", string(old.Status), string(m.Status)}, {"account", old.Username, m.Username},
	} {
		if f.was == f.now {
			continue
		}
		if f.name == "phone" {
			changed = append(changed, "phone")
			continue
		}
		changed = append(changed, f.name+": "+f.was+" → "+f.now)
	}
	return strings.Join(changed, "; ")
}

// SetStaffPhoto replaces the portrait of a member of staff of a unit the
// scope manages.
func (s *Store) SetStaffPhoto(ctx context.Context, id int64, p cunjing.Photo) error {
	contentType, err := cunjing.CheckPhoto(p.Data)
	if err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.staffManaged(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("DELETE FROM photos WHERE owner = ?"), staffObject(id)); err != nil {
			return fmt.Errorf("store: replace photo: %w", err)
		}
		if _, err := s.insertPhoto(ctx, tx, staffObject(id), contentType, p); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionStaffUpdate, staffObject(id), cunjing.ResultOK, "photo")
	})
}

// StaffPhoto returns the portrait of a member of staff in scope.
func (s *Store) StaffPhoto(ctx context.Context, id int64) (*cunjing.Photo, error) {
	if _, err := s.staffInScope(ctx, s.read, id); err != nil {
		return nil, err
	}
	photos, err := s.photos(ctx, staffObject(id), 0, true)
	if err != nil {
		return nil, err
	}
	if len(photos) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "no photo")
	}
	return &photos[0], nil
}

func (s *Store) insertPhoto(ctx context.Context, tx *sql.Tx, owner, contentType string, p cunjing.Photo) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO photos (owner, content_type, caption, data, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), owner, contentType, strings.TrimSpace(p.Caption), p.Data, timestamp(s.now())).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: insert photo: %w", err)
	}
	return id, nil
}

// photos returns the photos of an owner (one, when id is set), with their
// data when withData is set.
func (s *Store) photos(ctx context.Context, owner string, id int64, withData bool) ([]cunjing.Photo, error) {
	data := "''"
	if withData {
		data = "data"
	}
	query := "SELECT id, content_type, caption, created_at, " + data + " FROM photos WHERE owner = ?"
	args := []any{owner}
	if id != 0 {
		query += " AND id = ?"
		args = append(args, id)
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query+" ORDER BY id"), args...)
	if err != nil {
		return nil, fmt.Errorf("store: read photos: %w", err)
	}
	defer rows.Close()
	var photos []cunjing.Photo
	for rows.Next() {
		var p cunjing.Photo
		var created string
		var blob []byte
		if err := rows.Scan(&p.ID, &p.ContentType, &p.Caption, &created, &blob); err != nil {
			return nil, fmt.Errorf("store: read photos: %w", err)
		}
		p.CreatedAt, _ = parseTimestamp(created)
		if withData {
			p.Data = blob
		}
		photos = append(photos, p)
	}
	return photos, rows.Err()
}

// staffByID reads the members of staff among ids that meet cond (with its
// arguments; "" for all), 500 at a time.
func (s *Store) staffByID(ctx context.Context, db querier, ids []any, cond string, args []any) ([]cunjing.Staff, error) {
	var staff []cunjing.Staff
	err := inBatches(ids, func(batch []any) error {
		query := "SELECT " + staffColumns + staffFrom + " WHERE s.id IN (" + marks(len(batch)) + ")"
		if cond != "" {
			query += " AND " + cond
		}
		found, err := s.queryStaff(ctx, db, query, slices.Concat(batch, args)...)
		staff = append(staff, found...)
		return err
	})
	return staff, err
}

func (s *Store) queryStaff(ctx context.Context, db querier, query string, args ...any) ([]cunjing.Staff, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query staff: %w", err)
	}
	defer rows.Close()
	var staff []cunjing.Staff
	for rows.Next() {
		var m cunjing.Staff
		var kind, status, updated string
		if err := rows.Scan(&m.ID, &m.Name, &kind, &m.UnitCode, &m.UnitName, &m.Phone, &m.PoliceNumber, &status,
			&m.Username, &m.HasPhoto, &updated); err != nil {
			return nil, fmt.Errorf("store: scan staff: %w", err)
		}
		m.Kind, m.Status = cunjing.StaffKind(kind), cunjing.StaffStatus(status)
		m.UpdatedAt, _ = parseTimestamp(updated)
		staff = append(staff, m)
	}
	return staff, rows.Err()
}

func staffObject(id int64) string { return "staff:" + strconv.FormatInt(id, 10) }
