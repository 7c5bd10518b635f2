package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"cunjing"
)

// addressPage is a standard address with what is at it: its houses, the
// households living there with their members (ID numbers and phones
// masked), the orgs, and the record's trail.
type addressPage struct {
	*cunjing.AreaDetail
	Address    *cunjing.StdAddress
	Houses     []cunjing.House
	Households []householdView
	Loose      []cunjing.Resident // residents at the address in no household
	Orgs       []cunjing.Org
	CanWrite   bool
	Done       string // what was just saved
	Trail      recordTrail
}

// householdView is a household at an address with its members, head first.
type householdView struct {
	ID      int64
	Number  string
	Members []cunjing.Resident
}

// Head returns the name of the head of the household, or of its first member.
func (h householdView) Head() string {
	if len(h.Members) == 0 {
		return ""
	}
	return h.Members[0].Name
}

// addressForm is the form that adds or changes a standard address.
type addressForm struct {
	*cunjing.AreaDetail
	Address cunjing.StdAddress
	New     bool
	Point   pointForm
	Errors  formErrors
}

// pointForm is a coordinate as typed or read from the phone's GPS.
type pointForm struct {
	Lng, Lat, Datum string
}

// pointFormOf is the form of a stored point.
func pointFormOf(p *cunjing.Point) pointForm {
	if p == nil {
		return pointForm{Datum: "WGS-84"}
	}
	return pointForm{Lng: strconv.FormatFloat(p.Lng, 'f', -1, 64), Lat: strconv.FormatFloat(p.Lat, 'f', -1, 64), Datum: p.Datum}
}

// readPoint reads the lng, lat and datum fields; both coordinates empty is
// no point.
func readPoint(r *http.Request) (pointForm, *cunjing.Point, error) {
	f := pointForm{Lng: formValue(r, "lng"), Lat: formValue(r, "lat"), Datum: formValue(r, "datum")}
	if f.Lng == "" && f.Lat == "" {
		return f, nil, nil
	}
	lng, err1 := strconv.ParseFloat(f.Lng, 64)
	lat, err2 := strconv.ParseFloat(f.Lat, 64)
	p := &cunjing.Point{Lng: lng, Lat: lat, Datum: f.Datum}
	if err1 != nil || err2 != nil || !p.Valid() {
		return f, nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "the location is not valid",
			Fields: map[string]string{"location": cunjing.PointProblem}}
	}
	return f, p, nil
}

// address shows a standard address and everything at it.
func (u *ui) address(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	page, err := u.addressPage(r, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "address", page)
}

func (u *ui) addressPage(r *http.Request, id int64) (*addressPage, error) {
	ctx := r.Context()
	a, err := u.Addresses.Address(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("web: address: %w", err)
	}
	detail, err := u.Areas.AreaDetail(ctx, a.AreaCode)
	if err != nil {
		return nil, fmt.Errorf("web: address area: %w", err)
	}
	page := &addressPage{AreaDetail: detail, Address: a, CanWrite: canWrite(r), Done: r.URL.Query().Get("done")}
	if page.Houses, _, err = u.Houses.FindHouses(ctx, cunjing.HouseFilter{AddressID: id, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}}); err != nil {
		return nil, fmt.Errorf("web: houses at address: %w", err)
	}
	if page.Households, page.Loose, err = u.householdsAt(ctx, id); err != nil {
		return nil, err
	}
	if page.Orgs, err = u.orgsAt(ctx, a); err != nil {
		return nil, err
	}
	page.Trail, err = u.trail(r, cunjing.RecordAddress, id, a.Collection)
	return page, err
}

// householdsAt groups the residents of an address by household, heads
// first, with each household's number; residents in no household come
// apart.
func (u *ui) householdsAt(ctx context.Context, addressID int64) ([]householdView, []cunjing.Resident, error) {
	people, _, err := u.Residents.FindResidents(ctx, cunjing.ResidentFilter{AddressID: addressID, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		return nil, nil, fmt.Errorf("web: residents at address: %w", err)
	}
	var households []householdView
	var loose []cunjing.Resident
	index := map[int64]int{}
	for _, p := range people {
		if p.HouseholdID == 0 {
			loose = append(loose, p)
			continue
		}
		i, ok := index[p.HouseholdID]
		if !ok {
			h, err := u.Residents.Household(ctx, p.HouseholdID)
			if err != nil {
				return nil, nil, fmt.Errorf("web: household at address: %w", err)
			}
			i = len(households)
			index[p.HouseholdID] = i
			households = append(households, householdView{ID: h.ID, Number: h.Number})
		}
		households[i].Members = append(households[i].Members, p)
	}
	for _, h := range households {
		slices.SortStableFunc(h.Members, func(a, b cunjing.Resident) int {
			return slices.Index(cunjing.Relations, a.Relation) - slices.Index(cunjing.Relations, b.Relation)
		})
	}
	return households, loose, nil
}

// orgsAt lists the orgs at an address (a page of them: an address holds
// few).
func (u *ui) orgsAt(ctx context.Context, a *cunjing.StdAddress) ([]cunjing.Org, error) {
	orgs, _, err := u.Orgs.FindOrgs(ctx, cunjing.OrgFilter{Under: a.AreaCode, AddressID: a.ID, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		return nil, fmt.Errorf("web: orgs at address: %w", err)
	}
	return orgs, nil
}

// newAddressForm shows the form that adds an address to the path's area.
func (u *ui) newAddressForm(w http.ResponseWriter, r *http.Request) {
	detail, ok := u.collectingArea(w, r)
	if !ok {
		return
	}
	u.render(w, r, http.StatusOK, "address_form", addressForm{AreaDetail: detail, New: true, Point: pointFormOf(nil)})
}

// collectingArea returns the path's area when records are collected in it;
// any other area is not found.
func (u *ui) collectingArea(w http.ResponseWriter, r *http.Request) (*cunjing.AreaDetail, bool) {
	detail, err := u.Areas.AreaDetail(r.Context(), r.PathValue("code"))
	if err == nil && !holdsAddresses(detail.Level) {
		err = cunjing.Errorf(cunjing.ENotFound, "no addresses are collected in this area")
	}
	if err != nil {
		u.fail(w, r, err)
		return nil, false
	}
	return detail, true
}

// createAddress adds an address and shows it.
func (u *ui) createAddress(w http.ResponseWriter, r *http.Request) {
	detail, ok := u.collectingArea(w, r)
	if !ok {
		return
	}
	form := addressForm{AreaDetail: detail, New: true, Address: addressFromForm(r)}
	form.Address.AreaCode = detail.Code
	var p *cunjing.Point
	var err error
	if form.Point, p, err = readPoint(r); err == nil {
		form.Address.Location = p
		err = u.Addresses.CreateAddress(r.Context(), &form.Address)
	}
	if err != nil {
		u.addressFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/addresses/%d?done=created", form.Address.ID), http.StatusSeeOther)
}

// editAddressForm shows the form of an address, filled in.
func (u *ui) editAddressForm(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	u.render(w, r, http.StatusOK, "address_form", addressForm{AreaDetail: detail, Address: *a, Point: pointFormOf(a.Location)})
}

// updateAddress saves the address form and shows the address.
func (u *ui) updateAddress(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	form := addressForm{AreaDetail: detail, Address: addressFromForm(r)}
	form.Address.ID, form.Address.AreaCode, form.Address.Collection = a.ID, a.AreaCode, a.Collection
	var p *cunjing.Point
	var err error
	if form.Point, p, err = readPoint(r); err == nil {
		form.Address.Location = p
		err = u.Addresses.UpdateAddress(r.Context(), form.Address)
	}
	if err != nil {
		u.addressFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/addresses/%d?done=saved", a.ID), http.StatusSeeOther)
}

// addressAndArea reads the path's address and its area.
func (u *ui) addressAndArea(w http.ResponseWriter, r *http.Request) (*cunjing.StdAddress, *cunjing.AreaDetail, bool) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return nil, nil, false
	}
	a, err := u.Addresses.Address(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return nil, nil, false
	}
	detail, err := u.Areas.AreaDetail(r.Context(), a.AreaCode)
	if err != nil {
		u.fail(w, r, err)
		return nil, nil, false
	}
	return a, detail, true
}

// addressFromForm reads the parts of an address.
func addressFromForm(r *http.Request) cunjing.StdAddress {
	return cunjing.StdAddress{Street: formValue(r, "street"), HouseNumber: formValue(r, "house_number"),
		Building: formValue(r, "building"), Entrance: formValue(r, "entrance"), Room: formValue(r, "room")}
}

// addressFormFailed shows the address form again with what was wrong.
func (u *ui) addressFormFailed(w http.ResponseWriter, r *http.Request, form addressForm, err error) {
	errs, status, ok := u.refusal(r, err)
	if !ok {
		u.fail(w, r, err)
		return
	}
	form.Errors = errs
	u.render(w, r, status, "address_form", form)
}
