package api

import (
	"encoding/json"
	"net/http"
	"slices"

	"cunjing"
)

// areaJSON is an area as the API shows it.
type areaJSON struct {
	Code       string          `json:"code"`
	Name       string          `json:"name"`
	ShortName  string          `json:"short_name"`
	Level      cunjing.Level   `json:"level"`
	Kind       cunjing.Kind    `json:"kind"`
	ParentCode string          `json:"parent_code,omitempty"`
	Location   *pointJSON      `json:"location,omitempty"`
	Boundary   json.RawMessage `json:"boundary,omitempty"`
	VenueType  string          `json:"venue_type,omitempty"`
}

type pointJSON struct {
	Lng   float64 `json:"lng"`
	Lat   float64 `json:"lat"`
	Datum string  `json:"datum"`
}

type countsJSON struct {
	ByLevel     map[cunjing.Level]int `json:"by_level"`
	Villages    int                   `json:"villages"`
	Communities int                   `json:"communities"`
}

func toAreaJSON(a cunjing.Area) areaJSON {
	out := areaJSON{Code: a.Code, Name: a.Name, ShortName: a.ShortName(), Level: a.Level, Kind: a.Kind, ParentCode: a.ParentCode,
		VenueType: string(a.VenueType)}
	if a.Location != nil {
		out.Location = &pointJSON{Lng: a.Location.Lng, Lat: a.Location.Lat, Datum: a.Location.Datum}
	}
	if a.Boundary != "" {
		out.Boundary = json.RawMessage(a.Boundary)
	}
	return out
}

func toAreasJSON(areas []cunjing.Area) []areaJSON {
	out := make([]areaJSON, len(areas))
	for i, a := range areas {
		out[i] = toAreaJSON(a)
	}
	return out
}

// getArea answers GET /api/v1/areas/{code}: the area, its ancestors and
// the counts of what lies below it.
func (a *api) getArea(w http.ResponseWriter, r *http.Request) error {
	d, err := a.Areas.AreaDetail(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Area      areaJSON   `json:"area"`
		Ancestors []areaJSON `json:"ancestors"`
		Counts    countsJSON `json:"counts"`
	}{toAreaJSON(d.Area), toAreasJSON(d.Ancestors), countsJSON{d.Counts.ByLevel, d.Counts.Villages, d.Counts.Communities}})
	return nil
}

// updateArea answers PATCH /api/v1/areas/{code} {"location":{"lng","lat","datum"}}
// or {"location":null}: the area's coordinates are set or cleared.
func (a *api) updateArea(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Location json.RawMessage `json:"location"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if len(in.Location) == 0 {
		return invalidParams(map[string]string{"location": "required: a point, or null to clear it"})
	}
	var p *pointJSON
	if err := json.Unmarshal(in.Location, &p); err != nil {
		return invalidParams(map[string]string{"location": "must be {lng, lat, datum} or null"})
	}
	var loc *cunjing.Point
	if p != nil {
		loc = &cunjing.Point{Lng: p.Lng, Lat: p.Lat, Datum: p.Datum}
	}
	if err := a.Areas.SetAreaLocation(r.Context(), r.PathValue("code"), loc); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listAreas answers GET /api/v1/areas?parent=|under=&level=&kind=&q=&limit=&cursor=.
func (a *api) listAreas(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := cunjing.AreaFilter{Parent: q.Get("parent"), Under: q.Get("under"), Level: cunjing.Level(q.Get("level")),
		Kind: cunjing.Kind(q.Get("kind")), Query: q.Get("q")}
	fields := map[string]string{}
	checkAreaCode(fields, "parent", f.Parent)
	checkAreaCode(fields, "under", f.Under)
	if f.Level != "" && !slices.Contains(cunjing.Levels, f.Level) {
		fields["level"] = "must be one of province, city, county, town, village, grid, venue"
	}
	if f.Kind != "" && f.Kind != cunjing.KindVillage && f.Kind != cunjing.KindCommunity {
		fields["kind"] = "must be village or community"
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	areas, next, err := a.Areas.FindAreas(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listJSON[areaJSON]{Items: toAreasJSON(areas), NextCursor: next})
	return nil
}

// importAreas answers POST /api/v1/areas/import: NBS division files as
// multipart/form-data file parts, or one CSV file as a text/csv body.
func (a *api) importAreas(w http.ResponseWriter, r *http.Request) error {
	files, remove, err := uploadedFiles(r)
	defer remove()
	if err != nil {
		return err
	}
	report, err := a.Import(r.Context(), files...)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		Added     int               `json:"added"`
		Renamed   int               `json:"renamed"`
		Unchanged int               `json:"unchanged"`
		Encodings map[string]string `json:"encodings"`
	}{report.Added, report.Renamed, report.Unchanged, report.Encodings})
	return nil
}
