package importer_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// The areas of the record tests: two villages and a community of 鲁阳街道
// in 鲁山县, and a village of 汝州市, another county.
const (
	village1  = "410423100201"
	village2  = "410423100202"
	community = "410423100001"
	town      = "410423100"
	ruzhou    = "410482100201"
)

// loadRecordAreas imports the areas of the record tests.
func loadRecordAreas(t testing.TB, st *store.Store) {
	t.Helper()
	areas := []cunjing.Area{
		{Code: "41", Name: "河南省", Level: cunjing.LevelProvince, Kind: "province"},
		{Code: "4104", Name: "平顶山市", Level: cunjing.LevelCity, Kind: "city", ParentCode: "41"},
		{Code: "410423", Name: "鲁山县", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
		{Code: "410482", Name: "汝州市", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
		{Code: town, Name: "鲁阳街道", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410423"},
		{Code: "410482100", Name: "煤山街道", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410482"},
		{Code: village1, Name: "张庄村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: town},
		{Code: village2, Name: "李庄村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: town},
		{Code: community, Name: "东关社区居民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindCommunity, ParentCode: town},
		{Code: ruzhou, Name: "王庄村民委员会", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, ParentCode: "410482100"},
	}
	if _, err := st.ImportAreas(storetest.Ctx(), slices.Values(areas)); err != nil {
		t.Fatalf("import areas: %v", err)
	}
}

// officerOf is the context of an officer whose scope is the areas.
func officerOf(username string, role cunjing.Role, areas ...string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: role,
		Scope: cunjing.Scope{Prefixes: areas}})
}

// lushanOfficer sees 鲁阳街道; ruzhouOfficer sees 汝州市.
var (
	lushanOfficer = officerOf("lushan", cunjing.RoleStationChief, town)
	ruzhouOfficer = officerOf("ruzhou", cunjing.RoleStationChief, "410482")
)

var idWeights = []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idNumber makes a valid ID number of a region, a birth day (YYYYMMDD)
// and a sequence number.
func idNumber(region, birth string, seq int) string {
	s := fmt.Sprintf("%s%s%03d", region, birth, seq%1000)
	sum := 0
	for i, w := range idWeights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// personID is the ID number of the i-th generated person: born on one of
// 10,000 days from 1950, with a sequence number that tells them apart.
func personID(i int) string {
	year, rest := 1950+i%60, i/60
	month, rest := 1+rest%12, rest/12
	day, rest := 1+rest%28, rest/28
	return idNumber("410423", fmt.Sprintf("%04d%02d%02d", year, month, day), rest)
}

var residentHeader = []string{"区划代码", "地址", "户号", "与户主关系", "姓名", "证件类型", "证件号码", "性别", "出生日期", "联系电话",
	"人员类别", "留守类型", "状态", "备注"}

var givenNames = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志建国红海")

// residentRows makes n residents of the two villages, four to a
// household at one address.
func residentRows(n int) [][]string {
	rows := make([][]string, n)
	for i := range rows {
		house := i / 4
		area := village1
		if house%2 == 1 {
			area = village2
		}
		relation := "户主"
		if i%4 != 0 {
			relation = "子女"
		}
		name := "王" + string(givenNames[i%len(givenNames)]) + string(givenNames[(i/len(givenNames))%len(givenNames)])
		rows[i] = []string{area, fmt.Sprintf("建设路%d号", house), fmt.Sprintf("H%06d", house), relation, name, "身份证", personID(i), "",
			"", fmt.Sprintf("138%08d", i), "户籍", "", "在住", ""}
	}
	return rows
}

// writeCSVFile writes a CSV file in UTF-8, or in GBK.
func writeCSVFile(t testing.TB, name string, header []string, rows [][]string, gbk bool) string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(header)
	w.WriteAll(rows)
	body := buf.Bytes()
	if gbk {
		var err error
		if body, err = simplifiedchinese.GBK.NewEncoder().Bytes(body); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeXLSXFile writes a workbook of one sheet with the rows as text.
func writeXLSXFile(t testing.TB, name string, header []string, rows [][]string) string {
	t.Helper()
	sheet, err := importer.NewSheet("Sheet1", columnsOf(header))
	if err != nil {
		t.Fatal(err)
	}
	defer sheet.Close()
	for _, row := range rows {
		values := make([]any, len(row))
		for i, c := range row {
			values[i] = c
		}
		if err := sheet.Add(values...); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := sheet.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	return path
}

func columnsOf(header []string) []importer.Column {
	cols := make([]importer.Column, len(header))
	for i, h := range header {
		cols[i] = importer.Column{Header: h, Width: 12}
	}
	return cols
}

// importPath imports a file of a kind and mode.
func importPath(ctx context.Context, st *store.Store, kind cunjing.ImportKind, mode cunjing.ImportMode, path string,
	progress func(cunjing.ImportJob)) (*cunjing.ImportJob, error) {
	f, err := importer.OpenRecordFile(kind, path, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	return importer.ImportRecords(ctx, st, f, mode, progress)
}

// mustImport imports a file and fails the test on an error.
func mustImport(t testing.TB, ctx context.Context, st *store.Store, kind cunjing.ImportKind, mode cunjing.ImportMode, path string) *cunjing.ImportJob {
	t.Helper()
	job, err := importPath(ctx, st, kind, mode, path, nil)
	if err != nil {
		t.Fatalf("import %s: %v", filepath.Base(path), err)
	}
	return job
}

// countRows counts the rows of a table, directly.
func countRows(t testing.TB, st *store.Store, table string) int {
	t.Helper()
	var n int
	if err := storetest.Direct(t, st).QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// queryStrings runs a query of one text column directly.
func queryStrings(t testing.TB, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// problemsOf lists the problems of a job as "row|column|message".
func problemsOf(t testing.TB, ctx context.Context, st *store.Store, id int64) []string {
	t.Helper()
	var out []string
	err := st.ImportReport(ctx, id, func([]string) error { return nil }, func(r cunjing.RefusedRow) error {
		for _, p := range r.Problems {
			out = append(out, fmt.Sprintf("%d|%s|%s", p.Row, p.Column, p.Message))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// openWorkbook opens a workbook written to a buffer.
func openWorkbook(t testing.TB, body []byte) *excelize.File {
	t.Helper()
	wb, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wb.Close() })
	return wb
}

// sheetWrite writes a sheet to a file in the test's folder.
func sheetWrite(t testing.TB, sheet *importer.Sheet, name string) string {
	t.Helper()
	defer sheet.Close()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := sheet.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	return path
}
