package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"cunjing"
)

// The bulk path of large resident imports. Inserting a row into a table
// with a unique ID-number index and seven more indexes costs most of an
// import (7,000–20,000 rows/s on SQLite, slower as the table grows); loading
// the rows first and building the indexes after is several times faster.
// So an import of residents takes the bulk path when
//
//   - its file is at least bulkMinBytes (about 170,000 rows of CSV), and
//   - the residents registered already are fewer than a quarter of the rows
//     the file is estimated to bring (by its size);
//
// every other import takes the normal path. On the bulk path the session
// drops every index of the residents table (the table stays), catches
// duplicate ID numbers in memory — against the rows of the file and the
// residents registered before, read once at the start — loads the rows
// with large multi-row INSERTs (SQLite) or COPY (PostgreSQL), and builds
// the indexes again when the file is done, with the definitions of the
// migrations (residentIndexes reads them there: they are kept in one
// place). A load killed half way leaves the table without its indexes: the
// next import, or the server's start, builds them again before anything
// else, and queries meanwhile are slower but right.
var bulkMinBytes int64 = 20 << 20

const bulkShare = 4

// residentIndex is an index of the residents table as a migration creates it.
type residentIndex struct {
	name string
	ddl  string
	uniq bool
}

var createIndex = regexp.MustCompile(`(?is)^CREATE\s+(UNIQUE\s+)?INDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+ON\s+residents\s*\(`)
var dropIndex = regexp.MustCompile(`(?is)^DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?(\w+)`)

// residentIndexes returns the indexes of the residents table as the
// migrations leave them, in the engine's dialect, the unique ones first.
func (s *Store) residentIndexes() ([]residentIndex, error) {
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	var found []residentIndex
	for _, m := range all {
		for _, stmt := range splitStatements(s.dialect.ddl(m.script)) {
			if c := createIndex.FindStringSubmatch(stmt); c != nil {
				found = append(found, residentIndex{name: c[2], ddl: strings.TrimSuffix(stmt, ";"), uniq: c[1] != ""})
			} else if d := dropIndex.FindStringSubmatch(stmt); d != nil {
				found = deleteIndex(found, d[1])
			}
		}
	}
	unique, other := []residentIndex{}, []residentIndex{}
	for _, ix := range found {
		if ix.uniq {
			unique = append(unique, ix)
		} else {
			other = append(other, ix)
		}
	}
	return append(unique, other...), nil
}

func deleteIndex(found []residentIndex, name string) []residentIndex {
	out := found[:0]
	for _, ix := range found {
		if ix.name != name {
			out = append(out, ix)
		}
	}
	return out
}

// presentIndexes returns the names of the indexes the residents table has.
func (s *Store) presentIndexes(ctx context.Context) (map[string]bool, error) {
	query := "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'residents'"
	if s.dialect == postgres {
		query = "SELECT indexname FROM pg_indexes WHERE tablename = 'residents' AND schemaname = current_schema()"
	}
	rows, err := s.write.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: list indexes: %w", err)
	}
	defer rows.Close()
	present := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("store: list indexes: %w", err)
		}
		present[name] = true
	}
	return present, rows.Err()
}

// bulkLoads counts the bulk loads running in this process, per store:
// while one runs, the indexes it dropped are not built again under it.
var bulkLoads = struct {
	sync.Mutex
	n map[*Store]int
}{n: map[*Store]int{}}

func (s *Store) bulkRunning() bool {
	bulkLoads.Lock()
	defer bulkLoads.Unlock()
	return bulkLoads.n[s] > 0
}

func (s *Store) bulkStarted(delta int) {
	bulkLoads.Lock()
	defer bulkLoads.Unlock()
	bulkLoads.n[s] += delta
}

// RestoreImportIndexes builds the indexes of the residents table that a
// bulk load killed half way left missing; the server calls it at start.
func (s *Store) RestoreImportIndexes(ctx context.Context) error {
	return s.restoreResidentIndexes(ctx)
}

// restoreResidentIndexes builds the missing indexes of the residents
// table, unless a bulk load of this process is running.
func (s *Store) restoreResidentIndexes(ctx context.Context) error {
	if s.bulkRunning() {
		return nil
	}
	return s.buildResidentIndexes(ctx)
}

// buildResidentIndexes creates every index of the residents table that is
// missing. Should the ID numbers no longer be unique — someone registered a
// person while a bulk load had the unique index down — the imported copies
// are removed first.
func (s *Store) buildResidentIndexes(ctx context.Context) error {
	indexes, err := s.residentIndexes()
	if err != nil {
		return err
	}
	present, err := s.presentIndexes(ctx)
	if err != nil {
		return err
	}
	for _, ix := range indexes {
		if present[ix.name] {
			continue
		}
		err := s.createIndex(ctx, ix)
		if ix.uniq && isUniqueViolation(err) {
			if err = s.removeImportedDuplicates(ctx); err == nil {
				err = s.createIndex(ctx, ix)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// createIndex builds one index: SQLite sorts on every core (a quarter
// faster on two; a larger page cache is not faster and costs seconds to
// give back), PostgreSQL with more memory.
func (s *Store) createIndex(ctx context.Context, ix residentIndex) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: build index %s: %w", ix.name, err)
	}
	defer conn.Close()
	setup := fmt.Sprintf("PRAGMA threads = %d", runtime.NumCPU())
	if s.dialect == postgres {
		setup = "SET maintenance_work_mem = '256MB'"
		defer conn.ExecContext(context.WithoutCancel(ctx), "RESET maintenance_work_mem")
	}
	if _, err := conn.ExecContext(ctx, setup); err != nil {
		return fmt.Errorf("store: build index %s: %w", ix.name, err)
	}
	if _, err := conn.ExecContext(ctx, ix.ddl); err != nil {
		return fmt.Errorf("store: build index %s: %w", ix.name, err)
	}
	return nil
}

// removeImportedDuplicates deletes the imported copies of persons that
// someone registered while the unique index was down: in each group of
// rows with one ID number, a row no import brought is kept, else the
// oldest. The job that brought a removed row counts it refused, audited.
func (s *Store) removeImportedDuplicates(ctx context.Context) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, id_blind, COALESCE(import_job, 0) FROM residents WHERE id_blind IN
			(SELECT id_blind FROM residents GROUP BY id_blind HAVING COUNT(*) > 1) ORDER BY id`)
		if err != nil {
			return fmt.Errorf("store: find duplicates: %w", err)
		}
		type copyOf struct{ id, job int64 }
		groups := map[string][]copyOf{}
		for rows.Next() {
			var c copyOf
			var blind []byte
			if err := rows.Scan(&c.id, &blind, &c.job); err != nil {
				rows.Close()
				return fmt.Errorf("store: find duplicates: %w", err)
			}
			groups[string(blind)] = append(groups[string(blind)], c)
		}
		rows.Close()
		removed := map[int64]int64{} // job → rows removed
		for _, g := range groups {
			keep := g[0]
			for _, c := range g {
				if c.job == 0 {
					keep = c
					break
				}
			}
			for _, c := range g {
				if c != keep && c.job != 0 {
					if err := s.deleteResident(ctx, tx, c.id); err != nil {
						return err
					}
					removed[c.job]++
				}
			}
		}
		return s.countRemoved(ctx, tx, removed)
	})
}

// deleteResident deletes a resident an import brought, with his keys.
func (s *Store) deleteResident(ctx context.Context, tx *sql.Tx, id int64) error {
	for _, q := range []string{"DELETE FROM name_alt_keys WHERE resident_id = ?", "DELETE FROM residents WHERE id = ?"} {
		if _, err := tx.ExecContext(ctx, s.dialect.q(q), id); err != nil {
			return fmt.Errorf("store: remove duplicate: %w", err)
		}
	}
	return nil
}

// countRemoved moves the removed rows of each job from added to refused.
func (s *Store) countRemoved(ctx context.Context, tx *sql.Tx, removed map[int64]int64) error {
	for job, n := range removed {
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE import_jobs SET added = added - ?, refused = refused + ? WHERE id = ?"),
			n, n, job); err != nil {
			return fmt.Errorf("store: count removed duplicates: %w", err)
		}
		ctx := cunjing.WithIdentity(ctx, cunjing.SystemIdentity)
		if err := s.auditTx(ctx, tx, cunjing.ActionImportRecords, importObject(job), cunjing.ResultOK,
			fmt.Sprintf("%d persons registered by others during the load removed from the import", n)); err != nil {
			return err
		}
	}
	return nil
}

// chooseBulk decides the path of a residents import (see bulkMinBytes)
// and, for the bulk path, drops the indexes and reads the residents
// registered before.
func (sess *importSession) chooseBulk(ctx context.Context) error {
	s := sess.s
	if sess.start.FileSize < bulkMinBytes {
		return nil
	}
	var registered int64
	if err := s.write.QueryRowContext(ctx, "SELECT COUNT(*) FROM residents").Scan(&registered); err != nil {
		return fmt.Errorf("store: count residents: %w", err)
	}
	if registered*bulkShare >= sess.start.EstimatedRows-sess.job.RowsDone {
		return nil
	}
	s.bulkStarted(1)
	sess.bulk = true
	if err := s.dropImportIndexes(ctx); err != nil {
		return err
	}
	sess.existing = make(map[[16]byte]importHolder, registered)
	return s.scanHolders(ctx, s.write, "SELECT id, area_code, id_blind FROM residents", nil, sess.existing)
}

// dropImportIndexes drops every index of the residents table.
func (s *Store) dropImportIndexes(ctx context.Context) error {
	indexes, err := s.residentIndexes()
	if err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		for _, ix := range indexes {
			if _, err := tx.ExecContext(ctx, "DROP INDEX IF EXISTS "+ix.name); err != nil {
				return fmt.Errorf("store: drop index %s: %w", ix.name, err)
			}
		}
		return nil
	})
}

// finishBulk builds the indexes again and ends the bulk load.
func (sess *importSession) finishBulk(ctx context.Context) error {
	sess.s.bulkStarted(-1)
	sess.bulk = false
	sess.existing = nil
	return sess.s.buildResidentIndexes(ctx)
}

// Close ends a session that did not finish: a bulk load leaves the
// indexes to be built by the next import or the server's start.
func (sess *importSession) Close() {
	if sess.bulk {
		sess.s.bulkStarted(-1)
		sess.bulk = false
	}
}

// residentColumnNames are the columns of a new resident row, for COPY.
var residentColumnNames = func() []string {
	var names []string
	for _, c := range strings.Split(residentInsertColumns, ",") {
		names = append(names, strings.TrimSpace(c))
	}
	return names
}()

// copyResidents loads resident rows with COPY on the connection of the
// batch's transaction.
func (s *Store) copyResidents(ctx context.Context, conn *sql.Conn, values [][]any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: copy residents: not a pgx connection")
		}
		if _, err := c.Conn().CopyFrom(ctx, pgx.Identifier{"residents"}, residentColumnNames, pgx.CopyFromRows(values)); err != nil {
			return fmt.Errorf("store: copy residents: %w", err)
		}
		return nil
	})
}

// inConnTx runs fn in a write transaction on a connection of its own,
// which fn may use beside the transaction (for COPY).
func (s *Store) inConnTx(ctx context.Context, fn func(conn *sql.Conn, tx *sql.Tx) error) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: connect: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(conn, tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
