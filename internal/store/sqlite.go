package store

import (
	"net/url"

	_ "modernc.org/sqlite" // SQLite driver "sqlite", chosen by internal/store/sqlitebench
)

const sqliteDriver = "sqlite"

// sqliteDSN opens path in WAL mode with foreign keys and a busy timeout.
// The writer begins transactions IMMEDIATE so that a write never upgrades a
// read lock; readers are query-only.
func sqliteDSN(path string, readOnly bool) string {
	v := url.Values{}
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "secure_delete(1)")
	if readOnly {
		v.Add("_pragma", "query_only(1)")
	} else {
		v.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + v.Encode()
}
