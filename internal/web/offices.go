package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"cunjing"
)

// officesPage is the list of offices and work stations under an area by
// standard score: those below the pass mark, or all of them.
type officesPage struct {
	Area     *cunjing.AreaDetail // nil: the caller chooses among Tops
	Tops     []cunjing.Area
	Children []cunjing.ChildArea
	Scores   []cunjing.OfficeScore
	All      bool // every office, not only those below standard
	Pass     int
	Standard bool // the caller may change the standard
}

// offices lists the offices and work stations serving areas under ?under=
// (the caller's area by default), lowest score first; only those below
// the standard unless ?all=1.
func (u *ui) offices(w http.ResponseWriter, r *http.Request) {
	ctx, q := r.Context(), r.URL.Query()
	page := officesPage{All: q.Get("all") == "1", Pass: cunjing.OfficePassPercent,
		Standard: cunjing.IdentityFrom(ctx).Role.Can(cunjing.PermManageStaffing)}
	under, tops, err := u.underOrTops(ctx, q.Get("under"))
	if err == nil && under != "" {
		err = u.fillOffices(ctx, &page, under)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Tops = tops
	u.render(w, r, http.StatusOK, "offices", page)
}

func (u *ui) fillOffices(ctx context.Context, page *officesPage, under string) error {
	var err error
	if page.Area, err = u.Areas.AreaDetail(ctx, under); err != nil {
		return fmt.Errorf("web: offices: %w", err)
	}
	if page.Area.Level != cunjing.LevelVillage {
		if page.Children, err = u.Areas.ChildAreas(ctx, under); err != nil {
			return fmt.Errorf("web: offices: %w", err)
		}
	}
	below := page.Pass
	if page.All {
		below = 100
	}
	if page.Scores, err = u.Offices.OfficeScores(ctx, under, below); err != nil {
		return fmt.Errorf("web: offices: %w", err)
	}
	return nil
}

// officePage is the profile of an office with its forms: the feature and
// location, the checklist and the photo upload.
type officePage struct {
	*cunjing.OfficeProfile
	Pass      int
	CanManage bool
	Done      string // saved, checked or photo after a successful change
	Error     string // the error code of a refused change
	Form      string // the form it was refused on: office, checks or photo
	Lng, Lat  string // the location as typed
	Datum     string
}

// Below reports whether the office scores under the pass mark.
func (p officePage) Below() bool { return p.Percent() < p.Pass }

// checkRow is one item of the checklist with its last result, if any.
type checkRow struct {
	cunjing.StandardItem
	Check   cunjing.OfficeCheck
	Checked bool
	When    string // the day of the check, in Shanghai
}

// Checklist returns the items in force with their results.
func (p officePage) Checklist() []checkRow {
	rows := make([]checkRow, len(p.Items))
	for i, it := range p.Items {
		c, ok := p.Checks[it.Code]
		rows[i] = checkRow{StandardItem: it, Check: c, Checked: ok}
		if ok {
			rows[i].When = cunjing.DateOf(c.CheckedAt).String()
		}
	}
	return rows
}

// office shows the profile of an office or work station.
func (u *ui) office(w http.ResponseWriter, r *http.Request) {
	u.showOffice(w, r, http.StatusOK, officePage{Done: r.URL.Query().Get("done")})
}

// showOffice renders the office of the path with what page already holds.
func (u *ui) showOffice(w http.ResponseWriter, r *http.Request, status int, page officePage) {
	p, err := u.Offices.Office(r.Context(), r.PathValue("code"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.OfficeProfile, page.Pass, page.CanManage = p, cunjing.OfficePassPercent, canManageStaff(r)
	if page.Form != "office" && p.Location != nil {
		page.Lng, page.Lat, page.Datum = strconv.FormatFloat(p.Location.Lng, 'f', -1, 64),
			strconv.FormatFloat(p.Location.Lat, 'f', -1, 64), p.Location.Datum
	}
	u.render(w, r, status, "office", page)
}

// updateOffice saves the feature note and the location of an office.
func (u *ui) updateOffice(w http.ResponseWriter, r *http.Request) {
	feature := r.PostFormValue("feature")
	page := officePage{Form: "office", Lng: strings.TrimSpace(r.PostFormValue("lng")), Lat: strings.TrimSpace(r.PostFormValue("lat")),
		Datum: r.PostFormValue("datum")}
	up := cunjing.OfficeUpdate{Feature: &feature}
	if page.Lng != "" || page.Lat != "" {
		lng, errLng := strconv.ParseFloat(page.Lng, 64)
		lat, errLat := strconv.ParseFloat(page.Lat, 64)
		if errLng != nil || errLat != nil {
			page.Error = cunjing.EInvalid
			u.showOffice(w, r, http.StatusBadRequest, page)
			return
		}
		up.Location = &cunjing.Point{Lng: lng, Lat: lat, Datum: page.Datum}
	}
	u.officeChanged(w, r, page, "saved", u.Offices.UpdateOffice(r.Context(), r.PathValue("code"), up))
}

// checkOffice records the checklist: each item ticked met or not met,
// with its note; items ticked neither way are left as they were.
func (u *ui) checkOffice(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	var checks []cunjing.OfficeCheck
	for _, item := range r.PostForm["item"] {
		met := r.PostForm.Get("met." + item)
		if met != "1" && met != "0" {
			continue
		}
		checks = append(checks, cunjing.OfficeCheck{Item: item, Met: met == "1", Note: r.PostForm.Get("note." + item)})
	}
	u.officeChanged(w, r, officePage{Form: "checks"}, "checked", u.Offices.CheckOffice(r.Context(), r.PathValue("code"), checks))
}

// addOfficePhoto stores an uploaded photo of an office.
func (u *ui) addOfficePhoto(w http.ResponseWriter, r *http.Request) {
	p, err := readOfficePhoto(r)
	if err == nil {
		_, err = u.Offices.AddOfficePhoto(r.Context(), r.PathValue("code"), p)
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = cunjing.Errorf(cunjing.ETooLarge, "the photo is too large")
	}
	u.officeChanged(w, r, officePage{Form: "photo"}, "photo", err)
}

// officeChanged goes back to the office after a change, with done set; a
// refused change shows the office again with the error on its form.
func (u *ui) officeChanged(w http.ResponseWriter, r *http.Request, page officePage, done string, err error) {
	code := cunjing.ErrorCode(err)
	status := map[string]int{cunjing.EInvalid: http.StatusBadRequest, cunjing.EConflict: http.StatusConflict,
		cunjing.ETooLarge: http.StatusRequestEntityTooLarge}[code]
	switch {
	case err == nil:
		http.Redirect(w, r, "/offices/"+r.PathValue("code")+"?done="+done, http.StatusSeeOther)
	case status != 0:
		page.Error = code
		u.showOffice(w, r, status, page)
	default:
		u.fail(w, r, err)
	}
}

// readOfficePhoto reads the "photo" file and the "caption" field of a
// multipart form; the photo at most one byte over cunjing.MaxPhotoBytes so
// that the store can refuse it.
func readOfficePhoto(r *http.Request) (cunjing.Photo, error) {
	var p cunjing.Photo
	mr, err := r.MultipartReader()
	if err != nil {
		return p, cunjing.Errorf(cunjing.EInvalid, "the upload is not a multipart form")
	}
	for {
		part, err := mr.NextPart()
		var tooLarge *http.MaxBytesError
		switch {
		case err == io.EOF && p.Data == nil:
			return p, cunjing.Errorf(cunjing.EInvalid, "no photo in the upload")
		case err == io.EOF:
			return p, nil
		case errors.As(err, &tooLarge):
			return p, err
		case err != nil:
			return p, cunjing.Errorf(cunjing.EInvalid, "the upload is not a multipart form")
		case part.FormName() == "caption":
			caption, _ := io.ReadAll(io.LimitReader(part, 400))
			p.Caption = string(caption)
		case part.FormName() == "photo" && part.FileName() != "":
			if p.Data, err = io.ReadAll(io.LimitReader(part, cunjing.MaxPhotoBytes+1)); err != nil {
				return p, err
			}
		}
	}
}

// officePhoto serves a photo of an office in scope.
func (u *ui) officePhoto(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	p, err := u.Offices.OfficePhoto(r.Context(), r.PathValue("code"), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", "private, max-age=86400")
	w.Write(p.Data)
}

// standardPage is the form of the construction standard: the items in
// force and a few blank rows to add items, with the error of the last
// attempt and the row it was on (0-based; -1 for none).
type standardPage struct {
	Rows  []standardRow
	Saved bool
	Error string
	Row   int
}

// standardRow is one row of the standard form; New rows have an editable
// code.
type standardRow struct {
	cunjing.StandardItem
	PointsText string
	New        bool
}

// blankStandardRows is how many empty rows the standard form offers.
const blankStandardRows = 3

// officeStandard shows the items of the construction standard to change.
func (u *ui) officeStandard(w http.ResponseWriter, r *http.Request) {
	items, err := u.Offices.StandardItems(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page := standardPage{Saved: r.URL.Query().Get("done") == "saved", Row: -1}
	for _, it := range items {
		page.Rows = append(page.Rows, standardRow{StandardItem: it, PointsText: strconv.Itoa(it.Points)})
	}
	u.renderStandard(w, r, http.StatusOK, page)
}

func (u *ui) renderStandard(w http.ResponseWriter, r *http.Request, status int, page standardPage) {
	for range blankStandardRows {
		page.Rows = append(page.Rows, standardRow{New: true})
	}
	u.render(w, r, status, "office_standard", page)
}

// saveOfficeStandard makes the rows of the form, less those marked for
// removal and the blank ones, the standard.
func (u *ui) saveOfficeStandard(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	rows, items := standardRows(r.PostForm)
	err := u.Offices.SaveStandardItems(r.Context(), items)
	if err == nil {
		http.Redirect(w, r, "/admin/office-standard?done=saved", http.StatusSeeOther)
		return
	}
	if code := cunjing.ErrorCode(err); code == cunjing.EForbidden {
		u.renderStandard(w, r, http.StatusForbidden, standardPage{Rows: rows, Error: code, Row: -1})
		return
	} else if code != cunjing.EInvalid {
		u.fail(w, r, err)
		return
	}
	page := standardPage{Rows: rows, Error: cunjing.EInvalid, Row: -1}
	var item *cunjing.ItemError
	if errors.As(err, &item) {
		page.Row = item.Index
	}
	u.renderStandard(w, r, http.StatusBadRequest, page)
}

// standardRows reads the rows of the standard form as typed, and the items
// they make: the rows kept, in order. Blank rows are dropped, so that an
// item's index is its row's.
func standardRows(form url.Values) ([]standardRow, []cunjing.StandardItem) {
	codes, names, points, fresh := form["code"], form["name"], form["points"], form["new"]
	remove := map[string]bool{}
	for _, c := range form["remove"] {
		remove[c] = true
	}
	var rows []standardRow
	items := []cunjing.StandardItem{}
	for i := range codes {
		row := standardRow{StandardItem: cunjing.StandardItem{Code: strings.TrimSpace(codes[i]), Name: at(names, i)},
			PointsText: strings.TrimSpace(at(points, i)), New: at(fresh, i) == "1"}
		if row.Code == "" && strings.TrimSpace(row.Name) == "" && row.PointsText == "" || remove[row.Code] && !row.New {
			continue
		}
		row.Points, _ = strconv.Atoi(row.PointsText)
		rows = append(rows, row)
		items = append(items, row.StandardItem)
	}
	return rows, items
}

// at returns values[i], or "" past the end.
func at(values []string, i int) string {
	if i < len(values) {
		return values[i]
	}
	return ""
}
