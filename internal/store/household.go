package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"cunjing"
)

// Household returns a household in scope with its members, masked, the
// head first.
func (s *Store) Household(ctx context.Context, id int64) (*cunjing.Household, error) {
	h, err := s.householdInScope(ctx, s.read, id)
	if err != nil {
		return nil, err
	}
	visible, args, err := inScope(ctx, "r.area_code")
	if err != nil {
		return nil, err
	}
	query := "SELECT " + residentColumns + residentFrom + " WHERE r.household_id = ?"
	if visible != "" {
		query += " AND " + visible
	}
	members, err := s.queryResidents(ctx, s.read, false, query+" ORDER BY CASE WHEN r.relation = 'head' THEN 0 ELSE 1 END, r.id",
		append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	h.Members = members
	return h, nil
}

// householdInScope reads a household (without members) whose area is in
// scope; any other is not found.
func (s *Store) householdInScope(ctx context.Context, db querier, id int64) (*cunjing.Household, error) {
	return byIDInScope(ctx, "h", "SELECT h.id, h.area_code, COALESCE(h.address_id, 0), h.number FROM households h", id, "household",
		func(query string, args ...any) ([]cunjing.Household, error) {
			rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
			if err != nil {
				return nil, fmt.Errorf("store: read household: %w", err)
			}
			defer rows.Close()
			var found []cunjing.Household
			for rows.Next() {
				var h cunjing.Household
				if err := rows.Scan(&h.ID, &h.AreaCode, &h.AddressID, &h.Number); err != nil {
					return nil, fmt.Errorf("store: read household: %w", err)
				}
				found = append(found, h)
			}
			return found, rows.Err()
		})
}

// CreateHousehold adds a household to a village, community or grid in
// scope, at an address of the same village when one is given, with its
// members, in one transaction, each audited: a member refused (his item
// named) leaves nothing written.
func (s *Store) CreateHousehold(ctx context.Context, h *cunjing.Household) error {
	if err := checkHousehold(h); err != nil {
		return err
	}
	if err := checkAreaInScope(ctx, h.AreaCode); err != nil {
		return areaNotFound(h.AreaCode)
	}
	now := s.now()
	seen := map[string]int{}
	for i := range h.Members {
		m := &h.Members[i]
		m.AreaCode, m.AddressID = h.AreaCode, h.AddressID
		if err := m.Validate(cunjing.DateOf(now)); err != nil {
			return &cunjing.ItemError{Index: i, Err: err}
		}
		if first, twice := seen[m.IDNumber]; twice {
			return &cunjing.ItemError{Index: i, Err: &cunjing.Error{Code: cunjing.EInvalid,
				Message: fmt.Sprintf("member %d has the same ID number", first+1),
				Fields:  map[string]string{"id_number": fmt.Sprintf("the same as member %d", first+1)}}}
		}
		seen[m.IDNumber] = i
	}
	var member *cunjing.Resident
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := s.insertHousehold(ctx, tx, h); err != nil {
			return err
		}
		c := newCollection(ctx, now)
		for i := range h.Members {
			member = &h.Members[i]
			member.HouseholdID = h.ID
			if err := s.insertResident(ctx, tx, member, c); err != nil {
				return &cunjing.ItemError{Index: i, Err: err}
			}
		}
		return nil
	})
	if err != nil {
		h.ID = 0
		if member != nil {
			return s.reportClaim(ctx, member, err)
		}
	}
	return err
}

// insertHousehold adds the household row in tx, audited.
func (s *Store) insertHousehold(ctx context.Context, tx *sql.Tx, h *cunjing.Household) error {
	if h.AddressID != 0 {
		a, err := s.addressInScope(ctx, tx, h.AddressID)
		if err != nil {
			return withField(err, "address_id", "unknown address")
		}
		if !sameVillage(a.AreaCode, h.AreaCode) {
			return notInVillage("address_id", "the address")
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO households (area_code, address_id, number, created_by, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`), h.AreaCode, nullID(h.AddressID), h.Number, actorOf(ctx), timestamp(s.now())).Scan(&id)
	if isForeignKeyViolation(err) {
		return areaNotFound(h.AreaCode)
	}
	if err != nil {
		return fmt.Errorf("store: insert household: %w", err)
	}
	h.ID = id
	return s.auditTx(ctx, tx, cunjing.ActionRecordCreate, recordObject(cunjing.RecordHousehold, id), cunjing.ResultOK, h.AreaCode)
}

// checkHousehold trims the household number and checks the fields a
// household has on its own.
func checkHousehold(h *cunjing.Household) error {
	fields := map[string]string{}
	h.Number = strings.TrimSpace(h.Number)
	if utf8.RuneCountInString(h.Number) > 30 || strings.ContainsFunc(h.Number, printsNothing) {
		fields["number"] = "must be at most 30 printable characters"
	}
	if level, err := cunjing.LevelOfCode(h.AreaCode); err != nil || (level != cunjing.LevelVillage && level != cunjing.LevelGrid) {
		fields["area_code"] = "must be the code of a village, community or grid"
	}
	if len(fields) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the household is not valid", Fields: fields}
	}
	return nil
}

// printsNothing reports a character that prints nothing: a control or format
// character, or a broken byte.
func printsNothing(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
}

// printsNothingInText is printsNothing for free texts, where line breaks
// and tabs are allowed.
func printsNothingInText(r rune) bool {
	return printsNothing(r) && r != '\n' && r != '\r' && r != '\t'
}
