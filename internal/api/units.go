package api

import (
	"net/http"
	"slices"

	"cunjing"
)

// unitJSON is a police unit as the API shows it.
type unitJSON struct {
	Code         string           `json:"code"`
	Name         string           `json:"name"`
	Kind         cunjing.UnitKind `json:"kind"`
	ParentCode   string           `json:"parent_code,omitempty"`
	Address      string           `json:"address"`
	Phone        string           `json:"phone"`
	Jurisdiction []string         `json:"jurisdiction"`
}

func toUnitJSON(u cunjing.Unit) unitJSON {
	return unitJSON{Code: u.Code, Name: u.Name, Kind: u.Kind, ParentCode: u.ParentCode, Address: u.Address, Phone: u.Phone,
		Jurisdiction: append([]string{}, u.Jurisdiction...)}
}

func toUnitsJSON(units []cunjing.Unit) []unitJSON {
	out := make([]unitJSON, len(units))
	for i, u := range units {
		out[i] = toUnitJSON(u)
	}
	return out
}

// getUnit answers GET /api/v1/units/{code}: the unit with its jurisdiction,
// its ancestors and the counts of units below it by kind.
func (a *api) getUnit(w http.ResponseWriter, r *http.Request) error {
	d, err := a.Units.UnitDetail(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	counts := map[cunjing.UnitKind]int{}
	for _, k := range cunjing.UnitKinds {
		counts[k] = d.Counts[k]
	}
	writeJSON(w, http.StatusOK, struct {
		Unit      unitJSON                 `json:"unit"`
		Ancestors []unitJSON               `json:"ancestors"`
		Counts    map[cunjing.UnitKind]int `json:"counts"`
	}{toUnitJSON(d.Unit), toUnitsJSON(d.Ancestors), counts})
	return nil
}

// listUnits answers GET /api/v1/units?parent=|under=&kind=&q=&area=&within=&limit=&cursor=.
func (a *api) listUnits(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := cunjing.UnitFilter{Parent: q.Get("parent"), Under: q.Get("under"), Kind: cunjing.UnitKind(q.Get("kind")),
		Query: q.Get("q"), Area: q.Get("area"), Within: q.Get("within")}
	fields := map[string]string{}
	if f.Kind != "" && !slices.Contains(cunjing.UnitKinds, f.Kind) {
		fields["kind"] = "must be bureau, station, office or workstation"
	}
	for name, code := range map[string]string{"area": f.Area, "within": f.Within} {
		if code != "" && !cunjing.ValidAreaCode(code) {
			fields[name] = "must be an area code"
		}
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	units, next, err := a.Units.FindUnits(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listJSON[unitJSON]{Items: toUnitsJSON(units), NextCursor: next})
	return nil
}
