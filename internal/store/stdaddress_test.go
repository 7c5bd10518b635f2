package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// The villages of the basic-information tests: two of 鲁阳街道 and one of
// 下汤镇 (see loadStaffFixture).
const (
	biVillage  = "410423100201" // 张庄1村
	biVillage2 = "410423100202" // 张庄2村
	biVillage3 = "410423100203" // 张庄3村
	biOther    = "410423101201" // 下汤村, of another station
)

// biAs returns the context of a user of a role whose scope is prefixes.
func biAs(username string, role cunjing.Role, prefixes ...string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: role,
		Scope: cunjing.Scope{Prefixes: prefixes}})
}

// biOfficer is the officer of 张庄1村 and 张庄2村.
func biOfficer() context.Context { return biAs("wang", cunjing.RoleOfficer, biVillage, biVillage2) }

// biAddress creates an address as ctx and returns it.
func biAddress(t *testing.T, s *store.Store, ctx context.Context, area, street, number string) *cunjing.StdAddress {
	t.Helper()
	a := &cunjing.StdAddress{AreaCode: area, Street: street, HouseNumber: number}
	if err := s.CreateAddress(ctx, a); err != nil {
		t.Fatalf("create address %s%s in %s: %v", street, number, area, err)
	}
	return a
}

func TestAnAddressIsRegisteredOncePerArea(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		officer := biOfficer()
		a := &cunjing.StdAddress{AreaCode: biVillage, Street: "建设路", HouseNumber: "12", Building: "3", Entrance: "2", Room: "301",
			Location: &cunjing.Point{Lng: 112.9, Lat: 33.74, Datum: "GCJ-02"}}
		if err := s.CreateAddress(officer, a); err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.Text != "建设路12号3栋2单元301室" || a.Collection.State != cunjing.StateCollected || a.Collection.CollectedBy != "wang" {
			t.Errorf("created %+v; want an ID, the composed text, collected by wang", a)
		}
		got, err := s.Address(officer, a.ID)
		if err != nil || got.Text != a.Text || got.Location == nil || got.Location.Datum != "GCJ-02" || got.Room != "301" {
			t.Errorf("read back %+v, %v", got, err)
		}
		same := &cunjing.StdAddress{AreaCode: biVillage, Street: "建设路", HouseNumber: "十二号", Building: "3号楼", Entrance: "二单元", Room: "301房间"}
		err = s.CreateAddress(officer, same)
		if cunjing.ErrorCode(err) != cunjing.EConflict || !strings.Contains(cunjing.ErrorMessage(err), fmt.Sprintf("address %d", a.ID)) {
			t.Errorf("the same address spelt otherwise: %v; want a conflict naming address %d", err, a.ID)
		}
		elsewhere := &cunjing.StdAddress{AreaCode: biVillage2, Street: "建设路", HouseNumber: "12", Building: "3", Entrance: "2", Room: "301"}
		if err := s.CreateAddress(officer, elsewhere); err != nil {
			t.Errorf("the same text in another village: %v; want it registered", err)
		}
		if created := findAll(t, s, cunjing.AuditFilter{Actor: "wang", Action: cunjing.ActionRecordCreate}); len(created) != 2 {
			t.Errorf("audit rows of the creations = %d; want 2", len(created))
		}
	})
}

func TestAddressesOfAnotherVillageAreNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		theirs := biAddress(t, s, storetest.Ctx(), biVillage3, "幸福路", "8")
		mine := biAddress(t, s, biOfficer(), biVillage, "建设路", "1")
		officer := biOfficer()
		if _, err := s.Address(officer, theirs.ID); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("read another village's address: %v; want not found", err)
		}
		if _, err := s.Address(officer, 99999); cunjing.ErrorMessage(err) != fmt.Sprintf("address %d not found", 99999) {
			t.Errorf("a missing address reads %q", cunjing.ErrorMessage(err))
		}
		err := s.CreateAddress(officer, &cunjing.StdAddress{AreaCode: biVillage3, Street: "幸福路", HouseNumber: "9"})
		wantField(t, "create in another village", err, cunjing.ENotFound, "area_code")
		moved := *mine
		moved.AreaCode = biVillage3
		if err := s.UpdateAddress(officer, moved); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("move an address into another village: %v; want not found", err)
		}
		list, _, err := s.FindAddresses(officer, cunjing.AddressFilter{})
		if err != nil || len(list) != 1 || list[0].ID != mine.ID {
			t.Errorf("the officer lists %+v, %v; want his one address", list, err)
		}
		list, _, err = s.FindAddresses(officer, cunjing.AddressFilter{Under: biVillage3})
		if err != nil || len(list) != 0 {
			t.Errorf("the officer lists %+v, %v under another village; want nothing", list, err)
		}
	})
}

func TestAddressListsPageByAreaThenKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		ctx := storetest.Ctx()
		for _, n := range []string{"3", "1", "2"} {
			biAddress(t, s, ctx, biVillage2, "建设路", n)
			biAddress(t, s, ctx, biVillage, "建设路", n)
		}
		biAddress(t, s, ctx, biVillage, "幸福路", "1")
		var texts []string
		page := cunjing.Page{Limit: 2}
		for range 10 {
			list, next, err := s.FindAddresses(ctx, cunjing.AddressFilter{Under: "410423100", Street: "建设", Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range list {
				texts = append(texts, a.AreaCode[10:]+" "+a.Text)
			}
			if next == "" {
				break
			}
			page.Cursor = next
		}
		want := "01 建设路1号,01 建设路2号,01 建设路3号,02 建设路1号,02 建设路2号,02 建设路3号"
		if got := strings.Join(texts, ","); got != want {
			t.Errorf("pages = %s; want %s", got, want)
		}
	})
}

func TestAnAddressChangeIsKeptInItsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		a := biAddress(t, s, chiefOf(), biVillage, "建设路", "12")
		if a.Collection.State != cunjing.StateVerified {
			t.Errorf("the chief's own address is %s; want verified at once", a.Collection.State)
		}
		officer := biOfficer()
		b := *a
		b.HouseNumber, b.Room = "14", "101"
		if err := s.UpdateAddress(officer, b); err != nil {
			t.Fatal(err)
		}
		got, err := s.Address(officer, a.ID)
		if err != nil || got.Text != "建设路14号101室" || got.Collection.State != cunjing.StateCollected {
			t.Errorf("after the change %+v, %v; want 建设路14号101室 back to collected", got, err)
		}
		history, err := s.History(officer, cunjing.RecordAddress, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for _, c := range history {
			seen[c.Field] = c.Old + "→" + c.New
			if c.By != "wang" {
				t.Errorf("change by %q; want wang", c.By)
			}
		}
		if seen["house_number"] != "12→14" || seen["room"] != "→101" || seen["state"] != "verified→collected" {
			t.Errorf("history = %v; want house number, room and state", seen)
		}
		updates := findAll(t, s, cunjing.AuditFilter{Actor: "wang", Action: cunjing.ActionRecordUpdate})
		if len(updates) != 1 || updates[0].Object != fmt.Sprintf("address:%d", a.ID) || !strings.Contains(updates[0].Detail, "house_number") {
			t.Errorf("update audit rows = %+v", updates)
		}
		other := biAddress(t, s, officer, biVillage, "建设路", "16")
		clash := *other
		clash.HouseNumber, clash.Room = "14", "101"
		if err := s.UpdateAddress(officer, clash); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("renumber onto an existing address: %v; want a conflict", err)
		}
	})
}
