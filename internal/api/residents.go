package api

import (
	"fmt"
	"net/http"
	"slices"
	"time"

	"cunjing"
)

// residentJSON is a resident as the API shows him: ID number and phone
// masked, except on the detail for roles that read personal data.
type residentJSON struct {
	ID          int64                    `json:"id"`
	AreaCode    string                   `json:"area_code"`
	AddressID   int64                    `json:"address_id"`
	AddressText string                   `json:"address_text"`
	HouseholdID int64                    `json:"household_id"`
	Relation    cunjing.Relation         `json:"relation"`
	DocKind     cunjing.DocKind          `json:"doc_kind"`
	IDNumber    string                   `json:"id_number"`
	Name        string                   `json:"name"`
	Sex         string                   `json:"sex"`
	BirthDate   cunjing.Date             `json:"birth_date"`
	NativePlace string                   `json:"native_place"`
	Phone       string                   `json:"phone"`
	Category    cunjing.ResidentCategory `json:"category"`
	LeftBehind  cunjing.LeftBehind       `json:"left_behind"`
	Status      cunjing.ResidentStatus   `json:"status"`
	Note        string                   `json:"note"`
	collectionJSON
}

func toResidentJSON(p cunjing.Resident) residentJSON {
	return residentJSON{ID: p.ID, AreaCode: p.AreaCode, AddressID: p.AddressID, AddressText: p.AddressText, HouseholdID: p.HouseholdID,
		Relation: p.Relation, DocKind: p.DocKind, IDNumber: p.IDNumber, Name: p.Name, Sex: p.Sex, BirthDate: p.BirthDate,
		NativePlace: p.NativePlace, Phone: p.Phone, Category: p.Category, LeftBehind: p.LeftBehind, Status: p.Status, Note: p.Note,
		collectionJSON: toCollectionJSON(p.Collection)}
}

// maskedResident returns the resident with his ID number and phone masked.
func maskedResident(p cunjing.Resident) cunjing.Resident {
	p.IDNumber = cunjing.MaskIDNumber(p.IDNumber)
	if p.Phone != "" {
		p.Phone = cunjing.MaskPhone(p.Phone)
	}
	return p
}

// residentIn is the body of a create; on an update, the fields sent. Sex
// and birth date count for passports only: an ID number says them.
type residentIn struct {
	AreaCode    *string                   `json:"area_code"`
	AddressID   *int64                    `json:"address_id"`
	HouseholdID *int64                    `json:"household_id"`
	Relation    *cunjing.Relation         `json:"relation"`
	DocKind     *cunjing.DocKind          `json:"doc_kind"`
	IDNumber    *string                   `json:"id_number"`
	Name        *string                   `json:"name"`
	Sex         *string                   `json:"sex"`
	BirthDate   *cunjing.Date             `json:"birth_date"`
	Phone       *string                   `json:"phone"`
	Category    *cunjing.ResidentCategory `json:"category"`
	LeftBehind  *cunjing.LeftBehind       `json:"left_behind"`
	Status      *cunjing.ResidentStatus   `json:"status"`
	Note        *string                   `json:"note"`
}

// applyTo sets the fields sent on p.
func (in residentIn) applyTo(p *cunjing.Resident) {
	setSent(&p.AreaCode, in.AreaCode)
	setSent(&p.AddressID, in.AddressID)
	setSent(&p.HouseholdID, in.HouseholdID)
	setSent(&p.Relation, in.Relation)
	setSent(&p.DocKind, in.DocKind)
	setSent(&p.IDNumber, in.IDNumber)
	setSent(&p.Name, in.Name)
	setSent(&p.Sex, in.Sex)
	setSent(&p.BirthDate, in.BirthDate)
	setSent(&p.Phone, in.Phone)
	setSent(&p.Category, in.Category)
	setSent(&p.LeftBehind, in.LeftBehind)
	setSent(&p.Status, in.Status)
	setSent(&p.Note, in.Note)
}

// listResidents answers GET /api/v1/residents?under=&address_id=&household_id=&category=&left_behind=&status=&state=&limit=&cursor=:
// the residents in scope by ID, masked.
func (a *api) listResidents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fields := map[string]string{}
	f := cunjing.ResidentFilter{Under: q.Get("under"), AddressID: idParam(fields, "address_id", q.Get("address_id")),
		HouseholdID: idParam(fields, "household_id", q.Get("household_id")), Category: cunjing.ResidentCategory(q.Get("category")),
		LeftBehind: cunjing.LeftBehind(q.Get("left_behind")), Status: cunjing.ResidentStatus(q.Get("status")),
		State: cunjing.CollectState(q.Get("state"))}
	checkAreaCode(fields, "under", f.Under)
	checkState(fields, f.State)
	if f.Category != "" && !slices.Contains(cunjing.ResidentCategories, f.Category) {
		fields["category"] = "must be registered, floating or overseas"
	}
	if f.LeftBehind != "" && !slices.Contains(cunjing.LeftBehinds, f.LeftBehind) {
		fields["left_behind"] = "must be elderly or child"
	}
	if f.Status != "" && !slices.Contains(cunjing.ResidentStatuses, f.Status) {
		fields["status"] = "must be present, moved_out or deceased"
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	found, next, err := a.Residents.FindResidents(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]residentJSON, len(found))
	for i, p := range found {
		items[i] = toResidentJSON(p)
	}
	writeJSON(w, http.StatusOK, listJSON[residentJSON]{Items: items, NextCursor: next})
	return nil
}

// createResident answers POST /api/v1/residents: a person registered,
// answered masked. A person registered already is 409: in scope the
// message names the record; outside it, the conflict is reported to both
// sides.
func (a *api) createResident(w http.ResponseWriter, r *http.Request) error {
	var in residentIn
	if err := decode(r, &in); err != nil {
		return err
	}
	var p cunjing.Resident
	in.applyTo(&p)
	if err := a.Residents.CreateResident(r.Context(), &p); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/residents/%d", p.ID))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, toResidentJSON(maskedResident(p)))
	return nil
}

// getResident answers GET /api/v1/residents/{id}: the resident with his ID
// number and phone in full (masked by the store for roles that do not read
// personal data); the store audits the read.
func (a *api) getResident(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	p, err := a.Residents.Resident(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, toResidentJSON(*p))
	return nil
}

// updateResident answers PATCH /api/v1/residents/{id}: the fields sent
// change, the others stay; the history keeps each change.
func (a *api) updateResident(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in residentIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if in == (residentIn{}) {
		return cunjing.Errorf(cunjing.EInvalid, "nothing to change")
	}
	p, err := a.Residents.Resident(r.Context(), id)
	if err != nil {
		return err
	}
	in.applyTo(p)
	if err := a.Residents.UpdateResident(r.Context(), *p); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// residentHistory answers GET /api/v1/residents/{id}/history: personal
// values are masked.
func (a *api) residentHistory(w http.ResponseWriter, r *http.Request) error {
	return a.writeHistory(w, r, cunjing.RecordResident)
}

// householdJSON is a household with its members, masked.
type householdJSON struct {
	ID        int64          `json:"id"`
	AreaCode  string         `json:"area_code"`
	AddressID int64          `json:"address_id"`
	Number    string         `json:"number"`
	Members   []residentJSON `json:"members"`
}

// createHousehold answers POST /api/v1/households {"area_code",
// "address_id", "number", "members": [resident…]}: the household and its
// members in one transaction; a member refused is named and nothing is
// written.
func (a *api) createHousehold(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		AreaCode  string       `json:"area_code"`
		AddressID int64        `json:"address_id"`
		Number    string       `json:"number"`
		Members   []residentIn `json:"members"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	h := cunjing.Household{AreaCode: in.AreaCode, AddressID: in.AddressID, Number: in.Number,
		Members: make([]cunjing.Resident, len(in.Members))}
	for i, m := range in.Members {
		m.applyTo(&h.Members[i])
	}
	if err := a.Residents.CreateHousehold(r.Context(), &h); err != nil {
		return itemFailure("member", err)
	}
	members := make([]residentJSON, len(h.Members))
	for i, m := range h.Members {
		members[i] = toResidentJSON(maskedResident(m))
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/households/%d", h.ID))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, householdJSON{ID: h.ID, AreaCode: h.AreaCode, AddressID: h.AddressID, Number: h.Number,
		Members: members})
	return nil
}

// getHousehold answers GET /api/v1/households/{id}: the household and its
// members, the head first, masked.
func (a *api) getHousehold(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	h, err := a.Residents.Household(r.Context(), id)
	if err != nil {
		return err
	}
	members := make([]residentJSON, len(h.Members))
	for i, m := range h.Members {
		members[i] = toResidentJSON(m)
	}
	writeJSON(w, http.StatusOK, householdJSON{ID: h.ID, AreaCode: h.AreaCode, AddressID: h.AddressID, Number: h.Number, Members: members})
	return nil
}

// conflictJSON is a person claimed in one area and held in another.
type conflictJSON struct {
	ID         int64      `json:"id"`
	ResidentID int64      `json:"resident_id"`
	HeldIn     string     `json:"held_in"`
	ClaimedIn  string     `json:"claimed_in"`
	ClaimedBy  string     `json:"claimed_by"`
	ClaimedAt  time.Time  `json:"claimed_at"`
	Name       string     `json:"name"`
	IDMasked   string     `json:"id_masked"`
	Resolved   bool       `json:"resolved"`
	ResolvedBy string     `json:"resolved_by"`
	Resolution string     `json:"resolution"`
	ResolvedAt *time.Time `json:"resolved_at"`
}

// listConflicts answers GET /api/v1/conflicts?limit=&cursor=: the open
// conflicts that touch the scope, from either side.
func (a *api) listConflicts(w http.ResponseWriter, r *http.Request) error {
	page, err := parsePage(r.URL.Query(), map[string]string{})
	if err != nil {
		return err
	}
	found, next, err := a.Residents.FindConflicts(r.Context(), page)
	if err != nil {
		return err
	}
	items := make([]conflictJSON, len(found))
	for i, c := range found {
		items[i] = conflictJSON{ID: c.ID, ResidentID: c.ResidentID, HeldIn: c.HeldIn, ClaimedIn: c.ClaimedIn, ClaimedBy: c.ClaimedBy,
			ClaimedAt: c.ClaimedAt, Name: c.Name, IDMasked: c.IDMasked, Resolved: c.Resolved, ResolvedBy: c.ResolvedBy,
			Resolution: c.Resolution}
		if c.Resolved {
			items[i].ResolvedAt = &found[i].ResolvedAt
		}
	}
	writeJSON(w, http.StatusOK, listJSON[conflictJSON]{Items: items, NextCursor: next})
	return nil
}

// resolveConflict answers POST /api/v1/conflicts/{id}/resolve {"resolution"}.
func (a *api) resolveConflict(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in struct {
		Resolution string `json:"resolution"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.Residents.ResolveConflict(r.Context(), id, in.Resolution); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
