package importer_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cunjing"
	"cunjing/internal/importer"
)

func TestSafeCellNeutralisesFormulas(t *testing.T) {
	cases := map[string]string{
		"=cmd|' /C calc'!A0":    "'=cmd|' /C calc'!A0",
		"+86 138":               "'+86 138",
		"-2+3":                  "'-2+3",
		"@SUM(A1:A2)":           "'@SUM(A1:A2)",
		"\t=1":                  "'\t=1",
		"\r=1":                  "'\r=1",
		"":                      "",
		"鲁山县":                   "鲁山县",
		"a=1":                   "a=1",
		" =1":                   " =1",
		"'already":              "'already",
		"410423199001011234 ok": "410423199001011234 ok",
	}
	for in, want := range cases {
		if got := importer.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestSheetRoundTripsThroughExcelize(t *testing.T) {
	sheet, err := importer.NewSheet("audit", []importer.Column{{Header: "seq", Width: 8}, {Header: "at", Width: 20}, {Header: "object", Width: 40}})
	if err != nil {
		t.Fatal(err)
	}
	defer sheet.Close()
	at := time.Date(2026, 3, 5, 23, 30, 15, 987654321, time.UTC).In(cunjing.Shanghai)
	if err := sheet.Add(int64(7), at, "=HYPERLINK(\"http://evil\")"); err != nil {
		t.Fatal(err)
	}
	if err := sheet.Add(int64(6), at, "东关社区"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := sheet.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("audit")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"seq", "at", "object"},
		{"7", "2026-03-06 07:30:15", "'=HYPERLINK(\"http://evil\")"},
		{"6", "2026-03-06 07:30:15", "东关社区"},
	}
	if !slices.EqualFunc(rows, want, slices.Equal) {
		t.Errorf("rows = %q; want %q", rows, want)
	}
	if formula, _ := f.GetCellFormula("audit", "C2"); formula != "" {
		t.Errorf("C2 holds the formula %q", formula)
	}
}
