package importer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/demo"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// The record benchmarks run at a small size by default; the city
// (5,000,000 residents, about 670 MB of CSV) when asked:
//
//	CUNJING_BENCH_RESIDENTS=5000000 go test ./internal/importer -run '^$' -bench 'ImportResidentsCSV' -benchtime 1x -timeout 3h
//	CUNJING_BENCH_EXPORT=1000000 go test ./internal/importer -run '^$' -bench 'ExportResidentsXLSX' -benchtime 1x -timeout 3h
//
// With CUNJING_TEST_POSTGRES set they run on PostgreSQL too.

// benchSize reads a size from the environment.
func benchSize(b *testing.B, env string, fallback int) int {
	b.Helper()
	v := os.Getenv(env)
	if v == "" {
		return fallback
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		b.Fatalf("%s=%q: want a number of residents", env, v)
	}
	return n
}

// benchPopulation writes the synthetic city of n residents as `cunjing
// gen` does (seed 1), once per size, in the system's temporary folder.
func benchPopulation(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("cunjing-bench-population-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "done")); err == nil {
		return dir
	}
	villages, err := demo.Villages("")
	if err != nil {
		b.Fatal(err)
	}
	p, err := demo.NewPopulation(demo.PopulationSpec{Villages: villages, Residents: n, Seed: 1, Today: cunjing.NewDate(2026, 1, 1)})
	if err != nil {
		b.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if _, err := demo.WritePopulationCSV(context.Background(), p, dir); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "done"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchEngines runs fn on a fresh SQLite store, and on PostgreSQL when
// the tests have it.
func benchEngines(b *testing.B, fn func(b *testing.B, open func() *store.Store)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, func() *store.Store { return storetest.SQLite(b) }) })
	if os.Getenv(storetest.PostgresEnv) != "" {
		b.Run("postgres", func(b *testing.B) { fn(b, func() *store.Store { return storetest.Postgres(b) }) })
	}
}

// benchCity opens a store holding the divisions of the city and the
// addresses of the population in dir.
func benchCity(b *testing.B, open func() *store.Store, dir string) *store.Store {
	b.Helper()
	st := open()
	files, err := demo.DivisionFiles()
	if err != nil {
		b.Fatal(err)
	}
	ctx := storetest.Ctx()
	if _, err := importer.ImportDivisions(ctx, st, files...); err != nil {
		b.Fatal(err)
	}
	benchImport(b, st, cunjing.ImportAddresses, filepath.Join(dir, "addresses.csv"))
	return st
}

// benchImport imports a file of the population as the system.
func benchImport(b *testing.B, st *store.Store, kind cunjing.ImportKind, path string) *cunjing.ImportJob {
	b.Helper()
	f, err := importer.OpenRecordFile(kind, path, filepath.Base(path))
	if err != nil {
		b.Fatal(err)
	}
	job, err := importer.ImportRecords(storetest.Ctx(), st, f, cunjing.ImportAdd, nil)
	if err != nil {
		b.Fatal(err)
	}
	if job.Refused > 0 {
		b.Fatalf("%s: %d rows refused", kind, job.Refused)
	}
	return job
}

// resetPeakMemory forgets the peak resident memory of the process so far
// (Linux), after handing freed memory back, so that peakMemoryMB measures
// the part that follows.
func resetPeakMemory() {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakMemoryMB is the peak resident memory since resetPeakMemory.
func peakMemoryMB(b *testing.B) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// BenchmarkImportResidentsCSV imports the residents of the synthetic city
// from the CSV `cunjing gen` writes, with full validation, into a store
// that holds its divisions and addresses and no residents yet — the bulk
// path from about 170,000 rows on — and reports rows/s and the peak memory
// of the import.
func BenchmarkImportResidentsCSV(b *testing.B) {
	n := benchSize(b, "CUNJING_BENCH_RESIDENTS", 20000)
	dir := benchPopulation(b, n)
	benchEngines(b, func(b *testing.B, open func() *store.Store) {
		for b.Loop() {
			b.StopTimer()
			st := benchCity(b, open, dir)
			resetPeakMemory()
			b.StartTimer()
			job := benchImport(b, st, cunjing.ImportResidents, filepath.Join(dir, "residents.csv"))
			b.StopTimer()
			b.ReportMetric(float64(job.Added), "residents/op")
			b.ReportMetric(float64(job.Added)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(peakMemoryMB(b), "peak-RSS-MB")
			b.StartTimer()
		}
	})
}

// BenchmarkExportResidentsXLSX exports the residents of the whole city
// (CUNJING_BENCH_EXPORT of them, default 20,000) to an XLSX file through
// the streamed sheet, unmasked, and reports the rows per second and the
// peak memory of the export.
func BenchmarkExportResidentsXLSX(b *testing.B) {
	n := benchSize(b, "CUNJING_BENCH_EXPORT", 20000)
	dir := benchPopulation(b, n)
	benchEngines(b, func(b *testing.B, open func() *store.Store) {
		st := benchCity(b, open, dir)
		benchImport(b, st, cunjing.ImportResidents, filepath.Join(dir, "residents.csv"))
		out := filepath.Join(b.TempDir(), "residents.xlsx")
		resetPeakMemory()
		for b.Loop() {
			sheet, err := importer.RecordSheet(storetest.Ctx(), st, cunjing.ImportResidents, "4104")
			if err != nil {
				b.Fatal(err)
			}
			f, err := os.Create(out)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := sheet.WriteTo(f); err != nil {
				b.Fatal(err)
			}
			f.Close()
			sheet.Close()
		}
		info, _ := os.Stat(out)
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
		b.ReportMetric(peakMemoryMB(b), "peak-RSS-MB")
	})
}
