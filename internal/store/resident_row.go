package store

import (
	"cunjing"
)

// residentInsertColumns are the columns of a new resident row, in the
// order of residentRow.values.
const residentInsertColumns = `area_code, address_id, household_id, relation, doc_kind, id_sealed, id_blind, id_masked, id_tail,
	name, name_py, name_initials, sex, birth_date, native_place, phone_sealed, phone_blind, phone_masked,
	category, left_behind, status, note, import_job, ` + collectionColumns

// residentInsertWidth is the number of residentInsertColumns.
const residentInsertWidth = 30

// residentRow is a validated resident as stored: personal fields sealed,
// pinyin keys computed. Building it is the CPU work of an insert, so the
// import does it on every core before taking the writer.
type residentRow struct {
	values []any
	blind  []byte   // of the ID number, to tell duplicates
	alt    []string // further pinyin keys: full and initials of other readings
}

// newResidentRow seals and indexes a resident that Validate accepted, with
// its collection and the import job that brings it (0 for none).
func (s *Store) newResidentRow(r *cunjing.Resident, c cunjing.Collection, job int64) (residentRow, error) {
	id, err := s.seal("id_number", r.IDNumber, cunjing.MaskIDNumber)
	if err != nil {
		return residentRow{}, err
	}
	phone, err := s.seal("phone", r.Phone, cunjing.MaskPhone)
	if err != nil {
		return residentRow{}, err
	}
	keys := cunjing.NamePinyin(r.Name)
	var first cunjing.PinyinKey
	var alt []string
	if len(keys) > 0 {
		first = keys[0]
		for _, k := range keys[1:] {
			alt = append(alt, k.Full, k.Initials)
		}
	}
	values := []any{r.AreaCode, nullID(r.AddressID), nullID(r.HouseholdID), string(r.Relation), string(r.DocKind),
		id.value, id.blind, id.masked, r.IDNumber[len(r.IDNumber)-4:],
		r.Name, first.Full, first.Initials, r.Sex, r.BirthDate.String(), r.NativePlace,
		nullBytes(phone.value), nullBytes(phone.blind), phone.masked,
		string(r.Category), string(r.LeftBehind), string(r.Status), r.Note, nullID(job)}
	return residentRow{values: append(values, collectionValues(c)...), blind: id.blind, alt: alt}, nil
}

// nullID is NULL for an unset reference.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
