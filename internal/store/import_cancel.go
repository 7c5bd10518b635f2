package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"cunjing"
)

// importRollback is one statement of the rollback of a job, in an order
// that keeps every reference valid: first the rows that hang on what the
// job added (name keys, conflicts over its persons, its rentals), then the
// references of other records to it are cleared, then what it added goes,
// houses before their owners and addresses.
var importRollback = []struct{ what, query string }{
	{"", "DELETE FROM name_alt_keys WHERE resident_id IN (SELECT id FROM residents WHERE import_job = ?)"},
	{"", "DELETE FROM conflicts WHERE resident_id IN (SELECT id FROM residents WHERE import_job = ?)"},
	{"rentals", "DELETE FROM rentals WHERE import_job = ?"},
	{"", `UPDATE houses SET owner_resident = NULL WHERE (import_job IS NULL OR import_job <> ?) AND owner_resident IN
		(SELECT id FROM residents WHERE import_job = ?)`},
	{"", `UPDATE houses SET owner_org = NULL WHERE (import_job IS NULL OR import_job <> ?) AND owner_org IN
		(SELECT id FROM orgs WHERE import_job = ?)`},
	{"", `UPDATE residents SET household_id = NULL WHERE (import_job IS NULL OR import_job <> ?) AND household_id IN
		(SELECT id FROM households WHERE import_job = ?)`},
	{"", `UPDATE residents SET address_id = NULL WHERE (import_job IS NULL OR import_job <> ?) AND address_id IN
		(SELECT id FROM addresses WHERE import_job = ?)`},
	{"", `UPDATE households SET address_id = NULL WHERE (import_job IS NULL OR import_job <> ?) AND address_id IN
		(SELECT id FROM addresses WHERE import_job = ?)`},
	{"", `UPDATE orgs SET address_id = NULL WHERE (import_job IS NULL OR import_job <> ?) AND address_id IN
		(SELECT id FROM addresses WHERE import_job = ?)`},
	{"houses", "DELETE FROM houses WHERE import_job = ?"},
	{"residents", "DELETE FROM residents WHERE import_job = ?"},
	{"households", "DELETE FROM households WHERE import_job = ?"},
	{"orgs", "DELETE FROM orgs WHERE import_job = ?"},
	{"addresses", "DELETE FROM addresses WHERE import_job = ?"},
}

// CancelImport rolls a job of the caller back: everything it added is
// deleted and it ends cancelled, in one transaction, audited. Updates it
// made stay, as the history shows them. A job cancelled already is
// returned as it is; one whose records others have built on since (a
// house at an address it added, an inspection of an org it added) cannot
// be rolled back and is a conflict.
func (s *Store) CancelImport(ctx context.Context, id int64) (*cunjing.ImportJob, error) {
	job, err := s.ImportJob(ctx, id)
	if err != nil || job.State == cunjing.ImportCancelled {
		return job, err
	}
	err = s.inWriteTx(ctx, func(tx *sql.Tx) error {
		// Taking the job's row first makes a batch that runs meanwhile wait
		// and then fail on the state, or commit before the rows are counted.
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE import_jobs SET state = ?, updated_at = ? WHERE id = ?"),
			string(cunjing.ImportCancelled), timestamp(s.now()), id); err != nil {
			return fmt.Errorf("store: cancel import: %w", err)
		}
		var deleted []string
		for _, step := range importRollback {
			n, err := s.rollbackStep(ctx, tx, step.query, id)
			if err != nil {
				return err
			}
			if step.what != "" && n > 0 {
				deleted = append(deleted, fmt.Sprintf("%d %s", n, step.what))
			}
		}
		message := "cancelled: nothing was added"
		if len(deleted) > 0 {
			message = "cancelled: deleted " + strings.Join(deleted, ", ")
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE import_jobs SET message = ? WHERE id = ?"), message, id); err != nil {
			return fmt.Errorf("store: cancel import: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionImportRecords, importObject(id), cunjing.ResultOK, message)
	})
	if err != nil {
		return nil, err
	}
	if err := s.restoreResidentIndexes(ctx); err != nil {
		return nil, err
	}
	return s.ImportJob(ctx, id)
}

// rollbackStep runs one statement of a rollback, whose every parameter
// is the job's ID.
func (s *Store) rollbackStep(ctx context.Context, tx *sql.Tx, query string, id int64) (int64, error) {
	args := make([]any, strings.Count(query, "?"))
	for i := range args {
		args[i] = id
	}
	res, err := tx.ExecContext(ctx, s.dialect.q(query), args...)
	if isForeignKeyViolation(err) {
		return 0, cunjing.Errorf(cunjing.EConflict,
			"import %d cannot be rolled back: records registered since refer to what it added", id)
	}
	if err != nil {
		return 0, fmt.Errorf("store: roll back import: %w", err)
	}
	return res.RowsAffected()
}
