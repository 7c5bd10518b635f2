package store

import (
	"context"
	"math"

	"cunjing"
)

var _ cunjing.CoverageService = (*Store)(nil)

// officerPosts is the SQL list of the roles that cover an area.
const officerPosts = "'" + string(cunjing.PostResponsible) + "', '" + string(cunjing.PostCommunity) + "'"

// Coverage reports on the areas that need an officer under code (in
// scope), from the assignments in force now: totals by kind, children,
// stations, the gaps with their reasons, overloaded officers and the
// police strength of each county. Code "" reports on the whole scope.
func (s *Store) Coverage(ctx context.Context, code string, opt cunjing.CoverageOptions) (*cunjing.CoverageReport, error) {
	root, err := s.coverageRoot(ctx, code)
	if err != nil {
		return nil, err
	}
	data, err := s.coverageData(ctx, root.Code, opt.Kind)
	if err != nil {
		return nil, err
	}
	report := &cunjing.CoverageReport{Area: *root}
	if root.Code != "" {
		if report.Ancestors, err = s.areasByCode(ctx, cunjing.AncestorCodes(root.Code)); err != nil {
			return nil, err
		}
	}
	scope, _ := scopeOf(ctx)
	c := newCoverageCounter(data, root.Code, func(code string) bool { return scope.All || scope.Covers(code) })
	c.run(report, gapLimit(opt.GapLimit))
	if err := s.nameCoverage(ctx, report, c); err != nil {
		return nil, err
	}
	if err := s.addStations(ctx, report, root, c); err != nil {
		return nil, err
	}
	if err := s.addRatios(ctx, report, root, c); err != nil {
		return nil, err
	}
	return report, nil
}

func gapLimit(n int) int {
	switch {
	case n == 0:
		return 200
	case n < 0:
		return math.MaxInt
	}
	return n
}

// coverageRoot reads the area a report is about. Without a code it is
// the whole database for a user who sees all, else the nearest area that
// holds his whole scope.
func (s *Store) coverageRoot(ctx context.Context, code string) (*cunjing.Area, error) {
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if code == "" && !scope.All {
		code = commonAncestor(scope.Prefixes)
	}
	if code == "" {
		if !scope.All {
			return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
		}
		return &cunjing.Area{}, nil
	}
	if !scope.Covers(code) && !scopeBelow(scope, code) {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	areas, err := s.areasByCode(ctx, []string{code})
	if err != nil {
		return nil, err
	}
	if len(areas) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "area not found")
	}
	return &areas[0], nil
}

// commonAncestor returns the nearest area code holding all the codes.
func commonAncestor(codes []string) string {
	if len(codes) == 0 {
		return ""
	}
	common := append(cunjing.AncestorCodes(codes[0]), codes[0])
	for _, c := range codes[1:] {
		chain := append(cunjing.AncestorCodes(c), c)
		n := 0
		for n < len(common) && n < len(chain) && common[n] == chain[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return ""
	}
	return common[len(common)-1]
}
