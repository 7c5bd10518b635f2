package store

import (
	"context"
	"database/sql"
	"fmt"
	"iter"

	"cunjing"
)

// importBatch is the number of areas looked up and inserted per statement.
const importBatch = 200

const areaInsertColumns = 10

// ImportAreas inserts new areas and renames changed ones in one transaction,
// holding only one batch in memory, so that a national file streams through.
// The sequence must give parents before children: an area whose parent is
// neither stored nor given earlier fails the whole import as invalid. The
// import is audited in the same transaction.
func (s *Store) ImportAreas(ctx context.Context, areas iter.Seq[cunjing.Area]) (cunjing.ImportResult, error) {
	var result cunjing.ImportResult
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		imp, err := s.newAreaImport(ctx, tx)
		if err != nil {
			return err
		}
		defer imp.close()
		batch := make([]cunjing.Area, 0, importBatch)
		for a := range areas {
			if batch = append(batch, a); len(batch) == importBatch {
				if err := imp.add(ctx, batch); err != nil {
					return err
				}
				batch = batch[:0]
			}
		}
		if err := imp.add(ctx, batch); err != nil {
			return err
		}
		result = imp.result
		return s.auditTx(ctx, tx, cunjing.ActionImportDivisions, fmt.Sprintf("added %d, renamed %d, unchanged %d",
			result.Added, result.Renamed, result.Unchanged), cunjing.ResultOK, "")
	})
	if err != nil {
		return cunjing.ImportResult{}, err
	}
	return result, nil
}

// areaImport is one import in progress, with the statements for full
// batches prepared once.
type areaImport struct {
	s      *Store
	tx     *sql.Tx
	lookup *sql.Stmt // names of importBatch codes
	insert *sql.Stmt // importBatch rows, the new ones
	result cunjing.ImportResult
}

func (s *Store) newAreaImport(ctx context.Context, tx *sql.Tx) (*areaImport, error) {
	lookup, err := tx.PrepareContext(ctx, s.dialect.q(areaLookupQuery(importBatch)))
	if err != nil {
		return nil, fmt.Errorf("store: prepare area lookup: %w", err)
	}
	insert, err := tx.PrepareContext(ctx, s.dialect.q(areaInsertQuery(importBatch)))
	if err != nil {
		lookup.Close()
		return nil, fmt.Errorf("store: prepare area insert: %w", err)
	}
	return &areaImport{s: s, tx: tx, lookup: lookup, insert: insert}, nil
}

func (imp *areaImport) close() {
	imp.lookup.Close()
	imp.insert.Close()
}

func areaLookupQuery(n int) string {
	return "SELECT code, name FROM areas WHERE code IN (" + marks(n) + ")"
}

func areaInsertQuery(n int) string {
	return "INSERT INTO areas (code, name, level, kind, parent_code, lng, lat, datum, boundary, updated_at) VALUES " +
		valueTuples(n, areaInsertColumns) + " ON CONFLICT (code) DO NOTHING"
}

// add inserts the new areas of a batch and renames the changed ones. On a
// first import every row is new and no lookup is needed.
func (imp *areaImport) add(ctx context.Context, batch []cunjing.Area) error {
	if len(batch) == 0 {
		return nil
	}
	added, err := imp.insertNew(ctx, batch)
	if err != nil {
		return err
	}
	imp.result.Added += added
	if added == len(batch) {
		return nil
	}
	stored, err := imp.names(ctx, batch)
	if err != nil {
		return err
	}
	renamed := 0
	for _, a := range batch {
		if name := stored[a.Code]; name != a.Name {
			if err := imp.rename(ctx, a); err != nil {
				return err
			}
			renamed++
		}
	}
	imp.result.Renamed += renamed
	imp.result.Unchanged += len(batch) - added - renamed
	return nil
}

// names returns code → stored name for the areas of batch that exist.
func (imp *areaImport) names(ctx context.Context, batch []cunjing.Area) (map[string]string, error) {
	args := make([]any, len(batch))
	for i, a := range batch {
		args[i] = a.Code
	}
	var rows *sql.Rows
	var err error
	if len(batch) == importBatch {
		rows, err = imp.lookup.QueryContext(ctx, args...)
	} else {
		rows, err = imp.tx.QueryContext(ctx, imp.s.dialect.q(areaLookupQuery(len(batch))), args...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: look up areas: %w", err)
	}
	defer rows.Close()
	names := map[string]string{}
	for rows.Next() {
		var code, name string
		if err := rows.Scan(&code, &name); err != nil {
			return nil, fmt.Errorf("store: look up areas: %w", err)
		}
		names[code] = name
	}
	return names, rows.Err()
}

// insertNew inserts the areas of batch whose code is not stored yet and
// returns how many it inserted.
func (imp *areaImport) insertNew(ctx context.Context, batch []cunjing.Area) (int, error) {
	now := timestamp(imp.s.now())
	args := make([]any, 0, len(batch)*areaInsertColumns)
	for _, a := range batch {
		lng, lat, datum := pointArgs(a.Location)
		args = append(args, a.Code, a.Name, string(a.Level), string(a.Kind), nullIfEmpty(a.ParentCode), lng, lat, datum, nullIfEmpty(a.Boundary), now)
	}
	var res sql.Result
	var err error
	if len(batch) == importBatch {
		res, err = imp.insert.ExecContext(ctx, args...)
	} else {
		res, err = imp.tx.ExecContext(ctx, imp.s.dialect.q(areaInsertQuery(len(batch))), args...)
	}
	switch {
	case err != nil && isForeignKeyViolation(err):
		return 0, cunjing.Errorf(cunjing.EInvalid, "an area's parent is neither stored nor imported before it")
	case err != nil:
		return 0, fmt.Errorf("store: insert areas: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: insert areas: %w", err)
	}
	return int(n), nil
}

func (imp *areaImport) rename(ctx context.Context, a cunjing.Area) error {
	_, err := imp.tx.ExecContext(ctx, imp.s.dialect.q("UPDATE areas SET name = ?, kind = ?, updated_at = ? WHERE code = ?"),
		a.Name, string(a.Kind), timestamp(imp.s.now()), a.Code)
	if err != nil {
		return fmt.Errorf("store: rename area %s: %w", a.Code, err)
	}
	return nil
}
