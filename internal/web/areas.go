package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"cunjing"
)

// searchLimit is how many search results one answer shows.
const searchLimit = 50

// maxQuery bounds the length of a search, in characters.
const maxQuery = 50

// localLimit is how many units an area's page lists as lying inside it.
const localLimit = 100

// summary is the number of areas of each kind under an area.
type summary struct {
	Counties, Towns, VillageTier, Villages, Communities, Grids, Venues int
}

// Empty reports whether there is nothing under the area.
func (s summary) Empty() bool {
	return s == summary{}
}

func summarize(c cunjing.AreaCounts) summary {
	return summary{
		Counties:    c.ByLevel[cunjing.LevelCounty],
		Towns:       c.ByLevel[cunjing.LevelTown],
		VillageTier: c.ByLevel[cunjing.LevelVillage],
		Villages:    c.Villages,
		Communities: c.Communities,
		Grids:       c.ByLevel[cunjing.LevelGrid],
		Venues:      c.ByLevel[cunjing.LevelVenue],
	}
}

// areaPage is what an area's page shows.
type areaPage struct {
	*cunjing.AreaDetail
	Summary     summary
	Children    []cunjing.ChildArea
	Columns     childColumns
	Responsible []cunjing.Unit // units whose jurisdiction covers the area
	Local       []cunjing.Unit // units inside the area (city, county and town)
	Search      searchData
	CanManage   bool        // the caller may add grids and venues
	NewArea     newAreaForm // the grid or venue form as last sent
	Place       locationForm
}

// childColumns says which columns the children table has.
type childColumns struct {
	Towns    bool // children are cities or counties
	Villages bool // children are above the village tier
	Kind     bool // children are villages or communities
	Level    bool // children are grids or venues
}

// searchData is a search by name under an area and its results.
type searchData struct {
	Code    string // the area searched under
	Query   string
	Ran     bool // a query was given
	Results []searchResult
	More    bool // there are more results than shown
}

// searchResult is a found area with the names of the areas it lies in.
type searchResult struct {
	cunjing.Area
	Place string
}

// topArea redirects to the top-most area worth showing, or lists the
// provinces when there are several, or says that nothing is imported yet.
func (u *ui) topArea(w http.ResponseWriter, r *http.Request) {
	tops, err := u.topAreas(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if len(tops) == 1 {
		http.Redirect(w, r, "/areas/"+tops[0].Code, http.StatusFound)
		return
	}
	u.render(w, r, http.StatusOK, "areas", tops)
}

// topAreas returns the areas of the caller's scope, or for a scope of
// everything the provinces, descending while there is exactly one area at a
// level: 河南省 with only 平顶山市 gives 平顶山市.
func (u *ui) topAreas(ctx context.Context) ([]cunjing.Area, error) {
	if scope := cunjing.IdentityFrom(ctx).Scope; !scope.All {
		return u.scopeAreas(ctx, scope)
	}
	areas, _, err := u.Areas.FindAreas(ctx, cunjing.AreaFilter{Level: cunjing.LevelProvince, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		return nil, fmt.Errorf("web: top areas: %w", err)
	}
	for len(areas) == 1 {
		children, _, err := u.Areas.FindAreas(ctx, cunjing.AreaFilter{Parent: areas[0].Code, Page: cunjing.Page{Limit: 2}})
		if err != nil {
			return nil, fmt.Errorf("web: top areas: %w", err)
		}
		if len(children) != 1 {
			break
		}
		areas = children
	}
	return areas, nil
}

// underOrTops picks the area of a page that shows a subtree (?under=): under
// itself, else the caller's top area; when the caller has several (or none),
// it returns them to choose among and under "".
func (u *ui) underOrTops(ctx context.Context, under string) (string, []cunjing.Area, error) {
	if under != "" {
		return under, nil, nil
	}
	tops, err := u.topAreas(ctx)
	if err != nil || len(tops) != 1 {
		return "", tops, err
	}
	return tops[0].Code, nil, nil
}

// scopeAreas returns the areas a scope is made of.
func (u *ui) scopeAreas(ctx context.Context, scope cunjing.Scope) ([]cunjing.Area, error) {
	var areas []cunjing.Area
	for _, code := range scope.Prefixes {
		d, err := u.Areas.AreaDetail(ctx, code)
		if err != nil {
			return nil, fmt.Errorf("web: top areas: %w", err)
		}
		areas = append(areas, d.Area)
	}
	return areas, nil
}

// area shows an area: where it lies, what is under it and which police
// units answer for it.
func (u *ui) area(w http.ResponseWriter, r *http.Request) {
	page, err := u.areaPage(r.Context(), r.PathValue("code"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Place.Saved = r.URL.Query().Get("done") == "location"
	u.render(w, r, http.StatusOK, "area", page)
}

func (u *ui) areaPage(ctx context.Context, code string) (*areaPage, error) {
	detail, err := u.Areas.AreaDetail(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("web: area: %w", err)
	}
	children, err := u.Areas.ChildAreas(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("web: area children: %w", err)
	}
	responsible, _, err := u.Units.FindUnits(ctx, cunjing.UnitFilter{Area: code})
	if err != nil {
		return nil, fmt.Errorf("web: area units: %w", err)
	}
	local, err := u.localUnits(ctx, detail.Area)
	if err != nil {
		return nil, err
	}
	return &areaPage{
		AreaDetail:  detail,
		Summary:     summarize(detail.Counts),
		Children:    children,
		Columns:     columnsFor(children),
		Responsible: responsible,
		Local:       local,
		Search:      searchData{Code: code},
		CanManage:   cunjing.IdentityFrom(ctx).Role.Can(cunjing.PermManageStaff),
		Place:       locationFormOf(detail.Location),
	}, nil
}

// columnsFor picks the columns of a children table by the children's level.
func columnsFor(children []cunjing.ChildArea) childColumns {
	if len(children) == 0 {
		return childColumns{}
	}
	switch children[0].Level {
	case cunjing.LevelProvince, cunjing.LevelCity, cunjing.LevelCounty:
		return childColumns{Towns: true, Villages: true}
	case cunjing.LevelTown:
		return childColumns{Villages: true}
	case cunjing.LevelVillage:
		return childColumns{Kind: true}
	}
	return childColumns{Level: true}
}

// localKinds are the kinds of unit an area's page lists as lying inside it.
var localKinds = map[cunjing.Level][]cunjing.UnitKind{
	cunjing.LevelCity:   {cunjing.UnitBureau},
	cunjing.LevelCounty: {cunjing.UnitStation},
	cunjing.LevelTown:   {cunjing.UnitOffice, cunjing.UnitWorkstation},
}

// localUnits lists the units inside an area that do not cover all of it:
// the county bureaus of a city, the stations of a county, the offices and
// workstations of a town.
func (u *ui) localUnits(ctx context.Context, a cunjing.Area) ([]cunjing.Unit, error) {
	kinds := localKinds[a.Level]
	if kinds == nil {
		return nil, nil
	}
	f := cunjing.UnitFilter{Within: a.Code, Page: cunjing.Page{Limit: localLimit}}
	if len(kinds) == 1 {
		f.Kind = kinds[0]
	}
	units, _, err := u.Units.FindUnits(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("web: units in area: %w", err)
	}
	return slices.DeleteFunc(units, func(x cunjing.Unit) bool {
		return !slices.Contains(kinds, x.Kind) || cunjing.Covers(x.Jurisdiction, a.Code)
	}), nil
}

// searchPage is the full page of a search under an area.
type searchPage struct {
	*cunjing.AreaDetail
	Search searchData
}

// areaSearch finds areas by name under an area: a list for htmx to swap in,
// or a whole page when asked without JavaScript.
func (u *ui) areaSearch(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	level, err := cunjing.LevelOfCode(code)
	if err != nil {
		u.errorPage(w, r, http.StatusNotFound)
		return
	}
	s, err := u.search(r.Context(), code, level, searchQuery(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Add("Vary", "HX-Request")
	if r.Header.Get("HX-Request") == "true" {
		u.execute(w, r, http.StatusOK, "area_search", "search-results", s)
		return
	}
	detail, err := u.Areas.AreaDetail(r.Context(), code)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "area_search", searchPage{AreaDetail: detail, Search: s})
}

// searchQuery returns the trimmed query, cut to maxQuery characters.
func searchQuery(r *http.Request) string {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	for utf8.RuneCountInString(q) > maxQuery {
		_, size := utf8.DecodeLastRuneInString(q)
		q = q[:len(q)-size]
	}
	return q
}

// search finds areas under code whose name contains q, each with the names
// of the counties and towns it lies in below code.
func (u *ui) search(ctx context.Context, code string, level cunjing.Level, q string) (searchData, error) {
	s := searchData{Code: code, Query: q, Ran: q != ""}
	if q == "" {
		return s, nil
	}
	found, next, err := u.Areas.FindAreas(ctx, cunjing.AreaFilter{Under: code, Query: q, Page: cunjing.Page{Limit: searchLimit}})
	if err != nil {
		return s, fmt.Errorf("web: search areas: %w", err)
	}
	names, err := u.placeNames(ctx, code, level, found)
	if err != nil {
		return s, err
	}
	for _, a := range found {
		var place []string
		for _, c := range cunjing.AncestorCodes(a.Code) {
			if name, ok := names[c]; ok {
				place = append(place, name)
			}
		}
		s.Results = append(s.Results, searchResult{Area: a, Place: strings.Join(place, " · ")})
	}
	s.More = next != ""
	return s, nil
}

// placeNames maps the codes of the counties and towns under code to their
// names, with one query per level that lies between code and some result.
func (u *ui) placeNames(ctx context.Context, code string, level cunjing.Level, found []cunjing.Area) (map[string]string, error) {
	names := map[string]string{}
	for _, between := range []cunjing.Level{cunjing.LevelCounty, cunjing.LevelTown} {
		if depth(between) <= depth(level) || !slices.ContainsFunc(found, func(a cunjing.Area) bool { return depth(a.Level) > depth(between) }) {
			continue
		}
		areas, _, err := u.Areas.FindAreas(ctx, cunjing.AreaFilter{Under: code, Level: between, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
		if err != nil {
			return nil, fmt.Errorf("web: search areas: %w", err)
		}
		for _, a := range areas {
			names[a.Code] = a.Name
		}
	}
	return names, nil
}

// depth is the position of a level from the top.
func depth(l cunjing.Level) int {
	return slices.Index(cunjing.Levels, l)
}
