package web

import (
	"net/http"
	"slices"
	"strings"

	"cunjing"
	"cunjing/internal/httpx"
)

// findLimit is how many hits one search shows.
const findLimit = 50

// findPage is the one search box over residents, addresses and orgs and
// what it found: how the text was read, and the hits by kind, masked.
type findPage struct {
	Query   string
	Ran     bool               // a text was searched
	Invalid bool               // the text could not be read
	Kind    cunjing.SearchKind // how the text was read
	Tail    int                // the digits of an ID number's end
	Groups  []findGroup
	Total   int
	Full    bool // as many hits as the page shows: there may be more
	Failed  bool // the search failed
}

// findGroup is the hits of one kind of record.
type findGroup struct {
	Kind cunjing.RecordKind
	Hits []cunjing.SearchHit
}

// findKinds are the kinds of records in the order the page lists them.
var findKinds = []cunjing.RecordKind{cunjing.RecordResident, cunjing.RecordAddress, cunjing.RecordOrg}

// findForm shows the empty search box.
func (u *ui) findForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "find", findPage{})
}

// find answers the search box, POSTed so that an ID number or a phone
// never appears in a URL (SECURITY.md D2): the hits for htmx to swap in
// as the user types, or the whole page without JavaScript. The store keeps
// to the caller's scope, masks the hits and audits the search; the answer
// is never cached. htmx swaps only answers of 200, so its answers say what
// went wrong in the list itself.
func (u *ui) find(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "HX-Request")
	page, status := u.runFind(r)
	if r.Header.Get("HX-Request") == "true" {
		u.execute(w, r, http.StatusOK, "find", "find-results", page)
		return
	}
	if page.Failed {
		u.errorPage(w, r, status)
		return
	}
	u.render(w, r, status, "find", page)
}

// runFind reads the posted text and searches it: 400 for a text that
// cannot be read, 500 when the search failed (logged), else 200.
func (u *ui) runFind(r *http.Request) (findPage, int) {
	page := findPage{Query: strings.TrimSpace(r.PostFormValue("q"))}
	if len([]rune(page.Query)) > 100 {
		page.Query = string([]rune(page.Query)[:100])
	}
	if page.Query == "" {
		return page, http.StatusOK
	}
	page.Ran = true
	q, err := cunjing.ParseSearch(page.Query, today())
	if err != nil {
		page.Invalid = true
		return page, http.StatusBadRequest
	}
	page.Kind = q.Kind
	if q.Kind == cunjing.SearchIDTail {
		page.Tail = len(q.Text)
	}
	hits, err := u.Search.Search(r.Context(), q, findLimit)
	if err != nil {
		page.Invalid = cunjing.ErrorCode(err) == cunjing.EInvalid
		if page.Invalid {
			return page, http.StatusBadRequest
		}
		u.Logger.Error("web: search failed", "id", httpx.RequestID(r.Context()), "err", err)
		page.Failed = true
		return page, http.StatusInternalServerError
	}
	page.Total, page.Full, page.Groups = len(hits), len(hits) >= findLimit, groupHits(hits)
	return page, http.StatusOK
}

// groupHits groups hits by kind of record, people first, then addresses,
// then orgs, each group in the order the store ranked its hits.
func groupHits(hits []cunjing.SearchHit) []findGroup {
	var groups []findGroup
	for _, h := range hits {
		i := slices.IndexFunc(groups, func(g findGroup) bool { return g.Kind == h.Kind })
		if i < 0 {
			groups, i = append(groups, findGroup{Kind: h.Kind}), len(groups)
		}
		groups[i].Hits = append(groups[i].Hits, h)
	}
	rank := func(k cunjing.RecordKind) int {
		if i := slices.Index(findKinds, k); i >= 0 {
			return i
		}
		return len(findKinds)
	}
	slices.SortStableFunc(groups, func(a, b findGroup) int { return rank(a.Kind) - rank(b.Kind) })
	return groups
}
