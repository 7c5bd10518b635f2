package web

import (
	"context"
	"fmt"
	"net/http"

	"cunjing"
)

// childLimit is how many child units one page lists.
const childLimit = 100

// maxNamedAreas is how many jurisdiction areas a unit's page looks up by
// name; beyond it the codes alone are listed.
const maxNamedAreas = 20

// unitCounts is the number of units of each kind below a unit.
type unitCounts struct {
	Bureaus, Stations, Offices, Workstations int
}

// Empty reports whether there are no units at all.
func (c unitCounts) Empty() bool {
	return c == unitCounts{}
}

func countUnits(c map[cunjing.UnitKind]int) unitCounts {
	return unitCounts{
		Bureaus:      c[cunjing.UnitBureau],
		Stations:     c[cunjing.UnitStation],
		Offices:      c[cunjing.UnitOffice],
		Workstations: c[cunjing.UnitWorkstation],
	}
}

// unitPage is what a unit's page shows.
type unitPage struct {
	*cunjing.UnitDetail
	Areas    []cunjing.Area // the jurisdiction, named when there are few
	Below    unitCounts
	Children []cunjing.Unit
	Cursor   string // of the page of children shown; "" for the first
	Next     string // cursor of the next page of children
}

// topUnit redirects to the top unit of the police organisation, or lists
// the top units when there are several.
func (u *ui) topUnit(w http.ResponseWriter, r *http.Request) {
	roots, err := u.rootUnits(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if len(roots) == 1 {
		http.Redirect(w, r, "/units/"+roots[0].Code, http.StatusFound)
		return
	}
	u.render(w, r, http.StatusOK, "units", roots)
}

// rootUnits returns the caller's own unit, or for an account without one
// the units without a parent: only bureaus head the org tree, so it reads the
// bureaus, a few hundred at most, rather than every unit.
func (u *ui) rootUnits(ctx context.Context) ([]cunjing.Unit, error) {
	if code := cunjing.IdentityFrom(ctx).UnitCode; code != "" {
		d, err := u.Units.UnitDetail(ctx, code)
		if err != nil {
			return nil, fmt.Errorf("web: top units: %w", err)
		}
		return []cunjing.Unit{d.Unit}, nil
	}
	var roots []cunjing.Unit
	page := cunjing.Page{Limit: cunjing.MaxPageLimit}
	for {
		bureaus, next, err := u.Units.FindUnits(ctx, cunjing.UnitFilter{Kind: cunjing.UnitBureau, Page: page})
		if err != nil {
			return nil, fmt.Errorf("web: top units: %w", err)
		}
		for _, b := range bureaus {
			if b.ParentCode == "" {
				roots = append(roots, b)
			}
		}
		if next == "" {
			return roots, nil
		}
		page.Cursor = next
	}
}

// unit shows a police unit: where it sits, what it answers for and the
// units under it.
func (u *ui) unit(w http.ResponseWriter, r *http.Request) {
	page, err := u.unitPage(r.Context(), r.PathValue("code"), r.URL.Query().Get("cursor"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "unit", page)
}

func (u *ui) unitPage(ctx context.Context, code, cursor string) (*unitPage, error) {
	detail, err := u.Units.UnitDetail(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("web: unit: %w", err)
	}
	areas, err := u.jurisdiction(ctx, detail.Jurisdiction)
	if err != nil {
		return nil, err
	}
	children, next, err := u.Units.FindUnits(ctx, cunjing.UnitFilter{Parent: code, Page: cunjing.Page{Limit: childLimit, Cursor: cursor}})
	if err != nil {
		return nil, fmt.Errorf("web: unit children: %w", err)
	}
	return &unitPage{
		UnitDetail: detail,
		Areas:      areas,
		Below:      countUnits(detail.Counts),
		Children:   children,
		Cursor:     cursor,
		Next:       next,
	}, nil
}

// jurisdiction returns the areas of a jurisdiction, looked up by name when
// there are at most maxNamedAreas of them and with their codes alone else.
func (u *ui) jurisdiction(ctx context.Context, codes []string) ([]cunjing.Area, error) {
	areas := make([]cunjing.Area, len(codes))
	for i, code := range codes {
		areas[i].Code = code
		if len(codes) > maxNamedAreas {
			continue
		}
		d, err := u.Areas.AreaDetail(ctx, code)
		if err != nil {
			return nil, fmt.Errorf("web: jurisdiction: %w", err)
		}
		areas[i] = d.Area
	}
	return areas, nil
}
