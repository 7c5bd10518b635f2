package store

import (
	"context"
	"fmt"
	"strings"

	"cunjing"
)

// completenessQueries count, per area code under a prefix, the figures of
// one kind of record: each row is the area code and six counts, which
// add adds to a Completeness. One pass over the area index of each table,
// grouped by code, serves a whole county.
var completenessQueries = []struct {
	query string
	add   func(c *cunjing.Completeness, n [6]int)
}{
	{`SELECT x.area_code, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM houses h WHERE h.address_id = x.id) THEN 1 ELSE 0 END), 0, ` +
		stateSums + ` FROM addresses x WHERE x.area_code >= ? AND x.area_code < ? GROUP BY x.area_code`,
		func(c *cunjing.Completeness, n [6]int) { c.Addresses += n[0]; c.AddressesWithHouse += n[1] }},
	{`SELECT x.area_code, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM residents r WHERE r.address_id = x.address_id AND r.status = 'present')
		OR EXISTS (SELECT 1 FROM rentals t WHERE t.house_id = x.id AND t.end_date = '') THEN 1 ELSE 0 END), 0, ` +
		stateSums + ` FROM houses x WHERE x.area_code >= ? AND x.area_code < ? GROUP BY x.area_code`,
		func(c *cunjing.Completeness, n [6]int) { c.Houses += n[0]; c.HousesWithResidents += n[1] }},
	{`SELECT x.area_code, SUM(CASE WHEN x.status = 'present' THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.status = 'present' AND x.phone_blind IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN x.status = 'present' AND x.address_id IS NOT NULL THEN 1 ELSE 0 END), ` +
		stateSums + ` FROM residents x WHERE x.area_code >= ? AND x.area_code < ? GROUP BY x.area_code`,
		func(c *cunjing.Completeness, n [6]int) {
			c.Residents += n[0]
			c.ResidentsWithPhone += n[1]
			c.ResidentsWithAddress += n[2]
		}},
	{`SELECT x.area_code, COUNT(*), 0, 0, ` + stateSums + ` FROM orgs x WHERE x.area_code >= ? AND x.area_code < ? GROUP BY x.area_code`,
		func(c *cunjing.Completeness, n [6]int) { c.Orgs += n[0] }},
}

// stateSums count the records of a group by review state.
const stateSums = `SUM(CASE WHEN x.state = 'verified' THEN 1 ELSE 0 END), SUM(CASE WHEN x.state = 'collected' THEN 1 ELSE 0 END),
	SUM(CASE WHEN x.state = 'returned' THEN 1 ELSE 0 END)`

// Completeness returns how far collection has gone in an area in scope —
// addresses with a house, houses with residents (present, or tenants whose
// tenancy runs), present residents with a phone and with an address, orgs,
// and the records of every kind by review state — the area first, then
// each of its children by code. Resident figures count those present.
func (s *Store) Completeness(ctx context.Context, under string) ([]cunjing.Completeness, error) {
	if err := checkAreaInScope(ctx, under); err != nil {
		return nil, err
	}
	figures, err := s.areaAndChildren(ctx, under)
	if err != nil {
		return nil, err
	}
	index := make(map[string]int, len(figures))
	for i, f := range figures {
		index[f.AreaCode] = i
	}
	for _, q := range completenessQueries {
		err := s.countByArea(ctx, q.query, under, func(code string, n [6]int) {
			add := func(c *cunjing.Completeness) {
				q.add(c, n)
				c.Verified += n[3]
				c.Collected += n[4]
				c.Returned += n[5]
			}
			add(&figures[0])
			if i, ok := index[completenessChild(under, code)]; ok && i > 0 {
				add(&figures[i])
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return figures, nil
}

// areaAndChildren returns the empty figures of an area and of its
// children, by code; an area that does not exist is not found.
func (s *Store) areaAndChildren(ctx context.Context, code string) ([]cunjing.Completeness, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT code, name FROM areas WHERE code = ? OR parent_code = ?
		ORDER BY CASE WHEN code = ? THEN 0 ELSE 1 END, code`), code, code, code)
	if err != nil {
		return nil, fmt.Errorf("store: read areas: %w", err)
	}
	defer rows.Close()
	var figures []cunjing.Completeness
	for rows.Next() {
		var c cunjing.Completeness
		if err := rows.Scan(&c.AreaCode, &c.AreaName); err != nil {
			return nil, fmt.Errorf("store: read areas: %w", err)
		}
		figures = append(figures, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: read areas: %w", err)
	}
	if len(figures) == 0 || figures[0].AreaCode != code {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	return figures, nil
}

// countByArea runs a completeness query over the codes under prefix and
// calls fn with each code and its counts.
func (s *Store) countByArea(ctx context.Context, query, prefix string, fn func(code string, n [6]int)) error {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), prefix, prefix+cunjing.CodeUpperBound)
	if err != nil {
		return fmt.Errorf("store: count completeness: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var n [6]int64
		if err := rows.Scan(&code, &n[0], &n[1], &n[2], &n[3], &n[4], &n[5]); err != nil {
			return fmt.Errorf("store: count completeness: %w", err)
		}
		var counts [6]int
		for i, v := range n {
			counts[i] = int(v)
		}
		fn(code, counts)
	}
	return rows.Err()
}

// completenessChild returns the code of the child of area under that code lies in:
// a grid or venue of under itself, or the official area one level below
// under; "" for under itself.
func completenessChild(under, code string) string {
	if code == under || strings.Contains(under, "-") {
		return ""
	}
	base, _, extended := strings.Cut(code, "-")
	if extended && base == under {
		return code
	}
	next := map[int]int{2: 4, 4: 6, 6: 9, 9: 12}[len(under)]
	if next == 0 || len(base) < next {
		return ""
	}
	return base[:next]
}
