package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"cunjing"
)

// DefaultResidents is the size of the population serve --demo loads: a city
// scaled down from Pingdingshan's 5 million.
const DefaultResidents = 200_000

// PopulationLoader stores a generated population in bulk. Each Seed method
// stores a batch of one kind, records it in the audit trail and sets the
// IDs of addresses, orgs, households, residents and houses; references to
// records stored before (AddressID, HouseholdID, owners, tenants, targets)
// are IDs. Records keep the collection they come with.
type PopulationLoader interface {
	// SeededResidents counts the residents stored.
	SeededResidents(ctx context.Context) (int, error)
	// SeedBatch runs fn in one transaction: the Seed calls fn makes with
	// the context it is given commit together, or not at all.
	SeedBatch(ctx context.Context, fn func(ctx context.Context) error) error
	SeedAddresses(ctx context.Context, addresses []cunjing.StdAddress) error
	SeedOrgs(ctx context.Context, orgs []cunjing.Org) error
	SeedHouseholds(ctx context.Context, households []cunjing.Household) error
	SeedResidents(ctx context.Context, residents []cunjing.Resident) error
	SeedHouses(ctx context.Context, houses []cunjing.House) error
	SeedRentals(ctx context.Context, rentals []cunjing.Rental) error
	SeedVisits(ctx context.Context, visits []cunjing.Visit) error
}

// PopulationStore is what LoadPopulation reads the city from and writes
// the population to.
type PopulationStore interface {
	PopulationLoader
	cunjing.AreaService
	cunjing.StaffService
	cunjing.AssignmentService
}

// seedBatch is how many residents LoadPopulation stores together, in one
// transaction short enough not to hold up the requests of a server that is
// already answering.
const seedBatch = 10_000

// LoadPopulation generates a population of residents people on the
// villages and communities stored under the demo city and stores it, as of
// today: records collected by the system and verified, but in the
// villages of the demo officer and auxiliary, where they collected them,
// logged visits over the last six months, and left some for the station's
// review. The population is stored in batches, each whole or not at all;
// a load cut short goes on from its last batch when called again. It does
// nothing and returns false when the residents are stored already.
func LoadPopulation(ctx context.Context, st PopulationStore, residents int, today cunjing.Date) (bool, error) {
	done, err := st.SeededResidents(ctx)
	if err != nil || done >= residents {
		return false, err
	}
	villages, err := storedVillages(ctx, st)
	if err != nil {
		return false, err
	}
	p, err := NewPopulation(PopulationSpec{Villages: villages, Residents: residents, Seed: Seed, Today: today})
	if err != nil {
		return false, err
	}
	collectors, err := demoCollectors(ctx, st)
	if err != nil {
		return false, err
	}
	l := &seeder{st: st, collectors: collectors, today: today, skip: done}
	err = EachBlock(ctx, p, func(b *Block) (*seedBlock, error) { return l.prepare(b), nil }, func(b *seedBlock) error {
		l.batch = append(l.batch, b)
		if l.people += len(b.residents); l.people >= seedBatch {
			return l.flush(ctx)
		}
		return nil
	})
	if err == nil {
		err = l.flush(ctx)
	}
	return err == nil, err
}

// storedVillages reads the villages and communities of the demo city.
func storedVillages(ctx context.Context, st cunjing.AreaService) ([]cunjing.Area, error) {
	f := cunjing.AreaFilter{Under: CityCode, Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}}
	var all []cunjing.Area
	for {
		areas, next, err := st.FindAreas(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("demo: villages: %w", err)
		}
		all = append(all, areas...)
		if next == "" {
			return all, nil
		}
		f.Page.Cursor = next
	}
}

// demoCollectors returns the accounts of the demo officer and auxiliary by
// the villages of their open posts.
func demoCollectors(ctx context.Context, st PopulationStore) (map[string][]string, error) {
	out := map[string][]string{}
	for _, a := range Accounts {
		if a.Role != cunjing.RoleOfficer && a.Role != cunjing.RoleAuxiliary {
			continue
		}
		areas, err := postsOf(ctx, st, a.Username)
		if err != nil {
			return nil, err
		}
		for _, code := range areas {
			out[code] = append(out[code], a.Username)
		}
	}
	return out, nil
}

// postsOf returns the areas of the open posts of the staff linked to an
// account.
func postsOf(ctx context.Context, st PopulationStore, username string) ([]string, error) {
	var areas []string
	f := cunjing.StaffFilter{Page: cunjing.Page{Limit: cunjing.MaxPageLimit}}
	for {
		staff, next, err := st.FindStaff(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("demo: staff: %w", err)
		}
		for _, s := range staff {
			if s.Username != username {
				continue
			}
			posts, _, err := st.FindAssignments(ctx, cunjing.AssignmentFilter{StaffID: s.ID, Open: true, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
			if err != nil {
				return nil, fmt.Errorf("demo: posts of %s: %w", username, err)
			}
			for _, p := range posts {
				areas = append(areas, p.AreaCode)
			}
			return areas, nil
		}
		if next == "" {
			return nil, nil
		}
		f.Page.Cursor = next
	}
}

// seeder stores the blocks a batch at a time.
type seeder struct {
	st         PopulationLoader
	collectors map[string][]string
	today      cunjing.Date
	batch      []*seedBlock
	people     int // residents in batch
	skip       int // residents stored by an earlier load, whole batches
}

// seedBlock is a block as domain values, its references still indexes in
// the block, and the visits logged in it.
type seedBlock struct {
	*Block
	residents []cunjing.Resident
	visits    []plannedVisit
}

// plannedVisit is a visit to a household or org of the block.
type plannedVisit struct {
	cunjing.Visit
	household, org int // index of the target, -1 for none
}

// prepare turns a block into domain values with their collection, and
// plans the visits of the village's officers.
func (l *seeder) prepare(b *Block) *seedBlock {
	sb := &seedBlock{Block: b, residents: make([]cunjing.Resident, len(b.Residents))}
	r := rand.New(rand.NewPCG(Seed^0xC011EC7, uint64(b.Seq)))
	who := l.collectors[b.Area.Code]
	collect := func() cunjing.Collection { return l.collection(r, who) }
	for i := range b.Addresses {
		b.Addresses[i].Collection = collect()
	}
	for i, p := range b.Residents {
		sb.residents[i] = p.Resident
		sb.residents[i].Collection = collect()
	}
	for i := range b.Houses {
		b.Houses[i].Collection = collect()
	}
	for i := range b.Orgs {
		b.Orgs[i].Collection = collect()
	}
	if len(who) > 0 {
		sb.visits = planVisits(r, b, who, l.today)
	}
	return sb
}

// collection is how a record came in: verified by the system, or — in a
// village of a demo account — collected by the account over the last year
// and mostly verified by the station since; some wait for review and a few
// were returned.
func (l *seeder) collection(r *rand.Rand, who []string) cunjing.Collection {
	at := l.today.Time()
	c := cunjing.Collection{CollectedBy: "system", CollectedAt: at, State: cunjing.StateVerified, ReviewedBy: "system", ReviewedAt: at, UpdatedAt: at}
	if len(who) == 0 {
		return c
	}
	c.CollectedBy = who[r.IntN(len(who))]
	c.CollectedAt = l.today.AddDays(-5 - r.IntN(360)).Time().Add(time.Duration(9+r.IntN(9)) * time.Hour)
	c.UpdatedAt = c.CollectedAt
	switch x := r.IntN(100); {
	case x < 12:
		c.State, c.ReviewedBy, c.ReviewedAt = cunjing.StateCollected, "", time.Time{}
	case x < 15:
		c.State, c.Reason, c.ReviewedBy = cunjing.StateReturned, "信息不全，请补充联系电话", "chief"
		c.ReviewedAt = c.CollectedAt.Add(30 * time.Hour)
	default:
		c.ReviewedBy, c.ReviewedAt = "chief", c.CollectedAt.Add(time.Duration(24+r.IntN(72))*time.Hour)
	}
	return c
}

// flush stores the batch, or skips it when an earlier load stored it.
func (l *seeder) flush(ctx context.Context) error {
	if len(l.batch) == 0 {
		return nil
	}
	batch, people := l.batch, l.people
	l.batch, l.people = nil, 0
	if l.skip > 0 {
		if people > l.skip {
			return fmt.Errorf("demo: %d residents are stored, which is no whole number of batches of this population: start on an empty database", l.skip)
		}
		l.skip -= people
		return nil
	}
	return l.st.SeedBatch(ctx, func(ctx context.Context) error { return l.store(ctx, batch) })
}

// store stores a batch, kind by kind, each kind's references resolved to
// the IDs the kinds before it were given.
func (l *seeder) store(ctx context.Context, batch []*seedBlock) error {
	addrs, err := seedAll(ctx, batch, func(b *seedBlock, _ int) []cunjing.StdAddress { return b.Addresses },
		l.st.SeedAddresses, func(a *cunjing.StdAddress) int64 { return a.ID })
	if err != nil {
		return err
	}
	orgs, err := seedAll(ctx, batch, func(b *seedBlock, i int) []cunjing.Org {
		out := make([]cunjing.Org, len(b.Orgs))
		for k, o := range b.Orgs {
			out[k] = o.Org
			out[k].AddressID = addrs[i][o.Address]
		}
		return out
	}, l.st.SeedOrgs, func(o *cunjing.Org) int64 { return o.ID })
	if err != nil {
		return err
	}
	households, err := seedAll(ctx, batch, func(b *seedBlock, i int) []cunjing.Household {
		out := make([]cunjing.Household, len(b.Households))
		for k, h := range b.Households {
			out[k] = cunjing.Household{AreaCode: b.Area.Code, AddressID: addrs[i][h.Address], Number: h.Number}
		}
		return out
	}, l.st.SeedHouseholds, func(h *cunjing.Household) int64 { return h.ID })
	if err != nil {
		return err
	}
	people, err := seedAll(ctx, batch, func(b *seedBlock, i int) []cunjing.Resident {
		for k, p := range b.Residents {
			b.residents[k].AddressID, b.residents[k].HouseholdID = addrs[i][p.Address], households[i][p.Household]
		}
		return b.residents
	}, l.st.SeedResidents, func(r *cunjing.Resident) int64 { return r.ID })
	if err != nil {
		return err
	}
	houses, err := seedAll(ctx, batch, func(b *seedBlock, i int) []cunjing.House {
		out := make([]cunjing.House, len(b.Houses))
		for k, h := range b.Houses {
			out[k] = h.House
			out[k].AddressID = addrs[i][h.Address]
			if h.Owner >= 0 {
				out[k].OwnerResident = people[i][h.Owner]
			}
			if h.OwnerOrg >= 0 {
				out[k].OwnerOrg = orgs[i][h.OwnerOrg]
			}
		}
		return out
	}, l.st.SeedHouses, func(h *cunjing.House) int64 { return h.ID })
	if err != nil {
		return err
	}
	if _, err := seedAll(ctx, batch, func(b *seedBlock, i int) []cunjing.Rental {
		out := make([]cunjing.Rental, len(b.Rentals))
		for k, t := range b.Rentals {
			out[k] = cunjing.Rental{HouseID: houses[i][t.House], TenantID: people[i][t.Tenant], Start: t.Start, End: t.End}
		}
		return out
	}, l.st.SeedRentals, func(r *cunjing.Rental) int64 { return r.ID }); err != nil {
		return err
	}
	_, err = seedAll(ctx, batch, func(b *seedBlock, i int) []cunjing.Visit {
		out := make([]cunjing.Visit, len(b.visits))
		for k, v := range b.visits {
			out[k] = v.Visit
			switch {
			case v.household >= 0:
				out[k].TargetID = households[i][v.household]
			case v.org >= 0:
				out[k].TargetID = orgs[i][v.org]
			}
		}
		return out
	}, l.st.SeedVisits, func(v *cunjing.Visit) int64 { return v.ID })
	return err
}

// seedAll stores the records of every block of a batch in one call and
// returns the IDs they were given, block by block.
func seedAll[T any](ctx context.Context, batch []*seedBlock, records func(b *seedBlock, i int) []T,
	seed func(context.Context, []T) error, id func(*T) int64) ([][]int64, error) {
	var all []T
	sizes := make([]int, len(batch))
	for i, b := range batch {
		rs := records(b, i)
		sizes[i] = len(rs)
		all = append(all, rs...)
	}
	if len(all) > 0 {
		if err := seed(ctx, all); err != nil {
			return nil, fmt.Errorf("demo: store the population: %w", err)
		}
	}
	ids := make([][]int64, len(batch))
	k := 0
	for i, n := range sizes {
		ids[i] = make([]int64, n)
		for j := range n {
			ids[i][j] = id(&all[k])
			k++
		}
	}
	return ids, nil
}
