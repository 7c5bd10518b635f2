package store_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// staffToday is the day the staff tests run on, fixed so that "today" and
// "in the future" do not depend on the clock.
var staffToday = time.Date(2025, 3, 15, 10, 0, 0, 0, cunjing.Shanghai)

// The units and people of the staff tests: 鲁阳派出所 covers 鲁阳街道
// (410423100), 下汤派出所 covers 下汤镇 (410423101).
const (
	luyang   = "410423510100"
	xiatang  = "410423510200"
	county   = "410423000000"
	zhang1   = "410423100201"
	zhang2   = "410423100202"
	dongguan = "410423100001"
	xiatangV = "410423101201"
)

// loadStaffFixture adds 下汤派出所 with one village to the unit fixture and
// fixes the store's clock on staffToday.
func loadStaffFixture(t *testing.T, s *store.Store) {
	t.Helper()
	loadUnits(t, s)
	ctx := storetest.Ctx()
	village := cunjing.Area{Code: xiatangV, Name: "下汤村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410423101"}
	if _, err := s.ImportAreas(ctx, slices.Values(append(fixtureTree(), village))); err != nil {
		t.Fatal(err)
	}
	station := cunjing.Unit{Code: xiatang, Name: "下汤派出所", Kind: cunjing.UnitStation, ParentCode: county, Jurisdiction: []string{"410423101"}}
	if err := s.CreateUnits(ctx, []cunjing.Unit{station}); err != nil {
		t.Fatal(err)
	}
	s.SetClock(func() time.Time { return staffToday })
}

// chiefOf returns the context of the chief of 鲁阳派出所.
func chiefOf() context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "chief", Role: cunjing.RoleStationChief,
		UnitCode: luyang, Scope: cunjing.Scope{Prefixes: []string{"410423100"}}})
}

// addStaff creates members of staff as the system and returns their IDs.
func addStaff(t *testing.T, s *store.Store, staff ...cunjing.Staff) []int64 {
	t.Helper()
	if err := s.CreateStaff(storetest.Ctx(), staff); err != nil {
		t.Fatalf("create staff: %v", err)
	}
	ids := make([]int64, len(staff))
	for i, m := range staff {
		ids[i] = staff[i].ID
		if m.ID == 0 && staff[i].ID == 0 {
			t.Fatalf("staff %d got no ID", i)
		}
	}
	return ids
}

func officer(name, number, unit string) cunjing.Staff {
	return cunjing.Staff{Name: name, Kind: cunjing.StaffOfficer, UnitCode: unit, PoliceNumber: number, Phone: "13800000000"}
}

func date(s string) cunjing.Date {
	d, err := cunjing.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func assign(t *testing.T, s *store.Store, r cunjing.AssignRequest) *cunjing.Assignment {
	t.Helper()
	a, err := s.Assign(storetest.Ctx(), r)
	if err != nil {
		t.Fatalf("assign %+v: %v", r, err)
	}
	return a
}

// holdersPosts returns the posts of an area in force on day d.
func holdersPosts(t *testing.T, s *store.Store, area string, d cunjing.Date) []cunjing.Assignment {
	t.Helper()
	found, _, err := s.FindAssignments(storetest.Ctx(), cunjing.AssignmentFilter{Area: area, On: d})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// holders answers "who held role in area on day d".
func holders(t *testing.T, s *store.Store, area string, role cunjing.PostRole, d cunjing.Date) []string {
	t.Helper()
	found, _, err := s.FindAssignments(storetest.Ctx(), cunjing.AssignmentFilter{Area: area, Role: role, On: d})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range found {
		names = append(names, a.StaffName)
	}
	slices.Sort(names)
	return names
}

func TestStaffAndAreasOfAnotherStationAreNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ids := addStaff(t, s, officer("李明", "100001", luyang), officer("赵刚", "100002", xiatang), officer("孙局", "100003", county))
		mine, theirs, bureau := ids[0], ids[1], ids[2]
		chief := chiefOf()

		listed, _, err := s.FindStaff(chief, cunjing.StaffFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range listed {
			names = append(names, m.Name)
		}
		if slices.Contains(names, "赵刚") || !slices.Contains(names, "李明") {
			t.Errorf("the chief of 鲁阳 lists %v; want his own staff, not 下汤's", names)
		}
		if _, err := s.StaffMember(chief, theirs); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("another station's officer: %v; want not found", err)
		}
		other := officer("赵刚", "100002", xiatang)
		other.ID = theirs
		if err := s.UpdateStaff(chief, other); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("update another station's officer: %v; want not found", err)
		}
		if err := s.CreateStaff(chief, []cunjing.Staff{officer("钱进", "100004", xiatang)}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("create staff in another station: %v; want not found", err)
		}
		// The county bureau is seen from the station but not managed by it.
		boss := officer("孙局", "100003", county)
		boss.ID, boss.Status = bureau, cunjing.StaffRetired
		if err := s.UpdateStaff(chief, boss); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("a station chief retiring a county bureau officer: %v; want not found", err)
		}
		if err := s.CreateStaff(chief, []cunjing.Staff{officer("钱进", "100004", county)}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("a station chief adding county bureau staff: %v; want not found", err)
		}
		for name, r := range map[string]cunjing.AssignRequest{
			"his officer to their village": {StaffID: mine, AreaCode: xiatangV, Role: cunjing.PostResponsible, Start: date("2025-01-01")},
			"their officer to his village": {StaffID: theirs, AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-01-01")},
		} {
			if _, err := s.Assign(chief, r); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("%s: %v; want not found", name, err)
			}
		}
		if _, err := s.CreateArea(chief, cunjing.NewArea{ParentCode: xiatangV, Level: cunjing.LevelVenue, Name: "下汤小学",
			VenueType: cunjing.VenueSchool}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("a venue in another station's village: %v; want not found", err)
		}
		assign(t, s, cunjing.AssignRequest{StaffID: theirs, AreaCode: xiatangV, Role: cunjing.PostResponsible, Start: date("2025-01-01")})
		posts, _, err := s.FindAssignments(chief, cunjing.AssignmentFilter{Under: "410423"})
		if err != nil || len(posts) != 0 {
			t.Errorf("posts seen by the chief under the county: %+v, %v; want none of 下汤's", posts, err)
		}
		if _, err := s.Assign(chief, cunjing.AssignRequest{StaffID: mine, AreaCode: zhang1, Role: cunjing.PostResponsible,
			Start: date("2025-01-01")}); err != nil {
			t.Errorf("the chief assigning his officer to his village: %v", err)
		}
	})
}

func TestAPostNeedsStaffOfItsKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ids := addStaff(t, s,
			cunjing.Staff{Name: "周干部", Kind: cunjing.StaffCadre, UnitCode: luyang},
			cunjing.Staff{Name: "吴辅警", Kind: cunjing.StaffAuxiliary, UnitCode: luyang, PoliceNumber: "F0001"},
			officer("李明", "100001", luyang))
		cases := []struct {
			name  string
			staff int64
			role  cunjing.PostRole
		}{
			{"a cadre as responsible officer", ids[0], cunjing.PostResponsible},
			{"an auxiliary as community officer", ids[1], cunjing.PostCommunity},
			{"an officer as cadre", ids[2], cunjing.PostCadre},
		}
		for _, c := range cases {
			_, err := s.Assign(storetest.Ctx(), cunjing.AssignRequest{StaffID: c.staff, AreaCode: zhang1, Role: c.role, Start: date("2025-01-01")})
			var e *cunjing.Error
			if cunjing.ErrorCode(err) != cunjing.EInvalid || !errors.As(err, &e) || e.Fields["role"] == "" {
				t.Errorf("%s: %v; want invalid naming the role", c.name, err)
			}
		}
		if _, err := s.Assign(storetest.Ctx(), cunjing.AssignRequest{StaffID: ids[2], AreaCode: "410423100", Role: cunjing.PostResponsible,
			Start: date("2025-01-01")}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a post for a town: %v; want invalid", err)
		}
		if got := holders(t, s, zhang1, "", date("2025-03-01")); len(got) != 0 {
			t.Errorf("refused posts were recorded: %v", got)
		}
	})
}

func TestAFilledPostIsAConflictUnlessReplacedOrTheModelAllowsMore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		ids := addStaff(t, s, officer("李明", "100001", luyang), officer("王强", "100002", luyang), officer("陈静", "100003", luyang))
		li, wang, chen := ids[0], ids[1], ids[2]
		assign(t, s, cunjing.AssignRequest{StaffID: li, AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-01-01")})

		_, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: wang, AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-02-01")})
		if cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Fatalf("a second responsible officer: %v; want conflict", err)
		}
		if _, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: li, AreaCode: zhang1, Role: cunjing.PostResponsible,
			Start: date("2025-02-01"), Replace: true}); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("replacing an officer by himself: %v; want conflict", err)
		}
		if _, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: wang, AreaCode: zhang1, Role: cunjing.PostResponsible,
			Start: date("2024-12-01"), Replace: true}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a replacement starting before the post it replaces: %v; want invalid", err)
		}
		assign(t, s, cunjing.AssignRequest{StaffID: wang, AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-02-01"), Replace: true})
		if got := holders(t, s, zhang1, cunjing.PostResponsible, date("2025-03-01")); !slices.Equal(got, []string{"王强"}) {
			t.Errorf("responsible after the reassignment: %v; want 王强 alone", got)
		}

		// A post backdated into the time of an ended one overlaps it.
		wangPost := holdersPosts(t, s, zhang1, date("2025-03-01"))[0]
		if err := s.EndAssignment(ctx, wangPost.ID, date("2025-03-01")); err != nil {
			t.Fatal(err)
		}
		for _, replace := range []bool{false, true} {
			if _, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: chen, AreaCode: zhang1, Role: cunjing.PostResponsible,
				Start: date("2025-02-15"), Replace: replace}); cunjing.ErrorCode(err) != cunjing.EConflict {
				t.Errorf("a post overlapping the history (replace %v): %v; want conflict", replace, err)
			}
		}
		assign(t, s, cunjing.AssignRequest{StaffID: chen, AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-03-01")})
		if got := holders(t, s, zhang1, cunjing.PostResponsible, date("2025-02-20")); !slices.Equal(got, []string{"王强"}) {
			t.Errorf("responsible on 2025-02-20: %v; want 王强 alone", got)
		}

		// The default model allows one community officer; 一室多警 two.
		assign(t, s, cunjing.AssignRequest{StaffID: li, AreaCode: dongguan, Role: cunjing.PostCommunity, Start: date("2025-01-01")})
		if _, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: chen, AreaCode: dongguan, Role: cunjing.PostCommunity,
			Start: date("2025-01-01")}); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("a second community officer under the default model: %v; want conflict", err)
		}
		model, err := s.SaveStaffingModel(ctx, cunjing.StaffingModel{Name: "一室多警",
			Rules: []cunjing.ModelRule{{Roles: []cunjing.PostRole{cunjing.PostCommunity}, Min: 1, Max: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.BindModel(ctx, cunjing.ModelBinding{AreaCode: "410423", AreaKind: cunjing.KindCommunity, ModelID: model}); err != nil {
			t.Fatal(err)
		}
		assign(t, s, cunjing.AssignRequest{StaffID: chen, AreaCode: dongguan, Role: cunjing.PostCommunity, Start: date("2025-01-01")})
		if _, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: wang, AreaCode: dongguan, Role: cunjing.PostCommunity,
			Start: date("2025-01-01")}); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("a third community officer where the model allows two: %v; want conflict", err)
		}
		if got := holders(t, s, dongguan, cunjing.PostCommunity, date("2025-03-01")); !slices.Equal(got, []string{"李明", "陈静"}) {
			t.Errorf("community officers of 东关: %v", got)
		}
	})
}

func TestAssignmentDatesMustMakeSense(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		li := addStaff(t, s, officer("李明", "100001", luyang))[0]
		tomorrow := cunjing.DateOf(staffToday).AddDays(1)
		if _, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: li, AreaCode: zhang1, Role: cunjing.PostResponsible,
			Start: tomorrow}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a post starting tomorrow: %v; want invalid", err)
		}
		if _, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: li, AreaCode: zhang1, Role: cunjing.PostResponsible}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a post without a start: %v; want invalid", err)
		}
		a := assign(t, s, cunjing.AssignRequest{StaffID: li, AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-02-01")})
		for name, end := range map[string]cunjing.Date{"before the start": date("2025-01-31"), "in the future": tomorrow, "missing": {}} {
			if err := s.EndAssignment(ctx, a.ID, end); cunjing.ErrorCode(err) != cunjing.EInvalid {
				t.Errorf("an end %s: %v; want invalid", name, err)
			}
		}
		if err := s.EndAssignment(ctx, a.ID, date("2025-03-01")); err != nil {
			t.Fatal(err)
		}
		if err := s.EndAssignment(ctx, a.ID, date("2025-03-02")); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("ending an ended post: %v; want conflict", err)
		}
		if err := s.EndAssignment(chiefOf(), 999999, date("2025-03-02")); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("ending a missing post: %v; want not found", err)
		}
	})
}

func TestWhoWasResponsibleOnADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ids := addStaff(t, s, officer("李明", "100001", luyang), officer("王强", "100002", luyang))
		first := assign(t, s, cunjing.AssignRequest{StaffID: ids[0], AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2024-01-01")})
		assign(t, s, cunjing.AssignRequest{StaffID: ids[1], AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2024-06-01"), Replace: true})
		for on, want := range map[string][]string{
			"2023-12-31": nil, "2024-01-01": {"李明"}, "2024-05-31": {"李明"}, "2024-06-01": {"王强"}, "2025-03-15": {"王强"},
		} {
			if got := holders(t, s, zhang1, cunjing.PostResponsible, date(on)); !slices.Equal(got, want) {
				t.Errorf("responsible for 张庄1 on %s: %v; want %v", on, got, want)
			}
		}
		history, _, err := s.FindAssignments(storetest.Ctx(), cunjing.AssignmentFilter{Area: zhang1})
		if err != nil || len(history) != 2 {
			t.Fatalf("history = %+v, %v; want both posts", history, err)
		}
		for _, a := range history {
			if a.ID == first.ID && (a.Start != date("2024-01-01") || a.End != date("2024-06-01")) {
				t.Errorf("the replaced post reads %s–%s; want 2024-01-01–2024-06-01", a.Start, a.End)
			}
		}
		open, _, err := s.FindAssignments(storetest.Ctx(), cunjing.AssignmentFilter{Under: "410423100", Open: true})
		if err != nil || len(open) != 1 || open[0].StaffName != "王强" || open[0].AreaName != "张庄1村民委员会" {
			t.Errorf("open posts under the town = %+v, %v", open, err)
		}
	})
}

func TestStaffWhoLeaveEndTheirPosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		ids := addStaff(t, s, officer("李明", "100001", luyang), officer("王强", "100002", luyang), officer("陈静", "100003", luyang))
		assign(t, s, cunjing.AssignRequest{StaffID: ids[0], AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-01-01")})
		assign(t, s, cunjing.AssignRequest{StaffID: ids[0], AreaCode: zhang2, Role: cunjing.PostResponsible, Start: date("2025-01-01")})
		assign(t, s, cunjing.AssignRequest{StaffID: ids[1], AreaCode: dongguan, Role: cunjing.PostCommunity, Start: date("2025-01-01")})
		assign(t, s, cunjing.AssignRequest{StaffID: ids[2], AreaCode: "410423100203", Role: cunjing.PostResponsible, Start: date("2025-01-01")})

		for i, status := range []cunjing.StaffStatus{cunjing.StaffTransferred, cunjing.StaffRetired, cunjing.StaffOnLeave} {
			m, err := s.StaffMember(ctx, ids[i])
			if err != nil {
				t.Fatal(err)
			}
			m.Status = status
			if err := s.UpdateStaff(ctx, *m); err != nil {
				t.Fatalf("%s: %v", status, err)
			}
			posts, _, err := s.FindAssignments(ctx, cunjing.AssignmentFilter{StaffID: ids[i]})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range posts {
				ended := a.End == cunjing.DateOf(staffToday)
				if status == cunjing.StaffOnLeave && !a.Open() || status != cunjing.StaffOnLeave && !ended {
					t.Errorf("%s: post in %s ends %q", status, a.AreaCode, a.End)
				}
			}
		}
		if _, err := s.Assign(ctx, cunjing.AssignRequest{StaffID: ids[0], AreaCode: "410423100204", Role: cunjing.PostResponsible,
			Start: date("2025-03-15")}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("posting a transferred officer: %v; want invalid", err)
		}
	})
}

func TestPoliceNumbersAreUnique(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		addStaff(t, s, officer("李明", "100001", luyang))
		err := s.CreateStaff(ctx, []cunjing.Staff{officer("王强", "100002", luyang), officer("陈静", "100001", luyang)})
		var item *cunjing.ItemError
		if cunjing.ErrorCode(err) != cunjing.EConflict || !errors.As(err, &item) || item.Index != 1 {
			t.Fatalf("a taken police number in a batch: %v; want a conflict naming item 1", err)
		}
		found, _, err := s.FindStaff(ctx, cunjing.StaffFilter{Query: "100002"})
		if err != nil || len(found) != 0 {
			t.Errorf("the good member of the failed batch was written: %+v, %v", found, err)
		}
		wang := addStaff(t, s, officer("王强", "100002", luyang))[0]
		m, _ := s.StaffMember(ctx, wang)
		m.PoliceNumber = "100001"
		var e *cunjing.Error
		if err := s.UpdateStaff(ctx, *m); cunjing.ErrorCode(err) != cunjing.EConflict || !errors.As(err, &e) || e.Fields["police_number"] == "" {
			t.Errorf("changing to a taken police number: %v; want a conflict on police_number", err)
		}
		// Civilians have no number, so many of them may be added.
		addStaff(t, s, cunjing.Staff{Name: "周干部", Kind: cunjing.StaffCadre, UnitCode: luyang},
			cunjing.Staff{Name: "郑干部", Kind: cunjing.StaffCadre, UnitCode: luyang})
	})
}

func TestStaffPhonesAreCheckedMaskedAndTheirReadAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		for _, phone := range []string{"1380000", "23800000000", "电话"} {
			m := officer("李明", "100001", luyang)
			m.Phone = phone
			var e *cunjing.Error
			err := s.CreateStaff(ctx, []cunjing.Staff{m})
			if cunjing.ErrorCode(err) != cunjing.EInvalid || !errors.As(err, &e) || e.Fields["phone"] == "" {
				t.Errorf("phone %q: %v; want invalid on phone", phone, err)
			}
		}
		m := officer("李明", "100001", luyang)
		m.Phone = "138 1234 5678"
		id := addStaff(t, s, m)[0]
		listed, _, err := s.FindStaff(ctx, cunjing.StaffFilter{Kind: cunjing.StaffOfficer, Unit: county, Query: "李"})
		if err != nil || len(listed) != 1 || listed[0].Phone != "138****5678" || listed[0].UnitName != "鲁阳派出所" {
			t.Fatalf("list = %+v, %v; want 李明 with a masked phone", listed, err)
		}
		got, err := s.StaffMember(chiefOf(), id)
		if err != nil || got.Phone != "13812345678" {
			t.Fatalf("detail = %+v, %v; want the full, normalised phone", got, err)
		}
		events, _, err := s.FindAudit(ctx, cunjing.AuditFilter{Action: cunjing.ActionReadPersonal, Object: "staff:", Page: cunjing.Page{Limit: 10}})
		if err != nil || len(events) != 1 || events[0].Actor != "chief" {
			t.Errorf("read_personal rows = %+v, %v; want the chief's one", events, err)
		}
	})
}

// pngOf returns a small PNG image.
func pngOf(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestStaffPhotosAreImagesOfBoundedSize(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		id := addStaff(t, s, officer("李明", "100001", luyang))[0]
		if _, err := s.StaffPhoto(ctx, id); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("no photo yet: %v; want not found", err)
		}
		big := append(pngOf(t), make([]byte, cunjing.MaxPhotoBytes)...)
		if err := s.SetStaffPhoto(ctx, id, cunjing.Photo{Data: big}); cunjing.ErrorCode(err) != cunjing.ETooLarge {
			t.Errorf("a photo over the limit: %v; want too large", err)
		}
		if err := s.SetStaffPhoto(ctx, id, cunjing.Photo{Data: []byte("%PDF-1.4 not an image")}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a PDF as photo: %v; want invalid", err)
		}
		img := pngOf(t)
		if err := s.SetStaffPhoto(ctx, id, cunjing.Photo{Data: img}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStaffPhoto(ctx, id, cunjing.Photo{Data: img}); err != nil {
			t.Fatal(err)
		}
		p, err := s.StaffPhoto(ctx, id)
		if err != nil || p.ContentType != "image/png" || !bytes.Equal(p.Data, img) {
			t.Fatalf("photo = %v, %v", p, err)
		}
		m, _ := s.StaffMember(ctx, id)
		if !m.HasPhoto {
			t.Error("the staff record does not say it has a photo")
		}
		if _, err := s.StaffPhoto(seeing("410423101"), id); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("the photo from another town: %v; want not found", err)
		}
	})
}

func TestGridsAndVenuesAreNumberedUnderTheirParent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		chief := chiefOf()
		var codes []string
		for _, name := range []string{"东关一网格", "东关二网格"} {
			a, err := s.CreateArea(chief, cunjing.NewArea{ParentCode: dongguan, Level: cunjing.LevelGrid, Name: name})
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, a.Code)
		}
		venue, err := s.CreateArea(chief, cunjing.NewArea{ParentCode: "410423100", Level: cunjing.LevelVenue, Name: "鲁山县人民医院",
			VenueType: cunjing.VenueHospital, Location: &cunjing.Point{Lng: 112.9, Lat: 33.74, Datum: "GCJ-02"}})
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, venue.Code)
		if strings.Join(codes, " ") != "410423100001-G01 410423100001-G02 410423100-S01" {
			t.Errorf("codes = %v", codes)
		}
		d, err := s.AreaDetail(chief, venue.Code)
		if err != nil || d.Level != cunjing.LevelVenue || d.VenueType != cunjing.VenueHospital || d.Location == nil {
			t.Errorf("venue = %+v, %v", d, err)
		}
		for name, n := range map[string]cunjing.NewArea{
			"a grid in a village":      {ParentCode: zhang1, Level: cunjing.LevelGrid, Name: "张庄网格"},
			"a venue without a type":   {ParentCode: zhang1, Level: cunjing.LevelVenue, Name: "张庄市场"},
			"a venue in a grid":        {ParentCode: codes[0], Level: cunjing.LevelVenue, Name: "超市", VenueType: cunjing.VenueMall},
			"a place outside China":    {ParentCode: zhang1, Level: cunjing.LevelVenue, Name: "市场", VenueType: cunjing.VenueMarket, Location: &cunjing.Point{Lng: 2, Lat: 48, Datum: "WGS-84"}},
			"a town, not a grid":       {ParentCode: "410423", Level: cunjing.LevelTown, Name: "新镇"},
			"a grid without a name":    {ParentCode: dongguan, Level: cunjing.LevelGrid},
			"a grid of a missing area": {ParentCode: "410423100299", Level: cunjing.LevelGrid, Name: "网格"},
		} {
			if _, err := s.CreateArea(chief, n); cunjing.ErrorCode(err) != cunjing.EInvalid && cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("%s: %v; want refused", name, err)
			}
		}
		li := addStaff(t, s, officer("李明", "100001", luyang))[0]
		if _, err := s.Assign(chief, cunjing.AssignRequest{StaffID: li, AreaCode: codes[0], Role: cunjing.PostCommunity, Start: date("2025-03-15")}); err != nil {
			t.Errorf("posting an officer to a new grid: %v", err)
		}
	})
}
