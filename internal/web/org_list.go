package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"cunjing"
)

// orgListLimit is how many orgs one page lists.
const orgListLimit = 50

// orgListPage is the list of actual units (实有单位) under an area: the
// filters, the areas to narrow down to, one page of orgs with phones
// masked, and the links to the first and next pages.
type orgListPage struct {
	Area     *cunjing.AreaDetail // nil: the whole scope, Tops to choose from
	Tops     []cunjing.Area
	Children []cunjing.Area
	Type     cunjing.OrgType
	Special  bool
	Query    string
	Orgs     []cunjing.Org
	Names    map[string]string // area code → short name
	First    string
	Next     string
}

// AreaName is the short name of the area an org lies in, or its code.
func (p orgListPage) AreaName(code string) string {
	if name, ok := p.Names[code]; ok {
		return name
	}
	return code
}

// Link is the list under code with the same filters.
func (p orgListPage) Link(code string) string {
	return "/orgs?" + p.search(code).Encode()
}

// search is the query of the list under code with the page's filters.
func (p orgListPage) search(under string) url.Values {
	search := url.Values{}
	for key, value := range map[string]string{"under": under, "type": string(p.Type), "q": p.Query} {
		if value != "" {
			search.Set(key, value)
		}
	}
	if p.Special {
		search.Set("special", "1")
	}
	return search
}

// orgList lists the orgs under ?under= (the caller's area by default),
// filtered by ?type=, ?special=1 (special industries only) and ?q= (name
// contains, or the credit code).
func (u *ui) orgList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := orgListPage{Type: cunjing.OrgType(q.Get("type")), Special: q.Get("special") == "1", Query: searchField(r, "q")}
	if page.Type != "" && !slices.Contains(cunjing.OrgTypes, page.Type) {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	under, tops, err := u.underOrTops(ctx, q.Get("under"))
	if err == nil {
		page.Tops = tops
		err = u.fillOrgList(ctx, &page, under, q.Get("cursor"))
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "org_list", page)
}

// fillOrgList reads the area, its children and one page of its orgs.
func (u *ui) fillOrgList(ctx context.Context, page *orgListPage, under, cursor string) error {
	if under != "" {
		var err error
		if page.Area, err = u.Areas.AreaDetail(ctx, under); err != nil {
			return fmt.Errorf("web: orgs: %w", err)
		}
		if page.Children, _, err = u.Areas.FindAreas(ctx, cunjing.AreaFilter{Parent: under,
			Page: cunjing.Page{Limit: cunjing.MaxPageLimit}}); err != nil {
			return fmt.Errorf("web: orgs: %w", err)
		}
	}
	orgs, next, err := u.Orgs.FindOrgs(ctx, cunjing.OrgFilter{Under: under, Type: page.Type, Special: page.Special,
		Query: page.Query, Page: cunjing.Page{Limit: orgListLimit, Cursor: cursor}})
	if err != nil {
		return fmt.Errorf("web: orgs: %w", err)
	}
	page.Orgs = orgs
	codes := make([]string, len(orgs))
	for i, o := range orgs {
		codes[i] = o.AreaCode
	}
	if page.Names, err = u.areaNames(ctx, codes); err != nil {
		return err
	}
	search := page.search(under)
	if cursor != "" {
		page.First = "/orgs?" + search.Encode()
	}
	if next != "" {
		search.Set("cursor", next)
		page.Next = "/orgs?" + search.Encode()
	}
	return nil
}
