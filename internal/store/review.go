package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"cunjing"
)

var _ cunjing.ReviewService = (*Store)(nil)

// reviewSource is how the review queue reads one kind of record: its table
// (aliased x) with the joins its summary needs, and the summary, masked.
type reviewSource struct {
	kind    cunjing.RecordKind
	from    string
	summary string
}

// reviewSources are the kinds the station reviews, in the order of
// cunjing.RecordKinds, which is also their order among records collected
// at the same instant.
var reviewSources = []reviewSource{
	{cunjing.RecordAddress, "addresses x", "x.text"},
	{cunjing.RecordResident, "residents x", "x.name || ' ' || x.id_masked"},
	{cunjing.RecordHouse, "houses x LEFT JOIN addresses a ON a.id = x.address_id", "COALESCE(a.text, '')"},
	{cunjing.RecordOrg, "orgs x", "x.name"},
}

// recordTables maps each kind of record to its table.
var recordTables = map[cunjing.RecordKind]string{
	cunjing.RecordAddress: "addresses", cunjing.RecordResident: "residents", cunjing.RecordHousehold: "households",
	cunjing.RecordHouse: "houses", cunjing.RecordOrg: "orgs",
}

// reviewCursor is the position of the last item of a page: records come
// oldest first, then by kind, then by ID.
type reviewCursor struct {
	at   string
	kind int
	id   int64
}

// FindReviews lists the records in scope in a review state (collected when
// none is asked), oldest first, with masked summaries.
func (s *Store) FindReviews(ctx context.Context, f cunjing.ReviewFilter) ([]cunjing.ReviewItem, string, error) {
	page := f.Page.Normalized()
	if f.State == "" {
		f.State = cunjing.StateCollected
	}
	if !validState(f.State) {
		return nil, "", stateProblem()
	}
	sources, err := reviewSourcesOf(f.Kind)
	if err != nil {
		return nil, "", err
	}
	if f.Under != "" {
		if err := checkAreaInScope(ctx, f.Under); err != nil {
			return nil, "", err
		}
	}
	after, err := readReviewCursor(page.Cursor)
	if err != nil {
		return nil, "", err
	}
	var parts []string
	var args []any
	for _, src := range sources {
		part, partArgs, err := reviewPart(ctx, src, f, after, page.Limit+1)
		if err != nil {
			return nil, "", err
		}
		parts = append(parts, part)
		args = append(args, partArgs...)
	}
	query := "SELECT kind, id, area_code, summary, collected_by, collected_at, state, reason FROM (" +
		strings.Join(parts, " UNION ALL ") + fmt.Sprintf(") q ORDER BY collected_at, kind_order, id LIMIT %d", page.Limit+1)
	items, err := s.queryReviewItems(ctx, query, args...)
	if err != nil {
		return nil, "", err
	}
	if len(items) <= page.Limit {
		return items, "", nil
	}
	items = items[:page.Limit]
	return items, writeReviewCursor(items[len(items)-1]), nil
}

// reviewSourcesOf returns the sources of one kind, or of all when kind is "".
func reviewSourcesOf(kind cunjing.RecordKind) ([]reviewSource, error) {
	if kind == "" {
		return reviewSources, nil
	}
	for _, src := range reviewSources {
		if src.kind == kind {
			return []reviewSource{src}, nil
		}
	}
	return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "unknown kind of record",
		Fields: map[string]string{"kind": "must be address, resident, house or org"}}
}

// reviewPart is the query of one kind of record for a page of the queue:
// in scope, under the area, in the state, after the cursor, at most limit.
func reviewPart(ctx context.Context, src reviewSource, f cunjing.ReviewFilter, after reviewCursor, limit int) (string, []any, error) {
	var l listQuery
	if err := l.addScope(inScope(ctx, "x.area_code")); err != nil {
		return "", nil, err
	}
	if err := addUnder(&l, "x.area_code", f.Under); err != nil {
		return "", nil, err
	}
	l.add("x.state = ?", string(f.State))
	if f.State != cunjing.StateVerified {
		l.add("x.state <> 'verified'") // the partial review indexes
	}
	order := slices.Index(cunjing.RecordKinds, src.kind)
	switch {
	case after.at == "":
	case order < after.kind:
		l.add("x.collected_at > ?", after.at)
	case order > after.kind:
		l.add("x.collected_at >= ?", after.at)
	default:
		l.add("(x.collected_at > ? OR (x.collected_at = ? AND x.id > ?))", after.at, after.at, after.id)
	}
	query := fmt.Sprintf(`SELECT * FROM (SELECT '%s' AS kind, %d AS kind_order, x.id AS id, x.area_code AS area_code,
		%s AS summary, x.collected_by AS collected_by, x.collected_at AS collected_at, x.state AS state, x.reason AS reason
		FROM %s WHERE %s ORDER BY x.collected_at, x.id LIMIT %d) q%d`,
		src.kind, order, src.summary, src.from, strings.Join(l.where, " AND "), limit, order)
	return query, l.args, nil
}

func readReviewCursor(cursor string) (reviewCursor, error) {
	if cursor == "" {
		return reviewCursor{}, nil
	}
	text, err := decodeCursor(cursor)
	if err != nil {
		return reviewCursor{}, err
	}
	parts := strings.Split(text, "|")
	if len(parts) != 3 {
		return reviewCursor{}, cunjing.Errorf(cunjing.EInvalid, "cursor is not valid")
	}
	kind, err1 := strconv.Atoi(parts[1])
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || parts[0] == "" {
		return reviewCursor{}, cunjing.Errorf(cunjing.EInvalid, "cursor is not valid")
	}
	return reviewCursor{at: parts[0], kind: kind, id: id}, nil
}

func writeReviewCursor(last cunjing.ReviewItem) string {
	return encodeCursor(fmt.Sprintf("%s|%d|%d", timestamp(last.CollectedAt), slices.Index(cunjing.RecordKinds, last.Kind), last.Record))
}

func (s *Store) queryReviewItems(ctx context.Context, query string, args ...any) ([]cunjing.ReviewItem, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query review queue: %w", err)
	}
	defer rows.Close()
	var items []cunjing.ReviewItem
	for rows.Next() {
		var it cunjing.ReviewItem
		var kind, at, state string
		if err := rows.Scan(&kind, &it.Record, &it.AreaCode, &it.Summary, &it.CollectedBy, &at, &state, &it.Reason); err != nil {
			return nil, fmt.Errorf("store: scan review queue: %w", err)
		}
		it.Kind, it.State = cunjing.RecordKind(kind), cunjing.CollectState(state)
		if it.CollectedAt, err = parseTimestamp(at); err != nil {
			return nil, fmt.Errorf("store: scan review queue: %w", err)
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

// ReviewRecords verifies or returns records in scope, in one transaction,
// each decision kept in the record's history and audited. Only reviewers
// (station chiefs and above) review; a record outside the scope is not
// found, and a failure names its item (cunjing.ItemError).
func (s *Store) ReviewRecords(ctx context.Context, decisions []cunjing.Review) error {
	if !reviews(ctx) {
		return cunjing.Errorf(cunjing.EForbidden, "only the station chief and above review collected records")
	}
	for i := range decisions {
		if err := checkReview(&decisions[i]); err != nil {
			return &cunjing.ItemError{Index: i, Err: err}
		}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		audit := make([]auditRow, len(decisions))
		for i, rv := range decisions {
			detail, err := s.reviewRecord(ctx, tx, rv)
			if err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
			audit[i] = auditRow{action: cunjing.ActionRecordReview, object: recordObject(rv.Kind, rv.Record),
				result: cunjing.ResultOK, detail: detail}
		}
		return s.appendAudit(ctx, tx, audit)
	})
}

// checkReview checks a decision on its own: a kind that is reviewed, and a
// reason for a return.
func checkReview(rv *cunjing.Review) error {
	fields := map[string]string{}
	if !slices.Contains(cunjing.RecordKinds, rv.Kind) {
		fields["kind"] = "must be address, resident, house or org"
	}
	rv.Reason = strings.TrimSpace(rv.Reason)
	switch {
	case !rv.Verify && rv.Reason == "":
		fields["reason"] = "is required to return a record"
	case utf8.RuneCountInString(rv.Reason) > cunjing.MaxNoteRunes || strings.ContainsFunc(rv.Reason, printsNothingInText):
		fields["reason"] = "must be at most 2000 printable characters"
	}
	if len(fields) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the review is not valid", Fields: fields}
	}
	return nil
}

// reviewRecord applies one decision in tx, keeps it in the history and
// returns the detail of its audit row.
func (s *Store) reviewRecord(ctx context.Context, tx *sql.Tx, rv cunjing.Review) (string, error) {
	table := recordTables[rv.Kind]
	visible, args, err := inScope(ctx, "area_code")
	if err != nil {
		return "", err
	}
	query := "SELECT state, reason FROM " + table + " WHERE id = ?"
	if visible != "" {
		query += " AND " + visible
	}
	var oldState, oldReason string
	err = tx.QueryRowContext(ctx, s.dialect.q(query), append([]any{rv.Record}, args...)...).Scan(&oldState, &oldReason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", cunjing.Errorf(cunjing.ENotFound, "%s %d not found", rv.Kind, rv.Record)
	}
	if err != nil {
		return "", fmt.Errorf("store: read %s: %w", rv.Kind, err)
	}
	state, reason, detail := cunjing.StateVerified, "", "verified"
	if !rv.Verify {
		state, reason, detail = cunjing.StateReturned, rv.Reason, "returned: "+rv.Reason
	}
	now := timestamp(s.now())
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE "+table+" SET state = ?, reason = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?"),
		string(state), reason, actorOf(ctx), now, rv.Record); err != nil {
		return "", fmt.Errorf("store: review %s: %w", rv.Kind, err)
	}
	_, err = s.recordChanges(ctx, tx, rv.Kind, rv.Record, changed(fieldChange{"state", oldState, string(state)},
		fieldChange{"reason", oldReason, reason}))
	return detail, err
}

// History lists the changes of a record in scope, newest first.
func (s *Store) History(ctx context.Context, kind cunjing.RecordKind, id int64) ([]cunjing.Change, error) {
	table, ok := recordTables[kind]
	if !ok {
		return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "unknown kind of record",
			Fields: map[string]string{"kind": "must be address, resident, household, house or org"}}
	}
	visible, args, err := inScope(ctx, "area_code")
	if err != nil {
		return nil, err
	}
	query := "SELECT EXISTS (SELECT 1 FROM " + table + " WHERE id = ?"
	if visible != "" {
		query += " AND " + visible
	}
	var seen bool
	if err := s.read.QueryRowContext(ctx, s.dialect.q(query+")"), append([]any{id}, args...)...).Scan(&seen); err != nil {
		return nil, fmt.Errorf("store: read %s: %w", kind, err)
	}
	if !seen {
		return nil, cunjing.Errorf(cunjing.ENotFound, "%s %d not found", kind, id)
	}
	return s.queryChanges(ctx, kind, id)
}

func (s *Store) queryChanges(ctx context.Context, kind cunjing.RecordKind, id int64) ([]cunjing.Change, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT id, field, old_value, new_value, changed_by, changed_at FROM changes
		WHERE record_kind = ? AND record_id = ? ORDER BY id DESC`), string(kind), id)
	if err != nil {
		return nil, fmt.Errorf("store: read history: %w", err)
	}
	defer rows.Close()
	var changes []cunjing.Change
	for rows.Next() {
		c := cunjing.Change{Kind: kind, Record: id}
		var at string
		if err := rows.Scan(&c.ID, &c.Field, &c.Old, &c.New, &c.By, &at); err != nil {
			return nil, fmt.Errorf("store: read history: %w", err)
		}
		if c.At, err = parseTimestamp(at); err != nil {
			return nil, fmt.Errorf("store: read history: %w", err)
		}
		changes = append(changes, c)
	}
	return changes, rows.Err()
}
