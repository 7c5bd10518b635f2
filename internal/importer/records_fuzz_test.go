package importer

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cunjing"
)

// residentHeader is the canonical header of residents files.
var residentHeader = []string{"区划代码", "地址", "户号", "与户主关系", "姓名", "证件类型", "证件号码", "性别", "出生日期", "联系电话",
	"人员类别", "留守类型", "状态", "备注"}

// residentParser parses rows of the canonical residents header.
func residentParser(t testing.TB) *rowParser {
	f := &RecordFile{Kind: cunjing.ImportResidents, layout: recordLayouts[cunjing.ImportResidents]}
	if !f.readHeader(residentHeader) || f.missing("f") != nil {
		t.Fatal("the canonical header is not read")
	}
	return f.parserOf(cunjing.NewDate(2025, 6, 1))
}

// FuzzResidentRow feeds arbitrary cells (separated by \x1f) to the row
// parser of residents: it never panics; every problem names the row, a
// column of the file or none, and a reason; a row without problems holds
// a resident the domain accepts, its ID number checked.
func FuzzResidentRow(f *testing.F) {
	for _, seed := range []string{
		"410423100201\x1f建设路1号\x1fH1\x1f户主\x1f张三\x1f身份证\x1f410423198001010016\x1f\x1f\x1f13800000001\x1f户籍\x1f\x1f在住\x1f",
		"410423100201\x1f\x1f\x1f\x1f王芳\x1f\x1f530102192005080119",
		"4104231002\x1f\x1f\x1f配偶\x1f\x1f护照\x1fUSA 123456789\x1f男\x1f29221\x1f+86 138-0000-0000",
		"410423100201\x1f\x1f\x1f\x1f李\u200b四\x1f\x1f４１０４２３１９７５０６１２００２ｘ\x1f\x1f\x1f138****0000\x1f常驻\x1f留守\x1f死亡\x1f=1+1",
		"410423100201-G01\x1f东街\x00\x1f\x1f\x1f𠈌\x1f\x1f410423800101003\x1f\x1f\x1f\xff\xfe",
		"\x1f\x1f\x1f\x1f\x1f\x1f4.10423198001E+17",
	} {
		f.Add(seed)
	}
	p := residentParser(f)
	f.Fuzz(func(t *testing.T, line string) {
		cells := strings.Split(line, "\x1f")
		row := p.parse(7, cells, "")
		for _, pr := range row.Problems {
			if pr.Row != 7 || pr.Message == "" || pr.Column != "" && !slices.Contains(residentHeader, pr.Column) {
				t.Fatalf("bad problem %+v of %q", pr, cells)
			}
		}
		if len(row.Problems) > 0 {
			return
		}
		r := row.Resident
		if err := r.Validate(p.today); err != nil {
			t.Fatalf("accepted row %q holds a resident the domain refuses: %v", cells, err)
		}
		if r.DocKind == cunjing.DocIDCard {
			if _, err := cunjing.ParseIDNumber(r.IDNumber, p.today); err != nil || r.IDNumber != strings.ToUpper(r.IDNumber) {
				t.Fatalf("accepted ID number %q: %v", r.IDNumber, err)
			}
		}
	})
}

// FuzzRecordCSV feeds arbitrary bytes to the reading of a residents CSV
// file: it never panics, and every row it reads is numbered after the
// header, in order.
func FuzzRecordCSV(f *testing.F) {
	for _, seed := range []string{
		"区划代码,姓名,证件号码\r\n410423100201,张三,410423198001010016\r\n",
		"\xEF\xBB\xBF区划代码,姓名,证件号码\n\"410423100201\",\"张\n三\",x\n",
		"\xc7\xf8\xbb\xae\xb4\xfa\xc2\xeb,\xd0\xd5\xc3\xfb,\xc9\xed\xb7\xdd\xd6\xa4\xba\xc5\n1,2,3\n",
		"area_code,name,id_number\n\"unterminated,1,2\n,,\n",
		"PK\x03\x04garbage",
		"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
	} {
		f.Add([]byte(seed))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, body []byte) {
		path := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(path, body, 0o600); err != nil {
			t.Fatal(err)
		}
		file, err := OpenRecordFile(cunjing.ImportResidents, path, "f.csv")
		if err != nil {
			return
		}
		src, err := file.open()
		if err != nil {
			t.Fatalf("a file that opened once does not open again: %v", err)
		}
		defer src.close()
		parser, last := file.parserOf(cunjing.NewDate(2025, 6, 1)), 1
		for {
			line, cells, problem, err := src.next()
			if err == io.EOF {
				return
			}
			if err != nil || line <= last {
				t.Fatalf("row %d after %d: %v", line, last, err)
			}
			last = line
			row := parser.parse(line, cells, problem)
			for _, pr := range row.Problems {
				if pr.Row != line || pr.Message == "" {
					t.Fatalf("bad problem %+v", pr)
				}
			}
		}
	})
}
