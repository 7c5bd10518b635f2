package importer_test

import (
	"bytes"
	"errors"
	"testing"

	"cunjing/internal/importer"
	"cunjing/internal/store/storetest"
)

// FuzzImportDivisions feeds arbitrary bytes to the division importer: it
// must never panic, and every bad line it reports has a line number.
func FuzzImportDivisions(f *testing.F) {
	for _, seed := range []string{
		"code,name\n41,\"河南省\"\n",
		"code,name,provinceCode\n4104,\"平顶山市\",41\n4104,\"别名\",41\n",
		"code,name,streetCode,provinceCode,cityCode,areaCode\n410423100201,\"张庄\",410423100,41,4104,410423\n",
		"\xEF\xBB\xBFcode,name\n\"41,\"河\n",
		"code,name\n41,\"\xba\xd3\xc4\xcf\"\n",
	} {
		f.Add([]byte(seed))
	}
	st := storetest.SQLite(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := importer.ImportDivisions(storetest.Ctx(), st, importer.File{Name: "f.csv", Body: bytes.NewReader(body)})
		var problems *importer.Problems
		if errors.As(err, &problems) {
			for _, p := range problems.Listed {
				if p.Line < 1 || p.Message == "" {
					t.Fatalf("problem without a line or message: %+v", p)
				}
			}
		} else if err != nil {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}
