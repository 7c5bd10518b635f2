package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cunjing"
)

var _ cunjing.ResidentService = (*Store)(nil)

// residentColumns are the columns of a resident as lists show him: the
// masked forms of his personal fields, never the sealed ones.
var residentColumns = `r.id, r.area_code, COALESCE(r.address_id, 0), COALESCE(a.text, ''), COALESCE(r.household_id, 0), r.relation,
	r.doc_kind, r.id_masked, r.name, r.sex, r.birth_date, r.native_place, r.phone_masked, r.category, r.left_behind,
	r.status, r.note, ` + collectionOf("r")

// residentSealedColumns follow residentColumns on the detail read of
// someone who may see personal data.
const residentSealedColumns = ", r.id_sealed, r.phone_sealed"

const residentFrom = " FROM residents r LEFT JOIN addresses a ON a.id = r.address_id"

// FindResidents lists the residents in scope that match f, by ID, masked.
func (s *Store) FindResidents(ctx context.Context, f cunjing.ResidentFilter) ([]cunjing.Resident, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(inScope(ctx, "r.area_code")); err != nil {
		return nil, "", err
	}
	if err := addUnder(&l, "r.area_code", f.Under); err != nil {
		return nil, "", err
	}
	if f.AddressID != 0 {
		l.add("r.address_id = ?", f.AddressID)
	}
	if f.HouseholdID != 0 {
		l.add("r.household_id = ?", f.HouseholdID)
	}
	for _, c := range []struct{ column, value string }{{"r.category", string(f.Category)},
		{"r.left_behind", string(f.LeftBehind)}, {"r.status", string(f.Status)}} {
		if c.value != "" {
			l.add(c.column+" = ?", c.value)
		}
	}
	if err := addState(&l, "r.state", f.State); err != nil {
		return nil, "", err
	}
	query, err := l.sqlByID("r.id", "SELECT "+residentColumns+residentFrom, page, false)
	if err != nil {
		return nil, "", err
	}
	found, err := s.queryResidents(ctx, s.read, false, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	found, next := cutByID(found, page.Limit, func(r cunjing.Resident) int64 { return r.ID })
	return found, next, nil
}

// Resident returns a resident in scope: with his ID number and phone in
// full for a role that reads personal data, the read recorded in the same
// transaction; masked and unrecorded for the others.
func (s *Store) Resident(ctx context.Context, id int64) (*cunjing.Resident, error) {
	if !readsPersonal(ctx) {
		return s.residentInScope(ctx, s.read, id, false)
	}
	var r *cunjing.Resident
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = s.residentInScope(ctx, tx, id, true); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionReadPersonal, recordObject(cunjing.RecordResident, id), cunjing.ResultOK, "")
	})
	return r, err
}

// residentInScope reads a resident whose area is in scope, his personal
// fields opened when unmasked is set; any other is not found.
func (s *Store) residentInScope(ctx context.Context, db querier, id int64, unmasked bool) (*cunjing.Resident, error) {
	columns := residentColumns
	if unmasked {
		columns += residentSealedColumns
	}
	return byIDInScope(ctx, "r", "SELECT "+columns+residentFrom, id, "resident", func(query string, args ...any) ([]cunjing.Resident, error) {
		return s.queryResidents(ctx, db, unmasked, query, args...)
	})
}

// CreateResident registers a person in an area in scope, at an address and
// in a household of the same village, audited. An ID number registered in
// scope already is a conflict naming the record; one registered outside the
// scope is reported to both sides (a conflicts row, committed) and refused.
func (s *Store) CreateResident(ctx context.Context, r *cunjing.Resident) error {
	now := s.now()
	if err := r.Validate(cunjing.DateOf(now)); err != nil {
		return err
	}
	if err := checkAreaInScope(ctx, r.AreaCode); err != nil {
		return areaNotFound(r.AreaCode)
	}
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		return s.insertResident(ctx, tx, r, newCollection(ctx, now))
	})
	return s.reportClaim(ctx, r, err)
}

// claimRefused is the refusal of a person registered elsewhere: the
// transaction that met it is rolled back, then reportClaim records the
// conflict on its own, so that both sides hear of it.
type claimRefused struct {
	blind   []byte
	refused error
}

func (c *claimRefused) Error() string { return c.refused.Error() }

// reportClaim records the conflict behind a claimRefused of r and returns
// the refusal a user sees (err itself for any other error).
func (s *Store) reportClaim(ctx context.Context, r *cunjing.Resident, err error) error {
	var claim *claimRefused
	if !errors.As(err, &claim) {
		return err
	}
	refused := claim.refused
	reportErr := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		reported, err := s.claimPerson(ctx, tx, claim.blind, r.AreaCode, 0)
		if reported != nil {
			refused = reported
		}
		return err
	})
	if reportErr != nil {
		return reportErr
	}
	var item *cunjing.ItemError
	if errors.As(err, &item) {
		return &cunjing.ItemError{Index: item.Index, Err: refused}
	}
	return refused
}

// insertResident adds a validated resident in tx, audited; a person
// already registered is refused (a claimRefused when he is registered
// outside scope).
func (s *Store) insertResident(ctx context.Context, tx *sql.Tx, r *cunjing.Resident, c cunjing.Collection) error {
	if err := s.checkResidentPlace(ctx, tx, r, true); err != nil {
		return err
	}
	blind, err := s.blind("id_number", r.IDNumber)
	if err != nil {
		return err
	}
	holders, err := s.queryHolders(ctx, tx, blind, 0)
	if err != nil {
		return err
	}
	if len(holders) > 0 {
		return s.refuseHolder(ctx, holders[0], blind)
	}
	row, err := s.newResidentRow(r, c, 0)
	if err != nil {
		return err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, s.dialect.q("INSERT INTO residents ("+residentInsertColumns+") VALUES ("+
		marks(residentInsertWidth)+") RETURNING id"), row.values...).Scan(&id); err != nil {
		return residentWriteError(err, r)
	}
	if err := s.insertAltKeys(ctx, tx, id, r.AreaCode, row.alt); err != nil {
		return err
	}
	r.ID, r.Collection = id, c
	return s.auditTx(ctx, tx, cunjing.ActionRecordCreate, recordObject(cunjing.RecordResident, id), cunjing.ResultOK, r.AreaCode)
}

// refuseHolder is the refusal of an ID number held by resident h: naming
// the record when it is in scope, a claimRefused otherwise.
func (s *Store) refuseHolder(ctx context.Context, h idHolder, blind []byte) error {
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	if scope.Covers(h.area) {
		return alreadyRegistered(h.id)
	}
	return &claimRefused{blind: blind, refused: elsewhere(0)}
}

// residentWriteError turns constraint violations into messages a user can
// act on.
func residentWriteError(err error, r *cunjing.Resident) error {
	switch {
	case isUniqueViolation(err):
		return &cunjing.Error{Code: cunjing.EConflict, Message: "this person is already registered",
			Fields: map[string]string{"id_number": "already registered"}}
	case isForeignKeyViolation(err):
		return areaNotFound(r.AreaCode)
	}
	return fmt.Errorf("store: write resident: %w", err)
}

// checkResidentPlace checks that the household and address of a resident
// are in scope (else not found) and in his village (else invalid), and
// fills in the address text. When fill is set, a resident placed in a
// household but at no address lives at the household's.
func (s *Store) checkResidentPlace(ctx context.Context, tx *sql.Tx, r *cunjing.Resident, fill bool) error {
	if r.HouseholdID != 0 {
		h, err := s.householdInScope(ctx, tx, r.HouseholdID)
		if err != nil {
			return withField(err, "household_id", "unknown household")
		}
		if !sameVillage(h.AreaCode, r.AreaCode) {
			return notInVillage("household_id", "the household")
		}
		if fill && r.AddressID == 0 {
			r.AddressID = h.AddressID
		}
	}
	r.AddressText = ""
	if r.AddressID == 0 {
		return nil
	}
	a, err := s.addressInScope(ctx, tx, r.AddressID)
	if err != nil {
		return withField(err, "address_id", "unknown address")
	}
	if !sameVillage(a.AreaCode, r.AreaCode) {
		return notInVillage("address_id", "the address")
	}
	r.AddressText = a.Text
	return nil
}

// withField names the field of a not-found error.
func withField(err error, field, why string) error {
	if cunjing.ErrorCode(err) != cunjing.ENotFound {
		return err
	}
	return &cunjing.Error{Code: cunjing.ENotFound, Message: cunjing.ErrorMessage(err), Fields: map[string]string{field: why}}
}

func notInVillage(field, what string) error {
	return &cunjing.Error{Code: cunjing.EInvalid, Message: what + " lies in another village",
		Fields: map[string]string{field: "lies in another village"}}
}

// sameVillage reports whether two area codes are the same village (or
// community): a grid belongs to its community.
func sameVillage(a, b string) bool {
	baseA, _, _ := strings.Cut(a, "-")
	baseB, _, _ := strings.Cut(b, "-")
	return baseA == baseB
}

// claimPerson looks up the ID number's blind index among the residents
// other than self. A person registered in scope is refused naming the
// record; one registered outside it is reported as a conflict to both
// sides, in tx, and refused. refused is nil when nobody has the number.
func (s *Store) claimPerson(ctx context.Context, tx *sql.Tx, blind []byte, claimedIn string, self int64) (refused, err error) {
	rows, err := s.queryHolders(ctx, tx, blind, self)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	held := rows[0]
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if scope.Covers(held.area) {
		return alreadyRegistered(held.id), nil
	}
	conflict, err := s.reportConflict(ctx, tx, held.id, held.area, claimedIn)
	if err != nil {
		return nil, err
	}
	return elsewhere(conflict), nil
}

// alreadyRegistered refuses an ID number registered in scope, naming the
// record.
func alreadyRegistered(id int64) error {
	return &cunjing.Error{Code: cunjing.EConflict, Message: fmt.Sprintf("this person is already registered as resident %d", id),
		Fields: map[string]string{"id_number": fmt.Sprintf("already registered as resident %d", id)}}
}

// elsewhere refuses an ID number registered outside scope, naming the
// conflict reported (0 before it is recorded).
func elsewhere(conflict int64) error {
	return &cunjing.Error{Code: cunjing.EConflict,
		Message: fmt.Sprintf("this person is registered in another jurisdiction; both sides were notified (conflict %d)", conflict),
		Fields:  map[string]string{"id_number": "registered in another jurisdiction"}}
}

// idHolder is the resident who holds an ID number, and his area.
type idHolder struct {
	id   int64
	area string
}

func (s *Store) queryHolders(ctx context.Context, tx *sql.Tx, blind []byte, self int64) ([]idHolder, error) {
	rows, err := tx.QueryContext(ctx, s.dialect.q("SELECT id, area_code FROM residents WHERE id_blind = ? AND id <> ?"), blind, self)
	if err != nil {
		return nil, fmt.Errorf("store: look up ID number: %w", err)
	}
	defer rows.Close()
	var found []idHolder
	for rows.Next() {
		var h idHolder
		if err := rows.Scan(&h.id, &h.area); err != nil {
			return nil, fmt.Errorf("store: look up ID number: %w", err)
		}
		found = append(found, h)
	}
	return found, rows.Err()
}

// insertAltKeys keeps the further pinyin keys of a resident's name.
func (s *Store) insertAltKeys(ctx context.Context, tx *sql.Tx, id int64, area string, keys []string) error {
	keys = slices.Compact(slices.Sorted(slices.Values(keys)))
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, 0, 3*len(keys))
	for _, k := range keys {
		args = append(args, k, area, id)
	}
	if _, err := tx.ExecContext(ctx, s.dialect.q("INSERT INTO name_alt_keys (name_key, area_code, resident_id) VALUES "+
		valueTuples(len(keys), 3)), args...); err != nil {
		return fmt.Errorf("store: insert name keys: %w", err)
	}
	return nil
}

// residentUpdateSet is the SET list of an update: the columns of
// newResidentRow up to the note (the import job and the collection stay),
// then the review state and the time of the change.
var residentUpdateSet, residentUpdateWidth = func() (string, int) {
	cols := strings.Split(residentInsertColumns, ",")
	var set []string
	for _, c := range cols {
		c = strings.TrimSpace(c)
		if c == "import_job" {
			break
		}
		set = append(set, c+" = ?")
	}
	return strings.Join(append(set, "state = ?", "updated_at = ?"), ", "), len(set)
}()

// UpdateResident changes a resident in scope: each changed field is kept
// in the history (ID number and phone masked) and the change audited. He
// moves only to areas in scope, at an address and in a household of his
// new village. A change by someone who does not review sends a verified
// record back to the station.
func (s *Store) UpdateResident(ctx context.Context, r cunjing.Resident) error {
	now := s.now()
	if err := r.Validate(cunjing.DateOf(now)); err != nil {
		return err
	}
	blind, err := s.blind("id_number", r.IDNumber)
	if err != nil {
		return err
	}
	var refused error
	err = s.inWriteTx(ctx, func(tx *sql.Tx) error {
		old, err := s.residentInScope(ctx, tx, r.ID, true)
		if err != nil {
			return err
		}
		if r.AreaCode != old.AreaCode {
			if err := checkAreaInScope(ctx, r.AreaCode); err != nil {
				return areaNotFound(r.AreaCode)
			}
		}
		if err := s.checkResidentPlace(ctx, tx, &r, false); err != nil {
			return err
		}
		if r.IDNumber != old.IDNumber {
			if refused, err = s.claimPerson(ctx, tx, blind, r.AreaCode, r.ID); err != nil || refused != nil {
				return err
			}
		}
		return s.updateResidentTx(ctx, tx, old, &r)
	})
	if err != nil {
		return err
	}
	return refused
}

// updateResidentTx writes r over old in tx with its history and audit row;
// nothing is written when nothing changed.
func (s *Store) updateResidentTx(ctx context.Context, tx *sql.Tx, old, r *cunjing.Resident) error {
	changes := append(residentChanges(old, r),
		personalChange("id_number", old.IDNumber, r.IDNumber, cunjing.MaskIDNumber),
		personalChange("phone", old.Phone, r.Phone, cunjing.MaskPhone))
	changes = slices.DeleteFunc(changes, func(c fieldChange) bool { return c.field == "" })
	if len(changes) == 0 {
		return nil
	}
	state, stateChange := stateAfterChange(ctx, old.Collection.State)
	row, err := s.newResidentRow(r, old.Collection, 0)
	if err != nil {
		return err
	}
	args := append(slices.Clone(row.values[:residentUpdateWidth]), string(state), timestamp(s.now()), r.ID)
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE residents SET "+residentUpdateSet+" WHERE id = ?"), args...); err != nil {
		return residentWriteError(err, r)
	}
	if _, err := tx.ExecContext(ctx, s.dialect.q("DELETE FROM name_alt_keys WHERE resident_id = ?"), r.ID); err != nil {
		return fmt.Errorf("store: replace name keys: %w", err)
	}
	if err := s.insertAltKeys(ctx, tx, r.ID, r.AreaCode, row.alt); err != nil {
		return err
	}
	names, err := s.recordChanges(ctx, tx, cunjing.RecordResident, r.ID, append(changes, stateChange...))
	if err != nil {
		return err
	}
	return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordResident, r.ID), cunjing.ResultOK, names)
}

// residentChanges are the changes of the fields that are not personal data.
func residentChanges(old, r *cunjing.Resident) []fieldChange {
	return changed(
		fieldChange{"area_code", old.AreaCode, r.AreaCode}, fieldChange{"address", old.AddressText, r.AddressText},
		fieldChange{"household_id", idText(old.HouseholdID), idText(r.HouseholdID)},
		fieldChange{"relation", string(old.Relation), string(r.Relation)}, fieldChange{"doc_kind", string(old.DocKind), string(r.DocKind)},
		fieldChange{"name", old.Name, r.Name}, fieldChange{"sex", old.Sex, r.Sex},
		fieldChange{"birth_date", old.BirthDate.String(), r.BirthDate.String()},
		fieldChange{"native_place", old.NativePlace, r.NativePlace}, fieldChange{"category", string(old.Category), string(r.Category)},
		fieldChange{"left_behind", string(old.LeftBehind), string(r.LeftBehind)},
		fieldChange{"status", string(old.Status), string(r.Status)}, fieldChange{"note", old.Note, r.Note})
}

// personalChange compares a personal value in full and keeps it masked;
// the zero fieldChange when it did not change.
func personalChange(field, old, new string, mask func(string) string) fieldChange {
	if old == new {
		return fieldChange{}
	}
	return fieldChange{field, maskOrEmpty(old, mask), maskOrEmpty(new, mask)}
}

func maskOrEmpty(v string, mask func(string) string) string {
	if v == "" {
		return ""
	}
	return mask(v)
}

// idText is a reference as the history shows it, "" for none.
func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// queryResidents reads residents; with unmasked, the rows carry the sealed
// ID number and phone, which are opened.
func (s *Store) queryResidents(ctx context.Context, db querier, unmasked bool, query string, args ...any) ([]cunjing.Resident, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query residents: %w", err)
	}
	defer rows.Close()
	var found []cunjing.Resident
	for rows.Next() {
		r, err := s.scanResident(rows, unmasked)
		if err != nil {
			return nil, err
		}
		found = append(found, r)
	}
	return found, rows.Err()
}

func (s *Store) scanResident(rows *sql.Rows, unmasked bool) (cunjing.Resident, error) {
	var r cunjing.Resident
	var relation, doc, birth, category, leftBehind, status string
	var idSealed, phoneSealed []byte
	cs := scanCollectionInto(&r.Collection)
	dest := append([]any{&r.ID, &r.AreaCode, &r.AddressID, &r.AddressText, &r.HouseholdID, &relation, &doc, &r.IDNumber, &r.Name,
		&r.Sex, &birth, &r.NativePlace, &r.Phone, &category, &leftBehind, &status, &r.Note}, cs.dest()...)
	if unmasked {
		dest = append(dest, &idSealed, &phoneSealed)
	}
	if err := rows.Scan(dest...); err != nil {
		return r, fmt.Errorf("store: scan resident: %w", err)
	}
	if err := cs.finish(); err != nil {
		return r, fmt.Errorf("store: scan resident: %w", err)
	}
	r.Relation, r.DocKind, r.Category = cunjing.Relation(relation), cunjing.DocKind(doc), cunjing.ResidentCategory(category)
	r.LeftBehind, r.Status = cunjing.LeftBehind(leftBehind), cunjing.ResidentStatus(status)
	var err error
	if r.BirthDate, err = cunjing.ParseDate(birth); err != nil {
		return r, fmt.Errorf("store: scan resident: %w", err)
	}
	if !unmasked {
		return r, nil
	}
	if r.IDNumber, err = s.open("id_number", idSealed); err != nil {
		return r, fmt.Errorf("store: open ID number: %w", err)
	}
	if r.Phone, err = s.open("phone", phoneSealed); err != nil {
		return r, fmt.Errorf("store: open phone: %w", err)
	}
	return r, nil
}
