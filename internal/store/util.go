package store

import (
	"encoding/base64"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	modernc "modernc.org/sqlite"
	sqlitelib "modernc.org/sqlite/lib"

	"cunjing"
)

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// encodeCursor and decodeCursor keep the sort key of the last row opaque.
func encodeCursor(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

func decodeCursor(cursor string) (string, error) {
	key, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(key) == 0 {
		return "", cunjing.Errorf(cunjing.EInvalid, "cursor is not valid")
	}
	return string(key), nil
}

// isForeignKeyViolation recognises the engines' foreign-key errors.
func isForeignKeyViolation(err error) bool {
	return sqliteCode(err) == sqlitelib.SQLITE_CONSTRAINT_FOREIGNKEY || postgresCode(err) == "23503"
}

// isUniqueViolation recognises the engines' unique-constraint errors.
func isUniqueViolation(err error) bool {
	code := sqliteCode(err)
	return code == sqlitelib.SQLITE_CONSTRAINT_UNIQUE || code == sqlitelib.SQLITE_CONSTRAINT_PRIMARYKEY || postgresCode(err) == "23505"
}

// sqliteCode returns the extended result code of a SQLite error, 0 for others.
func sqliteCode(err error) int {
	var e *modernc.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// postgresCode returns the SQLSTATE of a PostgreSQL error, "" for others.
func postgresCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
