package demo

import (
	"math/rand/v2"
	"strconv"

	"cunjing"
)

// Block is what one block of a village holds. Its records refer to one
// another by index in the block's slices; IDs are left for the store.
type Block struct {
	Seq        int // the block's number in the population
	Part       int // the block's number in its village
	Area       cunjing.Area
	Addresses  []cunjing.StdAddress // Text composed as StdAddress.Validate composes it
	Households []Household
	Residents  []Person
	Houses     []House
	Rentals    []Tenancy
	Orgs       []Organisation
}

// Household is a household (户) of a block.
type Household struct {
	Address int    // index in Block.Addresses
	Number  string // 户号, unique in the village
}

// Person is a resident of a block, at an address and in a household.
type Person struct {
	cunjing.Resident
	Address   int // index in Block.Addresses
	Household int // index in Block.Households
}

// House is a house of a block with its owner: a resident or an org of the
// block, or nobody known.
type House struct {
	cunjing.House
	Address  int // index in Block.Addresses
	Owner    int // index in Block.Residents, -1 for none
	OwnerOrg int // index in Block.Orgs, -1 for none
}

// Tenancy is a tenant of a rented house: a running tenancy, or one ended
// by a tenant who has moved out.
type Tenancy struct {
	House  int // index in Block.Houses
	Tenant int // index in Block.Residents
	Start  cunjing.Date
	End    cunjing.Date
}

// Organisation is an org of a block at its address.
type Organisation struct {
	cunjing.Org
	Address int // index in Block.Addresses
}

// Uses of houses in the countryside and in communities, per thousand.
var (
	ruralUses = useShares{self: 735, rented: 80, vacant: 110, commercial: 57, mixed: 18}
	urbanUses = useShares{self: 570, rented: 190, vacant: 110, commercial: 108, mixed: 22}
)

// useShares are the shares of the uses of houses, per thousand.
type useShares struct{ self, rented, vacant, commercial, mixed int }

func (u useShares) pick(r *rand.Rand) cunjing.HouseUse {
	x := r.IntN(u.self + u.rented + u.vacant + u.commercial + u.mixed)
	for _, s := range []struct {
		use   cunjing.HouseUse
		share int
	}{{cunjing.HouseSelf, u.self}, {cunjing.HouseRented, u.rented}, {cunjing.HouseVacant, u.vacant}, {cunjing.HouseCommercial, u.commercial}} {
		if x < s.share {
			return s.use
		}
		x -= s.share
	}
	return cunjing.HouseMixed
}

// blockGen makes one block.
type blockGen struct {
	p      *Population
	plan   blockPlan
	area   cunjing.Area
	urban  bool
	county string // region of the ID numbers of the registered
	r      *rand.Rand
	ids    idAlloc
	b      *Block
	left   int   // residents still to place
	owners []int // registered heads, owners of the rented and vacant houses
	street streetCursor
}

func newBlockGen(p *Population, i int) *blockGen {
	plan := p.blocks[i]
	area := p.spec.Villages[plan.village]
	salt := p.salt[plan.village]
	g := &blockGen{p: p, plan: plan, area: area, urban: area.Kind == cunjing.KindCommunity, county: area.Code[:6],
		r:    rand.New(rand.NewPCG(salt, uint64(plan.index))),
		ids:  idAlloc{block: i, blocks: len(p.blocks), used: map[int]struct{}{}},
		b:    &Block{Seq: i, Part: plan.index, Area: area},
		left: plan.target}
	g.street = newStreetCursor(area, salt, plan.index, g.urban)
	return g
}

// generate fills the block house by house until its residents are placed.
func (g *blockGen) generate() *Block {
	uses := ruralUses
	if g.urban {
		uses = urbanUses
	}
	for g.left > 0 {
		g.house(uses.pick(g.r))
	}
	return g.b
}

// house adds a house of a use: its address, owner, household or tenants,
// and org. A house to rent or leave empty needs an owner in the block; the
// first houses of a block are lived in by their owners.
func (g *blockGen) house(use cunjing.HouseUse) {
	if (use == cunjing.HouseRented || use == cunjing.HouseVacant) && len(g.owners) == 0 {
		use = cunjing.HouseSelf
	}
	var addr int
	if use == cunjing.HouseCommercial || use == cunjing.HouseMixed && g.urban {
		var ok bool
		if addr, ok = g.shopAddress(); !ok {
			use, addr = cunjing.HouseSelf, g.homeAddress()
		}
	} else {
		addr = g.homeAddress()
	}
	h := House{Address: addr, Owner: -1, OwnerOrg: -1}
	h.Use, h.AreaCode, h.AddressText = use, g.area.Code, g.b.Addresses[addr].Text
	h.FloorArea = g.floorArea(use)
	switch use {
	case cunjing.HouseSelf:
		h.Owner = g.registered(addr)
		if g.left > 0 && g.chance(g.sharedHouse()) {
			g.people(g.secondHousehold(), addr, g.newHousehold(addr), origin{region: g.county, category: cunjing.CategoryRegistered})
		}
	case cunjing.HouseRented:
		h.Owner = g.owners[g.r.IntN(len(g.owners))]
	case cunjing.HouseVacant:
		h.Owner = g.owners[g.r.IntN(len(g.owners))]
		if g.r.IntN(5) == 0 {
			h.Note = "房主常年在外务工"
		}
	case cunjing.HouseCommercial:
		h.Owner, h.OwnerOrg = g.commercialOwner(g.org(addr, false))
	case cunjing.HouseMixed:
		h.Owner = g.registered(addr)
		g.org(addr, true)
	}
	g.b.Houses = append(g.b.Houses, h)
	if use == cunjing.HouseRented {
		g.tenants(len(g.b.Houses)-1, addr)
	}
}

// sharedHouse is the chance (per hundred) that a second household — the
// parents, or a married son — lives in a family's house: often in a
// village courtyard, seldom in a flat.
func (g *blockGen) sharedHouse() int {
	if g.urban {
		return 15
	}
	return 45
}

// commercialOwner is the owner of a shop: the org itself when it has a
// credit code, at times; else a resident of the block, or nobody known.
func (g *blockGen) commercialOwner(org int) (owner, ownerOrg int) {
	switch x := g.r.IntN(10); {
	case x < 4 && g.b.Orgs[org].CreditCode != "":
		return -1, org
	case x < 9 && len(g.owners) > 0:
		return g.owners[g.r.IntN(len(g.owners))], -1
	}
	return -1, -1
}

// floorArea is the floor area of a house in m², to a tenth.
func (g *blockGen) floorArea(use cunjing.HouseUse) float64 {
	lo, hi := 90.0, 260.0 // a farmhouse
	switch {
	case use == cunjing.HouseCommercial:
		lo, hi = 15, 300
	case g.urban:
		lo, hi = 50, 145
	}
	return float64(int((lo+(hi-lo)*g.r.Float64())*10)) / 10
}

// homeAddress adds the address of the next home.
func (g *blockGen) homeAddress() int {
	return g.address(g.street.home(g.r))
}

// shopAddress adds the address of the next shop; false when the block has
// no more shop numbers.
func (g *blockGen) shopAddress() (int, bool) {
	a, ok := g.street.shop(g.r)
	if !ok {
		return 0, false
	}
	return g.address(a), true
}

func (g *blockGen) address(a cunjing.StdAddress) int {
	a.AreaCode = g.area.Code
	a.Text = addressText(a)
	g.b.Addresses = append(g.b.Addresses, a)
	return len(g.b.Addresses) - 1
}

// addressText composes the whole address as StdAddress.Validate does, for
// parts that carry their own 号, 栋, 单元 and 室.
func addressText(a cunjing.StdAddress) string {
	return a.Street + a.HouseNumber + a.Building + a.Entrance + a.Room
}

// newHousehold adds a household at an address and returns its index.
func (g *blockGen) newHousehold(addr int) int {
	n := len(g.b.Households) + 1
	number := g.area.Code[9:12] + strconv.Itoa(g.plan.index) + pad4(n)
	g.b.Households = append(g.b.Households, Household{Address: addr, Number: number})
	return len(g.b.Households) - 1
}

// pad4 writes n with at least four digits.
func pad4(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
