// Package sqlitebench holds the benchmark that chose the SQLite driver for the
// project: modernc.org/sqlite (pure Go, driver "sqlite") against
// github.com/mattn/go-sqlite3 (cgo, driver "sqlite3"), both used through
// database/sql on the real areas schema. The package has no non-test code; see
// driver_test.go and docs/performance.md for the commands and the results.
package sqlitebench
