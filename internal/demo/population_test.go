package demo

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"cunjing"
)

// genDay is the day the test populations are generated for.
var genDay = cunjing.NewDate(2026, 11, 29)

func testPopulation(t *testing.T, under string, residents int, seed uint64) *Population {
	t.Helper()
	villages, err := Villages(under)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPopulation(PopulationSpec{Villages: villages, Residents: residents, Seed: seed, Today: genDay})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVillagesOfTheDemoCity(t *testing.T) {
	all, err := Villages("")
	if err != nil || len(all) != 2828 {
		t.Fatalf("Villages(\"\") = %d areas, %v; want the 2,828 villages and communities of Pingdingshan", len(all), err)
	}
	communities := 0
	for _, a := range all {
		if a.Kind == cunjing.KindCommunity {
			communities++
		}
	}
	if communities < 250 || communities > 350 {
		t.Errorf("%d communities, want about 300", communities)
	}
	lushan, err := Villages("410423")
	if err != nil || len(lushan) < 500 {
		t.Fatalf("鲁山县: %d areas, %v", len(lushan), err)
	}
	for _, a := range lushan {
		if !strings.HasPrefix(a.Code, "410423") || len(a.Code) != 12 {
			t.Fatalf("under 410423: %s", a.Code)
		}
	}
	if _, err := Villages("4201"); err == nil {
		t.Error("a code outside the demo city gave villages")
	}
}

func TestPopulationIsDeterministic(t *testing.T) {
	a, b := testPopulation(t, "410423", 20000, 7), testPopulation(t, "410423", 20000, 7)
	if a.Blocks() != b.Blocks() || a.Blocks() < 2 {
		t.Fatalf("blocks %d and %d", a.Blocks(), b.Blocks())
	}
	for _, i := range []int{0, a.Blocks() / 2, a.Blocks() - 1} {
		if !reflect.DeepEqual(a.Block(i), b.Block(i)) {
			t.Errorf("block %d differs between two runs of the same seed", i)
		}
	}
	other := testPopulation(t, "410423", 20000, 8)
	if reflect.DeepEqual(a.Block(0).Residents, other.Block(0).Residents) {
		t.Error("another seed gave the same residents")
	}
}

// populationStats walks a generated population checking each record the
// way the store and the importer would, and counts what a user would see.
type populationStats struct {
	residents, households, houses, orgs, rentals, addresses int
	floating, overseas, children, old, leftChild, leftOld   int
	sharedPhone, special                                    int
	sizes                                                   [7]int
}

func checkPopulation(t *testing.T, p *Population) populationStats {
	t.Helper()
	var st populationStats
	ids := map[string]bool{}
	credit := map[string]bool{}
	err := EachBlock(context.Background(), p, func(b *Block) (*Block, error) { return b, nil }, func(b *Block) error {
		checkBlock(t, b, &st, ids, credit)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func checkBlock(t *testing.T, b *Block, st *populationStats, ids, credit map[string]bool) {
	t.Helper()
	keys := map[string]bool{}
	for _, a := range b.Addresses {
		want := a.Text
		if err := a.Validate(); err != nil || a.Text != want {
			t.Fatalf("address %q: %v, composed %q", want, err, a.Text)
		}
		if keys[a.Key] {
			t.Fatalf("address %q twice in %s", a.Text, b.Area.Code)
		}
		keys[a.Key] = true
	}
	heads := make([]int, len(b.Households))
	members := make([]int, len(b.Households))
	for i, p := range b.Residents {
		checkResident(t, b, p, st)
		if ids[p.IDNumber] {
			t.Fatalf("ID number %s given twice", p.IDNumber)
		}
		ids[p.IDNumber] = true
		members[p.Household]++
		if p.Relation == cunjing.RelationHead {
			heads[p.Household]++
		}
		if p.Phone != "" && i > 0 && b.Residents[i-1].Household == p.Household && b.Residents[i-1].Phone == p.Phone {
			st.sharedPhone++
		}
		if b.Households[p.Household].Address != p.Address {
			t.Fatalf("%s lives at another address than his household", p.Name)
		}
	}
	for i, n := range heads {
		if n != 1 {
			t.Fatalf("household %s of %s has %d heads", b.Households[i].Number, b.Area.Code, n)
		}
		st.sizes[min(members[i], 6)]++
	}
	for _, o := range b.Orgs {
		checkOrg(t, b, o, credit)
		if o.Type.Special() {
			st.special++
		}
	}
	for _, h := range b.Houses {
		v := h.House
		v.AddressID = int64(h.Address) + 1 // as the store will have it
		if err := v.Validate(); err != nil {
			t.Fatalf("house %q: %v", h.AddressText, err)
		}
		if h.Use == cunjing.HouseRented || h.Use == cunjing.HouseVacant {
			if h.Owner < 0 || b.Residents[h.Owner].Category != cunjing.CategoryRegistered {
				t.Fatalf("%s house %q has no registered owner", h.Use, h.AddressText)
			}
		}
	}
	for _, r := range b.Rentals {
		tenant, house := b.Residents[r.Tenant], b.Houses[r.House]
		if house.Use != cunjing.HouseRented || tenant.Address != house.Address || r.Start.Before(tenant.BirthDate) ||
			!r.End.IsZero() && r.End.Before(r.Start) || (tenant.Status == cunjing.ResidentMovedOut) == r.End.IsZero() {
			t.Fatalf("tenancy of %s in %q from %s to %s (%s house, tenant %s)", tenant.Name, house.AddressText, r.Start, r.End, house.Use, tenant.Status)
		}
	}
	st.residents += len(b.Residents)
	st.households += len(b.Households)
	st.houses += len(b.Houses)
	st.orgs += len(b.Orgs)
	st.rentals += len(b.Rentals)
	st.addresses += len(b.Addresses)
}

func checkResident(t *testing.T, b *Block, p Person, st *populationStats) {
	t.Helper()
	r := p.Resident
	if err := r.Validate(genDay); err != nil {
		t.Fatalf("resident %+v: %v", p.Resident, err)
	}
	if r.IDNumber != p.IDNumber || r.BirthDate != p.BirthDate || r.Sex != p.Sex || r.NativePlace != p.NativePlace {
		t.Fatalf("%s: the ID number %s says born %s, sex %s, from %s; the record says %s, %s, %s",
			p.Name, p.IDNumber, r.BirthDate, r.Sex, r.NativePlace, p.BirthDate, p.Sex, p.NativePlace)
	}
	if p.DocKind == cunjing.DocIDCard {
		if _, err := cunjing.ParseIDNumber(p.IDNumber, genDay); err != nil {
			t.Fatalf("%s: %v", p.IDNumber, err)
		}
	}
	switch p.Category {
	case cunjing.CategoryRegistered:
		if p.NativePlace != b.Area.Code[:6] {
			t.Fatalf("registered %s of %s has an ID number of region %s", p.Name, b.Area.Code, p.NativePlace)
		}
	case cunjing.CategoryFloating:
		st.floating++
		if p.NativePlace[:2] == "41" {
			t.Fatalf("floating %s comes from Henan (%s)", p.Name, p.NativePlace)
		}
	case cunjing.CategoryOverseas:
		st.overseas++
		if p.DocKind != cunjing.DocPassport {
			t.Fatalf("overseas %s has no passport", p.Name)
		}
	}
	age := genDay.Time().Sub(p.BirthDate.Time()).Hours() / 24 / 365.2425
	switch {
	case age < 0 || age > maxAge+0.1:
		t.Fatalf("%s is %.1f years old", p.Name, age)
	case age < 15:
		st.children++
	case age >= 60:
		st.old++
	}
	switch p.LeftBehind {
	case cunjing.LeftBehindChild:
		st.leftChild++
		if age >= 16 || b.Area.Kind != cunjing.KindVillage {
			t.Fatalf("left-behind child %s is %.1f, in a %s", p.Name, age, b.Area.Kind)
		}
	case cunjing.LeftBehindElderly:
		st.leftOld++
		if age < 60 || b.Area.Kind != cunjing.KindVillage {
			t.Fatalf("left-behind elderly %s is %.1f, in a %s", p.Name, age, b.Area.Kind)
		}
	}
	if n := len([]rune(p.Name)); p.DocKind == cunjing.DocIDCard && (n < 2 || n > 3) {
		t.Fatalf("name %q has %d characters", p.Name, n)
	}
}

func checkOrg(t *testing.T, b *Block, o Organisation, credit map[string]bool) {
	t.Helper()
	v := o.Org
	if err := v.Validate(); err != nil {
		t.Fatalf("org %+v: %v", o.Org, err)
	}
	if o.CreditCode == "" {
		return
	}
	if code, err := cunjing.ParseCreditCode(o.CreditCode); err != nil || code != o.CreditCode {
		t.Fatalf("credit code %s: %v", o.CreditCode, err)
	}
	if o.CreditCode[2:8] != b.Area.Code[:6] {
		t.Fatalf("credit code %s of an org in %s", o.CreditCode, b.Area.Code)
	}
	if credit[o.CreditCode] {
		t.Fatalf("credit code %s given twice", o.CreditCode)
	}
	credit[o.CreditCode] = true
}

func TestPopulationOfTheCity(t *testing.T) {
	const n = 60000
	st := checkPopulation(t, testPopulation(t, "", n, Seed))
	t.Logf("%+v", st)
	if st.residents != n {
		t.Fatalf("%d residents, want %d", st.residents, n)
	}
	share := func(k int) float64 { return float64(k) / float64(st.residents) }
	for _, c := range []struct {
		what   string
		got    float64
		lo, hi float64
	}{
		{"floating residents", share(st.floating), 0.06, 0.10},
		{"overseas residents", share(st.overseas), 0.0001, 0.003},
		{"children under 15", share(st.children), 0.15, 0.27},
		{"people 60 and over", share(st.old), 0.14, 0.25},
		{"left-behind children", share(st.leftChild), 0.01, 0.06},
		{"left-behind elderly", share(st.leftOld), 0.02, 0.10},
		{"houses per resident (1.6 M per 5 M)", share(st.houses), 0.28, 0.36},
		{"orgs per resident (150,000 per 5 M)", share(st.orgs), 0.025, 0.036},
		{"special-industry orgs among orgs", float64(st.special) / float64(st.orgs), 0.05, 0.2},
		{"residents sharing the phone of the one before", share(st.sharedPhone), 0.01, 0.2},
		{"single-person households", float64(st.sizes[1]) / float64(st.households), 0.1, 0.35},
	} {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.4f, want %.4f to %.4f", c.what, c.got, c.lo, c.hi)
		}
	}
	if st.rentals == 0 || st.sizes[6] == 0 {
		t.Errorf("no rentals (%d) or no households of six (%d)", st.rentals, st.sizes[6])
	}
}
