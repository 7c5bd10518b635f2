package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"golang.org/x/sync/errgroup"

	"cunjing"
)

var _ cunjing.CoverageService = (*Store)(nil)

// officerPosts is the SQL list of the roles that cover an area.
const officerPosts = "'" + string(cunjing.PostResponsible) + "', '" + string(cunjing.PostCommunity) + "'"

// postedArea is an area that needs an officer, with the posts in force.
type postedArea struct {
	code     string
	kind     cunjing.Kind
	location *cunjing.Point
	posts    []post
}

// post is one open assignment of an area.
type post struct {
	role  cunjing.PostRole
	staff int64
}

// coverageData is what the report is computed from, read in a few queries.
type coverageData struct {
	areas    []postedArea        // by code
	offDuty  map[int64]bool      // staff not active
	holdings map[int64][]holding // officers holding more than one officer post, anywhere
	models   map[int64]cunjing.StaffingModel
	bindings []cunjing.ModelBinding
}

// holding is one area held by an officer who holds several.
type holding struct {
	code     string
	location *cunjing.Point
}

// Coverage reports on the areas that need an officer under code (in
// scope), from the assignments in force now: totals by kind, children,
// stations, the gaps with their reasons, overloaded officers and the
// police strength of each county. Code "" reports on the whole scope.
func (s *Store) Coverage(ctx context.Context, code string, opt cunjing.CoverageOptions) (*cunjing.CoverageReport, error) {
	root, err := s.coverageRoot(ctx, code)
	if err != nil {
		return nil, err
	}
	data, err := s.coverageData(ctx, root.Code, opt.Kind)
	if err != nil {
		return nil, err
	}
	report := &cunjing.CoverageReport{Area: *root}
	if root.Code != "" {
		if report.Ancestors, err = s.areasByCode(ctx, cunjing.AncestorCodes(root.Code)); err != nil {
			return nil, err
		}
	}
	scope, _ := scopeOf(ctx)
	c := newCoverageCounter(data, root.Code, func(code string) bool { return scope.All || scope.Covers(code) })
	c.run(report, gapLimit(opt.GapLimit))
	if err := s.nameCoverage(ctx, report, c); err != nil {
		return nil, err
	}
	if err := s.addStations(ctx, report, root, c); err != nil {
		return nil, err
	}
	if err := s.addRatios(ctx, report, root, c); err != nil {
		return nil, err
	}
	return report, nil
}

func gapLimit(n int) int {
	switch {
	case n == 0:
		return 200
	case n < 0:
		return math.MaxInt
	}
	return n
}

// coverageRoot reads the area a report is about. Without a code it is
// the whole database for a user who sees all, else the nearest area that
// holds his whole scope.
func (s *Store) coverageRoot(ctx context.Context, code string) (*cunjing.Area, error) {
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if code == "" && !scope.All {
		code = commonAncestor(scope.Prefixes)
	}
	if code == "" {
		if !scope.All {
			return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
		}
		return &cunjing.Area{}, nil
	}
	if !scope.Covers(code) && !scopeBelow(scope, code) {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	areas, err := s.areasByCode(ctx, []string{code})
	if err != nil {
		return nil, err
	}
	if len(areas) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	return &areas[0], nil
}

// commonAncestor returns the nearest area code holding all the codes.
func commonAncestor(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	common := append(cunjing.AncestorCodes(codes[0]), codes[0])
	for _, c := range codes[1:] {
		chain := append(cunjing.AncestorCodes(c), c)
		n := 0
		for n < len(common) && n < len(chain) && common[n] == chain[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return ""
	}
	return common[len(common)-1]
}

// coverageData reads the areas under root in scope with their open posts,
// the staff off duty, the officers holding several areas and the models,
// running the independent reads side by side.
func (s *Store) coverageData(ctx context.Context, root string, kind cunjing.Kind) (*coverageData, error) {
	visible, scopeArgs, err := inScope(ctx, "code")
	if err != nil {
		return nil, err
	}
	visiblePosts, postArgs, _ := inScope(ctx, "area_code")
	d := &coverageData{}
	var posts []areaPost
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { d.areas, err = s.postedAreas(gctx, root, kind, visible, scopeArgs); return })
	g.Go(func() (err error) { posts, err = s.openPostsUnder(gctx, root, visiblePosts, postArgs); return })
	g.Go(func() (err error) { d.offDuty, err = s.offDutyStaff(gctx); return })
	g.Go(func() (err error) { d.holdings, err = s.multipleHoldings(gctx); return })
	g.Go(func() error {
		models, err := s.loadModels(gctx, s.read)
		d.models = map[int64]cunjing.StaffingModel{}
		for _, m := range models {
			d.models[m.ID] = m
		}
		if err == nil {
			d.bindings, err = s.loadBindings(gctx, s.read)
		}
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	attachPosts(d.areas, posts)
	return d, nil
}

// areaPost is one row of the open posts under a root.
type areaPost struct {
	code string
	post
}

// attachPosts gives each area its posts: both lists are ordered by code.
func attachPosts(areas []postedArea, posts []areaPost) {
	i := 0
	for _, p := range posts {
		for i < len(areas) && areas[i].code < p.code {
			i++
		}
		if i < len(areas) && areas[i].code == p.code {
			areas[i].posts = append(areas[i].posts, p.post)
		}
	}
}

func (s *Store) postedAreas(ctx context.Context, root string, kind cunjing.Kind, visible string, args []any) ([]postedArea, error) {
	query := "SELECT code, kind, lng, lat, COALESCE(datum, '') FROM areas WHERE code >= ? AND code < ? AND level IN (?, ?, ?)"
	all := []any{root, root + cunjing.CodeUpperBound, string(cunjing.LevelVillage), string(cunjing.LevelGrid), string(cunjing.LevelVenue)}
	if kind != "" {
		query += " AND kind = ?"
		all = append(all, string(kind))
	}
	if visible != "" {
		query += " AND " + visible
		all = append(all, args...)
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query+" ORDER BY code"), all...)
	if err != nil {
		return nil, fmt.Errorf("store: coverage areas: %w", err)
	}
	defer rows.Close()
	var areas []postedArea
	for rows.Next() {
		var a postedArea
		var kind, datum string
		var lng, lat sql.NullFloat64
		if err := rows.Scan(&a.code, &kind, &lng, &lat, &datum); err != nil {
			return nil, fmt.Errorf("store: coverage areas: %w", err)
		}
		a.kind = cunjing.Kind(kind)
		if lng.Valid && lat.Valid {
			a.location = &cunjing.Point{Lng: lng.Float64, Lat: lat.Float64, Datum: datum}
		}
		areas = append(areas, a)
	}
	return areas, rows.Err()
}

func (s *Store) openPostsUnder(ctx context.Context, root, visible string, args []any) ([]areaPost, error) {
	query := "SELECT area_code, role, staff_id FROM assignments WHERE end_date = '' AND area_code >= ? AND area_code < ?"
	all := []any{root, root + cunjing.CodeUpperBound}
	if visible != "" {
		query += " AND " + visible
		all = append(all, args...)
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query+" ORDER BY area_code"), all...)
	if err != nil {
		return nil, fmt.Errorf("store: coverage posts: %w", err)
	}
	defer rows.Close()
	var posts []areaPost
	for rows.Next() {
		var p areaPost
		var role string
		if err := rows.Scan(&p.code, &role, &p.staff); err != nil {
			return nil, fmt.Errorf("store: coverage posts: %w", err)
		}
		p.role = cunjing.PostRole(role)
		posts = append(posts, p)
	}
	return posts, rows.Err()
}

func (s *Store) offDutyStaff(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT id FROM staff WHERE status <> 'active'")
	if err != nil {
		return nil, fmt.Errorf("store: staff off duty: %w", err)
	}
	defer rows.Close()
	off := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: staff off duty: %w", err)
		}
		off[id] = true
	}
	return off, rows.Err()
}

// multipleHoldings returns, for every officer holding more than one
// officer post anywhere, the areas he holds with their coordinates. The
// load counts posts outside the report and the viewer's scope too.
func (s *Store) multipleHoldings(ctx context.Context) (map[int64][]holding, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT x.staff_id, x.area_code, a.lng, a.lat, COALESCE(a.datum, '')
		FROM assignments x JOIN areas a ON a.code = x.area_code
		WHERE x.end_date = '' AND x.role IN (`+officerPosts+`) AND x.staff_id IN (
			SELECT staff_id FROM assignments WHERE end_date = '' AND role IN (`+officerPosts+`)
			GROUP BY staff_id HAVING COUNT(*) > 1)`)
	if err != nil {
		return nil, fmt.Errorf("store: officers' loads: %w", err)
	}
	defer rows.Close()
	held := map[int64][]holding{}
	for rows.Next() {
		var id int64
		var h holding
		var lng, lat sql.NullFloat64
		var datum string
		if err := rows.Scan(&id, &h.code, &lng, &lat, &datum); err != nil {
			return nil, fmt.Errorf("store: officers' loads: %w", err)
		}
		if lng.Valid && lat.Valid {
			h.location = &cunjing.Point{Lng: lng.Float64, Lat: lat.Float64, Datum: datum}
		}
		held[id] = append(held[id], h)
	}
	return held, rows.Err()
}
