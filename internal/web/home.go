package web

import (
	"context"
	"fmt"
	"net/http"

	"cunjing"
)

// homePage is what the home page shows: the figures of the top areas and
// of the top police units.
type homePage struct {
	Areas []areaFigures
	Units []unitFigures
}

// areaFigures is an area with the counts of what lies under it.
type areaFigures struct {
	cunjing.Area
	Summary summary
}

// unitFigures is a unit with the counts of the units under it.
type unitFigures struct {
	cunjing.Unit
	Counts unitCounts
}

// home introduces the system with the figures of the city.
func (u *ui) home(w http.ResponseWriter, r *http.Request) {
	if id := cunjing.IdentityFrom(r.Context()); !id.Role.Can(cunjing.PermReadJurisdiction) {
		http.Redirect(w, r, firstPage(id), http.StatusSeeOther)
		return
	}
	page, err := u.homePage(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "home", page)
}

// firstPage is where a user without the jurisdiction pages starts: the
// first page of the navigation open to him (the audit trail for an auditor).
func firstPage(id *cunjing.Identity) string {
	for _, link := range navFor(id, "") {
		if link.Path != "/" {
			return link.Path
		}
	}
	return "/password"
}

func (u *ui) homePage(ctx context.Context) (*homePage, error) {
	tops, err := u.topAreas(ctx)
	if err != nil {
		return nil, err
	}
	roots, err := u.rootUnits(ctx)
	if err != nil {
		return nil, err
	}
	page := &homePage{}
	for _, a := range tops {
		counts, err := u.Areas.CountAreas(ctx, a.Code)
		if err != nil {
			return nil, fmt.Errorf("web: home: %w", err)
		}
		page.Areas = append(page.Areas, areaFigures{Area: a, Summary: summarize(counts)})
	}
	for _, unit := range roots {
		d, err := u.Units.UnitDetail(ctx, unit.Code)
		if err != nil {
			return nil, fmt.Errorf("web: home: %w", err)
		}
		page.Units = append(page.Units, unitFigures{Unit: unit, Counts: countUnits(d.Counts)})
	}
	return page, nil
}
