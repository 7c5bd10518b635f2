package demo

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"cunjing"
)

// demoForce generates the force of the demo city as Load does.
func demoForce(t *testing.T) (*force, []cunjing.Area, []cunjing.Unit) {
	t.Helper()
	areas := loadAreas(t)
	units := Units(areas, Seed)
	return newForce(areas, units, Seed), areas, units
}

// holders replays the posts of f, replacements ending the posts they
// replace: the staff in post now, by area and role.
func holders(f *force) map[string]map[cunjing.PostRole][]int {
	now := map[string]map[cunjing.PostRole][]int{}
	for _, p := range f.posts {
		if now[p.area] == nil {
			now[p.area] = map[cunjing.PostRole][]int{}
		}
		if p.replace {
			now[p.area][p.role] = nil
		}
		now[p.area][p.role] = append(now[p.area][p.role], p.staff)
	}
	return now
}

// countyView is what a county's coverage page would show of the force.
type countyView struct {
	areas    []cunjing.Area   // villages and communities
	covered  int              // of them, with an officer in post
	officers map[int][]string // officers in post → their areas
}

func viewCounty(f *force, areas []cunjing.Area, county string) countyView {
	now := holders(f)
	v := countyView{officers: map[int][]string{}}
	for _, a := range areas {
		if a.Level != cunjing.LevelVillage || !strings.HasPrefix(a.Code, county) {
			continue
		}
		v.areas = append(v.areas, a)
		officers := append(slices.Clone(now[a.Code][cunjing.PostResponsible]), now[a.Code][cunjing.PostCommunity]...)
		if len(officers) > 0 {
			v.covered++
		}
		for _, o := range officers {
			v.officers[o] = append(v.officers[o], a.Code)
		}
	}
	return v
}

func (v countyView) share() float64 { return float64(v.covered) / float64(len(v.areas)) }

// holding counts the officers of the view holding n areas.
func (v countyView) holding(n int) int {
	count := 0
	for _, held := range v.officers {
		if len(held) == n {
			count++
		}
	}
	return count
}

func TestForceLeavesRealGapsInEveryCounty(t *testing.T) {
	f, areas, _ := demoForce(t)
	lowest, highest := 1.0, 0.0
	for _, c := range []string{"410402", "410403", "410404", "410411", "410421", "410422", "410423", "410425", "410471", "410472", "410481", "410482"} {
		share := viewCounty(f, areas, c).share()
		if share < 0.85 || share > 0.97 {
			t.Errorf("county %s: %.1f %% of villages and communities have an officer, want 85–97 %%", c, 100*share)
		}
		lowest, highest = min(lowest, share), max(highest, share)
	}
	if highest-lowest < 0.05 {
		t.Errorf("coverage ranges only from %.1f to %.1f %%, want counties that differ", 100*lowest, 100*highest)
	}
}

func TestForceLushanHasTooFewOfficers(t *testing.T) {
	f, areas, _ := demoForce(t)
	v := viewCounty(f, areas, "410423")
	if n := len(v.officers); n < 340 || n > 400 {
		t.Errorf("鲁山县 has %d officers in post for %d villages, want about 370", n, len(v.areas))
	}
	if v.covered == len(v.areas) {
		t.Error("every village of 鲁山县 has an officer, want some uncovered")
	}
	if v.holding(2) < 50 || v.holding(3) > 0 {
		t.Errorf("鲁山县: %d officers hold two villages and %d three, want many holding two and none three", v.holding(2), v.holding(3))
	}
}

func TestForceJiaxianOfficersHoldNeighbouringVillages(t *testing.T) {
	f, areas, _ := demoForce(t)
	byCode := map[string]cunjing.Area{}
	for _, a := range areas {
		byCode[a.Code] = a
	}
	v := viewCounty(f, areas, "410425")
	for o, held := range v.officers {
		switch len(held) {
		case 1:
		case 2:
			if !adjacent(areas, byCode[held[0]], byCode[held[1]]) {
				t.Errorf("郏县 officer %s holds %s and %s, which are not neighbours", f.staff[o].Name, held[0], held[1])
			}
		default:
			t.Errorf("郏县 officer %s holds %d villages, want 1 or 2", f.staff[o].Name, len(held))
		}
	}
	if v.holding(2) < len(v.officers)/4 {
		t.Errorf("only %d of %d 郏县 officers hold two villages", v.holding(2), len(v.officers))
	}
}

// adjacent reports whether a and b are of one town and kind and come one
// after the other in code order among its areas of that kind.
func adjacent(areas []cunjing.Area, a, b cunjing.Area) bool {
	if a.ParentCode != b.ParentCode || a.Kind != b.Kind {
		return false
	}
	var same []string
	for _, x := range areas {
		if x.ParentCode == a.ParentCode && x.Kind == a.Kind {
			same = append(same, x.Code)
		}
	}
	i, j := slices.Index(same, a.Code), slices.Index(same, b.Code)
	return j-i == 1 || i-j == 1
}

func TestForceModelHelpers(t *testing.T) {
	f, areas, _ := demoForce(t)
	now := holders(f)
	for _, c := range []struct {
		county, name string
		roles        []cunjing.PostRole
	}{{"410481", "舞钢市", assistants}, {"410482", "汝州市", cadres}} {
		two, fewer := 0, 0
		for _, a := range viewCounty(f, areas, c.county).areas {
			if a.Kind != cunjing.KindVillage {
				continue
			}
			n := 0
			for _, r := range c.roles {
				n += len(now[a.Code][r])
			}
			if n >= 2 {
				two++
			} else {
				fewer++
			}
		}
		if two < 4*fewer || fewer == 0 {
			t.Errorf("%s: %d villages with two helpers, %d with fewer; want most with two and some short", c.name, two, fewer)
		}
	}
}

func TestForceBaofengPoliceOffices(t *testing.T) {
	f, areas, _ := demoForce(t)
	now := holders(f)
	officers := map[int]int{}
	withAux := 0
	for _, a := range areas {
		if !strings.HasPrefix(a.Code, "410421") || a.Kind != cunjing.KindVillage || a.Level != cunjing.LevelVillage {
			continue
		}
		for _, o := range now[a.Code][cunjing.PostResponsible] {
			officers[o]++
		}
		if len(now[a.Code][cunjing.PostAuxiliary]) > 0 {
			withAux++
		}
	}
	if len(officers) != 44 {
		t.Errorf("宝丰县 villages have %d officers, want the 44 police-office officers", len(officers))
	}
	for o, n := range officers {
		if n < 4 {
			t.Errorf("宝丰县 officer %s holds %d villages, want several", f.staff[o].Name, n)
		}
	}
	if withAux != 270 {
		t.Errorf("%d 宝丰县 villages have a work-station auxiliary, want 270", withAux)
	}
}

func TestForceShilongOfficeHelpers(t *testing.T) {
	f, _, units := demoForce(t)
	now := holders(f)
	for _, u := range units {
		if !strings.HasPrefix(u.Code, "410404") || (u.Kind != cunjing.UnitOffice && u.Kind != cunjing.UnitWorkstation) {
			continue
		}
		for _, code := range u.Jurisdiction {
			n := 0
			for _, r := range officeHelpers {
				n += len(now[code][r])
			}
			if n < 1 || n > 2 {
				t.Errorf("石龙区 %s: %d helpers, want two (at times one)", code, n)
			}
		}
	}
}

func TestForceKeepsHistory(t *testing.T) {
	f, _, _ := demoForce(t)
	handedOver := 0
	for i, p := range f.posts {
		if p.start.Before(firstDay) || lastDay.Before(p.start) {
			t.Fatalf("post %d starts on %s, want 2021-01-01 to 2026-10-31", i, p.start)
		}
		if !p.replace {
			continue
		}
		handedOver++
		j := slices.IndexFunc(f.posts[:i], func(q post) bool { return q.area == p.area && q.role == p.role })
		if j < 0 || f.posts[j].staff == p.staff || !f.posts[j].start.Before(handover) || p.start.Before(handover) {
			t.Errorf("the post of %s in %s replaces no earlier post of another officer from before %s", f.staff[p.staff].Name, p.area, handover)
		}
	}
	if handedOver < 50 {
		t.Errorf("%d posts were handed over, want some history", handedOver)
	}
	statuses := map[cunjing.StaffStatus]int{}
	for _, c := range f.changes {
		statuses[c.status]++
	}
	for _, s := range []cunjing.StaffStatus{cunjing.StaffOnLeave, cunjing.StaffTransferred, cunjing.StaffRetired} {
		if statuses[s] == 0 {
			t.Errorf("nobody is %s", s)
		}
	}
}

func TestForceStaffRecords(t *testing.T) {
	f, _, _ := demoForce(t)
	numbers, phones := map[string]bool{}, map[string]bool{}
	kinds := map[cunjing.StaffKind]int{}
	for _, s := range f.staff {
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if n := utf8.RuneCountInString(s.Name); n < 2 || n > 3 {
			t.Errorf("name %q, want two or three characters", s.Name)
		}
		if s.PoliceNumber != "" && numbers[s.PoliceNumber] || phones[s.Phone] {
			t.Errorf("%s: police number %s or phone %s given twice", s.Name, s.PoliceNumber, s.Phone)
		}
		numbers[s.PoliceNumber], phones[s.Phone] = true, true
		kinds[s.Kind]++
	}
	for _, k := range cunjing.StaffKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s in the force", k)
		}
	}
	if kinds[cunjing.StaffAuxiliary] < kinds[cunjing.StaffOfficer]/3 {
		t.Errorf("%d auxiliaries for %d officers, want the auxiliaries of every office", kinds[cunjing.StaffAuxiliary], kinds[cunjing.StaffOfficer])
	}
}

func TestForceLinksDemoAccounts(t *testing.T) {
	f, _, units := demoForce(t)
	now := holders(f)
	var chief string
	for _, a := range Accounts {
		if a.Role == cunjing.RoleStationChief {
			chief = a.Unit(units)
		}
	}
	station := units[slices.IndexFunc(units, func(u cunjing.Unit) bool { return u.Code == chief })]
	for _, name := range []string{"officer", "fujing"} {
		i := slices.IndexFunc(f.staff, func(s cunjing.Staff) bool { return s.Username == name })
		if i < 0 {
			t.Fatalf("no staff record linked to the account %s", name)
		}
		var held []string
		for area, roles := range now {
			for _, ids := range roles {
				if slices.Contains(ids, i) {
					held = append(held, area)
				}
			}
		}
		if len(held) == 0 || (name == "officer" && len(held) > 2) {
			t.Errorf("%s holds %d posts, want one or two", name, len(held))
		}
		for _, code := range held {
			if !cunjing.Covers(station.Jurisdiction, code) {
				t.Errorf("%s holds %s, outside the chief's station %s", name, code, station.Name)
			}
		}
	}
}

func TestForceIsDeterministic(t *testing.T) {
	areas := loadAreas(t)
	units := Units(areas, Seed)
	a, b := newForce(areas, units, Seed), newForce(areas, units, Seed)
	if !reflect.DeepEqual(a, b) {
		t.Error("two forces from the same seed differ")
	}
	if c := newForce(areas, units, Seed+1); reflect.DeepEqual(a.staff, c.staff) {
		t.Error("another seed gives the same staff")
	}
	items := []cunjing.StandardItem{{Code: "signage", Points: 50}, {Code: "office_space", Points: 50}}
	if !reflect.DeepEqual(officeChecks(units, items, Seed), officeChecks(units, items, Seed)) {
		t.Error("two inspections from the same seed differ")
	}
}
