package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"cunjing"
)

var _ cunjing.OfficeService = (*Store)(nil)

// officeKinds is the SQL list of the unit kinds that are offices.
const officeKinds = "('office', 'workstation')"

// maxOfficeFeature and maxCheckNote bound the free text of an office, in
// characters.
const (
	maxOfficeFeature = 500
	maxCheckNote     = 200
)

// StandardItems lists the items of the construction standard in force, in
// their order.
func (s *Store) StandardItems(ctx context.Context) ([]cunjing.StandardItem, error) {
	if _, err := scopeOf(ctx); err != nil {
		return nil, err
	}
	return s.standardItems(ctx, s.read)
}

func (s *Store) standardItems(ctx context.Context, db querier) ([]cunjing.StandardItem, error) {
	rows, err := db.QueryContext(ctx, "SELECT code, name, points FROM standard_items WHERE active ORDER BY position, code")
	if err != nil {
		return nil, fmt.Errorf("store: read standard items: %w", err)
	}
	defer rows.Close()
	var items []cunjing.StandardItem
	for rows.Next() {
		var i cunjing.StandardItem
		if err := rows.Scan(&i.Code, &i.Name, &i.Points); err != nil {
			return nil, fmt.Errorf("store: read standard items: %w", err)
		}
		items = append(items, i)
	}
	return items, rows.Err()
}

// SaveStandardItems makes items, in their order, the standard in force.
// An item left out is deactivated, not deleted: the checks recorded
// against it stay, and count again if it comes back. Only a caller whose
// scope holds every office may change it.
func (s *Store) SaveStandardItems(ctx context.Context, items []cunjing.StandardItem) error {
	if err := validateItems(items); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkAllOfficesInScope(ctx, tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE standard_items SET active = ?"), false); err != nil {
			return fmt.Errorf("store: save standard items: %w", err)
		}
		parts := make([]string, len(items))
		for i, it := range items {
			if _, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO standard_items (code, name, points, position, active)
				VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, points = excluded.points,
				position = excluded.position, active = excluded.active`), it.Code, it.Name, it.Points, i+1, true); err != nil {
				return fmt.Errorf("store: save standard item %s: %w", it.Code, err)
			}
			parts[i] = it.Code + "=" + strconv.Itoa(it.Points)
		}
		return s.auditTx(ctx, tx, cunjing.ActionStaffingChange, "office-standard", cunjing.ResultOK, strings.Join(parts, " "))
	})
}

// checkAllOfficesInScope refuses a change of the standard, which every
// office and work station is scored by, to a caller who does not hold
// them all: a county may not rescore another county's offices.
func (s *Store) checkAllOfficesInScope(ctx context.Context, tx *sql.Tx) error {
	cond, args, err := inScope(ctx, "area_code")
	if err != nil || cond == "" {
		return err
	}
	var outside int
	err = tx.QueryRowContext(ctx, s.dialect.q(`SELECT COUNT(*) FROM units WHERE kind IN (?, ?)
		AND code NOT IN (SELECT unit_code FROM unit_areas WHERE `+cond+`)`),
		append([]any{string(cunjing.UnitOffice), string(cunjing.UnitWorkstation)}, args...)...).Scan(&outside)
	if err != nil {
		return fmt.Errorf("store: check offices in scope: %w", err)
	}
	if outside > 0 {
		return cunjing.Errorf(cunjing.EForbidden, "the standard scores %d offices outside your jurisdiction: the bureau above sets it", outside)
	}
	return nil
}

// validateItems checks each item (an ItemError names the bad one) and that
// there is at least one and no code twice.
func validateItems(items []cunjing.StandardItem) error {
	if len(items) == 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the standard needs at least one item",
			Fields: map[string]string{"items": "at least one"}}
	}
	seen := map[string]bool{}
	for i := range items {
		if err := items[i].Validate(); err != nil {
			return &cunjing.ItemError{Index: i, Err: err}
		}
		if seen[items[i].Code] {
			return &cunjing.ItemError{Index: i, Err: &cunjing.Error{Code: cunjing.EInvalid, Message: "item " + items[i].Code + " is listed twice",
				Fields: map[string]string{"code": "listed twice"}}}
		}
		seen[items[i].Code] = true
	}
	return nil
}

// Office returns the profile of an office or work station in scope: its
// station, location, feature, the areas it serves, its staff still at the
// unit (phones masked), the standard with its checks and score, and its
// photos without their data.
func (s *Store) Office(ctx context.Context, code string) (*cunjing.OfficeProfile, error) {
	p, err := s.officeInScope(ctx, s.read, code)
	if err != nil {
		return nil, err
	}
	units := []cunjing.Unit{p.Unit}
	if err := s.loadJurisdictions(ctx, units); err != nil {
		return nil, err
	}
	p.Unit = units[0]
	if len(p.Unit.Jurisdiction) > 0 {
		if p.Villages, err = s.areasByCode(ctx, p.Unit.Jurisdiction); err != nil {
			return nil, err
		}
	}
	if p.Staff, err = s.officeStaff(ctx, code); err != nil {
		return nil, err
	}
	if err := s.loadChecks(ctx, p); err != nil {
		return nil, err
	}
	if p.Photos, err = s.photos(ctx, officeObject(code), 0, false); err != nil {
		return nil, err
	}
	return p, nil
}

// officeInScope reads an office or work station whose unit is in scope,
// with its station's name, location and feature; any other unit is not
// found.
func (s *Store) officeInScope(ctx context.Context, db querier, code string) (*cunjing.OfficeProfile, error) {
	visible, args, err := unitInScope(ctx, "u.code")
	if err != nil {
		return nil, err
	}
	query := `SELECT u.code, u.name, u.kind, COALESCE(u.parent_code, ''), u.address, u.phone, COALESCE(p.name, ''),
		u.lng, u.lat, COALESCE(u.datum, ''), u.feature
		FROM units u LEFT JOIN units p ON p.code = u.parent_code WHERE u.code = ? AND u.kind IN ` + officeKinds
	if visible != "" {
		query += " AND " + visible
	}
	var p cunjing.OfficeProfile
	var kind, datum string
	var lng, lat sql.NullFloat64
	rows, err := db.QueryContext(ctx, s.dialect.q(query), append([]any{code}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: read office: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, cmp.Or(rows.Err(), error(cunjing.Errorf(cunjing.ENotFound, "office %s not found", code)))
	}
	if err := rows.Scan(&p.Unit.Code, &p.Unit.Name, &kind, &p.Unit.ParentCode, &p.Unit.Address, &p.Unit.Phone, &p.StationName,
		&lng, &lat, &datum, &p.Feature); err != nil {
		return nil, fmt.Errorf("store: read office: %w", err)
	}
	p.Unit.Kind = cunjing.UnitKind(kind)
	if lng.Valid && lat.Valid {
		p.Location = &cunjing.Point{Lng: lng.Float64, Lat: lat.Float64, Datum: datum}
	}
	return &p, nil
}

// officeStaff lists the staff of an office who are still at it (active or
// on leave), police first, phones masked.
func (s *Store) officeStaff(ctx context.Context, code string) ([]cunjing.Staff, error) {
	staff, err := s.queryStaff(ctx, s.read, "SELECT "+staffColumns+staffFrom+
		" WHERE s.unit_code = ? AND s.status IN ('active', 'on_leave') ORDER BY s.id", code)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(staff, func(a, b cunjing.Staff) int {
		return slices.Index(cunjing.StaffKinds, a.Kind) - slices.Index(cunjing.StaffKinds, b.Kind)
	})
	for i := range staff {
		staff[i].Phone = cunjing.MaskPhone(staff[i].Phone)
	}
	return staff, nil
}

// loadChecks fills the items in force, the office's checks (of items in
// force and out of it) and the score, which counts items in force only.
func (s *Store) loadChecks(ctx context.Context, p *cunjing.OfficeProfile) error {
	items, err := s.standardItems(ctx, s.read)
	if err != nil {
		return err
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(
		"SELECT item_code, met, note, checked_by, checked_at FROM office_checks WHERE unit_code = ?"), p.Unit.Code)
	if err != nil {
		return fmt.Errorf("store: read office checks: %w", err)
	}
	defer rows.Close()
	p.Items, p.Checks = items, map[string]cunjing.OfficeCheck{}
	for rows.Next() {
		var c cunjing.OfficeCheck
		var at string
		if err := rows.Scan(&c.Item, &c.Met, &c.Note, &c.CheckedBy, &at); err != nil {
			return fmt.Errorf("store: read office checks: %w", err)
		}
		c.CheckedAt, _ = parseTimestamp(at)
		p.Checks[c.Item] = c
	}
	for _, it := range items {
		p.MaxScore += it.Points
		if p.Checks[it.Code].Met {
			p.Score += it.Points
		}
	}
	return rows.Err()
}

// UpdateOffice changes the location or the feature of an office in scope,
// audited with the fields changed.
func (s *Store) UpdateOffice(ctx context.Context, code string, up cunjing.OfficeUpdate) error {
	fields := map[string]string{}
	if up.Location != nil && !up.Location.Valid() {
		fields["location"] = cunjing.PointProblem
	}
	if up.Feature != nil {
		*up.Feature = strings.TrimSpace(*up.Feature)
		if utf8.RuneCountInString(*up.Feature) > maxOfficeFeature {
			fields["feature"] = fmt.Sprintf("at most %d characters", maxOfficeFeature)
		}
	}
	if len(fields) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the office update is not valid", Fields: fields}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.officeInScope(ctx, tx, code); err != nil {
			return err
		}
		var changed []string
		if up.Location != nil {
			lng, lat, datum := pointArgs(up.Location)
			if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE units SET lng = ?, lat = ?, datum = ?, updated_at = ? WHERE code = ?"),
				lng, lat, datum, timestamp(s.now()), code); err != nil {
				return fmt.Errorf("store: update office: %w", err)
			}
			changed = append(changed, "location")
		}
		if up.Feature != nil {
			if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE units SET feature = ?, updated_at = ? WHERE code = ?"),
				*up.Feature, timestamp(s.now()), code); err != nil {
				return fmt.Errorf("store: update office: %w", err)
			}
			changed = append(changed, "feature")
		}
		return s.auditTx(ctx, tx, cunjing.ActionOfficeUpdate, code, cunjing.ResultOK, strings.Join(changed, ", "))
	})
}

// CheckOffice records the results of items in force at an office in scope,
// replacing earlier results of the same items, signed by the caller.
func (s *Store) CheckOffice(ctx context.Context, code string, checks []cunjing.OfficeCheck) error {
	return itemCause(s.CheckOffices(ctx, []cunjing.OfficeInspection{{Unit: code, Checks: checks}}))
}

// CheckOffices records inspections as CheckOffice does each, in one
// transaction: it reads the offices in scope and the standard once, writes
// the checks a few hundred to a statement and appends the audit rows, one
// per inspection, together. A refused inspection is named by a
// cunjing.ItemError, and then none is recorded.
func (s *Store) CheckOffices(ctx context.Context, inspections []cunjing.OfficeInspection) error {
	id := cunjing.IdentityFrom(ctx)
	if id == nil {
		return errNoIdentity
	}
	if len(inspections) == 0 {
		return nil
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		checks, audit, err := s.checkInspections(ctx, tx, inspections)
		if err != nil {
			return err
		}
		if err := s.upsertOfficeChecks(ctx, tx, checks, cunjing.CanonicalUsername(id.Username), timestamp(s.now())); err != nil {
			return err
		}
		return s.appendAudit(ctx, tx, audit)
	})
}

// officeCheckRow is a check to record at an office.
type officeCheckRow struct {
	unit  string
	check cunjing.OfficeCheck
}

// checkInspections checks each inspection against the offices in scope
// and the standard in force. It returns the checks to record, the later
// one of an item checked twice at an office, and the audit row of each
// inspection.
func (s *Store) checkInspections(ctx context.Context, tx *sql.Tx, inspections []cunjing.OfficeInspection) ([]officeCheckRow, []auditRow, error) {
	codes := make([]string, len(inspections))
	for i, in := range inspections {
		codes[i] = in.Unit
	}
	offices, err := s.officesInScope(ctx, tx, codes)
	if err != nil {
		return nil, nil, err
	}
	items, err := s.standardItems(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	var rows []officeCheckRow
	at := map[[2]string]int{} // index in rows by office and item
	audit := make([]auditRow, len(inspections))
	for i, in := range inspections {
		if !offices[in.Unit] {
			return nil, nil, &cunjing.ItemError{Index: i, Err: cunjing.Errorf(cunjing.ENotFound, "office %s not found", in.Unit)}
		}
		if err := validateChecks(in.Checks, items); err != nil {
			return nil, nil, &cunjing.ItemError{Index: i, Err: err}
		}
		parts := make([]string, len(in.Checks))
		for j, c := range in.Checks {
			key := [2]string{in.Unit, c.Item}
			if k, ok := at[key]; ok {
				rows[k].check = c
			} else {
				at[key] = len(rows)
				rows = append(rows, officeCheckRow{unit: in.Unit, check: c})
			}
			parts[j] = c.Item + "=" + map[bool]string{true: "met", false: "not met"}[c.Met]
		}
		audit[i] = auditRow{action: cunjing.ActionOfficeUpdate, object: in.Unit, result: cunjing.ResultOK,
			detail: "checks: " + strings.Join(parts, ", ")}
	}
	return rows, audit, nil
}

// upsertOfficeChecks records checks signed by a user at a time, replacing
// earlier results of the same items, 500 to a statement.
func (s *Store) upsertOfficeChecks(ctx context.Context, tx *sql.Tx, checks []officeCheckRow, by, at string) error {
	for start := 0; start < len(checks); start += 500 {
		batch := checks[start:min(start+500, len(checks))]
		args := make([]any, 0, 6*len(batch))
		for _, r := range batch {
			args = append(args, r.unit, r.check.Item, r.check.Met, strings.TrimSpace(r.check.Note), by, at)
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO office_checks (unit_code, item_code, met, note, checked_by, checked_at)
			VALUES `+valueTuples(len(batch), 6)+` ON CONFLICT (unit_code, item_code) DO UPDATE SET met = excluded.met,
			note = excluded.note, checked_by = excluded.checked_by, checked_at = excluded.checked_at`), args...); err != nil {
			return fmt.Errorf("store: record office checks: %w", err)
		}
	}
	return nil
}

// officesInScope returns which of codes are offices or work stations in
// scope, reading them a few hundred at a time.
func (s *Store) officesInScope(ctx context.Context, db querier, codes []string) (map[string]bool, error) {
	visible, scopeArgs, err := unitInScope(ctx, "u.code")
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	err = inBatches(anySlice(codes), func(batch []any) error {
		query := "SELECT u.code FROM units u WHERE u.code IN (" + marks(len(batch)) + ") AND u.kind IN " + officeKinds
		if visible != "" {
			query += " AND " + visible
		}
		rows, err := db.QueryContext(ctx, s.dialect.q(query), slices.Concat(batch, scopeArgs)...)
		if err != nil {
			return fmt.Errorf("store: read offices: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			if err := rows.Scan(&code); err != nil {
				return fmt.Errorf("store: read offices: %w", err)
			}
			found[code] = true
		}
		return rows.Err()
	})
	return found, err
}

// validateChecks refuses checks of items not in force, an item twice and
// long notes; an ItemError names the check.
func validateChecks(checks []cunjing.OfficeCheck, items []cunjing.StandardItem) error {
	if len(checks) == 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "no checks given", Fields: map[string]string{"checks": "at least one"}}
	}
	seen := map[string]bool{}
	for i, c := range checks {
		field, msg := "", ""
		switch {
		case !slices.ContainsFunc(items, func(it cunjing.StandardItem) bool { return it.Code == c.Item }):
			field, msg = "item", "not an item of the standard in force"
		case seen[c.Item]:
			field, msg = "item", "checked twice"
		case utf8.RuneCountInString(strings.TrimSpace(c.Note)) > maxCheckNote:
			field, msg = "note", fmt.Sprintf("at most %d characters", maxCheckNote)
		}
		if field != "" {
			return &cunjing.ItemError{Index: i, Err: &cunjing.Error{Code: cunjing.EInvalid, Message: "check of " + c.Item + ": " + msg,
				Fields: map[string]string{field: msg}}}
		}
		seen[c.Item] = true
	}
	return nil
}

// OfficeScores lists the offices and work stations in scope that serve
// areas under an area code in scope and score below percent (100 or more
// lists them all), lowest first, then by code.
func (s *Store) OfficeScores(ctx context.Context, under string, below int) ([]cunjing.OfficeScore, error) {
	if err := checkAreaInScope(ctx, under); err != nil {
		return nil, err
	}
	var maxScore int
	if err := s.read.QueryRowContext(ctx, "SELECT COALESCE(SUM(points), 0) FROM standard_items WHERE active").Scan(&maxScore); err != nil {
		return nil, fmt.Errorf("store: office scores: %w", err)
	}
	query := `SELECT u.code, u.name, u.kind, COALESCE(u.parent_code, ''), u.address, u.phone,
		COALESCE((SELECT SUM(i.points) FROM office_checks c JOIN standard_items i ON i.code = c.item_code
			WHERE c.unit_code = u.code AND c.met AND i.active), 0),
		(SELECT COUNT(*) FROM office_checks c JOIN standard_items i ON i.code = c.item_code WHERE c.unit_code = u.code AND i.active)
		FROM units u WHERE u.kind IN ` + officeKinds + `
		AND u.code IN (SELECT unit_code FROM unit_areas WHERE area_code >= ? AND area_code < ?)`
	args := []any{under, under + cunjing.CodeUpperBound}
	visible, scopeArgs, err := unitInScope(ctx, "u.code")
	if err != nil {
		return nil, err
	}
	if visible != "" {
		query += " AND " + visible
		args = append(args, scopeArgs...)
	}
	scores, err := s.queryScores(ctx, query, maxScore, args...)
	if err != nil {
		return nil, err
	}
	if below < 100 {
		scores = slices.DeleteFunc(scores, func(o cunjing.OfficeScore) bool { return o.Percent() >= below })
	}
	slices.SortStableFunc(scores, func(a, b cunjing.OfficeScore) int {
		return cmp.Or(cmp.Compare(a.Percent(), b.Percent()), strings.Compare(a.Unit.Code, b.Unit.Code))
	})
	return scores, nil
}

func (s *Store) queryScores(ctx context.Context, query string, maxScore int, args ...any) ([]cunjing.OfficeScore, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: office scores: %w", err)
	}
	defer rows.Close()
	var scores []cunjing.OfficeScore
	for rows.Next() {
		o := cunjing.OfficeScore{MaxScore: maxScore}
		var kind string
		if err := rows.Scan(&o.Unit.Code, &o.Unit.Name, &kind, &o.Unit.ParentCode, &o.Unit.Address, &o.Unit.Phone,
			&o.Score, &o.Checked); err != nil {
			return nil, fmt.Errorf("store: office scores: %w", err)
		}
		o.Unit.Kind = cunjing.UnitKind(kind)
		scores = append(scores, o)
	}
	return scores, rows.Err()
}

// AddOfficePhoto stores a photo of an office in scope, up to
// cunjing.MaxOfficePhotos, audited, and returns its ID.
func (s *Store) AddOfficePhoto(ctx context.Context, code string, p cunjing.Photo) (int64, error) {
	contentType, err := cunjing.CheckPhoto(p.Data)
	if err != nil {
		return 0, err
	}
	if utf8.RuneCountInString(strings.TrimSpace(p.Caption)) > 100 {
		return 0, &cunjing.Error{Code: cunjing.EInvalid, Message: "the caption is too long", Fields: map[string]string{"caption": "at most 100 characters"}}
	}
	var id int64
	err = s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.officeInScope(ctx, tx, code); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, s.dialect.q("SELECT COUNT(*) FROM photos WHERE owner = ?"), officeObject(code)).Scan(&n); err != nil {
			return fmt.Errorf("store: count office photos: %w", err)
		}
		if n >= cunjing.MaxOfficePhotos {
			return cunjing.Errorf(cunjing.EConflict, "an office keeps at most %d photos", cunjing.MaxOfficePhotos)
		}
		if id, err = s.insertPhoto(ctx, tx, officeObject(code), contentType, p); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionOfficeUpdate, code, cunjing.ResultOK, "photo "+strconv.FormatInt(id, 10))
	})
	return id, err
}

// OfficePhoto returns one photo of an office in scope, with its data.
func (s *Store) OfficePhoto(ctx context.Context, code string, id int64) (*cunjing.Photo, error) {
	if _, err := s.officeInScope(ctx, s.read, code); err != nil {
		return nil, err
	}
	photos, err := s.photos(ctx, officeObject(code), id, true)
	if err != nil {
		return nil, err
	}
	if len(photos) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "photo %d not found", id)
	}
	return &photos[0], nil
}

func officeObject(code string) string { return "office:" + code }
