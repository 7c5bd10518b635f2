package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// worldToday is the day the house, org and visit tests run on.
var worldToday = time.Date(2026, 3, 15, 10, 0, 0, 0, cunjing.Shanghai)

// The villages of the house, org and visit tests, both under 鲁阳街道.
const (
	worldVillage = "410423100201" // 张庄1村: officer li's village
	worldOther   = "410423100202" // 张庄2村: officer wang's village
)

// world is the basic information the house, org and visit tests start
// from: in 张庄1村 two addresses, the household of 张三 (its head) at the
// first and 李四; in 张庄2村 one address and 王五.
type world struct {
	home, shop, far  int64 // addresses
	zhang, li, wang  int64 // residents
	household        int64 // 张三's household, at home
	officer, other   context.Context
	chief, registrar context.Context
}

// loadWorld loads the area fixture and the world, written by the system,
// and fixes the store's clock on worldToday.
func loadWorld(t *testing.T, s *store.Store) world {
	t.Helper()
	loadFixture(t, s)
	s.SetClock(func() time.Time { return worldToday })
	sys := storetest.Ctx()
	w := world{officer: villageOfficer("li", worldVillage), other: villageOfficer("wang", worldOther),
		chief: cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "zhao", Role: cunjing.RoleStationChief,
			Scope: cunjing.Scope{Prefixes: []string{"410423100"}}}), registrar: sys}
	w.home = worldAddress(t, s, worldVillage, "12")
	w.shop = worldAddress(t, s, worldVillage, "30")
	w.far = worldAddress(t, s, worldOther, "5")
	h := cunjing.Household{AreaCode: worldVillage, AddressID: w.home, Number: "001"}
	if err := s.CreateHousehold(sys, &h); err != nil {
		t.Fatalf("create household: %v", err)
	}
	w.household = h.ID
	w.zhang = worldResident(t, s, cunjing.Resident{AreaCode: worldVillage, HouseholdID: h.ID, Relation: cunjing.RelationHead,
		IDNumber: worldIDNumber(1), Name: "张三"})
	w.li = worldResident(t, s, cunjing.Resident{AreaCode: worldVillage, IDNumber: worldIDNumber(2), Name: "李四"})
	w.wang = worldResident(t, s, cunjing.Resident{AreaCode: worldOther, AddressID: w.far, IDNumber: worldIDNumber(3), Name: "王五"})
	return w
}

// villageOfficer is the context of an officer whose scope is one village.
func villageOfficer(username, village string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: cunjing.RoleOfficer,
		Scope: cunjing.Scope{Prefixes: []string{village}}})
}

func worldAddress(t *testing.T, s *store.Store, area, number string) int64 {
	t.Helper()
	a := cunjing.StdAddress{AreaCode: area, Street: "张庄一组", HouseNumber: number}
	if err := s.CreateAddress(storetest.Ctx(), &a); err != nil {
		t.Fatalf("create address: %v", err)
	}
	return a.ID
}

func worldResident(t *testing.T, s *store.Store, r cunjing.Resident) int64 {
	t.Helper()
	if err := s.CreateResident(storetest.Ctx(), &r); err != nil {
		t.Fatalf("create resident %s: %v", r.Name, err)
	}
	return r.ID
}

// worldIDNumber is a valid ID number of 鲁山县, born 1 January 1980, with
// the sequence number seq.
func worldIDNumber(seq int) string {
	body := fmt.Sprintf("41042319800101%03d", seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// wantNotFound fails unless err is the not-found error of a missing record:
// the same code and message shape as for an ID that never existed.
func wantNotFound(t *testing.T, what string, err error, message string) {
	t.Helper()
	if cunjing.ErrorCode(err) != cunjing.ENotFound || cunjing.ErrorMessage(err) != message {
		t.Errorf("%s: %v (%s); want not found: %q", what, err, cunjing.ErrorMessage(err), message)
	}
}

func TestCreateHouseTakesItsAddresssAreaAndNamesTheOwner(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		h := cunjing.House{AreaCode: worldOther, AddressID: w.home, OwnerResident: w.zhang, Use: cunjing.HouseSelf, FloorArea: 120}
		if err := s.CreateHouse(w.officer, &h); err != nil {
			t.Fatalf("create house: %v", err)
		}
		got, err := s.House(w.officer, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AreaCode != worldVillage || got.AddressText != "张庄一组12号" || got.OwnerName != "张三" || got.FloorArea != 120 {
			t.Errorf("house = %+v; want in 张庄1村 at 张庄一组12号, owned by 张三, 120 m²", got)
		}
		if c := got.Collection; c.CollectedBy != "li" || c.State != cunjing.StateCollected || !c.CollectedAt.Equal(worldToday) {
			t.Errorf("collection = %+v; want collected by li today, awaiting review", c)
		}
		if rows := auditOf(t, s, cunjing.ActionRecordCreate, fmt.Sprintf("house:%d", h.ID)); len(rows) != 1 || rows[0].Actor != "li" {
			t.Errorf("audit of the creation = %+v; want one row by li", rows)
		}
		shop := cunjing.House{AddressID: w.shop, Use: cunjing.HouseCommercial}
		if err := s.CreateHouse(w.officer, &shop); err != nil {
			t.Fatal(err)
		}
		list, _, err := s.FindHouses(w.officer, cunjing.HouseFilter{Use: cunjing.HouseCommercial})
		if err != nil || len(list) != 1 || list[0].ID != shop.ID {
			t.Errorf("commercial houses = %+v, %v; want the shop only", list, err)
		}
	})
}

func TestHousesOutsideTheScopeReadAsMissing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		far := cunjing.House{AddressID: w.far, OwnerResident: w.wang, Use: cunjing.HouseSelf}
		if err := s.CreateHouse(w.registrar, &far); err != nil {
			t.Fatal(err)
		}
		_, err := s.House(w.officer, far.ID)
		wantNotFound(t, "another village's house", err, fmt.Sprintf("house %d not found", far.ID))
		_, err = s.Rentals(w.officer, far.ID)
		wantNotFound(t, "its rentals", err, fmt.Sprintf("house %d not found", far.ID))
		far.Note = "改"
		wantNotFound(t, "updating it", s.UpdateHouse(w.officer, far), fmt.Sprintf("house %d not found", far.ID))
		if list, _, err := s.FindHouses(w.officer, cunjing.HouseFilter{}); err != nil || len(list) != 0 {
			t.Errorf("li's houses = %+v, %v; want none", list, err)
		}
		for _, c := range []struct {
			name  string
			h     cunjing.House
			field string
		}{
			{"an address of another village", cunjing.House{AddressID: w.far, Use: cunjing.HouseSelf}, "address_id"},
			{"a missing address", cunjing.House{AddressID: 999999, Use: cunjing.HouseSelf}, "address_id"},
			{"an owner of another village", cunjing.House{AddressID: w.home, OwnerResident: w.wang, Use: cunjing.HouseSelf}, "owner_resident"},
			{"an org of another village", cunjing.House{AddressID: w.home, OwnerOrg: worldOrg(t, s, w.registrar, worldOther, ""), Use: cunjing.HouseSelf}, "owner_org"},
		} {
			err := s.CreateHouse(w.officer, &c.h)
			if e, ok := err.(*cunjing.Error); !ok || e.Code != cunjing.ENotFound || e.Fields[c.field] == "" {
				t.Errorf("%s: %v; want not found naming %s", c.name, err, c.field)
			}
		}
		if list, _, _ := s.FindHouses(storetest.Ctx(), cunjing.HouseFilter{}); len(list) != 1 {
			t.Errorf("houses after the refusals = %d; want only the first", len(list))
		}
	})
}

func TestUpdateHouseKeepsTheHistoryAndSendsItBackToReview(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		h := cunjing.House{AddressID: w.home, OwnerResident: w.zhang, Use: cunjing.HouseSelf, FloorArea: 120}
		if err := s.CreateHouse(w.chief, &h); err != nil {
			t.Fatal(err)
		}
		if h.Collection.State != cunjing.StateVerified {
			t.Fatalf("a house the chief records is %s; want verified", h.Collection.State)
		}
		h.Use, h.FloorArea, h.OwnerResident = cunjing.HouseVacant, 80.5, w.li
		if err := s.UpdateHouse(w.officer, h); err != nil {
			t.Fatalf("update: %v", err)
		}
		got, _ := s.House(w.officer, h.ID)
		if got.Use != cunjing.HouseVacant || got.FloorArea != 80.5 || got.OwnerName != "李四" || got.Collection.State != cunjing.StateCollected {
			t.Errorf("after the update %+v; want vacant, 80.5 m², owned by 李四, back to collected", got)
		}
		changes := worldHistory(t, s, cunjing.RecordHouse, h.ID)
		for _, want := range []string{"use self→vacant by li", "floor_area 120→80.5 by li", "owner 张三→李四 by li", "state verified→collected by li"} {
			if !strings.Contains(changes, want) {
				t.Errorf("history %s lacks %q", changes, want)
			}
		}
		if rows := auditOf(t, s, cunjing.ActionRecordUpdate, fmt.Sprintf("house:%d", h.ID)); len(rows) != 1 {
			t.Errorf("audit of the update = %+v; want one row", rows)
		}
	})
}

// worldHistory is the history of a record as "field old→new by who" lines.
func worldHistory(t *testing.T, s *store.Store, kind cunjing.RecordKind, id int64) string {
	t.Helper()
	changes, err := s.History(storetest.Ctx(), kind, id)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, c := range changes {
		lines = append(lines, c.Field+" "+c.Old+"→"+c.New+" by "+c.By)
	}
	return strings.Join(lines, "; ")
}

func TestARentalMakesTheHouseRentedAndEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		h := cunjing.House{AddressID: w.home, OwnerResident: w.zhang, Use: cunjing.HouseSelf}
		if err := s.CreateHouse(w.officer, &h); err != nil {
			t.Fatal(err)
		}
		first := cunjing.Rental{HouseID: h.ID, TenantID: w.li, Start: date("2026-01-01")}
		if err := s.AddRental(w.officer, &first); err != nil {
			t.Fatalf("add rental: %v", err)
		}
		if got, _ := s.House(w.officer, h.ID); got.Use != cunjing.HouseRented {
			t.Errorf("a self-occupied house with a tenant is %s; want rented", got.Use)
		}
		if history := worldHistory(t, s, cunjing.RecordHouse, h.ID); !strings.Contains(history, "use self→rented by li") {
			t.Errorf("history %q lacks the change of use", history)
		}
		again := cunjing.Rental{HouseID: h.ID, TenantID: w.li, Start: date("2026-02-01")}
		if err := s.AddRental(w.officer, &again); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("the same tenant twice: %v; want a conflict", err)
		}
		for _, tenant := range []int64{w.wang, 999999} {
			r := cunjing.Rental{HouseID: h.ID, TenantID: tenant, Start: date("2026-02-01")}
			err := s.AddRental(w.officer, &r)
			if e, ok := err.(*cunjing.Error); !ok || e.Code != cunjing.ENotFound || e.Fields["tenant_id"] == "" ||
				e.Message != fmt.Sprintf("resident %d not found", tenant) {
				t.Errorf("tenant %d outside the scope or missing: %v; want not found naming tenant_id", tenant, err)
			}
		}
		second := cunjing.Rental{HouseID: h.ID, TenantID: w.zhang, Start: date("2026-03-01")}
		if err := s.AddRental(w.officer, &second); err != nil {
			t.Fatal(err)
		}
		if err := s.EndRental(w.officer, first.ID, date("2025-12-31")); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("ending before the start: %v; want invalid", err)
		}
		if err := s.EndRental(w.officer, first.ID, date("2026-03-10")); err != nil {
			t.Fatalf("end rental: %v", err)
		}
		if err := s.EndRental(w.officer, first.ID, date("2026-03-11")); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("ending twice: %v; want a conflict", err)
		}
		wantNotFound(t, "ending it from another village", s.EndRental(w.other, second.ID, date("2026-03-11")),
			fmt.Sprintf("rental %d not found", second.ID))
		rentals, err := s.Rentals(w.officer, h.ID)
		if err != nil || len(rentals) != 2 {
			t.Fatalf("rentals = %+v, %v; want two", rentals, err)
		}
		if r := rentals[0]; r.ID != second.ID || r.TenantName != "张三" || !r.End.IsZero() {
			t.Errorf("first listed %+v; want 张三's running tenancy", r)
		}
		if r := rentals[1]; r.ID != first.ID || r.TenantName != "李四" || r.End.String() != "2026-03-10" {
			t.Errorf("second listed %+v; want 李四's, ended 2026-03-10", r)
		}
		if rows := auditOf(t, s, cunjing.ActionRecordUpdate, fmt.Sprintf("house:%d", h.ID)); len(rows) != 3 {
			t.Errorf("audit rows of the house's tenancies = %d; want 3 (two added, one ended)", len(rows))
		}
	})
}

func TestATenantMakesACommercialHouseMixed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		h := cunjing.House{AddressID: w.shop, Use: cunjing.HouseCommercial}
		if err := s.CreateHouse(w.officer, &h); err != nil {
			t.Fatal(err)
		}
		if err := s.AddRental(w.officer, &cunjing.Rental{HouseID: h.ID, TenantID: w.li, Start: date("2026-03-01")}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.House(w.officer, h.ID); got.Use != cunjing.HouseMixed {
			t.Errorf("a shop with a tenant is %s; want mixed", got.Use)
		}
		far := cunjing.House{AddressID: w.far, Use: cunjing.HouseVacant}
		if err := s.CreateHouse(w.registrar, &far); err != nil {
			t.Fatal(err)
		}
		wantNotFound(t, "a tenant in another village's house", s.AddRental(w.officer, &cunjing.Rental{HouseID: far.ID, TenantID: w.li,
			Start: date("2026-03-01")}), fmt.Sprintf("house %d not found", far.ID))
	})
}
