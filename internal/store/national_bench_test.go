package store_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/demo"
	"cunjing/internal/importer"
	"cunjing/internal/store"
)

// The national benchmarks share one database holding a national-size tree
// (about 694,000 areas), built once per test binary — or kept in the
// folder CUNJING_BENCH_KEEP names, and reused from there by later runs.
var national struct {
	once  sync.Once
	dir   string
	kept  bool
	store *store.Store
	err   error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if national.store != nil {
		national.store.Close()
		if !national.kept {
			os.RemoveAll(national.dir)
		}
	}
	os.Exit(code)
}

func nationalStore(b *testing.B) *store.Store {
	b.Helper()
	national.once.Do(func() {
		ctx := cunjing.WithIdentity(context.Background(), cunjing.SystemIdentity)
		if national.dir = os.Getenv("CUNJING_BENCH_KEEP"); national.dir != "" {
			national.kept = true
			if _, err := os.Stat(filepath.Join(national.dir, "cunjing.db")); err == nil {
				national.store, national.err = store.Open(ctx, filepath.Join(national.dir, "cunjing.db"))
				return
			}
			national.err = os.MkdirAll(national.dir, 0o700)
		} else {
			national.dir, national.err = os.MkdirTemp("", "cunjing-national-")
		}
		if national.err != nil {
			return
		}
		paths, err := demo.WriteNationalDivisions(national.dir, 1)
		if err != nil {
			national.err = err
			return
		}
		if national.store, national.err = store.Open(ctx, filepath.Join(national.dir, "cunjing.db")); national.err != nil {
			return
		}
		var files []importer.File
		for _, p := range paths {
			f, err := os.Open(p)
			if err != nil {
				national.err = err
				return
			}
			defer f.Close()
			files = append(files, importer.File{Name: p, Body: f})
		}
		_, national.err = importer.ImportDivisions(ctx, national.store, files...)
	})
	if national.err != nil {
		b.Fatal(national.err)
	}
	return national.store
}

// sample returns up to n codes of a level spread over the whole country.
func sample(b *testing.B, st *store.Store, level cunjing.Level, n int) []string {
	b.Helper()
	var codes []string
	page := cunjing.Page{Limit: cunjing.MaxPageLimit}
	for {
		areas, next, err := st.FindAreas(cunjing.WithIdentity(context.Background(), cunjing.SystemIdentity), cunjing.AreaFilter{Level: level, Page: page})
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range areas {
			codes = append(codes, a.Code)
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	step := max(1, len(codes)/n)
	var out []string
	for i := 0; i < len(codes) && len(out) < n; i += step {
		out = append(out, codes[i])
	}
	return out
}

// benchMedian runs call over the codes round-robin and reports the median
// time of one call, next to Go's mean.
func benchMedian(b *testing.B, codes []string, call func(code string) error) {
	b.Helper()
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := call(codes[i%len(codes)]); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}

// go test ./internal/store -run '^$' -bench National
func BenchmarkNationalAreaByCodeWithAncestors(b *testing.B) {
	st := nationalStore(b)
	ctx := cunjing.WithIdentity(context.Background(), cunjing.SystemIdentity)
	benchMedian(b, sample(b, st, cunjing.LevelVillage, 1000), func(code string) error {
		d, err := st.AreaDetail(ctx, code)
		if err == nil && len(d.Ancestors) != 4 {
			b.Fatalf("%s has %d ancestors", code, len(d.Ancestors))
		}
		return err
	})
}

func BenchmarkNationalChildrenOfTown(b *testing.B) {
	st := nationalStore(b)
	ctx := cunjing.WithIdentity(context.Background(), cunjing.SystemIdentity)
	benchMedian(b, sample(b, st, cunjing.LevelTown, 1000), func(code string) error {
		_, err := st.ChildAreas(ctx, code)
		return err
	})
}

func BenchmarkNationalVillagesUnderCountyByName(b *testing.B) {
	st := nationalStore(b)
	ctx := cunjing.WithIdentity(context.Background(), cunjing.SystemIdentity)
	benchMedian(b, sample(b, st, cunjing.LevelCounty, 500), func(code string) error {
		_, _, err := st.FindAreas(ctx, cunjing.AreaFilter{Under: code, Level: cunjing.LevelVillage, Query: "王"})
		return err
	})
}
