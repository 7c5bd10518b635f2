package demo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/demo"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/store/storetest"
)

func TestDemoOfficerFindsTheResidentsOfHisVillages(t *testing.T) {
	st := demotest.Store(t)
	ctx := storetest.Ctx()
	today := cunjing.DateOf(time.Now())
	if loaded, err := demo.LoadPopulation(ctx, st, 20000, today); err != nil || !loaded {
		t.Fatalf("load the population: %v, %v", loaded, err)
	}
	officer := linkedStaff(t, st, "officer")
	var villages []string
	for _, p := range openPosts(t, st, officer.ID) {
		villages = append(villages, p.AreaCode)
	}
	as := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "officer", Role: cunjing.RoleOfficer,
		UnitCode: officer.UnitCode, Scope: cunjing.Scope{Prefixes: villages}})
	people, _, err := st.FindResidents(as, cunjing.ResidentFilter{Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil || len(people) == 0 {
		t.Fatalf("the demo officer sees %d residents in %v (%v)", len(people), villages, err)
	}
	collected := 0
	for _, p := range people {
		if !slices.Contains(villages, p.AreaCode) {
			t.Fatalf("the officer sees %s of %s, outside his villages", p.Name, p.AreaCode)
		}
		if p.Collection.CollectedBy == "officer" || p.Collection.CollectedBy == "fujing" {
			collected++
		}
	}
	if collected == 0 {
		t.Error("none of the residents of the officer's villages was collected by the demo officer or auxiliary")
	}
	someone := people[len(people)/2]
	initials := cunjing.NamePinyin(someone.Name)[0].Initials
	hits, err := st.Search(as, cunjing.SearchQuery{Kind: cunjing.SearchPinyin, Text: initials}, 50)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(hits, func(h cunjing.SearchHit) bool { return h.ID == someone.ID }) {
		t.Errorf("searching %q did not find %s among %d hits", initials, someone.Name, len(hits))
	}
	visits, _, err := st.FindVisits(as, cunjing.LedgerFilter{Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil || len(visits) == 0 {
		t.Fatalf("%d visits in the officer's villages (%v)", len(visits), err)
	}
	for _, v := range visits {
		if v.Officer != "officer" && v.Officer != "fujing" || v.Date.Before(today.AddDays(-183)) || today.Before(v.Date) {
			t.Fatalf("visit by %q on %s; want the demo officer or auxiliary in the last six months", v.Officer, v.Date)
		}
	}
}
