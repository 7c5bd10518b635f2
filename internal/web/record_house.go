package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cunjing"
)

// housePage is a house with its tenancies, the form that registers a
// tenant, and the record's trail.
type housePage struct {
	*cunjing.AreaDetail
	House    *cunjing.House
	Rentals  []cunjing.Rental
	Tenants  []cunjing.Resident // residents at the address who may rent it
	CanWrite bool
	Done     string
	Rental   rentalForm
	Trail    recordTrail
}

// rentalForm is the tenant form as last sent.
type rentalForm struct {
	TenantID int64
	Start    string
	Errors   formErrors
}

// houseForm is the form that adds or changes a house.
type houseForm struct {
	*cunjing.AreaDetail
	Address *cunjing.StdAddress
	House   cunjing.House
	New     bool
	Owner   string // "r:<resident>" or "o:<org>", "" for none
	People  []cunjing.Resident
	Orgs    []cunjing.Org
	Errors  formErrors
}

// house shows a house and its tenants.
func (u *ui) house(w http.ResponseWriter, r *http.Request) {
	u.showHouse(w, r, http.StatusOK, rentalForm{Start: today().String()})
}

func (u *ui) showHouse(w http.ResponseWriter, r *http.Request, status int, rental rentalForm) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	h, err := u.Houses.House(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page := housePage{House: h, CanWrite: canWrite(r), Done: r.URL.Query().Get("done"), Rental: rental}
	if page.AreaDetail, err = u.Areas.AreaDetail(ctx, h.AreaCode); err == nil {
		page.Rentals, err = u.Houses.Rentals(ctx, id)
	}
	if err == nil && page.CanWrite {
		var households []householdView
		households, page.Tenants, err = u.householdsAt(ctx, h.AddressID)
		for _, hh := range households {
			page.Tenants = append(page.Tenants, hh.Members...)
		}
	}
	if err == nil {
		page.Trail, err = u.trail(r, cunjing.RecordHouse, id, h.Collection)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, status, "house", page)
}

// newHouseForm shows the form that adds a house at the path's address.
func (u *ui) newHouseForm(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	form := houseForm{AreaDetail: detail, Address: a, New: true, House: cunjing.House{AddressID: a.ID, Use: cunjing.HouseSelf}}
	u.renderHouseForm(w, r, http.StatusOK, form)
}

// createHouse adds a house at the path's address and shows it.
func (u *ui) createHouse(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	form := houseForm{AreaDetail: detail, Address: a, New: true}
	err := readHouse(r, &form)
	form.House.AddressID = a.ID
	if err == nil {
		err = u.Houses.CreateHouse(r.Context(), &form.House)
	}
	if err != nil {
		u.houseFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/houses/%d?done=created", form.House.ID), http.StatusSeeOther)
}

// editHouseForm shows the form of a house, filled in.
func (u *ui) editHouseForm(w http.ResponseWriter, r *http.Request) {
	form, ok := u.houseFormOf(w, r)
	if !ok {
		return
	}
	switch {
	case form.House.OwnerResident != 0:
		form.Owner = fmt.Sprintf("r:%d", form.House.OwnerResident)
	case form.House.OwnerOrg != 0:
		form.Owner = fmt.Sprintf("o:%d", form.House.OwnerOrg)
	}
	u.renderHouseForm(w, r, http.StatusOK, form)
}

// updateHouse saves the house form and shows the house.
func (u *ui) updateHouse(w http.ResponseWriter, r *http.Request) {
	form, ok := u.houseFormOf(w, r)
	if !ok {
		return
	}
	err := readHouse(r, &form)
	if err == nil {
		err = u.Houses.UpdateHouse(r.Context(), form.House)
	}
	if err != nil {
		u.houseFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/houses/%d?done=saved", form.House.ID), http.StatusSeeOther)
}

// houseFormOf loads the path's house into its form.
func (u *ui) houseFormOf(w http.ResponseWriter, r *http.Request) (houseForm, bool) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return houseForm{}, false
	}
	ctx := r.Context()
	h, err := u.Houses.House(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return houseForm{}, false
	}
	form := houseForm{House: *h}
	if form.AreaDetail, err = u.Areas.AreaDetail(ctx, h.AreaCode); err == nil {
		form.Address, err = u.Addresses.Address(ctx, h.AddressID)
	}
	if err != nil {
		u.fail(w, r, err)
		return houseForm{}, false
	}
	return form, true
}

// readHouse reads the fields of the house form into form.House; an
// unreadable floor area is refused here.
func readHouse(r *http.Request, form *houseForm) error {
	h := &form.House
	h.Use, h.Note, form.Owner = cunjing.HouseUse(formValue(r, "use")), r.PostFormValue("note"), formValue(r, "owner")
	h.OwnerResident, h.OwnerOrg = 0, 0
	if kind, id, ok := strings.Cut(form.Owner, ":"); ok {
		n := atoiID(id)
		switch kind {
		case "r":
			h.OwnerResident = n
		case "o":
			h.OwnerOrg = n
		}
	}
	h.FloorArea = 0
	if s := formValue(r, "floor_area"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "the floor area is not a number",
				Fields: map[string]string{"floor_area": "is not a number"}}
		}
		h.FloorArea = v
	}
	return nil
}

// houseFormFailed shows the house form again with what was wrong.
func (u *ui) houseFormFailed(w http.ResponseWriter, r *http.Request, form houseForm, err error) {
	errs, status, ok := u.refusal(r, err)
	if !ok {
		u.fail(w, r, err)
		return
	}
	form.Errors = errs
	u.renderHouseForm(w, r, status, form)
}

// renderHouseForm shows the house form with the owners to choose from: the
// residents and orgs at the address.
func (u *ui) renderHouseForm(w http.ResponseWriter, r *http.Request, status int, form houseForm) {
	households, loose, err := u.householdsAt(r.Context(), form.Address.ID)
	if err == nil {
		form.Orgs, err = u.orgsAt(r.Context(), form.Address)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, h := range households {
		form.People = append(form.People, h.Members...)
	}
	form.People = append(form.People, loose...)
	u.render(w, r, status, "house_form", form)
}

// addRental registers a tenant of the path's house and shows the house.
func (u *ui) addRental(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	form := rentalForm{TenantID: formID(r, "tenant"), Start: formValue(r, "start")}
	start, err := cunjing.ParseDate(form.Start)
	if err != nil {
		err = &cunjing.Error{Code: cunjing.EInvalid, Message: "bad start", Fields: map[string]string{"start": "is not a date"}}
	}
	if err == nil {
		err = u.Houses.AddRental(r.Context(), &cunjing.Rental{HouseID: id, TenantID: form.TenantID, Start: start})
	}
	if err != nil {
		errs, status, ok := u.refusal(r, err)
		if !ok {
			u.fail(w, r, err)
			return
		}
		form.Errors = errs
		u.showHouse(w, r, status, form)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/houses/%d?done=rental#rentals", id), http.StatusSeeOther)
}

// endRental ends a tenancy of the path's house on the day given.
func (u *ui) endRental(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	rental, err := strconv.ParseInt(r.PathValue("rental"), 10, 64)
	if err != nil || rental <= 0 {
		u.errorPage(w, r, http.StatusNotFound)
		return
	}
	rentals, err := u.Houses.Rentals(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(rentals, func(x cunjing.Rental) bool { return x.ID == rental }) {
		u.errorPage(w, r, http.StatusNotFound)
		return
	}
	end, err := cunjing.ParseDate(formValue(r, "end"))
	if err != nil {
		err = &cunjing.Error{Code: cunjing.EInvalid, Message: "bad end", Fields: map[string]string{"end": "is not a date"}}
	} else if end.IsZero() {
		end = today()
	}
	if err == nil {
		err = u.Houses.EndRental(r.Context(), rental, end)
	}
	if err != nil {
		errs, status, ok := u.refusal(r, err)
		if !ok {
			u.fail(w, r, err)
			return
		}
		u.showHouse(w, r, status, rentalForm{Start: today().String(), Errors: errs})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/houses/%d?done=ended#rentals", id), http.StatusSeeOther)
}
