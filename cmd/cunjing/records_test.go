package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// cliIDNumber is a valid ID number of 鲁山县 born on 1901-02-03.
func cliIDNumber(seq int) string {
	s := fmt.Sprintf("41042319010203%03d", seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// importCity imports the real division codes of the city into data.
func importCity(t *testing.T, data string) {
	t.Helper()
	args := []string{"import", "divisions", "--data", data}
	for _, f := range []string{"41-provinces.csv", "4104-cities.csv", "4104-areas.csv", "4104-streets.csv", "4104-villages.csv"} {
		args = append(args, filepath.Join("../../internal/demo/data", f))
	}
	var errOut bytes.Buffer
	if err := run(context.Background(), args, io.Discard, &errOut); err != nil {
		t.Fatalf("%v: %s", err, errOut.String())
	}
}

func TestImportAndExportRecordCommands(t *testing.T) {
	data := t.TempDir()
	importCity(t, data)
	file := filepath.Join(t.TempDir(), "户籍.csv")
	writeFile(t, file, "区划代码,地址,户号,姓名,证件号码,联系电话\n"+
		"410423001002,东关路1号,D1,王一,"+cliIDNumber(1)+",13800000001\n"+
		"410423001002,东关路1号,D1,王二,"+cliIDNumber(2)+",1380000\n"+
		"410423001002,东关路2号,D2,王三,"+cliIDNumber(3)+",\n")
	var out, errOut bytes.Buffer
	args := []string{"import", "residents", "--data", data, file}
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("%v: %s", err, errOut.String())
	}
	report := strings.TrimSuffix(file, ".csv") + "-report.xlsx"
	if !strings.Contains(out.String(), "done: 3 rows, 2 added, 0 updated, 0 unchanged, 1 refused; 2 addresses and 2 households added") ||
		!strings.Contains(out.String(), report) || !strings.Contains(errOut.String(), "户籍.csv: 3 rows,") {
		t.Errorf("import printed %q and %q", out.String(), errOut.String())
	}
	wb, err := excelize.OpenFile(report)
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	if rows, _ := wb.GetRows("未导入的行"); len(rows) != 2 || rows[1][3] != "王二" {
		t.Errorf("report rows = %q", rows)
	}
	wb.Close()
	out.Reset()
	if err := run(context.Background(), args, &out, io.Discard); err != nil || !strings.Contains(out.String(), "import 1 done: 3 rows, 2 added") {
		t.Errorf("the same file again: %v %q; want the finished job", err, out.String())
	}

	export := filepath.Join(t.TempDir(), "export.xlsx")
	out.Reset()
	if err := run(context.Background(), []string{"export", "residents", "--data", data, "--under", "410423001", "--out", export}, &out, &errOut); err != nil {
		t.Fatalf("export: %v %s", err, errOut.String())
	}
	wb, err = excelize.OpenFile(export)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if id, _ := wb.GetCellValue("实有人口", "G2"); id != cliIDNumber(1) {
		t.Errorf("exported first ID number = %q; want %s in full for the command line", id, cliIDNumber(1))
	}
	out.Reset()
	if err := run(context.Background(), []string{"import", "residents", "--data", data, "--mode", "upsert", export}, &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "2 rows, 0 added, 0 updated, 2 unchanged, 0 refused") {
		t.Errorf("importing the export: %v %q; want nothing changed", err, out.String())
	}
}

func TestRecordCommandsRefuseBadUse(t *testing.T) {
	data := t.TempDir()
	renamed := filepath.Join(t.TempDir(), "r.xlsx")
	writeFile(t, renamed, "区划代码,姓名,证件号码\n")
	for _, c := range []struct {
		args []string
		want error
		text string
	}{
		{[]string{"import", "people", "f.csv"}, errUsage, "usage: cunjing import"},
		{[]string{"import", "residents", "--data", data, "--mode", "replace", "f.csv"}, errUsage, "usage: cunjing import residents"},
		{[]string{"import", "residents", "--data", data, renamed}, errReported, "is named as a workbook but is text"},
		{[]string{"export", "rentals", "--under", "410423", "--out", "x.xlsx"}, errUsage, "usage: cunjing export"},
		{[]string{"export", "residents", "--data", data, "--out", "x.xlsx"}, errUsage, "usage: cunjing export"},
	} {
		var errOut bytes.Buffer
		err := run(context.Background(), c.args, io.Discard, &errOut)
		if !errors.Is(err, c.want) || !strings.Contains(errOut.String(), c.text) {
			t.Errorf("%v: %v %q; want %v and %q", c.args, err, errOut.String(), c.want, c.text)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "cunjing.db")); err == nil {
		t.Errorf("a refused command opened the database")
	}
}
