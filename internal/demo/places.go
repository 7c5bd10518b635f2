package demo

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"cunjing"
)

// 郏县's model, 一警双村, lets one officer hold two neighbouring villages at
// most 6 km apart. So that the rule has something to measure, the demo
// gives the county's villages and communities coordinates: the towns on a
// grid about 7 km apart around the county seat, the villages of a town on
// a spiral round its centre, each about 1.5 km from the one before in code
// order (the order in which officers take two neighbours). Then a few
// officers holding two villages see one of them lie 7–9 km from the other,
// as when a village across the town line is handed to an officer.

// placedCounty is the county whose villages the demo places: 郏县.
const placedCounty = "410425"

// countySeat is the centre of 郏县, GCJ-02.
var countySeat = cunjing.Point{Lng: 113.21, Lat: 33.97, Datum: "GCJ-02"}

// Distances of the layout, in km.
const (
	townGap    = 7.0 // between neighbouring town centres, before jitter
	townJitter = 0.5 // each way, on each axis
	villageGap = 1.5 // between villages next in code order, and between turns of the spiral
	villageJit = 0.2 // each way, on each axis
	farMin     = 7.0 // a far village lies farMin to farMax from the officer's other one
	farMax     = 9.0
	farPairs   = 6 // officers whose two villages lie far apart
	kmPerDeg   = math.Pi / 180 * 6371
)

// placeVillages gives the villages and communities of 郏县 their
// coordinates once the force is posted: the places of villagePlaces, with
// the pairs held by one officer read from the posts in force.
func placeVillages(ctx context.Context, st Store, areas []cunjing.Area) error {
	pairs, err := officerPairs(ctx, st, placedCounty)
	if err != nil {
		return err
	}
	places := villagePlaces(areas, pairs, Seed)
	for _, a := range areas {
		if p, ok := places[a.Code]; ok {
			if err := st.SetAreaLocation(ctx, a.Code, &p); err != nil {
				return fmt.Errorf("demo: place %s: %w", a.Code, err)
			}
		}
	}
	return nil
}

// officerPairs returns the villages of each active officer responsible
// for exactly two villages under code, in code order, by staff ID. (The
// coverage report does not measure the villages of an officer on leave.)
func officerPairs(ctx context.Context, st Store, code string) ([][2]string, error) {
	active, err := activeOfficers(ctx, st, code+"000000")
	if err != nil {
		return nil, err
	}
	held := map[int64][]string{}
	f := cunjing.AssignmentFilter{Under: code, Role: cunjing.PostResponsible, Open: true, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}}
	for {
		posts, next, err := st.FindAssignments(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("demo: posts of %s: %w", code, err)
		}
		for _, p := range posts {
			held[p.StaffID] = append(held[p.StaffID], p.AreaCode)
		}
		if next == "" {
			break
		}
		f.Page.Cursor = next
	}
	var pairs [][2]string
	for _, id := range slices.Sorted(maps.Keys(held)) {
		if areas := held[id]; len(areas) == 2 && active[id] {
			slices.Sort(areas)
			pairs = append(pairs, [2]string{areas[0], areas[1]})
		}
	}
	return pairs, nil
}

// activeOfficers returns the IDs of the active officers of a unit and the
// units below it.
func activeOfficers(ctx context.Context, st Store, unit string) (map[int64]bool, error) {
	ids := map[int64]bool{}
	f := cunjing.StaffFilter{Unit: unit, Kind: cunjing.StaffOfficer, Status: cunjing.StaffActive, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}}
	for {
		staff, next, err := st.FindStaff(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("demo: officers of %s: %w", unit, err)
		}
		for _, s := range staff {
			ids[s.ID] = true
		}
		if next == "" {
			return ids, nil
		}
		f.Page.Cursor = next
	}
}

// villagePlaces lays out the village-tier areas of 郏县 (see the top of
// this file) and moves the second village of farPairs of pairs, chosen at
// random, farMin to farMax km from the first. The result depends only on
// the areas, the pairs and the seed.
func villagePlaces(areas []cunjing.Area, pairs [][2]string, seed uint64) map[string]cunjing.Point {
	g := newGenerator(areas, seed)
	r := rand.New(rand.NewPCG(seed, seed+3))
	towns := g.children[placedCounty]
	cells := hexCells(len(towns))
	places := map[string]cunjing.Point{}
	for i, town := range towns {
		cx, cy := cells[i][0]+jitter(r, townJitter), cells[i][1]+jitter(r, townJitter)
		for k, v := range g.children[town.Code] {
			x, y := spiral(k)
			places[v.Code] = offset(countySeat, cx+x+jitter(r, villageJit), cy+y+jitter(r, villageJit))
		}
	}
	for _, i := range r.Perm(len(pairs))[:min(farPairs, len(pairs))] {
		from, ok := places[pairs[i][0]]
		if _, ok2 := places[pairs[i][1]]; !ok || !ok2 {
			continue
		}
		d, bearing := farMin+(farMax-farMin)*r.Float64(), 2*math.Pi*r.Float64()
		places[pairs[i][1]] = offset(from, d*math.Cos(bearing), d*math.Sin(bearing))
	}
	return places
}

// hexCells returns the n cells of a hexagonal grid of spacing townGap
// nearest its centre, as km east and north, nearest first.
func hexCells(n int) [][2]float64 {
	var cells [][2]float64
	for q := -4; q <= 4; q++ {
		for s := -4; s <= 4; s++ {
			cells = append(cells, [2]float64{townGap * (float64(q) + float64(s)/2), townGap * float64(s) * math.Sqrt(3) / 2})
		}
	}
	slices.SortStableFunc(cells, func(a, b [2]float64) int {
		return cmp.Or(cmp.Compare(math.Round(math.Hypot(a[0], a[1])), math.Round(math.Hypot(b[0], b[1]))),
			cmp.Compare(math.Atan2(a[1], a[0]), math.Atan2(b[1], b[0])))
	})
	return cells[:min(n, len(cells))]
}

// spiral is where the k-th village of a town lies from the town centre, in
// km east and north: on an Archimedean spiral whose turns are villageGap
// apart, villageGap along it from the one before.
func spiral(k int) (x, y float64) {
	b := villageGap / (2 * math.Pi)
	s := villageGap * (float64(k) + 0.7)
	theta := math.Sqrt(2 * s / b)
	return b * theta * math.Cos(theta), b * theta * math.Sin(theta)
}

// jitter is a random offset of at most d either way.
func jitter(r *rand.Rand, d float64) float64 {
	return d * (2*r.Float64() - 1)
}

// offset returns the point x km east and y km north of p, rounded to six
// decimals (about 0.1 m).
func offset(p cunjing.Point, x, y float64) cunjing.Point {
	lat := p.Lat + y/kmPerDeg
	lng := p.Lng + x/(kmPerDeg*math.Cos(p.Lat*math.Pi/180))
	return cunjing.Point{Lng: math.Round(lng*1e6) / 1e6, Lat: math.Round(lat*1e6) / 1e6, Datum: p.Datum}
}
