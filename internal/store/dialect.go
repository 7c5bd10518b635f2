package store

import (
	"strconv"
	"strings"
)

// dialect is the SQL engine behind a Store. Queries are written once with ?
// parameters and PostgreSQL's spelling of DDL; q and ddl adapt them here.
type dialect string

const (
	sqlite   dialect = "sqlite"
	postgres dialect = "postgres"
)

// q rebinds ? parameters to $1, $2, … for PostgreSQL. Queries never carry
// a literal question mark.
func (d dialect) q(query string) string {
	if d != postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] != '?' {
			b.WriteByte(query[i])
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}

// ddl adapts a migration to the engine: SQLite compares text bytewise by
// default and does not know the "C" collation by name.
func (d dialect) ddl(script string) string {
	if d == sqlite {
		return strings.ReplaceAll(script, ` COLLATE "C"`, "")
	}
	return script
}

// valueTuples returns "(?,?,…),(?,?,…)" for rows rows of cols columns.
func valueTuples(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

// likeContains returns a LIKE pattern matching text anywhere, with the
// wildcards in text escaped (use with ESCAPE '\').
func likeContains(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
}

// marks returns "?,?,…" with n marks, for an IN list.
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}
