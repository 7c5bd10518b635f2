package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"cunjing"
)

// CreateArea adds a grid inside a community or a venue under any area in
// scope, with the next free number of its kind under the parent
// (<parent>-G01, <parent>-S01, …).
func (s *Store) CreateArea(ctx context.Context, n cunjing.NewArea) (*cunjing.Area, error) {
	if err := validateNewArea(&n); err != nil {
		return nil, err
	}
	var area *cunjing.Area
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		parent, err := s.areaInScope(ctx, tx, n.ParentCode)
		if err != nil {
			return err
		}
		if n.Level == cunjing.LevelGrid && parent.Kind != cunjing.KindCommunity {
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "grids are drawn inside communities",
				Fields: map[string]string{"parent_code": "must be a community"}}
		}
		if parent.Level == cunjing.LevelGrid || parent.Level == cunjing.LevelVenue {
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "a grid or venue cannot hold another",
				Fields: map[string]string{"parent_code": "must be an official area"}}
		}
		code, err := s.nextAreaCode(ctx, tx, n.ParentCode, n.Level)
		if err != nil {
			return err
		}
		area = &cunjing.Area{Code: code, Name: n.Name, Level: n.Level, Kind: cunjing.Kind(n.Level), ParentCode: n.ParentCode,
			Location: n.Location, Boundary: n.Boundary, VenueType: n.VenueType}
		lng, lat, datum := pointArgs(n.Location)
		if _, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO areas (code, name, level, kind, parent_code, lng, lat, datum,
			boundary, venue_type, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), code, n.Name, string(n.Level), string(n.Level),
			n.ParentCode, lng, lat, datum, nullIfEmpty(n.Boundary), string(n.VenueType), timestamp(s.now())); err != nil {
			return fmt.Errorf("store: insert area: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionAreaCreate, code, cunjing.ResultOK, n.Name)
	})
	return area, err
}

func validateNewArea(n *cunjing.NewArea) error {
	fields := map[string]string{}
	n.Name = strings.TrimSpace(n.Name)
	if n.Name == "" || utf8.RuneCountInString(n.Name) > 100 {
		fields["name"] = "must be 1–100 characters"
	}
	switch n.Level {
	case cunjing.LevelGrid:
		n.VenueType = ""
	case cunjing.LevelVenue:
		if !slices.Contains(cunjing.VenueTypes, n.VenueType) {
			fields["venue_type"] = "must be one of the venue types"
		}
	default:
		fields["level"] = "must be grid or venue"
	}
	if !cunjing.ValidAreaCode(n.ParentCode) {
		fields["parent_code"] = "must be an area code"
	}
	if n.Location != nil && !n.Location.Valid() {
		fields["location"] = cunjing.PointProblem
	}
	if n.Boundary != "" && !json.Valid([]byte(n.Boundary)) {
		fields["boundary"] = "must be a GeoJSON geometry"
	}
	if len(fields) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the new area is not valid", Fields: fields}
	}
	return nil
}

// areaInScope reads an area that exists and lies in scope; any other is
// not found.
func (s *Store) areaInScope(ctx context.Context, db querier, code string) (*cunjing.Area, error) {
	if err := checkAreaInScope(ctx, code); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, s.dialect.q("SELECT "+areaColumns+" FROM areas WHERE code = ?"), code)
	if err != nil {
		return nil, fmt.Errorf("store: read area: %w", err)
	}
	areas, err := scanAreas(rows)
	if err != nil {
		return nil, err
	}
	if len(areas) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	return &areas[0], nil
}

// nextAreaCode returns the next free grid (G) or venue (S) code under
// parent, two digits wide until 99 and wider after.
func (s *Store) nextAreaCode(ctx context.Context, tx *sql.Tx, parent string, level cunjing.Level) (string, error) {
	prefix := parent + "-S"
	if level == cunjing.LevelGrid {
		prefix = parent + "-G"
	}
	rows, err := tx.QueryContext(ctx, s.dialect.q("SELECT code FROM areas WHERE code >= ? AND code < ?"), prefix, prefix+cunjing.CodeUpperBound)
	if err != nil {
		return "", fmt.Errorf("store: number area: %w", err)
	}
	defer rows.Close()
	last := 0
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return "", fmt.Errorf("store: number area: %w", err)
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(code, prefix)); err == nil && n > last {
			last = n
		}
	}
	if last >= 9999 {
		return "", cunjing.Errorf(cunjing.EConflict, "no free code under %s", parent)
	}
	return fmt.Sprintf("%s%02d", prefix, last+1), rows.Err()
}
