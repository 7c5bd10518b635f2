package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"cunjing"
)

// collectionJSON is who collected a record, when, and the station's
// review of it; requests never set it.
type collectionJSON struct {
	CollectedBy string               `json:"collected_by"`
	CollectedAt time.Time            `json:"collected_at"`
	State       cunjing.CollectState `json:"state"`
	Reason      string               `json:"reason"`
	ReviewedBy  string               `json:"reviewed_by"`
	ReviewedAt  *time.Time           `json:"reviewed_at"`
	UpdatedAt   time.Time            `json:"updated_at"`
}

func toCollectionJSON(c cunjing.Collection) collectionJSON {
	out := collectionJSON{CollectedBy: c.CollectedBy, CollectedAt: c.CollectedAt, State: c.State, Reason: c.Reason,
		ReviewedBy: c.ReviewedBy, UpdatedAt: c.UpdatedAt}
	if !c.ReviewedAt.IsZero() {
		out.ReviewedAt = &c.ReviewedAt
	}
	return out
}

// addressJSON is a standard address as the API shows it.
type addressJSON struct {
	ID          int64      `json:"id"`
	AreaCode    string     `json:"area_code"`
	Street      string     `json:"street"`
	HouseNumber string     `json:"house_number"`
	Building    string     `json:"building"`
	Entrance    string     `json:"entrance"`
	Room        string     `json:"room"`
	Text        string     `json:"text"`
	Location    *pointJSON `json:"location"`
	collectionJSON
}

func toAddressJSON(a cunjing.StdAddress) addressJSON {
	out := addressJSON{ID: a.ID, AreaCode: a.AreaCode, Street: a.Street, HouseNumber: a.HouseNumber, Building: a.Building,
		Entrance: a.Entrance, Room: a.Room, Text: a.Text, collectionJSON: toCollectionJSON(a.Collection)}
	if a.Location != nil {
		out.Location = &pointJSON{Lng: a.Location.Lng, Lat: a.Location.Lat, Datum: a.Location.Datum}
	}
	return out
}

// addressIn is the body of a create; on an update, the fields sent.
// location null clears the point.
type addressIn struct {
	AreaCode    *string         `json:"area_code"`
	Street      *string         `json:"street"`
	HouseNumber *string         `json:"house_number"`
	Building    *string         `json:"building"`
	Entrance    *string         `json:"entrance"`
	Room        *string         `json:"room"`
	Location    json.RawMessage `json:"location"`
}

// applyTo sets the fields sent on a.
func (in addressIn) applyTo(a *cunjing.StdAddress) error {
	setSent(&a.AreaCode, in.AreaCode)
	setSent(&a.Street, in.Street)
	setSent(&a.HouseNumber, in.HouseNumber)
	setSent(&a.Building, in.Building)
	setSent(&a.Entrance, in.Entrance)
	setSent(&a.Room, in.Room)
	if len(in.Location) == 0 {
		return nil
	}
	var p *pointJSON
	if err := json.Unmarshal(in.Location, &p); err != nil {
		return invalidParams(map[string]string{"location": "must be {lng, lat, datum} or null"})
	}
	a.Location = nil
	if p != nil {
		a.Location = &cunjing.Point{Lng: p.Lng, Lat: p.Lat, Datum: p.Datum}
	}
	return nil
}

// listAddresses answers GET /api/v1/addresses?under=&street=&state=&limit=&cursor=:
// the addresses in scope by area then address.
func (a *api) listAddresses(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := cunjing.AddressFilter{Under: q.Get("under"), Street: q.Get("street"), State: cunjing.CollectState(q.Get("state"))}
	fields := map[string]string{}
	checkAreaCode(fields, "under", f.Under)
	checkState(fields, f.State)
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	found, next, err := a.Addresses.FindAddresses(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]addressJSON, len(found))
	for i, ad := range found {
		items[i] = toAddressJSON(ad)
	}
	writeJSON(w, http.StatusOK, listJSON[addressJSON]{Items: items, NextCursor: next})
	return nil
}

// checkState names a review state that is given but unknown.
func checkState(fields map[string]string, state cunjing.CollectState) {
	for _, s := range cunjing.CollectStates {
		if state == s {
			return
		}
	}
	if state != "" {
		fields["state"] = "must be collected, verified or returned"
	}
}

// createAddress answers POST /api/v1/addresses: a new standard address.
func (a *api) createAddress(w http.ResponseWriter, r *http.Request) error {
	var in addressIn
	if err := decode(r, &in); err != nil {
		return err
	}
	var ad cunjing.StdAddress
	if err := in.applyTo(&ad); err != nil {
		return err
	}
	if err := a.Addresses.CreateAddress(r.Context(), &ad); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/addresses/%d", ad.ID))
	writeJSON(w, http.StatusCreated, toAddressJSON(ad))
	return nil
}

// getAddress answers GET /api/v1/addresses/{id}.
func (a *api) getAddress(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	ad, err := a.Addresses.Address(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAddressJSON(*ad))
	return nil
}

// updateAddress answers PATCH /api/v1/addresses/{id}: the parts sent
// change, the others stay; the history keeps each change.
func (a *api) updateAddress(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in addressIn
	if err := decode(r, &in); err != nil {
		return err
	}
	ad, err := a.Addresses.Address(r.Context(), id)
	if err != nil {
		return err
	}
	if err := in.applyTo(ad); err != nil {
		return err
	}
	if err := a.Addresses.UpdateAddress(r.Context(), *ad); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changeJSON is one change of a record's history.
type changeJSON struct {
	ID    int64     `json:"id"`
	Field string    `json:"field"`
	Old   string    `json:"old"`
	New   string    `json:"new"`
	By    string    `json:"by"`
	At    time.Time `json:"at"`
}

// addressHistory answers GET /api/v1/addresses/{id}/history.
func (a *api) addressHistory(w http.ResponseWriter, r *http.Request) error {
	return a.writeHistory(w, r, cunjing.RecordAddress)
}

// writeHistory answers with the changes of the record {id} of kind, newest
// first, as one whole list.
func (a *api) writeHistory(w http.ResponseWriter, r *http.Request, kind cunjing.RecordKind) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	changes, err := a.Reviews.History(r.Context(), kind, id)
	if err != nil {
		return err
	}
	items := make([]changeJSON, len(changes))
	for i, c := range changes {
		items[i] = changeJSON{ID: c.ID, Field: c.Field, Old: c.Old, New: c.New, By: c.By, At: c.At}
	}
	writeJSON(w, http.StatusOK, listJSON[changeJSON]{Items: items})
	return nil
}

// idParam reads an optional record ID; 0 when absent.
func idParam(fields map[string]string, name, s string) int64 {
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		fields[name] = "must be the ID of a record"
		return 0
	}
	return id
}
