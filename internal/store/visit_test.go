package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// logVisit logs a visit as ctx and returns it as saved.
func logVisit(t *testing.T, s *store.Store, ctx context.Context, v cunjing.Visit) cunjing.Visit {
	t.Helper()
	if v.Content == "" {
		v.Content = "走访"
	}
	if v.Kind == "" {
		v.Kind = cunjing.VisitHousehold
	}
	if err := s.CreateVisit(ctx, &v); err != nil {
		t.Fatalf("create visit: %v", err)
	}
	return v
}

func TestAVisitIsLoggedByTheCallerInItsTargetsArea(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		org := worldOrg(t, s, w.officer, worldVillage, "")
		v := logVisit(t, s, w.officer, cunjing.Visit{Date: date("2026-03-14"), Target: cunjing.TargetResident, TargetID: w.li,
			Officer: "wang", AreaCode: worldOther, Problems: "邻里纠纷", Location: &cunjing.Point{Lng: 112.9, Lat: 33.74, Datum: "GCJ-02"}})
		if v.Officer != "li" || v.AreaCode != worldVillage || v.TargetName != "李四" || v.Problems != "邻里纠纷" {
			t.Errorf("visit = %+v; want logged by li in 张庄1村 at 李四, whatever the request said", v)
		}
		if l := v.Location; l == nil || l.Lng != 112.9 || l.Lat != 33.74 || l.Datum != "GCJ-02" {
			t.Errorf("location = %+v; want 112.9, 33.74 on GCJ-02", l)
		}
		for _, c := range []struct {
			target cunjing.VisitTarget
			id     int64
			area   string
			name   string
		}{
			{cunjing.TargetHousehold, w.household, "", "张三"},
			{cunjing.TargetOrg, org, "", "顺发超市"},
			{cunjing.TargetArea, 0, worldVillage, "张庄1村民委员会"},
		} {
			got := logVisit(t, s, w.officer, cunjing.Visit{Date: date("2026-03-15"), Target: c.target, TargetID: c.id, AreaCode: c.area})
			if got.TargetName != c.name || got.AreaCode != worldVillage {
				t.Errorf("a visit to %s %d is named %q in %s; want %q in 张庄1村", c.target, c.id, got.TargetName, got.AreaCode, c.name)
			}
		}
		if read, err := s.Visit(w.chief, v.ID); err != nil || read.TargetName != "李四" || read.Officer != "li" {
			t.Errorf("the chief reads %+v, %v; want li's visit to 李四", read, err)
		}
		if rows := auditOf(t, s, cunjing.ActionVisit, fmt.Sprintf("visit:%d", v.ID)); len(rows) != 1 || rows[0].Actor != "li" {
			t.Errorf("audit of the visit = %+v; want one row by li", rows)
		}
		future := cunjing.Visit{Date: date("2026-03-16"), Kind: cunjing.VisitOther, Target: cunjing.TargetArea, AreaCode: worldVillage, Content: "x"}
		if err := s.CreateVisit(w.officer, &future); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a visit tomorrow: %v; want invalid", err)
		}
	})
}

func TestAVisitToATargetOutsideTheScopeIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		org := worldOrg(t, s, w.other, worldOther, "")
		for _, c := range []struct {
			name    string
			v       cunjing.Visit
			message string
		}{
			{"a resident of another village", cunjing.Visit{Target: cunjing.TargetResident, TargetID: w.wang}, fmt.Sprintf("resident %d not found", w.wang)},
			{"a missing resident", cunjing.Visit{Target: cunjing.TargetResident, TargetID: 999999}, "resident 999999 not found"},
			{"an org of another village", cunjing.Visit{Target: cunjing.TargetOrg, TargetID: org}, fmt.Sprintf("org %d not found", org)},
			{"another village", cunjing.Visit{Target: cunjing.TargetArea, AreaCode: worldOther}, "area " + worldOther + " not found"},
			{"a missing village", cunjing.Visit{Target: cunjing.TargetArea, AreaCode: "410423100299"}, "area 410423100299 not found"},
		} {
			c.v.Date, c.v.Kind, c.v.Content = date("2026-03-14"), cunjing.VisitHousehold, "走访"
			wantNotFound(t, c.name, s.CreateVisit(w.officer, &c.v), c.message)
		}
		household := logVisit(t, s, w.officer, cunjing.Visit{Date: date("2026-03-14"), Target: cunjing.TargetHousehold, TargetID: w.household})
		wantNotFound(t, "li's household to wang", s.CreateVisit(w.other, &cunjing.Visit{Date: date("2026-03-14"), Kind: cunjing.VisitHousehold,
			Target: cunjing.TargetHousehold, TargetID: w.household, Content: "走访"}), fmt.Sprintf("household %d not found", w.household))
		_, err := s.Visit(w.other, household.ID)
		wantNotFound(t, "li's visit read by wang", err, fmt.Sprintf("visit %d not found", household.ID))
		if list, _, err := s.FindVisits(w.other, cunjing.LedgerFilter{}); err != nil || len(list) != 0 {
			t.Errorf("wang's ledger = %+v, %v; want empty", list, err)
		}
	})
}

func TestTheLedgerOfAMonthRunsFromItsFirstToItsLastDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		area := func(day string, kind cunjing.VisitKind) cunjing.Visit {
			return cunjing.Visit{Date: date(day), Kind: kind, Target: cunjing.TargetArea, AreaCode: worldVillage}
		}
		before := logVisit(t, s, w.officer, area("2026-02-28", cunjing.VisitSafety))
		last := logVisit(t, s, w.officer, area("2026-03-15", cunjing.VisitDispute))
		first := logVisit(t, s, w.officer, area("2026-03-01", cunjing.VisitSafety))
		chiefs := logVisit(t, s, w.chief, area("2026-03-10", cunjing.VisitSafety))
		logVisit(t, s, w.other, cunjing.Visit{Date: date("2026-03-05"), Target: cunjing.TargetArea, AreaCode: worldOther})
		s.SetClock(func() time.Time { return worldToday.AddDate(0, 1, 0) })
		end := logVisit(t, s, w.officer, area("2026-03-31", cunjing.VisitPublicity))
		after := logVisit(t, s, w.officer, area("2026-04-01", cunjing.VisitSafety))

		march := cunjing.LedgerFilter{Under: worldVillage, Month: "2026-03"}
		if ids := ledgerIDs(t, s, w.chief, march, 2); !slices.Equal(ids, []int64{first.ID, chiefs.ID, last.ID, end.ID}) {
			t.Errorf("March in 张庄1村 = %v; want %v (1st, 10th, 15th, 31st; not %d of 28 Feb nor %d of 1 Apr)", ids,
				[]int64{first.ID, chiefs.ID, last.ID, end.ID}, before.ID, after.ID)
		}
		mine := cunjing.LedgerFilter{Officer: "LI", Month: "2026-03"}
		if ids := ledgerIDs(t, s, w.chief, mine, 10); !slices.Equal(ids, []int64{first.ID, last.ID, end.ID}) {
			t.Errorf("li's March = %v; want %v", ids, []int64{first.ID, last.ID, end.ID})
		}
		counts, err := s.LedgerCounts(w.chief, march)
		if err != nil {
			t.Fatal(err)
		}
		want := map[cunjing.VisitKind]int{cunjing.VisitSafety: 2, cunjing.VisitDispute: 1, cunjing.VisitPublicity: 1}
		if len(counts) != len(cunjing.VisitKinds) {
			t.Fatalf("counts = %+v; want one per kind", counts)
		}
		for _, c := range counts {
			if c.Count != want[c.Kind] {
				t.Errorf("%s visits in March = %d; want %d", c.Kind, c.Count, want[c.Kind])
			}
		}
		safety := march
		safety.Kind = cunjing.VisitSafety
		if ids := ledgerIDs(t, s, w.chief, safety, 10); !slices.Equal(ids, []int64{first.ID, chiefs.ID}) {
			t.Errorf("March's safety inspections = %v; want %v", ids, []int64{first.ID, chiefs.ID})
		}
		if _, _, err := s.FindVisits(w.chief, cunjing.LedgerFilter{Month: "2026-3"}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("month 2026-3: %v; want invalid", err)
		}
	})
}

// ledgerIDs walks a ledger page by page of limit visits and returns the
// IDs in order.
func ledgerIDs(t *testing.T, s *store.Store, ctx context.Context, f cunjing.LedgerFilter, limit int) []int64 {
	t.Helper()
	var ids []int64
	f.Page = cunjing.Page{Limit: limit}
	for {
		visits, next, err := s.FindVisits(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range visits {
			ids = append(ids, v.ID)
		}
		if next == "" {
			return ids
		}
		f.Page.Cursor = next
	}
}

func TestLedgerCountsOfACountyKeepToTheScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		for range 3 {
			logVisit(t, s, w.officer, cunjing.Visit{Date: date("2026-03-02"), Target: cunjing.TargetArea, AreaCode: worldVillage})
		}
		logVisit(t, s, w.other, cunjing.Visit{Date: date("2026-03-02"), Target: cunjing.TargetArea, AreaCode: worldOther})
		county := cunjing.LedgerFilter{Under: "410423", Month: "2026-03"}
		for _, c := range []struct {
			who  string
			ctx  context.Context
			want int
		}{{"the system", storetest.Ctx(), 4}, {"the chief", w.chief, 4}, {"li", w.officer, 3}, {"wang", w.other, 1}} {
			counts, err := s.LedgerCounts(c.ctx, county)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, n := range counts {
				total += n.Count
			}
			if total != c.want {
				t.Errorf("%s counts %d visits in the county; want %d", c.who, total, c.want)
			}
		}
	})
}

func TestOnlyTheOfficerWhoLoggedAVisitAddsItsPhotos(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		v := logVisit(t, s, w.officer, cunjing.Visit{Date: date("2026-03-14"), Target: cunjing.TargetResident, TargetID: w.li})
		photo := pngOf(t)
		if err := s.AddVisitPhoto(w.officer, v.ID, cunjing.Photo{Data: photo, Caption: "门口"}); err != nil {
			t.Fatalf("add photo: %v", err)
		}
		if err := s.AddVisitPhoto(w.chief, v.ID, cunjing.Photo{Data: photo}); cunjing.ErrorCode(err) != cunjing.EForbidden {
			t.Errorf("the chief adding to li's visit: %v; want forbidden", err)
		}
		wantNotFound(t, "wang adding to li's visit", s.AddVisitPhoto(w.other, v.ID, cunjing.Photo{Data: photo}), fmt.Sprintf("visit %d not found", v.ID))
		if err := s.AddVisitPhoto(w.officer, v.ID, cunjing.Photo{Data: []byte("GIF89a not an image")}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a file that is no photo: %v; want invalid", err)
		}
		photos, err := s.VisitPhotos(w.chief, v.ID)
		if err != nil || len(photos) != 1 || photos[0].Caption != "门口" || photos[0].Data != nil {
			t.Fatalf("photos = %+v, %v; want one, listed without its data", photos, err)
		}
		got, err := s.VisitPhoto(w.chief, v.ID, photos[0].ID)
		if err != nil || !slices.Equal(got.Data, photo) || got.ContentType != "image/png" {
			t.Errorf("photo = %+v, %v; want the PNG sent", got, err)
		}
		other := logVisit(t, s, w.officer, cunjing.Visit{Date: date("2026-03-14"), Target: cunjing.TargetArea, AreaCode: worldVillage})
		_, err = s.VisitPhoto(w.officer, other.ID, photos[0].ID)
		wantNotFound(t, "the photo under another visit", err, fmt.Sprintf("photo %d not found", photos[0].ID))
		_, err = s.VisitPhoto(w.other, v.ID, photos[0].ID)
		wantNotFound(t, "the photo read by wang", err, fmt.Sprintf("visit %d not found", v.ID))
		if read, _ := s.Visit(w.officer, v.ID); read.Photos != 1 {
			t.Errorf("the visit counts %d photos; want 1", read.Photos)
		}
		for range cunjing.MaxVisitPhotos - 1 {
			if err := s.AddVisitPhoto(w.officer, v.ID, cunjing.Photo{Data: photo}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddVisitPhoto(w.officer, v.ID, cunjing.Photo{Data: photo}); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("photo %d: %v; want a conflict", cunjing.MaxVisitPhotos+1, err)
		}
	})
}
