package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"cunjing"
)

// postedArea is an area that needs an officer, with the posts in force.
type postedArea struct {
	code  string
	kind  cunjing.Kind
	posts []post
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
	bound    map[string]bool // codes with a binding of their own
	dualHeld map[string]bool // villages with a dual post held today
}

// holding is one area held by an officer who holds several.
type holding struct {
	code     string
	location *cunjing.Point
}

// coverageData reads side by side the areas under root in scope, their
// open posts, the staff off duty and the models; then the officers who hold
// several officer posts anywhere.
func (s *Store) coverageData(ctx context.Context, root string, kind cunjing.Kind) (*coverageData, error) {
	d := &coverageData{}
	var posts []areaPosts
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { d.areas, err = s.areasNeedingOfficers(gctx, root, kind); return })
	g.Go(func() (err error) { posts, err = s.postsUnder(gctx, root); return })
	g.Go(func() (err error) { d.offDuty, err = s.offDutyStaff(gctx); return })
	g.Go(func() (err error) { d.models, d.bindings, err = s.modelsAndBindings(gctx); return })
	g.Go(func() (err error) { d.dualHeld, err = s.dualPostsHeld(gctx, root); return })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	d.bound = map[string]bool{}
	for _, b := range d.bindings {
		d.bound[b.AreaCode] = true
	}
	if err := attachPosts(d.areas, posts); err != nil {
		return nil, err
	}
	var err error
	if scope, _ := scopeOf(ctx); root == "" && scope.All && kind == "" {
		d.holdings = holdingsOf(d.areas)
		if measuresDistance(d.models) {
			err = s.locateHoldings(ctx, d.holdings)
		}
	} else {
		d.holdings, err = s.holdingsOfOfficers(ctx, officersIn(d.areas))
	}
	return d, err
}

// areasNeedingOfficers reads the villages, communities, grids and venues
// under root in scope, by code.
func (s *Store) areasNeedingOfficers(ctx context.Context, root string, kind cunjing.Kind) ([]postedArea, error) {
	visible, scopeArgs, err := inScope(ctx, "code")
	if err != nil {
		return nil, err
	}
	query := "SELECT code, kind FROM areas WHERE code >= ? AND code < ? AND level IN (?, ?, ?)"
	args := []any{root, root + cunjing.CodeUpperBound, string(cunjing.LevelVillage), string(cunjing.LevelGrid), string(cunjing.LevelVenue)}
	if kind != "" {
		query += " AND kind = ?"
		args = append(args, string(kind))
	}
	if visible != "" {
		query += " AND " + visible
		args = append(args, scopeArgs...)
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query+" ORDER BY code"), args...)
	if err != nil {
		return nil, fmt.Errorf("store: coverage areas: %w", err)
	}
	defer rows.Close()
	var areas []postedArea
	for rows.Next() {
		var a postedArea
		var kind string
		if err := rows.Scan(&a.code, &kind); err != nil {
			return nil, fmt.Errorf("store: coverage areas: %w", err)
		}
		a.kind = cunjing.Kind(kind)
		areas = append(areas, a)
	}
	return areas, rows.Err()
}

// areaPosts is one row of area_posts.
type areaPosts struct {
	code, posts string
}

// postsUnder reads the aggregated posts of the areas under root, by code.
// Scope applies to the areas they are merged with.
func (s *Store) postsUnder(ctx context.Context, root string) ([]areaPosts, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q("SELECT area_code, posts FROM area_posts WHERE area_code >= ? AND area_code < ? ORDER BY area_code"),
		root, root+cunjing.CodeUpperBound)
	if err != nil {
		return nil, fmt.Errorf("store: coverage posts: %w", err)
	}
	defer rows.Close()
	var posts []areaPosts
	for rows.Next() {
		var p areaPosts
		if err := rows.Scan(&p.code, &p.posts); err != nil {
			return nil, fmt.Errorf("store: coverage posts: %w", err)
		}
		posts = append(posts, p)
	}
	return posts, rows.Err()
}

// attachPosts gives each area its posts; both lists are by code. The
// posts of all areas share one backing array.
func attachPosts(areas []postedArea, posts []areaPosts) error {
	total := 0
	for _, p := range posts {
		total += strings.Count(p.posts, " ") + 1
	}
	all := make([]post, 0, total)
	i := 0
	for _, p := range posts {
		for i < len(areas) && areas[i].code < p.code {
			i++
		}
		if i == len(areas) {
			break
		}
		if areas[i].code != p.code {
			continue
		}
		start := len(all)
		var err error
		if all, err = parsePosts(all, p.posts); err != nil {
			return fmt.Errorf("store: posts of %s: %w", p.code, err)
		}
		areas[i].posts = all[start:len(all):len(all)]
	}
	return nil
}

// parsePosts appends the aggregated posts of an area, "role:staff …", to
// posts.
func parsePosts(posts []post, text string) ([]post, error) {
	for text != "" {
		var item string
		item, text, _ = strings.Cut(text, " ")
		role, id, _ := strings.Cut(item, ":")
		staff, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return nil, err
		}
		posts = append(posts, post{role: cunjing.PostRole(role), staff: staff})
	}
	return posts, nil
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

func (s *Store) modelsAndBindings(ctx context.Context) (map[int64]cunjing.StaffingModel, []cunjing.ModelBinding, error) {
	models, err := s.loadModels(ctx, s.read)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]cunjing.StaffingModel{}
	for _, m := range models {
		byID[m.ID] = m
	}
	bindings, err := s.loadBindings(ctx, s.read)
	return byID, bindings, err
}

// measuresDistance reports whether a model limits the distance between an
// officer's areas, which needs their coordinates.
func measuresDistance(models map[int64]cunjing.StaffingModel) bool {
	for _, m := range models {
		if m.MaxDistanceKm > 0 {
			return true
		}
	}
	return false
}

// officersIn returns the staff holding officer posts in the areas.
func officersIn(areas []postedArea) []int64 {
	seen := map[int64]bool{}
	var ids []int64
	for _, a := range areas {
		for _, p := range a.posts {
			if p.role.IsOfficerPost() && !seen[p.staff] {
				seen[p.staff] = true
				ids = append(ids, p.staff)
			}
		}
	}
	return ids
}

// holdingsOf finds the officers holding more than one officer post in
// areas that are all there are.
func holdingsOf(areas []postedArea) map[int64][]holding {
	counts := make(map[int64]int32, len(areas))
	for _, a := range areas {
		for _, p := range a.posts {
			if p.role.IsOfficerPost() {
				counts[p.staff]++
			}
		}
	}
	held := map[int64][]holding{}
	for _, a := range areas {
		for _, p := range a.posts {
			if p.role.IsOfficerPost() && counts[p.staff] > 1 {
				held[p.staff] = append(held[p.staff], holding{code: a.code})
			}
		}
	}
	return held
}

// locateHoldings sets the coordinates of the areas held.
func (s *Store) locateHoldings(ctx context.Context, held map[int64][]holding) error {
	var codes []string
	for _, hs := range held {
		for _, h := range hs {
			codes = append(codes, h.code)
		}
	}
	areas, err := s.areasByCodes(ctx, codes)
	if err != nil {
		return err
	}
	for _, hs := range held {
		for i := range hs {
			hs[i].location = areas[hs[i].code].Location
		}
	}
	return nil
}

// holdingsOfOfficers returns, for each of the officers who holds more
// than one officer post anywhere, the areas he holds with their
// coordinates. The load counts posts outside the report and the reader's
// scope too.
func (s *Store) holdingsOfOfficers(ctx context.Context, officers []int64) (map[int64][]holding, error) {
	held := map[int64][]holding{}
	ids := make([]any, len(officers))
	for i, id := range officers {
		ids[i] = id
	}
	err := inBatches(ids, func(batch []any) error {
		rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT x.staff_id, x.area_code, a.lng, a.lat, COALESCE(a.datum, '')
			FROM assignments x JOIN areas a ON a.code = x.area_code
			WHERE x.end_date = '' AND x.role IN (`+officerPosts+`) AND x.staff_id IN (`+marks(len(batch))+`)`), batch...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var h holding
			var lng, lat sql.NullFloat64
			var datum string
			if err := rows.Scan(&id, &h.code, &lng, &lat, &datum); err != nil {
				return err
			}
			if lng.Valid && lat.Valid {
				h.location = &cunjing.Point{Lng: lng.Float64, Lat: lat.Float64, Datum: datum}
			}
			held[id] = append(held[id], h)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: officers' loads: %w", err)
	}
	maps.DeleteFunc(held, func(_ int64, h []holding) bool { return len(h) < 2 })
	return held, nil
}

// dualPostsHeld returns the villages under root with a dual post held
// today.
func (s *Store) dualPostsHeld(ctx context.Context, root string) (map[string]bool, error) {
	today := cunjing.DateOf(s.now()).String()
	rows, err := s.read.QueryContext(ctx, s.dialect.q("SELECT DISTINCT d.area_code FROM dual_posts d WHERE d.area_code >= ? AND d.area_code < ? AND "+heldOn),
		root, root+cunjing.CodeUpperBound, today, today)
	if err != nil {
		return nil, fmt.Errorf("store: dual posts held: %w", err)
	}
	codes, err := scanStrings(rows)
	if err != nil {
		return nil, fmt.Errorf("store: dual posts held: %w", err)
	}
	held := make(map[string]bool, len(codes))
	for _, c := range codes {
		held[c] = true
	}
	return held, nil
}
