package store_test

import (
	"context"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// seeing returns a context whose identity sees only the given areas.
func seeing(prefixes ...string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "scoped", Role: cunjing.RoleOfficer, Scope: cunjing.Scope{Prefixes: prefixes}})
}

func TestScopeHidesAreasAsMissing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		town := seeing("410423100")
		if _, err := s.AreaDetail(town, "410423100203"); err != nil {
			t.Fatalf("an area inside the scope: %v", err)
		}
		for _, code := range []string{"410423101", "410423", "4104", "41"} {
			_, err := s.AreaDetail(town, code)
			if _, err2 := s.AreaDetail(town, "410423199"); cunjing.ErrorCode(err) != cunjing.ENotFound || err.Error() != err2.Error() {
				t.Errorf("%s outside the scope: %v; want the error of a missing code (%v)", code, err, err2)
			}
			if _, err := s.ChildAreas(town, code); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("children of %s outside the scope: %v", code, err)
			}
		}
		all, _, err := s.FindAreas(town, cunjing.AreaFilter{Page: cunjing.Page{Limit: 100}})
		if err != nil || len(all) != 7 {
			t.Fatalf("areas in the scope of a town = %d, %v; want the town and its 6 villages and communities", len(all), err)
		}
		for _, a := range all {
			if !strings.HasPrefix(a.Code, "410423100") {
				t.Errorf("listed %s outside the scope", a.Code)
			}
		}
		if found, _ := s.ExistingAreaCodes(town, []string{"410423100201", "410423101"}); !found["410423100201"] || found["410423101"] {
			t.Errorf("existing codes seen from the town = %v", found)
		}
	})
}

func TestScopeShowsOnlyUnitsSharingAnArea(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		village := seeing("410423100201")
		units, _, err := s.FindUnits(village, cunjing.UnitFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var codes []string
		for _, u := range units {
			codes = append(codes, u.Code)
		}
		// The bureaus and the station cover the village; the work station
		// holds it; the community office does not.
		if strings.Join(codes, ",") != "410400000000,410423000000,410423510100,410423510101" {
			t.Fatalf("units seen from one village = %v", codes)
		}
		if _, err := s.UnitDetail(village, "410423510102"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Fatalf("the office of another area: %v; want not found", err)
		}
		city, err := s.UnitDetail(village, "410400000000")
		if err != nil || city.Counts[cunjing.UnitOffice] != 0 || city.Counts[cunjing.UnitWorkstation] != 1 {
			t.Fatalf("the city bureau counted from one village: %+v, %v", city, err)
		}
	})
}

func TestNoIdentityReadsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		if _, err := s.AreaDetail(context.Background(), "41"); err == nil || cunjing.ErrorCode(err) != cunjing.EInternal {
			t.Fatalf("a read without identity: %v; want an internal refusal", err)
		}
		if _, _, err := s.FindUnits(context.Background(), cunjing.UnitFilter{}); err == nil {
			t.Fatal("a unit list without identity answered")
		}
	})
}
