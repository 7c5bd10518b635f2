package store

import (
	"context"
	"database/sql"
	"fmt"

	"cunjing"
)

// addressImport imports standard addresses: one per key in its area.
type addressImport struct{}

func (addressImport) sameWhat() string { return "同一区划中的同一地址" }

func (addressImport) key(_ *importSession, row *cunjing.ImportRow) ([16]byte, error) {
	return importKey("address", row.AreaCode, row.StdAddress.Key), nil
}

func (a addressImport) prepare(sess *importSession, row *cunjing.ImportRow) {
	key, _ := a.key(sess, row)
	row.Prepared = &importPrepared{key: key, addrKey: row.StdAddress.Key}
}

// write refuses (add) or updates (upsert) the addresses registered in
// their area already, and inserts the others.
func (addressImport) write(ctx context.Context, tx *sql.Tx, b *recordBatch) error {
	live := b.live()
	if err := b.findAddresses(ctx, tx, live, false); err != nil {
		return err
	}
	var values []any
	for _, i := range live {
		row := &b.rows[i]
		place, found := b.address(row)
		switch {
		case found && b.sess.job.Mode == cunjing.ImportAdd:
			b.refuse(i, "street", row.StdAddress.Street, fmt.Sprintf("该地址在本区划已登记（地址编号 %d）：“新增”模式不修改已登记的地址", place.id))
		case found:
			if err := b.updateAddress(ctx, tx, row, place.id); err != nil {
				return err
			}
		default:
			a := &row.StdAddress
			lng, lat, datum := pointValues(a.Location)
			values = append(values, a.AreaCode, a.Street, a.HouseNumber, a.Building, a.Entrance, a.Room, a.Text, a.Key, lng, lat, datum,
				b.sess.job.ID)
			values = append(values, collectionValues(b.sess.collection)...)
			b.added++
		}
	}
	return b.sess.s.insertChunked(ctx, tx, "addresses ("+importAddressColumns+")", importAddressWidth, values)
}

// updateAddress writes a row over a registered address when it differs:
// its parts (the key stays) and coordinates, kept in the history.
func (b *recordBatch) updateAddress(ctx context.Context, tx *sql.Tx, row *cunjing.ImportRow, id int64) error {
	s := b.sess.s
	old, err := s.addressInScope(ctx, tx, id)
	if err != nil {
		return err
	}
	a := row.StdAddress
	if _, has := b.sess.start.Columns["lng"]; !has {
		a.Location = old.Location
	}
	changes := changed(
		fieldChange{"street", old.Street, a.Street}, fieldChange{"house_number", old.HouseNumber, a.HouseNumber},
		fieldChange{"building", old.Building, a.Building}, fieldChange{"entrance", old.Entrance, a.Entrance},
		fieldChange{"room", old.Room, a.Room}, fieldChange{"location", pointText(old.Location), pointText(a.Location)})
	if len(changes) == 0 {
		b.unchanged++
		return nil
	}
	state, stateChange := stateAfterChange(ctx, old.Collection.State)
	lng, lat, datum := pointValues(a.Location)
	if _, err := tx.ExecContext(ctx, s.dialect.q(`UPDATE addresses SET street = ?, house_number = ?, building = ?, entrance = ?,
		room = ?, text = ?, lng = ?, lat = ?, datum = ?, state = ?, updated_at = ? WHERE id = ?`),
		a.Street, a.HouseNumber, a.Building, a.Entrance, a.Room, a.Text, lng, lat, datum, string(state), timestamp(s.now()), id); err != nil {
		return fmt.Errorf("store: update address: %w", err)
	}
	names, err := s.recordChanges(ctx, tx, cunjing.RecordAddress, id, append(changes, stateChange...))
	if err != nil {
		return err
	}
	b.updated++
	return s.auditTx(ctx, tx, cunjing.ActionRecordUpdate, recordObject(cunjing.RecordAddress, id), cunjing.ResultOK, names)
}
