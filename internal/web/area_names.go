package web

import (
	"context"
	"fmt"

	"cunjing"
)

// maxNameLookups bounds the queries one page spends on naming areas; the
// codes left over are shown as codes.
const maxNameLookups = 40

// areaNames names the areas where records lie — villages and communities,
// and the grids and venues inside them — by asking for the children of
// their parents, one query per town or village however many records a
// page lists. A code it could not name is missing from the map.
func (u *ui) areaNames(ctx context.Context, codes []string) (map[string]string, error) {
	parents := map[string]bool{}
	for _, code := range codes {
		if p := parentCode(code); p != "" {
			parents[p] = true
		}
	}
	names := map[string]string{}
	lookups := 0
	for parent := range parents {
		if lookups == maxNameLookups {
			break
		}
		lookups++
		children, _, err := u.Areas.FindAreas(ctx, cunjing.AreaFilter{Parent: parent, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
		if err != nil {
			return nil, fmt.Errorf("web: names of the areas in %s: %w", parent, err)
		}
		for _, a := range children {
			names[a.Code] = a.ShortName()
		}
	}
	return names, nil
}

// parentCode is the code of the area above a village (its town) or a grid
// or venue (its village), "" for the levels above.
func parentCode(code string) string {
	switch {
	case len(code) > 12:
		return code[:12]
	case len(code) == 12:
		return code[:9]
	}
	return ""
}
