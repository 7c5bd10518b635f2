package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"cunjing"
)

// maxMembers bounds the member rows of one household form.
const maxMembers = 30

// householdForm is the form that records a household at an address with
// its members, one row each.
type householdForm struct {
	*cunjing.AreaDetail
	Address *cunjing.StdAddress
	Number  string
	Rows    []memberRow
	Errors  formErrors
}

// memberRow is one member of a household as typed, with the explanation of
// each field that is wrong.
type memberRow struct {
	Index      int
	Relation   cunjing.Relation
	Name       string
	IDNumber   string
	Phone      string
	Category   cunjing.ResidentCategory
	LeftBehind cunjing.LeftBehind
	Errors     map[string]string
}

// newMemberRow is an empty row; the first member is the head, the second
// his spouse, the others children until told otherwise.
func newMemberRow(i int) memberRow {
	rel := cunjing.RelationChild
	switch i {
	case 0:
		rel = cunjing.RelationHead
	case 1:
		rel = cunjing.RelationSpouse
	}
	return memberRow{Index: i, Relation: rel, Category: cunjing.CategoryRegistered}
}

// newHouseholdForm shows the household form of the path's address with one
// empty member row.
func (u *ui) newHouseholdForm(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	u.render(w, r, http.StatusOK, "household_form", householdForm{AreaDetail: detail, Address: a, Rows: []memberRow{newMemberRow(0)}})
}

// createHousehold records a household and its members in one
// transaction and shows it at its address. Every row is checked first, so
// that all the mistakes show at once; a member the store refuses is marked
// and nothing is saved. "Add a member" without JavaScript sends the form
// back with one more row.
func (u *ui) createHousehold(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	form := householdForm{AreaDetail: detail, Address: a, Number: formValue(r, "number"), Rows: memberRows(r)}
	if r.PostFormValue("add_member") != "" && len(form.Rows) < maxMembers {
		form.Rows = append(form.Rows, newMemberRow(len(form.Rows)))
		u.render(w, r, http.StatusOK, "household_form", form)
		return
	}
	h := &cunjing.Household{AreaCode: a.AreaCode, AddressID: a.ID, Number: form.Number}
	for _, row := range form.Rows {
		h.Members = append(h.Members, row.resident(a))
	}
	if u.checkMembers(r, &form, h.Members) {
		form.Errors = formErrors{Code: cunjing.EInvalid}
		u.render(w, r, http.StatusBadRequest, "household_form", form)
		return
	}
	if err := u.Residents.CreateHousehold(r.Context(), h); err != nil {
		u.householdFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/addresses/%d?done=household#household-%d", a.ID, h.ID), http.StatusSeeOther)
}

// memberRows reads the member rows of the form, leaving out empty ones.
func memberRows(r *http.Request) []memberRow {
	if err := r.ParseForm(); err != nil {
		return []memberRow{newMemberRow(0)}
	}
	f := r.PostForm
	at := func(name string, i int) string {
		if i < len(f[name]) {
			return strings.TrimSpace(f[name][i])
		}
		return ""
	}
	var rows []memberRow
	for i := range min(len(f["name"]), maxMembers) {
		row := memberRow{Index: len(rows), Relation: cunjing.Relation(at("relation", i)), Name: at("name", i),
			IDNumber: at("id_number", i), Phone: at("phone", i), Category: cunjing.ResidentCategory(at("category", i)),
			LeftBehind: cunjing.LeftBehind(at("left_behind", i))}
		if row.Name == "" && row.IDNumber == "" && row.Phone == "" {
			continue
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		rows = []memberRow{newMemberRow(0)}
	}
	return rows
}

// resident is the member of the row as a resident at address a.
func (row memberRow) resident(a *cunjing.StdAddress) cunjing.Resident {
	return cunjing.Resident{AreaCode: a.AreaCode, AddressID: a.ID, Relation: row.Relation, DocKind: cunjing.DocIDCard,
		IDNumber: row.IDNumber, Name: row.Name, Phone: row.Phone, Category: row.Category, LeftBehind: row.LeftBehind}
}

// checkMembers validates each member as the store will, marks the rows
// that are wrong, and reports whether any is.
func (u *ui) checkMembers(r *http.Request, form *householdForm, members []cunjing.Resident) bool {
	tr := u.tr[langFrom(r.Context())]
	bad, seen := false, map[string]int{}
	for i := range members {
		m := members[i]
		row := &form.Rows[i]
		var e *cunjing.Error
		if err := m.Validate(today()); errors.As(err, &e) {
			row.Errors = map[string]string{}
			for field, why := range e.Fields {
				row.Errors[field] = tr.explain(field, why)
			}
			bad = true
			continue
		}
		if j, dup := seen[m.IDNumber]; dup {
			row.Errors = map[string]string{"id_number": tr.mustf("problem.id_number.twice", j+1)}
			bad = true
		}
		seen[m.IDNumber] = i
	}
	return bad
}

// householdFormFailed shows the household form again with what the store
// refused: a member's ID number registered already, or elsewhere.
func (u *ui) householdFormFailed(w http.ResponseWriter, r *http.Request, form householdForm, err error) {
	errs, status, ok := u.refusal(r, err)
	if !ok {
		u.fail(w, r, err)
		return
	}
	var item *cunjing.ItemError
	if errors.As(err, &item) && item.Index >= 0 && item.Index < len(form.Rows) {
		form.Rows[item.Index].Errors = errs.Fields
		errs.Fields = nil
	}
	form.Errors = errs
	u.render(w, r, status, "household_form", form)
}

// household shows a household where it lives: on its address's page.
func (u *ui) household(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	h, err := u.Residents.Household(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if h.AddressID == 0 {
		u.errorPage(w, r, http.StatusNotFound)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/addresses/%d#household-%d", h.AddressID, h.ID), http.StatusFound)
}

// Key is the prefix of the row's element IDs: "m0"; the template row that
// the page's script clones has "m__i__", the script puts the index in.
func (row memberRow) Key() string { return "m" + row.Slot() }

// Slot is the row's index as the page numbers rows.
func (row memberRow) Slot() string {
	if row.Index < 0 {
		return "__i__"
	}
	return strconv.Itoa(row.Index)
}

// N is the row's number as people count: 1 for the first.
func (row memberRow) N() string {
	if row.Index < 0 {
		return "__n__"
	}
	return strconv.Itoa(row.Index + 1)
}

// Problem is the explanation of a field of the row that is wrong.
func (row memberRow) Problem(field string) string { return row.Errors[field] }

// memberTemplate is the empty row the page's script clones.
func memberTemplate() memberRow {
	return memberRow{Index: -1, Relation: cunjing.RelationChild, Category: cunjing.CategoryRegistered}
}
