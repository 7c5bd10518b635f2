package demo_test

import (
	"math"
	"testing"

	"cunjing"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/store/storetest"
)

// distanceKm is the great-circle distance between two points.
func distanceKm(a, b cunjing.Point) float64 {
	rad := math.Pi / 180
	dLat, dLng := (b.Lat-a.Lat)*rad, (b.Lng-a.Lng)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * 6371 * math.Asin(math.Sqrt(h))
}

func TestJiaxianCoverageShowsOfficersWhoseVillagesLieTooFarApart(t *testing.T) {
	st := demotest.Store(t)
	ctx := storetest.Ctx()
	report, err := st.Coverage(ctx, "410425", cunjing.CoverageOptions{GapLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	tooFar := map[int64]float64{}
	for _, g := range report.Gaps {
		for _, r := range g.Reasons {
			if r.Code == cunjing.GapTooFar {
				tooFar[r.Staff.ID] = r.Km
				if r.Km <= 6 || r.Km > 9.5 || r.Within != 6 {
					t.Errorf("%s: %s; want 6–9.5 km against the model's 6", g.Area.Name, r)
				}
			}
		}
	}
	if len(tooFar) == 0 {
		t.Fatal("郏县's coverage lists no officer whose villages lie too far apart")
	}

	villages, _, err := st.FindAreas(ctx, cunjing.AreaFilter{Under: "410425", Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		t.Fatal(err)
	}
	where := map[string]cunjing.Point{}
	for _, v := range villages {
		if v.Location == nil {
			t.Fatalf("%s %s has no location", v.Code, v.Name)
		}
		where[v.Code] = *v.Location
	}
	posts, _, err := st.FindAssignments(ctx, cunjing.AssignmentFilter{Under: "410425", Role: cunjing.PostResponsible, Open: true,
		Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		t.Fatal(err)
	}
	held := map[int64][]string{}
	for _, p := range posts {
		held[p.StaffID] = append(held[p.StaffID], p.AreaCode)
	}
	pairs, near := 0, 0
	for id, areas := range held {
		if len(areas) != 2 {
			continue
		}
		pairs++
		d := distanceKm(where[areas[0]], where[areas[1]])
		if d <= 6 {
			near++
		} else if _, listed := tooFar[id]; !listed {
			t.Errorf("officer %d's villages lie %.1f km apart but the report does not say so", id, d)
		}
	}
	if pairs < 50 || float64(near) < 0.9*float64(pairs) {
		t.Errorf("%d of %d two-village officers hold villages within 6 km; want at least 50 such officers, 90 %% of them near", near, pairs)
	}
	t.Logf("郏县: %d two-village officers, %d within 6 km, %d listed too far", pairs, near, len(tooFar))
}
