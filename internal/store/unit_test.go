package store_test

import (
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

func fixtureUnits() []cunjing.Unit {
	return []cunjing.Unit{
		{Code: "410400000000", Name: "平顶山市公安局", Kind: cunjing.UnitBureau, Jurisdiction: []string{"4104"}},
		{Code: "410423000000", Name: "鲁山县公安局", Kind: cunjing.UnitBureau, ParentCode: "410400000000", Jurisdiction: []string{"410423"}},
		{Code: "410423510100", Name: "鲁阳派出所", Kind: cunjing.UnitStation, ParentCode: "410423000000", Jurisdiction: []string{"410423100"}},
		{Code: "410423510101", Name: "张庄1村警务工作站", Kind: cunjing.UnitWorkstation, ParentCode: "410423510100",
			Jurisdiction: []string{"410423100201", "410423100202"}},
		{Code: "410423510102", Name: "东关社区警务室", Kind: cunjing.UnitOffice, ParentCode: "410423510100", Jurisdiction: []string{"410423100001"}},
	}
}

func loadUnits(t *testing.T, s *store.Store) {
	t.Helper()
	loadFixture(t, s)
	if err := s.CreateUnits(storetest.Ctx(), fixtureUnits()); err != nil {
		t.Fatalf("create units: %v", err)
	}
}

func TestUnitDetailHasAncestorsJurisdictionAndCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		ctx := storetest.Ctx()
		d, err := s.UnitDetail(ctx, "410423510101")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Ancestors) != 3 || d.Ancestors[0].Name != "平顶山市公安局" || d.Ancestors[2].Name != "鲁阳派出所" {
			t.Errorf("ancestors = %+v", d.Ancestors)
		}
		if len(d.Jurisdiction) != 2 || d.Jurisdiction[0] != "410423100201" {
			t.Errorf("jurisdiction = %v", d.Jurisdiction)
		}
		city, err := s.UnitDetail(ctx, "410400000000")
		if err != nil {
			t.Fatal(err)
		}
		if c := city.Counts; c[cunjing.UnitBureau] != 1 || c[cunjing.UnitStation] != 1 || c[cunjing.UnitOffice] != 1 || c[cunjing.UnitWorkstation] != 1 {
			t.Errorf("city counts = %v", c)
		}
		if _, err := s.UnitDetail(ctx, "410423519999"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("missing unit err = %v; want not found", err)
		}
	})
}

func TestFindUnitsByAreaUnitAndName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		ctx := storetest.Ctx()
		covering, _, err := s.FindUnits(ctx, cunjing.UnitFilter{Area: "410423100202"})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range covering {
			names = append(names, u.Name)
		}
		if len(covering) != 4 || covering[3].Name != "张庄1村警务工作站" {
			t.Errorf("units covering 张庄2 = %v; want the bureaus, the station and its workstation", names)
		}
		under, _, err := s.FindUnits(ctx, cunjing.UnitFilter{Under: "410423000000", Kind: cunjing.UnitOffice})
		if err != nil || len(under) != 1 || under[0].Code != "410423510102" {
			t.Errorf("offices under 鲁山 = %+v, %v", under, err)
		}
		within, _, err := s.FindUnits(ctx, cunjing.UnitFilter{Within: "410423100", Kind: cunjing.UnitWorkstation})
		if err != nil || len(within) != 1 || within[0].Code != "410423510101" {
			t.Errorf("workstations within 鲁阳街道 = %+v, %v", within, err)
		}
		byName, _, err := s.FindUnits(ctx, cunjing.UnitFilter{Query: "派出所"})
		if err != nil || len(byName) != 1 || byName[0].Jurisdiction[0] != "410423100" {
			t.Errorf("by name = %+v, %v", byName, err)
		}
	})
}

func TestCreateUnitsRefusesBadJurisdictions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		ctx := storetest.Ctx()
		cases := map[string]struct {
			unit cunjing.Unit
			code string
		}{
			"outside the parent": {cunjing.Unit{Code: "410423510200", Name: "下汤派出所", Kind: cunjing.UnitStation, ParentCode: "410423510100", Jurisdiction: []string{"410423101"}}, cunjing.EInvalid},
			"unknown area":       {cunjing.Unit{Code: "410423510200", Name: "下汤派出所", Kind: cunjing.UnitStation, ParentCode: "410423000000", Jurisdiction: []string{"410423199"}}, cunjing.EInvalid},
			"unknown parent":     {cunjing.Unit{Code: "410423510200", Name: "下汤派出所", Kind: cunjing.UnitStation, ParentCode: "410423999999", Jurisdiction: []string{"410423101"}}, cunjing.EInvalid},
			"duplicate code":     {cunjing.Unit{Code: "410423510100", Name: "下汤派出所", Kind: cunjing.UnitStation, ParentCode: "410423000000", Jurisdiction: []string{"410423101"}}, cunjing.EConflict},
			"malformed code":     {cunjing.Unit{Code: "4104235102", Name: "下汤派出所", Kind: cunjing.UnitStation, ParentCode: "410423000000", Jurisdiction: []string{"410423101"}}, cunjing.EInvalid},
		}
		for name, c := range cases {
			good := cunjing.Unit{Code: "410423510300", Name: "好派出所", Kind: cunjing.UnitStation, ParentCode: "410423000000", Jurisdiction: []string{"410423101"}}
			err := s.CreateUnits(ctx, []cunjing.Unit{good, c.unit})
			if cunjing.ErrorCode(err) != c.code {
				t.Errorf("%s: err = %v; want %s", name, err, c.code)
			}
			if _, err := s.UnitDetail(ctx, good.Code); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("%s: the good unit of the failed batch was written", name)
			}
		}
	})
}
