package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"cunjing"
)

var _ cunjing.AddressService = (*Store)(nil)

// addressColumns are the columns of an address as scanAddress reads them.
var addressColumns = `a.id, a.area_code, a.street, a.house_number, a.building, a.entrance, a.room, a.text, a.addr_key,
	a.lng, a.lat, a.datum, ` + collectionOf("a")

// collectionOf is collectionColumns of the table aliased alias.
func collectionOf(alias string) string {
	return alias + "." + strings.ReplaceAll(collectionColumns, ", ", ", "+alias+".")
}

// FindAddresses lists the addresses in scope that match f, by area then
// key.
func (s *Store) FindAddresses(ctx context.Context, f cunjing.AddressFilter) ([]cunjing.StdAddress, string, error) {
	page := f.Page.Normalized()
	var l listQuery
	if err := l.addScope(inScope(ctx, "a.area_code")); err != nil {
		return nil, "", err
	}
	if err := addUnder(&l, "a.area_code", f.Under); err != nil {
		return nil, "", err
	}
	if street := strings.TrimSpace(f.Street); street != "" {
		l.add(`a.street LIKE ? ESCAPE '\'`, likeStart(street))
	}
	if err := addState(&l, "a.state", f.State); err != nil {
		return nil, "", err
	}
	if page.Cursor != "" {
		after, err := decodeCursor(page.Cursor)
		if err != nil {
			return nil, "", err
		}
		area, key, _ := strings.Cut(after, "\n")
		l.add("(a.area_code > ? OR (a.area_code = ? AND a.addr_key > ?))", area, area, key)
	}
	query := "SELECT " + addressColumns + " FROM addresses a"
	if len(l.where) > 0 {
		query += " WHERE " + strings.Join(l.where, " AND ")
	}
	query += fmt.Sprintf(" ORDER BY a.area_code, a.addr_key LIMIT %d", page.Limit+1)
	found, err := s.queryAddresses(ctx, s.read, query, l.args...)
	if err != nil {
		return nil, "", err
	}
	found, next := cut(found, page.Limit, func(a cunjing.StdAddress) string { return a.AreaCode + "\n" + a.Key })
	return found, next, nil
}

// addUnder adds "the area column lies under code" when code is set; a
// malformed code is invalid.
func addUnder(l *listQuery, column, code string) error {
	if code == "" {
		return nil
	}
	if !cunjing.ValidAreaCode(code) {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "area code " + code + " is not valid",
			Fields: map[string]string{"under": "must be an area code"}}
	}
	l.add(column+" >= ? AND "+column+" < ?", code, code+cunjing.CodeUpperBound)
	return nil
}

// addState adds "the review state is state" when state is set.
func addState(l *listQuery, column string, state cunjing.CollectState) error {
	if state == "" {
		return nil
	}
	if !validState(state) {
		return stateProblem()
	}
	l.add(column+" = ?", string(state))
	return nil
}

func validState(state cunjing.CollectState) bool {
	for _, s := range cunjing.CollectStates {
		if s == state {
			return true
		}
	}
	return false
}

func stateProblem() error {
	return &cunjing.Error{Code: cunjing.EInvalid, Message: "unknown review state",
		Fields: map[string]string{"state": "must be collected, verified or returned"}}
}

// likeStart returns a LIKE pattern matching text at the start, with the
// wildcards in text escaped (use with ESCAPE '\').
func likeStart(text string) string {
	return strings.TrimPrefix(likeContains(text), "%")
}

// Address returns an address in scope.
func (s *Store) Address(ctx context.Context, id int64) (*cunjing.StdAddress, error) {
	return s.addressInScope(ctx, s.read, id)
}

// addressInScope reads an address whose area is in scope; any other is
// not found.
func (s *Store) addressInScope(ctx context.Context, db querier, id int64) (*cunjing.StdAddress, error) {
	return byIDInScope(ctx, "a", "SELECT "+addressColumns+" FROM addresses a", id, "address", func(query string, args ...any) ([]cunjing.StdAddress, error) {
		return s.queryAddresses(ctx, db, query, args...)
	})
}

// CreateAddress adds an address to an area in scope, audited; an address
// of the same key in the area is a conflict naming it.
func (s *Store) CreateAddress(ctx context.Context, a *cunjing.StdAddress) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if err := checkAreaInScope(ctx, a.AreaCode); err != nil {
		return areaNotFound(a.AreaCode)
	}
	c := newCollection(ctx, s.now())
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if err := s.checkAddressFree(ctx, tx, a, 0); err != nil {
			return err
		}
		lng, lat, datum := pointValues(a.Location)
		var id int64
		err := tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO addresses (area_code, street, house_number, building, entrance, room,
			text, addr_key, lng, lat, datum, `+collectionColumns+`) VALUES (`+marks(18)+`) RETURNING id`),
			append([]any{a.AreaCode, a.Street, a.HouseNumber, a.Building, a.Entrance, a.Room, a.Text, a.Key, lng, lat, datum},
				collectionValues(c)...)...).Scan(&id)
		if err != nil {
			return addressWriteError(err, a)
		}
		a.ID, a.Collection = id, c
		return s.auditTx(ctx, tx, cunjing.ActionRecordCreate, recordObject(cunjing.RecordAddress, id), cunjing.ResultOK, a.AreaCode)
	})
}

// areaNotFound is the error of an area that does not exist or lies outside
// the scope, alike.
func areaNotFound(code string) error {
	return &cunjing.Error{Code: cunjing.ENotFound, Message: "area " + code + " not found",
		Fields: map[string]string{"area_code": "unknown area"}}
}

// checkAddressFree refuses an address whose key another address of its
// area (other than self) already has, naming that one.
func (s *Store) checkAddressFree(ctx context.Context, tx *sql.Tx, a *cunjing.StdAddress, self int64) error {
	var other int64
	err := tx.QueryRowContext(ctx, s.dialect.q("SELECT id FROM addresses WHERE area_code = ? AND addr_key = ? AND id <> ?"),
		a.AreaCode, a.Key, self).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("store: check address: %w", err)
	}
	return &cunjing.Error{Code: cunjing.EConflict,
		Message: fmt.Sprintf("the address %s is already registered in the area as address %d", a.Text, other),
		Fields:  map[string]string{"street": fmt.Sprintf("already registered as address %d", other)}}
}

// addressWriteError turns constraint violations into messages a user can
// act on.
func addressWriteError(err error, a *cunjing.StdAddress) error {
	switch {
	case isForeignKeyViolation(err):
		return areaNotFound(a.AreaCode)
	case isUniqueViolation(err):
		return &cunjing.Error{Code: cunjing.EConflict, Message: "the address " + a.Text + " is already registered in the area",
			Fields: map[string]string{"street": "already registered"}}
	}
	return fmt.Errorf("store: write address: %w", err)
}

// pointValues are the lng, lat and datum columns of an optional point.
func pointValues(p *cunjing.Point) (lng, lat, datum any) {
	if p == nil {
		return nil, nil, nil
	}
	return p.Lng, p.Lat, p.Datum
}

// pointText is a point as the history shows it.
func pointText(p *cunjing.Point) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf("%.6f,%.6f %s", p.Lng, p.Lat, p.Datum)
}

// UpdateAddress changes an address in scope: each changed part is kept in
// the history and the change audited. It moves to another area only within
// the scope, and only while no record refers to it.
func (s *Store) UpdateAddress(ctx context.Context, a cunjing.StdAddress) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		old, err := s.addressInScope(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if a.AreaCode != old.AreaCode {
			if err := s.checkAddressMovable(ctx, tx, a); err != nil {
				return err
			}
		}
		if err := s.checkAddressFree(ctx, tx, &a, a.ID); err != nil {
			return err
		}
		changes := changed(
			fieldChange{"area_code", old.AreaCode, a.AreaCode}, fieldChange{"street", old.Street, a.Street},
			fieldChange{"house_number", old.HouseNumber, a.HouseNumber}, fieldChange{"building", old.Building, a.Building},
			fieldChange{"entrance", old.Entrance, a.Entrance}, fieldChange{"room", old.Room, a.Room},
			fieldChange{"location", pointText(old.Location), pointText(a.Location)})
		if len(changes) == 0 {
			return nil
		}
		state, stateChange := stateAfterChange(ctx, old.Collection.State)
		lng, lat, datum := pointValues(a.Location)
		if _, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE addresses SET area_code = ?, street = ?, house_number = ?, building = ?,
			entrance = ?, room = ?, text = ?, addr_key = ?, lng = ?, lat = ?, datum = ?, state = ?, updated_at = ? WHERE id = ?`),
			a.AreaCode, a.Street, a.HouseNumber, a.Building, a.Entrance, a.Room, a.Text, a.Key, lng, lat, datum,
			string(state), timestamp(s.now()), a.ID); err != nil {
			return addressWriteError(err, &a)
		}
		names, err := s.recordChanges(ctx, tx, cunjing.RecordAddress, a.ID, append(changes, stateChange...))
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordAddress, a.ID), cunjing.ResultOK, names)
	})
}

// checkAddressMovable refuses to move an address into an area outside the
// scope (as not found), or while residents, households, houses or orgs
// are registered at it: they belong to its area.
func (s *Store) checkAddressMovable(ctx context.Context, tx *sql.Tx, a cunjing.StdAddress) error {
	if err := checkAreaInScope(ctx, a.AreaCode); err != nil {
		return areaNotFound(a.AreaCode)
	}
	var used bool
	if err := tx.QueryRowContext(ctx, s.dialect.q(`SELECT EXISTS (SELECT 1 FROM residents WHERE address_id = ?)
		OR EXISTS (SELECT 1 FROM households WHERE address_id = ?) OR EXISTS (SELECT 1 FROM houses WHERE address_id = ?)
		OR EXISTS (SELECT 1 FROM orgs WHERE address_id = ?)`), a.ID, a.ID, a.ID, a.ID).Scan(&used); err != nil {
		return fmt.Errorf("store: check address use: %w", err)
	}
	if used {
		return &cunjing.Error{Code: cunjing.EConflict, Message: "records are registered at this address; it stays in its area",
			Fields: map[string]string{"area_code": "records are registered at the address"}}
	}
	return nil
}

// stateAfterChange is the review state of a record after a change: a
// change by someone who does not review sends a verified or returned record
// back to the station as collected, and that is kept in the history too.
func stateAfterChange(ctx context.Context, old cunjing.CollectState) (cunjing.CollectState, []fieldChange) {
	if reviews(ctx) || old == cunjing.StateCollected {
		return old, nil
	}
	return cunjing.StateCollected, []fieldChange{{"state", string(old), string(cunjing.StateCollected)}}
}

func (s *Store) queryAddresses(ctx context.Context, db querier, query string, args ...any) ([]cunjing.StdAddress, error) {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return nil, fmt.Errorf("store: query addresses: %w", err)
	}
	defer rows.Close()
	var found []cunjing.StdAddress
	for rows.Next() {
		var a cunjing.StdAddress
		var lng, lat sql.NullFloat64
		var datum sql.NullString
		cs := scanCollectionInto(&a.Collection)
		dest := append([]any{&a.ID, &a.AreaCode, &a.Street, &a.HouseNumber, &a.Building, &a.Entrance, &a.Room, &a.Text, &a.Key,
			&lng, &lat, &datum}, cs.dest()...)
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("store: scan address: %w", err)
		}
		if err := cs.finish(); err != nil {
			return nil, fmt.Errorf("store: scan address: %w", err)
		}
		if lng.Valid && lat.Valid {
			a.Location = &cunjing.Point{Lng: lng.Float64, Lat: lat.Float64, Datum: datum.String}
		}
		found = append(found, a)
	}
	return found, rows.Err()
}
