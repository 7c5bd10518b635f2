package store

import (
	"context"
	"fmt"

	"cunjing"
)

// nameCoverage fills in the names of the children, gap areas and staff of
// a report, reading only those listed.
func (s *Store) nameCoverage(ctx context.Context, report *cunjing.CoverageReport, c *coverageCounter) error {
	codes := make([]string, 0, len(report.Children)+len(report.Gaps))
	for _, row := range report.Children {
		codes = append(codes, row.Code)
	}
	for _, g := range report.Gaps {
		codes = append(codes, g.Area.Code)
	}
	areas, err := s.areasByCodes(ctx, codes)
	if err != nil {
		return err
	}
	for i := range report.Children {
		report.Children[i].Name = areas[report.Children[i].Code].Name
	}
	for i := range report.Gaps {
		report.Gaps[i].Area = areas[report.Gaps[i].Area.Code]
	}
	return s.nameStaff(ctx, report)
}

// nameStaff fills in the names and police numbers of the staff in gaps
// and loads.
func (s *Store) nameStaff(ctx context.Context, report *cunjing.CoverageReport) error {
	var refs []*cunjing.StaffRef
	for i := range report.Gaps {
		g := &report.Gaps[i]
		for j := range g.Officers {
			refs = append(refs, &g.Officers[j])
		}
		for j := range g.Reasons {
			if g.Reasons[j].Staff.ID != 0 {
				refs = append(refs, &g.Reasons[j].Staff)
			}
		}
	}
	for i := range report.Overloaded {
		refs = append(refs, &report.Overloaded[i].Staff)
	}
	ids := make([]any, 0, len(refs))
	for _, r := range refs {
		ids = append(ids, r.ID)
	}
	names := map[int64]cunjing.StaffRef{}
	err := inBatches(ids, func(batch []any) error {
		rows, err := s.read.QueryContext(ctx, s.dialect.q("SELECT id, name, police_number FROM staff WHERE id IN ("+marks(len(batch))+")"), batch...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r cunjing.StaffRef
			if err := rows.Scan(&r.ID, &r.Name, &r.PoliceNumber); err != nil {
				return err
			}
			names[r.ID] = r
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("store: name staff: %w", err)
	}
	for _, r := range refs {
		*r = names[r.ID]
	}
	return nil
}

// areasByCodes reads the areas of many codes, by code.
func (s *Store) areasByCodes(ctx context.Context, codes []string) (map[string]cunjing.Area, error) {
	areas, err := s.areasByCode(ctx, codes)
	found := make(map[string]cunjing.Area, len(areas))
	for _, a := range areas {
		found[a.Code] = a
	}
	return found, err
}

// inBatches calls fn with slices of at most 500 arguments, for IN lists.
func inBatches(args []any, fn func(batch []any) error) error {
	for start := 0; start < len(args); start += 500 {
		if err := fn(args[start:min(start+500, len(args))]); err != nil {
			return err
		}
	}
	return nil
}
