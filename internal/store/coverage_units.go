package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"cunjing"
)

// addStations tallies the areas of the report by police station, for a
// report on a city or anything below.
func (s *Store) addStations(ctx context.Context, report *cunjing.CoverageReport, root *cunjing.Area, c *coverageCounter) error {
	if root.Code == "" || root.Level == cunjing.LevelProvince {
		return nil
	}
	jurisdictions, names, err := s.stationsOver(ctx, root.Code)
	if err != nil {
		return err
	}
	areas := c.data.areas
	for _, code := range slices.Sorted(maps.Keys(jurisdictions)) {
		row := cunjing.CoverageRow{Code: code, Name: names[code]}
		for _, prefix := range jurisdictions[code] {
			if strings.HasPrefix(root.Code, prefix) {
				prefix = root.Code
			}
			from := sort.Search(len(areas), func(i int) bool { return areas[i].code >= prefix })
			for i := from; i < len(areas) && strings.HasPrefix(areas[i].code, prefix); i++ {
				row.Tally.Count(areas[i].kind, c.results[i].covered, c.results[i].compliant)
			}
		}
		if row.Tally.All.Total > 0 {
			report.Stations = append(report.Stations, row)
		}
	}
	return nil
}

// stationsOver reads the police stations in scope whose jurisdiction lies
// under code or covers it: their jurisdiction prefixes and names.
func (s *Store) stationsOver(ctx context.Context, code string) (map[string][]string, map[string]string, error) {
	visible, args, err := unitInScope(ctx, "u.code")
	if err != nil {
		return nil, nil, err
	}
	above := append(cunjing.AncestorCodes(code), code)
	query := `SELECT u.code, u.name, ua.area_code FROM units u JOIN unit_areas ua ON ua.unit_code = u.code
		WHERE u.kind = ? AND ((ua.area_code >= ? AND ua.area_code < ?) OR ua.area_code IN (` + marks(len(above)) + `))`
	all := append([]any{string(cunjing.UnitStation), code, code + cunjing.CodeUpperBound}, anySlice(above)...)
	if visible != "" {
		query += " AND " + visible
		all = append(all, args...)
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), all...)
	if err != nil {
		return nil, nil, fmt.Errorf("store: coverage stations: %w", err)
	}
	defer rows.Close()
	jurisdictions, names := map[string][]string{}, map[string]string{}
	for rows.Next() {
		var unit, name, area string
		if err := rows.Scan(&unit, &name, &area); err != nil {
			return nil, nil, fmt.Errorf("store: coverage stations: %w", err)
		}
		jurisdictions[unit] = append(jurisdictions[unit], area)
		names[unit] = name
	}
	return jurisdictions, names, rows.Err()
}

// addRatios sets the police strength of each county in a report on a
// county or above that lies wholly in the reader's scope: areas needing an
// officer, active officers of the county's units, and how many of them
// hold a post.
func (s *Store) addRatios(ctx context.Context, report *cunjing.CoverageReport, root *cunjing.Area, c *coverageCounter) error {
	scope, err := scopeOf(ctx)
	if err != nil || len(root.Code) > 6 || !(scope.All || scope.Covers(root.Code)) {
		return err
	}
	counts := map[string]*cunjing.CountyRatio{}
	for _, a := range c.data.areas {
		county := a.code[:6]
		r, ok := counts[county]
		if !ok {
			r = &cunjing.CountyRatio{Code: county, Posted: len(c.postedIn[county])}
			counts[county] = r
		}
		r.Areas++
	}
	if err := s.countOfficers(ctx, root.Code, counts); err != nil {
		return err
	}
	names, err := s.areasByCodes(ctx, slices.Collect(maps.Keys(counts)))
	if err != nil {
		return err
	}
	for _, code := range slices.Sorted(maps.Keys(counts)) {
		r := counts[code]
		r.Name = names[code].Name
		report.Ratios = append(report.Ratios, *r)
	}
	return nil
}

// countOfficers sets the active officers of the units of each county: a
// unit belongs to the county of its first area.
func (s *Store) countOfficers(ctx context.Context, root string, counts map[string]*cunjing.CountyRatio) error {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT ua.unit_code, MIN(ua.area_code),
		(SELECT COUNT(*) FROM staff st WHERE st.unit_code = ua.unit_code AND st.kind = ? AND st.status = ?)
		FROM unit_areas ua WHERE ua.area_code >= ? AND ua.area_code < ? GROUP BY ua.unit_code`),
		string(cunjing.StaffOfficer), string(cunjing.StaffActive), root, root+cunjing.CodeUpperBound)
	if err != nil {
		return fmt.Errorf("store: count officers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit, area string
		var n int
		if err := rows.Scan(&unit, &area, &n); err != nil {
			return fmt.Errorf("store: count officers: %w", err)
		}
		if r, ok := counts[area[:min(6, len(area))]]; ok {
			r.Officers += n
		}
	}
	return rows.Err()
}
