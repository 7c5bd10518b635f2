package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cunjing"
)

// visitBody bounds the visit form: its fields and one photo.
const visitBody = photoBody + formBody

// visitForm is the form that logs a visit: to a household, person or org
// at an address, or to an area as a whole.
type visitForm struct {
	*cunjing.AreaDetail
	Address  *cunjing.StdAddress // nil for a visit to the area
	Targets  []visitChoice
	Target   string
	Kind     cunjing.VisitKind
	Date     string
	Today    string
	Content  string
	Problems string
	Point    pointForm
	Errors   formErrors
}

// visitChoice is one thing the visit may be to: "household:12", "area".
type visitChoice struct {
	Value string
	Kind  cunjing.VisitTarget
	Label string
}

// visitPage is a logged visit with its photos.
type visitPage struct {
	*cunjing.AreaDetail
	Visit  *cunjing.Visit
	Photos []cunjing.Photo
	Done   string
}

// newAddressVisitForm shows the visit form for the path's address;
// ?target= picks what is visited.
func (u *ui) newAddressVisitForm(w http.ResponseWriter, r *http.Request) {
	a, detail, ok := u.addressAndArea(w, r)
	if !ok {
		return
	}
	u.renderVisitForm(w, r, http.StatusOK, u.newVisitForm(detail, a, r.URL.Query().Get("target")))
}

// newAreaVisitForm shows the visit form for the path's area as a whole.
func (u *ui) newAreaVisitForm(w http.ResponseWriter, r *http.Request) {
	detail, ok := u.collectingArea(w, r)
	if !ok {
		return
	}
	u.renderVisitForm(w, r, http.StatusOK, u.newVisitForm(detail, nil, "area"))
}

func (u *ui) newVisitForm(detail *cunjing.AreaDetail, a *cunjing.StdAddress, target string) visitForm {
	d := today().String()
	return visitForm{AreaDetail: detail, Address: a, Target: target, Kind: cunjing.VisitHousehold, Date: d,
		Point: pointForm{Datum: "WGS-84"}}
}

// renderVisitForm shows the visit form with the targets to choose from.
func (u *ui) renderVisitForm(w http.ResponseWriter, r *http.Request, status int, form visitForm) {
	targets, err := u.visitTargets(r, form.AreaDetail, form.Address)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	form.Targets, form.Today = targets, today().String()
	if !slices.ContainsFunc(targets, func(c visitChoice) bool { return c.Value == form.Target }) {
		form.Target = targets[0].Value
	}
	u.render(w, r, status, "visit_form", form)
}

// visitTargets lists what a visit at an address may be to: its
// households, its residents, its orgs, then the area; at no address, the
// area alone.
func (u *ui) visitTargets(r *http.Request, area *cunjing.AreaDetail, a *cunjing.StdAddress) ([]visitChoice, error) {
	var out []visitChoice
	if a != nil {
		households, loose, err := u.householdsAt(r.Context(), a.ID)
		if err != nil {
			return nil, err
		}
		orgs, err := u.orgsAt(r.Context(), a)
		if err != nil {
			return nil, err
		}
		tr := u.tr[langFrom(r.Context())]
		for _, h := range households {
			out = append(out, visitChoice{fmt.Sprintf("household:%d", h.ID), cunjing.TargetHousehold, tr.mustf("visit_form.household_of", h.Head())})
		}
		for _, h := range households {
			loose = append(loose, h.Members...)
		}
		for _, p := range loose {
			out = append(out, visitChoice{fmt.Sprintf("resident:%d", p.ID), cunjing.TargetResident, p.Name})
		}
		for _, o := range orgs {
			out = append(out, visitChoice{fmt.Sprintf("org:%d", o.ID), cunjing.TargetOrg, o.Name})
		}
	}
	return append(out, visitChoice{"area", cunjing.TargetArea, area.Name}), nil
}

// createVisit logs a visit, with the photo if one was sent, and shows it.
// The photo is checked before the visit is saved, so that a refused photo
// leaves nothing behind.
func (u *ui) createVisit(w http.ResponseWriter, r *http.Request) {
	var tooLarge *http.MaxBytesError
	if err := r.ParseMultipartForm(visitBody); errors.As(err, &tooLarge) {
		u.errorPage(w, r, http.StatusRequestEntityTooLarge)
		return
	}
	form, ok := u.visitPlace(w, r)
	if !ok {
		return
	}
	form.Target, form.Kind, form.Date = formValue(r, "target"), cunjing.VisitKind(formValue(r, "kind")), formValue(r, "date")
	form.Content, form.Problems = r.PostFormValue("content"), r.PostFormValue("problems")
	v := &cunjing.Visit{AreaCode: form.Code, Kind: form.Kind, Content: form.Content, Problems: form.Problems}
	kind, id, _ := strings.Cut(form.Target, ":")
	v.Target, v.TargetID = cunjing.VisitTarget(kind), atoiID(id)
	var err error
	if v.Date, err = cunjing.ParseDate(form.Date); err != nil {
		err = &cunjing.Error{Code: cunjing.EInvalid, Message: "bad date", Fields: map[string]string{"date": "is not a date"}}
	}
	var photo []byte
	if err == nil {
		form.Point, v.Location, err = readPoint(r)
	}
	if err == nil {
		photo, err = readVisitPhoto(r)
	}
	if err == nil {
		err = u.Visits.CreateVisit(r.Context(), v)
	}
	if err != nil {
		u.visitFormFailed(w, r, form, err)
		return
	}
	done := "created"
	if photo != nil {
		if err := u.Visits.AddVisitPhoto(r.Context(), v.ID, cunjing.Photo{Data: photo}); err != nil {
			u.Logger.Warn("web: visit photo", "visit", v.ID, "err", err)
			done = "photo_failed"
		}
	}
	http.Redirect(w, r, fmt.Sprintf("/visits/%d?done=%s", v.ID, done), http.StatusSeeOther)
}

// visitPlace reads where the posted visit form was opened: at an address
// (field "address") or for an area ("area").
func (u *ui) visitPlace(w http.ResponseWriter, r *http.Request) (visitForm, bool) {
	ctx := r.Context()
	var a *cunjing.StdAddress
	code := formValue(r, "area")
	var err error
	if id := formID(r, "address"); id != 0 {
		if a, err = u.Addresses.Address(ctx, id); err == nil {
			code = a.AreaCode
		}
	}
	var detail *cunjing.AreaDetail
	if err == nil {
		detail, err = u.Areas.AreaDetail(ctx, code)
	}
	if err == nil && !holdsAddresses(detail.Level) {
		err = cunjing.Errorf(cunjing.ENotFound, "no visits are logged in this area")
	}
	if err != nil {
		u.fail(w, r, err)
		return visitForm{}, false
	}
	return visitForm{AreaDetail: detail, Address: a}, true
}

// readVisitPhoto reads the optional "photo" file of the visit form and
// checks it; nil when none was chosen.
func readVisitPhoto(r *http.Request) ([]byte, error) {
	f, _, err := r.FormFile("photo")
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "unreadable photo", Fields: map[string]string{"photo": "unreadable"}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, cunjing.MaxPhotoBytes+1))
	if err != nil {
		return nil, fmt.Errorf("web: read photo: %w", err)
	}
	if len(data) == 0 {
		return nil, nil
	}
	if _, err := cunjing.CheckPhoto(data); err != nil {
		return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: cunjing.ErrorMessage(err), Fields: map[string]string{"photo": cunjing.ErrorMessage(err)}}
	}
	return data, nil
}

// visitFormFailed shows the visit form again with what was wrong.
func (u *ui) visitFormFailed(w http.ResponseWriter, r *http.Request, form visitForm, err error) {
	errs, status, ok := u.refusal(r, err)
	if !ok {
		u.fail(w, r, err)
		return
	}
	form.Errors = errs
	u.renderVisitForm(w, r, status, form)
}

// visit shows a logged visit.
func (u *ui) visit(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v, err := u.Visits.Visit(ctx, id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page := visitPage{Visit: v, Done: r.URL.Query().Get("done")}
	if page.AreaDetail, err = u.Areas.AreaDetail(ctx, v.AreaCode); err == nil && v.Photos > 0 {
		page.Photos, err = u.Visits.VisitPhotos(ctx, id)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "visit_record", page)
}

// visitPhoto serves a photo of a visit in scope.
func (u *ui) visitPhoto(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	photo, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err != nil {
		u.errorPage(w, r, http.StatusNotFound)
		return
	}
	p, err := u.Visits.VisitPhoto(r.Context(), id, photo)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Write(p.Data)
}
