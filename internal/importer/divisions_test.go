package importer_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// realFiles are the official Pingdingshan files the demo embeds.
var realFiles = []string{"41-provinces.csv", "4104-cities.csv", "4104-areas.csv", "4104-streets.csv", "4104-villages.csv"}

func openFiles(t *testing.T, dir string, names ...string) []importer.File {
	t.Helper()
	var files []importer.File
	for _, name := range names {
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, importer.File{Name: name, Body: bytes.NewReader(body)})
	}
	return files
}

func TestImportRealDivisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Ctx()
		report, err := importer.ImportDivisions(ctx, s, openFiles(t, "../demo/data", realFiles...)...)
		if err != nil {
			t.Fatal(err)
		}
		if report.Added != 1+1+12+148+2828 {
			t.Errorf("added %d areas; want 2,990", report.Added)
		}
		city, err := s.CountAreas(ctx, "4104")
		if err != nil {
			t.Fatal(err)
		}
		if city.ByLevel[cunjing.LevelCounty] != 12 || city.ByLevel[cunjing.LevelTown] != 148 || city.ByLevel[cunjing.LevelVillage] != 2828 {
			t.Errorf("under 4104: %v; want 12 counties, 148 towns, 2,828 village-level units", city.ByLevel)
		}
		if city.Villages != 2549 || city.Communities != 279 {
			t.Errorf("villages/communities = %d/%d; want 2,549/279 by committee type", city.Villages, city.Communities)
		}
		lushan, err := s.CountAreas(ctx, "410423")
		if err != nil || lushan.ByLevel[cunjing.LevelVillage] != 556 {
			t.Errorf("under 鲁山县: %v, %v; want 556 village-level units", lushan.ByLevel, err)
		}
		again, err := importer.ImportDivisions(ctx, s, openFiles(t, "../demo/data", realFiles...)...)
		if err != nil || again.Added != 0 || again.Renamed != 0 || again.Unchanged != 2990 {
			t.Errorf("second import = %+v, %v; want all 2,990 unchanged", again, err)
		}
	})
}

func TestImportGBKMatchesUTF8(t *testing.T) {
	ctx := storetest.Ctx()
	utf8Store, gbkStore := storetest.SQLite(t), storetest.SQLite(t)
	top := realFiles[:4]
	if _, err := importer.ImportDivisions(ctx, utf8Store, openFiles(t, "../demo/data", realFiles...)...); err != nil {
		t.Fatal(err)
	}
	files := append(openFiles(t, "../demo/data", top...), openFiles(t, "testdata", "4104-villages-gbk.csv")...)
	report, err := importer.ImportDivisions(ctx, gbkStore, files...)
	if err != nil {
		t.Fatal(err)
	}
	if report.Encodings["4104-villages-gbk.csv"] != "GBK" || report.Encodings["4104-areas.csv"] != "UTF-8" {
		t.Errorf("encodings = %v", report.Encodings)
	}
	want, _, _ := utf8Store.FindAreas(ctx, cunjing.AreaFilter{Under: "410423", Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 500}})
	got, _, _ := gbkStore.FindAreas(ctx, cunjing.AreaFilter{Under: "410423", Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 500}})
	if len(got) != 500 || len(got) != len(want) {
		t.Fatalf("got %d villages from GBK, %d from UTF-8", len(got), len(want))
	}
	for i := range want {
		if got[i].Name != want[i].Name || got[i].Kind != want[i].Kind {
			t.Fatalf("row %d: GBK gives %q, UTF-8 %q", i, got[i].Name, want[i].Name)
		}
	}
}

func TestImportWithBOM(t *testing.T) {
	s := storetest.SQLite(t)
	body := "\xEF\xBB\xBFcode,name\n41,\"河南省\"\n"
	if _, err := importer.ImportDivisions(storetest.Ctx(), s, importer.File{Name: "p.csv", Body: strings.NewReader(body)}); err != nil {
		t.Fatal(err)
	}
	if d, err := s.AreaDetail(storetest.Ctx(), "41"); err != nil || d.Name != "河南省" {
		t.Fatalf("province = %+v, %v", d, err)
	}
}

func TestImportRejectsBadLinesAndWritesNothing(t *testing.T) {
	const header = "code,name,streetCode,provinceCode,cityCode,areaCode\n"
	const good = "410423003201,\"张庄村民委员会\",410423003,41,4104,410423\n"
	cases := map[string]struct {
		line string
		want string
	}{
		"column count":   {"410423003202,\"李庄村民委员会\",410423003,41,4104\n", "5 columns, the header has 6"},
		"non-digit code": {"41042300320A,\"李庄村民委员会\",410423003,41,4104,410423\n", "not a digit"},
		"wrong length":   {"41042300320,\"李庄村民委员会\",410423003,41,4104,410423\n", "has 11 digits; village codes have 12"},
		"not under":      {"410423101202,\"李庄村民委员会\",410423003,41,4104,410423\n", "is not under its streetCode 410423003"},
		"unknown parent": {"410423199202,\"李庄村民委员会\",410423199,41,4104,410423\n", "parent 410423199 is neither in the files nor already imported"},
		"two names":      {"410423003201,\"王庄村民委员会\",410423003,41,4104,410423\n", `named "王庄村民委员会" here and "张庄村民委员会" at villages.csv:2`},
		"empty parent":   {"410423003204,\"李庄村民委员会\",,41,4104,410423\n", `its streetCode "" must have 9 digits`},
		"empty name":     {"410423003203,,410423003,41,4104,410423\n", "the name is empty"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			s := storetest.SQLite(t)
			ctx := storetest.Ctx()
			files := openFiles(t, "../demo/data", realFiles[:4]...)
			files = append(files, importer.File{Name: "villages.csv", Body: strings.NewReader(header + good + c.line)})
			_, err := importer.ImportDivisions(ctx, s, files...)
			var problems *importer.Problems
			if !errors.As(err, &problems) {
				t.Fatalf("err = %v; want *Problems", err)
			}
			if problems.Total != 1 || problems.Listed[0].Line != 3 || problems.Listed[0].File != "villages.csv" || !strings.Contains(problems.Listed[0].Message, c.want) {
				t.Fatalf("problems = %+v; want villages.csv line 3 saying %q", problems.Listed, c.want)
			}
			if _, err := s.AreaDetail(ctx, "41"); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Fatalf("after a rejected import the province exists: err = %v", err)
			}
		})
	}
}

func TestImportListsManyProblemsUpToTheLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("code,name\n")
	for i := 0; i < 250; i++ {
		b.WriteString("4x,\"坏\"\n")
	}
	_, err := importer.ImportDivisions(storetest.Ctx(), storetest.SQLite(t), importer.File{Name: "p.csv", Body: strings.NewReader(b.String())})
	var problems *importer.Problems
	if !errors.As(err, &problems) || problems.Total != 250 || len(problems.Listed) != importer.MaxListedProblems || problems.Listed[99].Line != 101 {
		t.Fatalf("err = %v; want 250 problems, the first 100 listed with their lines", err)
	}
}

func TestImportRejectsUnknownHeaderAndEmptyFile(t *testing.T) {
	for name, body := range map[string]string{"unknown header": "编码,名称\n41,河南省\n", "empty": ""} {
		_, err := importer.ImportDivisions(storetest.Ctx(), storetest.SQLite(t), importer.File{Name: "x.csv", Body: strings.NewReader(body)})
		var problems *importer.Problems
		if !errors.As(err, &problems) || problems.Listed[0].Line != 1 {
			t.Errorf("%s: err = %v; want a problem on line 1", name, err)
		}
	}
}
