package api

import (
	"fmt"
	"net/http"
	"slices"

	"cunjing"
)

// orgJSON is an org (actual unit) as the API shows it; the phone is masked
// except on the detail, for roles that read personal data.
type orgJSON struct {
	ID              int64           `json:"id"`
	AreaCode        string          `json:"area_code"`
	AddressID       int64           `json:"address_id"`
	AddressText     string          `json:"address_text"`
	Name            string          `json:"name"`
	CreditCode      string          `json:"credit_code"`
	Type            cunjing.OrgType `json:"type"`
	Special         bool            `json:"special"`
	LegalRep        string          `json:"legal_rep"`
	SecurityContact string          `json:"security_contact"`
	ContactPhone    string          `json:"contact_phone"`
	StaffCount      int             `json:"staff_count"`
	Note            string          `json:"note"`
	Collection      recordStateJSON `json:"collection"`
}

func toOrgJSON(o cunjing.Org) orgJSON {
	return orgJSON{ID: o.ID, AreaCode: o.AreaCode, AddressID: o.AddressID, AddressText: o.AddressText, Name: o.Name, CreditCode: o.CreditCode,
		Type: o.Type, Special: o.Type.Special(), LegalRep: o.LegalRep, SecurityContact: o.SecurityContact, ContactPhone: o.ContactPhone,
		StaffCount: o.StaffCount, Note: o.Note, Collection: toRecordStateJSON(o.Collection)}
}

// orgIn is the body of a create; on an update, the fields sent. An org
// placed at an address lies in the address's area.
type orgIn struct {
	AreaCode        *string          `json:"area_code"`
	AddressID       *int64           `json:"address_id"`
	Name            *string          `json:"name"`
	CreditCode      *string          `json:"credit_code"`
	Type            *cunjing.OrgType `json:"type"`
	LegalRep        *string          `json:"legal_rep"`
	SecurityContact *string          `json:"security_contact"`
	ContactPhone    *string          `json:"contact_phone"`
	StaffCount      *int             `json:"staff_count"`
	Note            *string          `json:"note"`
}

func (in orgIn) applyTo(o *cunjing.Org) {
	setSent(&o.AreaCode, in.AreaCode)
	setSent(&o.AddressID, in.AddressID)
	setSent(&o.Name, in.Name)
	setSent(&o.CreditCode, in.CreditCode)
	setSent(&o.Type, in.Type)
	setSent(&o.LegalRep, in.LegalRep)
	setSent(&o.SecurityContact, in.SecurityContact)
	setSent(&o.ContactPhone, in.ContactPhone)
	setSent(&o.StaffCount, in.StaffCount)
	setSent(&o.Note, in.Note)
}

// listOrgs answers GET /api/v1/orgs?under=&type=&special=&q=&state=&limit=&cursor=:
// the orgs in scope, by ID, phones masked; q is part of the name or the
// credit code.
func (a *api) listOrgs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fields := map[string]string{}
	f := cunjing.OrgFilter{Under: q.Get("under"), Type: cunjing.OrgType(q.Get("type")), Special: boolParam(fields, "special", q.Get("special")),
		Query: q.Get("q"), State: reviewStateParam(fields, q.Get("state"))}
	checkAreaCode(fields, "under", f.Under)
	if f.Type != "" && !slices.Contains(cunjing.OrgTypes, f.Type) {
		fields["type"] = "unknown type of unit"
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	orgs, next, err := a.Orgs.FindOrgs(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]orgJSON, len(orgs))
	for i, o := range orgs {
		items[i] = toOrgJSON(o)
	}
	writeJSON(w, http.StatusOK, listJSON[orgJSON]{Items: items, NextCursor: next})
	return nil
}

// createOrg answers POST /api/v1/orgs: an org in an area in scope; a
// credit code already registered is a conflict.
func (a *api) createOrg(w http.ResponseWriter, r *http.Request) error {
	var in orgIn
	if err := decode(r, &in); err != nil {
		return err
	}
	var o cunjing.Org
	in.applyTo(&o)
	if err := a.Orgs.CreateOrg(r.Context(), &o); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/orgs/%d", o.ID))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, toOrgJSON(o))
	return nil
}

// getOrg answers GET /api/v1/orgs/{id}: the org with its phone in full for
// roles that read personal data (the store audits the read).
func (a *api) getOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	o, err := a.Orgs.Org(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, toOrgJSON(*o))
	return nil
}

// updateOrg answers PATCH /api/v1/orgs/{id}: the fields sent change, the
// others stay; the history keeps each change, the phone masked.
func (a *api) updateOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in orgIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if in == (orgIn{}) {
		return cunjing.Errorf(cunjing.EInvalid, "nothing to change")
	}
	o, err := a.Orgs.Org(r.Context(), id)
	if err != nil {
		return err
	}
	in.applyTo(o)
	if err := a.Orgs.UpdateOrg(r.Context(), *o); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// inspectionJSON is an inspection of an org.
type inspectionJSON struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"org_id"`
	Date      string `json:"date"`
	Inspector string `json:"inspector"`
	Passed    bool   `json:"passed"`
	Findings  string `json:"findings"`
}

func toInspectionJSON(in cunjing.OrgInspection) inspectionJSON {
	return inspectionJSON{ID: in.ID, OrgID: in.OrgID, Date: in.Date.String(), Inspector: in.Inspector, Passed: in.Passed, Findings: in.Findings}
}

// listInspections answers GET /api/v1/orgs/{id}/inspections: every
// inspection of the org, newest first, in one page.
func (a *api) listInspections(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	found, err := a.Orgs.Inspections(r.Context(), id)
	if err != nil {
		return err
	}
	items := make([]inspectionJSON, len(found))
	for i, in := range found {
		items[i] = toInspectionJSON(in)
	}
	writeJSON(w, http.StatusOK, listJSON[inspectionJSON]{Items: items})
	return nil
}

// createInspection answers POST /api/v1/orgs/{id}/inspections
// {"date", "passed", "findings"}: an inspection by the caller.
func (a *api) createInspection(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in struct {
		Date     string `json:"date"`
		Passed   bool   `json:"passed"`
		Findings string `json:"findings"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	inspection := cunjing.OrgInspection{OrgID: id, Date: dateParam(fields, "date", in.Date), Passed: in.Passed, Findings: in.Findings}
	if err := invalidParams(fields); err != nil {
		return err
	}
	if err := a.Orgs.AddInspection(r.Context(), &inspection); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toInspectionJSON(inspection))
	return nil
}
