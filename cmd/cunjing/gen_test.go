package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cunjing"
)

// canonicalColumns are the headers of the basic-information files, the
// contract between cunjing gen, the import templates and the exports.
var canonicalColumns = map[string][]string{
	"addresses.csv": {"区划代码", "街路巷(自然村)", "门牌号", "楼栋", "单元", "室", "经度", "纬度", "坐标系"},
	"residents.csv": {"区划代码", "地址", "户号", "与户主关系", "姓名", "证件类型", "证件号码", "性别", "出生日期", "联系电话", "人员类别", "留守类型", "状态", "备注"},
	"houses.csv":    {"区划代码", "地址", "房屋用途", "建筑面积", "房主证件号码", "房主单位信用代码", "备注"},
	"rentals.csv":   {"区划代码", "地址", "租客证件号码", "起租日期", "退租日期"},
	"orgs.csv":      {"区划代码", "单位名称", "统一社会信用代码", "单位类别", "地址", "法定代表人", "治安负责人", "联系电话", "从业人数", "备注"},
}

// readGenerated reads a generated CSV file: it must start with a BOM and
// the canonical header.
func readGenerated(t *testing.T, dir, name string) [][]string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	rest, ok := bytes.CutPrefix(body, []byte("\uFEFF"))
	if !ok {
		t.Fatalf("%s has no byte-order mark", name)
	}
	rows, err := csv.NewReader(bytes.NewReader(rest)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(rows) == 0 || !reflect.DeepEqual(rows[0], canonicalColumns[name]) {
		t.Fatalf("%s header %q, want %q", name, rows[0], canonicalColumns[name])
	}
	return rows[1:]
}

func TestGenWritesTheCanonicalFiles(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	args := []string{"gen", "--residents", "3000", "--under", "410423", "--seed", "5", "--today", "2026-11-29", "--out", dir}
	if err := run(context.Background(), args, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "residents.csv") || !strings.Contains(out.String(), "3000 rows") {
		t.Errorf("gen printed %q; want the files and their rows", out.String())
	}
	today := cunjing.NewDate(2026, 11, 29)
	people := readGenerated(t, dir, "residents.csv")
	if len(people) != 3000 {
		t.Fatalf("%d residents, want 3000", len(people))
	}
	known := map[string]bool{}
	for _, p := range people {
		if !strings.HasPrefix(p[0], "410423") || p[1] == "" || p[2] == "" || p[4] == "" {
			t.Fatalf("resident row %q: want an area of 鲁山县, an address, a household and a name", p)
		}
		if p[5] == "身份证" {
			if _, err := cunjing.ParseIDNumber(p[6], today); err != nil {
				t.Fatalf("row %q: %v", p, err)
			}
		}
		known[p[6]] = true
	}
	for _, h := range readGenerated(t, dir, "houses.csv") {
		if h[4] != "" && !known[h[4]] {
			t.Fatalf("house %q is owned by %s, who is not in residents.csv", h[1], h[4])
		}
	}
	for _, r := range readGenerated(t, dir, "rentals.csv") {
		if !known[r[2]] {
			t.Fatalf("tenant %s of %q is not in residents.csv", r[2], r[1])
		}
	}
	for _, o := range readGenerated(t, dir, "orgs.csv") {
		if o[2] != "" {
			if _, err := cunjing.ParseCreditCode(o[2]); err != nil {
				t.Fatalf("org %q: %v", o[1], err)
			}
		}
	}
	if n := len(readGenerated(t, dir, "addresses.csv")); n < 800 || n > 1300 {
		t.Errorf("%d addresses for 3,000 residents, want about 1,000", n)
	}
	again := t.TempDir()
	if err := run(context.Background(), append(args[:len(args)-1], again), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(filepath.Join(dir, "residents.csv"))
	second, _ := os.ReadFile(filepath.Join(again, "residents.csv"))
	if !bytes.Equal(first, second) {
		t.Error("the same seed wrote different residents")
	}
}

func TestGenNeedsAFolder(t *testing.T) {
	if err := run(context.Background(), []string{"gen", "--residents", "10"}, io.Discard, io.Discard); err == nil {
		t.Error("gen without --out succeeded")
	}
	if err := run(context.Background(), []string{"gen", "--under", "4201", "--out", t.TempDir()}, io.Discard, io.Discard); err == nil {
		t.Error("gen under a code outside the demo city succeeded")
	}
}
