package api_test

import (
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// areaLocation is the location of an area as GET /api/v1/areas/{code} shows it.
type areaLocation struct {
	Area struct {
		Location *struct {
			Lng   float64 `json:"lng"`
			Lat   float64 `json:"lat"`
			Datum string  `json:"datum"`
		} `json:"location"`
	} `json:"area"`
}

// lushanVillage returns the code of the first village of 鲁山县.
func lushanVillage(t *testing.T, st *store.Store) string {
	t.Helper()
	areas, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: "410423", Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(areas) != 1 {
		t.Fatalf("a village of 鲁山县: %v, %v", areas, err)
	}
	return areas[0].Code
}

func TestPatchAreaSetsAndClearsTheLocation(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	code := lushanVillage(t, st)
	path := "/api/v1/areas/" + code
	if resp, body := send(t, srv, "", "PATCH", path, `{"location":{"lng":112.91,"lat":33.74,"datum":"GCJ-02"}}`); resp.StatusCode != 204 {
		t.Fatalf("set location: %d %s; want 204", resp.StatusCode, body)
	}
	var a areaLocation
	if status := get(t, srv, path, &a); status != 200 || a.Area.Location == nil || a.Area.Location.Lng != 112.91 ||
		a.Area.Location.Lat != 33.74 || a.Area.Location.Datum != "GCJ-02" {
		t.Fatalf("area after set: %d %+v; want 112.91, 33.74 GCJ-02", status, a.Area.Location)
	}
	if rows := auditRows(t, st, cunjing.ActionAreaUpdate, code); len(rows) != 1 || rows[0].Actor != "lushan" {
		t.Errorf("audit rows = %+v; want one by lushan", rows)
	}
	if resp, body := send(t, srv, "", "PATCH", path, `{"location":null}`); resp.StatusCode != 204 {
		t.Fatalf("clear location: %d %s; want 204", resp.StatusCode, body)
	}
	a = areaLocation{}
	if status := get(t, srv, path, &a); status != 200 || a.Area.Location != nil {
		t.Fatalf("area after clearing: %d %+v; want no location", status, a.Area.Location)
	}
}

func TestPatchAreaRefusesBadCoordinatesOtherCountiesAndOfficers(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	path := "/api/v1/areas/" + lushanVillage(t, st)
	for _, body := range []string{
		`{"location":{"lng":2.35,"lat":48.85,"datum":"WGS-84"}}`,
		`{"location":{"lng":112.91,"lat":33.74,"datum":"BD-09"}}`,
		`{"location":{"lng":112.91,"lat":33.74}}`,
		`{"location":"112.91,33.74"}`,
		`{}`,
	} {
		resp, answer := send(t, srv, "", "PATCH", path, body)
		if e := errorOf(t, answer); resp.StatusCode != 400 || e.Error.Code != "invalid" || e.Error.Fields["location"] == "" {
			t.Errorf("PATCH %s: %d %s; want 400 naming the location", body, resp.StatusCode, answer)
		}
	}
	good := `{"location":{"lng":112.91,"lat":33.74,"datum":"GCJ-02"}}`
	ruzhou, _ := newServerAsOn(t, st, "ruzhou")
	if resp, answer := send(t, ruzhou, "", "PATCH", path, good); resp.StatusCode != 404 {
		t.Errorf("汝州 setting a 鲁山 village: %d %s; want 404", resp.StatusCode, answer)
	}
	officer, _ := newServerAsOn(t, st, "officer")
	if resp, answer := send(t, officer, "", "PATCH", path, good); resp.StatusCode != 403 {
		t.Errorf("an officer setting a location: %d %s; want 403", resp.StatusCode, answer)
	}
	var a areaLocation
	if get(t, srv, path, &a); a.Area.Location != nil {
		t.Errorf("the refused changes left a location: %+v", a.Area.Location)
	}
}
