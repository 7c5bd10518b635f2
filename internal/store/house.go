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

var _ cunjing.HouseService = (*Store)(nil)

// houseColumns are read by scanHouses; the owner's name is the resident's
// or the org's.
var houseColumns = `h.id, h.area_code, h.address_id, a.text, COALESCE(h.owner_resident, 0), COALESCE(h.owner_org, 0),
	COALESCE(r.name, o.name, ''), h.house_use, h.floor_area, h.note, ` + collectionOf("h")

const houseFrom = ` FROM houses h JOIN addresses a ON a.id = h.address_id
	LEFT JOIN residents r ON r.id = h.owner_resident LEFT JOIN orgs o ON o.id = h.owner_org`

// FindHouses lists the houses in scope that match f, by ID.
func (s *Store) FindHouses(ctx context.Context, f cunjing.HouseFilter) ([]cunjing.House, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(inScope(ctx, "h.area_code")); err != nil {
		return nil, "", err
	}
	if err := addUnder(&l, "h.area_code", f.Under); err != nil {
		return nil, "", err
	}
	if err := addState(&l, "h.state", f.State); err != nil {
		return nil, "", err
	}
	if f.AddressID != 0 {
		l.add("h.address_id = ?", f.AddressID)
	}
	if f.Use != "" {
		l.add("h.house_use = ?", string(f.Use))
	}
	query, err := l.sqlByID("h.id", "SELECT "+houseColumns+houseFrom, page, false)
	if err != nil {
		return nil, "", err
	}
	houses, err := s.queryHouses(ctx, s.read, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	houses, next := cutByID(houses, page.Limit, func(h cunjing.House) int64 { return h.ID })
	return houses, next, nil
}

// House returns a house in scope.
func (s *Store) House(ctx context.Context, id int64) (*cunjing.House, error) {
	return s.houseInScope(ctx, s.read, id)
}

// houseInScope reads a house whose area is in scope; any other is not found.
func (s *Store) houseInScope(ctx context.Context, db querier, id int64) (*cunjing.House, error) {
	return byIDInScope(ctx, "h", "SELECT "+houseColumns+houseFrom, id, "house", func(query string, args ...any) ([]cunjing.House, error) {
		return s.queryHouses(ctx, db, query, args...)
	})
}

// CreateHouse adds a house at an address in scope, in the address's area,
// owned by a resident or an org in scope (or nobody known), audited.
func (s *Store) CreateHouse(ctx context.Context, h *cunjing.House) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := s.placeHouse(ctx, tx, h); err != nil {
			return err
		}
		c := newCollection(ctx, s.now())
		args := append([]any{h.AreaCode, h.AddressID, nullID(h.OwnerResident), nullID(h.OwnerOrg), string(h.Use), h.FloorArea, h.Note},
			collectionValues(c)...)
		if err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO houses (area_code, address_id, owner_resident, owner_org,
			house_use, floor_area, note, `+collectionColumns+`) VALUES (`+marks(len(args))+`) RETURNING id`), args...).Scan(&h.ID); err != nil {
			return fmt.Errorf("store: insert house: %w", err)
		}
		h.Collection = c
		return s.auditTx(ctx, tx, cunjing.ActionRecordCreate, recordObject(cunjing.RecordHouse, h.ID), cunjing.ResultOK,
			string(h.Use)+" "+h.AreaCode)
	})
}

// placeHouse sets the area, address text and owner name of h from its
// address and owner, which must be in scope: one outside reads as missing.
func (s *Store) placeHouse(ctx context.Context, tx *sql.Tx, h *cunjing.House) error {
	var err error
	if h.AreaCode, h.AddressText, err = s.addressOfRecord(ctx, tx, h.AddressID); err != nil {
		return err
	}
	h.OwnerName, err = s.ownerInScope(ctx, tx, h.OwnerResident, h.OwnerOrg)
	return err
}

// addressOfRecord returns the area and text of an address in scope, for a
// record placed at it; any other is not found, naming address_id.
func (s *Store) addressOfRecord(ctx context.Context, db querier, id int64) (area, text string, err error) {
	a, err := s.addressInScope(ctx, db, id)
	if cunjing.ErrorCode(err) == cunjing.ENotFound {
		return "", "", &cunjing.Error{Code: cunjing.ENotFound, Message: cunjing.ErrorMessage(err),
			Fields: map[string]string{"address_id": "unknown address"}}
	}
	if err != nil {
		return "", "", err
	}
	return a.AreaCode, a.Text, nil
}

// ownerInScope returns the name of the owner of a house, a resident or an
// org in scope; either outside the scope reads as missing. No owner is "".
func (s *Store) ownerInScope(ctx context.Context, db *sql.Tx, resident, org int64) (string, error) {
	table, field, id := "residents", "owner_resident", resident
	if org != 0 {
		table, field, id = "orgs", "owner_org", org
	}
	if id == 0 {
		return "", nil
	}
	name, err := s.nameInScope(ctx, db, table, id)
	if cunjing.ErrorCode(err) == cunjing.ENotFound {
		return "", &cunjing.Error{Code: cunjing.ENotFound, Message: "the owner " + strconv.FormatInt(id, 10) + " was not found",
			Fields: map[string]string{field: "unknown owner"}}
	}
	return name, err
}

// nameInScope returns the name of a resident or org (table residents or
// orgs) in scope; any other is not found.
func (s *Store) nameInScope(ctx context.Context, db *sql.Tx, table string, id int64) (string, error) {
	visible, args, err := inScope(ctx, "area_code")
	if err != nil {
		return "", err
	}
	query := "SELECT name FROM " + table + " WHERE id = ?"
	if visible != "" {
		query += " AND " + visible
	}
	var name string
	err = db.QueryRowContext(ctx, s.dialect.q(query), append([]any{id}, args...)...).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", cunjing.Errorf(cunjing.ENotFound, "%s %d not found", strings.TrimSuffix(table, "s"), id)
	}
	if err != nil {
		return "", fmt.Errorf("store: read %s: %w", table, err)
	}
	return name, nil
}

// UpdateHouse changes a house in scope: each changed field is kept in the
// history, and a change by anyone but a reviewer sends it back to review.
func (s *Store) UpdateHouse(ctx context.Context, h cunjing.House) error {
	if err := h.Validate(); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		old, err := s.houseInScope(ctx, tx, h.ID)
		if err != nil {
			return err
		}
		if h.AreaCode, h.AddressText, err = s.addressOfRecord(ctx, tx, h.AddressID); err != nil {
			return err
		}
		if h.OwnerResident != old.OwnerResident || h.OwnerOrg != old.OwnerOrg {
			if h.OwnerName, err = s.ownerInScope(ctx, tx, h.OwnerResident, h.OwnerOrg); err != nil {
				return err
			}
		} else {
			h.OwnerName = old.OwnerName
		}
		changes := houseChanges(old, &h)
		if len(changes) == 0 {
			return nil
		}
		state, stateChange := stateAfterChange(ctx, old.Collection.State)
		if _, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE houses SET area_code = ?, address_id = ?, owner_resident = ?, owner_org = ?,
			house_use = ?, floor_area = ?, note = ?, state = ?, updated_at = ? WHERE id = ?`), h.AreaCode, h.AddressID,
			nullID(h.OwnerResident), nullID(h.OwnerOrg), string(h.Use), h.FloorArea, h.Note, string(state), timestamp(s.now()), h.ID); err != nil {
			return fmt.Errorf("store: update house: %w", err)
		}
		names, err := s.recordChanges(ctx, tx, cunjing.RecordHouse, h.ID, append(changes, stateChange...))
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordHouse, h.ID), cunjing.ResultOK, names)
	})
}

// houseChanges compares a house before and after a change.
func houseChanges(old, h *cunjing.House) []fieldChange {
	changes := changed(
		fieldChange{"address", old.AddressText, h.AddressText},
		fieldChange{"use", string(old.Use), string(h.Use)},
		fieldChange{"floor_area", formatArea(old.FloorArea), formatArea(h.FloorArea)},
		fieldChange{"note", old.Note, h.Note},
	)
	if old.OwnerResident != h.OwnerResident || old.OwnerOrg != h.OwnerOrg {
		changes = append(changes, fieldChange{"owner", old.OwnerName, h.OwnerName})
	}
	return changes
}

func formatArea(m2 float64) string { return strconv.FormatFloat(m2, 'f', -1, 64) }

func (s *Store) queryHouses(ctx context.Context, db querier, query string, args ...any) ([]cunjing.House, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query houses: %w", err)
	}
	defer rows.Close()
	var houses []cunjing.House
	for rows.Next() {
		var h cunjing.House
		var use string
		cs := scanCollectionInto(&h.Collection)
		dest := append([]any{&h.ID, &h.AreaCode, &h.AddressID, &h.AddressText, &h.OwnerResident, &h.OwnerOrg, &h.OwnerName,
			&use, &h.FloorArea, &h.Note}, cs.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: scan house: %w", err)
		}
		if err := cs.finish(); err != nil {
			return nil, fmt.Errorf("store: scan house: %w", err)
		}
		h.Use = cunjing.HouseUse(use)
		houses = append(houses, h)
	}
	return houses, rows.Err()
}

// Rentals lists the tenancies of a house in scope, running ones first,
// then the latest started.
func (s *Store) Rentals(ctx context.Context, houseID int64) ([]cunjing.Rental, error) {
	if _, err := s.houseInScope(ctx, s.read, houseID); err != nil {
		return nil, err
	}
	return s.queryRentals(ctx, s.read, `SELECT x.id, x.house_id, x.tenant_id, t.name, x.start_date, x.end_date
		FROM rentals x JOIN residents t ON t.id = x.tenant_id WHERE x.house_id = ?
		ORDER BY CASE WHEN x.end_date = '' THEN 0 ELSE 1 END, x.start_date DESC, x.id DESC`, houseID)
}

// AddRental registers a tenant, a resident in scope, of a house in scope.
// A self-occupied or vacant house becomes rented, a commercial one mixed,
// the change of use kept in the history.
func (s *Store) AddRental(ctx context.Context, r *cunjing.Rental) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		h, err := s.houseInScope(ctx, tx, r.HouseID)
		if err != nil {
			return err
		}
		r.TenantName, err = s.nameInScope(ctx, tx, "residents", r.TenantID)
		if cunjing.ErrorCode(err) == cunjing.ENotFound {
			return &cunjing.Error{Code: cunjing.ENotFound, Message: cunjing.ErrorMessage(err), Fields: map[string]string{"tenant_id": "unknown resident"}}
		}
		if err != nil {
			return err
		}
		if err := s.checkNoRunningRental(ctx, tx, r); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO rentals (house_id, tenant_id, start_date, end_date, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), r.HouseID, r.TenantID, r.Start.String(), r.End.String(), actorOf(ctx),
			timestamp(s.now())).Scan(&r.ID); err != nil {
			return fmt.Errorf("store: insert rental: %w", err)
		}
		detail := fmt.Sprintf("rental %d: resident:%d from %s", r.ID, r.TenantID, r.Start)
		if use := rentedUse(h.Use); use != h.Use {
			if err := s.changeHouseUse(ctx, tx, h, use); err != nil {
				return err
			}
			detail += "; use"
		}
		return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordHouse, h.ID), cunjing.ResultOK, detail)
	})
}

// rentedUse is the use of a house once a tenant moves in.
func rentedUse(use cunjing.HouseUse) cunjing.HouseUse {
	switch use {
	case cunjing.HouseSelf, cunjing.HouseVacant:
		return cunjing.HouseRented
	case cunjing.HouseCommercial:
		return cunjing.HouseMixed
	}
	return use
}

// changeHouseUse sets the use of a house, kept in its history.
func (s *Store) changeHouseUse(ctx context.Context, tx *sql.Tx, h *cunjing.House, use cunjing.HouseUse) error {
	state, stateChange := stateAfterChange(ctx, h.Collection.State)
	if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE houses SET house_use = ?, state = ?, updated_at = ? WHERE id = ?"),
		string(use), string(state), timestamp(s.now()), h.ID); err != nil {
		return fmt.Errorf("store: update house use: %w", err)
	}
	_, err := s.recordChanges(ctx, tx, cunjing.RecordHouse, h.ID, append([]fieldChange{{"use", string(h.Use), string(use)}}, stateChange...))
	return err
}

// checkNoRunningRental refuses to register a tenant twice in a house
// while his tenancy runs.
func (s *Store) checkNoRunningRental(ctx context.Context, tx *sql.Tx, r *cunjing.Rental) error {
	var n int
	if err := tx.QueryRowContext(ctx, s.dialect.q("SELECT COUNT(*) FROM rentals WHERE house_id = ? AND tenant_id = ? AND end_date = ''"),
		r.HouseID, r.TenantID).Scan(&n); err != nil {
		return fmt.Errorf("store: check rentals: %w", err)
	}
	if n > 0 {
		return &cunjing.Error{Code: cunjing.EConflict, Message: r.TenantName + " already rents this house",
			Fields: map[string]string{"tenant_id": "already a tenant"}}
	}
	return nil
}

// EndRental ends a running tenancy of a house in scope on the given day,
// audited; the use of the house stays as the officer last set it.
func (s *Store) EndRental(ctx context.Context, id int64, end cunjing.Date) error {
	if end.IsZero() {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the end of the tenancy is required", Fields: map[string]string{"end": "is required"}}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		r, err := s.rentalInScope(ctx, tx, id)
		if err != nil {
			return err
		}
		switch {
		case !r.End.IsZero():
			return cunjing.Errorf(cunjing.EConflict, "the tenancy already ended on %s", r.End)
		case end.Before(r.Start):
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "the tenancy cannot end before it started (" + r.Start.String() + ")",
				Fields: map[string]string{"end": "must not be before the start"}}
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE rentals SET end_date = ? WHERE id = ?"), end.String(), id); err != nil {
			return fmt.Errorf("store: end rental: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordHouse, r.HouseID), cunjing.ResultOK,
			fmt.Sprintf("rental %d ended %s", id, end))
	})
}

// rentalInScope reads a tenancy of a house in scope; any other is not found.
func (s *Store) rentalInScope(ctx context.Context, db querier, id int64) (*cunjing.Rental, error) {
	visible, args, err := inScope(ctx, "h.area_code")
	if err != nil {
		return nil, err
	}
	query := `SELECT x.id, x.house_id, x.tenant_id, t.name, x.start_date, x.end_date FROM rentals x
		JOIN houses h ON h.id = x.house_id JOIN residents t ON t.id = x.tenant_id WHERE x.id = ?`
	if visible != "" {
		query += " AND " + visible
	}
	rentals, err := s.queryRentals(ctx, db, query, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(rentals) == 0 {
		return nil, cunjing.Errorf(cunjing.ENotFound, "rental %d not found", id)
	}
	return &rentals[0], nil
}

func (s *Store) queryRentals(ctx context.Context, db querier, query string, args ...any) ([]cunjing.Rental, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query rentals: %w", err)
	}
	defer rows.Close()
	var rentals []cunjing.Rental
	for rows.Next() {
		var r cunjing.Rental
		var start, end string
		if err := rows.Scan(&r.ID, &r.HouseID, &r.TenantID, &r.TenantName, &start, &end); err != nil {
			return nil, fmt.Errorf("store: scan rental: %w", err)
		}
		if r.Start, err = cunjing.ParseDate(start); err != nil {
			return nil, fmt.Errorf("store: scan rental: %w", err)
		}
		if r.End, err = cunjing.ParseDate(end); err != nil {
			return nil, fmt.Errorf("store: scan rental: %w", err)
		}
		rentals = append(rentals, r)
	}
	return rentals, rows.Err()
}
