package web

import (
	"fmt"
	"net/http"
	"strconv"

	"cunjing"
)

// orgPage is an org's record: its contact phone in full for roles that
// read personal data (the store audits the read), and the record's trail.
type orgPage struct {
	*cunjing.AreaDetail
	Org      *cunjing.Org
	Full     bool
	CanWrite bool
	Done     string
	Trail    recordTrail
}

// orgForm is the form that adds an org at an address or changes one.
type orgForm struct {
	*cunjing.AreaDetail
	Address *cunjing.StdAddress // nil when the org is at no address
	Org     cunjing.Org
	New     bool
	Staff   string // the staff count as typed
	Errors  formErrors
}

// orgRecord shows an org. The page may hold its phone, so it is never
// cached.
func (u *ui) orgRecord(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	o, err := u.Orgs.Org(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page := orgPage{Org: o, Full: seesPersonal(r), CanWrite: canWrite(r), Done: r.URL.Query().Get("done")}
	if page.AreaDetail, err = u.Areas.AreaDetail(r.Context(), o.AreaCode); err == nil {
		page.Trail, err = u.trail(r, cunjing.RecordOrg, id, o.Collection)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "org_record", page)
}

// newOrgForm shows the form that adds an org at the path's address.
func (u *ui) newOrgForm(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	u.render(w, r, http.StatusOK, "org_form", orgForm{AreaDetail: detail, Address: a, New: true,
		Org: cunjing.Org{Type: cunjing.OrgShop}})
}

// createOrg adds an org at the path's address and shows it.
func (u *ui) createOrg(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	form := orgForm{AreaDetail: detail, Address: a, New: true}
	err := readOrg(r, &form)
	form.Org.AreaCode, form.Org.AddressID = a.AreaCode, a.ID
	if err == nil {
		err = u.Orgs.CreateOrg(r.Context(), &form.Org)
	}
	if err != nil {
		u.orgFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/orgs/%d?done=created", form.Org.ID), http.StatusSeeOther)
}

// editOrgForm shows the form of an org, filled in; it shows the phone in
// full, so the read is audited like the record's.
func (u *ui) editOrgForm(w http.ResponseWriter, r *http.Request) {
	form, ok := u.orgFormOf(w, r)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "org_form", form)
}

// updateOrg saves the org form and shows the org.
func (u *ui) updateOrg(w http.ResponseWriter, r *http.Request) {
	form, ok := u.orgFormOf(w, r)
	if !ok {
		return
	}
	err := readOrg(r, &form)
	if err == nil {
		err = u.Orgs.UpdateOrg(r.Context(), form.Org)
	}
	if err != nil {
		u.orgFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/orgs/%d?done=saved", form.Org.ID), http.StatusSeeOther)
}

// orgFormOf loads the path's org into its form.
func (u *ui) orgFormOf(w http.ResponseWriter, r *http.Request) (orgForm, bool) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return orgForm{}, false
	}
	ctx := r.Context()
	o, err := u.Orgs.Org(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return orgForm{}, false
	}
	form := orgForm{Org: *o, Staff: strconv.Itoa(o.StaffCount)}
	if form.AreaDetail, err = u.Areas.AreaDetail(ctx, o.AreaCode); err == nil && o.AddressID != 0 {
		form.Address, err = u.Addresses.Address(ctx, o.AddressID)
	}
	if err != nil {
		u.fail(w, r, err)
		return orgForm{}, false
	}
	return form, true
}

// readOrg reads the fields of the org form into form.Org; an unreadable
// staff count is refused here.
func readOrg(r *http.Request, form *orgForm) error {
	o := &form.Org
	o.Name, o.CreditCode, o.Type = formValue(r, "name"), formValue(r, "credit_code"), cunjing.OrgType(formValue(r, "type"))
	o.LegalRep, o.SecurityContact, o.ContactPhone = formValue(r, "legal_rep"), formValue(r, "security_contact"), formValue(r, "contact_phone")
	o.Note, form.Staff, o.StaffCount = r.PostFormValue("note"), formValue(r, "staff_count"), 0
	if form.Staff != "" {
		n, err := strconv.Atoi(form.Staff)
		if err != nil {
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "the staff count is not a number",
				Fields: map[string]string{"staff_count": "is not a whole number"}}
		}
		o.StaffCount = n
	}
	return nil
}

// orgFormFailed shows the org form again with what was wrong.
func (u *ui) orgFormFailed(w http.ResponseWriter, r *http.Request, form orgForm, err error) {
	errs, status, ok := u.refusal(r, err)
	if !ok {
		u.fail(w, r, err)
		return
	}
	if errs.Of("name") != "" && errs.Code == cunjing.EInvalid {
		errs.Fields["name"] = u.tr[langFrom(r.Context())].must("problem.org_name")
	}
	form.Errors = errs
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, status, "org_form", form)
}
