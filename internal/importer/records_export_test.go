package importer_test

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// creditCode makes a valid unified social credit code of 17 characters.
func creditCode(first17 string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, w := range weights {
		sum += strings.IndexByte(chars, first17[i]) * w
	}
	return first17 + string(chars[(31-sum%31)%31])
}

// formula is a note that a spreadsheet would run.
const formula = `=HYPERLINK("http://example.com","点击")`

// loadRegister imports a small register of every kind into 鲁阳街道.
func loadRegister(t *testing.T, st *store.Store) {
	t.Helper()
	loadRecordAreas(t, st)
	ctx := lushanOfficer
	mustImport(t, ctx, st, cunjing.ImportAddresses, cunjing.ImportAdd, writeCSVFile(t, "addresses.csv", addressHeader, [][]string{
		{village1, "建设路", "12号", "3", "2", "301", "113.0123", "33.7456", "GCJ-02"},
		{village1, "李庄组", "", "", "", "", "", "", ""},
		{village2, "东街", "5", "", "", "", "", "", ""},
	}, false))
	rows := residentRows(12)
	rows[0][1] = "建设路12号3栋2单元301室"
	rows[1][13] = formula
	rows[2] = []string{village1, "李庄组", "", "其他", "约翰·史密斯", "护照", "USA 123456789", "男", "1980-01-01", "", "境外", "", "在住", ""}
	rows[5][11] = "留守儿童"
	mustImport(t, ctx, st, cunjing.ImportResidents, cunjing.ImportAdd, writeCSVFile(t, "residents.csv", residentHeader, rows, false))
	code := creditCode("91410423MA0000001")
	mustImport(t, ctx, st, cunjing.ImportOrgs, cunjing.ImportAdd, writeCSVFile(t, "orgs.csv", orgHeader, [][]string{
		{village1, "鲁山县平安旅馆", code, "旅馆", "建设路20号", "王五", "赵六", "0375-2345678", "6", ""},
		{village2, "+cmd|' /C calc'!A0", "", "个体商户", "", "", "", "13700000001", "1", "小卖部"},
	}, false))
	job := mustImport(t, ctx, st, cunjing.ImportHouses, cunjing.ImportAdd, writeCSVFile(t, "houses.csv", houseHeader, [][]string{
		{village1, "建设路12号3栋2单元301室", "自住", "96.5", personID(0), "", ""},
		{village1, "建设路20号", "经营", "", "", code, ""},
	}, false))
	if job.Added != 2 {
		t.Fatalf("houses = %+v, %v", job, problemsOf(t, ctx, st, job.ID))
	}
	job = mustImport(t, ctx, st, cunjing.ImportRentals, cunjing.ImportAdd, writeCSVFile(t, "rentals.csv", rentalHeader, [][]string{
		{village1, "建设路20号", personID(4), "2024-03-01", ""},
	}, false))
	if job.Added != 1 {
		t.Fatalf("rentals = %+v, %v", job, problemsOf(t, ctx, st, job.ID))
	}
}

var (
	addressHeader = []string{"区划代码", "街路巷(自然村)", "门牌号", "楼栋", "单元", "室", "经度", "纬度", "坐标系"}
	orgHeader     = []string{"区划代码", "单位名称", "统一社会信用代码", "单位类别", "地址", "法定代表人", "治安负责人", "联系电话", "从业人数", "备注"}
	houseHeader   = []string{"区划代码", "地址", "房屋用途", "建筑面积", "房主证件号码", "房主单位信用代码", "备注"}
	rentalHeader  = []string{"区划代码", "地址", "租客证件号码", "起租日期", "退租日期"}
)

// exportFile exports a register of a kind under the town to a file.
func exportFile(t *testing.T, ctx context.Context, st *store.Store, kind cunjing.ImportKind) string {
	t.Helper()
	sheet, err := importer.RecordSheet(ctx, st, kind, town)
	if err != nil {
		t.Fatalf("export %s: %v", kind, err)
	}
	return sheetWrite(t, sheet, string(kind)+".xlsx")
}

func TestImportingAnExportChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRegister(t, st)
		before := map[string]int{}
		tables := []string{"addresses", "residents", "households", "houses", "orgs", "rentals", "changes"}
		for _, table := range tables {
			before[table] = countRows(t, st, table)
		}
		want := map[cunjing.ImportKind]int64{cunjing.ImportAddresses: 7, cunjing.ImportResidents: 12, cunjing.ImportHouses: 2, cunjing.ImportOrgs: 2}
		for _, kind := range cunjing.ExportKinds {
			path := exportFile(t, lushanOfficer, st, kind)
			job := mustImport(t, lushanOfficer, st, kind, cunjing.ImportUpsert, path)
			if job.Added+job.Updated+job.Refused != 0 || job.Unchanged != want[kind] {
				t.Errorf("%s: importing the export = %+v, problems %v; want %d unchanged", kind, job, problemsOf(t, lushanOfficer, st, job.ID), want[kind])
			}
		}
		for _, table := range tables {
			if n := countRows(t, st, table); n != before[table] {
				t.Errorf("%s: %d rows after the round trip; want %d", table, n, before[table])
			}
		}
	})
}

func TestExportIsMaskedForRolesWithoutPersonalData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		loadRegister(t, st)
		leader := officerOf("leader", cunjing.RoleLeader, town)
		wb, err := excelize.OpenFile(exportFile(t, leader, st, cunjing.ImportResidents))
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		rows, _ := wb.GetRows("实有人口")
		if len(rows) != 13 || rows[1][6] != cunjing.MaskIDNumber(personID(0)) || rows[1][9] != "138****0000" {
			t.Errorf("masked export first row = %q; want the ID number and phone masked", rows[1])
		}
		full, _ := excelize.OpenFile(exportFile(t, lushanOfficer, st, cunjing.ImportResidents))
		defer full.Close()
		if id, _ := full.GetCellValue("实有人口", "G2"); id != personID(0) {
			t.Errorf("unmasked export: %s; want %s", id, personID(0))
		}
		job := mustImport(t, lushanOfficer, st, cunjing.ImportResidents, cunjing.ImportUpsert, exportFile(t, leader, st, cunjing.ImportResidents))
		if got := problemsOf(t, lushanOfficer, st, job.ID); job.Refused != 12 ||
			got[0] != "2|证件号码|这是遮蔽后的证件号码（导出时没有查看个人信息的权限）：请填写完整号码" {
			t.Errorf("a masked export imported = %+v, %v; want every masked ID number refused, the passport too", job, got)
		}
		houses, _ := excelize.OpenFile(exportFile(t, leader, st, cunjing.ImportHouses))
		defer houses.Close()
		if owner, _ := houses.GetCellValue("实有房屋", "E2"); owner != cunjing.MaskIDNumber(personID(0)) {
			t.Errorf("house owner in a masked export = %s", owner)
		}
	})
}

func TestExportNeutralisesFormulas(t *testing.T) {
	st := storetest.SQLite(t)
	loadRegister(t, st)
	for kind, cell := range map[cunjing.ImportKind]string{cunjing.ImportResidents: "N3", cunjing.ImportOrgs: "B3"} {
		wb, err := excelize.OpenFile(exportFile(t, lushanOfficer, st, kind))
		if err != nil {
			t.Fatal(err)
		}
		sheet := wb.GetSheetName(0)
		value, _ := wb.GetCellValue(sheet, cell)
		formula, _ := wb.GetCellFormula(sheet, cell)
		if !strings.HasPrefix(value, "'") || formula != "" {
			t.Errorf("%s %s = %q, formula %q; want the text behind an apostrophe and no formula", kind, cell, value, formula)
		}
		wb.Close()
	}
}

func TestExportOutsideTheScopeIsNotFound(t *testing.T) {
	st := storetest.SQLite(t)
	loadRecordAreas(t, st)
	for _, under := range []string{"410482", "410423100999"} {
		if _, err := importer.RecordSheet(lushanOfficer, st, cunjing.ImportResidents, under); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("export under %s: %v; want not found", under, err)
		}
	}
}
