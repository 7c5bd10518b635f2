package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"cunjing"
)

// registerLimit is how many addresses one page of a register lists.
const registerLimit = 50

// registerPage is the register (一标三实) of an area: how far collection
// has gone in it and in each child, and for a village, community, grid or
// venue one page of its standard addresses.
type registerPage struct {
	*cunjing.AreaDetail
	Own       cunjing.Completeness
	Children  []cunjing.Completeness
	Collects  bool // the area holds addresses: a village, community, grid or venue
	Street    string
	Addresses []cunjing.StdAddress
	First     string
	Next      string
	CanWrite  bool
	CanReview bool
}

// holdsAddresses reports whether records are collected right in areas of
// the level, rather than in the areas below.
func holdsAddresses(l cunjing.Level) bool {
	return l == cunjing.LevelVillage || l == cunjing.LevelGrid || l == cunjing.LevelVenue
}

// register shows the register of the path's area; ?street= filters the
// addresses by the start of their street or natural village.
func (u *ui) register(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	detail, err := u.Areas.AreaDetail(r.Context(), code)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	figures, err := u.Reviews.Completeness(r.Context(), code)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page := registerPage{AreaDetail: detail, Collects: holdsAddresses(detail.Level), CanWrite: canWrite(r),
		CanReview: canManageStaff(r), Street: searchField(r, "street")}
	if len(figures) > 0 {
		page.Own, page.Children = figures[0], figures[1:]
	}
	if page.Collects {
		if err := u.registerAddresses(r, &page); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	u.render(w, r, http.StatusOK, "register", page)
}

// registerAddresses fills in one page of the area's addresses and the links
// to the first and next pages.
func (u *ui) registerAddresses(r *http.Request, page *registerPage) error {
	cursor := r.URL.Query().Get("cursor")
	addrs, next, err := u.Addresses.FindAddresses(r.Context(), cunjing.AddressFilter{Under: page.Code, Street: page.Street,
		Page: cunjing.Page{Limit: registerLimit, Cursor: cursor}})
	if err != nil {
		return fmt.Errorf("web: register addresses: %w", err)
	}
	page.Addresses = addrs
	base := "/areas/" + page.Code + "/register"
	q := url.Values{}
	if page.Street != "" {
		q.Set("street", page.Street)
	}
	if cursor != "" {
		page.First = base + "?" + q.Encode()
	}
	if next != "" {
		q.Set("cursor", next)
		page.Next = base + "?" + q.Encode()
	}
	return nil
}

// searchField returns a trimmed query parameter cut to maxQuery
// characters.
func searchField(r *http.Request, name string) string {
	q := []rune(strings.TrimSpace(r.URL.Query().Get(name)))
	if len(q) > maxQuery {
		q = q[:maxQuery]
	}
	return string(q)
}
