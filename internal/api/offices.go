package api

import (
	"net/http"
	"strconv"
	"time"

	"cunjing"
)

// standardItemJSON is an item of the construction standard of offices.
type standardItemJSON struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Points int    `json:"points"`
}

// officeCheckJSON is the result of one item at an office.
type officeCheckJSON struct {
	Item      string     `json:"item"`
	Met       bool       `json:"met"`
	Note      string     `json:"note"`
	CheckedBy string     `json:"checked_by,omitempty"`
	CheckedAt *time.Time `json:"checked_at,omitempty"`
}

// photoJSON is a photo without its data, with the path to fetch it.
type photoJSON struct {
	ID          int64     `json:"id"`
	ContentType string    `json:"content_type"`
	Caption     string    `json:"caption"`
	CreatedAt   time.Time `json:"created_at"`
	URL         string    `json:"url"`
}

// officeJSON is a police office or work station as the API shows it; the
// checks are those of the items in force, staff phones are masked.
type officeJSON struct {
	Unit        unitJSON           `json:"unit"`
	StationName string             `json:"station_name"`
	Location    *pointJSON         `json:"location"`
	Feature     string             `json:"feature"`
	Villages    []areaJSON         `json:"villages"`
	Staff       []staffJSON        `json:"staff"`
	Items       []standardItemJSON `json:"items"`
	Checks      []officeCheckJSON  `json:"checks"`
	Score       int                `json:"score"`
	MaxScore    int                `json:"max_score"`
	Percent     int                `json:"percent"`
	Photos      []photoJSON        `json:"photos"`
}

func toOfficeJSON(p *cunjing.OfficeProfile) officeJSON {
	out := officeJSON{Unit: toUnitJSON(p.Unit), StationName: p.StationName, Feature: p.Feature, Score: p.Score, MaxScore: p.MaxScore,
		Percent: p.Percent(), Villages: []areaJSON{}, Staff: []staffJSON{}, Items: toItemsJSON(p.Items), Checks: []officeCheckJSON{},
		Photos: []photoJSON{}}
	if l := p.Location; l != nil {
		out.Location = &pointJSON{Lng: l.Lng, Lat: l.Lat, Datum: l.Datum}
	}
	for _, v := range p.Villages {
		out.Villages = append(out.Villages, toAreaJSON(v))
	}
	for _, m := range p.Staff {
		out.Staff = append(out.Staff, toStaffJSON(m))
	}
	for _, it := range p.Items {
		if c, ok := p.Checks[it.Code]; ok {
			out.Checks = append(out.Checks, officeCheckJSON{Item: c.Item, Met: c.Met, Note: c.Note, CheckedBy: c.CheckedBy, CheckedAt: &c.CheckedAt})
		}
	}
	for _, ph := range p.Photos {
		out.Photos = append(out.Photos, photoJSON{ID: ph.ID, ContentType: ph.ContentType, Caption: ph.Caption, CreatedAt: ph.CreatedAt,
			URL: "/api/v1/offices/" + p.Unit.Code + "/photos/" + strconv.FormatInt(ph.ID, 10)})
	}
	return out
}

func toItemsJSON(items []cunjing.StandardItem) []standardItemJSON {
	out := make([]standardItemJSON, len(items))
	for i, it := range items {
		out[i] = standardItemJSON(it)
	}
	return out
}

// officeScoreJSON is one line of the list of offices by score.
type officeScoreJSON struct {
	Code       string           `json:"code"`
	Name       string           `json:"name"`
	Kind       cunjing.UnitKind `json:"kind"`
	ParentCode string           `json:"parent_code"`
	Score      int              `json:"score"`
	MaxScore   int              `json:"max_score"`
	Percent    int              `json:"percent"`
	Checked    int              `json:"checked"`
}

// listOffices answers GET /api/v1/offices?under=CODE&below=PERCENT: the
// offices and work stations serving areas under the area, scoring below
// the percent (default 100: all of them), lowest first.
func (a *api) listOffices(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	under := q.Get("under")
	fields := map[string]string{}
	if !cunjing.ValidAreaCode(under) {
		fields["under"] = "required: an area code"
	}
	below := 100
	if s := q.Get("below"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 100 {
			fields["below"] = "must be a percent from 1 to 100"
		}
		below = n
	}
	if err := invalidParams(fields); err != nil {
		return err
	}
	scores, err := a.Offices.OfficeScores(r.Context(), under, below)
	if err != nil {
		return err
	}
	items := make([]officeScoreJSON, len(scores))
	for i, o := range scores {
		items[i] = officeScoreJSON{Code: o.Unit.Code, Name: o.Unit.Name, Kind: o.Unit.Kind, ParentCode: o.Unit.ParentCode,
			Score: o.Score, MaxScore: o.MaxScore, Percent: o.Percent(), Checked: o.Checked}
	}
	writeJSON(w, http.StatusOK, listJSON[officeScoreJSON]{Items: items})
	return nil
}

// getOffice answers GET /api/v1/offices/{code}: the profile of an office.
func (a *api) getOffice(w http.ResponseWriter, r *http.Request) error {
	p, err := a.Offices.Office(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toOfficeJSON(p))
	return nil
}

// updateOffice answers PATCH /api/v1/offices/{code} {"location":{…},"feature":"…"}:
// the fields sent change; the answer is the profile.
func (a *api) updateOffice(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Location *pointJSON `json:"location"`
		Feature  *string    `json:"feature"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	up := cunjing.OfficeUpdate{Feature: in.Feature}
	if l := in.Location; l != nil {
		up.Location = &cunjing.Point{Lng: l.Lng, Lat: l.Lat, Datum: l.Datum}
	}
	if err := a.Offices.UpdateOffice(r.Context(), r.PathValue("code"), up); err != nil {
		return err
	}
	return a.getOffice(w, r)
}

// putOfficeChecks answers PUT /api/v1/offices/{code}/checks {"checks":[{"item","met","note"}]}:
// the results of the items sent replace earlier ones; the answer is the
// profile with the new score.
func (a *api) putOfficeChecks(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Checks []struct {
			Item string `json:"item"`
			Met  bool   `json:"met"`
			Note string `json:"note"`
		} `json:"checks"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	checks := make([]cunjing.OfficeCheck, len(in.Checks))
	for i, c := range in.Checks {
		checks[i] = cunjing.OfficeCheck{Item: c.Item, Met: c.Met, Note: c.Note}
	}
	if err := a.Offices.CheckOffice(r.Context(), r.PathValue("code"), checks); err != nil {
		return err
	}
	return a.getOffice(w, r)
}

// addOfficePhoto answers POST /api/v1/offices/{code}/photos?caption=: a
// JPEG or PNG image as the raw body or the first file of a multipart form.
func (a *api) addOfficePhoto(w http.ResponseWriter, r *http.Request) error {
	data, err := readPhoto(r)
	if err != nil {
		return err
	}
	code := r.PathValue("code")
	id, err := a.Offices.AddOfficePhoto(r.Context(), code, cunjing.Photo{Data: data, Caption: r.URL.Query().Get("caption")})
	if err != nil {
		return err
	}
	url := "/api/v1/offices/" + code + "/photos/" + strconv.FormatInt(id, 10)
	w.Header().Set("Location", url)
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "url": url})
	return nil
}

// getOfficePhoto answers GET /api/v1/offices/{code}/photos/{id} with the image.
func (a *api) getOfficePhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	p, err := a.Offices.OfficePhoto(r.Context(), r.PathValue("code"), id)
	if err != nil {
		return err
	}
	return writeImage(w, p, "private, max-age=86400")
}

// getOfficeStandard answers GET /api/v1/office-standard: the items in
// force and the pass mark.
func (a *api) getOfficeStandard(w http.ResponseWriter, r *http.Request) error {
	items, err := a.Offices.StandardItems(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, standardJSON{Items: toItemsJSON(items), PassPercent: cunjing.OfficePassPercent})
	return nil
}

// standardJSON is the construction standard of offices.
type standardJSON struct {
	Items       []standardItemJSON `json:"items"`
	PassPercent int                `json:"pass_percent"`
}

// putOfficeStandard answers PUT /api/v1/office-standard {"items":[…]}: the
// items sent, in order, become the standard; items left out stop scoring.
func (a *api) putOfficeStandard(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Items []standardItemJSON `json:"items"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	items := make([]cunjing.StandardItem, len(in.Items))
	for i, it := range in.Items {
		items[i] = cunjing.StandardItem(it)
	}
	if err := a.Offices.SaveStandardItems(r.Context(), items); err != nil {
		return err
	}
	return a.getOfficeStandard(w, r)
}
