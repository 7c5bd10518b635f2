package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// postsAggregate is the text area_posts keeps of an area's open posts.
const postsAggregate = "string_agg(role || ':' || CAST(staff_id AS TEXT), ' ')"

// refreshPosts recomputes area_posts for the areas whose assignments tx
// has changed.
func (s *Store) refreshPosts(ctx context.Context, tx *sql.Tx, codes []string) error {
	slices.Sort(codes)
	codes = slices.Compact(codes)
	return inBatches(anySlice(codes), func(batch []any) error {
		in := "(" + marks(len(batch)) + ")"
		if _, err := tx.ExecContext(ctx, s.dialect.q("DELETE FROM area_posts WHERE area_code IN "+in), batch...); err != nil {
			return fmt.Errorf("store: refresh posts: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("INSERT INTO area_posts (area_code, posts) SELECT area_code, "+postsAggregate+
			" FROM assignments WHERE end_date = '' AND area_code IN "+in+" GROUP BY area_code"), batch...); err != nil {
			return fmt.Errorf("store: refresh posts: %w", err)
		}
		return nil
	})
}

// scanStrings reads a column of text and closes the rows.
func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
