package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"cunjing"
)

// The police force of the demo follows the Pingdingshan case study: each
// county staffs its villages its own way, and none reaches 100 %.
//
//   - 鲁山县: about 370 officers for 556 villages under "one village, one
//     officer", so some officers hold two villages and some villages none.
//   - 舞钢市: 一警两员, an officer and two patrol, security or village staff.
//   - 汝州市: 一警两干, an officer and two village cadres.
//   - 郏县: one officer for one or two neighbouring villages.
//   - 宝丰县: 44 police-office officers over several villages each and 270
//     village work stations run by auxiliary police.
//   - 石龙区: an officer and two helpers per office.
//   - the other districts: one village (community), one officer.

// modelSpec is a staffing model of the demo and where it applies.
type modelSpec struct {
	model cunjing.StaffingModel
	bind  []cunjing.ModelBinding // ModelID is set when the model is saved
}

var (
	assistants    = []cunjing.PostRole{cunjing.PostPatrol, cunjing.PostSecurity, cunjing.PostVillageOfficial}
	cadres        = []cunjing.PostRole{cunjing.PostCadre}
	officeHelpers = []cunjing.PostRole{cunjing.PostAuxiliary, cunjing.PostPatrol, cunjing.PostSecurity}
)

// withOfficer returns the rules of a model: one officer post, then more.
func withOfficer(more ...cunjing.ModelRule) []cunjing.ModelRule {
	officer := cunjing.ModelRule{Roles: []cunjing.PostRole{cunjing.PostResponsible, cunjing.PostCommunity}, Min: 1, Max: 1}
	return append([]cunjing.ModelRule{officer}, more...)
}

// demoModels are the staffing models of the city: one for every area, one
// for communities, and the counties' own for their villages.
var demoModels = []modelSpec{
	{cunjing.StaffingModel{Name: "一村一警", Description: "每个村（社区）一名责任民警，一名民警只包一个村",
		Rules: withOfficer(), MaxAreasPerOfficer: 1},
		[]cunjing.ModelBinding{{AreaCode: CityCode}}},
	{cunjing.StaffingModel{Name: "一室一警", Description: "社区警务室一名社区民警，一名民警最多负责两个社区",
		Rules: withOfficer(), MaxAreasPerOfficer: 2},
		[]cunjing.ModelBinding{{AreaCode: CityCode, AreaKind: cunjing.KindCommunity}}},
	{cunjing.StaffingModel{Name: "一警两员", Description: "每村一名民警，配两名巡防队员、治保人员或大学生村官（舞钢市）",
		Rules: withOfficer(cunjing.ModelRule{Roles: assistants, Min: 2}), MaxAreasPerOfficer: 1},
		[]cunjing.ModelBinding{{AreaCode: "410481", AreaKind: cunjing.KindVillage}}},
	{cunjing.StaffingModel{Name: "一警两干", Description: "每村一名民警，配两名包村干部（汝州市）",
		Rules: withOfficer(cunjing.ModelRule{Roles: cadres, Min: 2}), MaxAreasPerOfficer: 1},
		[]cunjing.ModelBinding{{AreaCode: "410482", AreaKind: cunjing.KindVillage}}},
	{cunjing.StaffingModel{Name: "一警双村", Description: "一名民警负责一至两个相邻的村（郏县）",
		Rules: withOfficer(), MaxAreasPerOfficer: 2, MaxDistanceKm: 6},
		[]cunjing.ModelBinding{{AreaCode: "410425", AreaKind: cunjing.KindVillage}}},
	{cunjing.StaffingModel{Name: "一室多站", Description: "警务室民警包片，每村警务工作站一名辅警驻村（宝丰县）",
		Rules:              withOfficer(cunjing.ModelRule{Roles: []cunjing.PostRole{cunjing.PostAuxiliary}, Min: 1}),
		MaxAreasPerOfficer: 8},
		[]cunjing.ModelBinding{{AreaCode: "410421", AreaKind: cunjing.KindVillage}}},
	{cunjing.StaffingModel{Name: "一室一警两员", Description: "每个警务室一名民警、两名辅警或巡防、治保人员（石龙区）",
		Rules: withOfficer(cunjing.ModelRule{Roles: officeHelpers, Min: 2}), MaxAreasPerOfficer: 3},
		[]cunjing.ModelBinding{{AreaCode: "410404"}}},
}

// shape is how a county posts its officers.
type shape int

const (
	perArea   shape = iota // an officer per village, some holding the next one too
	perOffice              // an officer per two or three areas of an office, two helpers per office
	byOffice               // a few police-office officers over many villages, work stations run by auxiliaries
)

// plan is how a county staffs its villages and communities.
type plan struct {
	shape   shape
	skip    float64            // chance an area (an office run) has no officer
	double  float64            // chance an officer also holds the neighbouring area
	helpers []cunjing.PostRole // two per village, of these roles
	// byOffice: police-office officers and villages with a work station.
	officers, workStations int
}

// plans are the counties' plans, by code; a county not listed has
// defaultPlan.
var plans = map[string]plan{
	"410402": {skip: 0.02, double: 0.04},                                                  // 新华区
	"410403": {skip: 0.06, double: 0.05},                                                  // 卫东区
	"410404": {shape: perOffice, skip: 0.05},                                              // 石龙区
	"410411": {skip: 0.05, double: 0.06},                                                  // 湛河区
	"410421": {shape: byOffice, skip: 0.05, double: 0.1, officers: 44, workStations: 270}, // 宝丰县
	"410422": {skip: 0.13, double: 0.12},                                                  // 叶县
	"410423": {skip: 0.12, double: 0.48},                                                  // 鲁山县
	"410425": {skip: 0.06, double: 0.6},                                                   // 郏县
	"410472": {skip: 0.12, double: 0.08},                                                  // 城乡一体化示范区
	"410481": {skip: 0.05, double: 0.04, helpers: assistants},                             // 舞钢市
	"410482": {skip: 0.04, double: 0.08, helpers: cadres},                                 // 汝州市
}

// defaultPlan is one village (community), one officer, with a few gaps.
var defaultPlan = plan{skip: 0.04, double: 0.05}

// Posting dates: posts start from firstDay to lastDay; a post handed over
// ran from before handover to after it.
var (
	firstDay = cunjing.NewDate(2021, 1, 1)
	handover = cunjing.NewDate(2023, 7, 1)
	lastDay  = cunjing.NewDate(2026, 10, 31)
)

// Shares of the force.
const (
	historyShare  = 0.05  // officer posts that were handed over once
	leavingShare  = 0.25  // of them, handed over by an officer who has left
	dualPostShare = 0.3   // officer posts with a dual post (两任) in the village
	leaveShare    = 0.012 // officers and helpers with posts on leave now
)

// force is the generated police force, ready to store: staff in one batch,
// their posts in one batch, then dual posts, and last the status changes
// that must follow the posts (leave, transfer, retirement).
type force struct {
	staff     []cunjing.Staff
	posts     []post
	dualPosts []dualPost
	changes   []statusChange
}

// post is an assignment of force.staff[staff].
type post struct {
	staff   int
	area    string
	role    cunjing.PostRole
	start   cunjing.Date
	replace bool
}

// dualPost is a dual post of force.staff[staff].
type dualPost struct {
	staff    int
	area     string
	post     cunjing.DualPostKind
	on       cunjing.Date
	document string
}

// statusChange sets the status of force.staff[staff] once posts exist.
type statusChange struct {
	staff  int
	status cunjing.StaffStatus
}

// newForce generates the force over the city's areas and units. The result
// depends only on them and the seed.
func newForce(areas []cunjing.Area, units []cunjing.Unit, seed uint64) *force {
	g := newForceGen(areas, units, seed)
	for _, county := range g.children[CityCode] {
		g.county(county)
	}
	g.linkAccounts(units)
	g.sendOnLeave()
	return &g.f
}

// forceGen holds the area tree, the units by station and the force made so
// far.
type forceGen struct {
	*generator
	people   *people
	posts    map[string][]cunjing.Unit // offices and workstations by station
	unitFor  map[string]string         // office or workstation by area code
	stations map[string][]cunjing.Unit // stations by county code
	open     []int                     // open posts by staff index
	officers []int                     // officers of the county being made
	f        force
}

func newForceGen(areas []cunjing.Area, units []cunjing.Unit, seed uint64) *forceGen {
	g := &forceGen{generator: newGenerator(areas, seed), posts: map[string][]cunjing.Unit{},
		unitFor: map[string]string{}, stations: map[string][]cunjing.Unit{}}
	g.r = rand.New(rand.NewPCG(seed, seed+1)) // a stream of its own, apart from the units'
	g.people = newPeople(g.r)
	for _, u := range units {
		switch u.Kind {
		case cunjing.UnitStation:
			g.stations[u.Code[:6]] = append(g.stations[u.Code[:6]], u)
		case cunjing.UnitOffice, cunjing.UnitWorkstation:
			g.posts[u.ParentCode] = append(g.posts[u.ParentCode], u)
			for _, code := range u.Jurisdiction {
				g.unitFor[code] = u.Code
			}
		}
	}
	return g
}

// county staffs the stations of a county after its plan.
func (g *forceGen) county(county cunjing.Area) {
	p, ok := plans[county.Code]
	if !ok {
		p = defaultPlan
	}
	g.officers = g.officers[:0]
	if p.shape == byOffice {
		g.byOffice(g.stations[county.Code], p)
	}
	for _, st := range g.stations[county.Code] {
		for _, u := range g.posts[st.Code] {
			g.office(u, p)
		}
		g.advisors(st)
	}
}

// office staffs the areas of one office or workstation.
func (g *forceGen) office(u cunjing.Unit, p plan) {
	areas := g.areasOf(u)
	switch {
	case p.shape == perOffice:
		for _, run := range g.chunk(areas, 2, 3) {
			if g.r.Float64() >= p.skip {
				g.officer(u.Code, run)
			}
		}
		g.officeHelpers(u, areas)
		return
	case p.shape == byOffice && u.Kind == cunjing.UnitWorkstation:
		return // staffed by byOffice
	}
	g.perArea(u, areas, p)
	g.auxiliaries(u, areas)
	if len(p.helpers) > 0 {
		g.helpers(u, areas, p.helpers)
	}
}

// areasOf returns the areas of a unit's jurisdiction.
func (g *forceGen) areasOf(u cunjing.Unit) []cunjing.Area {
	areas := make([]cunjing.Area, len(u.Jurisdiction))
	for i, code := range u.Jurisdiction {
		areas[i] = g.byCode[code]
	}
	return areas
}

// perArea posts an officer on each area, some holding the neighbouring area
// too, and leaves some areas without.
func (g *forceGen) perArea(u cunjing.Unit, areas []cunjing.Area, p plan) {
	for i := 0; i < len(areas); {
		if g.r.Float64() < p.skip {
			i++
			continue
		}
		n := g.holding(areas[i:], p)
		g.officer(u.Code, areas[i:i+n])
		i += n
	}
}

// holding is how many of areas, from the first, one officer holds: one, or
// at random the next one too when they are neighbours.
func (g *forceGen) holding(areas []cunjing.Area, p plan) int {
	if len(areas) > 1 && neighbours(areas[0], areas[1]) && g.r.Float64() < p.double {
		return 2
	}
	return 1
}

// neighbours reports whether two areas, next to each other in code order,
// are neighbours: of the same kind in the same town.
func neighbours(a, b cunjing.Area) bool {
	return a.ParentCode == b.ParentCode && a.Kind == b.Kind
}

// officer adds an officer of unit responsible for areas. A few of his
// posts were handed over to him; some come with a dual post.
func (g *forceGen) officer(unit string, areas []cunjing.Area) {
	id := g.addStaff(cunjing.StaffOfficer, unit)
	for _, a := range areas {
		start := g.day(firstDay, lastDay)
		replace := false
		if g.r.Float64() < historyShare {
			start, replace = g.day(handover, lastDay), true
			g.handedOver(unit, a)
		}
		g.post(id, a.Code, officerRole(a), start, replace)
		if g.r.Float64() < dualPostShare {
			g.dualPost(id, a, start)
		}
	}
	g.officers = append(g.officers, id)
}

// handedOver records the earlier officer of an area: another officer of
// the county, or one of unit's who has left the force since.
func (g *forceGen) handedOver(unit string, a cunjing.Area) {
	var prev int
	if len(g.officers) > 0 && g.r.Float64() >= leavingShare {
		prev = g.officers[g.r.IntN(len(g.officers))]
	} else {
		prev = g.addStaff(cunjing.StaffOfficer, unit)
		status := cunjing.StaffTransferred
		if g.r.IntN(3) == 0 {
			status = cunjing.StaffRetired
		}
		g.f.changes = append(g.f.changes, statusChange{prev, status})
	}
	g.post(prev, a.Code, officerRole(a), g.day(firstDay, handover.AddDays(-1)), false)
	g.open[prev]--
}

// officerRole is the officer post of an area: community officer in a
// community, responsible officer elsewhere.
func officerRole(a cunjing.Area) cunjing.PostRole {
	if a.Kind == cunjing.KindCommunity {
		return cunjing.PostCommunity
	}
	return cunjing.PostResponsible
}

// dualKinds are the dual posts an officer holds, the common ones repeated.
var dualKinds = []cunjing.DualPostKind{cunjing.DualPartyDeputy, cunjing.DualPartyDeputy, cunjing.DualPartyDeputy,
	cunjing.DualCommitteeDeputy, cunjing.DualCommitteeDeputy, cunjing.DualPartyMember, cunjing.DualCommitteeMember}

// dualPost gives an officer a dual post in an area, from a day after his
// post began; the appointment document is the county's.
func (g *forceGen) dualPost(id int, a cunjing.Area, from cunjing.Date) {
	on := g.day(from, lastDay)
	county := []rune(g.byCode[a.Code[:6]].Name)[0]
	g.f.dualPosts = append(g.f.dualPosts, dualPost{staff: id, area: a.Code, post: dualKinds[g.r.IntN(len(dualKinds))], on: on,
		document: fmt.Sprintf("%c组干〔%d〕%d号", county, on.Time().Year(), 1+g.r.IntN(80))})
}

// auxiliaries posts one or two auxiliary police of an office on its areas,
// splitting them between the two.
func (g *forceGen) auxiliaries(u cunjing.Unit, areas []cunjing.Area) {
	for _, run := range split(areas, 1+g.r.IntN(2)) {
		g.staffPosts(cunjing.PostAuxiliary, u.Code, run)
	}
}

// helpers posts the helpers of a model on the villages of an office: two
// each, at times fewer.
func (g *forceGen) helpers(u cunjing.Unit, areas []cunjing.Area, roles []cunjing.PostRole) {
	for _, a := range areas {
		if a.Kind != cunjing.KindVillage {
			continue
		}
		for range g.helperCount() {
			g.staffPosts(roles[g.r.IntN(len(roles))], u.Code, []cunjing.Area{a})
		}
	}
}

// helperCount is two, sometimes one, rarely none.
func (g *forceGen) helperCount() int {
	switch u := g.r.Float64(); {
	case u < 0.04:
		return 0
	case u < 0.15:
		return 1
	}
	return 2
}

// officeHelpers posts two helpers (at times one) on all the areas of an
// office.
func (g *forceGen) officeHelpers(u cunjing.Unit, areas []cunjing.Area) {
	n := 2
	if g.r.Float64() < 0.25 {
		n = 1
	}
	for range n {
		g.staffPosts(officeHelpers[g.r.IntN(len(officeHelpers))], u.Code, areas)
	}
}

// byOffice staffs the villages of a county's stations with p.officers
// police-office officers shared out by village count, each over a run of
// villages, and p.workStations villages with an auxiliary each.
func (g *forceGen) byOffice(stations []cunjing.Unit, p plan) {
	villages := make([][]cunjing.Area, len(stations))
	sizes := make([]int, len(stations))
	for i, st := range stations {
		for _, u := range g.posts[st.Code] {
			if u.Kind == cunjing.UnitWorkstation {
				villages[i] = append(villages[i], g.areasOf(u)...)
			}
		}
		sizes[i] = len(villages[i])
	}
	for i, n := range apportion(p.officers, sizes) {
		covered := slices.DeleteFunc(slices.Clone(villages[i]), func(cunjing.Area) bool { return g.r.Float64() < p.skip })
		for _, run := range split(covered, n) {
			g.officer(g.unitFor[run[0].Code], run)
		}
	}
	g.workStations(slices.Concat(villages...), p.workStations)
}

// workStations posts auxiliaries on n of villages at random, one for one or
// two neighbouring villages of a workstation.
func (g *forceGen) workStations(villages []cunjing.Area, n int) {
	chosen := make([]bool, len(villages))
	for _, i := range g.r.Perm(len(villages))[:min(n, len(villages))] {
		chosen[i] = true
	}
	for i := 0; i < len(villages); i++ {
		if !chosen[i] {
			continue
		}
		run := villages[i : i+1]
		if i+1 < len(villages) && chosen[i+1] && g.unitFor[villages[i+1].Code] == g.unitFor[villages[i].Code] && g.r.IntN(2) == 0 {
			run = villages[i : i+2]
			i++
		}
		g.staffPosts(cunjing.PostAuxiliary, g.unitFor[run[0].Code], run)
	}
}

// advisors posts a legal advisor and a mediator of a station on every four
// to seven of its areas.
func (g *forceGen) advisors(st cunjing.Unit) {
	var areas []cunjing.Area
	for _, u := range g.posts[st.Code] {
		areas = append(areas, g.areasOf(u)...)
	}
	for _, role := range []cunjing.PostRole{cunjing.PostLegalAdvisor, cunjing.PostMediator} {
		for _, run := range g.chunk(areas, 4, 7) {
			g.staffPosts(role, st.Code, run)
		}
	}
}

// staffPosts adds a member of staff of unit for role and posts him on areas.
func (g *forceGen) staffPosts(role cunjing.PostRole, unit string, areas []cunjing.Area) {
	id := g.addStaff(role.StaffKind(), unit)
	for _, a := range areas {
		g.post(id, a.Code, role, g.day(firstDay, lastDay), false)
	}
}

// addStaff adds an active member of staff of unit and returns his index.
func (g *forceGen) addStaff(kind cunjing.StaffKind, unit string) int {
	g.f.staff = append(g.f.staff, g.people.person(kind, unit))
	g.open = append(g.open, 0)
	return len(g.f.staff) - 1
}

func (g *forceGen) post(id int, area string, role cunjing.PostRole, start cunjing.Date, replace bool) {
	g.f.posts = append(g.f.posts, post{staff: id, area: area, role: role, start: start, replace: replace})
	g.open[id]++
}

// day returns a day from first to last, both included.
func (g *forceGen) day(first, last cunjing.Date) cunjing.Date {
	days := int(last.Time().Sub(first.Time()).Hours() / 24)
	return first.AddDays(g.r.IntN(days + 1))
}

// linkAccounts links the officer and auxiliary demo accounts to staff of
// their units who hold posts.
func (g *forceGen) linkAccounts(units []cunjing.Unit) {
	kinds := map[cunjing.Role]cunjing.StaffKind{cunjing.RoleOfficer: cunjing.StaffOfficer, cunjing.RoleAuxiliary: cunjing.StaffAuxiliary}
	for _, a := range Accounts {
		kind, ok := kinds[a.Role]
		if !ok {
			continue
		}
		unit := a.Unit(units)
		for i := range g.f.staff {
			if s := &g.f.staff[i]; s.Kind == kind && s.UnitCode == unit && s.Username == "" && g.open[i] > 0 {
				s.Username = a.Username
				break
			}
		}
	}
}

// sendOnLeave puts a few officers and helpers with posts on leave, none of
// those linked to an account.
func (g *forceGen) sendOnLeave() {
	for i, s := range g.f.staff {
		if s.Username == "" && g.open[i] > 0 && s.Kind != cunjing.StaffAuxiliary && g.r.Float64() < leaveShare {
			g.f.changes = append(g.f.changes, statusChange{i, cunjing.StaffOnLeave})
		}
	}
}

// split cuts areas, in order, into n runs of near-equal length (fewer when
// there are fewer areas).
func split(areas []cunjing.Area, n int) [][]cunjing.Area {
	n = min(n, len(areas))
	runs := make([][]cunjing.Area, 0, n)
	for i := range n {
		runs = append(runs, areas[i*len(areas)/n:(i+1)*len(areas)/n])
	}
	return runs
}

// apportion shares total out in proportion to sizes, at least one to each
// nonzero size, by largest remainder.
func apportion(total int, sizes []int) []int {
	shares := make([]int, len(sizes))
	sum, left := 0, total
	for i, s := range sizes {
		if s > 0 {
			shares[i], sum, left = 1, sum+s, left-1
		}
	}
	if sum == 0 || left <= 0 {
		return shares
	}
	rest := make([]int, len(sizes))
	given := 0
	for i, s := range sizes {
		q := left * s
		shares[i] += q / sum
		rest[i], given = q%sum, given+q/sum
	}
	order := make([]int, len(sizes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rest[b] - rest[a] })
	for _, i := range order[:left-given] {
		shares[i]++
	}
	return shares
}
