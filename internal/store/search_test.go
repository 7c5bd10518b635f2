package store_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// The villages of the search tests, under 鲁阳街道 of 鲁山县.
const (
	searchVillage = "410423100201" // 张庄1村
	searchOther   = "410423100202" // 张庄2村
)

// searchID is a valid ID number of 鲁山县 born on birth (YYYYMMDD) with
// the sequence number seq.
func searchID(birth string, seq int) string {
	body := fmt.Sprintf("410423%s%03d", birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

// sameTailIDs returns two ID numbers that end in the same four characters
// and differ in the fifth and sixth from the end.
func sameTailIDs() (string, string) {
	a := searchID("19800101", 123)
	for day := 2; day <= 28; day++ {
		if b := searchID(fmt.Sprintf("198001%02d", day), 123); b[14:] == a[14:] && b[13] != a[13] {
			return a, b
		}
	}
	panic("no two ID numbers share their last four characters")
}

// searchWorld is what the search tests find: people, addresses and orgs in
// two villages.
type searchWorld struct {
	ids   map[string]string // name → ID number
	ids2  [2]string         // two numbers sharing their last four characters: 赵一, 赵二
	phone string            // shared by 李四 and 李五
}

const searchPhone = "13812345678"

func loadSearchWorld(t *testing.T, s *store.Store) searchWorld {
	t.Helper()
	loadFixture(t, s)
	a, b := sameTailIDs()
	w := searchWorld{ids: map[string]string{}, ids2: [2]string{a, b}, phone: searchPhone}
	people := []struct {
		area, name, id, phone string
	}{
		{searchVillage, "张三", searchID("19700101", 1), "13900000001"},
		{searchVillage, "张三丰", searchID("19700101", 3), ""},
		{searchVillage, "张帅", searchID("19700101", 5), ""},
		{searchVillage, "乐嘉", searchID("19700101", 7), ""},
		{searchVillage, "李四", searchID("19700101", 9), searchPhone},
		{searchVillage, "李五", searchID("19700101", 11), "138-1234-5678"},
		{searchVillage, "赵一", a, ""},
		{searchVillage, "赵二", b, ""},
		{searchOther, "张三", searchID("19700101", 13), ""},
		{searchOther, "王五", searchID("19700101", 15), searchPhone},
	}
	for _, p := range people {
		r := cunjing.Resident{AreaCode: p.area, Name: p.name, IDNumber: p.id, Phone: p.phone}
		if err := s.CreateResident(storetest.Ctx(), &r); err != nil {
			t.Fatalf("create %s: %v", p.name, err)
		}
		if p.area == searchVillage || p.name == "王五" {
			w.ids[p.name] = p.id
		}
	}
	for _, a := range []cunjing.StdAddress{
		{AreaCode: searchVillage, Street: "建设路", HouseNumber: "12", Building: "3"},
		{AreaCode: searchVillage, Street: "建设路", HouseNumber: "12", Building: "4"},
		{AreaCode: searchVillage, Street: "建设路", HouseNumber: "120"},
		{AreaCode: searchOther, Street: "建设路", HouseNumber: "12", Building: "5"},
	} {
		if err := s.CreateAddress(storetest.Ctx(), &a); err != nil {
			t.Fatalf("create address %+v: %v", a, err)
		}
	}
	for _, o := range []cunjing.Org{
		{AreaCode: searchVillage, Name: "平安旅馆", CreditCode: "91330100799655058B", Type: cunjing.OrgHotel},
		{AreaCode: searchOther, Name: "平安超市", Type: cunjing.OrgShop},
	} {
		if err := s.CreateOrg(storetest.Ctx(), &o); err != nil {
			t.Fatalf("create org %s: %v", o.Name, err)
		}
	}
	return w
}

// searchAs is the context of a user of a role whose scope is the prefixes.
func searchAs(role cunjing.Role, prefixes ...string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "searcher", Role: role,
		Scope: cunjing.Scope{Prefixes: prefixes}})
}

// The callers of the search tests: the officer of 张庄1村, the chief of
// 鲁阳街道 (both villages), and the county.
var (
	searchOfficer = func() context.Context { return searchAs(cunjing.RoleOfficer, searchVillage) }
	searchChief   = func() context.Context { return searchAs(cunjing.RoleStationChief, "410423100") }
	searchCounty  = func() context.Context { return searchAs(cunjing.RoleCountyAdmin, "410423") }
)

// search parses what the user typed and searches as ctx.
func search(t *testing.T, s *store.Store, ctx context.Context, typed string) []cunjing.SearchHit {
	t.Helper()
	q, err := cunjing.ParseSearch(typed, cunjing.DateOf(time.Now()))
	if err != nil {
		t.Fatalf("parse %q: %v", typed, err)
	}
	hits, err := s.Search(ctx, q, 0)
	if err != nil {
		t.Fatalf("search %q: %v", typed, err)
	}
	return hits
}

// titles lists the hits as "title@area" in order.
func titles(hits []cunjing.SearchHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Title + "@" + h.AreaCode
	}
	return out
}

func wantTitles(t *testing.T, what string, hits []cunjing.SearchHit, want ...string) {
	t.Helper()
	if got := titles(hits); !slices.Equal(got, want) {
		t.Errorf("%s found %q; want %q", what, got, want)
	}
}

// callers runs fn as the village officer (narrow scope: the area-first indexes)
// and as the county (wide scope: the key's index), which must agree on
// what lies in the village.
func callers(t *testing.T, fn func(t *testing.T, ctx context.Context)) {
	t.Run("village", func(t *testing.T) { fn(t, searchOfficer()) })
	t.Run("county", func(t *testing.T) { fn(t, searchAs(cunjing.RoleCountyAdmin, "410423100201", "410423101")) })
}

func TestSearchFindsAPersonByIDNumberAndPhoneMasked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadSearchWorld(t, s)
		callers(t, func(t *testing.T, ctx context.Context) {
			hits := search(t, s, ctx, w.ids["张三"])
			wantTitles(t, "the ID number of 张三", hits, "张三@"+searchVillage)
			if len(hits) == 1 {
				h := hits[0]
				if h.Kind != cunjing.RecordResident || h.Detail != cunjing.MaskIDNumber(w.ids["张三"])+" 139****0001" || h.AreaName != "张庄1村民委员会" {
					t.Errorf("hit = %+v; want a resident of 张庄1村民委员会, ID number and phone masked", h)
				}
				if strings.Contains(h.Detail, w.ids["张三"]) || strings.Contains(h.Detail, "13900000001") {
					t.Errorf("the hit shows personal data in full: %q", h.Detail)
				}
			}
			wantTitles(t, "a phone shared by two", search(t, s, ctx, "+86 138 1234 5678"), "李四@"+searchVillage, "李五@"+searchVillage)
		})
	})
}

func TestSearchByTheEndOfAnIDNumber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadSearchWorld(t, s)
		callers(t, func(t *testing.T, ctx context.Context) {
			wantTitles(t, "the last 4", search(t, s, ctx, w.ids2[0][14:]), "赵一@"+searchVillage, "赵二@"+searchVillage)
			wantTitles(t, "the last 6 of 赵一", search(t, s, ctx, w.ids2[0][12:]), "赵一@"+searchVillage)
			wantTitles(t, "the last 6 of 赵二", search(t, s, ctx, w.ids2[1][12:]), "赵二@"+searchVillage)
			wantTitles(t, "the last 5 of 赵二", search(t, s, ctx, w.ids2[1][13:]), "赵二@"+searchVillage)
		})
	})
}

func TestSearchByNameExactFirstThenPrefix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadSearchWorld(t, s)
		callers(t, func(t *testing.T, ctx context.Context) {
			wantTitles(t, "张三", search(t, s, ctx, "张三"), "张三@"+searchVillage, "张三丰@"+searchVillage)
			wantTitles(t, "张", search(t, s, ctx, "张"), "张三@"+searchVillage, "张三丰@"+searchVillage, "张帅@"+searchVillage)
		})
	})
}

func TestSearchByPinyinInitialsAndFullPinyin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadSearchWorld(t, s)
		callers(t, func(t *testing.T, ctx context.Context) {
			wantTitles(t, "zs", search(t, s, ctx, "zs"), "张三@"+searchVillage, "张帅@"+searchVillage, "张三丰@"+searchVillage)
			wantTitles(t, "ZSF", search(t, s, ctx, "ZSF"), "张三丰@"+searchVillage)
			wantTitles(t, "zhangsan", search(t, s, ctx, "zhangsan"), "张三@"+searchVillage, "张三丰@"+searchVillage)
			wantTitles(t, "zhangs", search(t, s, ctx, "zhangs"), "张三@"+searchVillage, "张三丰@"+searchVillage, "张帅@"+searchVillage)
			for _, typed := range []string{"yj", "lj", "yuejia", "lejia", "lej"} {
				wantTitles(t, typed+" (乐 read yue or le)", search(t, s, ctx, typed), "乐嘉@"+searchVillage)
			}
		})
	})
}

func TestSearchByAddressWhateverTheSpellingOfItsParts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadSearchWorld(t, s)
		callers(t, func(t *testing.T, ctx context.Context) {
			wantTitles(t, "建设路12号", search(t, s, ctx, "建设路12号"), "建设路12号3栋@"+searchVillage, "建设路12号4栋@"+searchVillage)
			wantTitles(t, "建设路十二号3幢", search(t, s, ctx, "建设路十二号3幢"), "建设路12号3栋@"+searchVillage)
			wantTitles(t, "建设路 012 号 4 号楼", search(t, s, ctx, "建设路 012 号 4 号楼"), "建设路12号4栋@"+searchVillage)
			wantTitles(t, "建设路12", search(t, s, ctx, "建设路12"),
				"建设路120号@"+searchVillage, "建设路12号3栋@"+searchVillage, "建设路12号4栋@"+searchVillage)
		})
		hits := search(t, s, searchOfficer(), "12号3栋")
		wantTitles(t, "the officer typing 12号3栋 without the street", hits, "建设路12号3栋@"+searchVillage)
		if len(hits) == 1 && hits[0].Kind != cunjing.RecordAddress {
			t.Errorf("hit = %+v; want an address", hits[0])
		}
	})
}

func TestSearchFindsOrgsByCreditCodeAndName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadSearchWorld(t, s)
		callers(t, func(t *testing.T, ctx context.Context) {
			hits := search(t, s, ctx, "91330100799655058b")
			wantTitles(t, "the credit code", hits, "平安旅馆@"+searchVillage)
			if len(hits) == 1 && (hits[0].Kind != cunjing.RecordOrg || hits[0].Detail != string(cunjing.OrgHotel)) {
				t.Errorf("hit = %+v; want an org, a hotel", hits[0])
			}
			wantTitles(t, "平安", search(t, s, ctx, "平安"), "平安旅馆@"+searchVillage)
		})
		wantTitles(t, "平安 by the chief of both villages", search(t, s, searchChief(), "平安"),
			"平安旅馆@"+searchVillage, "平安超市@"+searchOther)
	})
}

func TestSearchNeverLeavesTheScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadSearchWorld(t, s)
		officer := searchOfficer()
		for _, typed := range []string{w.ids["王五"], "王五", "ww", "wangwu", w.ids["王五"][14:], "建设路12号5栋", "平安超市"} {
			if hits := search(t, s, officer, typed); len(hits) != 0 {
				t.Errorf("the officer of 张庄1村 searching %q found %q in another village", typed, titles(hits))
			}
		}
		wantTitles(t, "the shared phone, by the officer", search(t, s, officer, searchPhone), "李四@"+searchVillage, "李五@"+searchVillage)
		wantTitles(t, "the shared phone, by the chief", search(t, s, searchChief(), searchPhone),
			"李四@"+searchVillage, "李五@"+searchVillage, "王五@"+searchOther)
		wantTitles(t, "张三, by the county", search(t, s, searchCounty(), "张三"),
			"张三@"+searchVillage, "张三@"+searchOther, "张三丰@"+searchVillage)
		nobody := searchAs(cunjing.RoleOfficer, "410423101")
		if hits := search(t, s, nobody, "张"); len(hits) != 0 {
			t.Errorf("an officer of 下汤镇 found %q", titles(hits))
		}
	})
}

func TestSearchKeepsToTheLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadSearchWorld(t, s)
		q := cunjing.SearchQuery{Kind: cunjing.SearchName, Text: "张"}
		hits, err := s.Search(searchCounty(), q, 2)
		if err != nil {
			t.Fatal(err)
		}
		wantTitles(t, "张 with a limit of 2", hits, "张三@"+searchVillage, "张三@"+searchOther)
		if _, err := s.Search(searchCounty(), cunjing.SearchQuery{Kind: cunjing.SearchName, Text: " "}, 0); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("an empty search: %v; want invalid", err)
		}
	})
}

func TestASearchIsAuditedWithoutTheIDNumberOrPhone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadSearchWorld(t, s)
		id := w.ids["张三"]
		search(t, s, searchOfficer(), id)
		search(t, s, searchOfficer(), searchPhone)
		search(t, s, searchOfficer(), "zs")
		rows := findAll(t, s, cunjing.AuditFilter{Action: cunjing.ActionSearch})
		var details []string
		for _, r := range rows {
			details = append(details, r.Detail)
			if r.Actor != "searcher" {
				t.Errorf("audit row %+v; want the searcher as actor", r)
			}
		}
		want := []string{"pinyin zs (3 found)", "phone 138****5678 (2 found)", "id_number " + cunjing.MaskIDNumber(id) + " (1 found)"}
		if !slices.Equal(details, want) {
			t.Errorf("audit details %q; want %q", details, want)
		}
		for _, d := range details {
			if strings.Contains(d, id) || strings.Contains(d, searchPhone) {
				t.Errorf("the audit row %q holds personal data in full", d)
			}
		}
	})
}

// TestSearchWalksTheIndexTheScopeCallsFor reads the engine's plan of each
// query a search runs: for a village officer the area-first indexes, which
// read his village alone; for the county the index of the key typed, which
// stops at the limit; for exact values their own index. On PostgreSQL the
// plans are made with sequential scans disabled, since on the small tables
// of a test a scan is cheapest (the plans at city scale are in
// docs/performance.md).
func TestSearchWalksTheIndexTheScopeCallsFor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadSearchWorld(t, s)
		altKeys := "sqlite_autoindex_name_alt_keys_1|name_alt_keys_pkey"
		cases := []struct {
			ctx   context.Context
			typed string
			want  []string // per query, the index it walks (or one of several)
		}{
			{searchOfficer(), "张三", []string{"residents_area_names", "orgs_area"}},
			{searchCounty(), "张三", []string{"residents_name", "orgs_name"}},
			{searchOfficer(), "zs", []string{"residents_area_names", "residents_area_names", altKeys}},
			{searchCounty(), "zs", []string{"residents_initials", "residents_py", altKeys}},
			{searchOfficer(), "建设路12号", []string{"addresses_area_key", "addresses_area_key", "orgs_area"}},
			{searchCounty(), "建设路12号", []string{"addresses_key", "orgs_name"}},
			{searchCounty(), w.ids["张三"], []string{"residents_id_blind"}},
			{searchCounty(), searchPhone, []string{"residents_phone"}},
			{searchCounty(), w.ids2[0][12:], []string{"residents_id_tail"}},
			{searchOfficer(), w.ids2[0][14:], []string{"residents_id_tail"}},
			{searchCounty(), "91330100799655058B", []string{"orgs_credit_code"}},
		}
		for _, c := range cases {
			who := cunjing.IdentityFrom(c.ctx).Scope.Prefixes
			plans := searchPlans(t, s, c.ctx, c.typed)
			if len(plans) != len(c.want) {
				t.Errorf("%s searching %q ran %d queries; want %d", who, c.typed, len(plans), len(c.want))
				continue
			}
			for i, plan := range plans {
				if !walks(plan, c.want[i]) {
					t.Errorf("%s searching %q: query %d is planned\n%s\nwant it to walk %s", who, c.typed, i+1, plan, c.want[i])
				}
			}
		}
	})
}

// searchPlans returns the plans of the queries of a search.
func searchPlans(t *testing.T, s *store.Store, ctx context.Context, typed string) []string {
	t.Helper()
	q, err := cunjing.ParseSearch(typed, cunjing.DateOf(time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	var plans []string
	_, err = s.TraceSearch(ctx, q, 20, func(query string, args []any) {
		plan, err := s.Explain(ctx, query, args, true)
		if err != nil {
			t.Fatalf("explain %s: %v", query, err)
		}
		plans = append(plans, plan)
	})
	if err != nil {
		t.Fatal(err)
	}
	return plans
}

// walks reports whether a plan walks one of the indexes named in want
// ("a|b").
func walks(plan, want string) bool {
	return slices.ContainsFunc(strings.Split(want, "|"), func(index string) bool {
		return regexp.MustCompile(`\b` + index + `\b`).MatchString(plan)
	})
}
