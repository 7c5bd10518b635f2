package importer

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"cunjing"
)

// Sheets of the report of an import.
const (
	RefusedSheetName  = "未导入的行"
	ProblemsSheetName = "问题清单"
)

// Columns the report adds after the file's own; the import ignores them,
// so the user can fix the rows in the report and import it as it is.
var reportExtra = []Column{{"原文件行号", 10}, {"错误说明", 60}}

// ImportReportSheet returns the report of an import: the rows it refused
// with their cells as in the file and what is wrong with each — to be
// fixed and imported again as it is — then the list of problems by row and
// column. Without the right to read personal data the first sheet shows
// no cells.
func ImportReportSheet(ctx context.Context, st cunjing.RecordImporter, id int64) (*Sheet, error) {
	var sheet *Sheet
	width := 0
	err := st.ImportReport(ctx, id, func(header []string) error {
		width = len(header)
		columns := make([]Column, 0, len(header)+len(reportExtra))
		for _, h := range header {
			columns = append(columns, Column{Header: h, Width: 16})
		}
		var err error
		sheet, err = NewSheet(RefusedSheetName, append(columns, reportExtra...))
		return err
	}, func(r cunjing.RefusedRow) error {
		values := make([]any, width, width+len(reportExtra))
		for i := range values {
			if i < len(r.Cells) {
				values[i] = r.Cells[i]
			} else {
				values[i] = ""
			}
		}
		return sheet.Add(append(values, r.Row, explain(r.Problems))...)
	})
	if err != nil {
		if sheet != nil {
			sheet.Close()
		}
		return nil, err
	}
	if err := problemSheet(ctx, st, id, sheet); err != nil {
		sheet.Close()
		return nil, err
	}
	return sheet, nil
}

// problemSheet adds the list of problems, one per row and column.
func problemSheet(ctx context.Context, st cunjing.RecordImporter, id int64, sheet *Sheet) error {
	if err := sheet.NextSheet(ProblemsSheetName, []Column{{"行号", 8}, {"列", 16}, {"内容", 24}, {"问题", 80}}); err != nil {
		return err
	}
	return st.ImportReport(ctx, id, func([]string) error { return nil }, func(r cunjing.RefusedRow) error {
		for _, p := range r.Problems {
			if err := sheet.Add(p.Row, p.Column, p.Cell, p.Message); err != nil {
				return err
			}
		}
		return nil
	})
}

// explain joins the problems of a row in one text: "列：问题；…".
func explain(problems []cunjing.ImportProblem) string {
	parts := make([]string, len(problems))
	for i, p := range problems {
		if p.Column == "" {
			parts[i] = p.Message
		} else {
			parts[i] = p.Column + "：" + p.Message
		}
	}
	return strings.Join(parts, "；")
}

// RecordTemplate writes the import template of a kind: its sheet with the
// canonical headers, text cells for codes and numbers, drop-downs for the
// words to choose, and a 说明 sheet explaining every column.
func RecordTemplate(kind cunjing.ImportKind, w io.Writer) error {
	layout, ok := recordLayouts[kind]
	if !ok {
		return cunjing.Errorf(cunjing.ENotFound, "no template for %q", kind)
	}
	wb := excelize.NewFile()
	defer wb.Close()
	if err := fillRecordTemplate(wb, layout); err != nil {
		return fmt.Errorf("importer: template: %w", err)
	}
	if _, err := wb.WriteTo(w); err != nil {
		return fmt.Errorf("importer: template: %w", err)
	}
	return nil
}

func fillRecordTemplate(wb *excelize.File, layout *recordLayout) error {
	if err := wb.SetSheetName(wb.GetSheetName(0), layout.sheet); err != nil {
		return err
	}
	if _, err := wb.NewSheet(notesSheetName); err != nil {
		return err
	}
	if err := templateSheet(wb, layout.sheet, layout.columns); err != nil {
		return err
	}
	rows := append([][]string{{"列", "必填", "填写说明"}}, layout.notes...)
	rows = append(rows, []string{"", "", "每 1 万行一批导入，每批要么全部写入，要么都不写入；有问题的行不导入，导入后可下载错误报告，改正后原样再导入。" +
		"导入中断后再次导入同一文件，从中断处继续。“新增”模式下已登记的记录不导入，“新增或更新”模式下按证件号码（单位按信用代码）更新您辖区内的记录。"})
	for i, row := range rows {
		if err := wb.SetSheetRow(notesSheetName, fmt.Sprintf("A%d", i+1), &row); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 16, "B": 12, "C": 100} {
		if err := wb.SetColWidth(notesSheetName, col, col, width); err != nil {
			return err
		}
	}
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	return wb.SetRowStyle(notesSheetName, 1, 1, bold)
}

// MaxSheetRows is the number of data rows a sheet holds below its header
// (Excel's limit of 1,048,576 rows).
const MaxSheetRows = 1<<20 - 1

// RecordSheet returns the register of a kind under an area in scope, in
// the template's columns — so that importing it again changes nothing —
// streamed to a temporary file as the store reads it. Personal data is as
// the store gives it: unmasked only for roles that read it. A register
// longer than a sheet (MaxSheetRows) is too large.
func RecordSheet(ctx context.Context, ex cunjing.RecordExporter, kind cunjing.ImportKind, under string) (*Sheet, error) {
	layout, ok := recordLayouts[kind]
	if !ok || kind == cunjing.ImportRentals {
		return nil, cunjing.Errorf(cunjing.ENotFound, "no export of %q", kind)
	}
	sheet, err := NewSheet(layout.sheet, exportColumns(layout.columns, nil))
	if err != nil {
		return nil, err
	}
	rows := 0
	add := func(cells []any) error {
		if rows++; rows > MaxSheetRows {
			return cunjing.Errorf(cunjing.ETooLarge, "the register under %s has more than %d rows, more than a sheet holds: export each of its areas on its own",
				under, MaxSheetRows)
		}
		return sheet.Add(cells...)
	}
	switch kind {
	case cunjing.ImportResidents:
		err = ex.ExportResidents(ctx, under, func(r cunjing.ExportedResident) error { return add(residentCells(r)) })
	case cunjing.ImportAddresses:
		err = ex.ExportAddresses(ctx, under, func(a cunjing.StdAddress) error { return add(addressCells(a)) })
	case cunjing.ImportHouses:
		err = ex.ExportHouses(ctx, under, func(h cunjing.ExportedHouse) error { return add(houseCells(h)) })
	case cunjing.ImportOrgs:
		err = ex.ExportOrgs(ctx, under, func(o cunjing.Org) error { return add(orgCells(o)) })
	}
	if err != nil {
		sheet.Close()
		return nil, err
	}
	return sheet, nil
}

func residentCells(r cunjing.ExportedResident) []any {
	birth := ""
	if !r.BirthDate.IsZero() {
		birth = r.BirthDate.String()
	}
	return []any{r.AreaCode, r.AddressText, r.Household, relationWords.word(r.Relation), r.Name, docWords.word(r.DocKind),
		r.IDNumber, sexWords.word(r.Sex), birth, r.Phone, categoryWords.word(r.Category), leftBehindWords.word(r.LeftBehind),
		statusWords.word(r.Status), r.Note}
}

func addressCells(a cunjing.StdAddress) []any {
	cells := []any{a.AreaCode, a.Street, a.HouseNumber, a.Building, a.Entrance, a.Room, "", "", ""}
	if p := a.Location; p != nil {
		cells[6], cells[7], cells[8] = p.Lng, p.Lat, p.Datum
	}
	return cells
}

func houseCells(h cunjing.ExportedHouse) []any {
	var area any = ""
	if h.FloorArea > 0 {
		area = strconv.FormatFloat(h.FloorArea, 'f', -1, 64)
	}
	return []any{h.AreaCode, h.AddressText, houseUseWords.word(h.Use), area, h.OwnerIDNumber, h.OwnerCode, h.Note}
}

func orgCells(o cunjing.Org) []any {
	return []any{o.AreaCode, o.Name, o.CreditCode, orgTypeWords.word(o.Type), o.AddressText, o.LegalRep, o.SecurityContact,
		o.ContactPhone, o.StaffCount, o.Note}
}
