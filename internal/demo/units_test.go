package demo

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store/storetest"
)

// loadAreas imports the embedded real Pingdingshan division files into a
// fresh SQLite store and reads the tree back, as Load does.
func loadAreas(t *testing.T) []cunjing.Area {
	t.Helper()
	ctx := storetest.Ctx()
	st := storetest.SQLite(t)
	if err := importDivisions(ctx, st); err != nil {
		t.Fatal(err)
	}
	areas, err := cityAreas(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	return areas
}

// byKind returns the units of a kind.
func byKind(units []cunjing.Unit, kind cunjing.UnitKind) []cunjing.Unit {
	var out []cunjing.Unit
	for _, u := range units {
		if u.Kind == kind {
			out = append(out, u)
		}
	}
	return out
}

func TestUnitsBureausAndNames(t *testing.T) {
	units := Units(loadAreas(t), 1)
	bureaus := byKind(units, cunjing.UnitBureau)
	var top, county int
	for _, b := range bureaus {
		if b.ParentCode == "" {
			top++
		} else {
			county++
		}
	}
	if top != 1 || county != 12 {
		t.Errorf("got %d city and %d county bureaus, want 1 and 12", top, county)
	}
	names := map[string]cunjing.Unit{}
	for _, u := range units {
		names[u.Name] = u
	}
	want := map[string]string{
		"平顶山市公安局":        "410400000000",
		"平顶山市公安局新华分局":    "410402000000",
		"平顶山高新技术产业开发区分局": "410471000000",
		"鲁山县公安局":         "410423000000",
		"汝州市公安局":         "410482000000",
		"曙光街派出所":         "410402510100",
	}
	for name, code := range want {
		if u, ok := names[name]; !ok || u.Code != code {
			t.Errorf("unit %s: got code %q, want %s", name, u.Code, code)
		}
	}
	var lushan []string
	for _, u := range byKind(units, cunjing.UnitStation) {
		if u.ParentCode == "410423000000" && strings.HasSuffix(u.Name, "派出所") {
			lushan = append(lushan, u.Name)
		}
	}
	if len(lushan) == 0 {
		t.Error("no 派出所 under 鲁山县公安局")
	}
}

func TestUnitsCoverEveryArea(t *testing.T) {
	areas := loadAreas(t)
	units := Units(areas, 1)
	stations := byKind(units, cunjing.UnitStation)
	if n := len(stations); n < 100 || n > 148 {
		t.Errorf("got %d stations for 148 towns, want 100–148", n)
	}
	unit := map[string]cunjing.Unit{}
	for _, u := range units {
		unit[u.Code] = u
	}
	covering := func(kinds []cunjing.UnitKind, code string) []cunjing.Unit {
		var out []cunjing.Unit
		for _, u := range units {
			if slices.Contains(kinds, u.Kind) && slices.Contains(u.Jurisdiction, code) {
				out = append(out, u)
			}
		}
		return out
	}
	posts := []cunjing.UnitKind{cunjing.UnitOffice, cunjing.UnitWorkstation}
	for _, a := range areas {
		switch a.Level {
		case cunjing.LevelTown:
			if got := covering([]cunjing.UnitKind{cunjing.UnitStation}, a.Code); len(got) != 1 {
				t.Errorf("town %s %s is in %d stations, want 1", a.Code, a.Name, len(got))
			}
		case cunjing.LevelVillage:
			got := covering(posts, a.Code)
			if len(got) != 1 {
				t.Errorf("%s %s is in %d offices and workstations, want 1", a.Code, a.Name, len(got))
				continue
			}
			want := map[cunjing.Kind]cunjing.UnitKind{cunjing.KindCommunity: cunjing.UnitOffice, cunjing.KindVillage: cunjing.UnitWorkstation}[a.Kind]
			if got[0].Kind != want {
				t.Errorf("%s %s is covered by a %s, want a %s", a.Code, a.Name, got[0].Kind, want)
			}
			if st := unit[got[0].ParentCode]; st.Kind != cunjing.UnitStation || !cunjing.Covers(st.Jurisdiction, a.Code) {
				t.Errorf("%s %s: the parent %s of %s does not cover it", a.Code, a.Name, st.Name, got[0].Name)
			}
		}
	}
}

func TestUnitsFormATree(t *testing.T) {
	checkTree(t, Units(loadAreas(t), 1))
}

// checkTree asserts that units are valid, have unique codes, come after their
// parents and lie within their parents' jurisdiction.
func checkTree(t *testing.T, units []cunjing.Unit) {
	t.Helper()
	seen := map[string]cunjing.Unit{}
	for _, u := range units {
		if err := u.Validate(); err != nil {
			t.Errorf("%s %s: %v", u.Code, u.Name, err)
		}
		if _, dup := seen[u.Code]; dup {
			t.Errorf("code %s is used twice", u.Code)
		}
		if u.Address == "" || !strings.HasPrefix(u.Phone, "0375-") || len(u.Phone) != 12 {
			t.Errorf("%s %s: address %q, phone %q", u.Code, u.Name, u.Address, u.Phone)
		}
		if u.ParentCode != "" {
			parent, ok := seen[u.ParentCode]
			if !ok {
				t.Errorf("%s %s comes before its parent %s", u.Code, u.Name, u.ParentCode)
			}
			for _, c := range u.Jurisdiction {
				if !cunjing.Covers(parent.Jurisdiction, c) {
					t.Errorf("%s %s: %s lies outside its parent %s", u.Code, u.Name, c, parent.Name)
				}
			}
		}
		seen[u.Code] = u
	}
}

func TestUnitsDependOnlyOnSeed(t *testing.T) {
	areas := loadAreas(t)
	reversed := slices.Clone(areas)
	slices.Reverse(reversed)
	a, b := Units(areas, 1), Units(reversed, 1)
	if !reflect.DeepEqual(a, b) {
		t.Error("the same seed gave different units (areas in reverse order)")
	}
	if grouping(a) == grouping(Units(areas, 2)) {
		t.Error("seeds 1 and 2 gave the same station grouping")
	}
}

// grouping describes which towns share a station.
func grouping(units []cunjing.Unit) string {
	var b strings.Builder
	for _, s := range byKind(units, cunjing.UnitStation) {
		fmt.Fprintln(&b, s.Jurisdiction)
	}
	return b.String()
}

func TestUnitsFitLargeTownInto99Posts(t *testing.T) {
	areas := []cunjing.Area{
		{Code: "4104", Name: "平顶山市", Level: cunjing.LevelCity, Kind: "city"},
		{Code: "410423", Name: "鲁山县", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
		{Code: "410423100", Name: "大镇", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410423"},
	}
	for i := 1; i <= 700; i++ {
		kind := cunjing.KindVillage
		if i%5 == 0 {
			kind = cunjing.KindCommunity
		}
		areas = append(areas, cunjing.Area{Code: fmt.Sprintf("410423100%03d", i), Name: fmt.Sprintf("%d号村民委员会", i), Level: cunjing.LevelVillage, Kind: kind, ParentCode: "410423100"})
	}
	units := Units(areas, 1)
	checkTree(t, units)
	posts := len(byKind(units, cunjing.UnitOffice)) + len(byKind(units, cunjing.UnitWorkstation))
	if posts == 0 || posts > 99 {
		t.Errorf("got %d offices and workstations in one station, want 1–99", posts)
	}
	var covered int
	for _, u := range units {
		if u.Kind == cunjing.UnitOffice || u.Kind == cunjing.UnitWorkstation {
			covered += len(u.Jurisdiction)
		}
	}
	if covered != 700 {
		t.Errorf("offices and workstations cover %d areas, want 700", covered)
	}
}

func TestShortTownName(t *testing.T) {
	for name, want := range map[string]string{
		"城关镇": "城关", "曙光街街道": "曙光街", "姚庄回族乡": "姚庄", "香山街道筹备组": "香山", "东工人镇街道": "东工人镇",
	} {
		if got := shortTownName(name); got != want {
			t.Errorf("shortTownName(%q) = %q, want %q", name, got, want)
		}
	}
}
