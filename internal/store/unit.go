package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"cunjing"
)

var _ cunjing.UnitService = (*Store)(nil)

const unitColumns = "code, name, kind, COALESCE(parent_code, ''), address, phone, path"

// UnitDetail returns the unit with its jurisdiction, ancestors and the
// number of units of each kind below it.
func (s *Store) UnitDetail(ctx context.Context, code string) (*cunjing.UnitDetail, error) {
	visible, args, err := unitInScope(ctx, "code")
	if err != nil {
		return nil, err
	}
	query := "SELECT " + unitColumns + " FROM units WHERE code = ?"
	if visible != "" {
		query += " AND " + visible
	}
	units, paths, err := s.queryUnits(ctx, query, append([]any{code}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "unit not found")
	}
	chain := strings.Split(strings.Trim(paths[0], "/"), "/")
	ancestors, _, err := s.queryUnits(ctx, "SELECT "+unitColumns+" FROM units WHERE code IN ("+
		marks(len(chain))+") AND code <> ? ORDER BY path", append(anySlice(chain), code)...)
	if err != nil {
		return nil, err
	}
	all := append(ancestors, units[0])
	if err := s.loadJurisdictions(ctx, all); err != nil {
		return nil, err
	}
	counts, err := s.countUnitsUnder(ctx, paths[0], visible, args)
	if err != nil {
		return nil, err
	}
	return &cunjing.UnitDetail{Unit: all[len(all)-1], Ancestors: all[:len(all)-1], Counts: counts}, nil
}

// countUnitsUnder counts the units below path that meet the scope
// condition visible (with its args), by kind.
func (s *Store) countUnitsUnder(ctx context.Context, path, visible string, args []any) (map[cunjing.UnitKind]int, error) {
	query := "SELECT kind, COUNT(*) FROM units WHERE path > ? AND path < ?"
	if visible != "" {
		query += " AND " + visible
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query+" GROUP BY kind"), append([]any{path, path + cunjing.CodeUpperBound}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: count units: %w", err)
	}
	defer rows.Close()
	counts := map[cunjing.UnitKind]int{}
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return nil, fmt.Errorf("store: count units: %w", err)
		}
		counts[cunjing.UnitKind(kind)] = n
	}
	return counts, rows.Err()
}

// FindUnits lists the units that match f, ordered by code, with their
// jurisdictions, and returns the cursor of the next page.
func (s *Store) FindUnits(ctx context.Context, f cunjing.UnitFilter) ([]cunjing.Unit, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(unitInScope(ctx, "code")); err != nil {
		return nil, "", err
	}
	if f.Parent != "" {
		l.add("parent_code = ?", f.Parent)
	}
	if f.Under != "" {
		l.add("path > (SELECT path FROM units WHERE code = ?) AND path < (SELECT path FROM units WHERE code = ?) || '~'", f.Under, f.Under)
	}
	if f.Kind != "" {
		l.add("kind = ?", string(f.Kind))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		l.add(`name LIKE ? ESCAPE '\'`, likeContains(q))
	}
	if f.Area != "" {
		chain := append(cunjing.AncestorCodes(f.Area), f.Area)
		l.add("code IN (SELECT unit_code FROM unit_areas WHERE area_code IN ("+marks(len(chain))+"))", anySlice(chain)...)
	}
	if f.Within != "" {
		l.add("code IN (SELECT unit_code FROM unit_areas WHERE area_code >= ? AND area_code < ?)", f.Within, f.Within+cunjing.CodeUpperBound)
	}
	query, err := l.sql("SELECT "+unitColumns+" FROM units", page)
	if err != nil {
		return nil, "", err
	}
	units, _, err := s.queryUnits(ctx, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	units, next := cut(units, page.Limit, func(u cunjing.Unit) string { return u.Code })
	return units, next, s.loadJurisdictions(ctx, units)
}

// CreateUnits adds units in one transaction. Each unit's parent must be
// stored or come earlier in the list, and its jurisdiction must name
// existing areas inside the parent's jurisdiction. Each unit is audited in
// the same transaction.
func (s *Store) CreateUnits(ctx context.Context, units []cunjing.Unit) error {
	for i := range units {
		if err := units[i].Validate(); err != nil {
			return err
		}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkAreasExist(ctx, tx, units); err != nil {
			return err
		}
		known := map[string]unitNode{}
		for _, u := range units {
			parent, err := s.parentNode(ctx, tx, u, known)
			if err != nil {
				return err
			}
			path := parent.path + u.Code + "/"
			if err := s.insertUnit(ctx, tx, u, path); err != nil {
				return err
			}
			known[u.Code] = unitNode{path: path, jurisdiction: u.Jurisdiction}
		}
		return s.auditUnits(ctx, tx, units)
	})
}

// unitNode is what a child needs to know of its parent.
type unitNode struct {
	path         string
	jurisdiction []string
}

func (s *Store) parentNode(ctx context.Context, tx *sql.Tx, u cunjing.Unit, known map[string]unitNode) (unitNode, error) {
	if u.ParentCode == "" {
		return unitNode{path: "/"}, nil
	}
	parent, ok := known[u.ParentCode]
	if !ok {
		var err error
		if parent, err = s.storedNode(ctx, tx, u.ParentCode); err != nil {
			return parent, err
		}
	}
	for _, code := range u.Jurisdiction {
		if !cunjing.Covers(parent.jurisdiction, code) {
			return parent, &cunjing.Error{Code: cunjing.EInvalid,
				Message: fmt.Sprintf("unit %s: area %s lies outside the jurisdiction of its parent %s", u.Code, code, u.ParentCode),
				Fields:  map[string]string{"jurisdiction": "must lie inside the parent unit's jurisdiction"}}
		}
	}
	return parent, nil
}

func (s *Store) storedNode(ctx context.Context, tx *sql.Tx, code string) (unitNode, error) {
	var n unitNode
	err := tx.QueryRowContext(ctx, s.dialect.q("SELECT path FROM units WHERE code = ?"), code).Scan(&n.path)
	if errors.Is(err, sql.ErrNoRows) {
		return n, &cunjing.Error{Code: cunjing.EInvalid, Message: fmt.Sprintf("parent unit %s does not exist", code),
			Fields: map[string]string{"parent_code": "unknown unit"}}
	}
	if err != nil {
		return n, fmt.Errorf("store: read unit %s: %w", code, err)
	}
	rows, err := tx.QueryContext(ctx, s.dialect.q("SELECT area_code FROM unit_areas WHERE unit_code = ?"), code)
	if err != nil {
		return n, fmt.Errorf("store: read jurisdiction of %s: %w", code, err)
	}
	defer rows.Close()
	for rows.Next() {
		var area string
		if err := rows.Scan(&area); err != nil {
			return n, fmt.Errorf("store: read jurisdiction of %s: %w", code, err)
		}
		n.jurisdiction = append(n.jurisdiction, area)
	}
	return n, rows.Err()
}

func (s *Store) checkAreasExist(ctx context.Context, tx *sql.Tx, units []cunjing.Unit) error {
	var codes []string
	for _, u := range units {
		codes = append(codes, u.Jurisdiction...)
	}
	names, err := areaNames(ctx, tx, s.dialect, codes)
	if err != nil {
		return err
	}
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	for _, u := range units {
		for _, code := range u.Jurisdiction {
			if _, ok := names[code]; !ok || !scope.Covers(code) {
				return &cunjing.Error{Code: cunjing.EInvalid, Message: fmt.Sprintf("unit %s: area %s does not exist", u.Code, code),
					Fields: map[string]string{"jurisdiction": "unknown area " + code}}
			}
		}
	}
	return nil
}

func (s *Store) insertUnit(ctx context.Context, tx *sql.Tx, u cunjing.Unit, path string) error {
	_, err := tx.ExecContext(ctx, s.dialect.q(
		"INSERT INTO units (code, name, kind, parent_code, path, address, phone, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
		u.Code, strings.TrimSpace(u.Name), string(u.Kind), nullIfEmpty(u.ParentCode), path, u.Address, u.Phone, timestamp(s.now()))
	if err != nil {
		if isUniqueViolation(err) {
			return cunjing.Errorf(cunjing.EConflict, "unit %s already exists", u.Code)
		}
		return fmt.Errorf("store: insert unit %s: %w", u.Code, err)
	}
	if len(u.Jurisdiction) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(u.Jurisdiction))
	for _, area := range u.Jurisdiction {
		args = append(args, u.Code, area)
	}
	if _, err := tx.ExecContext(ctx, s.dialect.q("INSERT INTO unit_areas (unit_code, area_code) VALUES "+valueTuples(len(u.Jurisdiction), 2)), args...); err != nil {
		if isUniqueViolation(err) {
			return cunjing.Errorf(cunjing.EInvalid, "unit %s names an area twice", u.Code)
		}
		return fmt.Errorf("store: insert jurisdiction of %s: %w", u.Code, err)
	}
	return nil
}

func (s *Store) queryUnits(ctx context.Context, query string, args ...any) ([]cunjing.Unit, []string, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: query units: %w", err)
	}
	defer rows.Close()
	var units []cunjing.Unit
	var paths []string
	for rows.Next() {
		var u cunjing.Unit
		var kind, path string
		if err := rows.Scan(&u.Code, &u.Name, &kind, &u.ParentCode, &u.Address, &u.Phone, &path); err != nil {
			return nil, nil, fmt.Errorf("store: scan unit: %w", err)
		}
		u.Kind = cunjing.UnitKind(kind)
		units = append(units, u)
		paths = append(paths, path)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: query units: %w", err)
	}
	return units, paths, nil
}

// loadJurisdictions fills the Jurisdiction of each unit in one query.
func (s *Store) loadJurisdictions(ctx context.Context, units []cunjing.Unit) error {
	if len(units) == 0 {
		return nil
	}
	index := map[string]*cunjing.Unit{}
	codes := make([]string, len(units))
	for i := range units {
		index[units[i].Code] = &units[i]
		codes[i] = units[i].Code
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q("SELECT unit_code, area_code FROM unit_areas WHERE unit_code IN ("+
		marks(len(codes))+")"), anySlice(codes)...)
	if err != nil {
		return fmt.Errorf("store: read jurisdictions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit, area string
		if err := rows.Scan(&unit, &area); err != nil {
			return fmt.Errorf("store: read jurisdictions: %w", err)
		}
		index[unit].Jurisdiction = append(index[unit].Jurisdiction, area)
	}
	for _, u := range index {
		sort.Strings(u.Jurisdiction)
	}
	return rows.Err()
}
