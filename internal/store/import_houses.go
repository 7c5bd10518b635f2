package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"cunjing"
)

// houseImport imports houses: one per standard address, owned by a
// resident or an org in scope.
type houseImport struct{}

func (houseImport) sameWhat() string { return "同一地址的房屋" }

func (houseImport) key(_ *importSession, row *cunjing.ImportRow) ([16]byte, error) {
	return importKey("house", row.AreaCode, rowAddressKey(row)), nil
}

func (h houseImport) prepare(sess *importSession, row *cunjing.ImportRow) {
	p := &importPrepared{addrKey: sess.addressKeyOf(row.Address)}
	row.Prepared = p
	p.key, _ = h.key(sess, row)
}

// importRef is a resident or org a row refers to, found in scope.
type importRef struct {
	id   int64
	name string
}

// write finds or creates the addresses, finds the owners in scope, and
// refuses (add) or updates (upsert) the houses registered at an address
// already, inserting the others.
func (houseImport) write(ctx context.Context, tx *sql.Tx, b *recordBatch) error {
	live := b.live()
	if err := b.findAddresses(ctx, tx, live, true); err != nil {
		return err
	}
	persons, err := b.personsByID(ctx, tx, live, func(row *cunjing.ImportRow) string { return row.OwnerID })
	if err != nil {
		return err
	}
	orgs, err := b.orgsByCode(ctx, tx, live)
	if err != nil {
		return err
	}
	houses, err := b.housesAt(ctx, tx, live)
	if err != nil {
		return err
	}
	var values []any
	for _, i := range live {
		row := &b.rows[i]
		h, ok := b.houseOf(i, persons, orgs)
		if !ok {
			continue
		}
		at := houses[h.AddressID]
		switch {
		case len(at) > 0 && b.sess.job.Mode == cunjing.ImportAdd:
			b.refuse(i, "address", row.Address, fmt.Sprintf("该地址已登记房屋（房屋编号 %d）：“新增”模式不修改已登记的房屋", at[0]))
		case len(at) > 1:
			b.refuse(i, "address", row.Address, "该地址登记了多处房屋，无法确定更新哪一处：请在系统中逐处修改")
		case len(at) == 1:
			if err := b.updateHouse(ctx, tx, at[0], h); err != nil {
				return err
			}
		default:
			values = append(values, h.AreaCode, h.AddressID, nullID(h.OwnerResident), nullID(h.OwnerOrg), string(h.Use), h.FloorArea, h.Note,
				b.sess.job.ID)
			values = append(values, collectionValues(b.sess.collection)...)
			b.added++
		}
	}
	return b.sess.s.insertChunked(ctx, tx, `houses (area_code, address_id, owner_resident, owner_org, house_use, floor_area, note,
		import_job, `+collectionColumns+")", 15, values)
}

// houseOf is the house a row describes, its address and owner found; a
// row whose owner is not found in scope is refused.
func (b *recordBatch) houseOf(i int, persons, orgs map[string]importRef) (cunjing.House, bool) {
	row := &b.rows[i]
	h := row.House
	place, _ := b.address(row)
	h.AreaCode, h.AddressID, h.AddressText = row.AreaCode, place.id, place.text
	if row.OwnerID != "" {
		p, ok := persons[row.OwnerID]
		if !ok {
			b.refuse(i, "owner_id", cunjing.MaskIDNumber(row.OwnerID), "找不到此证件号码的人员（未登记，或不在您的管辖范围内）：请先导入实有人口")
			return h, false
		}
		h.OwnerResident, h.OwnerName = p.id, p.name
	}
	if row.OwnerCode != "" {
		o, ok := orgs[row.OwnerCode]
		if !ok {
			b.refuse(i, "owner_code", row.OwnerCode, "找不到此信用代码的单位（未登记，或不在您的管辖范围内）：请先导入实有单位")
			return h, false
		}
		h.OwnerOrg, h.OwnerName = o.id, o.name
	}
	return h, true
}

// updateHouse writes a row over a registered house when it differs; the
// columns the file lacks keep their stored values.
func (b *recordBatch) updateHouse(ctx context.Context, tx *sql.Tx, id int64, h cunjing.House) error {
	s := b.sess.s
	old, err := s.houseInScope(ctx, tx, id)
	if err != nil {
		return err
	}
	h.ID = id
	has := func(key string) bool { _, ok := b.sess.start.Columns[key]; return ok }
	if !has("floor_area") {
		h.FloorArea = old.FloorArea
	}
	if !has("note") {
		h.Note = old.Note
	}
	if !has("owner_id") && !has("owner_code") {
		h.OwnerResident, h.OwnerOrg, h.OwnerName = old.OwnerResident, old.OwnerOrg, old.OwnerName
	}
	changes := houseChanges(old, &h)
	if len(changes) == 0 {
		b.unchanged++
		return nil
	}
	state, stateChange := stateAfterChange(ctx, old.Collection.State)
	if _, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE houses SET owner_resident = ?, owner_org = ?, house_use = ?, floor_area = ?,
		note = ?, state = ?, updated_at = ? WHERE id = ?`), nullID(h.OwnerResident), nullID(h.OwnerOrg), string(h.Use), h.FloorArea,
		h.Note, string(state), timestamp(s.now()), id); err != nil {
		return fmt.Errorf("store: update house: %w", err)
	}
	names, err := s.recordChanges(ctx, tx, cunjing.RecordHouse, id, append(changes, stateChange...))
	if err != nil {
		return err
	}
	b.updated++
	return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordHouse, id), cunjing.ResultOK, names)
}

// housesAt returns the houses registered at the addresses of the rows.
func (b *recordBatch) housesAt(ctx context.Context, tx *sql.Tx, rows []int) (map[int64][]int64, error) {
	ids := map[int64]bool{}
	for _, i := range rows {
		if place, ok := b.address(&b.rows[i]); ok {
			ids[place.id] = true
		}
	}
	found := map[int64][]int64{}
	addresses := slices.Sorted(maps.Keys(ids))
	for start := 0; start < len(addresses); start += insertChunk {
		part := addresses[start:min(start+insertChunk, len(addresses))]
		args := make([]any, len(part))
		for j, id := range part {
			args[j] = id
		}
		rows, err := tx.QueryContext(ctx, b.sess.s.dialect.q("SELECT id, address_id FROM houses WHERE address_id IN ("+marks(len(part))+
			") ORDER BY id"), args...)
		if err != nil {
			return nil, fmt.Errorf("store: find houses: %w", err)
		}
		for rows.Next() {
			var id, address int64
			if err := rows.Scan(&id, &address); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: find houses: %w", err)
			}
			found[address] = append(found[address], id)
		}
		if err := rows.Close(); err != nil {
			return nil, fmt.Errorf("store: find houses: %w", err)
		}
	}
	return found, nil
}

// personsByID finds, by blind index, the residents in scope whose ID
// numbers the rows name (ref gives a row's number); those outside the
// scope are left out, as if missing.
func (b *recordBatch) personsByID(ctx context.Context, tx *sql.Tx, rows []int, ref func(*cunjing.ImportRow) string) (map[string]importRef, error) {
	s := b.sess.s
	byBlind := map[string]string{}
	for _, i := range rows {
		if number := ref(&b.rows[i]); number != "" {
			blind, err := s.blind("id_number", number)
			if err != nil {
				return nil, err
			}
			byBlind[string(blind)] = number
		}
	}
	blinds := slices.Sorted(maps.Keys(byBlind))
	found := map[string]importRef{}
	for start := 0; start < len(blinds); start += insertChunk {
		part := blinds[start:min(start+insertChunk, len(blinds))]
		args := make([]any, len(part))
		for j, bl := range part {
			args[j] = []byte(bl)
		}
		err := b.scanRefs(ctx, tx, "SELECT id, area_code, name, id_blind FROM residents WHERE id_blind IN ("+marks(len(part))+")", args,
			func(key string) string { return byBlind[key] }, found)
		if err != nil {
			return nil, err
		}
	}
	return found, nil
}

// orgsByCode finds the orgs in scope whose credit codes the rows name as
// owners.
func (b *recordBatch) orgsByCode(ctx context.Context, tx *sql.Tx, rows []int) (map[string]importRef, error) {
	codes := map[string]bool{}
	for _, i := range rows {
		if code := b.rows[i].OwnerCode; code != "" {
			codes[code] = true
		}
	}
	found := map[string]importRef{}
	list := slices.Sorted(maps.Keys(codes))
	for start := 0; start < len(list); start += insertChunk {
		part := list[start:min(start+insertChunk, len(list))]
		err := b.scanRefs(ctx, tx, "SELECT id, area_code, name, credit_code FROM orgs WHERE credit_code IN ("+marks(len(part))+")",
			anySlice(part), func(key string) string { return key }, found)
		if err != nil {
			return nil, err
		}
	}
	return found, nil
}

// scanRefs reads rows of id, area, name and key, keeping those in scope
// under the name key gives them.
func (b *recordBatch) scanRefs(ctx context.Context, tx *sql.Tx, query string, args []any, key func(string) string, found map[string]importRef) error {
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, b.sess.s.dialect.q(query), args...)
	if err != nil {
		return fmt.Errorf("store: find references: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r importRef
		var area string
		var k []byte
		if err := rows.Scan(&r.id, &area, &r.name, &k); err != nil {
			return fmt.Errorf("store: find references: %w", err)
		}
		if scope.Covers(area) {
			found[key(string(k))] = r
		}
	}
	return rows.Err()
}

// rentalImport imports rentals of registered houses to registered
// residents, both in scope.
type rentalImport struct{}

func (rentalImport) sameWhat() string { return "同一房屋、同一租客、同一起租日期" }

func (rentalImport) key(_ *importSession, row *cunjing.ImportRow) ([16]byte, error) {
	return importKey("rental", row.AreaCode, rowAddressKey(row), row.TenantID, row.Rental.Start.String()), nil
}

func (r rentalImport) prepare(sess *importSession, row *cunjing.ImportRow) {
	p := &importPrepared{addrKey: sess.addressKeyOf(row.Address)}
	row.Prepared = p
	p.key, _ = r.key(sess, row)
}

// write finds the house at each address and the tenant, then refuses
// (add) or updates (upsert) the rentals registered already and inserts
// the others; a house with a running tenancy becomes rented, as when an
// officer registers one.
func (rentalImport) write(ctx context.Context, tx *sql.Tx, b *recordBatch) error {
	live := b.live()
	if err := b.findAddresses(ctx, tx, live, false); err != nil {
		return err
	}
	houses, err := b.housesAt(ctx, tx, live)
	if err != nil {
		return err
	}
	tenants, err := b.personsByID(ctx, tx, live, func(row *cunjing.ImportRow) string { return row.TenantID })
	if err != nil {
		return err
	}
	for _, i := range live {
		r, ok := b.rentalOf(i, houses, tenants)
		if !ok {
			continue
		}
		if err := b.writeRental(ctx, tx, i, r); err != nil {
			return err
		}
	}
	return nil
}

// rentalOf is the rental a row describes; a row whose house or tenant is
// not found is refused.
func (b *recordBatch) rentalOf(i int, houses map[int64][]int64, tenants map[string]importRef) (cunjing.Rental, bool) {
	row := &b.rows[i]
	r := row.Rental
	place, found := b.address(row)
	at := houses[place.id]
	switch {
	case !found:
		b.refuse(i, "address", row.Address, "本区划没有登记这个地址：请先导入标准地址和房屋")
	case len(at) == 0:
		b.refuse(i, "address", row.Address, "这个地址没有登记房屋：请先导入房屋")
	case len(at) > 1:
		b.refuse(i, "address", row.Address, "这个地址登记了多处房屋，无法确定是哪一处：请在系统中登记")
	default:
		t, ok := tenants[row.TenantID]
		if !ok {
			b.refuse(i, "tenant_id", cunjing.MaskIDNumber(row.TenantID), "找不到此证件号码的人员（未登记，或不在您的管辖范围内）：请先导入实有人口")
			return r, false
		}
		r.HouseID, r.TenantID, r.TenantName = at[0], t.id, t.name
		return r, true
	}
	return r, false
}

// writeRental refuses, updates or inserts one rental.
func (b *recordBatch) writeRental(ctx context.Context, tx *sql.Tx, i int, r cunjing.Rental) error {
	s := b.sess.s
	var id int64
	var end string
	err := tx.QueryRowContext(ctx, s.dialect.q(`SELECT id, end_date FROM rentals WHERE house_id = ? AND tenant_id = ? AND start_date = ?`),
		r.HouseID, r.TenantID, r.Start.String()).Scan(&id, &end)
	switch {
	case err == nil && b.sess.job.Mode == cunjing.ImportAdd:
		b.refuse(i, "start", r.Start.String(), "这次租住已登记：“新增”模式不修改已登记的租住")
		return nil
	case err == nil && end == r.End.String():
		b.unchanged++
		return nil
	case err == nil:
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE rentals SET end_date = ? WHERE id = ?"), r.End.String(), id); err != nil {
			return fmt.Errorf("store: update rental: %w", err)
		}
		b.updated++
		return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordHouse, r.HouseID), cunjing.ResultOK,
			fmt.Sprintf("rental %d ends %s", id, r.End))
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("store: find rental: %w", err)
	}
	return b.insertRental(ctx, tx, i, r)
}

// insertRental registers a tenancy; a running one makes its house rented
// (or mixed), kept in the house's history, unless the tenant already has
// a running tenancy there.
func (b *recordBatch) insertRental(ctx context.Context, tx *sql.Tx, i int, r cunjing.Rental) error {
	s := b.sess.s
	if r.End.IsZero() {
		var running int
		if err := tx.QueryRowContext(ctx, s.dialect.q("SELECT COUNT(*) FROM rentals WHERE house_id = ? AND tenant_id = ? AND end_date = ''"),
			r.HouseID, r.TenantID).Scan(&running); err != nil {
			return fmt.Errorf("store: check rentals: %w", err)
		}
		if running > 0 {
			b.refuse(i, "tenant_id", cunjing.MaskIDNumber(b.rows[i].TenantID), "此人正租住这处房屋（另一起租日期的租住尚未结束）")
			return nil
		}
	}
	if _, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO rentals (house_id, tenant_id, start_date, end_date, created_by, created_at,
		import_job) VALUES (?, ?, ?, ?, ?, ?, ?)`), r.HouseID, r.TenantID, r.Start.String(), r.End.String(), b.sess.collection.CollectedBy,
		timestamp(s.now()), b.sess.job.ID); err != nil {
		return fmt.Errorf("store: insert rental: %w", err)
	}
	b.added++
	if !r.End.IsZero() {
		return nil
	}
	h, err := s.houseInScope(ctx, tx, r.HouseID)
	if err != nil {
		return err
	}
	if use := rentedUse(h.Use); use != h.Use {
		return s.changeHouseUse(ctx, tx, h, use)
	}
	return nil
}
