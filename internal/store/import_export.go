package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"cunjing"
)

var _ cunjing.RecordExporter = (*Store)(nil)

// exportPage is the number of records an export reads at a time: its
// memory is one page, whatever the size of the register.
const exportPage = 1000

// exportCursor is the sort key of the last record of a page.
type exportCursor struct {
	area string
	key  any
}

// eachExported reads the records of a register under an area in scope,
// page by page in the order of an index (area, then key), and calls each
// with every row; each returns the row's area and key. Out of scope, or
// missing, the area is not found.
func (s *Store) eachExported(ctx context.Context, under, alias, key, selectFrom string, each func(*sql.Rows) (string, any, error)) error {
	if err := s.checkExportArea(ctx, under); err != nil {
		return err
	}
	visible, vargs, err := inScope(ctx, alias+".area_code")
	if err != nil {
		return err
	}
	area := alias + ".area_code"
	var cur *exportCursor
	for {
		var l listQuery
		if cur == nil {
			l.add(area+" >= ?", under)
		} else {
			// A row value, which both engines read as the start of a range
			// of the index; with a lower bound of its own beside it, SQLite
			// would scan the range from its start for every page.
			l.add("("+area+", "+key+") > (?, ?)", cur.area, cur.key)
		}
		l.add(area+" < ?", under+cunjing.CodeUpperBound)
		if visible != "" {
			l.add(visible, vargs...)
		}
		query := fmt.Sprintf("%s WHERE %s ORDER BY %s, %s LIMIT %d", selectFrom, strings.Join(l.where, " AND "), area, key, exportPage)
		n, last, err := s.exportPageOf(ctx, query, l.args, each)
		if err != nil || n < exportPage {
			return err
		}
		cur = last
	}
}

// exportPageOf reads one page and returns its size and last sort key.
func (s *Store) exportPageOf(ctx context.Context, query string, args []any, each func(*sql.Rows) (string, any, error)) (int, *exportCursor, error) {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return 0, nil, fmt.Errorf("store: export: %w", err)
	}
	defer rows.Close()
	n, last := 0, &exportCursor{}
	for rows.Next() {
		if last.area, last.key, err = each(rows); err != nil {
			return 0, nil, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("store: export: %w", err)
	}
	return n, last, nil
}

// checkExportArea checks that the area of an export exists in scope.
func (s *Store) checkExportArea(ctx context.Context, under string) error {
	if err := checkAreaInScope(ctx, under); err != nil {
		return areaNotFound(under)
	}
	var n int
	if err := s.read.QueryRowContext(ctx, s.dialect.q("SELECT COUNT(*) FROM areas WHERE code = ?"), under).Scan(&n); err != nil {
		return fmt.Errorf("store: export: %w", err)
	}
	if n == 0 {
		return areaNotFound(under)
	}
	return nil
}

// ExportResidents calls fn with every resident under an area in scope, by
// area, ID numbers and phones opened for roles that read personal data.
func (s *Store) ExportResidents(ctx context.Context, under string, fn func(cunjing.ExportedResident) error) error {
	unmasked := readsPersonal(ctx)
	columns := `r.id, r.area_code, COALESCE(a.text, ''), COALESCE(h.number, ''), r.relation, r.doc_kind, r.id_masked, r.name, r.sex,
		r.birth_date, r.native_place, r.phone_masked, r.category, r.left_behind, r.status, r.note`
	if unmasked {
		columns += ", r.id_sealed, r.phone_sealed"
	}
	from := "SELECT " + columns + ` FROM residents r LEFT JOIN addresses a ON a.id = r.address_id
		LEFT JOIN households h ON h.id = r.household_id`
	return s.eachExported(ctx, under, "r", "r.id", from, func(rows *sql.Rows) (string, any, error) {
		r, err := s.scanExportedResident(rows, unmasked)
		if err != nil {
			return "", nil, err
		}
		return r.AreaCode, r.ID, fn(r)
	})
}

func (s *Store) scanExportedResident(rows *sql.Rows, unmasked bool) (cunjing.ExportedResident, error) {
	var r cunjing.ExportedResident
	var relation, doc, birth, category, left, status string
	dest := []any{&r.ID, &r.AreaCode, &r.AddressText, &r.Household, &relation, &doc, &r.IDNumber, &r.Name, &r.Sex, &birth,
		&r.NativePlace, &r.Phone, &category, &left, &status, &r.Note}
	var idSealed, phoneSealed []byte
	if unmasked {
		dest = append(dest, &idSealed, &phoneSealed)
	}
	if err := rows.Scan(dest...); err != nil {
		return r, fmt.Errorf("store: export residents: %w", err)
	}
	r.Relation, r.DocKind, r.Category = cunjing.Relation(relation), cunjing.DocKind(doc), cunjing.ResidentCategory(category)
	r.LeftBehind, r.Status = cunjing.LeftBehind(left), cunjing.ResidentStatus(status)
	var err error
	if r.BirthDate, err = cunjing.ParseDate(birth); err != nil {
		return r, fmt.Errorf("store: export residents: %w", err)
	}
	if unmasked {
		if r.IDNumber, err = s.open("id_number", idSealed); err != nil {
			return r, err
		}
		if r.Phone, err = s.open("phone", phoneSealed); err != nil {
			return r, err
		}
	}
	return r, nil
}

// ExportAddresses calls fn with every address under an area in scope, by
// area and key.
func (s *Store) ExportAddresses(ctx context.Context, under string, fn func(cunjing.StdAddress) error) error {
	from := `SELECT a.id, a.area_code, a.street, a.house_number, a.building, a.entrance, a.room, a.text, a.addr_key, a.lng, a.lat,
		a.datum FROM addresses a`
	return s.eachExported(ctx, under, "a", "a.addr_key", from, func(rows *sql.Rows) (string, any, error) {
		var a cunjing.StdAddress
		var lng, lat sql.NullFloat64
		var datum sql.NullString
		if err := rows.Scan(&a.ID, &a.AreaCode, &a.Street, &a.HouseNumber, &a.Building, &a.Entrance, &a.Room, &a.Text, &a.Key,
			&lng, &lat, &datum); err != nil {
			return "", nil, fmt.Errorf("store: export addresses: %w", err)
		}
		if lng.Valid && lat.Valid {
			a.Location = &cunjing.Point{Lng: lng.Float64, Lat: lat.Float64, Datum: datum.String}
		}
		return a.AreaCode, a.Key, fn(a)
	})
}

// ExportHouses calls fn with every house under an area in scope, with its
// owner's ID number (opened for roles that read personal data) or credit
// code.
func (s *Store) ExportHouses(ctx context.Context, under string, fn func(cunjing.ExportedHouse) error) error {
	unmasked := readsPersonal(ctx)
	from := `SELECT h.id, h.area_code, a.text, h.house_use, h.floor_area, h.note, COALESCE(p.id_masked, ''), p.id_sealed,
		COALESCE(o.credit_code, '') FROM houses h JOIN addresses a ON a.id = h.address_id
		LEFT JOIN residents p ON p.id = h.owner_resident LEFT JOIN orgs o ON o.id = h.owner_org`
	return s.eachExported(ctx, under, "h", "h.id", from, func(rows *sql.Rows) (string, any, error) {
		var h cunjing.ExportedHouse
		var use string
		var sealedID []byte
		if err := rows.Scan(&h.ID, &h.AreaCode, &h.AddressText, &use, &h.FloorArea, &h.Note, &h.OwnerIDNumber, &sealedID,
			&h.OwnerCode); err != nil {
			return "", nil, fmt.Errorf("store: export houses: %w", err)
		}
		h.Use = cunjing.HouseUse(use)
		if unmasked && len(sealedID) > 0 {
			var err error
			if h.OwnerIDNumber, err = s.open("id_number", sealedID); err != nil {
				return "", nil, err
			}
		}
		return h.AreaCode, h.ID, fn(h)
	})
}

// ExportOrgs calls fn with every org under an area in scope, phones
// opened for roles that read personal data.
func (s *Store) ExportOrgs(ctx context.Context, under string, fn func(cunjing.Org) error) error {
	unmasked := readsPersonal(ctx)
	from := `SELECT o.id, o.area_code, o.name, o.credit_code, o.type, COALESCE(a.text, ''), o.legal_rep, o.security_contact,
		o.phone_masked, o.phone_sealed, o.staff_count, o.note FROM orgs o LEFT JOIN addresses a ON a.id = o.address_id`
	return s.eachExported(ctx, under, "o", "o.id", from, func(rows *sql.Rows) (string, any, error) {
		var o cunjing.Org
		var typ string
		var sealedPhone []byte
		if err := rows.Scan(&o.ID, &o.AreaCode, &o.Name, &o.CreditCode, &typ, &o.AddressText, &o.LegalRep, &o.SecurityContact,
			&o.ContactPhone, &sealedPhone, &o.StaffCount, &o.Note); err != nil {
			return "", nil, fmt.Errorf("store: export orgs: %w", err)
		}
		o.Type = cunjing.OrgType(typ)
		if unmasked {
			var err error
			if o.ContactPhone, err = s.open("phone", sealedPhone); err != nil {
				return "", nil, err
			}
		}
		return o.AreaCode, o.ID, fn(o)
	})
}
