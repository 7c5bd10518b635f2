package store_test

import (
	"context"
	"cunjing/internal/store"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"cunjing"
)

// BenchmarkSearchIndexes compares, on the kept city of BenchmarkSearch,
// the B-tree queries the store runs with a text index of each engine —
// SQLite FTS5 (unicode61, prefix indexes of 1–3 characters) and PostgreSQL
// pg_trgm (GIN) — for the same searches: residents by a prefix of their
// initials, full pinyin (4 letters) or name (2 characters), exact matches
// first, 20 hits, inside the scope of the city and of one village. The
// queries go straight to the database (no audit row); the text indexes are
// built on first use and their build time logged:
//
//	CUNJING_BENCH_RESIDENTS=5000000 CUNJING_BENCH_KEEP=/var/tmp/cunjing-bench \
//	CUNJING_BENCH_POSTGRES='postgres://…/cunjing_bench?sslmode=disable' \
//	go test ./internal/store -run '^$' -bench '^BenchmarkSearchIndexes$' -benchtime 500x -timeout 3h -v
func BenchmarkSearchIndexes(b *testing.B) {
	n := benchResidentCount(b)
	engines := []string{"sqlite"}
	if os.Getenv(benchPostgresEnv) != "" {
		engines = append(engines, "postgres")
	}
	for _, engine := range engines {
		b.Run(engine, func(b *testing.B) {
			city := openSearchCity(b, engine, n)
			db := benchDB(b, engine, n)
			buildTextIndexes(b, engine, db)
			for _, role := range []string{"city", "village"} {
				for _, kind := range []string{"initials", "pinyin", "name"} {
					for _, index := range []string{"btree", "text"} {
						b.Run(role+"/"+kind+"/"+index, func(b *testing.B) {
							benchIndex(b, db, engine, city, role, kind, index)
						})
					}
				}
			}
		})
	}
}

// benchDB opens the kept city's database directly.
func benchDB(b *testing.B, engine string, n int) *sql.DB {
	b.Helper()
	driver, name := "pgx", os.Getenv(benchPostgresEnv)
	if engine == "sqlite" {
		driver = "sqlite"
		name = "file:" + filepath.Join(os.Getenv("CUNJING_BENCH_KEEP"), fmt.Sprintf("search-%d.db", n)) + "?_pragma=busy_timeout(10000)"
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// buildTextIndexes makes the text indexes when they are missing.
func buildTextIndexes(b *testing.B, engine string, db *sql.DB) {
	b.Helper()
	stmts := []string{
		"CREATE VIRTUAL TABLE residents_fts USING fts5(name, name_py, name_initials, content='residents', content_rowid='id', prefix='1 2 3')",
		"INSERT INTO residents_fts (residents_fts) VALUES ('rebuild')",
	}
	probe := "SELECT COUNT(*) FROM sqlite_master WHERE name = 'residents_fts'"
	if engine == "postgres" {
		stmts = []string{
			"CREATE EXTENSION IF NOT EXISTS pg_trgm",
			"CREATE INDEX residents_trgm_name ON residents USING gin (name gin_trgm_ops)",
			"CREATE INDEX residents_trgm_py ON residents USING gin (name_py gin_trgm_ops)",
			"CREATE INDEX residents_trgm_initials ON residents USING gin (name_initials gin_trgm_ops)",
			"ANALYZE residents",
		}
		probe = "SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'residents_trgm_name' AND schemaname = current_schema()"
	}
	var have int
	if err := db.QueryRow(probe).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have > 0 {
		return
	}
	start := time.Now()
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			b.Fatalf("%s: %v", stmt, err)
		}
	}
	b.Logf("%s: text indexes built in %s", engine, time.Since(start).Round(time.Second))
}

// benchIndex runs one search shape over prefixes drawn from random
// residents: "btree" is the query the store runs for that key (captured
// from Search), "text" its equivalent on the engine's text index.
func benchIndex(b *testing.B, db *sql.DB, engine string, city *searchCity, role, kind, index string) {
	rng := rand.New(rand.NewPCG(7, uint64(len(role)+len(kind))))
	type input struct {
		query string
		args  []any
	}
	var conn interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	} = db
	text := ""
	if index == "text" {
		var done func()
		text, conn, done = textQuery(b, db, engine, kind)
		defer done()
	}
	inputs := make([]input, 0, 500)
	for len(inputs) < cap(inputs) {
		r := benchResident(city.villages, rng.IntN(city.n))
		typed := map[string]string{"initials": cunjing.NamePinyin(r.Name)[0].Initials, "pinyin": cunjing.NamePinyin(r.Name)[0].Full[:4],
			"name": string([]rune(r.Name)[:2])}[kind]
		from := "4104"
		if role == "village" {
			from = r.AreaCode
		}
		if index == "text" {
			inputs = append(inputs, input{text, textArgs(engine, kind, typed, from)})
			continue
		}
		query, args := storeQuery(b, city.st, from, kind, typed)
		inputs = append(inputs, input{query, args})
	}
	times := make([]time.Duration, 0, b.N)
	hits := 0
	for i := 0; b.Loop(); i++ {
		in := inputs[i%len(inputs)]
		start := time.Now()
		rows, err := conn.QueryContext(context.Background(), in.query, in.args...)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			hits++
		}
		rows.Close()
		times = append(times, time.Since(start))
	}
	reportPercentiles(b, times)
	b.ReportMetric(float64(hits)/float64(len(times)), "hits/op")
}

// storeQuery returns the query the store runs to find residents by a key
// (its first query for a name and for initials, its second, on the full
// pinyin, for a pinyin prefix) as a caller whose scope is one area.
func storeQuery(b *testing.B, st *store.Store, scope, kind, typed string) (string, []any) {
	b.Helper()
	ctx := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "bench", Role: cunjing.RoleCityAdmin,
		Scope: cunjing.Scope{Prefixes: []string{scope}}})
	q := cunjing.SearchQuery{Kind: cunjing.SearchPinyin, Text: typed}
	if kind == "name" {
		q.Kind = cunjing.SearchName
	}
	var queries []string
	var args [][]any
	if _, err := st.TraceSearch(ctx, q, 20, func(query string, a []any) { queries, args = append(queries, query), append(args, a) }); err != nil {
		b.Fatal(err)
	}
	i := 0
	if kind == "pinyin" {
		i = 1
	}
	return queries[i], args[i]
}

// textQuery returns the text-index query of a kind — prefix, scope, exact
// matches first, 20 — and the connection to run it on. For pg_trgm the
// B-trees that could answer instead (the key's, residents_area_names) are
// dropped in a transaction, rolled back by done, so that the planner has
// the trigram index and the area index to choose from.
func textQuery(b *testing.B, db *sql.DB, engine, kind string) (string, interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, func()) {
	b.Helper()
	column := map[string]string{"initials": "name_initials", "pinyin": "name_py", "name": "name"}[kind]
	order := fmt.Sprintf(" ORDER BY r.%s, r.area_code, r.id LIMIT 20", column)
	if engine == "sqlite" {
		return fmt.Sprintf("SELECT r.id, r.%s FROM residents_fts f JOIN residents r ON r.id = f.rowid WHERE residents_fts MATCH ? AND r.area_code >= ? AND r.area_code < ?",
			column) + order, db, func() {}
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for _, index := range []string{"residents_" + map[string]string{"initials": "initials", "pinyin": "py", "name": "name"}[kind], "residents_area_names"} {
		if _, err := tx.Exec("DROP INDEX " + index); err != nil {
			b.Fatal(err)
		}
	}
	return fmt.Sprintf("SELECT r.id, r.%s FROM residents r WHERE r.%s LIKE $1 AND r.area_code >= $2 AND r.area_code < $3", column, column) + order,
		tx, func() { tx.Rollback() }
}

// textArgs are the arguments of a text-index query for a prefix and a
// scope.
func textArgs(engine, kind, text, scope string) []any {
	column := map[string]string{"initials": "name_initials", "pinyin": "name_py", "name": "name"}[kind]
	if engine == "sqlite" {
		return []any{column + `:"` + text + `"*`, scope, scope + cunjing.CodeUpperBound}
	}
	return []any{text + "%", scope, scope + cunjing.CodeUpperBound}
}
