package demo

import (
	"fmt"

	"cunjing"
)

// member is a person of a household before he is given his identity.
type member struct {
	rel     cunjing.Relation
	male    bool
	age     float64 // years
	surname string  // "" for one of his own
	left    cunjing.LeftBehind
}

// origin is where the people of a household come from: the region of their
// ID numbers (or the country of their passports) and their category.
type origin struct {
	region   string
	category cunjing.ResidentCategory
}

// maxAge is the age of the oldest residents, in years.
const maxAge = 105

// familyKind is a kind of registered household and its share among the
// households of villages and of communities, per hundred.
type familyKind struct {
	rural, urban int
	make         func(g *blockGen) []member
}

// familyKinds are the households people live in: the old alone or as a
// couple (their children gone to work in the cities), the young couple,
// parents and children, three generations, grandparents with the children
// of parents working away (留守), a single parent, brothers and sisters.
var familyKinds = []familyKind{
	{9, 12, (*blockGen).single},
	{14, 17, (*blockGen).couple},
	{34, 43, (*blockGen).nuclear},
	{13, 10, (*blockGen).threeGenerations},
	{12, 7, (*blockGen).oldHead},
	{12, 3, (*blockGen).skipped},
	{5, 6, (*blockGen).singleParent},
	{1, 1, (*blockGen).siblings},
}

// family makes up the members of a registered household, head first.
func (g *blockGen) family() []member {
	x := g.r.IntN(100)
	for _, k := range familyKinds {
		share := k.rural
		if g.urban {
			share = k.urban
		}
		if x < share {
			return k.make(g)
		}
		x -= share
	}
	return g.single()
}

// between returns a number from lo to hi.
func (g *blockGen) between(lo, hi float64) float64 {
	return lo + (hi-lo)*g.r.Float64()
}

// chance is true in percent of a hundred draws.
func (g *blockGen) chance(percent int) bool { return g.r.IntN(100) < percent }

func (g *blockGen) surname() string { return residentSurname(g.r.Float64()) }

// leftBehind marks the old of a village household whose children work
// away; in communities nobody is left behind.
func (g *blockGen) leftBehind(ms []member, percent int) {
	if g.urban || !g.chance(percent) {
		return
	}
	for i := range ms {
		if ms[i].age >= 60 {
			ms[i].left = cunjing.LeftBehindElderly
		}
	}
}

func (g *blockGen) single() []member {
	old := 35
	if !g.urban {
		old = 50
	}
	if g.chance(old) {
		ms := []member{{rel: cunjing.RelationHead, male: g.chance(40), age: g.between(60, 92)}}
		g.leftBehind(ms, 45)
		return ms
	}
	return []member{{rel: cunjing.RelationHead, male: g.chance(65), age: g.between(19, 60)}}
}

// spouses returns a husband (of the family's surname) and his wife, she a
// few years younger, and which of them heads the household.
func (g *blockGen) spouses(lo, hi float64, surname string, wifeHeads int) []member {
	husband := member{rel: cunjing.RelationHead, male: true, age: g.between(lo, hi), surname: surname}
	wife := member{rel: cunjing.RelationSpouse, age: max(18, husband.age-g.between(-1, 5))}
	if g.chance(wifeHeads) {
		husband.rel, wife.rel = cunjing.RelationSpouse, cunjing.RelationHead
		return []member{wife, husband}
	}
	return []member{husband, wife}
}

// motherOf returns the age of the woman of a couple.
func motherOf(couple []member) float64 {
	if couple[0].male {
		return couple[1].age
	}
	return couple[0].age
}

// children returns n children of a mother of an age, of a surname.
func (g *blockGen) children(n int, mother float64, surname string, rel cunjing.Relation) []member {
	var ms []member
	for range n {
		if mother < 20 {
			break
		}
		ms = append(ms, member{rel: rel, male: g.chance(53), age: mother - g.between(20, min(40, mother)), surname: surname})
	}
	return ms
}

// secondHousehold makes up a household of its own living in another's
// house: the old parents, one or both, or a married son with his wife and
// child.
func (g *blockGen) secondHousehold() []member {
	switch x := g.r.IntN(100); {
	case x < 20:
		return []member{{rel: cunjing.RelationHead, male: g.chance(35), age: g.between(65, 95)}}
	case x < 50:
		return g.spouses(62, 90, g.surname(), 5)
	}
	fam := g.surname()
	ms := g.spouses(22, 36, fam, 5)
	return append(ms, g.children(g.r.IntN(2), motherOf(ms), fam, cunjing.RelationChild)...)
}

func (g *blockGen) couple() []member {
	if g.chance(45) {
		ms := g.spouses(58, 87, g.surname(), 10)
		g.leftBehind(ms, 45)
		return ms
	}
	return g.spouses(21, 38, g.surname(), 10)
}

func (g *blockGen) nuclear() []member {
	fam := g.surname()
	ms := g.spouses(25, 56, fam, 15)
	n := 1
	switch x := g.r.IntN(100); {
	case x >= 92:
		n = 3
	case x >= 50:
		n = 2
	}
	return append(ms, g.children(n, motherOf(ms), fam, cunjing.RelationChild)...)
}

// threeGenerations: a couple, their children and one or both parents of
// the head.
func (g *blockGen) threeGenerations() []member {
	fam := g.surname()
	ms := g.spouses(28, 53, fam, 10)
	ms = append(ms, g.children(1+g.r.IntN(2), motherOf(ms), fam, cunjing.RelationChild)...)
	head := &ms[0]
	if head.surname == "" {
		head.surname = g.surname()
	}
	father := member{rel: cunjing.RelationParent, male: true, age: min(maxAge-1, head.age+g.between(22, 33)), surname: head.surname}
	mother := member{rel: cunjing.RelationParent, age: father.age - g.between(0, 5)}
	switch g.r.IntN(3) {
	case 0:
		return append(ms, father)
	case 1:
		return append(ms, mother)
	}
	return append(ms, father, mother)
}

// oldHead: an old couple, their married son and his wife, and their
// grandchildren.
func (g *blockGen) oldHead() []member {
	fam := g.surname()
	ms := g.spouses(50, 77, fam, 5)
	son := member{rel: cunjing.RelationChild, male: true, age: max(20, motherOf(ms)-g.between(21, 32)), surname: fam}
	wife := member{rel: cunjing.RelationOther, age: max(19, son.age-g.between(-2, 4))}
	ms = append(ms, son, wife)
	return append(ms, g.children(1+g.r.IntN(2), wife.age, fam, cunjing.RelationGrandchild)...)
}

// skipped: grandparents with the children of parents who work in the
// cities — in a village, left-behind children (留守儿童) and elderly.
func (g *blockGen) skipped() []member {
	fam := g.surname()
	var ms []member
	if g.chance(80) {
		ms = g.spouses(55, 80, fam, 10)
	} else {
		ms = []member{{rel: cunjing.RelationHead, male: g.chance(30), age: g.between(55, 82), surname: fam}}
	}
	for range 1 + g.r.IntN(3) {
		ms = append(ms, member{rel: cunjing.RelationGrandchild, male: g.chance(53), age: g.between(0.5, 16), surname: fam})
	}
	if !g.urban {
		for i := range ms {
			switch {
			case ms[i].rel == cunjing.RelationGrandchild:
				ms[i].left = cunjing.LeftBehindChild
			case ms[i].age >= 60:
				ms[i].left = cunjing.LeftBehindElderly
			}
		}
	}
	return ms
}

func (g *blockGen) singleParent() []member {
	head := member{rel: cunjing.RelationHead, male: g.chance(40), age: g.between(28, 51), surname: g.surname()}
	mother := head.age
	surname := head.surname
	if !head.male {
		surname = g.surname()
	} else {
		mother -= g.between(0, 4)
	}
	return append([]member{head}, g.children(1+g.r.IntN(2), mother, surname, cunjing.RelationChild)...)
}

func (g *blockGen) siblings() []member {
	head := member{rel: cunjing.RelationHead, male: g.chance(55), age: g.between(25, 61), surname: g.surname()}
	sib := member{rel: cunjing.RelationSibling, male: g.chance(50), age: head.age + g.between(-8, 8), surname: head.surname}
	return []member{head, sib}
}

// migrants make up a household of the floating population: a worker, a
// couple, or a couple with their children.
func (g *blockGen) migrants() []member {
	switch x := g.r.IntN(100); {
	case x < 45:
		return []member{{rel: cunjing.RelationHead, male: g.chance(65), age: g.between(18, 50)}}
	case x < 70:
		return g.spouses(20, 45, g.surname(), 10)
	}
	fam := g.surname()
	ms := g.spouses(24, 46, fam, 10)
	return append(ms, g.children(1+g.r.IntN(2), motherOf(ms), fam, cunjing.RelationChild)...)
}

// registered adds a household of the registered population at an address
// and returns its head, who owns the house.
func (g *blockGen) registered(addr int) int {
	head := g.people(g.family(), addr, g.newHousehold(addr), origin{region: g.county, category: cunjing.CategoryRegistered})
	g.owners = append(g.owners, head)
	return head
}

// people adds the members of a household — as many as the block has room
// for — and returns the index of the head. Adults mostly have a mobile of
// their own; the old and the children often give the household's.
func (g *blockGen) people(ms []member, addr, hh int, o origin) int {
	ms = ms[:min(len(ms), g.left)]
	first := len(g.b.Residents)
	shared := ""
	for _, m := range ms {
		p := Person{Resident: g.resident(m, o), Address: addr, Household: hh}
		p.AreaCode, p.AddressText = g.area.Code, g.b.Addresses[addr].Text
		p.Phone = g.phoneOf(m.age, &shared)
		g.b.Residents = append(g.b.Residents, p)
	}
	g.left -= len(ms)
	if o.category == cunjing.CategoryRegistered {
		g.statuses(first)
	}
	return first
}

// phoneOf gives a person of an age his own mobile, the household's, or
// none; the first own mobile becomes the household's.
func (g *blockGen) phoneOf(age float64, shared *string) string {
	own := 0
	switch {
	case age >= 75:
		own = 35
	case age >= 18:
		own = 93
	case age >= 12:
		own = 40
	}
	if g.chance(own) {
		phone := mobileNumber(g.r)
		if *shared == "" {
			*shared = phone
		}
		return phone
	}
	if (age >= 60 || age < 16) && g.chance(60) {
		return *shared
	}
	return ""
}

// statuses marks a few of the registered members from first on (never the
// head) as deceased — the very old — or moved out.
func (g *blockGen) statuses(first int) {
	for i := first + 1; i < len(g.b.Residents); i++ {
		p := &g.b.Residents[i]
		age := float64(g.p.today-dayNumber(p.BirthDate)) / 365.2425
		switch {
		case age >= 75 && g.chance(4):
			p.Status, p.Phone, p.LeftBehind = cunjing.ResidentDeceased, "", cunjing.LeftBehindNone
		case age >= 18 && age < 45 && g.chance(3):
			p.Status, p.Note = cunjing.ResidentMovedOut, "外出务工，户口迁出"
		}
	}
}

// resident gives a member his ID number, name and the rest.
func (g *blockGen) resident(m member, o origin) cunjing.Resident {
	if o.category == cunjing.CategoryOverseas {
		return g.foreigner(m, o.region)
	}
	today := g.p.today
	want := today - int(m.age*365.2425)
	birth, seq, ok := g.ids.take(want, today-maxAge*365, today, m.male)
	if !ok {
		// MaxResidents and the block sizes leave every block more cells
		// of each sex than it has people.
		panic(fmt.Sprintf("demo: block %d has no free ID number left", g.ids.block))
	}
	pick := residentSurname
	if m.surname != "" {
		pick = familySurname(m.surname)
	}
	year, _, _ := civil(birth)
	r := cunjing.Resident{Relation: m.rel, DocKind: cunjing.DocIDCard, IDNumber: idNumber(o.region, birth, seq),
		Name: residentName(g.r, pick, m.male, year), Sex: "F", BirthDate: dateOf(birth), NativePlace: o.region,
		Category: o.category, LeftBehind: m.left, Status: cunjing.ResidentPresent}
	if m.male {
		r.Sex = "M"
	}
	// The birthday may have moved a few days: the left-behind must still
	// be old enough or young enough.
	if age := float64(today-birth) / 365.2425; age < 60 && r.LeftBehind == cunjing.LeftBehindElderly ||
		age >= 16 && r.LeftBehind == cunjing.LeftBehindChild {
		r.LeftBehind = cunjing.LeftBehindNone
	}
	return r
}

// tenants lets a rented house to a household from elsewhere — at times
// after an earlier household has moved out, at times shared with a second
// household — and registers the tenancies.
func (g *blockGen) tenants(house, addr int) {
	g.tenantsOf(house, addr)
	shared := 10
	if g.urban {
		shared = 30
	}
	if g.left > 0 && g.chance(shared) {
		g.tenancies(house, g.tenantHousehold(addr), g.p.today-30-g.r.IntN(2*365), 0)
	}
}

// tenantsOf lets a house to its tenants, after the earlier ones at times.
func (g *blockGen) tenantsOf(house, addr int) {
	today := g.p.today
	start := today - 30 - g.r.IntN(4*365)
	if g.chance(10) {
		first := g.tenantHousehold(addr)
		end := start + g.r.IntN(today-start-30+1)
		g.tenancies(house, first, start, end)
		for i := first; i < len(g.b.Residents); i++ {
			g.b.Residents[i].Status, g.b.Residents[i].Note = cunjing.ResidentMovedOut, "已退租"
		}
		if g.left == 0 {
			return
		}
		start = end + 1 + g.r.IntN(today-end)
	}
	g.tenancies(house, g.tenantHousehold(addr), start, 0)
}

// tenantHousehold adds a household of tenants and returns its first member.
func (g *blockGen) tenantHousehold(addr int) int {
	hh := g.newHousehold(addr)
	if g.urban && g.chance(2) {
		ms, code := g.foreigners()
		return g.people(ms, addr, hh, origin{region: code, category: cunjing.CategoryOverseas})
	}
	region := otherRegions[g.r.IntN(len(otherRegions))]
	return g.people(g.migrants(), addr, hh, origin{region: region, category: cunjing.CategoryFloating})
}

// tenancies registers the members from first on as tenants of a house from
// a day (or their birth, if later) to an end day (0: running).
func (g *blockGen) tenancies(house, first, start, end int) {
	for i := first; i < len(g.b.Residents); i++ {
		from := max(start, dayNumber(g.b.Residents[i].BirthDate))
		t := Tenancy{House: house, Tenant: i, Start: dateOf(from)}
		if end != 0 {
			t.End = dateOf(max(end, from))
		}
		g.b.Rentals = append(g.b.Rentals, t)
	}
}
