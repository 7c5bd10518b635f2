package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"cunjing"
)

// collectionColumns are the columns every collected record carries, in
// the order of collectionValues and scanCollection.
const collectionColumns = "collected_by, collected_at, state, reason, reviewed_by, reviewed_at, updated_at"

// newCollection returns the collection of a record the caller creates now:
// collected, awaiting the station's review — or verified at once when the
// caller is a reviewer himself (a station chief or above, or the system).
func newCollection(ctx context.Context, now time.Time) cunjing.Collection {
	c := cunjing.Collection{CollectedBy: actorOf(ctx), CollectedAt: now, State: cunjing.StateCollected, UpdatedAt: now}
	if reviews(ctx) {
		c.State, c.ReviewedBy, c.ReviewedAt = cunjing.StateVerified, c.CollectedBy, now
	}
	return c
}

// reviews reports whether the caller verifies collected records.
func reviews(ctx context.Context) bool {
	id := cunjing.IdentityFrom(ctx)
	return id == cunjing.SystemIdentity || id != nil && id.Role.Can(cunjing.PermManageStaff)
}

// actorOf is the account name the caller acts as, "system" for the
// command line.
func actorOf(ctx context.Context) string {
	if id := cunjing.IdentityFrom(ctx); id != nil {
		return cunjing.CanonicalUsername(id.Username)
	}
	return ""
}

// collectionValues are the column values of c.
func collectionValues(c cunjing.Collection) []any {
	return []any{c.CollectedBy, timestamp(c.CollectedAt), string(c.State), c.Reason, c.ReviewedBy,
		optionalTimestamp(c.ReviewedAt), timestamp(c.UpdatedAt)}
}

// collectionScan reads collection columns into c; finish converts the
// times once the row is scanned.
type collectionScan struct {
	c                                 *cunjing.Collection
	state, collectedAt, reviewed, upd string
}

func scanCollectionInto(c *cunjing.Collection) *collectionScan { return &collectionScan{c: c} }

func (cs *collectionScan) dest() []any {
	return []any{&cs.c.CollectedBy, &cs.collectedAt, &cs.state, &cs.c.Reason, &cs.c.ReviewedBy, &cs.reviewed, &cs.upd}
}

func (cs *collectionScan) finish() error {
	cs.c.State = cunjing.CollectState(cs.state)
	var err error
	if cs.c.CollectedAt, err = parseTimestamp(cs.collectedAt); err != nil {
		return err
	}
	if cs.reviewed != "" {
		if cs.c.ReviewedAt, err = parseTimestamp(cs.reviewed); err != nil {
			return err
		}
	}
	cs.c.UpdatedAt, err = parseTimestamp(cs.upd)
	return err
}

func optionalTimestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return timestamp(t)
}

// fieldChange is one field of a record compared before and after a
// change; personal values are compared in full and kept masked.
type fieldChange struct {
	field    string
	old, new string
}

// changed returns the changes among pairs whose values differ.
func changed(pairs ...fieldChange) []fieldChange {
	var out []fieldChange
	for _, p := range pairs {
		if p.old != p.new {
			out = append(out, p)
		}
	}
	return out
}

// recordChanges keeps the field-level history of a record in the
// transaction of the change, and returns the fields named, for the audit
// row.
func (s *Store) recordChanges(ctx context.Context, tx *sql.Tx, kind cunjing.RecordKind, id int64, changes []fieldChange) (string, error) {
	if len(changes) == 0 {
		return "", nil
	}
	at, by := timestamp(s.now()), actorOf(ctx)
	args := make([]any, 0, 6*len(changes))
	names := ""
	for _, c := range changes {
		args = append(args, string(kind), id, c.field, c.old, c.new, by, at)
		names += " " + c.field
	}
	query := "INSERT INTO changes (record_kind, record_id, field, old_value, new_value, changed_by, changed_at) VALUES " +
		valueTuples(len(changes), 7)
	if _, err := tx.ExecContext(ctx, s.dialect.q(query), args...); err != nil {
		return "", fmt.Errorf("store: record changes: %w", err)
	}
	return names[1:], nil
}

// recordObject names a record in the audit trail: "resident:12".
func recordObject(kind cunjing.RecordKind, id int64) string {
	return string(kind) + ":" + strconv.FormatInt(id, 10)
}

// sealed is a personal field as stored: encrypted, its blind index for
// exact search, and its masked form for lists.
type sealed struct {
	value  []byte
	blind  []byte
	masked string
}

// seal encrypts a personal value of the named field ("id_number",
// "phone"); an empty value stays empty (NULL).
func (s *Store) seal(field, plain string, mask func(string) string) (sealed, error) {
	if plain == "" {
		return sealed{}, nil
	}
	if s.cipher == nil {
		return sealed{}, errNoCipher
	}
	value, err := s.cipher.Seal(field, plain)
	if err != nil {
		return sealed{}, fmt.Errorf("store: seal %s: %w", field, err)
	}
	return sealed{value: value, blind: s.cipher.Blind(field, plain), masked: mask(plain)}, nil
}

// blind returns the blind index of a value to look it up.
func (s *Store) blind(field, plain string) ([]byte, error) {
	if s.cipher == nil {
		return nil, errNoCipher
	}
	return s.cipher.Blind(field, plain), nil
}

// open decrypts a sealed personal value; NULL is "".
func (s *Store) open(field string, value []byte) (string, error) {
	if len(value) == 0 {
		return "", nil
	}
	if s.cipher == nil {
		return "", errNoCipher
	}
	return s.cipher.Open(field, value)
}

// errNoCipher fails writes and reads of sealed fields on a store opened
// without the data key.
var errNoCipher = fmt.Errorf("store: no data key: personal fields can be neither sealed nor read")

// nullBytes is NULL for an empty value, for nullable BYTEA columns.
func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

// byIDInScope reads the one row with the given id of "SELECT … FROM …"
// whose table, by its alias, has an area_code in scope: alias "r" for
// "r.id" and "r.area_code". Any other row is not found, named by what
// ("resident 12 not found"), exactly as a missing id.
func byIDInScope[T any](ctx context.Context, alias, selectFrom string, id int64, what string,
	read func(query string, args ...any) ([]T, error)) (*T, error) {
	visible, args, err := inScope(ctx, alias+".area_code")
	if err != nil {
		return nil, err
	}
	query := selectFrom + " WHERE " + alias + ".id = ?"
	if visible != "" {
		query += " AND " + visible
	}
	found, err := read(query, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "%s %d not found", what, id)
	}
	return &found[0], nil
}
