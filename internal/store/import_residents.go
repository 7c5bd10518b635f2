package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cunjing"
)

// residentImport imports residents: one person per ID number in the whole
// database. A person registered in the caller's scope is refused (add) or
// updated (upsert); one registered outside it is reported as a conflict to
// both sides and refused, never changed.
type residentImport struct{}

func (residentImport) sameWhat() string { return "证件号码相同，是同一人" }

func (residentImport) key(sess *importSession, row *cunjing.ImportRow) ([16]byte, error) {
	var k [16]byte
	blind, err := sess.s.blind("id_number", row.Resident.IDNumber)
	copy(k[:], blind)
	return k, err
}

// prepare seals the person's ID number and phone and reads his name in
// pinyin: the CPU work of an insert, done on every core.
func (residentImport) prepare(sess *importSession, row *cunjing.ImportRow) {
	p := &importPrepared{addrKey: sess.addressKeyOf(row.Address)}
	p.resident, p.err = sess.s.newResidentRow(&row.Resident, sess.collection, sess.jobID)
	copy(p.key[:], p.resident.blind)
	row.Prepared = p
}

// prepared returns what Prepare made of a row.
func prepared(row *cunjing.ImportRow) *importPrepared {
	return row.Prepared.(*importPrepared)
}

// importHolder is the record that holds a key — a resident his ID number,
// an org its credit code or name — and its area.
type importHolder struct {
	id   int64
	area string
}

// write sorts the rows into new persons, persons to update and refused
// ones, then places and writes them.
func (residentImport) write(ctx context.Context, tx *sql.Tx, b *recordBatch) error {
	live := b.live()
	holders, err := b.holders(ctx, tx, live)
	if err != nil {
		return err
	}
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	var inserts, updates []int
	for _, i := range live {
		row := &b.rows[i]
		h, found := holders[prepared(row).key]
		masked := cunjing.MaskIDNumber(row.Resident.IDNumber)
		switch {
		case found && !scope.Covers(h.area):
			if _, err := b.sess.s.reportConflict(ctx, tx, h.id, h.area, row.AreaCode); err != nil {
				return err
			}
			b.refuse(i, "id_number", masked, "此人已登记在您管辖范围以外的区划：已向双方报告这一冲突，本行未导入")
		case found && b.sess.job.Mode == cunjing.ImportAdd:
			b.refuse(i, "id_number", masked, fmt.Sprintf("此人已登记（人员编号 %d）：“新增”模式不修改已登记的人员，要更新请选“新增或更新”", h.id))
		case found:
			updates = append(updates, i)
		case row.MaskedPhone != "":
			b.refuse(i, "phone", row.MaskedPhone, "这是遮蔽后的号码：新增人员请填写完整号码，或留空")
		default:
			inserts = append(inserts, i)
		}
	}
	placed := slices.Sorted(slices.Values(append(slices.Clone(inserts), updates...)))
	if err := b.findAddresses(ctx, tx, placed, true); err != nil {
		return err
	}
	if err := b.findHouseholds(ctx, tx, placed); err != nil {
		return err
	}
	if err := b.insertResidents(ctx, tx, inserts); err != nil {
		return err
	}
	return b.updateResidents(ctx, tx, updates, holders)
}

// holders finds who holds the ID numbers of the rows: on the bulk path in
// the memory of the residents registered before the job (the table has no
// index then), otherwise by the blind index.
func (b *recordBatch) holders(ctx context.Context, tx *sql.Tx, rows []int) (map[[16]byte]importHolder, error) {
	found := map[[16]byte]importHolder{}
	if b.sess.bulk {
		for _, i := range rows {
			if h, ok := b.sess.existing[prepared(&b.rows[i]).key]; ok {
				found[prepared(&b.rows[i]).key] = h
			}
		}
		return found, nil
	}
	s := b.sess.s
	for start := 0; start < len(rows); start += insertChunk {
		part := rows[start:min(start+insertChunk, len(rows))]
		blinds := make([]any, len(part))
		for j, i := range part {
			blinds[j] = prepared(&b.rows[i]).resident.blind
		}
		if err := s.scanHolders(ctx, tx, "SELECT id, area_code, id_blind FROM residents WHERE id_blind IN ("+marks(len(part))+")",
			blinds, found); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// scanHolders reads rows of id, area and blind into found.
func (s *Store) scanHolders(ctx context.Context, db querier, query string, args []any, found map[[16]byte]importHolder) error {
	rows, err := db.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return fmt.Errorf("store: look up ID numbers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h importHolder
		var blind []byte
		if err := rows.Scan(&h.id, &h.area, &blind); err != nil {
			return fmt.Errorf("store: look up ID numbers: %w", err)
		}
		var k [16]byte
		copy(k[:], blind)
		found[k] = h
	}
	return rows.Err()
}

// insertResidents inserts new persons, placed at the addresses and in the
// households of their rows, with their further pinyin keys.
func (b *recordBatch) insertResidents(ctx context.Context, tx *sql.Tx, rows []int) error {
	if len(rows) == 0 {
		return nil
	}
	before, err := maxID(ctx, tx, "residents")
	if err != nil {
		return err
	}
	values := make([][]any, len(rows))
	for j, i := range rows {
		row := &b.rows[i]
		v := prepared(row).resident.values
		v[1], v[2] = nil, nil
		if place, ok := b.address(row); ok && row.Address != "" {
			v[1] = place.id
		}
		if id, ok := b.household(row); ok && row.Household != "" {
			v[2] = id
		}
		values[j] = v
	}
	if err := b.sess.s.insertResidentRows(ctx, b, tx, values); err != nil {
		return err
	}
	b.added += int64(len(rows))
	return b.insertAltKeys(ctx, tx, rows, before)
}

// insertResidentRows writes resident rows: COPY on the PostgreSQL bulk
// path, prepared multi-row INSERTs otherwise.
func (s *Store) insertResidentRows(ctx context.Context, b *recordBatch, tx *sql.Tx, values [][]any) error {
	if b.sess.bulk && s.dialect == postgres {
		return s.copyResidents(ctx, b.conn, values)
	}
	full := insertChunk
	insert := func(rows int) string {
		return s.dialect.q("INSERT INTO residents (" + residentInsertColumns + ") VALUES " + b.residentTuples(rows))
	}
	stmt, err := tx.PrepareContext(ctx, insert(full))
	if err != nil {
		return fmt.Errorf("store: insert residents: %w", err)
	}
	defer stmt.Close()
	args := make([]any, 0, full*residentVaryingWidth)
	for start := 0; start < len(values); start += full {
		part := values[start:min(start+full, len(values))]
		args = args[:0]
		for _, v := range part {
			args = append(args, v[:residentVaryingWidth]...)
		}
		if len(part) == full {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insert(len(part)), args...)
		}
		if err != nil {
			return fmt.Errorf("store: insert residents: %w", err)
		}
	}
	return nil
}

// residentVaryingWidth is the number of leading columns of a new resident
// row that vary from row to row; the import job and the collection that
// follow are the same for every row of a job.
const residentVaryingWidth = residentInsertWidth - 8

// residentTuples is the VALUES list of rows new residents: parameters for
// the columns that vary, the job's constants written as literals — a
// quarter fewer values to bind, the dearest part of an insert.
func (b *recordBatch) residentTuples(rows int) string {
	var one strings.Builder
	one.WriteString("(" + strings.Repeat("?,", residentVaryingWidth))
	one.WriteString(strconv.FormatInt(b.sess.job.ID, 10))
	for _, v := range collectionValues(b.sess.collection) {
		one.WriteString(",'" + strings.ReplaceAll(v.(string), "'", "''") + "'")
	}
	one.WriteString(")")
	return strings.TrimSuffix(strings.Repeat(one.String()+",", rows), ",")
}

// insertAltKeys keeps the further pinyin keys of the new persons whose
// surname reads two ways; their IDs are read back by blind index.
func (b *recordBatch) insertAltKeys(ctx context.Context, tx *sql.Tx, rows []int, before int64) error {
	var withAlt []int
	for _, i := range rows {
		if len(prepared(&b.rows[i]).resident.alt) > 0 {
			withAlt = append(withAlt, i)
		}
	}
	if len(withAlt) == 0 {
		return nil
	}
	s := b.sess.s
	ids := map[[16]byte]importHolder{}
	if err := s.scanHolders(ctx, tx, "SELECT id, area_code, id_blind FROM residents WHERE import_job = ? AND id > ?",
		[]any{b.sess.job.ID, before}, ids); err != nil {
		return err
	}
	var values []any
	for _, i := range withAlt {
		p := prepared(&b.rows[i])
		h := ids[p.key]
		for _, k := range slices.Compact(slices.Sorted(slices.Values(p.resident.alt))) {
			values = append(values, k, h.area, h.id)
		}
	}
	return s.insertChunked(ctx, tx, "name_alt_keys (name_key, area_code, resident_id)", 3, values)
}

// updateResidents updates the persons of the rows in upsert mode: the
// columns the file has replace the stored values (an empty 地址 or 户号
// keeps the stored one), each change kept in the history and audited;
// a row equal to the record changes nothing.
func (b *recordBatch) updateResidents(ctx context.Context, tx *sql.Tx, rows []int, holders map[[16]byte]importHolder) error {
	s := b.sess.s
	for _, i := range rows {
		row := &b.rows[i]
		old, err := s.residentInScope(ctx, tx, holders[prepared(row).key].id, true)
		if err != nil {
			return err
		}
		r, problem := b.residentUpdate(row, old)
		switch {
		case problem != nil:
			b.refuse(i, problem.key, problem.cell, problem.msg)
			continue
		case sameResident(old, &r):
			b.unchanged++
			continue
		}
		if err := s.updateResidentTx(ctx, tx, old, &r); err != nil {
			return err
		}
		b.updated++
	}
	return nil
}

// rowProblem is a problem the store finds in a row: the column's field
// key, the cell as shown, and the message.
type rowProblem struct{ key, cell, msg string }

// residentUpdate is the resident a row makes of the stored one, or the
// problem that refuses the row.
func (b *recordBatch) residentUpdate(row *cunjing.ImportRow, old *cunjing.Resident) (cunjing.Resident, *rowProblem) {
	r := row.Resident
	r.ID, r.Collection = old.ID, old.Collection
	has := func(key string) bool { _, ok := b.sess.start.Columns[key]; return ok }
	r.AddressID, r.AddressText, r.HouseholdID = old.AddressID, old.AddressText, old.HouseholdID
	if place, ok := b.address(row); ok && row.Address != "" {
		r.AddressID, r.AddressText = place.id, place.text
	}
	if id, ok := b.household(row); ok && row.Household != "" {
		r.HouseholdID = id
	}
	keep := []struct {
		key  string
		keep func()
	}{
		{"relation", func() { r.Relation = old.Relation }}, {"phone", func() { r.Phone = old.Phone }},
		{"category", func() { r.Category = old.Category }}, {"left_behind", func() { r.LeftBehind = old.LeftBehind }},
		{"status", func() { r.Status = old.Status }}, {"note", func() { r.Note = old.Note }},
	}
	for _, k := range keep {
		if !has(k.key) {
			k.keep()
		}
	}
	if row.MaskedPhone != "" {
		if cunjing.MaskPhone(old.Phone) != row.MaskedPhone {
			return r, &rowProblem{"phone", row.MaskedPhone, "遮蔽的号码与登记的号码不符：请填写完整号码"}
		}
		r.Phone = old.Phone
	}
	if !sameVillage(old.AreaCode, r.AreaCode) && (row.Address == "" && r.AddressID != 0 || row.Household == "" && r.HouseholdID != 0) {
		return r, &rowProblem{"area_code", r.AreaCode, "此人迁往另一村（社区）：请同时填写新的地址和户号"}
	}
	return r, nil
}

// sameResident reports whether an update changes nothing of a resident.
func sameResident(old, r *cunjing.Resident) bool {
	return len(residentChanges(old, r)) == 0 && old.IDNumber == r.IDNumber && old.Phone == r.Phone
}
