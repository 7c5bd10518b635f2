package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"

	"cunjing"
)

// The seeding of a generated population (internal/demo): batches of
// records in multi-row INSERTs, each call one transaction or all the calls
// of a SeedBatch one, for a caller who sees everything (the system loading
// the demo city). Records keep
// the collection they come with. The rows of a statement are matched to
// the IDs it returns by a key that is unique in the batch (its parts
// joined by a tab, which none of them can hold) — address: area
// and key; household: area and number; resident: ID number; org: area,
// address, name and credit code; house: its address — since neither
// engine promises the order of RETURNING.

// seedParams bounds the parameters of one statement (SQLite allows 32,766).
const seedParams = 30000

// SeededResidents counts the residents stored in scope.
func (s *Store) SeededResidents(ctx context.Context) (int, error) {
	cond, args, err := inScope(ctx, "area_code")
	if err != nil {
		return 0, err
	}
	query := "SELECT COUNT(*) FROM residents"
	if cond != "" {
		query += " WHERE " + cond
	}
	var n int
	if err := s.read.QueryRowContext(ctx, s.dialect.q(query), args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count residents: %w", err)
	}
	return n, nil
}

// seedTxKey carries the transaction of SeedBatch in a context.
type seedTxKey struct{}

// SeedBatch runs fn in one write transaction: the Seed calls fn makes
// with the context it is given commit together when fn returns nil, or
// not at all.
func (s *Store) SeedBatch(ctx context.Context, fn func(ctx context.Context) error) error {
	if err := seedCheck(ctx); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if s.dialect == sqlite {
			// The residents' random keys (blind indexes, names) touch
			// pages all over their indexes: with SQLite's default 2 MB
			// page cache the writer reads them back from the file at
			// every insert. The writer keeps the larger cache.
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", seedCacheKiB)); err != nil {
				return fmt.Errorf("store: seed: %w", err)
			}
		}
		return fn(context.WithValue(ctx, seedTxKey{}, tx))
	})
}

// seedCacheKiB is the page cache of the SQLite writer while it seeds, as
// PRAGMA cache_size takes it: negative, in KiB.
const seedCacheKiB = -128 << 10

// seedTx runs fn in the transaction of SeedBatch, or in one of its own.
func (s *Store) seedTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if tx, ok := ctx.Value(seedTxKey{}).(*sql.Tx); ok {
		return fn(tx)
	}
	return s.inWriteTx(ctx, fn)
}

// seedCheck refuses a seed to a caller who does not see everything.
func seedCheck(ctx context.Context) error {
	scope, err := scopeOf(ctx)
	if err != nil {
		return err
	}
	if !scope.All {
		return cunjing.Errorf(cunjing.EForbidden, "only the system seeds a population")
	}
	return nil
}

// seedParallel runs fn for 0..n-1 on every core and returns the first
// error.
func seedParallel(n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/256))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * n / workers; i < (w+1)*n/workers; i++ {
				if err := fn(i); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// seedTable is the insert of one kind of record.
type seedTable struct {
	kind     string // for errors and the audit trail
	insert   string // INSERT INTO t (columns) VALUES, without the tuples
	cols     int
	returned string // columns returned beside id, "" for none
}

// seedRows inserts rows (each cols values) in tx, statement by statement,
// and calls got with the id and the returned key of each row when the
// table returns keys. It appends the audit row of the batch.
func (s *Store) seedRows(ctx context.Context, tx *sql.Tx, t seedTable, rows [][]any, got func(id int64, key string)) error {
	per := seedParams / t.cols
	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(start+per, len(rows))]
		query := t.insert + valueTuples(len(chunk), t.cols)
		if t.returned != "" {
			query += " RETURNING id, " + t.returned
		}
		args := make([]any, 0, len(chunk)*t.cols)
		for _, r := range chunk {
			args = append(args, r...)
		}
		var err error
		if len(chunk) == per {
			if full == nil {
				if full, err = tx.PrepareContext(ctx, s.dialect.q(query)); err != nil {
					return fmt.Errorf("store: seed %s: %w", t.kind, err)
				}
			}
			err = s.seedExec(ctx, full, nil, query, args, t, got)
		} else {
			err = s.seedExec(ctx, nil, tx, query, args, t, got)
		}
		if err != nil {
			return err
		}
	}
	return s.auditTx(ctx, tx, cunjing.ActionImportRecords, "demo:"+t.kind, cunjing.ResultOK, strconv.Itoa(len(rows))+" rows")
}

// seedExec runs one statement, on stmt or else on tx, reading back the
// returned keys.
func (s *Store) seedExec(ctx context.Context, stmt *sql.Stmt, tx *sql.Tx, query string, args []any, t seedTable, got func(int64, string)) error {
	if t.returned == "" {
		var err error
		if stmt != nil {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, s.dialect.q(query), args...)
		}
		if err != nil {
			return fmt.Errorf("store: seed %s: %w", t.kind, err)
		}
		return nil
	}
	var rows *sql.Rows
	var err error
	if stmt != nil {
		rows, err = stmt.QueryContext(ctx, args...)
	} else {
		rows, err = tx.QueryContext(ctx, s.dialect.q(query), args...)
	}
	if err != nil {
		return fmt.Errorf("store: seed %s: %w", t.kind, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return fmt.Errorf("store: seed %s: %w", t.kind, err)
		}
		got(id, key)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: seed %s: %w", t.kind, err)
	}
	return nil
}

// seedIDs matches returned keys to the records of a batch: keys[i] is the
// key of record i; set gives it its ID.
type seedIDs struct {
	kind  string
	index map[string]int
	set   func(i int, id int64)
	found int
}

func newSeedIDs(kind string, keys []string, set func(int, int64)) (*seedIDs, error) {
	m := &seedIDs{kind: kind, index: make(map[string]int, len(keys)), set: set}
	for i, k := range keys {
		if _, dup := m.index[k]; dup {
			return nil, cunjing.Errorf(cunjing.EInvalid, "two %s records of one batch are the same (%s)", kind, k)
		}
		m.index[k] = i
	}
	return m, nil
}

func (m *seedIDs) got(id int64, key string) {
	if i, ok := m.index[key]; ok {
		m.set(i, id)
		m.found++
	}
}

// check fails when a row's ID was not read back.
func (m *seedIDs) check() error {
	if m.found != len(m.index) {
		return fmt.Errorf("store: seed %s: %d rows stored, %d matched", m.kind, len(m.index), m.found)
	}
	return nil
}

// seedWithIDs inserts rows in one transaction and gives each record its ID.
func (s *Store) seedWithIDs(ctx context.Context, t seedTable, rows [][]any, keys []string, set func(int, int64)) error {
	ids, err := newSeedIDs(t.kind, keys, set)
	if err != nil {
		return err
	}
	return s.seedTx(ctx, func(tx *sql.Tx) error {
		if err := s.seedRows(ctx, tx, t, rows, ids.got); err != nil {
			return err
		}
		return ids.check()
	})
}

// seedAreas checks the area of every record.
func seedAreas(ctx context.Context, n int, area func(i int) string) error {
	if err := seedCheck(ctx); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i := range n {
		if code := area(i); !seen[code] {
			if err := checkAreaInScope(ctx, code); err != nil {
				return err
			}
			seen[code] = true
		}
	}
	return nil
}

// SeedAddresses stores addresses, checked and keyed, and sets their IDs.
func (s *Store) SeedAddresses(ctx context.Context, addresses []cunjing.StdAddress) error {
	if err := seedAreas(ctx, len(addresses), func(i int) string { return addresses[i].AreaCode }); err != nil {
		return err
	}
	if err := seedParallel(len(addresses), func(i int) error { return addresses[i].Validate() }); err != nil {
		return err
	}
	rows := make([][]any, len(addresses))
	keys := make([]string, len(addresses))
	for i, a := range addresses {
		var lng, lat, datum any
		if a.Location != nil {
			lng, lat, datum = a.Location.Lng, a.Location.Lat, a.Location.Datum
		}
		rows[i] = append([]any{a.AreaCode, a.Street, a.HouseNumber, a.Building, a.Entrance, a.Room, a.Text, a.Key, lng, lat, datum, nil},
			collectionValues(a.Collection)...)
		keys[i] = a.AreaCode + "\t" + a.Key
	}
	t := seedTable{kind: "addresses", cols: 19, returned: "area_code || '\t' || addr_key",
		insert: "INSERT INTO addresses (area_code, street, house_number, building, entrance, room, text, addr_key, lng, lat, datum, import_job, " +
			collectionColumns + ") VALUES "}
	return s.seedWithIDs(ctx, t, rows, keys, func(i int, id int64) { addresses[i].ID = id })
}

// SeedOrgs stores orgs, checked, their phones sealed, and sets their IDs.
func (s *Store) SeedOrgs(ctx context.Context, orgs []cunjing.Org) error {
	if err := seedAreas(ctx, len(orgs), func(i int) string { return orgs[i].AreaCode }); err != nil {
		return err
	}
	rows := make([][]any, len(orgs))
	keys := make([]string, len(orgs))
	err := seedParallel(len(orgs), func(i int) error {
		o := &orgs[i]
		if err := o.Validate(); err != nil {
			return err
		}
		phone, err := s.seal("phone", o.ContactPhone, cunjing.MaskPhone)
		if err != nil {
			return err
		}
		rows[i] = append([]any{o.AreaCode, nullID(o.AddressID), o.Name, o.CreditCode, string(o.Type), o.Type.Special(), o.LegalRep,
			o.SecurityContact, nullBytes(phone.value), phone.masked, o.StaffCount, o.Note, nil}, collectionValues(o.Collection)...)
		keys[i] = orgSeedKey(o.AreaCode, o.AddressID, o.Name, o.CreditCode)
		return nil
	})
	if err != nil {
		return err
	}
	t := seedTable{kind: "orgs", cols: 20,
		returned: "area_code || '\t' || COALESCE(address_id, 0) || '\t' || name || '\t' || credit_code",
		insert: "INSERT INTO orgs (area_code, address_id, name, credit_code, type, special, legal_rep, security_contact, phone_sealed, phone_masked, " +
			"staff_count, note, import_job, " + collectionColumns + ") VALUES "}
	return s.seedWithIDs(ctx, t, rows, keys, func(i int, id int64) { orgs[i].ID = id })
}

func orgSeedKey(area string, address int64, name, code string) string {
	return area + "\t" + strconv.FormatInt(address, 10) + "\t" + name + "\t" + code
}

// SeedHouseholds stores households, each at an address of its area, and
// sets their IDs. Their numbers must tell them apart within an area.
func (s *Store) SeedHouseholds(ctx context.Context, households []cunjing.Household) error {
	if err := seedAreas(ctx, len(households), func(i int) string { return households[i].AreaCode }); err != nil {
		return err
	}
	at, by := timestamp(s.now()), actorOf(ctx)
	rows := make([][]any, len(households))
	keys := make([]string, len(households))
	for i, h := range households {
		rows[i] = []any{h.AreaCode, nullID(h.AddressID), h.Number, nil, by, at}
		keys[i] = h.AreaCode + "\t" + h.Number
	}
	t := seedTable{kind: "households", cols: 6, returned: "area_code || '\t' || number",
		insert: "INSERT INTO households (area_code, address_id, number, import_job, created_by, created_at) VALUES "}
	return s.seedWithIDs(ctx, t, rows, keys, func(i int, id int64) { households[i].ID = id })
}

// SeedResidents stores residents, checked, their ID numbers and phones
// sealed and their names read into pinyin on every core, and sets their
// IDs; the other readings of their surnames go to name_alt_keys.
func (s *Store) SeedResidents(ctx context.Context, residents []cunjing.Resident) error {
	if err := seedAreas(ctx, len(residents), func(i int) string { return residents[i].AreaCode }); err != nil {
		return err
	}
	today := cunjing.DateOf(s.now())
	built := make([]residentRow, len(residents))
	err := seedParallel(len(residents), func(i int) error {
		r := &residents[i]
		if err := r.Validate(today); err != nil {
			return fmt.Errorf("store: seed resident %d: %w", i, err)
		}
		row, err := s.newResidentRow(r, r.Collection, 0)
		built[i] = row
		return err
	})
	if err != nil {
		return err
	}
	rows := make([][]any, len(built))
	keys := make([]string, len(built))
	for i, b := range built {
		rows[i], keys[i] = b.values, string(b.blind)
	}
	ids, err := newSeedIDs("residents", keys, func(i int, id int64) { residents[i].ID = id })
	if err != nil {
		return err
	}
	t := seedTable{kind: "residents", cols: residentInsertWidth, returned: "id_blind",
		insert: "INSERT INTO residents (" + residentInsertColumns + ") VALUES "}
	return s.seedTx(ctx, func(tx *sql.Tx) error {
		if err := s.seedRows(ctx, tx, t, rows, ids.got); err != nil {
			return err
		}
		if err := ids.check(); err != nil {
			return err
		}
		return s.seedAltKeys(ctx, tx, residents, built)
	})
}

// seedAltKeys stores the further pinyin keys of residents.
func (s *Store) seedAltKeys(ctx context.Context, tx *sql.Tx, residents []cunjing.Resident, built []residentRow) error {
	var rows [][]any
	seen := map[string]bool{}
	for i, b := range built {
		for _, k := range b.alt {
			key := k + "\x00" + strconv.FormatInt(residents[i].ID, 10)
			if !seen[key] {
				seen[key] = true
				rows = append(rows, []any{k, residents[i].AreaCode, residents[i].ID})
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	t := seedTable{kind: "name keys", cols: 3, insert: "INSERT INTO name_alt_keys (name_key, area_code, resident_id) VALUES "}
	return s.seedRows(ctx, tx, t, rows, nil)
}

// SeedHouses stores houses, checked, and sets their IDs. A batch holds one
// house per address.
func (s *Store) SeedHouses(ctx context.Context, houses []cunjing.House) error {
	if err := seedAreas(ctx, len(houses), func(i int) string { return houses[i].AreaCode }); err != nil {
		return err
	}
	rows := make([][]any, len(houses))
	keys := make([]string, len(houses))
	for i := range houses {
		h := &houses[i]
		if err := h.Validate(); err != nil {
			return err
		}
		rows[i] = append([]any{h.AreaCode, h.AddressID, nullID(h.OwnerResident), nullID(h.OwnerOrg), string(h.Use), h.FloorArea, h.Note, nil},
			collectionValues(h.Collection)...)
		keys[i] = strconv.FormatInt(h.AddressID, 10)
	}
	t := seedTable{kind: "houses", cols: 15, returned: "address_id",
		insert: "INSERT INTO houses (area_code, address_id, owner_resident, owner_org, house_use, floor_area, note, import_job, " +
			collectionColumns + ") VALUES "}
	return s.seedWithIDs(ctx, t, rows, keys, func(i int, id int64) { houses[i].ID = id })
}

// SeedRentals stores the tenancies of houses; their IDs are not read back.
func (s *Store) SeedRentals(ctx context.Context, rentals []cunjing.Rental) error {
	if err := seedCheck(ctx); err != nil {
		return err
	}
	at, by := timestamp(s.now()), actorOf(ctx)
	rows := make([][]any, len(rentals))
	for i := range rentals {
		r := &rentals[i]
		if err := r.Validate(); err != nil {
			return err
		}
		rows[i] = []any{r.HouseID, r.TenantID, r.Start.String(), r.End.String(), by, at}
	}
	t := seedTable{kind: "rentals", cols: 6, insert: "INSERT INTO rentals (house_id, tenant_id, start_date, end_date, created_by, created_at) VALUES "}
	return s.seedTx(ctx, func(tx *sql.Tx) error { return s.seedRows(ctx, tx, t, rows, nil) })
}

// SeedVisits stores visits as logged — by their officers, on their days;
// their IDs are not read back.
func (s *Store) SeedVisits(ctx context.Context, visits []cunjing.Visit) error {
	if err := seedAreas(ctx, len(visits), func(i int) string { return visits[i].AreaCode }); err != nil {
		return err
	}
	today := cunjing.DateOf(s.now())
	rows := make([][]any, len(visits))
	for i := range visits {
		v := &visits[i]
		if err := v.Validate(today); err != nil {
			return err
		}
		if v.Officer == "" {
			return cunjing.Errorf(cunjing.EInvalid, "a seeded visit needs its officer")
		}
		var lng, lat, datum any
		if v.Location != nil {
			lng, lat, datum = v.Location.Lng, v.Location.Lat, v.Location.Datum
		}
		rows[i] = []any{v.AreaCode, v.Date.String(), string(v.Kind), string(v.Target), v.TargetID, v.Officer, v.Content, v.Problems,
			lng, lat, datum, timestamp(v.CreatedAt)}
	}
	t := seedTable{kind: "visits", cols: 12,
		insert: "INSERT INTO visits (area_code, day, kind, target, target_id, officer, content, problems, lng, lat, datum, created_at) VALUES "}
	return s.seedTx(ctx, func(tx *sql.Tx) error { return s.seedRows(ctx, tx, t, rows, nil) })
}
