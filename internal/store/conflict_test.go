package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

func TestAPersonOfAnotherJurisdictionIsReportedToBothSidesNeverMoved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		id := biID("19800101", 11)
		holderSide := biAs("zhao", cunjing.RoleOfficer, biOther)
		held := biCreate(t, s, holderSide, biPerson(biOther, "张三", id))

		claimant := biOfficer()
		err := s.CreateResident(claimant, biPerson(biVillage, "张三", id))
		wantField(t, "a person registered elsewhere", err, cunjing.EConflict, "id_number")
		if msg := cunjing.ErrorMessage(err); !strings.Contains(msg, "another jurisdiction") || !strings.Contains(msg, "both sides were notified") {
			t.Errorf("message %q; want it to say another jurisdiction and that both sides were notified", msg)
		}
		if list, _, _ := s.FindResidents(claimant, cunjing.ResidentFilter{}); len(list) != 0 {
			t.Errorf("the claimant's village holds %+v; want nobody added", list)
		}
		if got, err := s.Resident(holderSide, held.ID); err != nil || got.AreaCode != biOther {
			t.Errorf("the person is now %+v, %v; want him still in %s", got, err, biOther)
		}

		mine, _, err := s.FindConflicts(claimant, cunjing.Page{})
		if err != nil || len(mine) != 1 {
			t.Fatalf("the claimant's conflicts = %+v, %v; want one", mine, err)
		}
		c := mine[0]
		if c.ResidentID != held.ID || c.HeldIn != biOther || c.ClaimedIn != biVillage || c.ClaimedBy != "wang" ||
			c.Name != "张三" || c.IDMasked != cunjing.MaskIDNumber(id) || c.Resolved {
			t.Errorf("conflict = %+v", c)
		}
		theirs, _, err := s.FindConflicts(holderSide, cunjing.Page{})
		if err != nil || len(theirs) != 1 || theirs[0].ID != c.ID {
			t.Errorf("the holder's conflicts = %+v, %v; want the same one", theirs, err)
		}
		bystander := biAs("sun", cunjing.RoleOfficer, biVillage3)
		if none, _, err := s.FindConflicts(bystander, cunjing.Page{}); err != nil || len(none) != 0 {
			t.Errorf("a third village sees %+v, %v; want nothing", none, err)
		}
		if err := s.CreateResident(claimant, biPerson(biVillage, "张三", id)); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("the second claim: %v; want a conflict", err)
		}
		if again, _, _ := s.FindConflicts(claimant, cunjing.Page{}); len(again) != 1 {
			t.Errorf("a second claim from the same village made %d open conflicts; want still 1", len(again))
		}
		reports := findAll(t, s, cunjing.AuditFilter{Actor: "wang", Action: cunjing.ActionConflict})
		if len(reports) != 2 || reports[0].Object != fmt.Sprintf("resident:%d", held.ID) {
			t.Errorf("conflict audit rows = %+v; want two on resident %d", reports, held.ID)
		}

		if err := s.ResolveConflict(bystander, c.ID, "不相干"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("a third village resolves the conflict: %v; want not found", err)
		}
		wantField(t, "resolve without saying how", s.ResolveConflict(holderSide, c.ID, "  "), cunjing.EInvalid, "resolution")
		if err := s.ResolveConflict(holderSide, c.ID, "已迁出，由张庄1村登记"); err != nil {
			t.Fatal(err)
		}
		if open, _, _ := s.FindConflicts(claimant, cunjing.Page{}); len(open) != 0 {
			t.Errorf("open conflicts after the resolution = %+v; want none", open)
		}
		if err := s.ResolveConflict(claimant, c.ID, "again"); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("resolve twice: %v; want a conflict", err)
		}
		if resolved := findAll(t, s, cunjing.AuditFilter{Actor: "zhao", Action: cunjing.ActionConflict}); len(resolved) != 1 ||
			!strings.Contains(resolved[0].Detail, "resolved") {
			t.Errorf("resolution audit rows = %+v", resolved)
		}
	})
}

func TestAHouseholdWithAMemberRegisteredElsewhereIsNotWrittenButTheConflictIs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		elsewhere := biID("19800101", 11)
		biCreate(t, s, biAs("zhao", cunjing.RoleOfficer, biOther), biPerson(biOther, "张三", elsewhere))
		officer := biOfficer()
		address := biAddress(t, s, officer, biVillage, "建设路", "12")
		head := *biPerson(biVillage, "李四", biID("19750101", 13))
		head.Relation = cunjing.RelationHead
		moved := *biPerson(biVillage, "张三", elsewhere)
		moved.Relation = cunjing.RelationSibling
		h := &cunjing.Household{AreaCode: biVillage, AddressID: address.ID, Members: []cunjing.Resident{head, moved}}

		err := s.CreateHousehold(officer, h)
		var item *cunjing.ItemError
		if !errors.As(err, &item) || item.Index != 1 || cunjing.ErrorCode(item.Err) != cunjing.EConflict {
			t.Fatalf("CreateHousehold = %v; want member 2 refused as a conflict", err)
		}
		if list, _, _ := s.FindResidents(officer, cunjing.ResidentFilter{}); len(list) != 0 {
			t.Errorf("the village holds %+v after a refused household; want nobody", list)
		}
		if conflicts, _, _ := s.FindConflicts(officer, cunjing.Page{}); len(conflicts) != 1 {
			t.Errorf("conflicts = %+v; want the one claim recorded although the household was not", conflicts)
		}

		h = &cunjing.Household{AreaCode: biVillage, AddressID: address.ID, Members: []cunjing.Resident{head, head}}
		if err := s.CreateHousehold(officer, h); !errors.As(err, &item) || item.Index != 1 {
			t.Fatalf("the same person twice = %v; want member 2 refused", err)
		}
		h = &cunjing.Household{AreaCode: biVillage, AddressID: address.ID, Members: []cunjing.Resident{head}}
		if err := s.CreateHousehold(officer, h); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Household(officer, h.ID); err != nil || len(got.Members) != 1 || got.Members[0].AddressID != address.ID {
			t.Errorf("household = %+v, %v; want its one member at the address", got, err)
		}
	})
}
