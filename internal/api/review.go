package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"cunjing"
)

// reviewItemJSON is a record in the station's review queue.
type reviewItemJSON struct {
	Kind        cunjing.RecordKind   `json:"kind"`
	Record      int64                `json:"record"`
	AreaCode    string               `json:"area_code"`
	Summary     string               `json:"summary"`
	CollectedBy string               `json:"collected_by"`
	CollectedAt time.Time            `json:"collected_at"`
	State       cunjing.CollectState `json:"state"`
	Reason      string               `json:"reason"`
}

// listReviews answers GET /api/v1/reviews?under=&kind=&state=&limit=&cursor=:
// the records in scope in a review state (collected by default), oldest
// first, summaries masked.
func (a *api) listReviews(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := cunjing.ReviewFilter{Under: q.Get("under"), Kind: cunjing.RecordKind(q.Get("kind")), State: cunjing.CollectState(q.Get("state"))}
	fields := map[string]string{}
	checkAreaCode(fields, "under", f.Under)
	checkState(fields, f.State)
	if f.Kind != "" && !slices.Contains(cunjing.RecordKinds, f.Kind) {
		fields["kind"] = "must be address, resident, house or org"
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	found, next, err := a.Reviews.FindReviews(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]reviewItemJSON, len(found))
	for i, it := range found {
		items[i] = reviewItemJSON{Kind: it.Kind, Record: it.Record, AreaCode: it.AreaCode, Summary: it.Summary,
			CollectedBy: it.CollectedBy, CollectedAt: it.CollectedAt, State: it.State, Reason: it.Reason}
	}
	writeJSON(w, http.StatusOK, listJSON[reviewItemJSON]{Items: items, NextCursor: next})
	return nil
}

// maxReviews bounds the decisions of one request.
const maxReviews = 500

// postReviews answers POST /api/v1/reviews {"reviews":[{"kind","record","verify","reason"}]}:
// every decision applies, or none; a refused one is named by its number.
func (a *api) postReviews(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Reviews []struct {
			Kind   cunjing.RecordKind `json:"kind"`
			Record int64              `json:"record"`
			Verify bool               `json:"verify"`
			Reason string             `json:"reason"`
		} `json:"reviews"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if len(in.Reviews) == 0 || len(in.Reviews) > maxReviews {
		return invalidParams(map[string]string{"reviews": fmt.Sprintf("must hold 1 to %d decisions", maxReviews)})
	}
	decisions := make([]cunjing.Review, len(in.Reviews))
	for i, d := range in.Reviews {
		decisions[i] = cunjing.Review{Kind: d.Kind, Record: d.Record, Verify: d.Verify, Reason: d.Reason}
	}
	if err := a.Reviews.ReviewRecords(r.Context(), decisions); err != nil {
		return itemFailure("review", err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// itemFailure names the item of a batch that failed in the message of its
// error, keeping its code and fields; other errors pass as they are.
func itemFailure(what string, err error) error {
	var item *cunjing.ItemError
	var e *cunjing.Error
	if !errors.As(err, &item) || !errors.As(item.Err, &e) {
		return err
	}
	return &cunjing.Error{Code: e.Code, Message: fmt.Sprintf("%s %d: %s", what, item.Index+1, e.Message), Fields: e.Fields}
}

// completenessJSON are the collection figures of an area.
type completenessJSON struct {
	AreaCode             string `json:"area_code"`
	AreaName             string `json:"area_name"`
	Addresses            int    `json:"addresses"`
	AddressesWithHouse   int    `json:"addresses_with_house"`
	Houses               int    `json:"houses"`
	HousesWithResidents  int    `json:"houses_with_residents"`
	Residents            int    `json:"residents"`
	ResidentsWithPhone   int    `json:"residents_with_phone"`
	ResidentsWithAddress int    `json:"residents_with_address"`
	Orgs                 int    `json:"orgs"`
	Verified             int    `json:"verified"`
	Collected            int    `json:"collected"`
	Returned             int    `json:"returned"`
}

// getCompleteness answers GET /api/v1/completeness?under=CODE: the figures
// of the area, then of each of its children.
func (a *api) getCompleteness(w http.ResponseWriter, r *http.Request) error {
	under := r.URL.Query().Get("under")
	fields := map[string]string{}
	if under == "" {
		fields["under"] = "is required: an area code"
	}
	checkAreaCode(fields, "under", under)
	if err := invalidParams(fields); err != nil {
		return err
	}
	figures, err := a.Reviews.Completeness(r.Context(), under)
	if err != nil {
		return err
	}
	items := make([]completenessJSON, len(figures))
	for i, c := range figures {
		items[i] = completenessJSON(c)
	}
	writeJSON(w, http.StatusOK, listJSON[completenessJSON]{Items: items})
	return nil
}
