package sqlitebench

// Run (one bulk import per driver is enough; reads use the normal benchtime):
//
//	go test ./internal/store/sqlitebench/ -run '^$' -bench BulkUpsert -benchtime=1x
//	go test ./internal/store/sqlitebench/ -run '^$' -bench Reads

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	_ "github.com/mattn/go-sqlite3" // driver "sqlite3" (cgo)
	_ "modernc.org/sqlite"          // driver "sqlite" (pure Go)
)

const schema = `
CREATE TABLE areas (code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, kind TEXT NOT NULL, parent_code TEXT REFERENCES areas(code), lng DOUBLE PRECISION, lat DOUBLE PRECISION, datum TEXT, boundary TEXT, updated_at TEXT NOT NULL);
CREATE INDEX areas_parent ON areas(parent_code, code);
CREATE INDEX areas_level_code ON areas(level, code);`

// drivers are the candidates, each with the same pragmas in its own DSN syntax.
var drivers = []struct{ name, driver, dsn string }{
	{"modernc", "sqlite", "file:%s?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"},
	{"mattn", "sqlite3", "file:%s?_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_synchronous=NORMAL&_txlock=immediate"},
}

// The synthetic tree, roughly national scale. totalRows is one whole import.
const (
	provinces       = 31
	citiesPerProv   = 11
	countiesPerCity = 8
	townsPerCounty  = 15
	villagesPerTown = 15

	cities    = provinces * citiesPerProv                        // 341
	counties  = cities * countiesPerCity                         // 2,728
	towns     = counties * townsPerCounty                        // 40,920
	villages  = towns * villagesPerTown                          // 613,800
	totalRows = provinces + cities + counties + towns + villages // 657,820

	batch     = 200 // rows per INSERT statement
	cols      = 10  // columns per row
	updatedAt = "2026-01-01T00:00:00Z"
)

// levels describes each level: name, kind, name suffix, fan-out, code digits
// and the number of the first child (towns 100.., villages 201..).
var levels = []struct {
	name, kind, suffix    string
	fanout, digits, first int
}{
	{"province", "省", "省", provinces, 2, 11},
	{"city", "地级市", "市", citiesPerProv, 2, 1},
	{"county", "县", "县", countiesPerCity, 2, 1},
	{"town", "镇", "镇", townsPerCounty, 3, 100},
	{"village", "村委会", "村民委员会", villagesPerTown, 3, 201},
}

var (
	surnames = []rune("张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗")
	places   = []rune("庄村营屯寨集店楼湾岗坡河") // 1 in 12 names contains 庄
)

type area struct {
	code, name, level, kind, parent string
	lng, lat                        float64
}

func pad(n, digits int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", digits-len(s)) + s
}

// genTree calls emit for every area of the deterministic tree, level by
// level, so every parent is emitted (and inserted) before its children.
func genTree(emit func(area) error) error {
	rng := rand.New(rand.NewPCG(2023, 1))
	parents := []string{""}
	for li, l := range levels {
		var next []string
		for _, p := range parents {
			for i := range l.fanout {
				code := p + pad(l.first+i, l.digits)
				name := string(surnames[rng.IntN(len(surnames))]) + string(places[rng.IntN(len(places))]) + l.suffix
				a := area{code, name, l.name, l.kind, p, 73 + 62*rng.Float64(), 18 + 35*rng.Float64()}
				if err := emit(a); err != nil {
					return err
				}
				if li < len(levels)-1 { // do not keep 613,800 village codes
					next = append(next, code)
				}
			}
		}
		parents = next
	}
	return nil
}

// randomCode returns the code of a random area at the given depth (1=province, 5=village).
func randomCode(rng *rand.Rand, depth int) string {
	code := ""
	for _, l := range levels[:depth] {
		code += pad(l.first+rng.IntN(l.fanout), l.digits)
	}
	return code
}

func upsertSQL(rows int) string {
	return "INSERT INTO areas (code,name,level,kind,parent_code,lng,lat,datum,boundary,updated_at) VALUES " +
		strings.Repeat("(?,?,?,?,?,?,?,?,?,?),", rows-1) + "(?,?,?,?,?,?,?,?,?,?)" +
		" ON CONFLICT(code) DO UPDATE SET name=excluded.name, updated_at=excluded.updated_at WHERE areas.name <> excluded.name"
}

// load imports the whole tree in ONE transaction, 200 rows per prepared multi-row upsert.
func load(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.Prepare(upsertSQL(batch))
	if err != nil {
		return err
	}
	defer stmt.Close()
	args := make([]any, 0, batch*cols)
	err = genTree(func(a area) error {
		var parent any
		if a.parent != "" {
			parent = a.parent
		}
		args = append(args, a.code, a.name, a.level, a.kind, parent, a.lng, a.lat, "GCJ-02", nil, updatedAt)
		if len(args) < batch*cols {
			return nil
		}
		_, err := stmt.Exec(args...)
		args = args[:0]
		return err
	})
	if err != nil {
		return err
	}
	if len(args) > 0 { // the last, partial batch
		if _, err := tx.Exec(upsertSQL(len(args)/cols), args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// open opens path with driver d, a pool of conns connections, and checks that the DSN pragmas took effect.
func open(tb testing.TB, d struct{ name, driver, dsn string }, path string, conns int) *sql.DB {
	db, err := sql.Open(d.driver, fmt.Sprintf(d.dsn, path))
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	for _, p := range [][2]string{{"journal_mode", "wal"}, {"synchronous", "1"}, {"foreign_keys", "1"}, {"busy_timeout", "5000"}} {
		var got string
		if err := db.QueryRow("PRAGMA " + p[0]).Scan(&got); err != nil || got != p[1] {
			tb.Fatalf("%s: PRAGMA %s = %q, %v; want %q", d.name, p[0], got, err, p[1])
		}
	}
	return db
}

func exec(tb testing.TB, db *sql.DB, q string) {
	if _, err := db.Exec(q); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkBulkUpsert times one full import (657,820 rows) into a fresh file
// per iteration; opening, schema creation and closing are not timed.
// "generate-only" times the row generator alone, the floor for both drivers.
func BenchmarkBulkUpsert(b *testing.B) {
	b.Run("generate-only", func(b *testing.B) {
		for range b.N {
			if err := genTree(func(area) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(totalRows*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	for _, d := range drivers {
		b.Run(d.name, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				db := open(b, d, filepath.Join(b.TempDir(), "areas.db"), 1) // single writer
				exec(b, db, schema)
				b.StartTimer()
				if err := load(db); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				var n int
				if err := db.QueryRow("SELECT count(*) FROM areas").Scan(&n); err != nil || n != totalRows {
					b.Fatalf("count = %d, %v; want %d", n, err, totalRows)
				}
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(totalRows*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// reads are the hot lookups; args draws random parameters, want checks the row count.
var reads = []struct {
	name, query string
	args        func(*rand.Rand) []any
	want        func(int) bool
}{
	{"GetByCode", // a village and its 4 ancestors
		"SELECT code,name,level,kind,parent_code,lng,lat,datum,boundary,updated_at FROM areas WHERE code IN (?,?,?,?,?)",
		func(r *rand.Rand) []any { v := randomCode(r, 5); return []any{v[:2], v[:4], v[:6], v[:9], v} },
		func(n int) bool { return n == 5 }},
	{"ChildrenOfTown",
		"SELECT code,name,level,kind FROM areas WHERE parent_code=? ORDER BY code",
		func(r *rand.Rand) []any { return []any{randomCode(r, 4)} },
		func(n int) bool { return n == villagesPerTown }},
	{"VillagesUnderCountyByName",
		`SELECT code,name FROM areas WHERE code >= ? AND code < ? AND level='village' AND name LIKE ? ESCAPE '\' ORDER BY code LIMIT 50`,
		func(r *rand.Rand) []any { c := randomCode(r, 3); return []any{c, c + "~", "%庄%"} },
		func(n int) bool { return n > 0 && n <= 50 }},
}

// query runs stmt and scans every column of every row, returning the row count.
func query(stmt *sql.Stmt, args []any) (int, error) {
	rows, err := stmt.Query(args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cs, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals, ptrs := make([]any, len(cs)), make([]any, len(cs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// BenchmarkReads builds ONE database file (untimed, with modernc), checkpoints
// it, and then opens that same file with each driver in turn (never both at
// once: two SQLite libraries in one process must not share a file). Each
// workload runs sequentially ("seq", one connection busy) and with
// 2×GOMAXPROCS goroutines over the 4-connection pool ("par", throughput).
func BenchmarkReads(b *testing.B) {
	path := filepath.Join(b.TempDir(), "areas.db")
	db := open(b, drivers[0], path, 1)
	exec(b, db, schema)
	if err := load(db); err != nil {
		b.Fatal(err)
	}
	exec(b, db, "PRAGMA wal_checkpoint(TRUNCATE)")
	db.Close()

	for _, d := range drivers {
		b.Run(d.name, func(b *testing.B) {
			db := open(b, d, path, 4) // reader pool
			defer db.Close()
			var version string
			if err := db.QueryRow("SELECT sqlite_version()").Scan(&version); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: SQLite %s", d.name, version)
			for _, w := range reads {
				stmt, err := db.Prepare(w.query)
				if err != nil {
					b.Fatal(err)
				}
				defer stmt.Close()
				b.Run(w.name+"/seq", func(b *testing.B) {
					rng, rows := rand.New(rand.NewPCG(1, 2)), 0
					for b.Loop() {
						n, err := query(stmt, w.args(rng))
						if err != nil || !w.want(n) {
							b.Fatalf("%d rows, %v", n, err)
						}
						rows += n
					}
					b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
				})
				b.Run(w.name+"/par", func(b *testing.B) {
					var rows atomic.Int64
					var seed atomic.Uint64
					b.SetParallelism(2) // 4 goroutines on 2 cores, one per pooled connection
					b.RunParallel(func(pb *testing.PB) {
						rng := rand.New(rand.NewPCG(seed.Add(1), 2))
						for pb.Next() {
							n, err := query(stmt, w.args(rng))
							if err != nil || !w.want(n) {
								b.Errorf("%d rows, %v", n, err)
								return
							}
							rows.Add(int64(n))
						}
					})
					b.ReportMetric(float64(rows.Load())/b.Elapsed().Seconds(), "rows/s")
				})
			}
		})
	}
}
