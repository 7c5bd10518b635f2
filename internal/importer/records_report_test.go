package importer_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// gbkFixture is a residents file saved by Excel in GBK, with known bad
// rows.
const gbkFixture = "testdata/residents-bad-gbk.csv"

// gbkProblems is the exact report of gbkFixture.
var gbkProblems = []string{
	"3|证件号码|证件号码校验位是 9，按前 17 位应为 X：有数字输错了",
	"4|证件号码|证件号码中的出生日期 19900230 不是有效日期",
	"5|联系电话|号码不对：应为 11 位手机号，或 0375-2345678 这样的固定电话",
	"6|区划代码|区划代码应为 12 位的村、社区代码，或网格（…-G01）、场所（…-S01）的代码",
	"7|姓名|姓名必填",
	"8|人员类别|人员类别应为户籍、流动、境外之一",
	"9||与第 2 行重复：证件号码相同，是同一人",
	"13|出生日期|出生日期应写成 1980-05-01 或 1980/5/1",
	"14|区划代码|找不到区划代码 410482100201（不存在，或不在您的管辖范围内）",
}

func TestImportGBKFileReportsEachBadRowAndColumn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		f, err := importer.OpenRecordFile(cunjing.ImportResidents, gbkFixture, "residents-bad-gbk.csv")
		if err != nil {
			t.Fatal(err)
		}
		if f.Encoding != "GBK" {
			t.Errorf("encoding = %s; want GBK", f.Encoding)
		}
		job, err := importer.ImportRecords(lushanOfficer, st, f, cunjing.ImportAdd, nil)
		if err != nil {
			t.Fatal(err)
		}
		if job.Added != 5 || job.Refused != 9 || job.RowsDone != 14 {
			t.Errorf("job = %+v; want 5 added, 9 refused of 14 rows", job)
		}
		if got := problemsOf(t, lushanOfficer, st, job.ID); !slices.Equal(got, gbkProblems) {
			t.Errorf("report:\n%v\nwant:\n%v", got, gbkProblems)
		}
		db := storetest.Direct(t, st)
		if got := queryStrings(t, db, "SELECT name || ' ' || birth_date || ' ' || id_masked FROM residents WHERE note <> '' ORDER BY id"); !slices.Equal(got, []string{
			"周敏 1975-06-12 410423********0021", "吴刚 1980-01-01 410423********0032", "约翰·史密斯 1980-01-01 USA 12***6789"}) {
			t.Errorf("residents = %v; want full-width digits, a 15-digit number and an Excel date read", got)
		}
	})
}

func TestReportOfRefusedRowsCanBeFixedAndImportedAsItIs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, gbkFixture)
		sheet, err := importer.ImportReportSheet(lushanOfficer, st, job.ID)
		if err != nil {
			t.Fatal(err)
		}
		path := sheetWrite(t, sheet, "report.xlsx")
		wb, err := excelize.OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		rows, _ := wb.GetRows(importer.RefusedSheetName)
		if len(rows) != 10 || rows[0][14] != "原文件行号" || rows[0][15] != "错误说明" || rows[3][4] != "李强" || rows[3][9] != "1380000" ||
			rows[3][15] != "联系电话：号码不对：应为 11 位手机号，或 0375-2345678 这样的固定电话" {
			t.Fatalf("refused rows sheet = %q", rows)
		}
		list, _ := wb.GetRows(importer.ProblemsSheetName)
		if len(list) != 10 || !slices.Equal(list[1], []string{"3", "证件号码", "530102********0119", "证件号码校验位是 9，按前 17 位应为 X：有数字输错了"}) {
			t.Errorf("problems sheet = %q; want the masked cell", list)
		}
		if err := wb.SetCellStr(importer.RefusedSheetName, "J4", "13800000005"); err != nil {
			t.Fatal(err)
		}
		fixed := filepath.Join(t.TempDir(), "fixed.xlsx")
		if err := wb.SaveAs(fixed); err != nil {
			t.Fatal(err)
		}
		again := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, fixed)
		if again.Added != 1 || again.Refused != 8 {
			t.Errorf("the fixed report imported = %+v; want the fixed row added and the others refused again", again)
		}
	})
}

func TestReportWithoutPersonalDataRightsShowsNoCells(t *testing.T) {
	st := storetest.SQLite(t)
	loadRecordAreas(t, st)
	job := mustImport(t, storetest.Ctx(), st, cunjing.ImportResidents, cunjing.ImportAdd, gbkFixture)
	var cells [][]string
	err := st.ImportReport(storetest.Ctx(), job.ID, func(h []string) error { cells = append(cells, h); return nil },
		func(r cunjing.RefusedRow) error { cells = append(cells, r.Cells); return nil })
	if err != nil || len(cells) != 9 || len(cells[0]) != 14 {
		t.Fatalf("report for the system = %d rows, %v", len(cells), err)
	}
	leader := officerOf("system", cunjing.RoleLeader, town)
	cells = nil
	err = st.ImportReport(leader, job.ID, func(h []string) error { cells = append(cells, h); return nil },
		func(r cunjing.RefusedRow) error { cells = append(cells, r.Cells); return nil })
	if err != nil || len(cells) != 9 || slices.ContainsFunc(cells, func(c []string) bool { return c != nil }) {
		t.Errorf("report for a role without personal data = %q, %v; want no cells", cells, err)
	}
}

func TestImportOfA100000RowWorkbook(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 rows")
	}
	const rows = bigWorkbookRows
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRecordAreas(t, st)
		path := writeXLSXFile(t, "residents.xlsx", residentHeader, residentRows(rows))
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportAdd, path)
		if job.State != cunjing.ImportDone || job.Added != rows || job.Refused != 0 || job.HouseholdsAdded != rows/4 || job.AddressesAdded != rows/4 {
			t.Fatalf("job = %+v; want %d added in %d households", job, rows, rows/4)
		}
		if n := countRows(t, st, "residents"); n != rows {
			t.Errorf("residents = %d", n)
		}
		db := storetest.Direct(t, st)
		last := fmt.Sprintf("residents rows %d-%d: 10000 added, 0 updated, 0 unchanged, 0 refused, 2500 addresses, 2500 households", rows-9998, rows+1)
		if got := queryStrings(t, db, "SELECT detail FROM audit_log WHERE action = 'import_records' ORDER BY seq"); len(got) != rows/10000+2 ||
			got[len(got)-2] != last {
			t.Errorf("audit = %q; want one row per batch of 10,000 between the start and the end, the last %q", got, last)
		}
	})
}

func TestTemplatesHaveTheCanonicalColumnsAndImport(t *testing.T) {
	for _, kind := range cunjing.ImportKinds {
		var buf bytes.Buffer
		if err := importer.RecordTemplate(kind, &buf); err != nil {
			t.Fatal(err)
		}
		wb := openWorkbook(t, buf.Bytes())
		sheets := wb.GetSheetList()
		if len(sheets) != 2 || sheets[1] != "说明" {
			t.Errorf("%s: sheets %v", kind, sheets)
		}
		header, _ := wb.GetRows(sheets[0])
		path := filepath.Join(t.TempDir(), string(kind)+".xlsx")
		if err := wb.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		f, err := importer.OpenRecordFile(kind, path, "template.xlsx")
		if err != nil || !slices.Equal(f.Header, header[0]) {
			t.Errorf("%s: template header %v opens as %v, %v", kind, header[0], f, err)
		}
	}
	var buf bytes.Buffer
	importer.RecordTemplate(cunjing.ImportResidents, &buf)
	header, _ := openWorkbook(t, buf.Bytes()).GetRows("实有人口")
	if !slices.Equal(header[0], residentHeader) {
		t.Errorf("residents template = %v; want %v", header[0], residentHeader)
	}
}
