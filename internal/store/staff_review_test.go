package store_test

import (
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// wantField fails unless err is an error of code naming field.
func wantField(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	var e *cunjing.Error
	if cunjing.ErrorCode(err) != code || !errors.As(err, &e) || e.Fields[field] == "" {
		t.Errorf("%s: %v; want %s naming %s", what, err, code, field)
	}
}

func TestStaffAreLinkedOnlyToAccountsInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		officerCtx(t, s, "zhao", cunjing.RoleOfficer, xiatang) // an officer of 下汤, outside the chief's scope
		officerCtx(t, s, "li", cunjing.RoleOfficer, luyang)
		chief := chiefOf()

		stranger := officer("钱进", "100004", luyang)
		stranger.Username = "zhao"
		wantField(t, "creating staff linked to 下汤's officer", s.CreateStaff(chief, []cunjing.Staff{stranger}), cunjing.EInvalid, "username")

		mine := officer("李明", "100001", luyang)
		id := addStaff(t, s, mine)[0]
		mine.ID, mine.Username = id, "zhao"
		wantField(t, "linking staff to 下汤's officer", s.UpdateStaff(chief, mine), cunjing.EInvalid, "username")
		_, err := s.ImportStaff(chief, cunjing.StaffImport{File: "人员.csv", Staff: []cunjing.Staff{stranger}})
		if failed := failedItems(t, err); !maps.Equal(failed, map[int]string{0: cunjing.EInvalid}) {
			t.Errorf("importing staff linked to 下汤's officer: %v; want row 0 invalid", failed)
		}

		mine.Username = "li"
		if err := s.UpdateStaff(chief, mine); err != nil {
			t.Errorf("linking staff to an officer of the station: %v", err)
		}
		// A link made from above stays when the chief changes something else.
		mine.Username = "zhao"
		if err := s.UpdateStaff(storetest.Ctx(), mine); err != nil {
			t.Fatal(err)
		}
		mine.Phone = "13900000000"
		if err := s.UpdateStaff(chief, mine); err != nil {
			t.Errorf("changing the phone of staff linked from above: %v", err)
		}
	})
}

func TestStaffWhoHoldPostsKeepTheirKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		m := officer("李明", "100001", luyang)
		m.ID = addStaff(t, s, m)[0]
		post := assign(t, s, cunjing.AssignRequest{StaffID: m.ID, AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-01-01")})

		aux := m
		aux.Kind = cunjing.StaffAuxiliary
		wantField(t, "an officer holding a post made an auxiliary", s.UpdateStaff(ctx, aux), cunjing.EConflict, "kind")
		if got, _ := s.StaffMember(ctx, m.ID); got == nil || got.Kind != cunjing.StaffOfficer {
			t.Errorf("after the refused change: %+v; want still an officer", got)
		}

		if err := s.EndAssignment(ctx, post.ID, date("2025-03-01")); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateStaff(ctx, aux); err != nil {
			t.Errorf("an officer without posts made an auxiliary: %v", err)
		}
	})
}

func TestPostsEndedByATransferAreInTheAuditTrail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		m := officer("李明", "100001", luyang)
		m.ID = addStaff(t, s, m)[0]
		assign(t, s, cunjing.AssignRequest{StaffID: m.ID, AreaCode: zhang1, Role: cunjing.PostResponsible, Start: date("2025-01-01")})
		dual, err := s.AddDualPost(ctx, cunjing.DualPost{StaffID: m.ID, AreaCode: zhang2, Post: cunjing.DualPartyMember, AppointedOn: date("2025-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		m.Status = cunjing.StaffTransferred
		if err := s.UpdateStaff(ctx, m); err != nil {
			t.Fatal(err)
		}

		ended, _, err := s.FindAudit(ctx, cunjing.AuditFilter{Action: cunjing.ActionAssignEnd})
		if err != nil {
			t.Fatal(err)
		}
		if len(ended) != 1 || ended[0].Object != zhang1 || !strings.Contains(ended[0].Detail, "to 2025-03-15") {
			t.Errorf("assign_end rows = %+v; want the end of the post in %s today", ended, zhang1)
		}
		duals, _, err := s.FindAudit(ctx, cunjing.AuditFilter{Action: cunjing.ActionDualPost, Object: zhang2})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(duals, func(e cunjing.AuditEvent) bool { return strings.Contains(e.Detail, "ended 2025-03-15") }) {
			t.Errorf("dual_post rows = %+v; want the end of dual post %d today", duals, dual)
		}
	})
}

func TestAnOpenDualPostOverlapsWhateverTheCollation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		wang, _, _, _ := loadDualPosts(t, s)
		if s.Engine() == "postgres" {
			// As on a database created with a linguistic default collation
			// (zh_CN.UTF-8, ICU), where "~" sorts before the digits.
			db := storetest.Direct(t, s)
			for _, column := range []string{"appointed_on", "ended_on"} {
				if _, err := db.Exec(`ALTER TABLE dual_posts ALTER COLUMN ` + column + ` TYPE TEXT COLLATE "und-x-icu"`); err != nil {
					t.Fatal(err)
				}
			}
		}
		addDual(t, s, dual(wang, "410423100201", cunjing.DualPartyMember, "2024-01-10"))
		_, err := s.AddDualPost(storetest.Ctx(), dual(wang, "410423100201", cunjing.DualPartyMember, "2024-06-01"))
		wantField(t, "the same post again while it is held", err, cunjing.EConflict, "post")
	})
}

func TestLocationsAndBoundariesAreChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		for name, p := range map[string]cunjing.Point{
			"no longitude": {Lng: math.NaN(), Lat: 33.7, Datum: "GCJ-02"},
			"no latitude":  {Lng: 112.9, Lat: math.NaN(), Datum: "GCJ-02"},
			"infinity":     {Lng: math.Inf(1), Lat: 33.7, Datum: "GCJ-02"},
		} {
			_, err := s.CreateArea(ctx, cunjing.NewArea{ParentCode: "410423100", Level: cunjing.LevelVenue, Name: "医院",
				VenueType: cunjing.VenueHospital, Location: &p})
			wantField(t, "a venue at "+name, err, cunjing.EInvalid, "location")
			err = s.UpdateOffice(ctx, fixtureWorkstation, cunjing.OfficeUpdate{Location: &p})
			wantField(t, "an office at "+name, err, cunjing.EInvalid, "location")
		}
		_, err := s.CreateArea(ctx, cunjing.NewArea{ParentCode: dongguan, Level: cunjing.LevelGrid, Name: "一网格", Boundary: "{not json"})
		wantField(t, "a grid with a broken boundary", err, cunjing.EInvalid, "boundary")
	})
}

func TestImportsKeepAreaPostsInStep(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		leaving := officer("李明", "100001", luyang)
		leaving.ID = addStaff(t, s, leaving)[0]
		assign(t, s, cunjing.AssignRequest{StaffID: leaving.ID, AreaCode: zhang2, Role: cunjing.PostResponsible, Start: date("2025-01-01")})
		leaving.Status = cunjing.StaffTransferred
		_, err := s.ImportStaff(chiefOf(), cunjing.StaffImport{File: "人员.xlsx",
			Staff: []cunjing.Staff{officer("王新", "100002", luyang), leaving},
			Posts: []cunjing.ImportPost{importPost("100002", zhang1, cunjing.PostResponsible, "2025-03-01", false)}})
		if err != nil {
			t.Fatal(err)
		}
		db := storetest.Direct(t, s)
		kept := postsByArea(t, db, "SELECT area_code, posts FROM area_posts")
		actual := postsByArea(t, db, "SELECT area_code, role || ':' || CAST(staff_id AS TEXT) FROM assignments WHERE end_date = ''")
		if !maps.EqualFunc(kept, actual, slices.Equal) || len(actual) != 1 || len(actual[zhang1]) != 1 {
			t.Errorf("area_posts %v\nassignments in force %v; want 王新's post in %s only", kept, actual, zhang1)
		}
	})
}
