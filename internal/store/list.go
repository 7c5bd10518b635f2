package store

import (
	"fmt"
	"strconv"
	"strings"

	"cunjing"
)

// listQuery builds a list query ordered by code: conditions joined by AND,
// the page's cursor, and one row more than the page to tell if more follow.
type listQuery struct {
	where []string
	args  []any
}

// add appends a condition and its arguments.
func (l *listQuery) add(cond string, args ...any) {
	l.where = append(l.where, cond)
	l.args = append(l.args, args...)
}

// addScope adds the scope condition made by inScope or unitInScope.
func (l *listQuery) addScope(cond string, args []any, err error) error {
	if err == nil && cond != "" {
		l.add(cond, args...)
	}
	return err
}

// sql returns selectFrom with the conditions, the cursor of page and the
// order by code and limit appended.
func (l *listQuery) sql(selectFrom string, page cunjing.Page) (string, error) {
	return l.sqlBy("code", selectFrom, page)
}

// sqlBy is sql ordered by another unique text column.
func (l *listQuery) sqlBy(key, selectFrom string, page cunjing.Page) (string, error) {
	if page.Cursor != "" {
		after, err := decodeCursor(page.Cursor)
		if err != nil {
			return "", err
		}
		l.add(key+" > ?", after)
	}
	query := selectFrom
	if len(l.where) > 0 {
		query += " WHERE " + strings.Join(l.where, " AND ")
	}
	return query + fmt.Sprintf(" ORDER BY %s LIMIT %d", key, page.Limit+1), nil
}

// cut trims rows fetched by a listQuery to the page and returns the cursor
// of the next page, "" when there is none.
func cut[T any](rows []T, limit int, code func(T) string) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, encodeCursor(code(rows[len(rows)-1]))
}

// sqlByID is sql ordered by an integer ID column, newest (highest) first
// when desc is set.
func (l *listQuery) sqlByID(key, selectFrom string, page cunjing.Page, desc bool) (string, error) {
	op, order := ">", ""
	if desc {
		op, order = "<", " DESC"
	}
	if page.Cursor != "" {
		after, err := decodeCursor(page.Cursor)
		if err != nil {
			return "", err
		}
		id, err := strconv.ParseInt(after, 10, 64)
		if err != nil {
			return "", cunjing.Errorf(cunjing.EInvalid, "cursor is not valid")
		}
		l.add(key+" "+op+" ?", id)
	}
	query := selectFrom
	if len(l.where) > 0 {
		query += " WHERE " + strings.Join(l.where, " AND ")
	}
	return query + fmt.Sprintf(" ORDER BY %s%s LIMIT %d", key, order, page.Limit+1), nil
}

// cutByID is cut for rows keyed by an integer ID.
func cutByID[T any](rows []T, limit int, id func(T) int64) ([]T, string) {
	return cut(rows, limit, func(r T) string { return strconv.FormatInt(id(r), 10) })
}
