package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"cunjing"
)

// locationForm is the form on an area's page that sets its coordinates:
// the stored ones, or those last sent when they were refused.
type locationForm struct {
	Lng, Lat string
	Datum    string
	Error    bool // the coordinates were refused
	Saved    bool // the coordinates were just saved
}

// locationFormOf fills the form with a stored location, if any.
func locationFormOf(p *cunjing.Point) locationForm {
	if p == nil {
		return locationForm{}
	}
	return locationForm{Lng: coord(p.Lng), Lat: coord(p.Lat), Datum: p.Datum}
}

// coord shows a coordinate to six decimals (about 0.1 m), without
// trailing zeros: 113.21, not 113.210000.
func coord(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e6)/1e6, 'f', -1, 64)
}

// Where shows the stored location of the area as "113.21, 33.97"; "" when
// it has none.
func (p *areaPage) Where() string {
	if p.Location == nil {
		return ""
	}
	return coord(p.Location.Lng) + ", " + coord(p.Location.Lat)
}

// setAreaLocation saves the coordinates of the path's area, or clears them
// when both are left empty, and goes back to the area; refused
// coordinates are explained on the area's page.
func (u *ui) setAreaLocation(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	form := locationForm{Lng: strings.TrimSpace(r.PostFormValue("lng")), Lat: strings.TrimSpace(r.PostFormValue("lat")),
		Datum: r.PostFormValue("datum")}
	var p *cunjing.Point
	var err error
	if form.Lng != "" || form.Lat != "" {
		p, err = parsePoint(newAreaForm{Lng: form.Lng, Lat: form.Lat, Datum: form.Datum})
	}
	if err == nil {
		err = u.Areas.SetAreaLocation(r.Context(), code, p)
	}
	if cunjing.ErrorCode(err) == cunjing.EInvalid {
		page, perr := u.areaPage(r.Context(), code)
		if perr != nil {
			u.fail(w, r, perr)
			return
		}
		form.Error = true
		page.Place = form
		u.render(w, r, http.StatusBadRequest, "area", page)
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/areas/"+code+"?done=location", http.StatusSeeOther)
}
