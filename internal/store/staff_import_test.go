package store_test

import (
	"errors"
	"maps"
	"slices"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// importPost is a post of an import naming its officer by police number.
func importPost(number, area string, role cunjing.PostRole, start string, replace bool) cunjing.ImportPost {
	return cunjing.ImportPost{PoliceNumber: number,
		AssignRequest: cunjing.AssignRequest{AreaCode: area, Role: role, Start: date(start), Replace: replace}}
}

// failedItems returns the index → code of the items an import refused.
func failedItems(t *testing.T, err error) map[int]string {
	t.Helper()
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	failed := map[int]string{}
	for _, e := range errs {
		var item *cunjing.ItemError
		if !errors.As(e, &item) {
			t.Fatalf("err = %v; want item errors", err)
		}
		failed[item.Index] = cunjing.ErrorCode(item)
	}
	return failed
}

func staffCount(t *testing.T, s *store.Store) int {
	t.Helper()
	staff, _, err := s.FindStaff(storetest.Ctx(), cunjing.StaffFilter{Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		t.Fatal(err)
	}
	return len(staff)
}

func TestImportStaffWritesStaffThenTheirPostsAndAuditsTheFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		known := addStaff(t, s, officer("李明", "100001", luyang))[0]
		in := cunjing.StaffImport{File: "人员.xlsx",
			Staff: []cunjing.Staff{officer("王新", "100002", luyang)},
			Posts: []cunjing.ImportPost{
				importPost("100002", zhang1, cunjing.PostResponsible, "2025-03-01", false),
				{AssignRequest: cunjing.AssignRequest{StaffID: known, AreaCode: zhang2, Role: cunjing.PostResponsible, Start: date("2025-03-02")}},
			}}
		res, err := s.ImportStaff(chiefOf(), in)
		if err != nil {
			t.Fatal(err)
		}
		if res != (cunjing.StaffImportResult{StaffAdded: 1, PostsAdded: 2}) {
			t.Errorf("result = %+v", res)
		}
		if got := holders(t, s, zhang1, cunjing.PostResponsible, date("2025-03-10")); !slices.Equal(got, []string{"王新"}) {
			t.Errorf("responsible for %s = %v; want the new officer", zhang1, got)
		}
		trail, _, err := s.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionImportStaff})
		if err != nil || len(trail) != 1 || trail[0].Object != "人员.xlsx" || trail[0].Actor != "chief" {
			t.Errorf("import audit = %+v, %v", trail, err)
		}

		in.Staff[0].ID = idOf(t, s, "100002")
		in.Staff[0].Phone = "138****0000"
		again, err := s.ImportStaff(chiefOf(), in)
		if err != nil || again != (cunjing.StaffImportResult{StaffUnchanged: 1, PostsUnchanged: 2}) {
			t.Errorf("the same import again = %+v, %v; want all unchanged", again, err)
		}
		if m, _ := s.StaffMember(storetest.Ctx(), in.Staff[0].ID); m.Phone != "13800000000" {
			t.Errorf("phone after a masked import = %s; want the stored number kept", m.Phone)
		}
	})
}

// idOf returns the ID of the member with the police number.
func idOf(t *testing.T, s *store.Store, number string) int64 {
	t.Helper()
	found, _, err := s.FindStaff(storetest.Ctx(), cunjing.StaffFilter{Query: number})
	if err != nil || len(found) != 1 {
		t.Fatalf("staff %s: %v, %v", number, found, err)
	}
	return found[0].ID
}

func TestImportStaffReportsEveryBadReferenceAndWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		addStaff(t, s, officer("赵刚", "100009", xiatang))
		before := staffCount(t, s)
		in := cunjing.StaffImport{File: "bad.xlsx",
			Staff: []cunjing.Staff{
				officer("王新", "100002", luyang),
				officer("下汤的人", "100003", xiatang),
				officer("重号", "100009", luyang),
			},
			Posts: []cunjing.ImportPost{
				importPost("100002", xiatangV, cunjing.PostResponsible, "2025-03-01", false),
				importPost("100009", zhang1, cunjing.PostResponsible, "2025-03-01", false),
				importPost("100002", "410423100", cunjing.PostResponsible, "2025-03-01", false),
				importPost("100002", zhang2, cunjing.PostCadre, "2025-03-01", false),
			}}
		_, err := s.ImportStaff(chiefOf(), in)
		want := map[int]string{1: cunjing.ENotFound, 2: cunjing.EConflict, 3: cunjing.ENotFound, 5: cunjing.EInvalid, 6: cunjing.EInvalid}
		if got := failedItems(t, err); !maps.Equal(got, want) {
			t.Errorf("failed items = %v; want %v", got, want)
		}
		if after := staffCount(t, s); after != before {
			t.Errorf("staff %d → %d; want nothing written", before, after)
		}
	})
}

func TestImportStaffUndoesTheStaffWhenAPostFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		before := staffCount(t, s)
		_, err := s.ImportStaff(chiefOf(), cunjing.StaffImport{File: "x.csv",
			Staff: []cunjing.Staff{officer("王新", "100002", luyang), officer("李强", "100003", luyang)},
			Posts: []cunjing.ImportPost{
				importPost("100002", zhang1, cunjing.PostResponsible, "2025-03-05", true),
				importPost("100003", zhang1, cunjing.PostResponsible, "2025-03-01", true),
			}})
		if got := failedItems(t, err); len(got) != 1 || got[3] != cunjing.EInvalid {
			t.Errorf("failed items = %v; want the second post refused", got)
		}
		if after := staffCount(t, s); after != before {
			t.Errorf("staff %d → %d; want the new staff undone", before, after)
		}
	})
}
