package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"

	"cunjing"
)

// importPlace is an address an import found or made.
type importPlace struct {
	id   int64
	text string
}

// importPlaces are the addresses (by area and key) and households (by
// area and 户号) an import found or made. Files come sorted by village as a
// rule, so the caches are simply emptied when they grow past
// importPlacesMax, which bounds the memory of a city-size import.
type importPlaces struct {
	addresses  map[string]importPlace
	households map[string]int64
}

const importPlacesMax = 200000

func newImportPlaces() importPlaces {
	return importPlaces{addresses: map[string]importPlace{}, households: map[string]int64{}}
}

// merge adds what a committed batch found or made.
func (p *importPlaces) merge(q importPlaces) {
	if len(p.addresses)+len(q.addresses) > importPlacesMax {
		clear(p.addresses)
	}
	if len(p.households)+len(q.households) > importPlacesMax {
		clear(p.households)
	}
	maps.Copy(p.addresses, q.addresses)
	maps.Copy(p.households, q.households)
}

// placeKey keys an address or household within its area.
func placeKey(area, key string) string { return area + "\x00" + key }

// address returns the address of a row, as the batch or the session knows it.
func (b *recordBatch) address(row *cunjing.ImportRow) (importPlace, bool) {
	k := placeKey(row.AreaCode, rowAddressKey(row))
	if p, ok := b.places.addresses[k]; ok {
		return p, true
	}
	p, ok := b.sess.places.addresses[k]
	return p, ok
}

// household returns the household of a row, as the batch or the session knows it.
func (b *recordBatch) household(row *cunjing.ImportRow) (int64, bool) {
	k := placeKey(row.AreaCode, row.Household)
	if id, ok := b.places.households[k]; ok {
		return id, true
	}
	id, ok := b.sess.places.households[k]
	return id, ok
}

// findAddresses looks up the addresses that rows name and the batch does
// not know yet; with create, those missing are created in their area,
// their street the whole text, and counted.
func (b *recordBatch) findAddresses(ctx context.Context, tx *sql.Tx, rows []int, create bool) error {
	byArea := map[string]map[string]string{} // area → key → text
	for _, i := range rows {
		row := &b.rows[i]
		if row.Address == "" {
			continue
		}
		if _, known := b.address(row); !known {
			key := rowAddressKey(row)
			if byArea[row.AreaCode] == nil {
				byArea[row.AreaCode] = map[string]string{}
			}
			byArea[row.AreaCode][key] = row.Address
		}
	}
	for _, area := range slices.Sorted(maps.Keys(byArea)) {
		if err := b.queryAddresses(ctx, tx, area, slices.Sorted(maps.Keys(byArea[area]))); err != nil {
			return err
		}
	}
	if !create {
		return nil
	}
	return b.createAddresses(ctx, tx, byArea)
}

// queryAddresses reads the addresses of an area with the given keys.
func (b *recordBatch) queryAddresses(ctx context.Context, tx *sql.Tx, area string, keys []string) error {
	s := b.sess.s
	for start := 0; start < len(keys); start += insertChunk {
		part := keys[start:min(start+insertChunk, len(keys))]
		rows, err := tx.QueryContext(ctx, s.dialect.q("SELECT id, addr_key, text FROM addresses WHERE area_code = ? AND addr_key IN ("+
			marks(len(part))+")"), append([]any{area}, anySlice(part)...)...)
		if err != nil {
			return fmt.Errorf("store: find addresses: %w", err)
		}
		err = scanPlaces(rows, func(id int64, key, text string) { b.places.addresses[placeKey(area, key)] = importPlace{id, text} })
		if err != nil {
			return err
		}
	}
	return nil
}

// scanPlaces reads rows of id, key and text.
func scanPlaces(rows *sql.Rows, fn func(id int64, key, text string)) error {
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key, text string
		if err := rows.Scan(&id, &key, &text); err != nil {
			return fmt.Errorf("store: read places: %w", err)
		}
		fn(id, key, text)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: read places: %w", err)
	}
	return nil
}

// importAddressColumns are the columns of an address an import creates.
const importAddressColumns = "area_code, street, house_number, building, entrance, room, text, addr_key, lng, lat, datum, import_job, " +
	collectionColumns

const importAddressWidth = 19

// createAddresses creates the addresses still missing, whose texts are
// by area and key, and learns their IDs.
func (b *recordBatch) createAddresses(ctx context.Context, tx *sql.Tx, byArea map[string]map[string]string) error {
	var values []any
	n := 0
	for _, area := range slices.Sorted(maps.Keys(byArea)) {
		for _, key := range slices.Sorted(maps.Keys(byArea[area])) {
			if _, found := b.places.addresses[placeKey(area, key)]; found {
				continue
			}
			a := cunjing.StdAddress{AreaCode: area, Street: byArea[area][key]}
			if err := a.Validate(); err != nil {
				return fmt.Errorf("store: address %q of an import: %w", a.Street, err)
			}
			values = append(values, a.AreaCode, a.Street, "", "", "", "", a.Text, key, nil, nil, nil, b.sess.job.ID)
			values = append(values, collectionValues(b.sess.collection)...)
			n++
		}
	}
	if n == 0 {
		return nil
	}
	b.addresses += int64(n)
	return b.sess.s.insertReturning(ctx, tx, "addresses ("+importAddressColumns+")", importAddressWidth, values,
		"id, area_code, addr_key, text", func(rows *sql.Rows) error {
			var p importPlace
			var area, key string
			if err := rows.Scan(&p.id, &area, &key, &p.text); err != nil {
				return err
			}
			b.places.addresses[placeKey(area, key)] = p
			return nil
		})
}

// insertReturning inserts the values (width per row) into a table in
// multi-row statements and calls scan with each row the RETURNING list
// gives back: how an import learns the IDs of what it adds.
func (s *Store) insertReturning(ctx context.Context, tx *sql.Tx, into string, width int, values []any, returning string,
	scan func(*sql.Rows) error) error {
	for start := 0; start < len(values); start += insertChunk * width {
		part := values[start:min(start+insertChunk*width, len(values))]
		rows, err := tx.QueryContext(ctx, s.dialect.q("INSERT INTO "+into+" VALUES "+valueTuples(len(part)/width, width)+
			" RETURNING "+returning), part...)
		if err != nil {
			return fmt.Errorf("store: insert into %s: %w", into, err)
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return fmt.Errorf("store: insert into %s: %w", into, err)
			}
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("store: insert into %s: %w", into, err)
		}
	}
	return nil
}

// maxID returns the largest ID of a table, 0 when it is empty: the rows an
// import adds in its transaction come after it.
func maxID(ctx context.Context, tx *sql.Tx, table string) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: last id of %s: %w", table, err)
	}
	return id, nil
}

// findHouseholds finds or creates the households that rows name by 户号
// in their area; a new household is at the address of its first row.
func (b *recordBatch) findHouseholds(ctx context.Context, tx *sql.Tx, rows []int) error {
	byArea := map[string]map[string]int64{} // area → number → address of the first row
	for _, i := range rows {
		row := &b.rows[i]
		if row.Household == "" {
			continue
		}
		if _, known := b.household(row); known {
			continue
		}
		if byArea[row.AreaCode] == nil {
			byArea[row.AreaCode] = map[string]int64{}
		}
		if _, named := byArea[row.AreaCode][row.Household]; !named {
			place, _ := b.address(row)
			byArea[row.AreaCode][row.Household] = place.id
		}
	}
	for _, area := range slices.Sorted(maps.Keys(byArea)) {
		if err := b.queryHouseholds(ctx, tx, area, slices.Sorted(maps.Keys(byArea[area]))); err != nil {
			return err
		}
	}
	return b.createHouseholds(ctx, tx, byArea)
}

// queryHouseholds reads the households of an area with the given numbers.
func (b *recordBatch) queryHouseholds(ctx context.Context, tx *sql.Tx, area string, numbers []string) error {
	s := b.sess.s
	for start := 0; start < len(numbers); start += insertChunk {
		part := numbers[start:min(start+insertChunk, len(numbers))]
		rows, err := tx.QueryContext(ctx, s.dialect.q("SELECT id, number, '' FROM households WHERE area_code = ? AND number <> '' AND number IN ("+
			marks(len(part))+")"), append([]any{area}, anySlice(part)...)...)
		if err != nil {
			return fmt.Errorf("store: find households: %w", err)
		}
		err = scanPlaces(rows, func(id int64, number, _ string) { b.places.households[placeKey(area, number)] = id })
		if err != nil {
			return err
		}
	}
	return nil
}

// createHouseholds creates the households still missing.
func (b *recordBatch) createHouseholds(ctx context.Context, tx *sql.Tx, byArea map[string]map[string]int64) error {
	var values []any
	at := timestamp(b.sess.s.now())
	for _, area := range slices.Sorted(maps.Keys(byArea)) {
		for _, number := range slices.Sorted(maps.Keys(byArea[area])) {
			if _, found := b.places.households[placeKey(area, number)]; !found {
				values = append(values, area, nullID(byArea[area][number]), number, b.sess.job.ID, b.sess.collection.CollectedBy, at)
			}
		}
	}
	if len(values) == 0 {
		return nil
	}
	b.households += int64(len(values) / 6)
	return b.sess.s.insertReturning(ctx, tx, "households (area_code, address_id, number, import_job, created_by, created_at)", 6, values,
		"id, area_code, number", func(rows *sql.Rows) error {
			var id int64
			var area, number string
			if err := rows.Scan(&id, &area, &number); err != nil {
				return err
			}
			b.places.households[placeKey(area, number)] = id
			return nil
		})
}
