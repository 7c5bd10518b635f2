package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cunjing"
)

var _ cunjing.AuditService = (*Store)(nil)

// The audit trail is append-only: the application INSERTs into audit_log and
// never UPDATEs or DELETEs a row, nor purges old ones. Retention
// (cunjing.MinAuditRetention) is the promise that rows are kept at least that
// long; removing older ones is an operator's decision, outside the app.

// genesisHash is the previous hash of the first row.
var genesisHash = strings.Repeat("0", 64)

// auditInsertBatch is the number of audit rows inserted per statement.
const auditInsertBatch = 500

const (
	auditColumns     = "seq, at, actor, unit_code, ip, action, object, result, request_id, detail, prev_hash, hash"
	auditColumnCount = 12
)

// auditRow is one row of audit_log as stored, with at in timestamp format.
type auditRow struct {
	seq                                                            int64
	at, actor, unit, ip, action, object, result, requestID, detail string
	prevHash, hash                                                 string
}

// computeHash is the hex SHA-256 of the row's previous hash and content:
// each field as an 8-byte big-endian length followed by its bytes, in the
// order prev_hash, seq (decimal), at, actor, unit_code, ip, action, object,
// result, request_id, detail.
func (r *auditRow) computeHash() string {
	h := sha256.New()
	var n [8]byte
	for _, f := range []string{r.prevHash, strconv.FormatInt(r.seq, 10), r.at, r.actor, r.unit, r.ip,
		r.action, r.object, r.result, r.requestID, r.detail} {
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (r *auditRow) args() []any {
	return []any{r.seq, r.at, r.actor, r.unit, r.ip, r.action, r.object, r.result, r.requestID, r.detail, r.prevHash, r.hash}
}

func (r *auditRow) dest() []any {
	return []any{&r.seq, &r.at, &r.actor, &r.unit, &r.ip, &r.action, &r.object, &r.result, &r.requestID, &r.detail, &r.prevHash, &r.hash}
}

func (r *auditRow) event() (cunjing.AuditEvent, error) {
	at, err := parseTimestamp(r.at)
	return cunjing.AuditEvent{Seq: r.seq, At: at, Actor: r.actor, UnitCode: r.unit, IP: r.ip, Action: r.action,
		Object: r.object, Result: r.result, RequestID: r.requestID, Detail: r.detail, PrevHash: r.prevHash, Hash: r.hash}, err
}

// Audit records an event that changes nothing else — a failed login, a
// denied request, a read of personal data, an export — in its own
// transaction. The identity in ctx is the actor.
func (s *Store) Audit(ctx context.Context, action, object, result, detail string) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		return s.auditTx(ctx, tx, action, object, result, detail)
	})
}

// RecordExport appends an export row to the audit trail.
func (s *Store) RecordExport(ctx context.Context, object string) error {
	return s.Audit(ctx, cunjing.ActionExport, object, cunjing.ResultOK, "")
}

// auditTx appends one audit row in tx, the transaction of the change it
// records. Without an identity in ctx it fails, and so does the change.
func (s *Store) auditTx(ctx context.Context, tx *sql.Tx, action, object, result, detail string) error {
	return s.appendAudit(ctx, tx, []auditRow{{action: action, object: object, result: result, detail: detail}})
}

// appendAudit chains rows (action, object, result and detail set) onto the
// trail in tx, stamped with the time and the identity in ctx. Taking the
// head first serialises writers until tx ends.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, rows []auditRow) error {
	id := cunjing.IdentityFrom(ctx)
	if id == nil {
		return errNoIdentity
	}
	var last int64
	var prev string
	if err := tx.QueryRowContext(ctx, s.dialect.q("UPDATE audit_head SET seq = seq + ? WHERE id = 1 RETURNING seq, hash"),
		len(rows)).Scan(&last, &prev); err != nil {
		return fmt.Errorf("store: audit: take head: %w", err)
	}
	at := timestamp(s.now())
	for i := range rows {
		r := &rows[i]
		r.seq = last - int64(len(rows)-1-i)
		r.at, r.actor, r.unit, r.ip, r.requestID = at, cunjing.CanonicalUsername(id.Username), id.UnitCode, id.IP, id.RequestID
		r.prevHash = prev
		r.hash = r.computeHash()
		prev = r.hash
	}
	for start := 0; start < len(rows); start += auditInsertBatch {
		if err := s.insertAudit(ctx, tx, rows[start:min(start+auditInsertBatch, len(rows))]); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE audit_head SET hash = ? WHERE id = 1"), prev); err != nil {
		return fmt.Errorf("store: audit: move head: %w", err)
	}
	return nil
}

func (s *Store) insertAudit(ctx context.Context, tx *sql.Tx, rows []auditRow) error {
	args := make([]any, 0, auditColumnCount*len(rows))
	for i := range rows {
		args = append(args, rows[i].args()...)
	}
	query := "INSERT INTO audit_log (" + auditColumns + ") VALUES " + valueTuples(len(rows), auditColumnCount)
	if _, err := tx.ExecContext(ctx, s.dialect.q(query), args...); err != nil {
		return fmt.Errorf("store: audit: insert: %w", err)
	}
	return nil
}

// FindAudit lists the audit rows that match f, newest first: actor and
// action exactly, object containing f.Object, at in [f.From, f.To). The
// query itself is audited after it is read; it needs an identity in ctx.
func (s *Store) FindAudit(ctx context.Context, f cunjing.AuditFilter) ([]cunjing.AuditEvent, string, error) {
	if cunjing.IdentityFrom(ctx) == nil {
		return nil, "", errNoIdentity
	}
	page := f.Page.Normalized()
	query, args, err := auditQuery(f, page)
	if err != nil {
		return nil, "", err
	}
	events, err := s.queryAudit(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	events, next := cut(events, page.Limit, func(e cunjing.AuditEvent) string { return strconv.FormatInt(e.Seq, 10) })
	if err := s.Audit(ctx, cunjing.ActionAuditQuery, describeAuditFilter(f), cunjing.ResultOK,
		fmt.Sprintf("%d rows", len(events))); err != nil {
		return nil, "", err
	}
	return events, next, nil
}

// auditQuery builds the query of one page of FindAudit.
func auditQuery(f cunjing.AuditFilter, page cunjing.Page) (string, []any, error) {
	var l listQuery
	if f.Actor != "" {
		l.add("actor = ?", cunjing.CanonicalUsername(f.Actor))
	}
	if f.Action != "" {
		l.add("action = ?", f.Action)
	}
	if f.Object != "" {
		l.add(`object LIKE ? ESCAPE '\'`, likeContains(f.Object))
	}
	if !f.From.IsZero() {
		l.add("at >= ?", timestamp(f.From))
	}
	if !f.To.IsZero() {
		l.add("at < ?", timestamp(f.To))
	}
	if page.Cursor != "" {
		key, err := decodeCursor(page.Cursor)
		if err != nil {
			return "", nil, err
		}
		before, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			return "", nil, cunjing.Errorf(cunjing.EInvalid, "cursor is not valid")
		}
		l.add("seq < ?", before)
	}
	query := "SELECT " + auditColumns + " FROM audit_log"
	if len(l.where) > 0 {
		query += " WHERE " + strings.Join(l.where, " AND ")
	}
	return query + fmt.Sprintf(" ORDER BY seq DESC LIMIT %d", page.Limit+1), l.args, nil
}

func (s *Store) queryAudit(ctx context.Context, query string, args ...any) ([]cunjing.AuditEvent, error) {
	var events []cunjing.AuditEvent
	err := s.eachAudit(ctx, query, args, func(e cunjing.AuditEvent) error {
		events = append(events, e)
		return nil
	})
	return events, err
}

// describeAuditFilter is the object of an audit_query row: the filter.
func describeAuditFilter(f cunjing.AuditFilter) string {
	var parts []string
	if f.Actor != "" {
		parts = append(parts, "actor="+strconv.Quote(cunjing.CanonicalUsername(f.Actor)))
	}
	if f.Action != "" {
		parts = append(parts, "action="+strconv.Quote(f.Action))
	}
	if f.Object != "" {
		parts = append(parts, "object~"+strconv.Quote(f.Object))
	}
	if !f.From.IsZero() {
		parts = append(parts, "from="+f.From.UTC().Format(time.RFC3339))
	}
	if !f.To.IsZero() {
		parts = append(parts, "to="+f.To.UTC().Format(time.RFC3339))
	}
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, " ")
}

// AuditLength returns the number of rows the audit head says the trail
// holds: the sequence number of the last row.
func (s *Store) AuditLength(ctx context.Context) (int64, error) {
	var n int64
	if err := s.read.QueryRowContext(ctx, "SELECT seq FROM audit_head WHERE id = 1").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: read audit head: %w", err)
	}
	return n, nil
}

// VerifyAudit walks the trail in sequence order in one snapshot, row by
// row, and returns the first bad sequence number with the reason: a hash
// that does not match its row, a broken link to the row before, a gap, or
// a head that does not match the last row. It returns 0, "" when intact.
func (s *Store) VerifyAudit(ctx context.Context) (int64, string, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return 0, "", fmt.Errorf("store: verify audit: %w", err)
	}
	defer tx.Rollback()
	var headSeq int64
	var headHash string
	if err := tx.QueryRowContext(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return 0, "", fmt.Errorf("store: verify audit: read head: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+auditColumns+" FROM audit_log ORDER BY seq")
	if err != nil {
		return 0, "", fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	chain := auditChain{hash: genesisHash}
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(r.dest()...); err != nil {
			return 0, "", fmt.Errorf("store: verify audit: %w", err)
		}
		if bad, reason := chain.next(&r); bad != 0 {
			return bad, reason, nil
		}
	}
	if err := rows.Err(); err != nil {
		return 0, "", fmt.Errorf("store: verify audit: %w", err)
	}
	bad, reason := chain.end(headSeq, headHash)
	return bad, reason, nil
}

// auditChain is the last good row of a verification: seq 0 and the genesis
// hash before the first.
type auditChain struct {
	seq  int64
	hash string
}

// next checks that r follows the last good row, and returns the first bad
// sequence number and why when it does not.
func (c *auditChain) next(r *auditRow) (int64, string) {
	want := c.seq + 1
	switch {
	case r.seq < want:
		return want, fmt.Sprintf("row %d: sequence numbers start at 1", r.seq)
	case r.seq == want+1:
		return want, fmt.Sprintf("row %d is missing", want)
	case r.seq > want:
		return want, fmt.Sprintf("rows %d–%d are missing", want, r.seq-1)
	case r.computeHash() != r.hash:
		return r.seq, fmt.Sprintf("row %d: hash does not match its content", r.seq)
	case r.prevHash != c.hash && c.seq == 0:
		return r.seq, fmt.Sprintf("row %d: previous hash is not the start of the chain", r.seq)
	case r.prevHash != c.hash:
		return r.seq, fmt.Sprintf("row %d: previous hash does not match row %d", r.seq, c.seq)
	}
	c.seq, c.hash = r.seq, r.hash
	return 0, ""
}

// end checks the audit head against the last row.
func (c *auditChain) end(headSeq int64, headHash string) (int64, string) {
	switch {
	case headSeq > c.seq:
		return c.seq + 1, fmt.Sprintf("the last rows after %d are missing", c.seq)
	case headSeq < c.seq:
		return headSeq + 1, fmt.Sprintf("rows after %d are not in the audit head", headSeq)
	case headHash != c.hash:
		return max(c.seq, 1), fmt.Sprintf("the audit head does not match row %d", c.seq)
	}
	return 0, ""
}

// auditUnits records one row per created unit: its code, and its name as
// the detail.
func (s *Store) auditUnits(ctx context.Context, tx *sql.Tx, units []cunjing.Unit) error {
	if len(units) == 0 {
		return nil
	}
	rows := make([]auditRow, len(units))
	for i, u := range units {
		rows[i] = auditRow{action: cunjing.ActionUnitCreate, object: u.Code, result: cunjing.ResultOK, detail: strings.TrimSpace(u.Name)}
	}
	return s.appendAudit(ctx, tx, rows)
}
