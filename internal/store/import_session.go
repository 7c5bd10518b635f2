package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"cunjing"
)

// importSession is one run of an import job: what it learnt of the file
// (the keys of the rows it committed, to tell duplicates), of the
// database (areas, addresses and households it found or made), and
// whether it takes the bulk path.
type importSession struct {
	s          *Store
	jobID      int64 // job.ID, for Prepare: job changes under it
	job        cunjing.ImportJob
	start      cunjing.ImportStart
	kind       importWriter
	collection cunjing.Collection
	bulk       bool
	seen       map[[16]byte]int32 // key → row of the first row committed with it
	refusedBy  map[int32]bool     // rows earlier runs refused
	areas      map[string]bool    // area → exists (scope is checked apart)
	places     importPlaces
	existing   map[[16]byte]importHolder // bulk path: residents registered before the job
	addrKeys   sync.Map                  // address text → AddressKey, of the last batches
	batches    int                       // written by this session
}

// importWriter is the part of a session that knows one kind of record.
type importWriter interface {
	// prepare does the CPU work of a good row: its key and sealed values.
	prepare(sess *importSession, row *cunjing.ImportRow)
	// key returns the key of a good row for duplicates within the file.
	key(sess *importSession, row *cunjing.ImportRow) ([16]byte, error)
	// write writes the rows of the batch that passed the checks so far,
	// refusing more of them as it finds them registered already.
	write(ctx context.Context, tx *sql.Tx, b *recordBatch) error
	// sameWhat says what makes two rows the same record, for the
	// problem of the second.
	sameWhat() string
}

// importPrepared is what Prepare made of a row.
type importPrepared struct {
	key      [16]byte
	addrKey  string // of the address the row names
	resident residentRow
	phone    sealed
	err      error
}

// addressKeyOf is the key of an address text, "" for none. The rows of
// a household name one address, so the keys of the texts seen lately are
// kept: AddressKey is the dearest part of reading a row.
func (sess *importSession) addressKeyOf(text string) string {
	if text == "" {
		return ""
	}
	if key, ok := sess.addrKeys.Load(text); ok {
		return key.(string)
	}
	key := cunjing.AddressKey(text)
	sess.addrKeys.Store(text, key)
	return key
}

// rowAddressKey is the key of the address a row names, as prepared.
func rowAddressKey(row *cunjing.ImportRow) string {
	if p, ok := row.Prepared.(*importPrepared); ok {
		return p.addrKey
	}
	if row.Address == "" {
		return ""
	}
	return cunjing.AddressKey(row.Address)
}

func newImportSession(ctx context.Context, s *Store, job cunjing.ImportJob, start cunjing.ImportStart) *importSession {
	sess := &importSession{s: s, jobID: job.ID, job: job, start: start, collection: newCollection(ctx, s.now()),
		seen: map[[16]byte]int32{}, refusedBy: map[int32]bool{}, areas: map[string]bool{}, places: newImportPlaces()}
	switch job.Kind {
	case cunjing.ImportResidents:
		sess.kind = residentImport{}
	case cunjing.ImportAddresses:
		sess.kind = addressImport{}
	case cunjing.ImportHouses:
		sess.kind = houseImport{}
	case cunjing.ImportRentals:
		sess.kind = rentalImport{}
	case cunjing.ImportOrgs:
		sess.kind = orgImport{}
	}
	return sess
}

// load reads what a running job needs: the rows earlier runs refused, and
// whether to take the bulk path.
func (sess *importSession) load(ctx context.Context) error {
	if sess.job.RowsDone > 0 {
		rows, err := sess.s.write.QueryContext(ctx, sess.s.dialect.q("SELECT DISTINCT row_number FROM import_problems WHERE job_id = ?"),
			sess.job.ID)
		if err != nil {
			return fmt.Errorf("store: read refused rows: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var n int32
			if err := rows.Scan(&n); err != nil {
				return fmt.Errorf("store: read refused rows: %w", err)
			}
			sess.refusedBy[n] = true
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: read refused rows: %w", err)
		}
	}
	if sess.job.Kind == cunjing.ImportResidents {
		return sess.chooseBulk(ctx)
	}
	return nil
}

// Job returns the job as it stands.
func (sess *importSession) Job() cunjing.ImportJob { return sess.job }

// Bulk reports whether the session takes the bulk path.
func (sess *importSession) Bulk() bool { return sess.bulk }

// Replay learns the keys of rows an earlier run committed.
func (sess *importSession) Replay(ctx context.Context, rows []cunjing.ImportRow) error {
	for i := range rows {
		row := &rows[i]
		if len(row.Problems) > 0 || sess.refusedBy[int32(row.Row)] {
			continue
		}
		key, err := sess.kind.key(sess, row)
		if err != nil {
			return err
		}
		if _, dup := sess.seen[key]; !dup {
			sess.seen[key] = int32(row.Row)
		}
	}
	return ctx.Err()
}

// Prepare does the CPU work of a row; safe from any goroutine.
func (sess *importSession) Prepare(row *cunjing.ImportRow) {
	sess.kind.prepare(sess, row)
}

// keyOf returns the key of a good row: the prepared one, or made now.
func (sess *importSession) keyOf(row *cunjing.ImportRow) ([16]byte, error) {
	if p, ok := row.Prepared.(*importPrepared); ok {
		return p.key, p.err
	}
	return sess.kind.key(sess, row)
}

// recordBatch is a batch being written: which rows passed, which were
// refused and why, and what the batch added — kept apart from the
// session until the batch commits.
type recordBatch struct {
	sess       *importSession
	conn       *sql.Conn // the connection of the batch's transaction
	rows       []cunjing.ImportRow
	ok         []int // rows still to write, in file order
	refused    map[int][]cunjing.ImportProblem
	seen       map[[16]byte]int32
	places     importPlaces
	added      int64
	updated    int64
	unchanged  int64
	addresses  int64
	households int64
}

// refuse refuses a row with a problem of a column (by field key, "" for
// the whole row) and the cell as it may be shown.
func (b *recordBatch) refuse(i int, key, cell, msg string) {
	b.refused[i] = append(b.refused[i], cunjing.ImportProblem{Row: b.rows[i].Row, Column: b.sess.start.Columns[key], Cell: cell, Message: msg})
}

// live returns the rows still to write, in file order.
func (b *recordBatch) live() []int {
	return slices.DeleteFunc(slices.Clone(b.ok), func(i int) bool { _, refused := b.refused[i]; return refused })
}

// WriteBatch writes prepared rows in one transaction with the job's
// progress and one audit row.
func (sess *importSession) WriteBatch(ctx context.Context, rows []cunjing.ImportRow) (cunjing.ImportJob, error) {
	if sess.job.State != cunjing.ImportRunning {
		return sess.job, cunjing.Errorf(cunjing.EConflict, "import %d is %s", sess.job.ID, sess.job.State)
	}
	b := &recordBatch{sess: sess, rows: rows, refused: map[int][]cunjing.ImportProblem{}, seen: map[[16]byte]int32{},
		places: newImportPlaces()}
	if err := sess.check(ctx, b); err != nil {
		return sess.job, err
	}
	var job cunjing.ImportJob
	err := sess.s.inConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		b.conn = conn
		if len(b.ok) > 0 {
			if err := sess.kind.write(ctx, tx, b); err != nil {
				return err
			}
		}
		var err error
		job, err = sess.commitBatch(ctx, tx, b)
		return err
	})
	if errors.Is(err, errImportMoved) && sess.bulk {
		// Cancelled meanwhile: nobody resumes this load, so its indexes
		// are built now.
		err = errors.Join(err, sess.finishBulk(context.WithoutCancel(ctx)))
	}
	if err != nil {
		return sess.job, err
	}
	sess.job = job
	sess.addrKeys.Clear()
	if err := sess.analyze(ctx); err != nil {
		return job, err
	}
	for k, row := range b.seen {
		sess.seen[k] = row
	}
	sess.places.merge(b.places)
	return job, nil
}

// check refuses the rows the reader refused, rows of areas that do not
// exist or lie outside the scope, and the second of two rows with one key.
func (sess *importSession) check(ctx context.Context, b *recordBatch) error {
	for i := range b.rows {
		row := &b.rows[i]
		if len(row.Problems) > 0 {
			b.refused[i] = row.Problems
			continue
		}
		ok, err := sess.areaOK(ctx, row.AreaCode)
		if err != nil {
			return err
		}
		if !ok {
			b.refuse(i, "area_code", row.AreaCode, "找不到区划代码 "+row.AreaCode+"（不存在，或不在您的管辖范围内）")
			continue
		}
		key, err := sess.keyOf(row)
		if err != nil {
			return err
		}
		first, dup := sess.seen[key]
		if !dup {
			first, dup = b.seen[key]
		}
		if dup {
			b.refuse(i, "", "", fmt.Sprintf("与第 %d 行重复：%s", first, sess.kind.sameWhat()))
			continue
		}
		b.seen[key] = int32(row.Row)
		b.ok = append(b.ok, i)
	}
	return nil
}

// analyzeEvery is how many batches a PostgreSQL import writes between two
// ANALYZEs of the tables it fills.
const analyzeEvery = 20

// analyze refreshes the planner's statistics of the tables an import
// fills on PostgreSQL, after its first batch and then every analyzeEvery:
// a table loaded from empty has none until autovacuum comes round, and
// without them the planner scans millions of rows for the few an import
// looks up.
func (sess *importSession) analyze(ctx context.Context) error {
	sess.batches++
	if sess.s.dialect != postgres || sess.batches%analyzeEvery != 1 {
		return nil
	}
	if _, err := sess.s.write.ExecContext(ctx, "ANALYZE residents, households, addresses, houses, orgs"); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return nil
}

// areaOK reports whether an area exists and lies in the scope.
func (sess *importSession) areaOK(ctx context.Context, code string) (bool, error) {
	if err := checkAreaInScope(ctx, code); err != nil {
		if cunjing.ErrorCode(err) == cunjing.ENotFound {
			return false, nil
		}
		return false, err
	}
	if exists, known := sess.areas[code]; known {
		return exists, nil
	}
	var n int
	if err := sess.s.write.QueryRowContext(ctx, sess.s.dialect.q("SELECT COUNT(*) FROM areas WHERE code = ?"), code).Scan(&n); err != nil {
		return false, fmt.Errorf("store: check area: %w", err)
	}
	sess.areas[code] = n > 0
	return n > 0, nil
}

// commitBatch records the refused rows, the job's progress — only if no
// other run moved it meanwhile — and the audit row of the batch.
func (sess *importSession) commitBatch(ctx context.Context, tx *sql.Tx, b *recordBatch) (cunjing.ImportJob, error) {
	if err := sess.recordRefused(ctx, tx, b); err != nil {
		return sess.job, err
	}
	res, err := tx.ExecContext(ctx, sess.s.dialect.q(`UPDATE import_jobs SET rows_done = rows_done + ?, added = added + ?,
		updated = updated + ?, unchanged = unchanged + ?, refused = refused + ?, addresses_added = addresses_added + ?,
		households_added = households_added + ?, updated_at = ? WHERE id = ? AND rows_done = ? AND state = ?`),
		len(b.rows), b.added, b.updated, b.unchanged, len(b.refused), b.addresses, b.households, timestamp(sess.s.now()),
		sess.job.ID, sess.job.RowsDone, string(cunjing.ImportRunning))
	if err != nil {
		return sess.job, fmt.Errorf("store: import progress: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return sess.job, fmt.Errorf("import %d: %w", sess.job.ID, errImportMoved)
	}
	job, err := sess.s.importJobOf(ctx, tx, sess.job.ID)
	if err != nil {
		return sess.job, err
	}
	first, last := 0, 0
	if len(b.rows) > 0 {
		first, last = b.rows[0].Row, b.rows[len(b.rows)-1].Row
	}
	detail := fmt.Sprintf("%s rows %d-%d: %d added, %d updated, %d unchanged, %d refused, %d addresses, %d households",
		job.Kind, first, last, b.added, b.updated, b.unchanged, len(b.refused), b.addresses, b.households)
	return *job, sess.s.auditTx(ctx, tx, cunjing.ActionImportRecords, importObject(job.ID), cunjing.ResultOK, detail)
}

// errImportMoved is the failure of a batch whose job another run moved
// on, or a cancel ended, meanwhile.
var errImportMoved = cunjing.Errorf(cunjing.EConflict, "the import moved on meanwhile: it runs elsewhere or was cancelled")

// importProblemWidth is the number of columns of import_problems.
const importProblemWidth = 5

// recordRefused keeps the problems of the refused rows, and the rows as
// they were in the file, sealed.
func (sess *importSession) recordRefused(ctx context.Context, tx *sql.Tx, b *recordBatch) error {
	var problems, kept []any
	nProblems, nKept := 0, 0
	for i := range b.rows {
		ps, refused := b.refused[i]
		if !refused {
			continue
		}
		for _, p := range ps {
			problems = append(problems, sess.job.ID, p.Row, p.Column, p.Cell, p.Message)
			nProblems++
		}
		cells, err := sess.s.sealCells(b.rows[i].Cells)
		if err != nil {
			return err
		}
		kept = append(kept, sess.job.ID, b.rows[i].Row, cells)
		nKept++
	}
	if err := sess.s.insertChunked(ctx, tx, "import_problems (job_id, row_number, column_name, cell, message)", importProblemWidth,
		problems); err != nil {
		return err
	}
	return sess.s.insertChunked(ctx, tx, "import_rows (job_id, row_number, cells)", 3, kept)
}

// insertChunk is the number of rows of one multi-row INSERT of the import.
const insertChunk = 500

// insertChunked inserts the values (width per row) into a table (with its
// column list) in multi-row statements.
func (s *Store) insertChunked(ctx context.Context, tx *sql.Tx, into string, width int, values []any) error {
	for start := 0; start < len(values); start += insertChunk * width {
		part := values[start:min(start+insertChunk*width, len(values))]
		if _, err := tx.ExecContext(ctx, s.dialect.q("INSERT INTO "+into+" VALUES "+valueTuples(len(part)/width, width)), part...); err != nil {
			return fmt.Errorf("store: insert into %s: %w", into, err)
		}
	}
	return nil
}

// Finish rebuilds what the bulk path dropped and marks the job done.
func (sess *importSession) Finish(ctx context.Context) (cunjing.ImportJob, error) {
	if sess.job.State != cunjing.ImportRunning {
		return sess.job, nil
	}
	if sess.bulk {
		if err := sess.finishBulk(ctx); err != nil {
			return sess.job, err
		}
	}
	return sess.end(ctx, cunjing.ImportDone, "")
}

// Fail marks the job failed with the reason.
func (sess *importSession) Fail(ctx context.Context, reason string) (cunjing.ImportJob, error) {
	return sess.end(ctx, cunjing.ImportFailed, reason)
}

// end moves the running job to its last state, audited.
func (sess *importSession) end(ctx context.Context, state cunjing.ImportState, message string) (cunjing.ImportJob, error) {
	err := sess.s.inWriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, sess.s.dialect.q(`UPDATE import_jobs SET state = ?, message = ?, updated_at = ?
			WHERE id = ? AND state = ?`), string(state), message, timestamp(sess.s.now()), sess.job.ID, string(cunjing.ImportRunning))
		if err != nil {
			return fmt.Errorf("store: end import: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return cunjing.Errorf(cunjing.EConflict, "import %d ended meanwhile", sess.job.ID)
		}
		job, err := sess.s.importJobOf(ctx, tx, sess.job.ID)
		if err != nil {
			return err
		}
		sess.job = *job
		detail := fmt.Sprintf("%s: %d rows, %d added, %d updated, %d unchanged, %d refused", state, job.RowsDone, job.Added,
			job.Updated, job.Unchanged, job.Refused)
		if message != "" {
			detail += ": " + message
		}
		return sess.s.auditTx(ctx, tx, cunjing.ActionImportRecords, importObject(job.ID), cunjing.ResultOK, detail)
	})
	return sess.job, err
}
