package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"cunjing"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/store"
)

// go test ./internal/store -run '^$' -bench CoverageCity
func BenchmarkCoverageCity(b *testing.B) {
	st := demotest.Store(b)
	ctx := cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "city", Role: cunjing.RoleCityAdmin,
		Scope: cunjing.Scope{Prefixes: []string{"4104"}}})
	benchMedian(b, []string{"4104"}, func(code string) error {
		r, err := st.Coverage(ctx, code, cunjing.CoverageOptions{})
		if err == nil && r.Tally.All.Total < 2800 {
			b.Fatalf("the city report covers %d areas", r.Tally.All.Total)
		}
		return err
	})
}

// nationalForce is the size of the generated national force.
const (
	nationalStaff    = 2_000_000
	nationalOfficers = 700_000
)

var nationalPosts sync.Once

// go test ./internal/store -run '^$' -bench CoverageNational -timeout 30m
//
// The national tree (≈620,000 villages and communities) with 2 million
// staff and 3 million assignments: one officer and two cadres for most
// villages, every twentieth uncovered, every tenth sharing its
// neighbour's officer, a staffing model bound to every province, and
// 1.2 million closed assignments of history.
func BenchmarkCoverageNational(b *testing.B) {
	st := nationalStore(b)
	nationalPosts.Do(func() {
		if !national.kept || countRows(b, "staff") < nationalStaff {
			addNationalForce(b, st)
		}
	})
	ctx := context.Background()
	ctx = cunjing.WithIdentity(ctx, cunjing.SystemIdentity)
	benchMedian(b, []string{""}, func(code string) error {
		r, err := st.Coverage(ctx, code, cunjing.CoverageOptions{})
		if err == nil && (r.Tally.All.Total < 600_000 || r.Tally.All.Covered == r.Tally.All.Total) {
			b.Fatalf("the national report: %+v", r.Tally.All)
		}
		return err
	})
}

// nationalDB opens the national database directly, foreign keys off,
// for bulk writes.
func nationalDB(b *testing.B) *sql.DB {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(national.dir, "cunjing.db")+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(0)")
	if err != nil {
		b.Fatal(err)
	}
	return db
}

func countRows(b *testing.B, table string) int {
	db := nationalDB(b)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

func addNationalForce(b *testing.B, st *store.Store) {
	b.Helper()
	db := nationalDB(b)
	defer db.Close()
	villages := queryStrings(b, db, "SELECT code FROM areas WHERE level = 'village' ORDER BY code")
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	counties := queryStrings(b, db, "SELECT code FROM areas WHERE level = 'county'")
	ins := newInserter(b, tx)
	for _, c := range counties {
		unit := c + "000000"
		ins.row("units (code, name, kind, path, address, phone, updated_at)", unit, c+"公安局", "bureau", "/"+unit+"/", "", "", "2026-01-01T00:00:00.000000Z")
		ins.row("unit_areas (unit_code, area_code)", unit, c)
	}
	for id := 1; id <= nationalStaff; id++ {
		kind, number := "cadre", ""
		if id <= nationalOfficers {
			kind, number = "officer", fmt.Sprintf("%07d", id)
		}
		status := "active"
		if id%50 == 0 {
			status = "on_leave"
		}
		county := villages[(id*7919)%len(villages)][:6]
		ins.row("staff (id, name, kind, unit_code, police_number, status, updated_at)", id, fmt.Sprintf("人员%d", id), kind,
			county+"000000", number, status, "2026-01-01T00:00:00.000000Z")
	}
	assignment := "assignments (staff_id, area_code, role, start_date, end_date, created_at)"
	officer := 0
	for i, v := range villages {
		if i%10 != 1 {
			officer = 1 + i*(nationalOfficers-1)/len(villages)
		}
		if i%20 != 0 {
			ins.row(assignment, officer, v, "responsible", "2024-01-01", "", "2024-01-01T00:00:00.000000Z")
		}
		for h := 1; h <= 2; h++ {
			ins.row(assignment, nationalOfficers+1+(2*i+h)%(nationalStaff-nationalOfficers), v, "cadre", "2024-01-01", "", "2024-01-01T00:00:00.000000Z")
		}
		if i%2 == 0 {
			ins.row(assignment, 1+(i*31)%nationalOfficers, v, "responsible", "2021-01-01", "2024-01-01", "2021-01-01T00:00:00.000000Z")
			ins.row(assignment, 1+(i*17)%nationalOfficers, v, "responsible", "2019-01-01", "2021-01-01", "2019-01-01T00:00:00.000000Z")
			ins.row(assignment, 1+(i*13)%nationalOfficers, v, "responsible", "2017-01-01", "2019-01-01", "2017-01-01T00:00:00.000000Z")
			ins.row(assignment, 1+(i*11)%nationalOfficers, v, "responsible", "2015-01-01", "2017-01-01", "2015-01-01T00:00:00.000000Z")
		}
	}
	ins.flush()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	ctx := cunjing.WithIdentity(context.Background(), cunjing.SystemIdentity)
	model, err := st.SaveStaffingModel(ctx, cunjing.StaffingModel{Name: "一警两干", MaxAreasPerOfficer: 1, Rules: []cunjing.ModelRule{
		{Roles: []cunjing.PostRole{cunjing.PostResponsible, cunjing.PostCommunity}, Min: 1, Max: 1},
		{Roles: []cunjing.PostRole{cunjing.PostCadre}, Min: 2}}})
	if err != nil {
		b.Fatal(err)
	}
	for _, province := range queryStrings(b, db, "SELECT code FROM areas WHERE level = 'province'") {
		if err := st.BindModel(ctx, cunjing.ModelBinding{AreaCode: province, AreaKind: cunjing.KindVillage, ModelID: model}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
	var staff, posts int
	db.QueryRow("SELECT (SELECT COUNT(*) FROM staff), (SELECT COUNT(*) FROM assignments)").Scan(&staff, &posts)
	b.Logf("national force: %d villages, %d staff, %d assignments", len(villages), staff, posts)
}

func queryStrings(b *testing.B, db *sql.DB, query string) []string {
	b.Helper()
	rows, err := db.Query(query)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			b.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// inserter batches rows per table into multi-row INSERTs.
type inserter struct {
	b       *testing.B
	tx      *sql.Tx
	pending map[string][][]any
}

func newInserter(b *testing.B, tx *sql.Tx) *inserter {
	return &inserter{b: b, tx: tx, pending: map[string][][]any{}}
}

func (in *inserter) row(table string, values ...any) {
	in.pending[table] = append(in.pending[table], values)
	if len(in.pending[table]) == 500 {
		in.write(table)
	}
}

func (in *inserter) flush() {
	for _, table := range []string{"units (code, name, kind, path, address, phone, updated_at)", "unit_areas (unit_code, area_code)"} {
		in.write(table)
	}
	for table := range in.pending {
		in.write(table)
	}
}

func (in *inserter) write(table string) {
	rows := in.pending[table]
	if len(rows) == 0 {
		return
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(rows[0])), ",") + ")"
	args := make([]any, 0, len(rows)*len(rows[0]))
	for _, r := range rows {
		args = append(args, r...)
	}
	query := "INSERT INTO " + table + " VALUES " + strings.TrimSuffix(strings.Repeat(one+",", len(rows)), ",")
	if _, err := in.tx.Exec(query, args...); err != nil {
		in.b.Fatalf("insert into %s: %v", table, err)
	}
	in.pending[table] = nil
}
