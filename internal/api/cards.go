package api

import (
	"net/http"

	"cunjing"
)

// cardJSON is the police–citizen contact card (警民联系卡) of a village,
// grid or venue; officers is empty where no officer is in post.
type cardJSON struct {
	Area          areaJSON          `json:"area"`
	TownName      string            `json:"town_name"`
	Officers      []cardOfficerJSON `json:"officers"`
	StationName   string            `json:"station_name"`
	StationPhone  string            `json:"station_phone"`
	OfficeName    string            `json:"office_name"`
	OfficeAddress string            `json:"office_address"`
}

// cardOfficerJSON is an officer as a card shows him; role is responsible
// or community_officer.
type cardOfficerJSON struct {
	Name         string           `json:"name"`
	PoliceNumber string           `json:"police_number"`
	Phone        string           `json:"phone"`
	Role         cunjing.PostRole `json:"role"`
}

func toCardJSON(c cunjing.ContactCard, maskPhones bool) cardJSON {
	out := cardJSON{Area: toAreaJSON(c.Area), TownName: c.TownName, Officers: []cardOfficerJSON{}, StationName: c.StationName,
		StationPhone: c.StationPhone, OfficeName: c.OfficeName, OfficeAddress: c.OfficeAddress}
	for _, o := range c.Officers {
		officer := cardOfficerJSON{Name: o.Name, PoliceNumber: o.PoliceNumber, Phone: o.Phone, Role: cunjing.PostResponsible}
		if o.Community {
			officer.Role = cunjing.PostCommunity
		}
		if maskPhones {
			officer.Phone = cunjing.MaskPhone(o.Phone)
		}
		out.Officers = append(out.Officers, officer)
	}
	return out
}

// listCards answers GET /api/v1/cards?under=CODE: the contact cards of the
// villages, grids and venues in scope under the area (or of the area
// itself), by code, with the officers' phones in full (masked for roles
// that do not read personal data); the store audits the read. The list is
// whole: next_cursor is always "".
func (a *api) listCards(w http.ResponseWriter, r *http.Request) error {
	fields := map[string]string{}
	under := r.URL.Query().Get("under")
	if !cunjing.ValidAreaCode(under) {
		fields["under"] = "required: an area code"
	}
	if err := invalidParams(fields); err != nil {
		return err
	}
	cards, err := a.Cards.ContactCards(r.Context(), under)
	if err != nil {
		return err
	}
	mask := !cunjing.IdentityFrom(r.Context()).Role.SeesPersonalData()
	items := make([]cardJSON, len(cards))
	for i, c := range cards {
		items[i] = toCardJSON(c, mask)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, listJSON[cardJSON]{Items: items})
	return nil
}
