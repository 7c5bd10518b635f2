package api

import (
	"net/http"
	"slices"

	"cunjing"
)

// assignmentJSON is a post as the API shows it; end is null while it is in
// force.
type assignmentJSON struct {
	ID           int64             `json:"id"`
	StaffID      int64             `json:"staff_id"`
	StaffName    string            `json:"staff_name"`
	StaffKind    cunjing.StaffKind `json:"staff_kind"`
	PoliceNumber string            `json:"police_number"`
	AreaCode     string            `json:"area_code"`
	AreaName     string            `json:"area_name"`
	Role         cunjing.PostRole  `json:"role"`
	Start        cunjing.Date      `json:"start"`
	End          *cunjing.Date     `json:"end"`
	Note         string            `json:"note"`
}

func toAssignmentJSON(x cunjing.Assignment) assignmentJSON {
	out := assignmentJSON{ID: x.ID, StaffID: x.StaffID, StaffName: x.StaffName, StaffKind: x.StaffKind, PoliceNumber: x.PoliceNumber,
		AreaCode: x.AreaCode, AreaName: x.AreaName, Role: x.Role, Start: x.Start, Note: x.Note}
	if !x.Open() {
		out.End = &x.End
	}
	return out
}

// listAssignments answers GET /api/v1/assignments?area=&under=&staff=&role=&on=&open=true&limit=&cursor=:
// the posts of areas in scope, newest first. area and on together answer
// "who held the posts of area X on day D".
func (a *api) listAssignments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fields := map[string]string{}
	f := cunjing.AssignmentFilter{Area: q.Get("area"), Under: q.Get("under"), Role: cunjing.PostRole(q.Get("role")),
		StaffID: staffParam(fields, "staff", q.Get("staff")), On: dateParam(fields, "on", q.Get("on")),
		Open: boolParam(fields, "open", q.Get("open"))}
	checkAreaCode(fields, "area", f.Area)
	checkAreaCode(fields, "under", f.Under)
	if f.Role != "" && !slices.Contains(cunjing.PostRoles, f.Role) {
		fields["role"] = "unknown role"
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	found, next, err := a.Assignments.FindAssignments(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]assignmentJSON, len(found))
	for i, x := range found {
		items[i] = toAssignmentJSON(x)
	}
	writeJSON(w, http.StatusOK, listJSON[assignmentJSON]{Items: items, NextCursor: next})
	return nil
}

// createAssignment answers POST /api/v1/assignments: a member of staff
// takes a role for an area from a day; with replace, the holders of the
// role leave it that day.
func (a *api) createAssignment(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		StaffID  int64            `json:"staff_id"`
		AreaCode string           `json:"area_code"`
		Role     cunjing.PostRole `json:"role"`
		Start    string           `json:"start"`
		Replace  bool             `json:"replace"`
		Note     string           `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	start := dateParam(fields, "start", in.Start)
	if err := invalidParams(fields); err != nil {
		return err
	}
	made, err := a.Assignments.Assign(r.Context(), cunjing.AssignRequest{StaffID: in.StaffID, AreaCode: in.AreaCode, Role: in.Role,
		Start: start, Replace: in.Replace, Note: in.Note})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAssignmentJSON(*made))
	return nil
}

// endAssignment answers POST /api/v1/assignments/{id}/end {"end":"YYYY-MM-DD"}:
// the post ends that day.
func (a *api) endAssignment(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in struct {
		End string `json:"end"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	end := dateParam(fields, "end", in.End)
	if err := invalidParams(fields); err != nil {
		return err
	}
	if err := a.Assignments.EndAssignment(r.Context(), id, end); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// createArea answers POST /api/v1/areas: a grid inside a community or a
// venue under any area, with the next free code.
func (a *api) createArea(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		ParentCode string            `json:"parent_code"`
		Level      cunjing.Level     `json:"level"`
		Name       string            `json:"name"`
		VenueType  cunjing.VenueType `json:"venue_type"`
		Lng        *float64          `json:"lng"`
		Lat        *float64          `json:"lat"`
		Datum      string            `json:"datum"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	n := cunjing.NewArea{ParentCode: in.ParentCode, Level: in.Level, Name: in.Name, VenueType: in.VenueType}
	switch {
	case in.Lng != nil && in.Lat != nil:
		n.Location = &cunjing.Point{Lng: *in.Lng, Lat: *in.Lat, Datum: in.Datum}
	case in.Lng != nil || in.Lat != nil:
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the new area is not valid",
			Fields: map[string]string{"location": "give both lng and lat, or neither"}}
	}
	area, err := a.Areas.CreateArea(r.Context(), n)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/areas/"+area.Code)
	writeJSON(w, http.StatusCreated, toAreaJSON(*area))
	return nil
}
