package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"cunjing"
)

// recordStateJSON is who collected a basic-information record, when, and
// how the station's review of it stands.
type recordStateJSON struct {
	CollectedBy string               `json:"collected_by"`
	CollectedAt time.Time            `json:"collected_at"`
	State       cunjing.CollectState `json:"state"`
	Reason      string               `json:"reason"`
	ReviewedBy  string               `json:"reviewed_by"`
	ReviewedAt  *time.Time           `json:"reviewed_at"`
	UpdatedAt   time.Time            `json:"updated_at"`
}

func toRecordStateJSON(c cunjing.Collection) recordStateJSON {
	out := recordStateJSON{CollectedBy: c.CollectedBy, CollectedAt: c.CollectedAt, State: c.State, Reason: c.Reason,
		ReviewedBy: c.ReviewedBy, UpdatedAt: c.UpdatedAt}
	if !c.ReviewedAt.IsZero() {
		out.ReviewedAt = &c.ReviewedAt
	}
	return out
}

// houseJSON is a house as the API shows it.
type houseJSON struct {
	ID            int64            `json:"id"`
	AreaCode      string           `json:"area_code"`
	AddressID     int64            `json:"address_id"`
	AddressText   string           `json:"address_text"`
	OwnerResident int64            `json:"owner_resident_id"`
	OwnerOrg      int64            `json:"owner_org_id"`
	OwnerName     string           `json:"owner_name"`
	Use           cunjing.HouseUse `json:"use"`
	FloorArea     float64          `json:"floor_area"`
	Note          string           `json:"note"`
	Collection    recordStateJSON  `json:"collection"`
}

func toHouseJSON(h cunjing.House) houseJSON {
	return houseJSON{ID: h.ID, AreaCode: h.AreaCode, AddressID: h.AddressID, AddressText: h.AddressText, OwnerResident: h.OwnerResident,
		OwnerOrg: h.OwnerOrg, OwnerName: h.OwnerName, Use: h.Use, FloorArea: h.FloorArea, Note: h.Note,
		Collection: toRecordStateJSON(h.Collection)}
}

// houseIn is the body of a create; on an update, the fields sent. The area
// is the address's and cannot be sent.
type houseIn struct {
	AddressID     *int64            `json:"address_id"`
	OwnerResident *int64            `json:"owner_resident_id"`
	OwnerOrg      *int64            `json:"owner_org_id"`
	Use           *cunjing.HouseUse `json:"use"`
	FloorArea     *float64          `json:"floor_area"`
	Note          *string           `json:"note"`
}

func (in houseIn) applyTo(h *cunjing.House) {
	setSent(&h.AddressID, in.AddressID)
	setSent(&h.OwnerResident, in.OwnerResident)
	setSent(&h.OwnerOrg, in.OwnerOrg)
	setSent(&h.Use, in.Use)
	setSent(&h.FloorArea, in.FloorArea)
	setSent(&h.Note, in.Note)
}

// optionalIDParam reads an optional positive ID; 0 when absent.
func optionalIDParam(fields map[string]string, name, s string) int64 {
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		fields[name] = "must be a positive whole number"
		return 0
	}
	return id
}

// reviewStateParam reads an optional review state.
func reviewStateParam(fields map[string]string, s string) cunjing.CollectState {
	state := cunjing.CollectState(s)
	if state != "" && !slices.Contains(cunjing.CollectStates, state) {
		fields["state"] = "must be collected, verified or returned"
	}
	return state
}

// listHouses answers GET /api/v1/houses?under=&address_id=&use=&state=&limit=&cursor=:
// the houses in scope, by ID.
func (a *api) listHouses(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fields := map[string]string{}
	f := cunjing.HouseFilter{Under: q.Get("under"), AddressID: optionalIDParam(fields, "address_id", q.Get("address_id")),
		Use: cunjing.HouseUse(q.Get("use")), State: reviewStateParam(fields, q.Get("state"))}
	checkAreaCode(fields, "under", f.Under)
	if f.Use != "" && !slices.Contains(cunjing.HouseUses, f.Use) {
		fields["use"] = "must be self, rented, vacant, commercial or mixed"
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	houses, next, err := a.Houses.FindHouses(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]houseJSON, len(houses))
	for i, h := range houses {
		items[i] = toHouseJSON(h)
	}
	writeJSON(w, http.StatusOK, listJSON[houseJSON]{Items: items, NextCursor: next})
	return nil
}

// createHouse answers POST /api/v1/houses: a house at an address in scope.
func (a *api) createHouse(w http.ResponseWriter, r *http.Request) error {
	var in houseIn
	if err := decode(r, &in); err != nil {
		return err
	}
	var h cunjing.House
	in.applyTo(&h)
	if err := a.Houses.CreateHouse(r.Context(), &h); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/houses/%d", h.ID))
	writeJSON(w, http.StatusCreated, toHouseJSON(h))
	return nil
}

// getHouse answers GET /api/v1/houses/{id}.
func (a *api) getHouse(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	h, err := a.Houses.House(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toHouseJSON(*h))
	return nil
}

// updateHouse answers PATCH /api/v1/houses/{id}: the fields sent change,
// the others stay; the history keeps each change.
func (a *api) updateHouse(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in houseIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if in == (houseIn{}) {
		return cunjing.Errorf(cunjing.EInvalid, "nothing to change")
	}
	h, err := a.Houses.House(r.Context(), id)
	if err != nil {
		return err
	}
	in.applyTo(h)
	if err := a.Houses.UpdateHouse(r.Context(), *h); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// rentalJSON is a tenancy as the API shows it; end is "" while it runs.
type rentalJSON struct {
	ID         int64  `json:"id"`
	HouseID    int64  `json:"house_id"`
	TenantID   int64  `json:"tenant_id"`
	TenantName string `json:"tenant_name"`
	Start      string `json:"start"`
	End        string `json:"end"`
}

func toRentalJSON(r cunjing.Rental) rentalJSON {
	return rentalJSON{ID: r.ID, HouseID: r.HouseID, TenantID: r.TenantID, TenantName: r.TenantName, Start: r.Start.String(), End: r.End.String()}
}

// listRentals answers GET /api/v1/houses/{id}/rentals: every tenancy of
// the house, running ones first, in one page.
func (a *api) listRentals(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	rentals, err := a.Houses.Rentals(r.Context(), id)
	if err != nil {
		return err
	}
	items := make([]rentalJSON, len(rentals))
	for i, x := range rentals {
		items[i] = toRentalJSON(x)
	}
	writeJSON(w, http.StatusOK, listJSON[rentalJSON]{Items: items})
	return nil
}

// createRental answers POST /api/v1/houses/{id}/rentals {"tenant_id", "start", "end"}:
// a tenant, a resident in scope, moves in; a self-occupied or vacant house
// becomes rented, a commercial one mixed.
func (a *api) createRental(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in struct {
		TenantID int64  `json:"tenant_id"`
		Start    string `json:"start"`
		End      string `json:"end"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	rental := cunjing.Rental{HouseID: id, TenantID: in.TenantID, Start: dateParam(fields, "start", in.Start), End: dateParam(fields, "end", in.End)}
	if err := invalidParams(fields); err != nil {
		return err
	}
	if err := a.Houses.AddRental(r.Context(), &rental); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toRentalJSON(rental))
	return nil
}

// endRental answers POST /api/v1/rentals/{id}/end {"end": "YYYY-MM-DD"}.
func (a *api) endRental(w http.ResponseWriter, r *http.Request) error {
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
	if err := a.Houses.EndRental(r.Context(), id, end); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
