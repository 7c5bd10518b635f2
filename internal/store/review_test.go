package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// biReviewFixture has the officer collect an address and a resident, a
// minute apart, and returns them.
func biReviewFixture(t *testing.T, s *store.Store) (*cunjing.StdAddress, *cunjing.Resident) {
	t.Helper()
	loadStaffFixture(t, s)
	a := biAddress(t, s, biOfficer(), biVillage, "建设路", "12")
	s.SetClock(func() time.Time { return staffToday.Add(time.Minute) })
	r := biCreate(t, s, biOfficer(), biPerson(biVillage, "张三", biID("19800101", 11)))
	return a, r
}

func TestTheChiefReviewsWhatOfficersCollected(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a, r := biReviewFixture(t, s)
		chief := chiefOf()
		queue, _, err := s.FindReviews(chief, cunjing.ReviewFilter{})
		if err != nil || len(queue) != 2 {
			t.Fatalf("queue = %+v, %v; want the address and the resident", queue, err)
		}
		if queue[0].Kind != cunjing.RecordAddress || queue[0].Record != a.ID || queue[0].Summary != "建设路12号" ||
			queue[1].Kind != cunjing.RecordResident || queue[1].Summary != "张三 "+cunjing.MaskIDNumber(r.IDNumber) ||
			queue[1].CollectedBy != "wang" || queue[1].State != cunjing.StateCollected {
			t.Errorf("queue = %+v; want the address then the resident, masked", queue)
		}

		err = s.ReviewRecords(chief, []cunjing.Review{{Kind: cunjing.RecordAddress, Record: a.ID, Verify: true},
			{Kind: cunjing.RecordResident, Record: r.ID}})
		var item *cunjing.ItemError
		if !errors.As(err, &item) || item.Index != 1 || !hasField(item.Err, cunjing.EInvalid, "reason") {
			t.Errorf("a return without a reason: %v; want item 2 invalid naming the reason", err)
		}
		if got, _ := s.Address(chief, a.ID); got.Collection.State != cunjing.StateCollected {
			t.Errorf("a refused batch verified the address: %s", got.Collection.State)
		}
		if err := s.ReviewRecords(chief, []cunjing.Review{{Kind: cunjing.RecordAddress, Record: a.ID, Verify: true},
			{Kind: cunjing.RecordResident, Record: r.ID, Reason: "电话号码待核实"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Address(chief, a.ID); got.Collection.State != cunjing.StateVerified || got.Collection.ReviewedBy != "chief" {
			t.Errorf("address after review: %+v", got.Collection)
		}
		returned, _, err := s.FindReviews(biOfficer(), cunjing.ReviewFilter{State: cunjing.StateReturned})
		if err != nil || len(returned) != 1 || returned[0].Record != r.ID || returned[0].Reason != "电话号码待核实" {
			t.Errorf("returned records the officer sees = %+v, %v", returned, err)
		}
		history, err := s.History(biOfficer(), cunjing.RecordResident, r.ID)
		if err != nil || len(history) != 2 || history[0].By != "chief" {
			t.Errorf("history of the returned resident = %+v, %v; want state and reason by chief", history, err)
		}
		reviewsAudited := findAll(t, s, cunjing.AuditFilter{Actor: "chief", Action: cunjing.ActionRecordReview})
		if len(reviewsAudited) != 2 || reviewsAudited[0].Detail != "returned: 电话号码待核实" && reviewsAudited[1].Detail != "returned: 电话号码待核实" {
			t.Errorf("review audit rows = %+v", reviewsAudited)
		}
	})
}

func TestOnlyReviewersReviewAndOnlyInTheirScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a, _ := biReviewFixture(t, s)
		verify := []cunjing.Review{{Kind: cunjing.RecordAddress, Record: a.ID, Verify: true}}
		if err := s.ReviewRecords(biOfficer(), verify); cunjing.ErrorCode(err) != cunjing.EForbidden {
			t.Errorf("the officer reviews: %v; want forbidden", err)
		}
		other := biAs("xt", cunjing.RoleStationChief, "410423101")
		if err := s.ReviewRecords(other, verify); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("another station's chief reviews: %v; want not found", err)
		}
		if queue, _, err := s.FindReviews(other, cunjing.ReviewFilter{}); err != nil || len(queue) != 0 {
			t.Errorf("another station's queue = %+v, %v; want empty", queue, err)
		}
		if _, err := s.History(other, cunjing.RecordAddress, a.ID); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("another station reads the history: %v; want not found", err)
		}
		if got, _ := s.Address(chiefOf(), a.ID); got.Collection.State != cunjing.StateCollected {
			t.Errorf("the address is %s after refused reviews; want collected", got.Collection.State)
		}
	})
}

func TestTheReviewQueuePagesAcrossKinds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		biReviewFixture(t, s)
		biAddress(t, s, biOfficer(), biVillage, "建设路", "14") // at the resident's minute
		var seen []string
		page := cunjing.Page{Limit: 1}
		for range 5 {
			queue, next, err := s.FindReviews(chiefOf(), cunjing.ReviewFilter{Under: "410423100", Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range queue {
				seen = append(seen, fmt.Sprintf("%s %s", it.Kind, it.Summary[:3]))
			}
			if next == "" {
				break
			}
			page.Cursor = next
		}
		if fmt.Sprint(seen) != "[address 建 address 建 resident 张]" {
			t.Errorf("queue pages = %v; want the address, then the address and the resident of the next minute", seen)
		}
		onlyResidents, _, err := s.FindReviews(chiefOf(), cunjing.ReviewFilter{Kind: cunjing.RecordResident})
		if err != nil || len(onlyResidents) != 1 {
			t.Errorf("residents awaiting review = %+v, %v", onlyResidents, err)
		}
		if _, _, err := s.FindReviews(chiefOf(), cunjing.ReviewFilter{Under: "410423101"}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("the queue of a town outside the scope: %v; want not found", err)
		}
	})
}

func TestCompletenessCountsEachVillage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a, r := biReviewFixture(t, s)
		officer := biOfficer()
		biAddress(t, s, officer, biVillage2, "幸福路", "1")
		noPhone := biPerson(biVillage2, "李四", biID("19800101", 13))
		noPhone.Phone = ""
		biCreate(t, s, officer, noPhone)
		r.AddressID = a.ID
		if err := s.UpdateResident(officer, *r); err != nil {
			t.Fatal(err)
		}
		gone := biPerson(biVillage, "王五", biID("19800101", 15))
		gone.Status = cunjing.ResidentDeceased
		biCreate(t, s, officer, gone)
		db := storetest.Direct(t, s)
		if _, err := db.Exec(fmt.Sprintf(`INSERT INTO houses (area_code, address_id, house_use, collected_by, collected_at, state, updated_at)
			VALUES ('%s', %d, 'self', 'wang', '2025-03-15T02:00:00.000000Z', 'verified', '2025-03-15T02:00:00.000000Z')`, biVillage, a.ID)); err != nil {
			t.Fatal(err)
		}
		figures, err := s.Completeness(chiefOf(), "410423100")
		if err != nil {
			t.Fatal(err)
		}
		if len(figures) != 7 || figures[0].AreaCode != "410423100" || figures[0].AreaName != "鲁阳街道" || figures[1].AreaCode != "410423100001" {
			t.Fatalf("figures of %d areas, first %+v; want the town then its 6 villages", len(figures), figures[0])
		}
		byCode := map[string]cunjing.Completeness{}
		for _, f := range figures {
			byCode[f.AreaCode] = f
		}
		v1, v2, town := byCode[biVillage], byCode[biVillage2], figures[0]
		want1 := cunjing.Completeness{AreaCode: biVillage, AreaName: v1.AreaName, Addresses: 1, AddressesWithHouse: 1, Houses: 1,
			HousesWithResidents: 1, Residents: 1, ResidentsWithPhone: 1, ResidentsWithAddress: 1, Verified: 1, Collected: 3}
		if v1 != want1 {
			t.Errorf("张庄1村 = %+v; want %+v", v1, want1)
		}
		if v2.Addresses != 1 || v2.AddressesWithHouse != 0 || v2.Residents != 1 || v2.ResidentsWithPhone != 0 || v2.Collected != 2 {
			t.Errorf("张庄2村 = %+v", v2)
		}
		if town.Addresses != 2 || town.Residents != 2 || town.Houses != 1 || town.Collected != 5 || town.Verified != 1 {
			t.Errorf("鲁阳街道 = %+v; want the sum of its villages", town)
		}
		if _, err := s.Completeness(chiefOf(), "410423"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("the county from a station: %v; want not found", err)
		}
		county, err := s.Completeness(storetest.Ctx(), "410423")
		if err != nil || county[0].Residents != 2 || len(county) != 3 {
			t.Errorf("the county = %+v, %v; want its 2 towns and 2 present residents", county, err)
		}
	})
}
