package store

import (
	"maps"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"cunjing"
)

// coverageCounter judges each area of a report against its staffing
// model and adds them up, in shards run side by side.
type coverageCounter struct {
	data     *coverageData
	root     string
	scope    func(code string) bool
	postedIn map[string]map[int64]bool // county code → officers posted there
	results  []areaResult              // parallel to data.areas
}

// coverageShard is the count of a run of consecutive areas.
type coverageShard struct {
	*coverageCounter
	tally      cunjing.CoverageTally
	children   map[string]*cunjing.CoverageRow
	postedIn   map[string]map[int64]bool
	overload   map[int64]*cunjing.OfficerLoad
	gaps       []cunjing.CoverageGap
	gapCount   int
	dual       cunjing.DualPostTally
	results    []areaResult
	memoParent string
	memo       map[cunjing.Kind]*cunjing.StaffingModel // the models of memoParent's children
	filled     map[cunjing.PostRole]int                // reused by judge
}

// areaResult is the judgement of one area.
type areaResult struct {
	covered, compliant bool
}

// shardSize is the fewest areas worth a shard of their own.
const shardSize = 50_000

func newCoverageCounter(d *coverageData, root string, visible func(string) bool) *coverageCounter {
	return &coverageCounter{data: d, root: root, scope: visible, postedIn: map[string]map[int64]bool{}}
}

// run fills the tally, children, gaps (up to limit) and overloaded
// officers of report.
func (c *coverageCounter) run(report *cunjing.CoverageReport, limit int) {
	areas := c.data.areas
	n := max(1, min(runtime.GOMAXPROCS(0), len(areas)/shardSize))
	shards := make([]*coverageShard, n)
	var wg sync.WaitGroup
	for i := range shards {
		shards[i] = c.newShard()
		part := areas[i*len(areas)/n : (i+1)*len(areas)/n]
		wg.Go(func() { shards[i].count(part, limit) })
	}
	wg.Wait()
	children, overload := map[string]*cunjing.CoverageRow{}, map[int64]*cunjing.OfficerLoad{}
	for _, sh := range shards {
		c.merge(report, sh, limit, children, overload)
	}
	for _, row := range children {
		report.Children = append(report.Children, *row)
	}
	slices.SortFunc(report.Children, func(a, b cunjing.CoverageRow) int { return strings.Compare(a.Code, b.Code) })
	for _, load := range overload {
		report.Overloaded = append(report.Overloaded, *load)
	}
	slices.SortFunc(report.Overloaded, func(a, b cunjing.OfficerLoad) int {
		if a.Held != b.Held {
			return b.Held - a.Held
		}
		return int(a.Staff.ID - b.Staff.ID)
	})
	if len(report.Overloaded) > limit {
		report.Overloaded = report.Overloaded[:limit]
	}
}

func (c *coverageCounter) newShard() *coverageShard {
	return &coverageShard{coverageCounter: c, children: map[string]*cunjing.CoverageRow{}, postedIn: map[string]map[int64]bool{},
		overload: map[int64]*cunjing.OfficerLoad{}, memo: map[cunjing.Kind]*cunjing.StaffingModel{}, filled: map[cunjing.PostRole]int{}}
}

// merge adds a shard's counts to the report, in order of the shards.
func (c *coverageCounter) merge(report *cunjing.CoverageReport, sh *coverageShard, limit int,
	children map[string]*cunjing.CoverageRow, overload map[int64]*cunjing.OfficerLoad) {
	report.Tally.Add(sh.tally)
	report.GapCount += sh.gapCount
	report.DualPosts.Areas += sh.dual.Areas
	report.DualPosts.Held += sh.dual.Held
	report.Gaps = append(report.Gaps, sh.gaps[:min(len(sh.gaps), limit-len(report.Gaps))]...)
	c.results = append(c.results, sh.results...)
	for code, row := range sh.children {
		if have, ok := children[code]; ok {
			have.Tally.Add(row.Tally)
		} else {
			children[code] = row
		}
	}
	for county, officers := range sh.postedIn {
		if c.postedIn[county] == nil {
			c.postedIn[county] = officers
			continue
		}
		maps.Copy(c.postedIn[county], officers)
	}
	for id, load := range sh.overload {
		if have, ok := overload[id]; ok {
			have.Allowed = min(have.Allowed, load.Allowed)
		} else {
			overload[id] = load
		}
	}
}

// count judges a run of areas.
func (sh *coverageShard) count(areas []postedArea, limit int) {
	sh.results = make([]areaResult, 0, len(areas))
	for i := range areas {
		a := &areas[i]
		model := sh.modelOf(a)
		officers, reasons := sh.judge(a, model)
		covered := len(officers) > 0
		compliant := len(reasons) == 0
		sh.results = append(sh.results, areaResult{covered, compliant})
		sh.tally.Count(a.kind, covered, compliant)
		sh.child(a.code).Tally.Count(a.kind, covered, compliant)
		sh.notePosted(a.code, officers)
		sh.noteDualPost(a)
		if compliant {
			continue
		}
		sh.gapCount++
		if len(sh.gaps) < limit {
			sh.gaps = append(sh.gaps, cunjing.CoverageGap{Area: cunjing.Area{Code: a.code, Kind: a.kind},
				Model: model.Name, Officers: officers, Reasons: reasons})
		}
	}
}

// judge returns the active officers in post in an area and the reasons it
// falls short of its model.
func (c *coverageShard) judge(a *postedArea, model *cunjing.StaffingModel) ([]cunjing.StaffRef, []cunjing.GapReason) {
	filled := c.filled
	clear(filled)
	var officers []cunjing.StaffRef
	var offDuty []cunjing.GapReason
	for _, p := range a.posts {
		switch {
		case c.data.offDuty[p.staff] && p.role.IsOfficerPost():
			offDuty = append(offDuty, cunjing.GapReason{Code: cunjing.GapOffDuty, Roles: []cunjing.PostRole{p.role}, Staff: cunjing.StaffRef{ID: p.staff}})
		case c.data.offDuty[p.staff]:
		default:
			filled[p.role]++
			if p.role.IsOfficerPost() {
				officers = append(officers, cunjing.StaffRef{ID: p.staff})
			}
		}
	}
	reasons := append(model.CheckPosts(filled), offDuty...)
	for _, o := range officers {
		reasons = append(reasons, c.judgeLoad(o.ID, model)...)
	}
	return officers, reasons
}

// judgeLoad checks the number and spread of the areas an officer holds
// against the model of one of them.
func (c *coverageShard) judgeLoad(officer int64, model *cunjing.StaffingModel) []cunjing.GapReason {
	held := c.data.holdings[officer]
	var reasons []cunjing.GapReason
	if limit := model.MaxAreasPerOfficer; limit > 0 && len(held) > limit {
		reasons = append(reasons, cunjing.GapReason{Code: cunjing.GapOverloaded, Have: len(held), Need: limit, Staff: cunjing.StaffRef{ID: officer}})
		c.noteOverload(officer, held, limit)
	}
	if limit := model.MaxDistanceKm; limit > 0 {
		if km := spread(held); km > limit {
			reasons = append(reasons, cunjing.GapReason{Code: cunjing.GapTooFar, Km: km, Within: limit, Staff: cunjing.StaffRef{ID: officer}})
		}
	}
	return reasons
}

func (c *coverageShard) noteOverload(officer int64, held []holding, limit int) {
	load, ok := c.overload[officer]
	if !ok {
		load = &cunjing.OfficerLoad{Staff: cunjing.StaffRef{ID: officer}, Held: len(held), Allowed: limit}
		for _, h := range held {
			if c.scope(h.code) {
				load.Areas = append(load.Areas, h.code)
			}
		}
		slices.Sort(load.Areas)
		c.overload[officer] = load
	}
	load.Allowed = min(load.Allowed, limit)
}

// spread is the largest distance in km between two of the areas held
// that have coordinates.
func spread(held []holding) float64 {
	far := 0.0
	for i := range held {
		for j := i + 1; j < len(held); j++ {
			if held[i].location != nil && held[j].location != nil {
				far = max(far, distanceKm(*held[i].location, *held[j].location))
			}
		}
	}
	return far
}

// distanceKm is the great-circle distance between two points. GCJ-02 and
// WGS-84 differ by at most a few hundred metres, which a staffing rule
// measured in kilometres can ignore.
func distanceKm(a, b cunjing.Point) float64 {
	const earthKm = 6371.0
	rad := math.Pi / 180
	dLat, dLng := (b.Lat-a.Lat)*rad, (b.Lng-a.Lng)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthKm * math.Asin(math.Sqrt(h))
}

// modelOf returns the model that applies to an area, remembering it per
// kind while the parent stays the same (areas come by code, so siblings
// come together); a binding on the area itself is never remembered.
func (c *coverageShard) modelOf(a *postedArea) *cunjing.StaffingModel {
	parent := cunjing.ParentCodeOf(a.code)
	if parent != c.memoParent {
		c.memoParent = parent
		clear(c.memo)
	}
	bound := c.data.bound[a.code]
	if m, ok := c.memo[a.kind]; ok && !bound {
		return m
	}
	m := &cunjing.DefaultStaffingModel
	if b, ok := cunjing.ModelFor(c.data.bindings, a.code, a.kind); ok {
		if found, ok := c.data.models[b.ModelID]; ok {
			m = &found
		}
	}
	if !bound {
		c.memo[a.kind] = m
	}
	return m
}

// child returns the row of the child of the root that holds code.
func (c *coverageShard) child(code string) *cunjing.CoverageRow {
	key := childCode(c.root, code)
	row, ok := c.children[key]
	if !ok {
		row = &cunjing.CoverageRow{Code: key}
		c.children[key] = row
	}
	return row
}

// childCode is the code of the child of root that holds code: the next
// official level down, or a grid or venue directly under root.
func childCode(root, code string) string {
	base, _, _ := strings.Cut(code, "-")
	if len(base) == len(root) {
		return code
	}
	for _, n := range []int{2, 4, 6, 9, 12} {
		if n > len(root) {
			return code[:n]
		}
	}
	return code
}

// notePosted remembers the officers posted in the county of code.
func (c *coverageShard) notePosted(code string, officers []cunjing.StaffRef) {
	if len(officers) == 0 || len(code) < 6 {
		return
	}
	county := code[:6]
	set, ok := c.postedIn[county]
	if !ok {
		set = map[int64]bool{}
		c.postedIn[county] = set
	}
	for _, o := range officers {
		set[o.ID] = true
	}
}

// noteDualPost counts a village or community and whether an officer holds a
// dual post there.
func (c *coverageShard) noteDualPost(a *postedArea) {
	if a.kind != cunjing.KindVillage && a.kind != cunjing.KindCommunity {
		return
	}
	c.dual.Areas++
	if c.data.dualHeld[a.code] {
		c.dual.Held++
	}
}
