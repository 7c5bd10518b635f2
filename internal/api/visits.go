package api

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"cunjing"
	"cunjing/internal/importer"
)

// visitJSON is a visit, an entry of the work ledger, as the API shows it.
type visitJSON struct {
	ID          int64               `json:"id"`
	AreaCode    string              `json:"area_code"`
	Date        string              `json:"date"`
	Kind        cunjing.VisitKind   `json:"kind"`
	Target      cunjing.VisitTarget `json:"target"`
	TargetID    int64               `json:"target_id"`
	TargetName  string              `json:"target_name"`
	Officer     string              `json:"officer"`
	OfficerName string              `json:"officer_name"`
	Content     string              `json:"content"`
	Problems    string              `json:"problems"`
	Location    *pointJSON          `json:"location"`
	Photos      int                 `json:"photos"`
	CreatedAt   time.Time           `json:"created_at"`
}

func toVisitJSON(v cunjing.Visit) visitJSON {
	out := visitJSON{ID: v.ID, AreaCode: v.AreaCode, Date: v.Date.String(), Kind: v.Kind, Target: v.Target, TargetID: v.TargetID,
		TargetName: v.TargetName, Officer: v.Officer, OfficerName: v.OfficerName, Content: v.Content, Problems: v.Problems,
		Photos: v.Photos, CreatedAt: v.CreatedAt}
	if l := v.Location; l != nil {
		out.Location = &pointJSON{Lng: l.Lng, Lat: l.Lat, Datum: l.Datum}
	}
	return out
}

// visitIn is the body of a new visit. The officer is the caller; the area
// is the target's, sent only for a visit to an area as a whole.
type visitIn struct {
	Date     string              `json:"date"`
	Kind     cunjing.VisitKind   `json:"kind"`
	Target   cunjing.VisitTarget `json:"target"`
	TargetID int64               `json:"target_id"`
	AreaCode string              `json:"area_code"`
	Content  string              `json:"content"`
	Problems string              `json:"problems"`
	Location *pointJSON          `json:"location"`
}

// createVisit answers POST /api/v1/visits: the caller logs a visit to a
// household, resident, org or area in scope.
func (a *api) createVisit(w http.ResponseWriter, r *http.Request) error {
	var in visitIn
	if err := decode(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	v := cunjing.Visit{Date: dateParam(fields, "date", in.Date), Kind: in.Kind, Target: in.Target, TargetID: in.TargetID,
		AreaCode: in.AreaCode, Content: in.Content, Problems: in.Problems}
	if err := invalidParams(fields); err != nil {
		return err
	}
	if p := in.Location; p != nil {
		v.Location = &cunjing.Point{Lng: p.Lng, Lat: p.Lat, Datum: p.Datum}
	}
	if err := a.Visits.CreateVisit(r.Context(), &v); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/visits/%d", v.ID))
	writeJSON(w, http.StatusCreated, toVisitJSON(v))
	return nil
}

// getVisit answers GET /api/v1/visits/{id}.
func (a *api) getVisit(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	v, err := a.Visits.Visit(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toVisitJSON(*v))
	return nil
}

// ledgerFilter reads the ledger's parameters: under, officer, month
// (YYYY-MM) and kind.
func ledgerFilter(r *http.Request, fields map[string]string) cunjing.LedgerFilter {
	q := r.URL.Query()
	f := cunjing.LedgerFilter{Under: q.Get("under"), Officer: strings.TrimSpace(q.Get("officer")), Month: q.Get("month"),
		Kind: cunjing.VisitKind(q.Get("kind"))}
	checkAreaCode(fields, "under", f.Under)
	if _, err := time.Parse("2006-01", f.Month); f.Month != "" && err != nil {
		fields["month"] = "must be a month (YYYY-MM)"
	}
	if f.Kind != "" && !slices.Contains(cunjing.VisitKinds, f.Kind) {
		fields["kind"] = "unknown kind of visit"
	}
	return f
}

// ledgerCountJSON is the number of visits of one kind.
type ledgerCountJSON struct {
	Kind  cunjing.VisitKind `json:"kind"`
	Count int               `json:"count"`
}

// ledgerJSON is a page of the ledger and the counts of the whole ledger by
// kind.
type ledgerJSON struct {
	Items      []visitJSON       `json:"items"`
	NextCursor string            `json:"next_cursor"`
	Counts     []ledgerCountJSON `json:"counts"`
}

// getLedger answers GET /api/v1/ledger?under=&officer=&month=&kind=&limit=&cursor=:
// the visits in scope by day, and their counts by kind.
func (a *api) getLedger(w http.ResponseWriter, r *http.Request) error {
	fields := map[string]string{}
	f := ledgerFilter(r, fields)
	page, err := parsePage(r.URL.Query(), fields)
	if err != nil {
		return err
	}
	f.Page = page
	visits, next, err := a.Visits.FindVisits(r.Context(), f)
	if err != nil {
		return err
	}
	counts, err := a.Visits.LedgerCounts(r.Context(), f)
	if err != nil {
		return err
	}
	out := ledgerJSON{Items: make([]visitJSON, len(visits)), NextCursor: next, Counts: make([]ledgerCountJSON, len(counts))}
	for i, v := range visits {
		out.Items[i] = toVisitJSON(v)
	}
	for i, c := range counts {
		out.Counts[i] = ledgerCountJSON{Kind: c.Kind, Count: c.Count}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// exportLedger answers GET /api/v1/ledger/export?under=&officer=&month=&kind=:
// the ledger as a workbook, the visits by day on the first sheet and the
// counts by kind on the second, ready to print (importer.LedgerSheet, which
// the web UI's export shares). The export is audited before it is sent.
func (a *api) exportLedger(w http.ResponseWriter, r *http.Request) error {
	fields := map[string]string{}
	f := ledgerFilter(r, fields)
	if err := invalidParams(fields); err != nil {
		return err
	}
	sheet, err := importer.LedgerSheet(r.Context(), a.Visits, f)
	if err != nil {
		return err
	}
	return a.sendSheet(w, r, sheet, "ledger", importer.LedgerObject(f))
}

// addVisitPhoto answers POST /api/v1/visits/{id}/photos?caption=: a JPEG
// or PNG image, as the raw body or the first file of a multipart form, to
// a visit the caller logged. It answers with the photos of the visit.
func (a *api) addVisitPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	data, err := readPhoto(r)
	if err != nil {
		return err
	}
	if err := a.Visits.AddVisitPhoto(r.Context(), id, cunjing.Photo{Data: data, Caption: r.URL.Query().Get("caption")}); err != nil {
		return err
	}
	photos, err := a.Visits.VisitPhotos(r.Context(), id)
	if err != nil {
		return err
	}
	items := make([]photoJSON, len(photos))
	for i, p := range photos {
		items[i] = photoJSON{ID: p.ID, ContentType: p.ContentType, Caption: p.Caption, CreatedAt: p.CreatedAt,
			URL: fmt.Sprintf("/api/v1/visits/%d/photos/%d", id, p.ID)}
	}
	writeJSON(w, http.StatusCreated, listJSON[photoJSON]{Items: items})
	return nil
}

// getVisitPhoto answers GET /api/v1/visits/{id}/photos/{photo} with the image.
func (a *api) getVisitPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	photo, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err != nil || photo <= 0 {
		return cunjing.Errorf(cunjing.ENotFound, "no such photo: %s", r.PathValue("photo"))
	}
	p, err := a.Visits.VisitPhoto(r.Context(), id, photo)
	if err != nil {
		return err
	}
	return writeImage(w, p, "private, max-age=86400")
}
