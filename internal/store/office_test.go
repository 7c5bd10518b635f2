package store_test

import (
	"bytes"
	"slices"
	"strconv"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// The offices of the fixture: a work station serving two villages and a
// community office, both under 鲁阳派出所; and an office in 汝州市.
const (
	fixtureWorkstation = "410423510101"
	fixtureOffice      = "410423510102"
	ruzhouOffice       = "410482510101"
)

// loadRuzhou loads the fixture tree and units and a second county,
// 汝州市, with a station and a village office of its own.
func loadRuzhou(t *testing.T, s *store.Store) {
	t.Helper()
	loadUnits(t, s)
	ctx := storetest.Ctx()
	ruzhou := []cunjing.Area{
		{Code: "410482", Name: "汝州市", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
		{Code: "410482001", Name: "煤山街道", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410482"},
		{Code: "410482001201", Name: "保安村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410482001"},
	}
	if _, err := s.ImportAreas(ctx, slices.Values(ruzhou)); err != nil {
		t.Fatalf("import 汝州市: %v", err)
	}
	units := []cunjing.Unit{
		{Code: "410482000000", Name: "汝州市公安局", Kind: cunjing.UnitBureau, ParentCode: "410400000000", Jurisdiction: []string{"410482"}},
		{Code: "410482510100", Name: "煤山派出所", Kind: cunjing.UnitStation, ParentCode: "410482000000", Jurisdiction: []string{"410482001"}},
		{Code: ruzhouOffice, Name: "保安村警务室", Kind: cunjing.UnitOffice, ParentCode: "410482510100", Jurisdiction: []string{"410482001201"}},
	}
	if err := s.CreateUnits(ctx, units); err != nil {
		t.Fatalf("create 汝州市 units: %v", err)
	}
}

// threeItems is a standard of known points: 30 + 20 + 50.
var threeItems = []cunjing.StandardItem{{Code: "sign", Name: "标牌", Points: 30}, {Code: "room", Name: "用房", Points: 20},
	{Code: "gear", Name: "装备", Points: 50}}

func TestOfficeScoreCountsTheMetItemsInForce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		ctx := storetest.Ctx()
		seeded, err := s.StandardItems(ctx)
		if err != nil || len(seeded) != 7 {
			t.Fatalf("seeded standard = %d items, %v; want 7", len(seeded), err)
		}
		if err := s.SaveStandardItems(ctx, threeItems); err != nil {
			t.Fatal(err)
		}
		err = s.CheckOffice(ctx, fixtureWorkstation, []cunjing.OfficeCheck{{Item: "sign", Met: true}, {Item: "room", Met: false, Note: "租用民房"},
			{Item: "gear", Met: true}})
		if err != nil {
			t.Fatal(err)
		}
		p := office(t, s, fixtureWorkstation)
		if p.Score != 80 || p.MaxScore != 100 || p.Percent() != 80 || len(p.Items) != 3 {
			t.Fatalf("score %d/%d (%d%%) over %d items; want 80/100 over 3", p.Score, p.MaxScore, p.Percent(), len(p.Items))
		}
		if c := p.Checks["room"]; c.Met || c.Note != "租用民房" || c.CheckedBy != "system" || c.CheckedAt.IsZero() {
			t.Errorf("check of room = %+v", c)
		}
		// Dropping an item stops it scoring but keeps its check.
		if err := s.SaveStandardItems(ctx, threeItems[:2]); err != nil {
			t.Fatal(err)
		}
		p = office(t, s, fixtureWorkstation)
		if p.Score != 30 || p.MaxScore != 50 || len(p.Items) != 2 || !p.Checks["gear"].Met {
			t.Fatalf("after dropping gear: %d/%d, %d items, checks %v", p.Score, p.MaxScore, len(p.Items), p.Checks)
		}
		if err := s.CheckOffice(ctx, fixtureWorkstation, []cunjing.OfficeCheck{{Item: "gear", Met: true}}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a check of a dropped item: %v; want invalid", err)
		}
		if err := s.SaveStandardItems(ctx, threeItems); err != nil {
			t.Fatal(err)
		}
		if p = office(t, s, fixtureWorkstation); p.Score != 80 {
			t.Errorf("gear back in force: score %d; want 80 again", p.Score)
		}
	})
}

func TestBadStandardsAndChecksAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		ctx := storetest.Ctx()
		for name, items := range map[string][]cunjing.StandardItem{
			"none":      nil,
			"twice":     {threeItems[0], threeItems[0]},
			"no points": {{Code: "sign", Name: "标牌"}},
			"bad code":  {{Code: "Sign!", Name: "标牌", Points: 5}},
		} {
			if err := s.SaveStandardItems(ctx, items); cunjing.ErrorCode(err) != cunjing.EInvalid {
				t.Errorf("standard %s: %v; want invalid", name, err)
			}
		}
		if items, _ := s.StandardItems(ctx); len(items) != 7 {
			t.Errorf("after refused saves the standard has %d items; want the 7 seeded", len(items))
		}
		for name, checks := range map[string][]cunjing.OfficeCheck{
			"none":    nil,
			"unknown": {{Item: "moat", Met: true}},
			"twice":   {{Item: "signage", Met: true}, {Item: "signage", Met: false}},
		} {
			if err := s.CheckOffice(ctx, fixtureOffice, checks); cunjing.ErrorCode(err) != cunjing.EInvalid {
				t.Errorf("checks %s: %v; want invalid", name, err)
			}
		}
		if err := s.CheckOffice(ctx, "410423510100", []cunjing.OfficeCheck{{Item: "signage", Met: true}}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("checking a police station: %v; want not found, it is not an office", err)
		}
	})
}

func TestOfficeScoresListTheLowestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadRuzhou(t, s)
		ctx := storetest.Ctx()
		if err := s.SaveStandardItems(ctx, threeItems); err != nil {
			t.Fatal(err)
		}
		check(t, s, fixtureWorkstation, "sign", "room", "gear")
		check(t, s, fixtureOffice, "sign")
		all, err := s.OfficeScores(ctx, "410423", 100)
		if err != nil {
			t.Fatal(err)
		}
		if got := scoreLine(all); !slices.Equal(got, []string{fixtureOffice + ":30", fixtureWorkstation + ":100"}) {
			t.Errorf("offices of 鲁山县 = %v; want the office (30%%) before the work station (100%%), none of 汝州市", got)
		}
		low, err := s.OfficeScores(ctx, "4104", cunjing.OfficePassPercent)
		if err != nil {
			t.Fatal(err)
		}
		if got := scoreLine(low); !slices.Equal(got, []string{ruzhouOffice + ":0", fixtureOffice + ":30"}) {
			t.Errorf("offices of the city below %d%% = %v", cunjing.OfficePassPercent, got)
		}
		if low[0].Checked != 0 || low[1].Checked != 1 {
			t.Errorf("items checked = %d, %d; want 0, 1", low[0].Checked, low[1].Checked)
		}
		village, err := s.OfficeScores(ctx, "410423100202", 100)
		if err != nil || len(village) != 1 || village[0].Unit.Code != fixtureWorkstation {
			t.Errorf("offices serving 张庄2村 = %v, %v; want the work station", village, err)
		}
	})
}

func TestOfficeProfileAndUpdates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		ctx := storetest.Ctx()
		addStaff(t, s,
			cunjing.Staff{Name: "李辅", Kind: cunjing.StaffAuxiliary, UnitCode: fixtureWorkstation},
			cunjing.Staff{Name: "王警", Kind: cunjing.StaffOfficer, UnitCode: fixtureWorkstation, PoliceNumber: "100001", Phone: "13812345678"},
			cunjing.Staff{Name: "赵退", Kind: cunjing.StaffOfficer, UnitCode: fixtureWorkstation, PoliceNumber: "100002", Status: cunjing.StaffRetired},
			cunjing.Staff{Name: "钱室", Kind: cunjing.StaffOfficer, UnitCode: fixtureOffice, PoliceNumber: "100003"})
		feature := "  枫桥式调解室  "
		err := s.UpdateOffice(ctx, fixtureWorkstation, cunjing.OfficeUpdate{Location: &cunjing.Point{Lng: 112.9, Lat: 33.74, Datum: "GCJ-02"}, Feature: &feature})
		if err != nil {
			t.Fatal(err)
		}
		p := office(t, s, fixtureWorkstation)
		if p.StationName != "鲁阳派出所" || p.Feature != "枫桥式调解室" || p.Location == nil || p.Location.Lat != 33.74 || p.Location.Datum != "GCJ-02" {
			t.Errorf("profile = station %q, feature %q, location %+v", p.StationName, p.Feature, p.Location)
		}
		if len(p.Villages) != 2 || p.Villages[0].Name != "张庄1村民委员会" {
			t.Errorf("villages served = %+v", p.Villages)
		}
		if len(p.Staff) != 2 || p.Staff[0].Name != "王警" || p.Staff[0].Phone != "138****5678" || p.Staff[1].Name != "李辅" {
			t.Errorf("staff = %+v; want the officer (phone masked) before the auxiliary, not the retired one nor the other office's", p.Staff)
		}
		if p.MaxScore != 100 || p.Score != 0 {
			t.Errorf("unchecked office scores %d/%d; want 0/100 on the seeded standard", p.Score, p.MaxScore)
		}
		if events := auditOf(t, s, cunjing.ActionOfficeUpdate, fixtureWorkstation); len(events) != 1 || events[0].Detail != "location, feature" {
			t.Errorf("audit of the update = %+v", events)
		}
		long := string(bytes.Repeat([]byte("长"), 501))
		if err := s.UpdateOffice(ctx, fixtureWorkstation, cunjing.OfficeUpdate{Feature: &long}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a 501-character feature: %v; want invalid", err)
		}
		if err := s.UpdateOffice(ctx, fixtureWorkstation, cunjing.OfficeUpdate{Location: &cunjing.Point{Lng: 2.35, Lat: 48.85, Datum: "WGS-84"}}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a location in Paris: %v; want invalid", err)
		}
	})
}

func TestOfficePhotosAreBounded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadUnits(t, s)
		ctx := storetest.Ctx()
		img := pngOf(t)
		var first int64
		for i := range cunjing.MaxOfficePhotos {
			id, err := s.AddOfficePhoto(ctx, fixtureOffice, cunjing.Photo{Data: img, Caption: "外景"})
			if err != nil {
				t.Fatalf("photo %d: %v", i+1, err)
			}
			if i == 0 {
				first = id
			}
		}
		if _, err := s.AddOfficePhoto(ctx, fixtureOffice, cunjing.Photo{Data: img}); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("photo %d: %v; want conflict", cunjing.MaxOfficePhotos+1, err)
		}
		if _, err := s.AddOfficePhoto(ctx, fixtureOffice, cunjing.Photo{Data: []byte("not an image")}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a text file as a photo: %v; want invalid", err)
		}
		p := office(t, s, fixtureOffice)
		if len(p.Photos) != cunjing.MaxOfficePhotos || p.Photos[0].Data != nil || p.Photos[0].Caption != "外景" || p.Photos[0].ContentType != "image/png" {
			t.Errorf("photos in the profile = %d, first %+v", len(p.Photos), p.Photos[0])
		}
		photo, err := s.OfficePhoto(ctx, fixtureOffice, first)
		if err != nil || !bytes.Equal(photo.Data, img) {
			t.Fatalf("photo read back: %v", err)
		}
		if _, err := s.OfficePhoto(ctx, fixtureWorkstation, first); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("the photo through another office: %v; want not found", err)
		}
	})
}

func TestOfficesOfAnotherCountyAreNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadRuzhou(t, s)
		lushan := seeing("410423")
		if _, err := s.Office(lushan, ruzhouOffice); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("汝州 office seen from 鲁山: %v; want not found", err)
		}
		if err := s.CheckOffice(lushan, ruzhouOffice, []cunjing.OfficeCheck{{Item: "signage", Met: true}}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("checking the 汝州 office from 鲁山: %v; want not found", err)
		}
		feature := "x"
		if err := s.UpdateOffice(lushan, ruzhouOffice, cunjing.OfficeUpdate{Feature: &feature}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("updating the 汝州 office from 鲁山: %v; want not found", err)
		}
		if _, err := s.AddOfficePhoto(lushan, ruzhouOffice, cunjing.Photo{Data: pngOf(t)}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("a photo of the 汝州 office from 鲁山: %v; want not found", err)
		}
		if _, err := s.OfficeScores(lushan, "410482", 100); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("scores under 汝州 from 鲁山: %v; want not found", err)
		}
		if _, err := s.Office(lushan, fixtureOffice); err != nil {
			t.Errorf("an office of 鲁山 from 鲁山: %v", err)
		}
		if _, err := s.Office(seeing("410482"), ruzhouOffice); err != nil {
			t.Errorf("the 汝州 office from 汝州: %v", err)
		}
	})
}

// office reads the profile of an office as the system.
func office(t *testing.T, s *store.Store, code string) *cunjing.OfficeProfile {
	t.Helper()
	p, err := s.Office(storetest.Ctx(), code)
	if err != nil {
		t.Fatalf("office %s: %v", code, err)
	}
	return p
}

// check records the items met at an office, leaving the others unchecked.
func check(t *testing.T, s *store.Store, code string, met ...string) {
	t.Helper()
	checks := make([]cunjing.OfficeCheck, len(met))
	for i, item := range met {
		checks[i] = cunjing.OfficeCheck{Item: item, Met: true}
	}
	if err := s.CheckOffice(storetest.Ctx(), code, checks); err != nil {
		t.Fatalf("check %s: %v", code, err)
	}
}

// scoreLine is "code:percent" of each line of a list of scores.
func scoreLine(scores []cunjing.OfficeScore) []string {
	var out []string
	for _, o := range scores {
		out = append(out, o.Unit.Code+":"+strconv.Itoa(o.Percent()))
	}
	return out
}

// auditOf lists the audit rows of an action on an object.
func auditOf(t *testing.T, s *store.Store, action, object string) []cunjing.AuditEvent {
	t.Helper()
	events, _, err := s.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: action, Object: object})
	if err != nil {
		t.Fatal(err)
	}
	return events
}
