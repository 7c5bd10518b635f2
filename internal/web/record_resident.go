package web

import (
	"fmt"
	"net/http"
	"slices"

	"cunjing"
)

// residentPage is a resident's record: ID number and phone in full for
// roles that read personal data (the store audits the read), masked for
// the others; his household; and the record's trail.
type residentPage struct {
	*cunjing.AreaDetail
	Resident  *cunjing.Resident
	Full      bool
	Household *cunjing.Household
	CanWrite  bool
	Done      string
	Trail     recordTrail
}

// residentForm is the form that adds a resident at an address or changes
// one.
type residentForm struct {
	*cunjing.AreaDetail
	Address    *cunjing.StdAddress // nil when the resident is at no address
	Resident   cunjing.Resident
	New        bool
	Households []householdView // the households at the address to join
	Errors     formErrors
}

// resident shows a resident's record. The page holds personal data, so it
// is never cached.
func (u *ui) resident(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	p, err := u.Residents.Resident(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page := residentPage{Resident: p, Full: seesPersonal(r), CanWrite: canWrite(r), Done: r.URL.Query().Get("done")}
	if page.AreaDetail, err = u.Areas.AreaDetail(ctx, p.AreaCode); err != nil {
		u.fail(w, r, err)
		return
	}
	if p.HouseholdID != 0 {
		if page.Household, err = u.Residents.Household(ctx, p.HouseholdID); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	if page.Trail, err = u.trail(r, cunjing.RecordResident, id, p.Collection); err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "resident", page)
}

// newResidentForm shows the form that adds a resident at the path's
// address, in the household ?household= names if it lives there.
func (u *ui) newResidentForm(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	form := residentForm{AreaDetail: detail, Address: a, New: true,
		Resident: cunjing.Resident{DocKind: cunjing.DocIDCard, Category: cunjing.CategoryRegistered}}
	var err error
	if form.Households, _, err = u.householdsAt(r.Context(), a.ID); err != nil {
		u.fail(w, r, err)
		return
	}
	if h := atoiID(r.URL.Query().Get("household")); slices.ContainsFunc(form.Households, func(v householdView) bool { return v.ID == h }) {
		form.Resident.HouseholdID, form.Resident.Relation = h, cunjing.RelationChild
	}
	u.render(w, r, http.StatusOK, "resident_form", form)
}

// createResident adds a resident at the path's address and shows him.
func (u *ui) createResident(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	form := residentForm{AreaDetail: detail, Address: a, New: true, Resident: residentFromForm(r)}
	form.Resident.AreaCode, form.Resident.AddressID = a.AreaCode, a.ID
	var err error
	if form.Households, _, err = u.householdsAt(r.Context(), a.ID); err != nil {
		u.fail(w, r, err)
		return
	}
	if h := form.Resident.HouseholdID; h != 0 && !slices.ContainsFunc(form.Households, func(v householdView) bool { return v.ID == h }) {
		form.Resident.HouseholdID = 0
	}
	if form.Resident.HouseholdID == 0 {
		form.Resident.Relation = ""
	}
	if err := u.Residents.CreateResident(r.Context(), &form.Resident); err != nil {
		u.residentFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/residents/%d?done=created", form.Resident.ID), http.StatusSeeOther)
}

// editResidentForm shows the form of a resident, filled in; it shows his
// ID number and phone in full, so the read is audited like the record's.
func (u *ui) editResidentForm(w http.ResponseWriter, r *http.Request) {
	form, ok := u.residentFormOf(w, r)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "resident_form", form)
}

// updateResident saves the resident form and shows the record.
func (u *ui) updateResident(w http.ResponseWriter, r *http.Request) {
	form, ok := u.residentFormOf(w, r)
	if !ok {
		return
	}
	in := residentFromForm(r)
	p := &form.Resident
	p.DocKind, p.IDNumber, p.Name, p.Sex, p.BirthDate = in.DocKind, in.IDNumber, in.Name, in.Sex, in.BirthDate
	p.Phone, p.Category, p.LeftBehind, p.Status, p.Note = in.Phone, in.Category, in.LeftBehind, in.Status, in.Note
	if p.HouseholdID != 0 {
		p.Relation = in.Relation
	}
	if err := u.Residents.UpdateResident(r.Context(), *p); err != nil {
		u.residentFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/residents/%d?done=saved", p.ID), http.StatusSeeOther)
}

// residentFormOf loads the path's resident into his form.
func (u *ui) residentFormOf(w http.ResponseWriter, r *http.Request) (residentForm, bool) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return residentForm{}, false
	}
	ctx := r.Context()
	p, err := u.Residents.Resident(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return residentForm{}, false
	}
	form := residentForm{Resident: *p}
	if form.AreaDetail, err = u.Areas.AreaDetail(ctx, p.AreaCode); err == nil && p.AddressID != 0 {
		form.Address, err = u.Addresses.Address(ctx, p.AddressID)
	}
	if err != nil {
		u.fail(w, r, err)
		return residentForm{}, false
	}
	return form, true
}

// residentFromForm reads the fields of the resident form.
func residentFromForm(r *http.Request) cunjing.Resident {
	p := cunjing.Resident{DocKind: cunjing.DocKind(formValue(r, "doc_kind")), IDNumber: formValue(r, "id_number"),
		Name: formValue(r, "name"), Sex: formValue(r, "sex"), Phone: formValue(r, "phone"),
		Category: cunjing.ResidentCategory(formValue(r, "category")), LeftBehind: cunjing.LeftBehind(formValue(r, "left_behind")),
		Status: cunjing.ResidentStatus(formValue(r, "status")), Note: r.PostFormValue("note"),
		HouseholdID: formID(r, "household"), Relation: cunjing.Relation(formValue(r, "relation"))}
	if p.DocKind == cunjing.DocPassport {
		p.BirthDate, _ = cunjing.ParseDate(formValue(r, "birth_date"))
	} else {
		p.Sex = ""
	}
	return p
}

// residentFormFailed shows the resident form again with what was wrong.
func (u *ui) residentFormFailed(w http.ResponseWriter, r *http.Request, form residentForm, err error) {
	errs, status, ok := u.refusal(r, err)
	if !ok {
		u.fail(w, r, err)
		return
	}
	form.Errors = errs
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, status, "resident_form", form)
}

// idCheck is the answer to an ID number typed into a form: what it says of
// its holder, or what is wrong with it.
type idCheck struct {
	Empty   bool
	Birth   string
	Sex     string
	Region  string
	Problem string
}

// checkIDNumber checks the ID number of a form as it is typed (htmx posts
// it: a number is personal data and stays out of URLs) and answers with a
// fragment to show beside the field.
func (u *ui) checkIDNumber(w http.ResponseWriter, r *http.Request) {
	text, kind := r.PostFormValue("id_number"), cunjing.DocKind(r.PostFormValue("doc_kind"))
	var c idCheck
	tr := u.tr[langFrom(r.Context())]
	switch {
	case formValue(r, "id_number") == "":
		c.Empty = true
	case kind == cunjing.DocPassport:
		if _, ok := cunjing.ParsePassport(text); !ok {
			c.Problem = tr.must("problem.id_number.passport")
		} else {
			c.Empty = true
		}
	default:
		id, err := cunjing.ParseIDNumber(text, today())
		if err != nil {
			c.Problem = tr.explain("id_number", err.(*cunjing.Error).Fields["id_number"])
			break
		}
		c.Birth, c.Region, c.Sex = id.Birth.String(), id.Region, "M"
		if id.Female {
			c.Sex = "F"
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	u.execute(w, r, http.StatusOK, "resident_form", "id-check", c)
}

// atoiID reads a positive ID, 0 when s is none.
func atoiID(s string) int64 {
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil || id < 0 {
		return 0
	}
	return id
}
