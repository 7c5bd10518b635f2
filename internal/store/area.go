package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"cunjing"
)

var _ cunjing.AreaService = (*Store)(nil)

const areaColumns = "code, name, level, kind, COALESCE(parent_code, ''), lng, lat, COALESCE(datum, ''), COALESCE(boundary, ''), venue_type"

// AreaDetail returns the area with its ancestors and its counts by level.
func (s *Store) AreaDetail(ctx context.Context, code string) (*cunjing.AreaDetail, error) {
	if err := checkAreaInScope(ctx, code); err != nil {
		return nil, err
	}
	chain := append(cunjing.AncestorCodes(code), code)
	areas, err := s.areasByCode(ctx, chain)
	if err != nil {
		return nil, err
	}
	if len(areas) == 0 || areas[len(areas)-1].Code != code {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	counts, err := s.CountAreas(ctx, code)
	if err != nil {
		return nil, err
	}
	return &cunjing.AreaDetail{Area: areas[len(areas)-1], Ancestors: areas[:len(areas)-1], Counts: counts}, nil
}

// areasByCode returns the existing areas among codes, ordered by code,
// asking in batches.
func (s *Store) areasByCode(ctx context.Context, codes []string) ([]cunjing.Area, error) {
	codes = slices.Compact(slices.Sorted(slices.Values(codes)))
	var areas []cunjing.Area
	err := inBatches(anySlice(codes), func(batch []any) error {
		found, err := s.queryAreas(ctx, "SELECT "+areaColumns+" FROM areas WHERE code IN ("+marks(len(batch))+") ORDER BY code", batch...)
		areas = append(areas, found...)
		return err
	})
	return areas, err
}

// checkAreaInScope answers not found for a malformed code or one outside
// the scope of ctx, exactly as for a code that does not exist.
func checkAreaInScope(ctx context.Context, code string) error {
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	if !cunjing.ValidAreaCode(code) || !scope.Covers(code) {
		return cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	return nil
}

// CountAreas counts the areas strictly below code by level and kind.
func (s *Store) CountAreas(ctx context.Context, code string) (cunjing.AreaCounts, error) {
	counts := cunjing.AreaCounts{ByLevel: map[cunjing.Level]int{}}
	if err := checkAreaInScope(ctx, code); err != nil {
		return counts, err
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(
		"SELECT level, kind, COUNT(*) FROM areas WHERE code > ? AND code < ? GROUP BY level, kind"),
		code, code+cunjing.CodeUpperBound)
	if err != nil {
		return counts, fmt.Errorf("store: count areas: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var level, kind string
		var n int
		if err := rows.Scan(&level, &kind, &n); err != nil {
			return counts, fmt.Errorf("store: count areas: %w", err)
		}
		counts.ByLevel[cunjing.Level(level)] += n
		switch cunjing.Kind(kind) {
		case cunjing.KindVillage:
			counts.Villages += n
		case cunjing.KindCommunity:
			counts.Communities += n
		}
	}
	return counts, rows.Err()
}

// ChildAreas returns the children of code, each with the number of towns,
// villages and communities under it.
func (s *Store) ChildAreas(ctx context.Context, code string) ([]cunjing.ChildArea, error) {
	if err := checkAreaInScope(ctx, code); err != nil {
		return nil, err
	}
	if found, err := s.areasByCode(ctx, []string{code}); err != nil || len(found) == 0 {
		return nil, cmp.Or(err, error(cunjing.Errorf(cunjing.ENotFound, "area not found")))
	}
	areas, err := s.queryAreas(ctx, "SELECT "+areaColumns+" FROM areas WHERE parent_code = ? ORDER BY code", code)
	if err != nil {
		return nil, err
	}
	children := make([]cunjing.ChildArea, len(areas))
	index := map[string]*cunjing.ChildArea{}
	for i, a := range areas {
		children[i].Area = a
		index[a.Code] = &children[i]
	}
	if len(areas) == 0 || strings.Contains(areas[0].Code, "-") {
		return children, nil
	}
	return children, s.addChildCounts(ctx, code, len(areas[0].Code), index)
}

// addChildCounts counts towns and village-tier areas under each official
// child in one pass, grouping descendants by the child-length prefix.
func (s *Store) addChildCounts(ctx context.Context, code string, childLen int, index map[string]*cunjing.ChildArea) error {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(
		"SELECT SUBSTR(code, 1, ?), kind, COUNT(*) FROM areas WHERE code > ? AND code < ? AND level IN ('town', 'village') GROUP BY 1, 2"),
		childLen, code, code+cunjing.CodeUpperBound)
	if err != nil {
		return fmt.Errorf("store: count child areas: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var prefix, kind string
		var n int
		if err := rows.Scan(&prefix, &kind, &n); err != nil {
			return fmt.Errorf("store: count child areas: %w", err)
		}
		c, ok := index[prefix]
		if !ok {
			continue
		}
		switch cunjing.Kind(kind) {
		case cunjing.KindVillage:
			c.Villages += n
		case cunjing.KindCommunity:
			c.Communities += n
		default:
			c.Towns += n
		}
	}
	return rows.Err()
}

// FindAreas lists the areas that match f, ordered by code, and returns the
// cursor of the next page ("" on the last page).
func (s *Store) FindAreas(ctx context.Context, f cunjing.AreaFilter) ([]cunjing.Area, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(inScope(ctx, "code")); err != nil {
		return nil, "", err
	}
	if f.Parent != "" {
		l.add("parent_code = ?", f.Parent)
	}
	if f.Under != "" {
		l.add("code > ? AND code < ?", f.Under, f.Under+cunjing.CodeUpperBound)
	}
	if f.Level != "" {
		l.add("level = ?", string(f.Level))
	}
	if f.Kind != "" {
		l.add("kind = ?", string(f.Kind))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		l.add(`name LIKE ? ESCAPE '\'`, likeContains(q))
	}
	query, err := l.sql("SELECT "+areaColumns+" FROM areas", page)
	if err != nil {
		return nil, "", err
	}
	areas, err := s.queryAreas(ctx, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	areas, next := cut(areas, page.Limit, func(a cunjing.Area) string { return a.Code })
	return areas, next, nil
}

// ExistingAreaCodes returns the set of codes among codes that exist.
func (s *Store) ExistingAreaCodes(ctx context.Context, codes []string) (map[string]bool, error) {
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	names, err := areaNames(ctx, s.read, s.dialect, codes)
	if err != nil {
		return nil, err
	}
	found := make(map[string]bool, len(names))
	for code := range names {
		found[code] = scope.Covers(code)
	}
	return found, nil
}

// querier is what reads need from *sql.DB and *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// areaNames returns code → name for the codes that exist, asking in batches.
func areaNames(ctx context.Context, db querier, d dialect, codes []string) (map[string]string, error) {
	names := make(map[string]string, len(codes))
	err := inBatches(anySlice(codes), func(batch []any) error {
		rows, err := db.QueryContext(ctx, d.q("SELECT code, name FROM areas WHERE code IN ("+marks(len(batch))+")"), batch...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code, name string
			if err := rows.Scan(&code, &name); err != nil {
				return err
			}
			names[code] = name
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: look up areas: %w", err)
	}
	return names, nil
}

func (s *Store) queryAreas(ctx context.Context, query string, args ...any) ([]cunjing.Area, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query areas: %w", err)
	}
	return scanAreas(rows)
}

// scanAreas reads rows of areaColumns and closes them.
func scanAreas(rows *sql.Rows) ([]cunjing.Area, error) {
	defer rows.Close()
	var areas []cunjing.Area
	for rows.Next() {
		var a cunjing.Area
		var level, kind, datum, venue string
		var lng, lat sql.NullFloat64
		if err := rows.Scan(&a.Code, &a.Name, &level, &kind, &a.ParentCode, &lng, &lat, &datum, &a.Boundary, &venue); err != nil {
			return nil, fmt.Errorf("store: scan area: %w", err)
		}
		a.Level, a.Kind, a.VenueType = cunjing.Level(level), cunjing.Kind(kind), cunjing.VenueType(venue)
		if lng.Valid && lat.Valid {
			a.Location = &cunjing.Point{Lng: lng.Float64, Lat: lat.Float64, Datum: datum}
		}
		areas = append(areas, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: query areas: %w", err)
	}
	return areas, nil
}

func pointArgs(p *cunjing.Point) (lng, lat, datum any) {
	if p == nil {
		return nil, nil, nil
	}
	return p.Lng, p.Lat, p.Datum
}
