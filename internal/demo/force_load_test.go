package demo_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// openPosts returns the posts in force of a member of staff.
func openPosts(t *testing.T, st *store.Store, id int64) []cunjing.Assignment {
	t.Helper()
	posts, _, err := st.FindAssignments(storetest.Ctx(), cunjing.AssignmentFilter{StaffID: id, Open: true})
	if err != nil {
		t.Fatal(err)
	}
	return posts
}

// linkedStaff returns the staff record linked to a demo account.
func linkedStaff(t *testing.T, st *store.Store, username string) cunjing.Staff {
	t.Helper()
	ctx := storetest.Ctx()
	u, err := st.User(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	staff, _, err := st.FindStaff(ctx, cunjing.StaffFilter{Unit: u.UnitCode, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(staff, func(s cunjing.Staff) bool { return s.Username == username })
	if i < 0 {
		t.Fatalf("no staff of %s is linked to the account %s", u.UnitCode, username)
	}
	return staff[i]
}

func TestDemoOfficerSeesTheVillagesOfHisPosts(t *testing.T) {
	st := demotest.Store(t)
	ctx := storetest.Ctx()
	officer := linkedStaff(t, st, "officer")
	posts := openPosts(t, st, officer.ID)
	if officer.Kind != cunjing.StaffOfficer || len(posts) < 1 || len(posts) > 2 {
		t.Fatalf("the demo officer is a %s with %d posts, want an officer with one or two villages", officer.Kind, len(posts))
	}
	chief, err := st.User(ctx, "chief")
	if err != nil {
		t.Fatal(err)
	}
	station, err := st.UnitDetail(ctx, chief.UnitCode)
	if err != nil {
		t.Fatal(err)
	}
	var villages []string
	for _, p := range posts {
		if p.Role != cunjing.PostResponsible || !cunjing.Covers(station.Jurisdiction, p.AreaCode) {
			t.Errorf("the demo officer is %s of %s, want the responsible officer of a village of %s", p.Role, p.AreaCode, station.Name)
		}
		villages = append(villages, p.AreaCode)
	}
	now := time.Now()
	if err := st.CreateSession(ctx, cunjing.Session{IDHash: "force-test", Username: "officer", Kind: cunjing.SessionBrowser,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	state, err := st.Session(ctx, "force-test")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(villages)
	if !slices.Equal(state.Scope.Prefixes, villages) {
		t.Errorf("the demo officer's scope is %v, want his villages %v", state.Scope.Prefixes, villages)
	}
	fujing := linkedStaff(t, st, "fujing")
	if fujing.Kind != cunjing.StaffAuxiliary || len(openPosts(t, st, fujing.ID)) == 0 {
		t.Errorf("the demo auxiliary is a %s with no posts, want an auxiliary with posts", fujing.Kind)
	}
}

func TestDemoCoverageShowsGaps(t *testing.T) {
	st := demotest.Store(t)
	rep, err := st.Coverage(storetest.Ctx(), "410423", cunjing.CoverageOptions{GapLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	all := rep.Tally.All
	if share := float64(all.Covered) / float64(all.Total); share < 0.85 || share > 0.97 {
		t.Errorf("鲁山县: %d of %d areas covered, want 85–97 %%", all.Covered, all.Total)
	}
	reasons := map[cunjing.GapCode]int{}
	for _, g := range rep.Gaps {
		for _, r := range g.Reasons {
			reasons[r.Code]++
		}
	}
	for _, code := range []cunjing.GapCode{cunjing.GapNoOfficer, cunjing.GapOverloaded, cunjing.GapOffDuty} {
		if reasons[code] == 0 {
			t.Errorf("鲁山县 has no %s gap; got %v", code, reasons)
		}
	}
	if len(rep.Ratios) != 1 || rep.Ratios[0].Officers < 340 || rep.Ratios[0].Officers > 400 {
		t.Errorf("鲁山县 ratios %+v, want about 370 officers", rep.Ratios)
	}
}

func TestDemoHistoryAnswersWhoWasResponsible(t *testing.T) {
	st := demotest.Store(t)
	ctx := storetest.Ctx()
	ended := endedPost(t, st)
	before := holderOn(t, ctx, st, ended.AreaCode, ended.End.AddDays(-1))
	after := holderOn(t, ctx, st, ended.AreaCode, ended.End)
	if before != ended.StaffName || after == "" || after == before {
		t.Errorf("%s: responsible %q the day before %s and %q that day, want %s then his successor",
			ended.AreaCode, before, ended.End, after, ended.StaffName)
	}
}

// endedPost finds a responsible officer's post of 鲁山县 that was handed over.
func endedPost(t *testing.T, st *store.Store) cunjing.Assignment {
	t.Helper()
	f := cunjing.AssignmentFilter{Under: "410423", Role: cunjing.PostResponsible, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}}
	for {
		posts, next, err := st.FindAssignments(storetest.Ctx(), f)
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(posts, func(a cunjing.Assignment) bool { return !a.Open() }); i >= 0 {
			return posts[i]
		}
		if next == "" {
			t.Fatal("no post of 鲁山县 was ever handed over")
		}
		f.Page.Cursor = next
	}
}

// holderOn names the responsible officer of an area on a day.
func holderOn(t *testing.T, ctx context.Context, st *store.Store, area string, day cunjing.Date) string {
	t.Helper()
	posts, _, err := st.FindAssignments(ctx, cunjing.AssignmentFilter{Area: area, Role: cunjing.PostResponsible, On: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 1 {
		t.Fatalf("%s has %d responsible officers on %s, want one", area, len(posts), day)
	}
	return posts[0].StaffName
}

func TestDemoDualPostsAndOfficeChecks(t *testing.T) {
	st := demotest.Store(t)
	ctx := storetest.Ctx()
	tally, err := st.DualPostTally(ctx, demoCity)
	if err != nil {
		t.Fatal(err)
	}
	if share := float64(tally.Held) / float64(tally.Areas); share < 0.2 || share > 0.4 {
		t.Errorf("dual posts in %d of %d villages, want about 30 %%", tally.Held, tally.Areas)
	}
	below, err := st.OfficeScores(ctx, demoCity, 80)
	if err != nil {
		t.Fatal(err)
	}
	all, err := st.OfficeScores(ctx, demoCity, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(below) == 0 || 3*len(below) > len(all) {
		t.Errorf("%d of %d offices below 80 %%, want some but not most", len(below), len(all))
	}
	for _, o := range below {
		if o.Checked == 0 || !strings.HasPrefix(o.Unit.Code, demoCity) {
			t.Errorf("office %s below standard without an inspection", o.Unit.Code)
		}
	}
}

const demoCity = "4104"
