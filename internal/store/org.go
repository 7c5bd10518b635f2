package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"cunjing"
)

var _ cunjing.OrgService = (*Store)(nil)

// orgColumns are read by queryOrgs: the phone masked, then the sealed
// phone, which only the detail read opens.
var orgColumns = `o.id, o.area_code, COALESCE(o.address_id, 0), COALESCE(a.text, ''), o.name, o.credit_code, o.type,
	o.legal_rep, o.security_contact, o.phone_masked, o.staff_count, o.note, ` + collectionOf("o") + `, o.phone_sealed`

const orgFrom = " FROM orgs o LEFT JOIN addresses a ON a.id = o.address_id"

// orgRow is an org as read, with its phone still sealed.
type orgRow struct {
	cunjing.Org
	phone []byte
}

// FindOrgs lists the orgs in scope that match f, by ID, phones masked.
func (s *Store) FindOrgs(ctx context.Context, f cunjing.OrgFilter) ([]cunjing.Org, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(inScope(ctx, "o.area_code")); err != nil {
		return nil, "", err
	}
	if err := addUnder(&l, "o.area_code", f.Under); err != nil {
		return nil, "", err
	}
	if err := addState(&l, "o.state", f.State); err != nil {
		return nil, "", err
	}
	if f.Type != "" {
		l.add("o.type = ?", string(f.Type))
	}
	if f.AddressID != 0 {
		l.add("o.address_id = ?", f.AddressID)
	}
	if f.Special {
		l.add("o.special = ?", true)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		l.add(`(o.name LIKE ? ESCAPE '\' OR o.credit_code = ?)`, likeContains(q), strings.ToUpper(q))
	}
	query, err := l.sqlByID("o.id", "SELECT "+orgColumns+orgFrom, page, false)
	if err != nil {
		return nil, "", err
	}
	rows, err := s.queryOrgs(ctx, s.read, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	orgs := make([]cunjing.Org, len(rows))
	for i := range rows {
		orgs[i] = rows[i].Org
	}
	orgs, next := cutByID(orgs, page.Limit, func(o cunjing.Org) int64 { return o.ID })
	return orgs, next, nil
}

// Org returns an org in scope. For a role that reads personal data the
// phone is in full and its read recorded (no record is shown without its
// audit row); the others get it masked.
func (s *Store) Org(ctx context.Context, id int64) (*cunjing.Org, error) {
	row, err := s.orgInScope(ctx, s.read, id)
	if err != nil || !readsPersonal(ctx) || len(row.phone) == 0 {
		return orgOf(row), err
	}
	if row.ContactPhone, err = s.open("phone", row.phone); err != nil {
		return nil, err
	}
	if err := s.Audit(ctx, cunjing.ActionReadPersonal, recordObject(cunjing.RecordOrg, id), cunjing.ResultOK, "contact_phone"); err != nil {
		return nil, err
	}
	return &row.Org, nil
}

func orgOf(row *orgRow) *cunjing.Org {
	if row == nil {
		return nil
	}
	return &row.Org
}

// orgInScope reads an org whose area is in scope; any other is not found.
func (s *Store) orgInScope(ctx context.Context, db querier, id int64) (*orgRow, error) {
	return byIDInScope(ctx, "o", "SELECT "+orgColumns+orgFrom, id, "org", func(query string, args ...any) ([]orgRow, error) {
		return s.queryOrgs(ctx, db, query, args...)
	})
}

// CreateOrg adds an org to an area in scope, audited. An org placed at an
// address lies in the address's area. A credit code already registered is
// a conflict naming the org when the caller may see it.
func (s *Store) CreateOrg(ctx context.Context, o *cunjing.Org) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := s.placeOrg(ctx, tx, o); err != nil {
			return err
		}
		if err := s.checkCreditCodeFree(ctx, tx, o.CreditCode, 0); err != nil {
			return err
		}
		phone, err := s.seal("phone", o.ContactPhone, cunjing.MaskPhone)
		if err != nil {
			return err
		}
		c := newCollection(ctx, s.now())
		args := append([]any{o.AreaCode, nullID(o.AddressID), o.Name, o.CreditCode, string(o.Type), o.Type.Special(), o.LegalRep,
			o.SecurityContact, nullBytes(phone.value), phone.masked, o.StaffCount, o.Note}, collectionValues(c)...)
		err = tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO orgs (area_code, address_id, name, credit_code, type, special, legal_rep,
			security_contact, phone_sealed, phone_masked, staff_count, note, `+collectionColumns+`) VALUES (`+marks(len(args))+`)
			RETURNING id`), args...).Scan(&o.ID)
		if err != nil {
			return orgWriteError(err, o)
		}
		o.Collection = c
		return s.auditTx(ctx, tx, cunjing.ActionRecordCreate, recordObject(cunjing.RecordOrg, o.ID), cunjing.ResultOK,
			string(o.Type)+" "+o.AreaCode)
	})
}

// placeOrg takes the area of an org placed at an address from the address
// (in scope), validates the org, and checks that its area is in scope.
func (s *Store) placeOrg(ctx context.Context, tx *sql.Tx, o *cunjing.Org) error {
	o.AddressText = ""
	if o.AddressID != 0 {
		var err error
		if o.AreaCode, o.AddressText, err = s.addressOfRecord(ctx, tx, o.AddressID); err != nil {
			return err
		}
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if err := checkAreaInScope(ctx, o.AreaCode); err != nil {
		return areaNotFound(o.AreaCode)
	}
	return nil
}

// checkCreditCodeFree refuses a credit code another org (than self)
// already has. The message names that org only when it lies in scope;
// otherwise it says no more than that the code is registered.
func (s *Store) checkCreditCodeFree(ctx context.Context, tx *sql.Tx, code string, self int64) error {
	if code == "" {
		return nil
	}
	var id int64
	var name, area string
	err := tx.QueryRowContext(ctx, s.dialect.q("SELECT id, name, area_code FROM orgs WHERE credit_code = ? AND id <> ?"), code, self).
		Scan(&id, &name, &area)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("store: check credit code: %w", err)
	}
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	if !scope.Covers(area) {
		return creditCodeTaken()
	}
	return &cunjing.Error{Code: cunjing.EConflict, Message: fmt.Sprintf("the credit code %s is already registered to %s (org %d)", code, name, id),
		Fields: map[string]string{"credit_code": "already registered to org " + strconv.FormatInt(id, 10)}}
}

// creditCodeTaken is the conflict of a credit code registered to an org
// the caller may not see.
func creditCodeTaken() error {
	return &cunjing.Error{Code: cunjing.EConflict, Message: "the credit code is already registered",
		Fields: map[string]string{"credit_code": "already registered"}}
}

// orgWriteError turns constraint violations into messages a user can act on.
func orgWriteError(err error, o *cunjing.Org) error {
	switch {
	case isForeignKeyViolation(err):
		return areaNotFound(o.AreaCode)
	case isUniqueViolation(err):
		return creditCodeTaken()
	}
	return fmt.Errorf("store: write org: %w", err)
}

// UpdateOrg changes an org in scope: each changed field is kept in the
// history (the phone masked), and a change by anyone but a reviewer sends
// it back to review.
func (s *Store) UpdateOrg(ctx context.Context, o cunjing.Org) error {
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		old, err := s.orgInScope(ctx, tx, o.ID)
		if err != nil {
			return err
		}
		if old.ContactPhone, err = s.open("phone", old.phone); err != nil {
			return err
		}
		if err := s.placeOrg(ctx, tx, &o); err != nil {
			return err
		}
		if o.CreditCode != old.CreditCode {
			if err := s.checkCreditCodeFree(ctx, tx, o.CreditCode, o.ID); err != nil {
				return err
			}
		}
		changes := orgChanges(&old.Org, &o)
		if len(changes) == 0 {
			return nil
		}
		state, stateChange := stateAfterChange(ctx, old.Collection.State)
		if err := s.writeOrg(ctx, tx, &o, state); err != nil {
			return err
		}
		names, err := s.recordChanges(ctx, tx, cunjing.RecordOrg, o.ID, append(changes, stateChange...))
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordOrg, o.ID), cunjing.ResultOK, names)
	})
}

// writeOrg writes the fields of o over its row, in the given review state.
func (s *Store) writeOrg(ctx context.Context, tx *sql.Tx, o *cunjing.Org, state cunjing.CollectState) error {
	phone, err := s.seal("phone", o.ContactPhone, cunjing.MaskPhone)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, s.dialect.q(`UPDATE orgs SET area_code = ?, address_id = ?, name = ?, credit_code = ?, type = ?,
		special = ?, legal_rep = ?, security_contact = ?, phone_sealed = ?, phone_masked = ?, staff_count = ?, note = ?, state = ?,
		updated_at = ? WHERE id = ?`), o.AreaCode, nullID(o.AddressID), o.Name, o.CreditCode, string(o.Type), o.Type.Special(),
		o.LegalRep, o.SecurityContact, nullBytes(phone.value), phone.masked, o.StaffCount, o.Note, string(state), timestamp(s.now()), o.ID)
	if err != nil {
		return orgWriteError(err, o)
	}
	return nil
}

// orgChanges compares an org before and after a change; the phone is
// compared in full and kept masked.
func orgChanges(old, o *cunjing.Org) []fieldChange {
	changes := changed(
		fieldChange{"name", old.Name, o.Name},
		fieldChange{"credit_code", old.CreditCode, o.CreditCode},
		fieldChange{"type", string(old.Type), string(o.Type)},
		fieldChange{"area_code", old.AreaCode, o.AreaCode},
		fieldChange{"address", old.AddressText, o.AddressText},
		fieldChange{"legal_rep", old.LegalRep, o.LegalRep},
		fieldChange{"security_contact", old.SecurityContact, o.SecurityContact},
		fieldChange{"staff_count", strconv.Itoa(old.StaffCount), strconv.Itoa(o.StaffCount)},
		fieldChange{"note", old.Note, o.Note},
	)
	if old.ContactPhone != o.ContactPhone {
		changes = append(changes, fieldChange{"contact_phone", cunjing.MaskPhone(old.ContactPhone), cunjing.MaskPhone(o.ContactPhone)})
	}
	return changes
}

func (s *Store) queryOrgs(ctx context.Context, db querier, query string, args ...any) ([]orgRow, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query orgs: %w", err)
	}
	defer rows.Close()
	var orgs []orgRow
	for rows.Next() {
		var o orgRow
		var typ string
		cs := scanCollectionInto(&o.Collection)
		dest := append([]any{&o.ID, &o.AreaCode, &o.AddressID, &o.AddressText, &o.Name, &o.CreditCode, &typ, &o.LegalRep,
			&o.SecurityContact, &o.ContactPhone, &o.StaffCount, &o.Note}, cs.dest()...)
		if err := rows.Scan(append(dest, &o.phone)...); err != nil {
			return nil, fmt.Errorf("store: scan org: %w", err)
		}
		if err := cs.finish(); err != nil {
			return nil, fmt.Errorf("store: scan org: %w", err)
		}
		o.Type = cunjing.OrgType(typ)
		orgs = append(orgs, o)
	}
	return orgs, rows.Err()
}

// Inspections lists the inspections of an org in scope, newest first.
func (s *Store) Inspections(ctx context.Context, orgID int64) ([]cunjing.OrgInspection, error) {
	if _, err := s.orgInScope(ctx, s.read, orgID); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, s.dialect.q(`SELECT id, org_id, day, inspector, passed, findings FROM org_inspections
		WHERE org_id = ? ORDER BY day DESC, id DESC`), orgID)
	if err != nil {
		return nil, fmt.Errorf("store: query inspections: %w", err)
	}
	defer rows.Close()
	var found []cunjing.OrgInspection
	for rows.Next() {
		var in cunjing.OrgInspection
		var day string
		if err := rows.Scan(&in.ID, &in.OrgID, &day, &in.Inspector, &in.Passed, &in.Findings); err != nil {
			return nil, fmt.Errorf("store: scan inspection: %w", err)
		}
		if in.Date, err = cunjing.ParseDate(day); err != nil {
			return nil, fmt.Errorf("store: scan inspection: %w", err)
		}
		found = append(found, in)
	}
	return found, rows.Err()
}

// AddInspection records an inspection of an org in scope by the caller,
// audited.
func (s *Store) AddInspection(ctx context.Context, in *cunjing.OrgInspection) error {
	in.Inspector = actorOf(ctx)
	if err := in.Validate(cunjing.DateOf(s.now())); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.orgInScope(ctx, tx, in.OrgID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO org_inspections (org_id, day, inspector, passed, findings, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), in.OrgID, in.Date.String(), in.Inspector, in.Passed, in.Findings,
			timestamp(s.now())).Scan(&in.ID); err != nil {
			return fmt.Errorf("store: insert inspection: %w", err)
		}
		result := "passed"
		if !in.Passed {
			result = "failed"
		}
		return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordOrg, in.OrgID), cunjing.ResultOK,
			fmt.Sprintf("inspection %d on %s: %s", in.ID, in.Date, result))
	})
}
