// Package storetest opens real databases for tests: a fresh SQLite file
// always, and a fresh PostgreSQL schema when CUNJING_TEST_POSTGRES names a
// database (CI sets it).
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"cunjing/internal/fieldcrypt"
	"cunjing/internal/store"
)

// PostgresEnv is the variable holding the PostgreSQL DSN for tests.
const PostgresEnv = "CUNJING_TEST_POSTGRES"

// Each runs fn as a subtest on every engine available: "sqlite", and
// "postgres" when PostgresEnv is set.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	if os.Getenv(PostgresEnv) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
	}
}

// SQLite opens a migrated store on a new file in the test's temp folder.
func SQLite(t testing.TB) *store.Store {
	t.Helper()
	return openStore(t, filepath.Join(t.TempDir(), "cunjing.db"))
}

// Postgres opens a migrated store on a new schema of the database named by
// PostgresEnv; the schema is dropped when the test ends.
func Postgres(t testing.TB) *store.Store {
	t.Helper()
	dsn := os.Getenv(PostgresEnv)
	if dsn == "" {
		t.Fatalf("%s is not set", PostgresEnv)
	}
	return openStore(t, PostgresSchema(t, dsn))
}

// PostgresSchema creates a scratch schema in the database named by dsn and
// returns a DSN whose search_path selects it.
func PostgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	schema := fmt.Sprintf("test_%d", rand.Uint64())
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", dsn)
		if err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Cipher returns the field cipher of test stores, on a fixed key so that
// a test can read what another wrote.
func Cipher() *fieldcrypt.Cipher { return testCipher }

var testCipher, _ = fieldcrypt.New([]byte("cunjing test data key: 32 bytes."))

func openStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	s.UseCipher(testCipher)
	dsns.Store(s, dsn)
	t.Cleanup(func() { s.Close(); dsns.Delete(s) })
	return s
}
