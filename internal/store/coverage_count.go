package store

import (
	"math"
	"slices"
	"strings"

	"cunjing"
)

// coverageCounter walks the areas of a report once, judging each against
// its staffing model and adding it up.
type coverageCounter struct {
	data      *coverageData
	root      string
	children  map[string]*cunjing.CoverageRow
	postedIn  map[string]map[int64]bool // county code → officers posted there
	overload  map[int64]*cunjing.OfficerLoad
	modelMemo map[modelKey]*cunjing.StaffingModel
	scope     func(code string) bool
	results   []areaResult // parallel to data.areas
}

// areaResult is the judgement of one area.
type areaResult struct {
	covered, compliant bool
}

type modelKey struct {
	parent string
	kind   cunjing.Kind
}

func newCoverageCounter(d *coverageData, root string, visible func(string) bool) *coverageCounter {
	return &coverageCounter{data: d, root: root, children: map[string]*cunjing.CoverageRow{},
		postedIn: map[string]map[int64]bool{}, overload: map[int64]*cunjing.OfficerLoad{},
		modelMemo: map[modelKey]*cunjing.StaffingModel{}, scope: visible}
}

// run fills the tally, children, gaps (up to limit) and overloaded
// officers of report.
func (c *coverageCounter) run(report *cunjing.CoverageReport, limit int) {
	for i := range c.data.areas {
		a := &c.data.areas[i]
		model := c.modelOf(a)
		officers, reasons := c.judge(a, model)
		covered := len(officers) > 0
		compliant := len(reasons) == 0
		c.results = append(c.results, areaResult{covered, compliant})
		report.Tally.Count(a.kind, covered, compliant)
		c.child(a.code).Tally.Count(a.kind, covered, compliant)
		c.notePosted(a.code, officers)
		if compliant {
			continue
		}
		report.GapCount++
		if len(report.Gaps) < limit {
			report.Gaps = append(report.Gaps, cunjing.CoverageGap{Area: cunjing.Area{Code: a.code, Kind: a.kind},
				Model: model.Name, Officers: officers, Reasons: reasons})
		}
	}
	for _, row := range c.children {
		report.Children = append(report.Children, *row)
	}
	slices.SortFunc(report.Children, func(a, b cunjing.CoverageRow) int { return strings.Compare(a.Code, b.Code) })
	for _, load := range c.overload {
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

// judge returns the active officers in post in an area and the reasons it
// falls short of its model.
func (c *coverageCounter) judge(a *postedArea, model *cunjing.StaffingModel) ([]cunjing.StaffRef, []cunjing.GapReason) {
	filled := map[cunjing.PostRole]int{}
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
func (c *coverageCounter) judgeLoad(officer int64, model *cunjing.StaffingModel) []cunjing.GapReason {
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

func (c *coverageCounter) noteOverload(officer int64, held []holding, limit int) {
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
// parent and kind: bindings sit on official areas above the village tier,
// or on the area itself.
func (c *coverageCounter) modelOf(a *postedArea) *cunjing.StaffingModel {
	key := modelKey{cunjing.ParentCodeOf(a.code), a.kind}
	if m, ok := c.modelMemo[key]; ok && !c.boundAt(a.code) {
		return m
	}
	m := &cunjing.DefaultStaffingModel
	if b, ok := cunjing.ModelFor(c.data.bindings, a.code, a.kind); ok {
		if found, ok := c.data.models[b.ModelID]; ok {
			m = &found
		}
	}
	if !c.boundAt(a.code) {
		c.modelMemo[key] = m
	}
	return m
}

// boundAt reports whether a binding sits on the code itself.
func (c *coverageCounter) boundAt(code string) bool {
	for _, b := range c.data.bindings {
		if b.AreaCode == code {
			return true
		}
	}
	return false
}

// child returns the row of the child of the root that holds code.
func (c *coverageCounter) child(code string) *cunjing.CoverageRow {
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
func (c *coverageCounter) notePosted(code string, officers []cunjing.StaffRef) {
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
