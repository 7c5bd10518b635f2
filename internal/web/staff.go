package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/httpx"
)

// manageStaff is the policy of the pages that change staff and posts.
var manageStaff = auth.Allow(cunjing.PermManageStaff)

// staffLimit is how many members of staff one page lists.
const staffLimit = 50

// photoBody bounds a photo upload: the photo and the multipart framing.
const photoBody = cunjing.MaxPhotoBytes + 64<<10

// staffListPage is the staff list: the filters, one page of staff with
// phones masked and the links to the first and next pages.
type staffListPage struct {
	Unit      string
	Kind      cunjing.StaffKind
	Status    cunjing.StaffStatus
	Query     string
	Kinds     []cunjing.StaffKind
	Statuses  []cunjing.StaffStatus
	Units     []cunjing.Unit
	Staff     []cunjing.Staff
	CanManage bool
	First     string
	Next      string
}

// staffDetailPage is a member of staff with his phone (in full for roles
// that read personal data), his posts in force and the history.
type staffDetailPage struct {
	Staff      *cunjing.Staff
	FullPhone  bool // the phone is in full, and its read audited
	Current    []cunjing.Assignment
	History    []cunjing.Assignment
	CanManage  bool
	PhotoError string // too_large or invalid after a refused upload
	PhotoSaved bool
}

// staffForm is the form that adds or changes a member of staff, with the
// error code and the wrong fields of the last attempt.
type staffForm struct {
	cunjing.Staff
	New      bool
	Kinds    []cunjing.StaffKind
	Statuses []cunjing.StaffStatus
	Units    []cunjing.Unit
	Error    string
	Fields   map[string]string
}

// canManageStaff reports whether the caller may change staff and posts.
func canManageStaff(r *http.Request) bool {
	return cunjing.IdentityFrom(r.Context()).Role.Can(cunjing.PermManageStaff)
}

// staffList lists the staff in scope by unit, kind, status and name or
// police number; phones are masked.
func (u *ui) staffList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := staffListPage{Unit: strings.TrimSpace(q.Get("unit")), Kind: cunjing.StaffKind(q.Get("kind")),
		Status: cunjing.StaffStatus(q.Get("status")), Query: strings.TrimSpace(q.Get("q")),
		Kinds: cunjing.StaffKinds, Statuses: cunjing.StaffStatuses, CanManage: canManageStaff(r)}
	if page.Kind != "" && !slices.Contains(cunjing.StaffKinds, page.Kind) ||
		page.Status != "" && !slices.Contains(cunjing.StaffStatuses, page.Status) || len([]rune(page.Query)) > maxQuery {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	cursor := q.Get("cursor")
	staff, next, err := u.Staff.FindStaff(r.Context(), cunjing.StaffFilter{Unit: page.Unit, Kind: page.Kind, Status: page.Status,
		Query: page.Query, Page: cunjing.Page{Limit: staffLimit, Cursor: cursor}})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if page.Units, err = u.unitChoices(r.Context()); err != nil {
		u.fail(w, r, err)
		return
	}
	page.Staff = staff
	search := url.Values{"unit": {page.Unit}, "kind": {string(page.Kind)}, "status": {string(page.Status)}, "q": {page.Query}}
	if cursor != "" {
		page.First = "/staff?" + search.Encode()
	}
	if next != "" {
		search.Set("cursor", next)
		page.Next = "/staff?" + search.Encode()
	}
	u.render(w, r, http.StatusOK, "staff", page)
}

// staffDetail shows a member of staff; the store audits the read of his
// phone, which it masks for roles that do not read personal data.
func (u *ui) staffDetail(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	u.showStaff(w, r, http.StatusOK, staffDetailPage{PhotoSaved: q.Get("photo") == "saved"})
}

// showStaff renders the staff page of the path's ID with what page already
// holds (a photo error or notice). The page holds personal data, so it is
// never cached.
func (u *ui) showStaff(w http.ResponseWriter, r *http.Request, status int, page staffDetailPage) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	m, err := u.Staff.StaffMember(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	history, _, err := u.Assignments.FindAssignments(r.Context(), cunjing.AssignmentFilter{StaffID: id,
		Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	sortPosts(history)
	page.Staff, page.History, page.CanManage = m, history, canManageStaff(r)
	page.FullPhone = cunjing.IdentityFrom(r.Context()).Role.SeesPersonalData()
	for _, a := range history {
		if a.Open() {
			page.Current = append(page.Current, a)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, status, "staff_detail", page)
}

// newStaffForm shows an empty staff form.
func (u *ui) newStaffForm(w http.ResponseWriter, r *http.Request) {
	form := staffForm{New: true, Staff: cunjing.Staff{Kind: cunjing.StaffOfficer, Status: cunjing.StaffActive,
		UnitCode: r.URL.Query().Get("unit")}}
	u.renderStaffForm(w, r, http.StatusOK, form)
}

// createStaff adds a member of staff and goes to his page.
func (u *ui) createStaff(w http.ResponseWriter, r *http.Request) {
	form := staffForm{New: true, Staff: staffFromForm(r)}
	staff := []cunjing.Staff{form.Staff}
	if err := u.Staff.CreateStaff(r.Context(), staff); err != nil {
		u.staffFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/staff/%d", staff[0].ID), http.StatusSeeOther)
}

// editStaffForm shows the form of a member of staff, filled in; it shows
// the phone in full, so the read is audited like the detail.
func (u *ui) editStaffForm(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	m, err := u.Staff.StaffMember(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.renderStaffForm(w, r, http.StatusOK, staffForm{Staff: *m})
}

// updateStaff saves the staff form and goes back to his page.
func (u *ui) updateStaff(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	form := staffForm{Staff: staffFromForm(r)}
	form.ID = id
	if err := u.Staff.UpdateStaff(r.Context(), form.Staff); err != nil {
		u.staffFormFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/staff/%d", id), http.StatusSeeOther)
}

// staffFromForm reads the fields of the staff form.
func staffFromForm(r *http.Request) cunjing.Staff {
	field := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return cunjing.Staff{Name: field("name"), Kind: cunjing.StaffKind(field("kind")), UnitCode: field("unit_code"),
		Phone: field("phone"), PoliceNumber: field("police_number"), Status: cunjing.StaffStatus(field("status")),
		Username: field("username")}
}

// staffFormFailed shows the form again with what was wrong; a member of
// staff out of scope gets the not-found page.
func (u *ui) staffFormFailed(w http.ResponseWriter, r *http.Request, form staffForm, err error) {
	var item *cunjing.ItemError
	if errors.As(err, &item) {
		err = item.Err
	}
	status := map[string]int{cunjing.EInvalid: http.StatusBadRequest, cunjing.EConflict: http.StatusConflict,
		cunjing.ENotFound: http.StatusNotFound}[cunjing.ErrorCode(err)]
	var e *cunjing.Error
	if !errors.As(err, &e) || status == 0 || e.Code == cunjing.ENotFound && e.Fields["unit_code"] == "" {
		u.fail(w, r, err)
		return
	}
	form.Error, form.Fields = e.Code, e.Fields
	u.renderStaffForm(w, r, status, form)
}

// renderStaffForm shows the staff form with the kinds, statuses and units
// to choose from.
func (u *ui) renderStaffForm(w http.ResponseWriter, r *http.Request, status int, form staffForm) {
	units, err := u.unitChoices(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	form.Kinds, form.Statuses, form.Units = cunjing.StaffKinds, cunjing.StaffStatuses, units
	u.render(w, r, status, "staff_form", form)
}

// uploadStaffPhoto stores the portrait sent as the "photo" file of a
// multipart form and goes back to the page; a refused file is explained
// there.
func (u *ui) uploadStaffPhoto(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	data, err := readPhotoPart(r)
	if err == nil {
		err = u.Staff.SetStaffPhoto(r.Context(), id, cunjing.Photo{Data: data})
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		http.Redirect(w, r, fmt.Sprintf("/staff/%d?photo=saved", id), http.StatusSeeOther)
	case errors.As(err, &tooLarge) || cunjing.ErrorCode(err) == cunjing.ETooLarge:
		u.showStaff(w, r, http.StatusRequestEntityTooLarge, staffDetailPage{PhotoError: cunjing.ETooLarge})
	case cunjing.ErrorCode(err) == cunjing.EInvalid:
		u.showStaff(w, r, http.StatusBadRequest, staffDetailPage{PhotoError: cunjing.EInvalid})
	default:
		u.fail(w, r, err)
	}
}

// readPhotoPart reads the "photo" file of a multipart form, at most one
// byte over cunjing.MaxPhotoBytes so that the store can refuse it.
func readPhotoPart(r *http.Request) ([]byte, error) {
	part, err := httpx.FilePart(r, "photo")
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(part, cunjing.MaxPhotoBytes+1))
}

// staffPhoto serves the portrait of a member of staff in scope.
func (u *ui) staffPhoto(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	p, err := u.Staff.StaffPhoto(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(p.Data)
}

// pathID reads the {id} of the path.
func pathID(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil && id > 0
}

// pathIDOr404 is pathID that answers a bad id with the not-found page.
func (u *ui) pathIDOr404(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, ok := pathID(r)
	if !ok {
		u.errorPage(w, r, http.StatusNotFound)
	}
	return id, ok
}
