package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"cunjing"
)

// reviewLimit is how many records one page of the review queue lists.
const reviewLimit = 50

// maxReviewItems bounds the records one review decides.
const maxReviewItems = cunjing.MaxPageLimit

// reviewPage is the station's queue: collected (or returned) records in
// scope, oldest first, each to verify or return with a reason.
type reviewPage struct {
	Under   string // an area code: its records only
	Kind    cunjing.RecordKind
	State   cunjing.CollectState
	Kinds   []cunjing.RecordKind
	States  []cunjing.CollectState
	Items   []cunjing.ReviewItem
	First   string
	Next    string
	Done    string
	Count   int // how many records the last review decided
	Errors  formErrors
	Reason  string
	Checked map[string]bool
}

// conflictsPage lists the open conflicts over persons that touch the scope.
type conflictsPage struct {
	Conflicts []cunjing.Conflict
	Next      string
	First     string
	Done      bool
	Errors    formErrors
	ErrorID   int64 // the conflict whose resolution was refused
}

// reviewQueue shows the review queue; ?under= (an area), ?kind= and
// ?state= filter it.
func (u *ui) reviewQueue(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := reviewPage{Under: q.Get("under"), Kind: cunjing.RecordKind(q.Get("kind")), State: cunjing.CollectState(q.Get("state")),
		Done: q.Get("done"), Count: int(atoiID(q.Get("n")))}
	if page.Kind != "" && !slices.Contains(cunjing.RecordKinds, page.Kind) ||
		page.State != "" && !slices.Contains(cunjing.CollectStates, page.State) {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	u.showReviews(w, r, http.StatusOK, page)
}

func (u *ui) showReviews(w http.ResponseWriter, r *http.Request, status int, page reviewPage) {
	if page.State == "" {
		page.State = cunjing.StateCollected
	}
	cursor := r.URL.Query().Get("cursor")
	items, next, err := u.Reviews.FindReviews(r.Context(), cunjing.ReviewFilter{Under: page.Under, Kind: page.Kind, State: page.State,
		Page: cunjing.Page{Limit: reviewLimit, Cursor: cursor}})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Items, page.Kinds, page.States = items, cunjing.RecordKinds, []cunjing.CollectState{cunjing.StateCollected, cunjing.StateReturned}
	search := url.Values{"under": {page.Under}, "kind": {string(page.Kind)}, "state": {string(page.State)}}
	if cursor != "" {
		page.First = "/review?" + search.Encode()
	}
	if next != "" {
		search.Set("cursor", next)
		page.Next = "/review?" + search.Encode()
	}
	u.render(w, r, status, "review", page)
}

// review verifies or returns the records ticked (fields "item",
// "kind:id"), all in one transaction, then goes back to the page the form
// was on (field "back": the queue or a record's page).
func (u *ui) review(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	verify, reason := formValue(r, "action") == "verify", formValue(r, "reason")
	back := localPath(r.PostFormValue("back"), "/review")
	var reviews []cunjing.Review
	for _, item := range r.PostForm["item"] {
		kind, id, ok := parseItem(item)
		if !ok || len(reviews) == maxReviewItems {
			u.errorPage(w, r, http.StatusBadRequest)
			return
		}
		reviews = append(reviews, cunjing.Review{Kind: kind, Record: id, Verify: verify, Reason: reason})
	}
	var err error
	switch {
	case len(reviews) == 0:
		err = &cunjing.Error{Code: cunjing.EInvalid, Message: "nothing chosen", Fields: map[string]string{"item": "none chosen"}}
	case !verify && reason == "":
		err = &cunjing.Error{Code: cunjing.EInvalid, Message: "a return needs a reason", Fields: map[string]string{"reason": "is required"}}
	default:
		err = u.Reviews.ReviewRecords(r.Context(), reviews)
	}
	if err != nil {
		u.reviewFailed(w, r, back, reason, err)
		return
	}
	done := map[bool]string{true: "verified", false: "returned"}[verify]
	http.Redirect(w, r, withParams(back, url.Values{"done": {done}, "n": {strconv.Itoa(len(reviews))}}), http.StatusSeeOther)
}

// reviewFailed explains a refused review: on the queue, above it with the
// ticks kept; on a record's page, by a note in the link back.
func (u *ui) reviewFailed(w http.ResponseWriter, r *http.Request, back, reason string, err error) {
	errs, status, ok := u.refusal(r, err)
	if !ok {
		u.fail(w, r, err)
		return
	}
	if !strings.HasPrefix(back, "/review") {
		field := "reason"
		if errs.Of("item") != "" {
			field = "item"
		}
		http.Redirect(w, r, withParams(back, url.Values{"review_error": {field}}), http.StatusSeeOther)
		return
	}
	page := reviewPage{Errors: errs, Reason: reason, Checked: map[string]bool{}}
	for _, item := range r.PostForm["item"] {
		page.Checked[item] = true
	}
	if b, err := url.Parse(back); err == nil {
		q := b.Query()
		page.Under, page.Kind, page.State = q.Get("under"), cunjing.RecordKind(q.Get("kind")), cunjing.CollectState(q.Get("state"))
	}
	u.showReviews(w, r, status, page)
}

// parseItem reads "resident:12".
func parseItem(s string) (cunjing.RecordKind, int64, bool) {
	kind, id, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	return cunjing.RecordKind(kind), n, ok && err == nil && n > 0 && slices.Contains(cunjing.RecordKinds, cunjing.RecordKind(kind))
}

// withParams adds query parameters to a local path, keeping its fragment
// out of the way.
func withParams(path string, params url.Values) string {
	path, _, _ = strings.Cut(path, "#")
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + params.Encode()
}

// conflicts lists the open conflicts that touch the caller's scope.
func (u *ui) conflicts(w http.ResponseWriter, r *http.Request) {
	u.showConflicts(w, r, http.StatusOK, conflictsPage{Done: r.URL.Query().Get("done") == "resolved"})
}

func (u *ui) showConflicts(w http.ResponseWriter, r *http.Request, status int, page conflictsPage) {
	cursor := r.URL.Query().Get("cursor")
	list, next, err := u.Residents.FindConflicts(r.Context(), cunjing.Page{Limit: reviewLimit, Cursor: cursor})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Conflicts = list
	if cursor != "" {
		page.First = "/conflicts"
	}
	if next != "" {
		page.Next = "/conflicts?" + url.Values{"cursor": {next}}.Encode()
	}
	u.render(w, r, status, "conflicts", page)
}

// resolveConflict closes a conflict with the resolution written.
func (u *ui) resolveConflict(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	resolution := formValue(r, "resolution")
	var err error
	if resolution == "" {
		err = &cunjing.Error{Code: cunjing.EInvalid, Message: "a resolution is required", Fields: map[string]string{"resolution": "is required"}}
	} else {
		err = u.Residents.ResolveConflict(r.Context(), id, resolution)
	}
	if err != nil {
		errs, status, ok := u.refusal(r, err)
		if !ok {
			u.fail(w, r, err)
			return
		}
		u.showConflicts(w, r, status, conflictsPage{Errors: errs, ErrorID: id})
		return
	}
	http.Redirect(w, r, "/conflicts?done=resolved", http.StatusSeeOther)
}
