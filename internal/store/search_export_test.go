package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"cunjing"
)

// TraceSearch is Search calling trace with each query it runs, as sent to
// the engine, for the tests that read the engines' plans.
func (s *Store) TraceSearch(ctx context.Context, q cunjing.SearchQuery, limit int, trace func(query string, args []any)) ([]cunjing.SearchHit, error) {
	return s.search(ctx, q, limit, trace)
}

// CountRows runs a query on a reader, reads its rows and returns how many
// there were.
func (s *Store) CountRows(ctx context.Context, query string, args []any) (int, error) {
	rows, err := s.read.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// Explain returns the plan the engine makes of a query: EXPLAIN QUERY PLAN
// on SQLite, EXPLAIN on PostgreSQL, one line per row. With noSeqScan,
// PostgreSQL plans with sequential scans disabled and fresh statistics,
// so that on the small tables of a test it shows the index it would choose
// on a large one rather than a scan.
func (s *Store) Explain(ctx context.Context, query string, args []any, noSeqScan bool) (string, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	prefix := "EXPLAIN QUERY PLAN "
	if s.dialect == postgres {
		prefix = "EXPLAIN "
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("SET LOCAL enable_seqscan = %t", !noSeqScan)); err != nil {
			return "", err
		}
		if noSeqScan {
			if _, err := s.write.ExecContext(ctx, "ANALYZE residents, name_alt_keys, addresses, orgs"); err != nil {
				return "", err
			}
		}
	}
	rows, err := tx.QueryContext(ctx, prefix+query, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", err
	}
	var lines []string
	for rows.Next() {
		cells := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range cells {
			ptrs[i] = &cells[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		lines = append(lines, fmt.Sprint(cells[len(cells)-1]))
	}
	return strings.Join(lines, "\n"), rows.Err()
}

// benchBatch is the number of residents per INSERT statement of
// LoadResidentsForBench, and benchCommit per transaction.
const (
	benchBatch  = 400
	benchCommit = 100_000
)

// LoadResidentsForBench appends residents 0..n-1 made by gen to an empty
// or small residents table as fast as the benchmarks need it: each
// resident validated and sealed by newResidentRow on every core, the rows
// written by multi-row INSERTs in large transactions with their ids given,
// the secondary indexes of residents dropped before and built after, then
// ANALYZE (VACUUM ANALYZE on PostgreSQL). It writes no audit rows: it is the benchmarks' fixture, not an
// import.
func (s *Store) LoadResidentsForBench(ctx context.Context, n int, gen func(i int) cunjing.Resident) error {
	indexes, err := s.dropResidentIndexes(ctx)
	if err != nil {
		return err
	}
	var first int64
	if err := s.write.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM residents").Scan(&first); err != nil {
		return err
	}
	rows, errc := s.benchRows(ctx, n, gen)
	if err := s.writeBenchRows(ctx, first, rows); err != nil {
		return err
	}
	if err := <-errc; err != nil {
		return err
	}
	for _, def := range indexes {
		if _, err := s.write.ExecContext(ctx, def); err != nil {
			return fmt.Errorf("rebuild index: %w", err)
		}
	}
	if s.dialect == postgres {
		if _, err := s.write.ExecContext(ctx, "SELECT setval(pg_get_serial_sequence('residents', 'id'), (SELECT MAX(id) FROM residents))"); err != nil {
			return err
		}
	}
	analyze := "ANALYZE"
	if s.dialect == postgres {
		analyze = "VACUUM ANALYZE residents" // as autovacuum does after a load: index-only scans need the visibility map
	}
	_, err = s.write.ExecContext(ctx, analyze)
	return err
}

// dropResidentIndexes drops the secondary indexes of residents and returns
// the statements that make them again.
func (s *Store) dropResidentIndexes(ctx context.Context) ([]string, error) {
	query := "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'residents' AND sql IS NOT NULL"
	if s.dialect == postgres {
		query = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'residents' AND schemaname = current_schema() AND indexname <> 'residents_pkey'"
	}
	rows, err := s.write.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	for _, name := range names {
		if _, err := s.write.ExecContext(ctx, "DROP INDEX "+name); err != nil {
			return nil, err
		}
	}
	return defs, nil
}

// benchRows makes the rows of residents 0..n-1 on every core, in chunks;
// the order of the chunks is free.
func (s *Store) benchRows(ctx context.Context, n int, gen func(i int) cunjing.Resident) (<-chan []residentRow, <-chan error) {
	const chunk = benchBatch
	starts := make(chan int)
	out := make(chan []residentRow, 2*runtime.NumCPU())
	errc := make(chan error, 1)
	go func() {
		defer close(starts)
		for i := 0; i < n; i += chunk {
			select {
			case starts <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	var once sync.Once
	today := cunjing.DateOf(s.now())
	c := newCollection(cunjing.WithIdentity(ctx, cunjing.SystemIdentity), s.now())
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for start := range starts {
				batch := make([]residentRow, 0, chunk)
				for i := start; i < min(n, start+chunk); i++ {
					r := gen(i)
					row, err := s.benchRow(&r, c, today)
					if err != nil {
						once.Do(func() { errc <- fmt.Errorf("resident %d: %w", i, err) })
						return
					}
					batch = append(batch, row)
				}
				out <- batch
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
		once.Do(func() { errc <- nil })
	}()
	return out, errc
}

func (s *Store) benchRow(r *cunjing.Resident, c cunjing.Collection, today cunjing.Date) (residentRow, error) {
	if err := r.Validate(today); err != nil {
		return residentRow{}, err
	}
	return s.newResidentRow(r, c, 0)
}

// writeBenchRows inserts the rows with ids from first on, and their
// further name keys.
func (s *Store) writeBenchRows(ctx context.Context, first int64, batches <-chan []residentRow) error {
	id := first
	var tx *sql.Tx
	var err error
	written := 0
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	for batch := range batches {
		if tx == nil {
			if tx, err = s.write.BeginTx(ctx, nil); err != nil {
				return err
			}
		}
		if err := s.insertBenchBatch(ctx, tx, id, batch); err != nil {
			return err
		}
		id += int64(len(batch))
		if written += len(batch); written >= benchCommit {
			if err := tx.Commit(); err != nil {
				return err
			}
			tx, written = nil, 0
		}
	}
	if tx != nil {
		err = tx.Commit()
		tx = nil
	}
	return err
}

func (s *Store) insertBenchBatch(ctx context.Context, tx *sql.Tx, first int64, batch []residentRow) error {
	width := 1 + len(batch[0].values)
	args := make([]any, 0, len(batch)*width)
	var alt []any
	for i, row := range batch {
		id := first + int64(i)
		args = append(append(args, id), row.values...)
		keys := slices.Compact(slices.Sorted(slices.Values(row.alt)))
		for _, k := range keys {
			alt = append(alt, k, row.values[0], id)
		}
	}
	query := "INSERT INTO residents (id, " + residentInsertColumns + ") VALUES " + valueTuples(len(batch), width)
	if _, err := tx.ExecContext(ctx, s.dialect.q(query), args...); err != nil {
		return fmt.Errorf("insert residents: %w", err)
	}
	if len(alt) == 0 {
		return nil
	}
	query = "INSERT INTO name_alt_keys (name_key, area_code, resident_id) VALUES " + valueTuples(len(alt)/3, 3)
	if _, err := tx.ExecContext(ctx, s.dialect.q(query), alt...); err != nil {
		return fmt.Errorf("insert name keys: %w", err)
	}
	return nil
}
