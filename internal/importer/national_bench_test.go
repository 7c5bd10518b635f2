package importer_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"cunjing/internal/demo"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// BenchmarkImportNationalDivisions imports a national-size division tree
// (31 provinces … about 646,000 village-level units, 42 MB of CSV) into an
// empty SQLite database, one whole import per iteration, and reports the
// peak resident memory of the process.
//
//	go test ./internal/importer -run '^$' -bench ImportNational -benchtime 3x
func BenchmarkImportNationalDivisions(b *testing.B) {
	dir := b.TempDir()
	paths, err := demo.WriteNationalDivisions(dir, 1)
	if err != nil {
		b.Fatal(err)
	}
	ctx := storetest.Ctx()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		st, err := store.Open(ctx, filepath.Join(dir, "db", string(rune('a'+i)), "cunjing.db"))
		if err != nil {
			b.Fatal(err)
		}
		files := make([]importer.File, len(paths))
		for j, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			files[j] = importer.File{Name: filepath.Base(p), Body: f}
		}
		report, err := importer.ImportDivisions(ctx, st, files...)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(report.Added), "areas/op")
		st.Close()
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MB")
}
