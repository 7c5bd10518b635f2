package store_test

import (
	"maps"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// dualToday is the day the dual post tests run on.
var dualToday = time.Date(2025, 3, 15, 10, 0, 0, 0, cunjing.Shanghai)

// loadDualPosts loads two counties with the clock on dualToday and returns
// the IDs of an officer, an auxiliary and an officer on leave of the 鲁山
// work station, and of an officer of the 汝州 office.
func loadDualPosts(t *testing.T, s *store.Store) (wang, li, sun, zhou int64) {
	t.Helper()
	loadRuzhou(t, s)
	s.SetClock(func() time.Time { return dualToday })
	onLeave := officer("孙假", "200003", fixtureWorkstation)
	onLeave.Status = cunjing.StaffOnLeave
	ids := addStaff(t, s, officer("王警", "200001", fixtureWorkstation),
		cunjing.Staff{Name: "李辅", Kind: cunjing.StaffAuxiliary, UnitCode: fixtureWorkstation},
		onLeave, officer("周汝", "200004", ruzhouOffice))
	return ids[0], ids[1], ids[2], ids[3]
}

// dual is a dual post appointed on a day, held.
func dual(staff int64, area string, post cunjing.DualPostKind, appointed string) cunjing.DualPost {
	return cunjing.DualPost{StaffID: staff, AreaCode: area, Post: post, AppointedOn: date(appointed), DocumentNo: "鲁组〔2024〕3号"}
}

func addDual(t *testing.T, s *store.Store, p cunjing.DualPost) int64 {
	t.Helper()
	id, err := s.AddDualPost(storetest.Ctx(), p)
	if err != nil {
		t.Fatalf("add dual post %+v: %v", p, err)
	}
	return id
}

func TestDualPostsAreForActiveOfficersInVillages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		wang, li, sun, zhou := loadDualPosts(t, s)
		ctx := storetest.Ctx()
		ended := dual(wang, "410423100201", cunjing.DualPartyMember, "2024-01-10")
		ended.EndedOn = date("2024-01-09")
		future := dual(wang, "410423100201", cunjing.DualPartyMember, "2024-01-10")
		future.EndedOn = date("2025-03-16")
		for name, c := range map[string]struct {
			p           cunjing.DualPost
			code, field string
		}{
			"an auxiliary":            {dual(li, "410423100201", cunjing.DualPartyMember, "2024-01-10"), cunjing.EInvalid, "staff_id"},
			"an officer on leave":     {dual(sun, "410423100201", cunjing.DualPartyMember, "2024-01-10"), cunjing.EInvalid, "staff_id"},
			"a town":                  {dual(wang, "410423100", cunjing.DualPartyMember, "2024-01-10"), cunjing.EInvalid, "area_code"},
			"an unknown post":         {dual(wang, "410423100201", "mayor", "2024-01-10"), cunjing.EInvalid, "post"},
			"an end before the start": {ended, cunjing.EInvalid, "ended_on"},
			"an end in the future":    {future, cunjing.EInvalid, "ended_on"},
			"an unknown village":      {dual(wang, "410423100299", cunjing.DualPartyMember, "2024-01-10"), cunjing.ENotFound, ""},
		} {
			_, err := s.AddDualPost(ctx, c.p)
			if cunjing.ErrorCode(err) != c.code || c.field != "" && !hasField(err, c.code, c.field) {
				t.Errorf("%s: %v; want %s naming %q", name, err, c.code, c.field)
			}
		}
		first := addDual(t, s, dual(wang, "410423100201", cunjing.DualPartySecretary, "2024-01-10"))
		again := dual(wang, "410423100201", cunjing.DualPartySecretary, "2025-01-01")
		if _, err := s.AddDualPost(ctx, again); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("the same post held twice at once: %v; want conflict", err)
		}
		overlapping := dual(wang, "410423100201", cunjing.DualPartySecretary, "2023-01-01")
		overlapping.EndedOn = date("2024-02-01")
		if _, err := s.AddDualPost(ctx, overlapping); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("an earlier term overlapping the one held: %v; want conflict", err)
		}
		earlier := dual(wang, "410423100201", cunjing.DualPartySecretary, "2022-01-01")
		earlier.EndedOn = date("2024-01-10")
		addDual(t, s, earlier)
		addDual(t, s, dual(wang, "410423100201", cunjing.DualCommitteeDeputy, "2024-05-01"))
		addDual(t, s, dual(wang, "410423100202", cunjing.DualPartySecretary, "2024-05-01"))
		if events := auditOf(t, s, cunjing.ActionDualPost, "410423100201"); len(events) != 3 {
			t.Errorf("audit rows of dual posts in 张庄1村 = %d; want 3", len(events))
		}
		lushan := seeing("410423")
		if _, err := s.AddDualPost(lushan, dual(zhou, "410423100203", cunjing.DualPartyMember, "2024-01-10")); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("a 汝州 officer posted from 鲁山: %v; want not found", err)
		}
		if _, err := s.AddDualPost(lushan, dual(wang, "410482001201", cunjing.DualPartyMember, "2024-01-10")); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("a 汝州 village from 鲁山: %v; want not found", err)
		}
		if err := s.EndDualPost(seeing("410482"), first, date("2025-03-01")); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("ending a 鲁山 post from 汝州: %v; want not found", err)
		}
		for end, field := range map[string]string{"2024-01-09": "ended_on", "2025-03-16": "ended_on"} {
			if err := s.EndDualPost(ctx, first, date(end)); !hasField(err, cunjing.EInvalid, field) {
				t.Errorf("ending on %s: %v; want invalid", end, err)
			}
		}
		if err := s.EndDualPost(lushan, first, date("2025-03-01")); err != nil {
			t.Fatal(err)
		}
		if err := s.EndDualPost(ctx, first, date("2025-03-01")); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Errorf("ending twice: %v; want conflict", err)
		}
	})
}

func TestDualPostListHeldFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		wang, _, _, zhou := loadDualPosts(t, s)
		ctx := storetest.Ctx()
		old := addDual(t, s, dual(wang, "410423100201", cunjing.DualPartySecretary, "2024-01-10"))
		if err := s.EndDualPost(ctx, old, date("2025-01-01")); err != nil {
			t.Fatal(err)
		}
		held := addDual(t, s, dual(wang, "410423100202", cunjing.DualPartyMember, "2023-06-01"))
		addDual(t, s, dual(zhou, "410482001201", cunjing.DualPartyMember, "2023-06-01"))
		posts, err := s.DualPosts(ctx, "410423", 0)
		if err != nil || len(posts) != 2 {
			t.Fatalf("dual posts of 鲁山 = %+v, %v", posts, err)
		}
		if posts[0].ID != held || posts[1].ID != old || posts[0].StaffName != "王警" || posts[0].AreaName != "张庄2村民委员会" ||
			posts[1].EndedOn != date("2025-01-01") || posts[0].DocumentNo != "鲁组〔2024〕3号" {
			t.Errorf("dual posts of 鲁山 = %+v; want the held one first, with names", posts)
		}
		mine, err := s.DualPosts(ctx, "", zhou)
		if err != nil || len(mine) != 1 || mine[0].AreaCode != "410482001201" {
			t.Errorf("dual posts of 周汝 = %+v, %v", mine, err)
		}
		seen, err := s.DualPosts(seeing("410482"), "", 0)
		if err != nil || len(seen) != 1 {
			t.Errorf("dual posts seen from 汝州 = %+v, %v; want its own only", seen, err)
		}
		if _, err := s.DualPosts(seeing("410482"), "410423", 0); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("dual posts of 鲁山 from 汝州: %v; want not found", err)
		}
	})
}

func TestDualPostTallyCountsVillagesHeldToday(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		wang, _, _, _ := loadDualPosts(t, s)
		ctx := storetest.Ctx()
		two := addStaff(t, s, officer("吴警", "200005", fixtureOffice))[0]
		addDual(t, s, dual(wang, "410423100201", cunjing.DualPartySecretary, "2024-01-10"))
		addDual(t, s, dual(wang, "410423100201", cunjing.DualCommitteeDeputy, "2024-01-10")) // the same village again
		addDual(t, s, dual(two, "410423100001", cunjing.DualPartyMember, "2025-03-15"))      // from today
		ended := addDual(t, s, dual(wang, "410423100202", cunjing.DualPartyMember, "2024-01-10"))
		if err := s.EndDualPost(ctx, ended, date("2025-03-15")); err != nil { // ended today: no longer held
			t.Fatal(err)
		}
		if _, err := s.AddDualPost(ctx, dual(wang, "410423100203", cunjing.DualPartyMember, "2025-04-01")); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a dual post appointed tomorrow: %v; want invalid, the register records posts taken", err)
		}
		for under, want := range map[string]cunjing.DualPostTally{
			"4104":         {Areas: 7, Held: 2},
			"410423":       {Areas: 6, Held: 2},
			"410423101":    {Areas: 0, Held: 0},
			"410423100201": {Areas: 1, Held: 1},
			"410423100202": {Areas: 1, Held: 0},
		} {
			if got, err := s.DualPostTally(ctx, under); err != nil || got != want {
				t.Errorf("tally under %s = %+v, %v; want %+v", under, got, err, want)
			}
		}
		byChild, err := s.DualPostsByChild(ctx, "4104")
		want := map[string]cunjing.DualPostTally{"410423": {Areas: 6, Held: 2}, "410482": {Areas: 1, Held: 0}}
		if err != nil || !maps.Equal(byChild, want) {
			t.Errorf("tally by county = %v, %v; want %v", byChild, err, want)
		}
		byTown, err := s.DualPostsByChild(ctx, "410423")
		if err != nil || !maps.Equal(byTown, map[string]cunjing.DualPostTally{"410423100": {Areas: 6, Held: 2}}) {
			t.Errorf("tally by town = %v, %v; want 鲁阳街道 only, 下汤镇 has no villages", byTown, err)
		}
		if none, err := s.DualPostsByChild(ctx, "410423100201"); err != nil || len(none) != 0 {
			t.Errorf("tally below a village = %v, %v; want none", none, err)
		}
		ruzhou := seeing("410482")
		if _, err := s.DualPostTally(ruzhou, "410423"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("tally of 鲁山 from 汝州: %v; want not found", err)
		}
		if _, err := s.DualPostsByChild(ruzhou, "4104"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("tally of the city from 汝州: %v; want not found", err)
		}
	})
}
