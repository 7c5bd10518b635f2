package store_test

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// coverageTree is a hand-built county with known coverage:
//
//	V1  officer 甲 + cadres 乙, 丙          covered, compliant
//	V2  officer 丁 + cadre 戊              covered: 1 of 2 cadres; 丁 holds 2 villages, model allows 1
//	V3  officer 丁                         covered: 0 of 2 cadres; 丁 overloaded
//	                                       (V2 and V3 lie 10 km apart)
//	C1  community officer 己, on leave     not covered: no officer; 己 not on duty
//	G1  grid of C1, no one                 not covered
//	S1  venue (hospital), officer 庚        covered, compliant (default model)
//
// 鲁山 binds 一警两干 (officer + 2 cadres, 1 village per officer) to its
// villages; a second county, 郏县, has one village and no posts, and a
// second province one community.
type coverageTree struct {
	grid, venue string
	ids         map[string]int64
}

func buildCoverageTree(t *testing.T, st *store.Store) coverageTree {
	t.Helper()
	ctx := storetest.Ctx()
	areas := []cunjing.Area{
		{Code: "41", Name: "河南省", Level: cunjing.LevelProvince, Kind: "province"},
		{Code: "4104", Name: "平顶山市", Level: cunjing.LevelCity, Kind: "city", ParentCode: "41"},
		{Code: "410423", Name: "鲁山县", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
		{Code: "410423100", Name: "鲁阳街道", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410423"},
		{Code: "410423100001", Name: "一社区居民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindCommunity, ParentCode: "410423100"},
		{Code: "410423100201", Name: "一村村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410423100"},
		{Code: "410423100202", Name: "二村村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410423100",
			Location: &cunjing.Point{Lng: 112.90, Lat: 33.74, Datum: "WGS-84"}},
		{Code: "410423100203", Name: "三村村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410423100",
			Location: &cunjing.Point{Lng: 112.90, Lat: 33.83, Datum: "WGS-84"}},
		{Code: "410425", Name: "郏县", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
		{Code: "410425100", Name: "城关镇", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410425"},
		{Code: "410425100201", Name: "东村村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410425100"},
		{Code: "42", Name: "湖北省", Level: cunjing.LevelProvince, Kind: "province"},
		{Code: "4201", Name: "武汉市", Level: cunjing.LevelCity, Kind: "city", ParentCode: "42"},
		{Code: "420102", Name: "江岸区", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4201"},
		{Code: "420102001", Name: "大智街道", Level: cunjing.LevelTown, Kind: "town", ParentCode: "420102"},
		{Code: "420102001001", Name: "大智社区居民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindCommunity, ParentCode: "420102001"},
	}
	must(t, func() error { _, err := st.ImportAreas(ctx, slices.Values(areas)); return err }())
	must(t, st.CreateUnits(ctx, []cunjing.Unit{
		{Code: "410423000000", Name: "鲁山县公安局", Kind: cunjing.UnitBureau, Jurisdiction: []string{"410423"}},
		{Code: "410423010000", Name: "鲁阳派出所", Kind: cunjing.UnitStation, ParentCode: "410423000000", Jurisdiction: []string{"410423100"}},
		{Code: "410425000000", Name: "郏县公安局", Kind: cunjing.UnitBureau, Jurisdiction: []string{"410425"}},
	}))
	grid, err := st.CreateArea(ctx, cunjing.NewArea{ParentCode: "410423100001", Level: cunjing.LevelGrid, Name: "第一网格"})
	must(t, err)
	venue, err := st.CreateArea(ctx, cunjing.NewArea{ParentCode: "410423100", Level: cunjing.LevelVenue, Name: "县人民医院", VenueType: cunjing.VenueHospital})
	must(t, err)
	staff := []cunjing.Staff{
		{Name: "甲", Kind: cunjing.StaffOfficer, PoliceNumber: "410001"},
		{Name: "丁", Kind: cunjing.StaffOfficer, PoliceNumber: "410002"},
		{Name: "己", Kind: cunjing.StaffOfficer, PoliceNumber: "410003"},
		{Name: "庚", Kind: cunjing.StaffOfficer, PoliceNumber: "410004"},
		{Name: "乙", Kind: cunjing.StaffCadre}, {Name: "丙", Kind: cunjing.StaffCadre}, {Name: "戊", Kind: cunjing.StaffCadre},
	}
	for i := range staff {
		staff[i].UnitCode = "410423010000"
	}
	must(t, st.CreateStaff(ctx, staff))
	ids := map[string]int64{}
	for _, m := range staff {
		ids[m.Name] = m.ID
	}
	start := cunjing.DateOf(time.Now()).AddDays(-30)
	post := func(name, area string, role cunjing.PostRole) cunjing.AssignRequest {
		return cunjing.AssignRequest{StaffID: ids[name], AreaCode: area, Role: role, Start: start}
	}
	_, err = st.AssignAll(ctx, []cunjing.AssignRequest{
		post("甲", "410423100201", cunjing.PostResponsible), post("乙", "410423100201", cunjing.PostCadre), post("丙", "410423100201", cunjing.PostCadre),
		post("丁", "410423100202", cunjing.PostResponsible), post("戊", "410423100202", cunjing.PostCadre),
		post("丁", "410423100203", cunjing.PostResponsible),
		post("己", "410423100001", cunjing.PostCommunity),
		post("庚", venue.Code, cunjing.PostResponsible),
	})
	must(t, err)
	leave := staff[2]
	leave.Status = cunjing.StaffOnLeave
	must(t, st.UpdateStaff(ctx, leave))
	model, err := st.SaveStaffingModel(ctx, cunjing.StaffingModel{Name: "一警两干", MaxAreasPerOfficer: 1, Rules: []cunjing.ModelRule{
		{Roles: []cunjing.PostRole{cunjing.PostResponsible, cunjing.PostCommunity}, Min: 1, Max: 1},
		{Roles: []cunjing.PostRole{cunjing.PostCadre}, Min: 2}}})
	must(t, err)
	must(t, st.BindModel(ctx, cunjing.ModelBinding{AreaCode: "410423", AreaKind: cunjing.KindVillage, ModelID: model}))
	return coverageTree{grid: grid.Code, venue: venue.Code, ids: ids}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCoverageOfAHandBuiltCounty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		tree := buildCoverageTree(t, st)
		_, err := st.AddDualPost(storetest.Ctx(), cunjing.DualPost{StaffID: tree.ids["甲"], AreaCode: "410423100201",
			Post: cunjing.DualPartyDeputy, AppointedOn: cunjing.DateOf(time.Now()).AddDays(-10)})
		must(t, err)
		r, err := st.Coverage(storetest.Ctx(), "410423", cunjing.CoverageOptions{})
		must(t, err)
		if r.DualPosts != (cunjing.DualPostTally{Areas: 4, Held: 1}) {
			t.Errorf("dual posts: %+v; want 1 of the 3 villages and 1 community", r.DualPosts)
		}
		if r.Area.Name != "鲁山县" || len(r.Ancestors) != 2 {
			t.Errorf("report on %q with %d ancestors", r.Area.Name, len(r.Ancestors))
		}
		want := map[cunjing.Kind]cunjing.Coverage{
			cunjing.KindVillage: {Total: 3, Covered: 3, Compliant: 1}, cunjing.KindCommunity: {Total: 1},
			"grid": {Total: 1}, "venue": {Total: 1, Covered: 1, Compliant: 1},
		}
		for kind, c := range want {
			if got := r.Tally.ByKind[kind]; got != c {
				t.Errorf("%s: %+v; want %+v", kind, got, c)
			}
		}
		if r.Tally.All != (cunjing.Coverage{Total: 6, Covered: 4, Compliant: 2}) {
			t.Errorf("all: %+v", r.Tally.All)
		}
		if len(r.Children) != 1 || r.Children[0].Name != "鲁阳街道" || r.Children[0].Tally.All != r.Tally.All {
			t.Errorf("children: %+v", r.Children)
		}
		if len(r.Stations) != 1 || r.Stations[0].Name != "鲁阳派出所" || r.Stations[0].Tally.All.Total != 6 {
			t.Errorf("stations: %+v", r.Stations)
		}
		if len(r.Ratios) != 1 || r.Ratios[0] != (cunjing.CountyRatio{Code: "410423", Name: "鲁山县", Areas: 6, Officers: 3, Posted: 3}) {
			t.Errorf("ratios: %+v", r.Ratios)
		}
		wantGaps := map[string]string{
			"410423100001": "no responsible officer; officer 己 is not on duty",
			"410423100202": "1 of 2 cadre; officer 丁 responsible for 2 areas, model allows 1",
			"410423100203": "0 of 2 cadre; officer 丁 responsible for 2 areas, model allows 1",
			tree.grid:      "no responsible officer",
		}
		if r.GapCount != 4 || len(r.Gaps) != 4 {
			t.Fatalf("gaps: %d listed of %d; want 4", len(r.Gaps), r.GapCount)
		}
		for _, g := range r.Gaps {
			var reasons []string
			for _, why := range g.Reasons {
				reasons = append(reasons, why.String())
			}
			if got := strings.Join(reasons, "; "); got != wantGaps[g.Area.Code] {
				t.Errorf("gap %s (%s): %q; want %q", g.Area.Code, g.Area.Name, got, wantGaps[g.Area.Code])
			}
		}
		if len(r.Overloaded) != 1 || r.Overloaded[0].Staff.Name != "丁" || r.Overloaded[0].Held != 2 || r.Overloaded[0].Allowed != 1 ||
			!slices.Equal(r.Overloaded[0].Areas, []string{"410423100202", "410423100203"}) {
			t.Errorf("overloaded: %+v", r.Overloaded)
		}
	})
}

func TestCoverageChangesWithTheNextAssignment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		tree := buildCoverageTree(t, st)
		ctx := storetest.Ctx()
		more := []cunjing.Staff{{Name: "辛", Kind: cunjing.StaffOfficer, PoliceNumber: "410005", UnitCode: "410423010000"}}
		must(t, st.CreateStaff(ctx, more))
		_, err := st.Assign(ctx, cunjing.AssignRequest{StaffID: more[0].ID, AreaCode: tree.grid, Role: cunjing.PostCommunity, Start: cunjing.DateOf(time.Now())})
		must(t, err)
		r, err := st.Coverage(ctx, "410423", cunjing.CoverageOptions{})
		must(t, err)
		if got := r.Tally.ByKind["grid"]; got != (cunjing.Coverage{Total: 1, Covered: 1, Compliant: 1}) {
			t.Errorf("the grid after its officer is posted: %+v", got)
		}
		if r.Tally.All.Covered != 5 || r.GapCount != 3 {
			t.Errorf("all: %+v with %d gaps; want 5 covered, 3 gaps", r.Tally.All, r.GapCount)
		}
	})
}

func TestCoverageKeepsToTheScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		buildCoverageTree(t, st)
		jiaxian := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "jia", Role: cunjing.RoleCountyAdmin,
			Scope: cunjing.Scope{Prefixes: []string{"410425"}}})
		if _, err := st.Coverage(jiaxian, "410423", cunjing.CoverageOptions{}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("another county's coverage: %v; want not found", err)
		}
		city, err := st.Coverage(jiaxian, "", cunjing.CoverageOptions{})
		must(t, err)
		if city.Area.Code != "410425" || city.Tally.All != (cunjing.Coverage{Total: 1}) {
			t.Errorf("郏县's own report: %s %+v", city.Area.Code, city.Tally.All)
		}
		chief := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "zhou", Role: cunjing.RoleStationChief,
			Scope: cunjing.Scope{Prefixes: []string{"410423100"}}})
		part, err := st.Coverage(chief, "410423", cunjing.CoverageOptions{})
		must(t, err)
		if part.Tally.All.Total != 6 || len(part.Ratios) != 0 {
			t.Errorf("a station chief's view of his county: %+v, ratios %+v; want his town's areas and no county strength", part.Tally.All, part.Ratios)
		}
		officer := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "ding", Role: cunjing.RoleOfficer,
			Scope: cunjing.Scope{Prefixes: []string{"410423100202"}}})
		r, err := st.Coverage(officer, "", cunjing.CoverageOptions{})
		must(t, err)
		if r.Area.Code != "410423100202" || r.Tally.All.Total != 1 || len(r.Overloaded) != 1 ||
			!slices.Equal(r.Overloaded[0].Areas, []string{"410423100202"}) || r.Overloaded[0].Held != 2 {
			t.Errorf("an officer's own report: %s %+v %+v", r.Area.Code, r.Tally.All, r.Overloaded)
		}
	})
}

// TestAreaPostsFollowEveryChange checks the aggregate the coverage report
// reads against the assignments themselves after posts are taken,
// replaced, ended, and left by a transfer.
func TestAreaPostsFollowEveryChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		tree := buildCoverageTree(t, st)
		ctx := storetest.Ctx()
		today := cunjing.DateOf(time.Now())
		more := []cunjing.Staff{{Name: "辛", Kind: cunjing.StaffOfficer, PoliceNumber: "410005", UnitCode: "410423010000"}}
		must(t, st.CreateStaff(ctx, more))
		_, err := st.Assign(ctx, cunjing.AssignRequest{StaffID: more[0].ID, AreaCode: "410423100203", Role: cunjing.PostResponsible, Start: today, Replace: true})
		must(t, err)
		posts, _, err := st.FindAssignments(ctx, cunjing.AssignmentFilter{Area: "410423100201", Open: true})
		must(t, err)
		must(t, st.EndAssignment(ctx, posts[0].ID, today))
		gone := cunjing.Staff{ID: tree.ids["丁"], Name: "丁", Kind: cunjing.StaffOfficer, PoliceNumber: "410002", UnitCode: "410423010000",
			Status: cunjing.StaffTransferred}
		must(t, st.UpdateStaff(ctx, gone))

		db := storetest.Direct(t, st)
		kept := postsByArea(t, db, "SELECT area_code, posts FROM area_posts")
		actual := postsByArea(t, db, "SELECT area_code, role || ':' || CAST(staff_id AS TEXT) FROM assignments WHERE end_date = ''")
		if !maps.EqualFunc(kept, actual, slices.Equal) {
			t.Errorf("area_posts %v\nassignments in force %v", kept, actual)
		}
		if len(actual["410423100202"]) != 1 || len(actual["410423100203"]) != 1 {
			t.Errorf("after 丁's transfer: %v", actual)
		}
	})
}

// postsByArea reads "area, role:staff …" rows into sorted posts per area.
func postsByArea(t *testing.T, db *sql.DB, query string) map[string][]string {
	t.Helper()
	rows, err := db.Query(query)
	must(t, err)
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var code, posts string
		must(t, rows.Scan(&code, &posts))
		out[code] = append(out[code], strings.Fields(posts)...)
	}
	for _, p := range out {
		slices.Sort(p)
	}
	return out
}

func TestCoverageChecksHowFarApartAnOfficersVillagesLie(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		buildCoverageTree(t, st)
		ctx := storetest.Ctx()
		model, err := st.SaveStaffingModel(ctx, cunjing.StaffingModel{Name: "一警双村", MaxAreasPerOfficer: 2, MaxDistanceKm: 5,
			Rules: []cunjing.ModelRule{{Roles: []cunjing.PostRole{cunjing.PostResponsible}, Min: 1, Max: 1}}})
		must(t, err)
		must(t, st.BindModel(ctx, cunjing.ModelBinding{AreaCode: "410423", AreaKind: cunjing.KindVillage, ModelID: model}))
		// The county's report finds 丁's loads by query, the report on
		// everything from its own scan: both must measure the distance.
		for _, code := range []string{"410423", ""} {
			r, err := st.Coverage(ctx, code, cunjing.CoverageOptions{})
			must(t, err)
			if code == "" && (r.Tally.All.Total != 8 || len(r.Children) != 2) {
				t.Errorf("the report on everything: %+v over %d provinces; want 8 areas in 2", r.Tally.All, len(r.Children))
			}
			var far []string
			for _, g := range r.Gaps {
				for _, why := range g.Reasons {
					if why.Code == cunjing.GapTooFar {
						far = append(far, g.Area.Code+" "+why.String())
					}
				}
			}
			want := []string{"410423100202 officer 丁's areas lie 10.0 km apart, model allows 5.0",
				"410423100203 officer 丁's areas lie 10.0 km apart, model allows 5.0"}
			if !slices.Equal(far, want) {
				t.Errorf("report on %q: too far %q; want %q", code, far, want)
			}
		}
	})
}
