package store_test

import (
	"context"
	"errors"
	"io/fs"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/demo"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// seedImportCity stores the division codes of the demo city.
func seedImportCity(t *testing.T, st *store.Store) {
	t.Helper()
	files, err := demo.DivisionFiles()
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, f := range files {
			f.Body.(fs.File).Close()
		}
	}()
	if _, err := importer.ImportDivisions(storetest.Ctx(), st, files...); err != nil {
		t.Fatal(err)
	}
}

// seedTotals counts what a generated population holds.
type seedTotals struct {
	byCounty                                              map[string]int
	addresses, households, houses, orgs, rentals, altKeys int
}

func seedGenerated(t *testing.T, residents int, today cunjing.Date) seedTotals {
	t.Helper()
	villages, err := demo.Villages("")
	if err != nil {
		t.Fatal(err)
	}
	p, err := demo.NewPopulation(demo.PopulationSpec{Villages: villages, Residents: residents, Seed: demo.Seed, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	tot := seedTotals{byCounty: map[string]int{}}
	err = demo.EachBlock(context.Background(), p, func(b *demo.Block) (*demo.Block, error) { return b, nil }, func(b *demo.Block) error {
		tot.byCounty[b.Area.Code[:6]] += len(b.Residents)
		tot.addresses += len(b.Addresses)
		tot.households += len(b.Households)
		tot.houses += len(b.Houses)
		tot.orgs += len(b.Orgs)
		tot.rentals += len(b.Rentals)
		for _, r := range b.Residents {
			tot.altKeys += 2 * (len(cunjing.NamePinyin(r.Name)) - 1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return tot
}

// seedRowCount counts the rows of a table.
func seedRowCount(t *testing.T, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := storetest.Direct(t, st).QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// seedCountyCtx is a caller who sees one county.
func seedCountyCtx(code string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "lushan", Role: cunjing.RoleCountyAdmin,
		Scope: cunjing.Scope{Prefixes: []string{code}}})
}

func TestSeedPopulationStoresEveryRecordInItsArea(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := storetest.Ctx()
		seedImportCity(t, st)
		today := cunjing.DateOf(time.Now())
		const n = 4000
		if loaded, err := demo.LoadPopulation(ctx, st, n, today); err != nil || !loaded {
			t.Fatalf("load: %v, %v", loaded, err)
		}
		want := seedGenerated(t, n, today)
		if got, err := st.SeededResidents(ctx); err != nil || got != n {
			t.Fatalf("%d residents stored (%v), want %d", got, err, n)
		}
		for county, w := range want.byCounty {
			if got, err := st.SeededResidents(seedCountyCtx(county)); err != nil || got != w {
				t.Errorf("county %s sees %d residents (%v), want %d", county, got, err, w)
			}
		}
		for table, w := range map[string]int{"addresses": want.addresses, "households": want.households, "houses": want.houses,
			"orgs": want.orgs, "rentals": want.rentals, "name_alt_keys": want.altKeys} {
			if got := seedRowCount(t, st, table); got != w {
				t.Errorf("%s: %d rows, want %d", table, got, w)
			}
		}
		var orphans int
		if err := storetest.Direct(t, st).QueryRow(`SELECT COUNT(*) FROM residents r JOIN households h ON h.id = r.household_id
			WHERE h.address_id <> r.address_id OR h.area_code <> r.area_code`).Scan(&orphans); err != nil || orphans != 0 {
			t.Errorf("%d residents live apart from their household (%v)", orphans, err)
		}
		if loaded, err := demo.LoadPopulation(ctx, st, n, today); err != nil || loaded {
			t.Errorf("a second load: %v, %v; want nothing done", loaded, err)
		}
		if got := seedRowCount(t, st, "addresses"); got != want.addresses {
			t.Errorf("after a second load %d addresses, want %d", got, want.addresses)
		}
	})
}

// seedFailingHouses fails the houses of the second batch it stores.
type seedFailingHouses struct {
	*store.Store
	calls int
}

func (f *seedFailingHouses) SeedHouses(ctx context.Context, houses []cunjing.House) error {
	if f.calls++; f.calls == 2 {
		return errors.New("disk full")
	}
	return f.Store.SeedHouses(ctx, houses)
}

func TestSeedPopulationResumesAfterAFailedBatch(t *testing.T) {
	st := storetest.SQLite(t)
	ctx := storetest.Ctx()
	seedImportCity(t, st)
	today := cunjing.DateOf(time.Now())
	const n = 15000 // two batches
	if _, err := demo.LoadPopulation(ctx, &seedFailingHouses{Store: st}, n, today); err == nil {
		t.Fatal("a failing batch went unnoticed")
	}
	first, err := st.SeededResidents(ctx)
	if err != nil || first < 10000 || first >= n {
		t.Fatalf("after the failure %d residents are stored (%v); want the first batch whole and nothing of the second", first, err)
	}
	if got, want := seedRowCount(t, st, "households"), seedRowCount(t, st, "houses"); got == 0 || want == 0 {
		t.Fatalf("the first batch has %d households, %d houses", got, want)
	}
	if loaded, err := demo.LoadPopulation(ctx, st, n, today); err != nil || !loaded {
		t.Fatalf("resume: %v, %v", loaded, err)
	}
	want := seedGenerated(t, n, today)
	if got, err := st.SeededResidents(ctx); err != nil || got != n {
		t.Errorf("after resuming %d residents (%v), want %d", got, err, n)
	}
	if got := seedRowCount(t, st, "houses"); got != want.houses {
		t.Errorf("after resuming %d houses, want %d", got, want.houses)
	}
}

func TestSeedIsForTheSystemOnly(t *testing.T) {
	st := storetest.SQLite(t)
	seedImportCity(t, st)
	a := []cunjing.StdAddress{{AreaCode: "410423001001", Street: "东王庄一组", HouseNumber: "1号"}}
	err := st.SeedAddresses(seedCountyCtx("410423"), a)
	if e, ok := err.(*cunjing.Error); !ok || e.Code != cunjing.EForbidden {
		t.Fatalf("a county admin seeds: %v; want forbidden", err)
	}
	if got := seedRowCount(t, st, "addresses"); got != 0 {
		t.Errorf("%d addresses stored", got)
	}
}

func TestSeedVisitsKeepTheirOfficer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := storetest.Ctx()
		seedImportCity(t, st)
		day := cunjing.DateOf(time.Now()).AddDays(-3)
		v := []cunjing.Visit{{AreaCode: "410423001001", Date: day, Kind: cunjing.VisitPublicity, Target: cunjing.TargetArea,
			Officer: "officer", Content: "在村委会广场开展法治宣传活动", CreatedAt: day.Time().Add(10 * time.Hour)}}
		if err := st.SeedVisits(ctx, v); err != nil {
			t.Fatal(err)
		}
		var officer, dayText string
		if err := storetest.Direct(t, st).QueryRow("SELECT officer, day FROM visits").Scan(&officer, &dayText); err != nil {
			t.Fatal(err)
		}
		if officer != "officer" || dayText != day.String() {
			t.Errorf("visit stored by %q on %s, want officer on %s", officer, dayText, day)
		}
		v[0].Date = cunjing.DateOf(time.Now()).AddDays(2)
		if err := st.SeedVisits(ctx, v); err == nil {
			t.Error("a visit in the future was seeded")
		}
	})
}
