package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// bulkID is a valid ID number of 鲁山县, distinct for each i.
func bulkID(i int) string {
	s := fmt.Sprintf("410423%04d%02d%02d%03d", 1940+i%60, 1+i/60%12, 1+i/720%28, i/20160)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for j, w := range weights {
		sum += int(s[j]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// bulkFile writes a residents CSV of n persons of two villages, the names
// of some read two ways in pinyin; the person of row 2 comes again as
// row dup (0 for none).
func bulkFile(t *testing.T, n, dup int) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("区划代码,地址,户号,姓名,证件号码,联系电话\n")
	surnames := []string{"王", "乐", "李", "张"}
	for i := range n {
		id := bulkID(i)
		if i+2 == dup {
			id = bulkID(0)
		}
		fmt.Fprintf(&b, "41042310020%d,东街%d号,B%d,%s明%d,%s,139%08d\n", 1+i/4%2, i/4, i/4, surnames[i%4], i%10, id, i)
	}
	path := filepath.Join(t.TempDir(), "residents.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// bulkImport imports a residents file as the system.
func bulkImport(ctx context.Context, s *store.Store, path string, progress func(cunjing.ImportJob)) (*cunjing.ImportJob, error) {
	f, err := importer.OpenRecordFile(cunjing.ImportResidents, path, filepath.Base(path))
	if err != nil {
		return nil, err
	}
	return importer.ImportRecords(ctx, s, f, cunjing.ImportAdd, progress)
}

// bulkIndexes lists the indexes the residents table has now.
func bulkIndexes(t *testing.T, s *store.Store) []string {
	t.Helper()
	query := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'residents' AND sql IS NOT NULL ORDER BY name"
	if s.Engine() == "postgres" {
		query = "SELECT indexname FROM pg_indexes WHERE tablename = 'residents' AND schemaname = current_schema() AND indexname <> 'residents_pkey' ORDER BY indexname"
	}
	rows, err := storetest.Direct(t, s).Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	return names
}

// bulkWantIndexes lists the indexes of residents the migrations define.
func bulkWantIndexes(t *testing.T, s *store.Store) []string {
	t.Helper()
	names, err := s.ResidentIndexNames()
	if err != nil || len(names) < 8 {
		t.Fatalf("indexes of the migrations = %v, %v", names, err)
	}
	return slices.Sorted(slices.Values(names))
}

func bulkResidents(t *testing.T, s *store.Store) int {
	t.Helper()
	var n int
	if err := storetest.Direct(t, s).QueryRow("SELECT COUNT(*) FROM residents").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBulkImportDropsTheIndexesAndBuildsThemAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		store.SetBulkMinBytes(t, 1<<10)
		loadFixture(t, s)
		ctx := storetest.Ctx()
		want := bulkWantIndexes(t, s)
		if got := bulkIndexes(t, s); !slices.Equal(got, want) {
			t.Fatalf("indexes before = %v; want %v", got, want)
		}
		first, err := bulkImport(ctx, s, bulkFile(t, 1, 0), nil)
		if err != nil || first.Added != 1 {
			t.Fatalf("the first person: %+v, %v", first, err)
		}
		var during []string
		batches := 0
		job, err := bulkImport(ctx, s, bulkFile(t, 25000, 15002), func(cunjing.ImportJob) {
			if batches++; batches > 1 {
				return
			}
			during = bulkIndexes(t, s)
			// Someone registers a person of row 20002 while the unique index is down.
			meanwhile := cunjing.Resident{AreaCode: "410423100203", Name: "赵六", IDNumber: bulkID(20000)}
			if err := s.CreateResident(ctx, &meanwhile); err != nil {
				t.Errorf("register meanwhile: %v", err)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(during) != 0 {
			t.Errorf("indexes during the bulk load = %v; want none", during)
		}
		if got := bulkIndexes(t, s); !slices.Equal(got, want) {
			t.Errorf("indexes after = %v; want %v", got, want)
		}
		if job.Added != 24997 || job.Refused != 3 || bulkResidents(t, s) != 24999 {
			t.Errorf("job = %+v, %d residents; want the registered person, the duplicate and the copy of the one registered meanwhile refused",
				job, bulkResidents(t, s))
		}
		db := storetest.Direct(t, s)
		var name string
		var keys int
		db.QueryRow("SELECT name FROM residents WHERE import_job IS NULL AND area_code = '410423100203'").Scan(&name)
		db.QueryRow("SELECT COUNT(*) FROM name_alt_keys").Scan(&keys)
		if name != "赵六" || keys != 2*6250 {
			t.Errorf("kept %q and %d further pinyin keys; want the person registered meanwhile, and the 乐 read as le too", name, keys)
		}
	})
}

func TestKilledBulkLoadLeavesTheDatabaseUsableAndItsIndexesAreBuiltAgain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		store.SetBulkMinBytes(t, 1<<10)
		loadFixture(t, s)
		path := bulkFile(t, 25000, 0)
		ctx, cancel := context.WithCancel(storetest.Ctx())
		_, err := bulkImport(ctx, s, path, func(cunjing.ImportJob) { cancel() })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("killed load: %v", err)
		}
		if got := bulkIndexes(t, s); len(got) != 0 {
			t.Fatalf("indexes after the kill = %v; want them still dropped", got)
		}
		found, _, err := s.FindResidents(storetest.Ctx(), cunjing.ResidentFilter{Under: "410423100201", Page: cunjing.Page{Limit: 2}})
		if err != nil || len(found) != 2 {
			t.Errorf("reading without the indexes: %v, %v", found, err)
		}
		job, err := bulkImport(storetest.Ctx(), s, path, nil)
		if err != nil || job.State != cunjing.ImportDone || job.Added != 25000 || job.Refused != 0 {
			t.Errorf("resumed = %+v, %v; want every row added once", job, err)
		}
		if got := bulkIndexes(t, s); !slices.Equal(got, bulkWantIndexes(t, s)) {
			t.Errorf("indexes after the resumed job = %v", got)
		}
		if n := bulkResidents(t, s); n != 25000 {
			t.Errorf("residents = %d; want 25,000", n)
		}
	})
}

func TestCancellingABulkLoadRollsItBackAndBuildsTheIndexes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		store.SetBulkMinBytes(t, 1<<10)
		loadFixture(t, s)
		ctx := storetest.Ctx()
		_, err := bulkImport(ctx, s, bulkFile(t, 25000, 0), func(job cunjing.ImportJob) {
			if job.RowsDone == cunjing.ImportBatchRows {
				if _, err := s.CancelImport(ctx, job.ID); err != nil {
					t.Errorf("cancel: %v", err)
				}
			}
		})
		if cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Fatalf("the load after its cancel: %v; want a conflict", err)
		}
		if n := bulkResidents(t, s); n != 0 {
			t.Errorf("residents after the cancel = %d; want none", n)
		}
		if got := bulkIndexes(t, s); !slices.Equal(got, bulkWantIndexes(t, s)) {
			t.Errorf("indexes after the cancel = %v; want all built again", got)
		}
	})
}
