package storetest

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"cunjing"
	"cunjing/internal/store"
)

// Ctx returns a context carrying cunjing.SystemIdentity, as the command
// line and start-up work use, for tests that write.
func Ctx() context.Context {
	return cunjing.WithIdentity(context.Background(), cunjing.SystemIdentity)
}

// dsns maps each open test store to the DSN it was opened with.
var dsns sync.Map

// DSN returns the DSN s was opened with: a SQLite file or a postgres:// URL
// selecting the test's schema.
func DSN(t testing.TB, s *store.Store) string {
	t.Helper()
	dsn, ok := dsns.Load(s)
	if !ok {
		t.Fatal("storetest: the store was not opened by storetest")
	}
	return dsn.(string)
}

// Direct opens a second connection pool on the database of s, bypassing the
// store, for tests that tamper with rows as an intruder with database access
// would. It is closed when the test ends.
func Direct(t testing.TB, s *store.Store) *sql.DB {
	t.Helper()
	dsn := DSN(t, s)
	driver, name := "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)"
	if store.IsPostgres(dsn) {
		driver, name = "pgx", dsn
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
