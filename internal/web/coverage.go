package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"cunjing"
)

// coveragePage is the coverage report of an area as the page shows it.
type coveragePage struct {
	*cunjing.CoverageReport
	Kind      cunjing.Kind
	Kinds     []kindFigure
	All       figure
	Children  []rowFigure
	Stations  []rowFigure
	CanManage bool
	AreaLink  bool // the area's own page is in the caller's scope
	Export    string
}

// figure is one set of coverage counts with its rates.
type figure struct {
	cunjing.Coverage
	CoveredPct, CompliantPct int
	Gaps                     int
}

type kindFigure struct {
	Kind cunjing.Kind
	figure
}

type rowFigure struct {
	Name string
	figure
	Link string // "" for a station
}

func newFigure(c cunjing.Coverage) figure {
	f := figure{Coverage: c, Gaps: c.Total - c.Compliant}
	if c.Total > 0 {
		f.CoveredPct, f.CompliantPct = c.Covered*100/c.Total, c.Compliant*100/c.Total
	}
	return f
}

// coverage redirects to the report on the top of the user's scope.
func (u *ui) coverageTop(w http.ResponseWriter, r *http.Request) {
	report, err := u.Coverage.Coverage(r.Context(), "", cunjing.CoverageOptions{GapLimit: 1})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	code := report.Area.Code
	if (code == "" || report.Area.Level == cunjing.LevelProvince) && len(report.Children) == 1 {
		code = report.Children[0].Code
	}
	if code == "" {
		u.render(w, r, http.StatusOK, "coverage", u.coverageView(r, report, ""))
		return
	}
	http.Redirect(w, r, "/coverage/"+code+withLangQuery(r), http.StatusSeeOther)
}

// coverage shows the coverage of the areas under an area: figures by kind,
// children, stations, county strength, gaps with a link to fix each, and
// overloaded officers.
func (u *ui) coverage(w http.ResponseWriter, r *http.Request) {
	kind := cunjing.Kind(r.URL.Query().Get("kind"))
	if !slices.Contains(cunjing.CoverageKinds, kind) {
		kind = ""
	}
	report, err := u.Coverage.Coverage(r.Context(), r.PathValue("code"), cunjing.CoverageOptions{Kind: kind})
	if err != nil {
		u.fail(w, r, fmt.Errorf("web: coverage: %w", err))
		return
	}
	if report.Area.Level == cunjing.LevelProvince && len(report.Children) == 1 {
		http.Redirect(w, r, "/coverage/"+report.Children[0].Code+withLangQuery(r), http.StatusSeeOther)
		return
	}
	u.render(w, r, http.StatusOK, "coverage", u.coverageView(r, report, kind))
}

func (u *ui) coverageView(r *http.Request, report *cunjing.CoverageReport, kind cunjing.Kind) *coveragePage {
	id := cunjing.IdentityFrom(r.Context())
	page := &coveragePage{CoverageReport: report, Kind: kind, All: newFigure(report.Tally.All),
		CanManage: id != nil && id.Role.Can(cunjing.PermManageStaff),
		AreaLink:  id != nil && id.Scope.Covers(report.Area.Code),
		Export:    "/coverage/" + report.Area.Code + "/export.xlsx"}
	for _, k := range cunjing.CoverageKinds {
		if c := report.Tally.ByKind[k]; c.Total > 0 {
			page.Kinds = append(page.Kinds, kindFigure{k, newFigure(c)})
		}
	}
	for _, row := range report.Children {
		page.Children = append(page.Children, rowFigure{row.Name, newFigure(row.Tally.All), "/coverage/" + row.Code})
	}
	for _, row := range report.Stations {
		page.Stations = append(page.Stations, rowFigure{row.Name, newFigure(row.Tally.All), ""})
	}
	return page
}

// withLangQuery keeps an explicit ?lang= across a redirect.
func withLangQuery(r *http.Request) string {
	if lang := r.URL.Query().Get("lang"); lang != "" {
		return "?" + url.Values{"lang": {lang}}.Encode()
	}
	return ""
}
