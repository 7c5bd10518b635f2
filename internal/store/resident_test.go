package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// biID returns a valid ID number of a person of 鲁山县 born on birth
// (YYYYMMDD) with sequence seq (odd: a man).
func biID(birth string, seq int) string {
	s := fmt.Sprintf("410423%s%03d", birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// biPerson is a resident of area to be created, with a mobile phone.
func biPerson(area, name, id string) *cunjing.Resident {
	return &cunjing.Resident{AreaCode: area, Name: name, IDNumber: id, Phone: "138 1234 5678"}
}

// biCreate creates a resident as ctx and returns him.
func biCreate(t *testing.T, s *store.Store, ctx context.Context, r *cunjing.Resident) *cunjing.Resident {
	t.Helper()
	if err := s.CreateResident(ctx, r); err != nil {
		t.Fatalf("create resident %s: %v", r.Name, err)
	}
	return r
}

func TestAResidentIsCheckedSealedAndReadBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		officer := biOfficer()
		id := biID("19800101", 11)
		r := biCreate(t, s, officer, &cunjing.Resident{AreaCode: biVillage, Name: "𠈌三", IDNumber: strings.ToLower(id),
			Phone: "+86 138-1234-5678", Category: cunjing.CategoryFloating, LeftBehind: cunjing.LeftBehindElderly})
		if r.ID == 0 || r.Sex != "M" || r.BirthDate.String() != "1980-01-01" || r.NativePlace != "410423" {
			t.Errorf("created %+v; want sex, birth date and native place from the ID number", r)
		}
		got, err := s.Resident(officer, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "𠈌三" || got.IDNumber != id || got.Phone != "13812345678" || got.Category != cunjing.CategoryFloating ||
			got.LeftBehind != cunjing.LeftBehindElderly || got.Collection.CollectedBy != "wang" || got.Collection.State != cunjing.StateCollected {
			t.Errorf("the officer reads %+v; want the record in full", got)
		}
		reads := findAll(t, s, cunjing.AuditFilter{Actor: "wang", Action: cunjing.ActionReadPersonal})
		if len(reads) != 1 || reads[0].Object != fmt.Sprintf("resident:%d", r.ID) {
			t.Errorf("reads of personal data = %+v; want the one of resident %d", reads, r.ID)
		}
		if created := findAll(t, s, cunjing.AuditFilter{Actor: "wang", Action: cunjing.ActionRecordCreate}); len(created) != 1 {
			t.Errorf("creation audit rows = %d; want 1", len(created))
		}
		bad := biPerson(biVillage, "李四", "530102192005080119")
		wantField(t, "wrong check digit", s.CreateResident(officer, bad), cunjing.EInvalid, "id_number")
	})
}

func TestALeaderReadsAResidentMaskedAndUnrecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		r := biCreate(t, s, biOfficer(), biPerson(biVillage, "张三", biID("19800101", 11)))
		got, err := s.Resident(leaderOf(), r.ID)
		if err != nil || got.IDNumber != cunjing.MaskIDNumber(r.IDNumber) || got.Phone != "138****5678" {
			t.Fatalf("the leader reads %+v, %v; want the ID number and phone masked", got, err)
		}
		if reads := findAll(t, s, cunjing.AuditFilter{Actor: "gao", Action: cunjing.ActionReadPersonal}); len(reads) != 0 {
			t.Errorf("the leader's masked read is recorded as a read of personal data: %+v", reads)
		}
		list, _, err := s.FindResidents(biOfficer(), cunjing.ResidentFilter{})
		if err != nil || len(list) != 1 || list[0].IDNumber != cunjing.MaskIDNumber(r.IDNumber) || list[0].Phone != "138****5678" {
			t.Errorf("the officer's list = %+v, %v; want it masked", list, err)
		}
	})
}

func TestNoIDNumberIsStoredInPlainText(t *testing.T) {
	s := storetest.SQLite(t)
	loadStaffFixture(t, s)
	id := biID("19800101", 11)
	r := biCreate(t, s, biOfficer(), biPerson(biVillage, "张三", id))
	if err := s.UpdateResident(biOfficer(), func() cunjing.Resident { c := *r; c.Phone = "13987654321"; return c }()); err != nil {
		t.Fatal(err)
	}
	path := storetest.DSN(t, s)
	for _, file := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(file)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, secret := range []string{id, "13812345678", "13987654321"} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s holds %s in plain text", file, secret)
			}
		}
	}
}

func TestTheSamePersonTwiceInScopeIsAConflictNamingTheRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		officer := biOfficer()
		id := biID("19800101", 11)
		first := biCreate(t, s, officer, biPerson(biVillage, "张三", id))
		err := s.CreateResident(officer, biPerson(biVillage2, "张三", id[:17]+strings.ToLower(id[17:])))
		wantField(t, "the same person again", err, cunjing.EConflict, "id_number")
		if !strings.Contains(cunjing.ErrorMessage(err), fmt.Sprintf("already registered as resident %d", first.ID)) {
			t.Errorf("message %q; want it to name resident %d", cunjing.ErrorMessage(err), first.ID)
		}
		if conflicts, _, _ := s.FindConflicts(officer, cunjing.Page{}); len(conflicts) != 0 {
			t.Errorf("a duplicate in scope is reported as a conflict: %+v", conflicts)
		}
	})
}

func TestAnOfficerCannotSeeOrWriteAnotherVillage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		officer := biOfficer()
		theirs := biCreate(t, s, storetest.Ctx(), biPerson(biVillage3, "赵六", biID("19700101", 13)))
		if _, err := s.Resident(officer, theirs.ID); cunjing.ErrorMessage(err) != fmt.Sprintf("resident %d not found", theirs.ID) {
			t.Errorf("another village's resident: %v; want exactly not found", err)
		}
		err := s.CreateResident(officer, biPerson(biVillage3, "钱七", biID("19700101", 15)))
		wantField(t, "create in another village", err, cunjing.ENotFound, "area_code")
		other := *theirs
		other.Name = "赵小六"
		if err := s.UpdateResident(officer, other); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("update another village's resident: %v; want not found", err)
		}
		if _, err := s.History(officer, cunjing.RecordResident, theirs.ID); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("history of another village's resident: %v; want not found", err)
		}
		list, _, err := s.FindResidents(officer, cunjing.ResidentFilter{})
		if err != nil || len(list) != 0 {
			t.Errorf("the officer lists %+v, %v; want nobody", list, err)
		}
		address := biAddress(t, s, storetest.Ctx(), biVillage3, "幸福路", "1")
		placed := biPerson(biVillage, "孙八", biID("19700101", 17))
		placed.AddressID = address.ID
		wantField(t, "an address of another village", s.CreateResident(officer, placed), cunjing.ENotFound, "address_id")
	})
}

func TestAResidentMovesOnlyWithinTheScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		officer := biOfficer()
		r := biCreate(t, s, officer, biPerson(biVillage, "张三", biID("19800101", 11)))
		moved := *r
		moved.AreaCode = biVillage3
		wantField(t, "move out of the scope", s.UpdateResident(officer, moved), cunjing.ENotFound, "area_code")
		moved.AreaCode = biVillage2
		if err := s.UpdateResident(officer, moved); err != nil {
			t.Fatalf("move within the scope: %v", err)
		}
		if got, err := s.Resident(officer, r.ID); err != nil || got.AreaCode != biVillage2 {
			t.Errorf("after the move %+v, %v; want him in %s", got, err, biVillage2)
		}
	})
}

func TestAResidentChangeIsKeptFieldByFieldWithPersonalDataMasked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		r := biCreate(t, s, chiefOf(), biPerson(biVillage, "张三", biID("19800101", 11)))
		if r.Collection.State != cunjing.StateVerified {
			t.Errorf("the chief's record is %s; want verified", r.Collection.State)
		}
		officer := biOfficer()
		changed := *r
		changed.IDNumber = biID("19800101", 31)
		changed.Phone = "13987654321"
		changed.Status = cunjing.ResidentMovedOut
		if err := s.UpdateResident(officer, changed); err != nil {
			t.Fatal(err)
		}
		history, err := s.History(officer, cunjing.RecordResident, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, c := range history {
			seen[c.Field] = c.Old + "→" + c.New
		}
		want := map[string]string{
			"id_number": cunjing.MaskIDNumber(r.IDNumber) + "→" + cunjing.MaskIDNumber(changed.IDNumber),
			"phone":     "138****5678→139****4321",
			"status":    "present→moved_out",
			"state":     "verified→collected",
		}
		for field, w := range want {
			if seen[field] != w {
				t.Errorf("history of %s = %q; want %q", field, seen[field], w)
			}
		}
		if len(seen) != len(want) {
			t.Errorf("history = %v; want only %v", seen, want)
		}
		for _, c := range history {
			if strings.Contains(c.Old+c.New, r.IDNumber) || strings.Contains(c.Old+c.New, "13987654321") {
				t.Errorf("the history keeps a personal value in full: %+v", c)
			}
		}
		updates := findAll(t, s, cunjing.AuditFilter{Actor: "wang", Action: cunjing.ActionRecordUpdate})
		if len(updates) != 1 || !strings.Contains(updates[0].Detail, "status") || strings.Contains(updates[0].Detail, "13987654321") {
			t.Errorf("update audit rows = %+v; want one naming the fields", updates)
		}
		got, err := s.Resident(officer, r.ID)
		if err != nil || got.IDNumber != changed.IDNumber || got.Phone != "13987654321" || got.Status != cunjing.ResidentMovedOut ||
			got.Collection.State != cunjing.StateCollected {
			t.Errorf("after the change %+v, %v", got, err)
		}
		if err := s.UpdateResident(officer, *got); err != nil {
			t.Fatal(err)
		}
		if again, _ := s.History(officer, cunjing.RecordResident, r.ID); len(again) != len(history) {
			t.Errorf("an update that changes nothing added history: %d entries, were %d", len(again), len(history))
		}
	})
}

func TestAHouseholdListsItsMembersMaskedTheHeadFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		officer := biOfficer()
		address := biAddress(t, s, officer, biVillage, "建设路", "12")
		h := &cunjing.Household{AreaCode: biVillage, AddressID: address.ID, Number: " 0012 "}
		if err := s.CreateHousehold(officer, h); err != nil {
			t.Fatal(err)
		}
		child := biPerson(biVillage, "张小三", biID("20100101", 12))
		child.HouseholdID, child.Relation = h.ID, cunjing.RelationChild
		biCreate(t, s, officer, child)
		head := biPerson(biVillage, "张三", biID("19800101", 11))
		head.HouseholdID, head.Relation = h.ID, cunjing.RelationHead
		biCreate(t, s, officer, head)
		if head.AddressID != address.ID {
			t.Errorf("a member placed in the household lives at address %d; want the household's %d", head.AddressID, address.ID)
		}
		got, err := s.Household(officer, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Number != "0012" || len(got.Members) != 2 || got.Members[0].Name != "张三" || got.Members[1].Name != "张小三" {
			t.Fatalf("household = %+v; want 0012 with 张三 first", got)
		}
		if m := got.Members[0]; m.IDNumber != cunjing.MaskIDNumber(head.IDNumber) || m.Phone != "138****5678" || m.AddressText != "建设路12号" {
			t.Errorf("member %+v; want masked, at 建设路12号", m)
		}
		stranger := biPerson(biVillage2, "李四", biID("19800101", 13))
		stranger.HouseholdID, stranger.Relation = h.ID, cunjing.RelationOther
		wantField(t, "a household of another village", s.CreateResident(officer, stranger), cunjing.EInvalid, "household_id")
		if _, err := s.Household(biAs("zhao", cunjing.RoleOfficer, biVillage3), h.ID); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("another village's officer reads the household: %v; want not found", err)
		}
		members, _, err := s.FindResidents(officer, cunjing.ResidentFilter{HouseholdID: h.ID})
		if err != nil || len(members) != 2 {
			t.Errorf("residents of the household: %+v, %v", members, err)
		}
		err = s.CreateHousehold(officer, &cunjing.Household{AreaCode: biVillage3})
		wantField(t, "a household in another village", err, cunjing.ENotFound, "area_code")
	})
}

func TestResidentListsFilterAndPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		officer := biOfficer()
		for i, area := range []string{biVillage, biVillage2, biVillage, biVillage} {
			r := biPerson(area, fmt.Sprintf("张%d", i), biID("19800101", 11+2*i))
			if i == 3 {
				r.Category = cunjing.CategoryFloating
			}
			biCreate(t, s, officer, r)
		}
		var names []string
		page := cunjing.Page{Limit: 2}
		for range 5 {
			list, next, err := s.FindResidents(officer, cunjing.ResidentFilter{Under: biVillage, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range list {
				names = append(names, r.Name)
			}
			if next == "" {
				break
			}
			page.Cursor = next
		}
		if !slices.Equal(names, []string{"张0", "张2", "张3"}) {
			t.Errorf("residents of %s = %v; want 张0 张2 张3", biVillage, names)
		}
		floating, _, err := s.FindResidents(officer, cunjing.ResidentFilter{Category: cunjing.CategoryFloating})
		if err != nil || len(floating) != 1 || floating[0].Name != "张3" {
			t.Errorf("floating = %+v, %v", floating, err)
		}
	})
}

func TestASurnameReadTwoWaysIsKeptUnderBothReadings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		r := biCreate(t, s, biOfficer(), biPerson(biVillage, "盖伟", biID("19800101", 11)))
		rows, err := storetest.Direct(t, s).Query("SELECT name_key FROM name_alt_keys WHERE resident_id = " + fmt.Sprint(r.ID) + " ORDER BY name_key")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var keys []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
		first := cunjing.NamePinyin("盖伟")[0]
		if len(keys) == 0 || slices.Contains(keys, first.Full) {
			t.Errorf("alternative keys %v; want the other reading than %s", keys, first.Full)
		}
		for _, k := range cunjing.NamePinyin("盖伟")[1:] {
			if !slices.Contains(keys, k.Full) || !slices.Contains(keys, k.Initials) {
				t.Errorf("alternative keys %v lack %+v", keys, k)
			}
		}
	})
}
