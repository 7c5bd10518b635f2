package demo

import (
	"math"
	"strings"
	"testing"

	"cunjing"
)

// km is the great-circle distance between two points.
func km(a, b cunjing.Point) float64 {
	rad := math.Pi / 180
	dLat, dLng := (b.Lat-a.Lat)*rad, (b.Lng-a.Lng)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * 6371 * math.Asin(math.Sqrt(h))
}

// townCentre is the mean of the places of a town's villages.
func townCentre(places map[string]cunjing.Point, town string) cunjing.Point {
	var c cunjing.Point
	n := 0.0
	for code, p := range places {
		if strings.HasPrefix(code, town) {
			c.Lng, c.Lat, n = c.Lng+p.Lng, c.Lat+p.Lat, n+1
		}
	}
	return cunjing.Point{Lng: c.Lng / n, Lat: c.Lat / n}
}

func TestJiaxianVillagesLieNearTheirNeighboursAndTownsApart(t *testing.T) {
	areas := loadAreas(t)
	places := villagePlaces(areas, nil, Seed)
	var towns []string
	var prev cunjing.Area
	for _, a := range areas {
		if a.Level == cunjing.LevelTown && a.ParentCode == placedCounty {
			towns = append(towns, a.Code)
		}
		if a.Level != cunjing.LevelVillage || !strings.HasPrefix(a.Code, placedCounty) {
			continue
		}
		p, ok := places[a.Code]
		if !ok || p.Datum != "GCJ-02" || km(p, countySeat) > 30 {
			t.Fatalf("%s %s is placed at %+v, %v; want GCJ-02 within 30 km of the county seat", a.Code, a.Name, p, ok)
		}
		if prev.ParentCode == a.ParentCode {
			if d := km(places[prev.Code], p); d < 1 || d > 3 {
				t.Errorf("%s and %s, next in code order, lie %.2f km apart; want 1–3", prev.Name, a.Name, d)
			}
		}
		prev = a
	}
	if len(places) < 300 || len(towns) != 15 {
		t.Fatalf("%d places in %d towns; want all of 郏县's 377 in its 15 towns", len(places), len(towns))
	}
	for _, a := range towns {
		nearest := math.Inf(1)
		for _, b := range towns {
			if a != b {
				nearest = min(nearest, km(townCentre(places, a), townCentre(places, b)))
			}
		}
		if nearest < 3 || nearest > 8 {
			t.Errorf("town %s lies %.1f km from the nearest other; want 3–8", a, nearest)
		}
	}
}

func TestFarPairsLieBeyondTheModelsDistance(t *testing.T) {
	areas := loadAreas(t)
	var pairs [][2]string
	var prev cunjing.Area
	for _, a := range areas {
		if a.Level == cunjing.LevelVillage && strings.HasPrefix(a.Code, placedCounty) && a.Kind == cunjing.KindVillage {
			if prev.ParentCode == a.ParentCode && len(pairs) < 40 && (len(pairs) == 0 || pairs[len(pairs)-1][1] != prev.Code) {
				pairs = append(pairs, [2]string{prev.Code, a.Code})
			}
			prev = a
		}
	}
	places := villagePlaces(areas, pairs, Seed)
	far := 0
	for _, p := range pairs {
		switch d := km(places[p[0]], places[p[1]]); {
		case d >= farMin-0.01 && d <= farMax+0.01:
			far++
		case d > 3:
			t.Errorf("pair %v lies %.2f km apart: neither near nor moved", p, d)
		}
	}
	if far != farPairs {
		t.Errorf("%d of %d pairs lie %v–%v km apart; want %d", far, len(pairs), farMin, farMax, farPairs)
	}
}
