package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"

	"cunjing"
)

// orgImport imports orgs: one per credit code in the whole database, and
// an org without one by its name in its area.
type orgImport struct{}

func (orgImport) sameWhat() string {
	return "同一统一社会信用代码（没有代码的，同一区划中的同一名称）"
}

func (orgImport) key(_ *importSession, row *cunjing.ImportRow) ([16]byte, error) {
	if code := row.Org.CreditCode; code != "" {
		return importKey("org", code), nil
	}
	return importKey("org", row.AreaCode, row.Org.Name), nil
}

// prepare seals the org's phone.
func (o orgImport) prepare(sess *importSession, row *cunjing.ImportRow) {
	p := &importPrepared{addrKey: sess.addressKeyOf(row.Address)}
	row.Prepared = p
	p.key, _ = o.key(sess, row)
	p.phone, p.err = sess.s.seal("phone", row.Org.ContactPhone, cunjing.MaskPhone)
}

// write refuses (add) or updates (upsert) the orgs registered already —
// an org registered outside the scope is refused and never changed — and
// inserts the others.
func (orgImport) write(ctx context.Context, tx *sql.Tx, b *recordBatch) error {
	live := b.live()
	if err := b.findAddresses(ctx, tx, live, true); err != nil {
		return err
	}
	held, err := b.orgsHeld(ctx, tx, live)
	if err != nil {
		return err
	}
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	var values []any
	for _, i := range live {
		row := &b.rows[i]
		h, found := held[prepared(row).key]
		switch {
		case found && !scope.Covers(h.area):
			b.refuse(i, "credit_code", row.Org.CreditCode, "这个信用代码已登记在您管辖范围以外的单位名下，本行未导入")
		case found && b.sess.job.Mode == cunjing.ImportAdd:
			b.refuse(i, orgKeyColumn(row), orgKeyCell(row), fmt.Sprintf("这个单位已登记（单位编号 %d）：“新增”模式不修改已登记的单位", h.id))
		case found:
			if err := b.updateOrg(ctx, tx, i, h.id); err != nil {
				return err
			}
		case row.MaskedPhone != "":
			b.refuse(i, "phone", row.MaskedPhone, "这是遮蔽后的号码：新增单位请填写完整号码，或留空")
		default:
			values = append(values, b.orgValues(row)...)
			b.added++
		}
	}
	return b.sess.s.insertChunked(ctx, tx, `orgs (area_code, address_id, name, credit_code, type, special, legal_rep, security_contact,
		phone_sealed, phone_masked, staff_count, note, import_job, `+collectionColumns+")", 20, values)
}

// orgKeyColumn and orgKeyCell name what identifies the org of a row.
func orgKeyColumn(row *cunjing.ImportRow) string {
	if row.Org.CreditCode != "" {
		return "credit_code"
	}
	return "name"
}

func orgKeyCell(row *cunjing.ImportRow) string {
	if row.Org.CreditCode != "" {
		return row.Org.CreditCode
	}
	return row.Org.Name
}

// orgValues are the columns of a new org.
func (b *recordBatch) orgValues(row *cunjing.ImportRow) []any {
	o, p := &row.Org, prepared(row)
	place, _ := b.address(row)
	values := []any{o.AreaCode, nullID(place.id), o.Name, o.CreditCode, string(o.Type), o.Type.Special(), o.LegalRep,
		o.SecurityContact, nullBytes(p.phone.value), p.phone.masked, o.StaffCount, o.Note, b.sess.job.ID}
	return append(values, collectionValues(b.sess.collection)...)
}

// orgsHeld finds the orgs registered with the keys of the rows: by credit
// code anywhere, and by name in its area for rows without one.
func (b *recordBatch) orgsHeld(ctx context.Context, tx *sql.Tx, rows []int) (map[[16]byte]importHolder, error) {
	codes := map[string]bool{}
	names := map[string]map[string]bool{} // area → names
	for _, i := range rows {
		o := &b.rows[i].Org
		if o.CreditCode != "" {
			codes[o.CreditCode] = true
		} else {
			if names[o.AreaCode] == nil {
				names[o.AreaCode] = map[string]bool{}
			}
			names[o.AreaCode][o.Name] = true
		}
	}
	held := map[[16]byte]importHolder{}
	err := b.scanOrgs(ctx, tx, "credit_code IN", nil, slices.Sorted(maps.Keys(codes)), held)
	for _, area := range slices.Sorted(maps.Keys(names)) {
		if err != nil {
			break
		}
		err = b.scanOrgs(ctx, tx, "area_code = ? AND credit_code = '' AND name IN", []any{area}, slices.Sorted(maps.Keys(names[area])), held)
	}
	return held, err
}

// scanOrgs reads the orgs matching a condition ending in "IN" over the
// values, keyed as rows are.
func (b *recordBatch) scanOrgs(ctx context.Context, tx *sql.Tx, cond string, args []any, values []string, held map[[16]byte]importHolder) error {
	for start := 0; start < len(values); start += insertChunk {
		part := values[start:min(start+insertChunk, len(values))]
		rows, err := tx.QueryContext(ctx, b.sess.s.dialect.q("SELECT id, area_code, name, credit_code FROM orgs WHERE "+cond+" ("+
			marks(len(part))+")"), append(slices.Clone(args), anySlice(part)...)...)
		if err != nil {
			return fmt.Errorf("store: find orgs: %w", err)
		}
		for rows.Next() {
			var h importHolder
			var name, code string
			if err := rows.Scan(&h.id, &h.area, &name, &code); err != nil {
				rows.Close()
				return fmt.Errorf("store: find orgs: %w", err)
			}
			row := cunjing.ImportRow{AreaCode: h.area, Org: cunjing.Org{Name: name, CreditCode: code}}
			k, _ := orgImport{}.key(nil, &row)
			held[k] = h
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("store: find orgs: %w", err)
		}
	}
	return nil
}

// updateOrg writes a row over a registered org when it differs; the
// columns the file lacks, and an empty 地址, keep their stored values.
func (b *recordBatch) updateOrg(ctx context.Context, tx *sql.Tx, i int, id int64) error {
	s := b.sess.s
	row := &b.rows[i]
	old, err := s.orgInScope(ctx, tx, id)
	if err != nil {
		return err
	}
	if old.ContactPhone, err = s.open("phone", old.phone); err != nil {
		return err
	}
	o := b.orgUpdate(row, &old.Org)
	if row.MaskedPhone != "" {
		if cunjing.MaskPhone(old.ContactPhone) != row.MaskedPhone {
			b.refuse(i, "phone", row.MaskedPhone, "遮蔽的号码与登记的号码不符：请填写完整号码")
			return nil
		}
		o.ContactPhone = old.ContactPhone
	}
	changes := orgChanges(&old.Org, &o)
	if len(changes) == 0 {
		b.unchanged++
		return nil
	}
	state, stateChange := stateAfterChange(ctx, old.Collection.State)
	if err := s.writeOrg(ctx, tx, &o, state); err != nil {
		return err
	}
	names, err := s.recordChanges(ctx, tx, cunjing.RecordOrg, id, append(changes, stateChange...))
	if err != nil {
		return err
	}
	b.updated++
	return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordOrg, id), cunjing.ResultOK, names)
}

// orgUpdate is the org a row makes of the stored one.
func (b *recordBatch) orgUpdate(row *cunjing.ImportRow, old *cunjing.Org) cunjing.Org {
	o := row.Org
	o.ID, o.Collection = old.ID, old.Collection
	o.AddressID, o.AddressText = old.AddressID, old.AddressText
	if place, ok := b.address(row); ok && row.Address != "" {
		o.AddressID, o.AddressText = place.id, place.text
	}
	keep := []struct {
		key  string
		keep func()
	}{
		{"credit_code", func() { o.CreditCode = old.CreditCode }}, {"legal_rep", func() { o.LegalRep = old.LegalRep }},
		{"security_contact", func() { o.SecurityContact = old.SecurityContact }}, {"phone", func() { o.ContactPhone = old.ContactPhone }},
		{"staff_count", func() { o.StaffCount = old.StaffCount }}, {"note", func() { o.Note = old.Note }},
	}
	for _, k := range keep {
		if _, has := b.sess.start.Columns[k.key]; !has {
			k.keep()
		}
	}
	return o
}
