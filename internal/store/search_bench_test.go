package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/demo"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// Search at city scale. The benchmarks run only when CUNJING_BENCH_RESIDENTS
// names the number of residents; the city is generated deterministically on
// the real divisions of Pingdingshan (2,828 villages and communities,
// households of three sharing a village, a surname and often a phone) and
// kept in CUNJING_BENCH_KEEP (SQLite: search-<n>.db) or in the PostgreSQL
// database CUNJING_BENCH_POSTGRES names, for later runs to reuse:
//
//	CUNJING_BENCH_RESIDENTS=5000000 CUNJING_BENCH_KEEP=/var/tmp/cunjing-bench \
//	CUNJING_BENCH_POSTGRES='postgres://postgres@127.0.0.1:5432/cunjing_bench?sslmode=disable' \
//	go test ./internal/store -run '^$' -bench '^BenchmarkSearch$' -benchtime 2000x -timeout 2h -v
const (
	benchResidentsEnv = "CUNJING_BENCH_RESIDENTS"
	benchPostgresEnv  = "CUNJING_BENCH_POSTGRES"
)

// benchSurnames are the surnames given, the common ones first and more
// often; the last ones are read two ways or otherwise than as words.
var benchSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤乐尉盖单")

// benchGiven make up given names, one or two of them.
var benchGiven = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志建国红海鹏飞宇浩凯辉斌鑫波宁文博亮俊峰晨阳东林雪琳晶颖婷燕丹萍莉倩振永春金保卫新民利德庆忠成梅晓彬子涵梓萱欣怡浩然宇轩")

// benchRegions are the regions of the floating population's ID numbers.
var benchRegions = []string{"410102", "410303", "411323", "411502", "320102", "340104", "130102", "510104", "440305", "370102"}

// benchDays is the number of birth dates given, from 1940-01-01.
const benchDays = 80 * 365

// benchResident is resident i of the generated city: households of three
// (head, spouse, child) in one village; the child has the head's surname,
// the spouse a phone of her own seven times in ten, the child half the
// time, else they give the head's. ID numbers are unique: birth date and
// sequence number are a permutation of i.
func benchResident(villages []string, i int) cunjing.Resident {
	h, member := i/3, i%3
	hr := rand.New(rand.NewPCG(uint64(h), 7))
	village := villages[hr.IntN(len(villages))]
	family := benchSurname(hr.Float64())
	phone := benchMobile(hr)
	r := rand.New(rand.NewPCG(uint64(i), 11))
	surname := family
	if member == 1 {
		surname = benchSurname(r.Float64())
	}
	name := []rune{surname, benchGiven[r.IntN(len(benchGiven))]}
	if r.IntN(10) < 7 {
		name = append(name, benchGiven[r.IntN(len(benchGiven))])
	}
	if member == 1 && r.IntN(10) < 7 || member == 2 && r.IntN(2) == 0 {
		phone = benchMobile(r)
	}
	region, category := village[:6], cunjing.CategoryRegistered
	if r.IntN(10) == 0 {
		region, category = benchRegions[r.IntN(len(benchRegions))], cunjing.CategoryFloating
	}
	return cunjing.Resident{AreaCode: village, IDNumber: benchIDNumber(region, i), Name: string(name), Phone: phone, Category: category}
}

func benchSurname(u float64) rune {
	return benchSurnames[int(u*u*float64(len(benchSurnames)))]
}

func benchMobile(r *rand.Rand) string {
	prefixes := []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "186", "188"}
	return prefixes[r.IntN(len(prefixes))] + fmt.Sprintf("%08d", r.IntN(100_000_000))
}

// benchIDNumber is a valid ID number of the region, unique for i.
func benchIDNumber(region string, i int) string {
	const space = benchDays * 1000
	j := (i*7919 + 1) % space
	birth := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, j%benchDays)
	s := region + birth.Format("20060102") + fmt.Sprintf("%03d", j/benchDays)
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, w := range weights {
		sum += int(s[k]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// searchCity is the generated city on one engine.
type searchCity struct {
	st       *store.Store
	n        int
	villages []string
}

func benchResidentCount(b *testing.B) int {
	b.Helper()
	n, err := strconv.Atoi(os.Getenv(benchResidentsEnv))
	if err != nil || n <= 0 {
		b.Skipf("set %s to the number of residents of the city", benchResidentsEnv)
	}
	return n
}

// openSearchCity opens the kept city of n residents on an engine, making
// it first when it is not there.
func openSearchCity(b *testing.B, engine string, n int) *searchCity {
	b.Helper()
	ctx := storetest.Ctx()
	dsn := os.Getenv(benchPostgresEnv)
	if engine == "sqlite" {
		dir := os.Getenv("CUNJING_BENCH_KEEP")
		if dir == "" {
			dir = b.TempDir()
		}
		dsn = filepath.Join(dir, fmt.Sprintf("search-%d.db", n))
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	st.UseCipher(storetest.Cipher())
	city := &searchCity{st: st, n: n, villages: cityVillages(b, st)}
	if have := countResidents(b, engine, dsn); have < n {
		if have > 0 {
			b.Fatalf("%s holds %d residents, not %d: remove it first", dsn, have, n)
		}
		start := time.Now()
		if err := st.LoadResidentsForBench(ctx, n, func(i int) cunjing.Resident { return benchResident(city.villages, i) }); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.Logf("%s: loaded %d residents in %s (%.0f rows/s, indexes built after)", engine, n, took.Round(time.Second), float64(n)/took.Seconds())
	}
	return city
}

// cityVillages returns the village-tier codes of the city, loading the
// divisions first into an empty database.
func cityVillages(b *testing.B, st *store.Store) []string {
	b.Helper()
	ctx := storetest.Ctx()
	villages := findVillages(b, st)
	if len(villages) > 0 {
		return villages
	}
	files, err := demo.DivisionFiles()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := importer.ImportDivisions(ctx, st, files...); err != nil {
		b.Fatal(err)
	}
	return findVillages(b, st)
}

func findVillages(b *testing.B, st *store.Store) []string {
	var codes []string
	page := cunjing.Page{Limit: cunjing.MaxPageLimit}
	for {
		areas, next, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: demo.CityCode, Level: cunjing.LevelVillage, Page: page})
		if err != nil {
			b.Fatal(err)
		}
		for _, a := range areas {
			codes = append(codes, a.Code)
		}
		if next == "" {
			return codes
		}
		page.Cursor = next
	}
}

func countResidents(b *testing.B, engine, dsn string) int {
	b.Helper()
	driver, name := "pgx", dsn
	if engine == "sqlite" {
		driver, name = "sqlite", "file:"+dsn
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM residents").Scan(&n); err != nil {
		b.Fatal(err)
	}
	return n
}

// searchRoles are the callers measured: the scope each has around the
// resident a query is drawn from.
var searchRoles = []struct {
	name  string
	role  cunjing.Role
	scope func(village string) string
}{
	{"city", cunjing.RoleCityAdmin, func(string) string { return demo.CityCode }},
	{"county", cunjing.RoleCountyAdmin, func(v string) string { return v[:6] }},
	{"town", cunjing.RoleStationChief, func(v string) string { return v[:9] }},
	{"village", cunjing.RoleOfficer, func(v string) string { return v }},
}

// searchKinds are what is typed, drawn from a resident.
var searchKinds = []struct {
	name string
	text func(r cunjing.Resident) string
}{
	{"id_number", func(r cunjing.Resident) string { return r.IDNumber }},
	{"id_tail4", func(r cunjing.Resident) string { return r.IDNumber[14:] }},
	{"id_tail6", func(r cunjing.Resident) string { return r.IDNumber[12:] }},
	{"phone", func(r cunjing.Resident) string { return r.Phone }},
	{"name", func(r cunjing.Resident) string { return r.Name }},
	{"surname", func(r cunjing.Resident) string { return string([]rune(r.Name)[:1]) }},
	{"initials", func(r cunjing.Resident) string { return cunjing.NamePinyin(r.Name)[0].Initials }},
	{"pinyin", func(r cunjing.Resident) string { return cunjing.NamePinyin(r.Name)[0].Full }},
}

// BenchmarkSearch measures Search through the store, with the scope of a
// city, county, station (town) and village user, over queries drawn from
// random residents (each caller searching for someone in his scope); it
// reports the median and the 99th percentile, and logs the engine's plan
// of each query.
func BenchmarkSearch(b *testing.B) {
	n := benchResidentCount(b)
	engines := []string{"sqlite"}
	if os.Getenv(benchPostgresEnv) != "" {
		engines = append(engines, "postgres")
	}
	for _, engine := range engines {
		b.Run(engine, func(b *testing.B) {
			city := openSearchCity(b, engine, n)
			b.Run("audit_row", func(b *testing.B) { benchAuditRow(b, city) })
			for _, role := range searchRoles {
				for _, kind := range searchKinds {
					cases := searchCases(b, city, role.role, role.scope, kind.text)
					b.Run(role.name+"/"+kind.name, func(b *testing.B) { benchSearch(b, city, cases) })
					b.Run(role.name+"/"+kind.name+"/queries", func(b *testing.B) { benchQueries(b, city, cases) })
				}
			}
		})
	}
}

// searchCase is one query of a benchmark: who asks, and what.
type searchCase struct {
	ctx context.Context
	q   cunjing.SearchQuery
}

// searchCases draws 1000 queries from random residents, each asked by a
// caller of the role whose scope holds the resident.
func searchCases(b *testing.B, city *searchCity, role cunjing.Role, scope func(string) string, text func(cunjing.Resident) string) []searchCase {
	rng := rand.New(rand.NewPCG(42, uint64(len(role))))
	today := cunjing.DateOf(time.Now())
	cases := make([]searchCase, 0, 1000)
	for len(cases) < cap(cases) {
		r := benchResident(city.villages, rng.IntN(city.n))
		typed := text(r)
		if typed == "" {
			continue
		}
		q, err := cunjing.ParseSearch(typed, today)
		if err != nil {
			b.Fatalf("%q: %v", typed, err)
		}
		id := &cunjing.Identity{Username: "bench", Role: role, Scope: cunjing.Scope{Prefixes: []string{scope(r.AreaCode)}}}
		cases = append(cases, searchCase{cunjing.WithIdentity(context.Background(), id), q})
	}
	return cases
}

// benchSearch times Search, audit row included.
func benchSearch(b *testing.B, city *searchCity, cases []searchCase) {
	logPlans(b, city.st, cases[0])
	times := make([]time.Duration, 0, b.N)
	hits := 0
	for i := 0; b.Loop(); i++ {
		c := cases[i%len(cases)]
		start := time.Now()
		found, err := city.st.Search(c.ctx, c.q, 20)
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		hits += len(found)
	}
	reportPercentiles(b, times)
	b.ReportMetric(float64(hits)/float64(len(times)), "hits/op")
}

// benchQueries times the index lookups of the same searches alone: the
// queries Search runs for them (captured once), without the areas' names
// and the audit row.
func benchQueries(b *testing.B, city *searchCity, cases []searchCase) {
	type statement struct {
		query string
		args  []any
	}
	runs := make([][]statement, len(cases))
	for i, c := range cases {
		_, err := city.st.TraceSearch(c.ctx, c.q, 20, func(query string, args []any) {
			runs[i] = append(runs[i], statement{query, args})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	times := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		for _, st := range runs[i%len(runs)] {
			if _, err := city.st.CountRows(context.Background(), st.query, st.args); err != nil {
				b.Fatal(err)
			}
		}
		times = append(times, time.Since(start))
	}
	reportPercentiles(b, times)
}

// benchAuditRow measures the part of every search that is a write: the
// audit row appended in its own transaction.
func benchAuditRow(b *testing.B, city *searchCity) {
	ctx := searchAs(cunjing.RoleOfficer, city.villages[0])
	times := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		if err := city.st.Audit(ctx, cunjing.ActionSearch, "", cunjing.ResultOK, "name 张三 (1 found)"); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	reportPercentiles(b, times)
}

// reportPercentiles reports the median and the 99th percentile of times.
func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	b.ReportMetric(ms(times[len(times)/2]), "p50-ms")
	b.ReportMetric(ms(times[len(times)*99/100]), "p99-ms")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// logPlans logs the engine's plan of each query of a search.
func logPlans(b *testing.B, st *store.Store, c searchCase) {
	var plans []string
	_, err := st.TraceSearch(c.ctx, c.q, 20, func(query string, args []any) {
		plan, err := st.Explain(c.ctx, query, args, false)
		if err != nil {
			b.Fatalf("explain %s: %v", query, err)
		}
		plans = append(plans, query+"\n  "+strings.ReplaceAll(plan, "\n", "\n  "))
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s %q:\n%s", c.q.Kind, c.q.Text, strings.Join(plans, "\n"))
}
