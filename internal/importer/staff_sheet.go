package importer

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"cunjing"
)

// Sheets of the staff template; ImportStaff tells them by their headers.
const (
	StaffSheetName = "人员"
	PostSheetName  = "包保"
	notesSheetName = "说明"
)

// sheetColumn is a column of the template: a field, its width, and whether
// its cells are text (codes and numbers with leading zeros).
type sheetColumn struct {
	fields []field
	key    string
	width  float64
	text   bool
	list   []string // drop-down values
}

var staffTemplate = []sheetColumn{
	{staffFields, "name", 12, false, nil},
	{staffFields, "kind", 12, false, staffKinds.words()},
	{staffFields, "unit_code", 16, true, nil},
	{staffFields, "phone", 16, true, nil},
	{staffFields, "police_number", 10, true, nil},
	{staffFields, "status", 8, false, staffStatuses.words()},
	{staffFields, "username", 14, true, nil},
	{staffFields, "staff_id", 10, true, nil},
}

var postTemplate = []sheetColumn{
	{postFields, "area_code", 16, true, nil},
	{postFields, "police_number", 10, true, nil},
	{postFields, "staff_id", 10, true, nil},
	{postFields, "role", 12, false, postRoles.words()},
	{postFields, "start", 12, true, nil},
	{postFields, "replace", 10, false, yesNo.words()},
}

// Columns an export adds after the template's, for reading only: the
// import ignores them.
var (
	staffExtra = []Column{{"单位名称（仅供核对）", 24}}
	postExtra  = []Column{{"区划名称（仅供核对）", 20}, {"姓名（仅供核对）", 12}, {"结束日期（仅供核对）", 12}}
)

// notes explain the columns on the 说明 sheet: sheet, column, required,
// what to write.
var notes = [][]string{
	{"表", "列", "必填", "填写说明"},
	{StaffSheetName, "姓名", "是", "最多 50 个字"},
	{StaffSheetName, "类别", "是", "民警、辅警、包村干部、巡防队员、治保人员、大学生村官、法律顾问、调解员"},
	{StaffSheetName, "单位代码", "是", "所属单位（派出所、警务室等）的 12 位代码，须在您的管辖范围内"},
	{StaffSheetName, "手机/电话", "否", "11 位手机号，或 0375-2345678 这样的固定电话；导出文件中的号码是遮蔽的（138****5678），原样保留即不修改，新增人员须填完整号码"},
	{StaffSheetName, "警号", "民警必填", "民警 6 位数字；辅警可填辅警编号（最多 12 位字母或数字）；其他人员不填"},
	{StaffSheetName, "状态", "否", "在岗、休假、调离、退休；不填即在岗"},
	{StaffSheetName, "账号", "否", "关联的系统账号（用户名），须已存在"},
	{StaffSheetName, "人员编号", "否", "新增人员留空；导出文件中已有人员的编号保留，导入即按编号修改该人员"},
	{PostSheetName, "区划代码", "是", "12 位村、社区代码，或网格（…-G01）、场所（…-S01）代码"},
	{PostSheetName, "警号", "二选一", "包保人员的警号；可以是本文件人员表中新增的人员"},
	{PostSheetName, "人员编号", "二选一", "没有警号的人员填人员编号（见人员导出文件）；两者都填时以警号为准"},
	{PostSheetName, "岗位", "是", "责任民警、社区民警、辅警、包村干部、巡防队员、治保人员、大学生村官、法律顾问、调解员；责任民警和社区民警须为民警"},
	{PostSheetName, "开始日期", "是", "如 2024-01-05 或 2024/1/5，不能晚于今天"},
	{PostSheetName, "替换现任", "否", "是：该岗位的现任人员在开始日期卸任；不填即否"},
	{"", "", "", "整个文件一起导入：任何一行有错，都不导入，并列出每个错误所在的行、列和原因。“仅供核对”的列导入时不读。"},
}

// StaffTemplate writes the import template: a 人员 and a 包保 sheet with
// their headers, drop-downs for the words to choose and text cells for
// codes, and a 说明 sheet explaining every column.
func StaffTemplate(w io.Writer) error {
	wb := excelize.NewFile()
	defer wb.Close()
	if err := fillTemplate(wb); err != nil {
		return fmt.Errorf("importer: template: %w", err)
	}
	if _, err := wb.WriteTo(w); err != nil {
		return fmt.Errorf("importer: template: %w", err)
	}
	return nil
}

func fillTemplate(wb *excelize.File) error {
	if err := wb.SetSheetName(wb.GetSheetName(0), StaffSheetName); err != nil {
		return err
	}
	for _, name := range []string{PostSheetName, notesSheetName} {
		if _, err := wb.NewSheet(name); err != nil {
			return err
		}
	}
	if err := templateSheet(wb, StaffSheetName, staffTemplate); err != nil {
		return err
	}
	if err := templateSheet(wb, PostSheetName, postTemplate); err != nil {
		return err
	}
	return notesSheet(wb)
}

// templateSheet writes the header of a sheet and formats its columns.
func templateSheet(wb *excelize.File, sheet string, columns []sheetColumn) error {
	text, err := wb.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	bold, err := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	if err != nil {
		return err
	}
	for i, c := range columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := wb.SetCellStr(sheet, col+"1", headerOf(c.fields, c.key)); err != nil {
			return err
		}
		if err := wb.SetColWidth(sheet, col, col, c.width); err != nil {
			return err
		}
		if c.text {
			if err := wb.SetColStyle(sheet, col, text); err != nil {
				return err
			}
		}
		if c.list != nil {
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, MaxStaffRows+1))
			if err := dv.SetDropList(c.list); err != nil {
				return err
			}
			if err := wb.AddDataValidation(sheet, dv); err != nil {
				return err
			}
		}
	}
	if err := wb.SetRowStyle(sheet, 1, 1, bold); err != nil {
		return err
	}
	return wb.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func notesSheet(wb *excelize.File) error {
	for i, row := range notes {
		if err := wb.SetSheetRow(notesSheetName, fmt.Sprintf("A%d", i+1), &row); err != nil {
			return err
		}
	}
	for col, width := range map[string]float64{"A": 8, "B": 12, "C": 10, "D": 90} {
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

// exportColumns are the template's columns of a sheet and the extra ones.
func exportColumns(columns []sheetColumn, extra []Column) []Column {
	var out []Column
	for _, c := range columns {
		out = append(out, Column{Header: headerOf(c.fields, c.key), Width: c.width})
	}
	return append(out, extra...)
}

// StaffSheet returns a workbook of the staff matching f in the template's
// layout, with their IDs so that it can be edited and imported again, and
// phones masked as lists show them. More than MaxStaffRows is refused.
func StaffSheet(ctx context.Context, svc cunjing.StaffService, f cunjing.StaffFilter) (*Sheet, error) {
	sheet, err := NewSheet(StaffSheetName, exportColumns(staffTemplate, staffExtra))
	if err != nil {
		return nil, err
	}
	err = eachPage(func(page cunjing.Page) ([]cunjing.Staff, string, error) {
		f.Page = page
		return svc.FindStaff(ctx, f)
	}, func(m cunjing.Staff) error {
		return sheet.Add(m.Name, staffKinds.word(m.Kind), m.UnitCode, m.Phone, m.PoliceNumber, staffStatuses.word(m.Status),
			m.Username, m.ID, m.UnitName)
	})
	if err != nil {
		sheet.Close()
		return nil, err
	}
	return sheet, nil
}

// PostSheet returns a workbook of the assignments matching f in the
// template's layout, with the names and the end date to read by. More than
// MaxStaffRows is refused.
func PostSheet(ctx context.Context, svc cunjing.AssignmentService, f cunjing.AssignmentFilter) (*Sheet, error) {
	sheet, err := NewSheet(PostSheetName, exportColumns(postTemplate, postExtra))
	if err != nil {
		return nil, err
	}
	err = eachPage(func(page cunjing.Page) ([]cunjing.Assignment, string, error) {
		f.Page = page
		return svc.FindAssignments(ctx, f)
	}, func(a cunjing.Assignment) error {
		return sheet.Add(a.AreaCode, a.PoliceNumber, a.StaffID, postRoles.word(a.Role), a.Start.String(), "",
			a.AreaName, a.StaffName, a.End.String())
	})
	if err != nil {
		sheet.Close()
		return nil, err
	}
	return sheet, nil
}

// eachPage calls fn with every item that list returns, page by page, and
// refuses a list longer than MaxStaffRows.
func eachPage[T any](list func(cunjing.Page) ([]T, string, error), fn func(T) error) error {
	page, n := cunjing.Page{Limit: cunjing.MaxPageLimit}, 0
	for {
		items, next, err := list(page)
		if err != nil {
			return err
		}
		if n += len(items); n > MaxStaffRows {
			return cunjing.Errorf(cunjing.ETooLarge, "more than %d rows: export one unit or area at a time", MaxStaffRows)
		}
		for _, it := range items {
			if err := fn(it); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		page.Cursor = next
	}
}
