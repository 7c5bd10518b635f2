package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"cunjing"
)

var _ cunjing.RecordImporter = (*Store)(nil)

const importJobColumns = `id, kind, mode, file_name, file_hash, state, rows_done, added, updated, unchanged, refused,
	addresses_added, households_added, message, created_by, created_at, updated_at`

// importRowField is the field name the rows of import files are sealed
// under in import_rows.
const importRowField = "import_row"

// scanner is a row to scan, one of sql.Row or sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanImportJob(row scanner) (cunjing.ImportJob, error) {
	var j cunjing.ImportJob
	var kind, mode, state, created, updated string
	err := row.Scan(&j.ID, &kind, &mode, &j.FileName, &j.FileHash, &state, &j.RowsDone, &j.Added, &j.Updated, &j.Unchanged,
		&j.Refused, &j.AddressesAdded, &j.HouseholdsAdded, &j.Message, &j.CreatedBy, &created, &updated)
	if err != nil {
		return j, err
	}
	j.Kind, j.Mode, j.State = cunjing.ImportKind(kind), cunjing.ImportMode(mode), cunjing.ImportState(state)
	if j.CreatedAt, err = parseTimestamp(created); err != nil {
		return j, err
	}
	j.UpdatedAt, err = parseTimestamp(updated)
	return j, err
}

// importOwned is the condition that a job belongs to the caller: his own,
// or any for the system (the command line and the server's start).
func importOwned(ctx context.Context) (string, []any, error) {
	id := cunjing.IdentityFrom(ctx)
	switch {
	case id == nil:
		return "", nil, errNoIdentity
	case id == cunjing.SystemIdentity:
		return "1 = 1", nil, nil
	}
	return "created_by = ?", []any{actorOf(ctx)}, nil
}

// ImportJob returns a job of the caller; another's reads as missing.
func (s *Store) ImportJob(ctx context.Context, id int64) (*cunjing.ImportJob, error) {
	return s.importJobOf(ctx, s.read, id)
}

func (s *Store) importJobOf(ctx context.Context, db querier, id int64) (*cunjing.ImportJob, error) {
	owned, args, err := importOwned(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, s.dialect.q("SELECT "+importJobColumns+" FROM import_jobs WHERE id = ? AND "+owned),
		append([]any{id}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("store: read import job: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: read import job: %w", err)
		}
		return nil, cunjing.Errorf(cunjing.ENotFound, "import %d not found", id)
	}
	j, err := scanImportJob(rows)
	if err != nil {
		return nil, fmt.Errorf("store: read import job: %w", err)
	}
	return &j, nil
}

// RunningImports lists every job left running, oldest first, for the
// server to resume; only the system may ask.
func (s *Store) RunningImports(ctx context.Context) ([]cunjing.ImportJob, error) {
	if cunjing.IdentityFrom(ctx) != cunjing.SystemIdentity {
		return nil, cunjing.Errorf(cunjing.EForbidden, "only the system resumes imports")
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q("SELECT "+importJobColumns+" FROM import_jobs WHERE state = ? ORDER BY id"),
		string(cunjing.ImportRunning))
	if err != nil {
		return nil, fmt.Errorf("store: running imports: %w", err)
	}
	defer rows.Close()
	var jobs []cunjing.ImportJob
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, fmt.Errorf("store: running imports: %w", err)
		}
		jobs = append(jobs, j)
	}
	return jobs, rows.Err()
}

// importScopeQuery reads an account's role, unit and areas as the session
// query does: officers and auxiliaries see the areas of their open
// assignments, the other roles their unit's jurisdiction.
var importScopeQuery = `SELECT u.role, COALESCE(u.unit_code, ''), u.disabled, COALESCE(a.area_code, x.area_code, '') FROM users u
	LEFT JOIN unit_areas a ON a.unit_code = u.unit_code AND u.role NOT IN (` + postHolders + `)
	LEFT JOIN staff st ON st.username = u.username AND u.role IN (` + postHolders + `)
	LEFT JOIN assignments x ON x.staff_id = st.id AND x.end_date = ''
	WHERE u.username = ?`

// ImportIdentity is the identity of an account as it stands now, to
// resume its imports with its present scope; a disabled or unknown account
// is not found, and so is the system's own.
func (s *Store) ImportIdentity(ctx context.Context, username string) (*cunjing.Identity, error) {
	if username == cunjing.SystemIdentity.Username {
		return cunjing.SystemIdentity, nil
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(importScopeQuery), username)
	if err != nil {
		return nil, fmt.Errorf("store: identity of %s: %w", username, err)
	}
	defer rows.Close()
	var id *cunjing.Identity
	for rows.Next() {
		var role, unit, area string
		var disabled bool
		if err := rows.Scan(&role, &unit, &disabled, &area); err != nil {
			return nil, fmt.Errorf("store: identity of %s: %w", username, err)
		}
		if disabled {
			return nil, cunjing.Errorf(cunjing.ENotFound, "account %s not found", username)
		}
		if id == nil {
			id = &cunjing.Identity{Username: username, Role: cunjing.Role(role), UnitCode: unit}
		}
		if area != "" {
			id.Scope.Prefixes = append(id.Scope.Prefixes, area)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: identity of %s: %w", username, err)
	}
	if id == nil {
		return nil, cunjing.Errorf(cunjing.ENotFound, "account %s not found", username)
	}
	id.Scope.All = id.UnitCode == "" && id.Role.IsAdministrator()
	return id, nil
}

// BeginImport starts the job of a file or resumes it; see
// cunjing.RecordImporter. The header is kept (sealed) as row 1 of the
// report.
func (s *Store) BeginImport(ctx context.Context, start cunjing.ImportStart) (cunjing.ImportSession, error) {
	if cunjing.IdentityFrom(ctx) == nil {
		return nil, errNoIdentity
	}
	if !slices.Contains(cunjing.ImportKinds, start.Kind) || (start.Mode != cunjing.ImportAdd && start.Mode != cunjing.ImportUpsert) {
		return nil, cunjing.Errorf(cunjing.EInvalid, "unknown kind %q or mode %q of import", start.Kind, start.Mode)
	}
	if s.cipher == nil {
		return nil, errNoCipher
	}
	if err := s.restoreResidentIndexes(ctx); err != nil {
		return nil, err
	}
	job, err := s.findImportJob(ctx, start)
	if errors.Is(err, sql.ErrNoRows) {
		job, err = s.createImportJob(ctx, start)
	}
	if err != nil {
		return nil, err
	}
	sess := newImportSession(ctx, s, job, start)
	if job.State == cunjing.ImportRunning {
		if err := sess.load(ctx); err != nil {
			return nil, err
		}
	}
	return sess, nil
}

// findImportJob returns the caller's job of the same file that is running
// or done; sql.ErrNoRows when there is none.
func (s *Store) findImportJob(ctx context.Context, start cunjing.ImportStart) (cunjing.ImportJob, error) {
	row := s.write.QueryRowContext(ctx, s.dialect.q("SELECT "+importJobColumns+` FROM import_jobs
		WHERE file_hash = ? AND kind = ? AND state IN (?, ?) AND mode = ? AND created_by = ? ORDER BY id DESC LIMIT 1`),
		start.FileHash, string(start.Kind), string(cunjing.ImportRunning), string(cunjing.ImportDone), string(start.Mode), actorOf(ctx))
	j, err := scanImportJob(row)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return j, fmt.Errorf("store: find import job: %w", err)
	}
	return j, err
}

// createImportJob records a new running job with the file's header.
func (s *Store) createImportJob(ctx context.Context, start cunjing.ImportStart) (cunjing.ImportJob, error) {
	var job cunjing.ImportJob
	header, err := s.sealCells(start.Header)
	if err != nil {
		return job, err
	}
	err = s.inWriteTx(ctx, func(tx *sql.Tx) error {
		now := timestamp(s.now())
		var id int64
		if err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO import_jobs (kind, mode, file_name, file_hash, state, created_by,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), string(start.Kind), string(start.Mode),
			start.FileName, start.FileHash, string(cunjing.ImportRunning), actorOf(ctx), now, now).Scan(&id); err != nil {
			return fmt.Errorf("store: create import job: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("INSERT INTO import_rows (job_id, row_number, cells) VALUES (?, 1, ?)"),
			id, header); err != nil {
			return fmt.Errorf("store: keep import header: %w", err)
		}
		j, err := s.importJobOf(ctx, tx, id)
		if err != nil {
			return err
		}
		job = *j
		return s.auditTx(ctx, tx, cunjing.ActionImportRecords, importObject(id), cunjing.ResultOK,
			fmt.Sprintf("started: %s %s, %s", start.Kind, start.Mode, start.FileName))
	})
	return job, err
}

// importObject names a job in the audit trail.
func importObject(id int64) string { return fmt.Sprintf("import:%d", id) }

// sealCells seals the cells of a row as the report keeps them.
func (s *Store) sealCells(cells []string) ([]byte, error) {
	text, err := json.Marshal(cells)
	if err != nil {
		return nil, fmt.Errorf("store: keep row: %w", err)
	}
	v, err := s.cipher.Seal(importRowField, string(text))
	if err != nil {
		return nil, fmt.Errorf("store: seal row: %w", err)
	}
	return v, nil
}

// openCells opens the cells of a row kept by sealCells.
func (s *Store) openCells(v []byte) ([]string, error) {
	text, err := s.open(importRowField, v)
	if err != nil {
		return nil, err
	}
	var cells []string
	if err := json.Unmarshal([]byte(text), &cells); err != nil {
		return nil, fmt.Errorf("store: read kept row: %w", err)
	}
	return cells, nil
}

// ImportReport calls header with the file's header and row with each
// refused row in file order, with its problems. Cells are given only to
// roles that read personal data; the caller audits the report as an
// export.
func (s *Store) ImportReport(ctx context.Context, id int64, header func([]string) error, row func(cunjing.RefusedRow) error) error {
	job, err := s.ImportJob(ctx, id)
	if err != nil {
		return err
	}
	unmasked := readsPersonal(ctx)
	kept, err := s.importRows(ctx, job.ID, 1, 2)
	if err != nil {
		return err
	}
	if !unmasked || kept[1] == nil {
		err = header(nil)
	} else {
		err = header(kept[1])
	}
	if err != nil {
		return err
	}
	return s.eachRefused(ctx, job.ID, unmasked, row)
}

// importReportPage is how many refused rows are read at a time.
const importReportPage = 1000

// eachRefused reads the problems of a job page by page, by row, and calls
// fn with each refused row, its kept cells opened when unmasked.
func (s *Store) eachRefused(ctx context.Context, job int64, unmasked bool, fn func(cunjing.RefusedRow) error) error {
	after := int64(1)
	for {
		rows, last, err := s.refusedPage(ctx, job, after)
		if err != nil || len(rows) == 0 {
			return err
		}
		var kept map[int64][]string
		if unmasked {
			if kept, err = s.importRows(ctx, job, after+1, last+1); err != nil {
				return err
			}
		}
		for _, r := range rows {
			r.Cells = kept[int64(r.Row)]
			if err := fn(r); err != nil {
				return err
			}
		}
		after = last
	}
}

// refusedPage reads the problems of up to importReportPage rows after a
// row number, grouped by row.
func (s *Store) refusedPage(ctx context.Context, job, after int64) ([]cunjing.RefusedRow, int64, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT row_number, column_name, cell, message FROM import_problems
		WHERE job_id = ? AND row_number > ? AND row_number <= (SELECT COALESCE(MAX(row_number), 0) FROM
		(SELECT DISTINCT row_number FROM import_problems WHERE job_id = ? AND row_number > ? ORDER BY row_number LIMIT ?) p)
		ORDER BY row_number`), job, after, job, after, importReportPage)
	if err != nil {
		return nil, 0, fmt.Errorf("store: read import problems: %w", err)
	}
	defer rows.Close()
	var out []cunjing.RefusedRow
	last := after
	for rows.Next() {
		var p cunjing.ImportProblem
		var n int64
		if err := rows.Scan(&n, &p.Column, &p.Cell, &p.Message); err != nil {
			return nil, 0, fmt.Errorf("store: read import problems: %w", err)
		}
		p.Row = int(n)
		if n != last || len(out) == 0 {
			out = append(out, cunjing.RefusedRow{Row: int(n)})
		}
		out[len(out)-1].Problems = append(out[len(out)-1].Problems, p)
		last = n
	}
	return out, last, rows.Err()
}

// importRows opens the kept rows of a job in [from, to).
func (s *Store) importRows(ctx context.Context, job, from, to int64) (map[int64][]string, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT row_number, cells FROM import_rows
		WHERE job_id = ? AND row_number >= ? AND row_number < ?`), job, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: read import rows: %w", err)
	}
	defer rows.Close()
	kept := map[int64][]string{}
	for rows.Next() {
		var n int64
		var v []byte
		if err := rows.Scan(&n, &v); err != nil {
			return nil, fmt.Errorf("store: read import rows: %w", err)
		}
		if kept[n], err = s.openCells(v); err != nil {
			return nil, err
		}
	}
	return kept, rows.Err()
}

// importKey is the key of a record within an import file: the first 16
// bytes of the SHA-256 of its parts.
func importKey(parts ...string) [16]byte {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return [16]byte(sum[:16])
}
