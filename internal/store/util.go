package store

import (
	"encoding/base64"
	"strings"

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
	msg := err.Error()
	return strings.Contains(msg, "FOREIGN KEY constraint failed") || strings.Contains(msg, "SQLSTATE 23503")
}

// isUniqueViolation recognises the engines' unique-constraint errors.
func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505")
}
