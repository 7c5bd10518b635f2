package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// fixtureTree is a small real-shaped tree: province 41, city 4104, county
// 410423 with two towns, five villages and one community under the first.
func fixtureTree() []cunjing.Area {
	areas := []cunjing.Area{
		{Code: "41", Name: "河南省", Level: cunjing.LevelProvince, Kind: "province"},
		{Code: "4104", Name: "平顶山市", Level: cunjing.LevelCity, Kind: "city", ParentCode: "41"},
		{Code: "410423", Name: "鲁山县", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
		{Code: "410423100", Name: "鲁阳街道", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410423"},
		{Code: "410423101", Name: "下汤镇", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410423"},
		{Code: "410423100001", Name: "东关社区居民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindCommunity, ParentCode: "410423100"},
	}
	for i := 1; i <= 5; i++ {
		areas = append(areas, cunjing.Area{Code: fmt.Sprintf("410423100%03d", 200+i), Name: fmt.Sprintf("张庄%d村民委员会", i),
			Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410423100"})
	}
	return areas
}

func loadFixture(t *testing.T, s *store.Store) {
	t.Helper()
	if _, err := s.ImportAreas(storetest.Ctx(), slices.Values(fixtureTree())); err != nil {
		t.Fatalf("import fixture: %v", err)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		applied, latest, err := s.MigrationStatus(ctx)
		if err != nil || applied != latest || latest < 1 {
			t.Fatalf("status = %d/%d, %v; want all applied", applied, latest, err)
		}
	})
}

func TestImportAreasAddsThenRenames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Ctx()
		first, err := s.ImportAreas(ctx, slices.Values(fixtureTree()))
		if err != nil || first.Added != 11 || first.Renamed != 0 {
			t.Fatalf("first import = %+v, %v; want 11 added", first, err)
		}
		again, err := s.ImportAreas(ctx, slices.Values(fixtureTree()))
		if err != nil || again != (cunjing.ImportResult{Unchanged: 11}) {
			t.Fatalf("second import = %+v, %v; want 11 unchanged", again, err)
		}
		renamed := fixtureTree()
		renamed[4].Name = "下汤镇(新)"
		third, err := s.ImportAreas(ctx, slices.Values(renamed))
		if err != nil || third.Renamed != 1 || third.Unchanged != 10 {
			t.Fatalf("rename import = %+v, %v; want 1 renamed", third, err)
		}
		d, err := s.AreaDetail(ctx, "410423101")
		if err != nil || d.Name != "下汤镇(新)" {
			t.Fatalf("renamed area = %+v, %v", d, err)
		}
	})
}

func TestImportAreasWithUnknownParentWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Ctx()
		areas := append(fixtureTree(), cunjing.Area{Code: "410423999001", Name: "孤村村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410423999"})
		_, err := s.ImportAreas(ctx, slices.Values(areas))
		if cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Fatalf("err = %v; want invalid", err)
		}
		if _, err := s.AreaDetail(ctx, "41"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Fatalf("province after failed import: err = %v; want not found (nothing written)", err)
		}
	})
}

func TestAreaDetailHasAncestorsAndCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadFixture(t, s)
		ctx := storetest.Ctx()
		d, err := s.AreaDetail(ctx, "410423100203")
		if err != nil {
			t.Fatal(err)
		}
		var chain []string
		for _, a := range d.Ancestors {
			chain = append(chain, a.Name)
		}
		if want := []string{"河南省", "平顶山市", "鲁山县", "鲁阳街道"}; !slices.Equal(chain, want) {
			t.Errorf("ancestors = %v; want %v", chain, want)
		}
		county, err := s.AreaDetail(ctx, "410423")
		if err != nil {
			t.Fatal(err)
		}
		if c := county.Counts; c.ByLevel[cunjing.LevelTown] != 2 || c.Villages != 5 || c.Communities != 1 || c.ByLevel[cunjing.LevelVillage] != 6 {
			t.Errorf("county counts = %+v; want 2 towns, 5 villages, 1 community", c)
		}
		for _, code := range []string{"410423100999", "4104x", ""} {
			if _, err := s.AreaDetail(ctx, code); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("AreaDetail(%q) err = %v; want not found", code, err)
			}
		}
	})
}

func TestChildAreasCountWhatIsBelow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadFixture(t, s)
		children, err := s.ChildAreas(storetest.Ctx(), "410423")
		if err != nil {
			t.Fatal(err)
		}
		if len(children) != 2 || children[0].Name != "鲁阳街道" || children[0].Villages != 5 || children[0].Communities != 1 || children[1].Villages != 0 {
			t.Fatalf("children = %+v", children)
		}
		city, err := s.ChildAreas(storetest.Ctx(), "4104")
		if err != nil || len(city) != 1 || city[0].Towns != 2 || city[0].Villages != 5 {
			t.Fatalf("city children = %+v, %v; want one county with 2 towns and 5 villages", city, err)
		}
	})
}

func TestFindAreasFiltersAndPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadFixture(t, s)
		ctx := storetest.Ctx()
		found, _, err := s.FindAreas(ctx, cunjing.AreaFilter{Under: "410423", Level: cunjing.LevelVillage, Query: "张庄3"})
		if err != nil || len(found) != 1 || found[0].Code != "410423100203" {
			t.Fatalf("name filter = %+v, %v", found, err)
		}
		communities, _, err := s.FindAreas(ctx, cunjing.AreaFilter{Under: "4104", Kind: cunjing.KindCommunity})
		if err != nil || len(communities) != 1 {
			t.Fatalf("communities = %+v, %v", communities, err)
		}
		wildcard, _, err := s.FindAreas(ctx, cunjing.AreaFilter{Query: "%"})
		if err != nil || len(wildcard) != 0 {
			t.Fatalf("a literal %% matched %d areas, %v", len(wildcard), err)
		}
		var walked []string
		page := cunjing.Page{Limit: 2}
		for i := 0; i < 10; i++ {
			batch, next, err := s.FindAreas(ctx, cunjing.AreaFilter{Under: "41", Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range batch {
				walked = append(walked, a.Code)
			}
			if next == "" {
				break
			}
			page.Cursor = next
		}
		if len(walked) != 10 || !slices.IsSorted(walked) || len(slices.Compact(slices.Clone(walked))) != 10 {
			t.Fatalf("paged walk = %v; want the 10 areas under 41 once each, in order", walked)
		}
		if _, _, err := s.FindAreas(ctx, cunjing.AreaFilter{Page: cunjing.Page{Cursor: "!!"}}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Fatalf("bad cursor err = %v; want invalid", err)
		}
	})
}

func TestAreaNamesOutsideTheBMPRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Ctx()
		areas := fixtureTree()
		areas[5].Name = "𠈌家社区居民委员会"
		if _, err := s.ImportAreas(ctx, slices.Values(areas)); err != nil {
			t.Fatal(err)
		}
		d, err := s.AreaDetail(ctx, "410423100001")
		if err != nil || d.Name != "𠈌家社区居民委员会" {
			t.Fatalf("name = %q, %v", d.Name, err)
		}
		found, _, err := s.FindAreas(ctx, cunjing.AreaFilter{Query: "𠈌"})
		if err != nil || len(found) != 1 {
			t.Fatalf("search for 𠈌 = %v, %v", found, err)
		}
	})
}
