package web

import (
	"fmt"
	"net/http"
	"strings"

	"cunjing"
	"cunjing/internal/importer"
)

// exportCoverage answers GET /coverage/{code}/export.xlsx: the whole
// report, every gap listed, one sheet per part, in the reader's language.
func (u *ui) exportCoverage(w http.ResponseWriter, r *http.Request) {
	report, err := u.Coverage.Coverage(r.Context(), r.PathValue("code"), cunjing.CoverageOptions{GapLimit: -1})
	if err != nil {
		u.fail(w, r, fmt.Errorf("web: coverage export: %w", err))
		return
	}
	tr := u.tr[langFrom(r.Context())]
	sheet, err := writeCoverage(tr, report)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.sendSheet(w, r, sheet, "coverage-"+report.Area.Code, "coverage:"+report.Area.Code)
}

// writeCoverage lays a report out as a workbook: the figures of each
// child and station, the gaps with their reasons, overloaded officers and
// county strength.
func writeCoverage(tr translator, r *cunjing.CoverageReport) (*importer.Sheet, error) {
	m := func(key string) string { s, _ := tr.t(key); return s }
	rowCols := []importer.Column{{Header: m("col.code"), Width: 16}, {Header: m("col.name"), Width: 24},
		{Header: m("coverage.total"), Width: 10}, {Header: m("coverage.covered"), Width: 10}, {Header: m("coverage.compliant"), Width: 10}}
	sheet, err := importer.NewSheet(m("coverage.children"), rowCols)
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*importer.Sheet, error) {
		sheet.Close()
		return nil, fmt.Errorf("web: coverage export: %w", err)
	}
	all := append([]cunjing.CoverageRow{{Code: r.Area.Code, Name: r.Area.Name, Tally: r.Tally}}, r.Children...)
	if err := addRows(sheet, all); err != nil {
		return fail(err)
	}
	if len(r.Stations) > 0 {
		if err := sheet.NextSheet(m("coverage.stations"), rowCols); err != nil {
			return fail(err)
		}
		if err := addRows(sheet, r.Stations); err != nil {
			return fail(err)
		}
	}
	if err := addGaps(sheet, tr, m, r.Gaps); err != nil {
		return fail(err)
	}
	if err := addLoadsAndRatios(sheet, m, r); err != nil {
		return fail(err)
	}
	return sheet, nil
}

func addRows(sheet *importer.Sheet, rows []cunjing.CoverageRow) error {
	for _, row := range rows {
		c := row.Tally.All
		if err := sheet.Add(row.Code, row.Name, c.Total, c.Covered, c.Compliant); err != nil {
			return err
		}
	}
	return nil
}

func addGaps(sheet *importer.Sheet, tr translator, m func(string) string, gaps []cunjing.CoverageGap) error {
	if err := sheet.NextSheet(m("coverage.gaps"), []importer.Column{{Header: m("col.code"), Width: 18}, {Header: m("coverage.area"), Width: 24},
		{Header: m("coverage.kind"), Width: 8}, {Header: m("coverage.officer"), Width: 14}, {Header: m("coverage.reasons"), Width: 60},
		{Header: m("coverage.model"), Width: 12}}); err != nil {
		return err
	}
	for _, g := range gaps {
		var officers, reasons []string
		for _, o := range g.Officers {
			officers = append(officers, o.Name)
		}
		for _, why := range g.Reasons {
			text, err := tr.gap(why)
			if err != nil {
				return err
			}
			reasons = append(reasons, text)
		}
		if err := sheet.Add(g.Area.Code, g.Area.Name, m("coverage.kind."+string(g.Area.Kind)), strings.Join(officers, m("list.sep")),
			strings.Join(reasons, m("gap.sep")), g.Model); err != nil {
			return err
		}
	}
	return nil
}

func addLoadsAndRatios(sheet *importer.Sheet, m func(string) string, r *cunjing.CoverageReport) error {
	if len(r.Overloaded) > 0 {
		if err := sheet.NextSheet(m("coverage.overloaded"), []importer.Column{{Header: m("coverage.officer"), Width: 14},
			{Header: m("coverage.police_number"), Width: 10}, {Header: m("coverage.held"), Width: 8}, {Header: m("coverage.allowed"), Width: 8},
			{Header: m("coverage.held_areas"), Width: 60}}); err != nil {
			return err
		}
		for _, l := range r.Overloaded {
			if err := sheet.Add(l.Staff.Name, l.Staff.PoliceNumber, l.Held, l.Allowed, strings.Join(l.Areas, " ")); err != nil {
				return err
			}
		}
	}
	if len(r.Ratios) == 0 {
		return nil
	}
	if err := sheet.NextSheet(m("coverage.ratios"), []importer.Column{{Header: m("col.code"), Width: 10}, {Header: m("coverage.county"), Width: 16},
		{Header: m("coverage.areas"), Width: 10}, {Header: m("coverage.officers"), Width: 10}, {Header: m("coverage.posted"), Width: 10}}); err != nil {
		return err
	}
	for _, c := range r.Ratios {
		if err := sheet.Add(c.Code, c.Name, c.Areas, c.Officers, c.Posted); err != nil {
			return err
		}
	}
	return nil
}
