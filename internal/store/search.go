package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"cunjing"
)

// One search box over residents, addresses and orgs (issue 5, item 6).
//
// Every kind is an index lookup. Exact values go through their own index:
// the blind index of an ID number or a phone, the unique index of a credit
// code, the (id_tail, area_code) index of the last four characters of an
// ID number. Names, pinyin and addresses are prefixes of a key stored in
// the "C" collation, so that "starts with t" is a range of an index on
// both engines, and the exact match sorts first in it.
//
// The scope decides which index a prefix search walks (docs/performance.md,
// "Search", has the plans and the figures at city scale):
//
//   - A wide scope (a town, a county, the city) walks the key's index in
//     key order from the prefix on and stops at the limit: the scope is a
//     filter on the entries walked, and most of them pass. On residents
//     the walk has no upper bound — keys past the prefix are dropped here
//     — because PostgreSQL misjudges how many names a prefix range holds
//     (its histogram interpolates text poorly) and would then read and
//     sort the whole range; without the bound the ordered walk is always
//     cheapest. Addresses and orgs are few: their walk ends with the
//     prefix.
//   - A narrow scope (a few villages) names its areas one by one and walks
//     the area-first index residents_area_names (addresses_area_key,
//     orgs_area): walking a name index over the whole city for the few
//     entries that lie in one village would read tens of thousands of
//     entries for nothing.
//
// Either way residents are matched on index entries alone (the indexes of
// migration 0012 end in the id, so that PostgreSQL walks them index-only),
// and only the rows found are read.
//
// Each form spells the column the other form walks as an expression
// (`key || ''`, `area_code || ''`) and orders by what its own index gives,
// so that neither engine can take the wrong index, whatever its estimates.

var _ cunjing.SearchService = (*Store)(nil)

// Bounds of one search: the hits returned when the caller names no limit,
// and the most returned.
const (
	defaultSearchHits = 20
	maxSearchHits     = 100
)

// maxNarrowAreas is the most villages (or grids) a scope may hold for
// prefix searches to walk the area-first indexes; a scope that holds a
// town or more walks the key's index instead.
const maxNarrowAreas = 6

// prefixEnd closes the range of keys that start with a prefix: in byte
// order no UTF-8 character sorts after U+10FFFF.
const prefixEnd = "\U0010FFFF"

// Ranks of a hit: an exact match before a prefix match before a match
// inside the key.
const (
	rankExact = iota
	rankPrefix
	rankInside
)

// found is a hit with what orders it: its rank and the key it matched.
type found struct {
	hit  cunjing.SearchHit
	rank int
	key  string
}

// Search finds what q names in the caller's scope: at most limit hits
// (20 when limit is 0, 100 at most), exact matches first, masked. The
// search is audited with its kind and its text masked as lists mask it.
func (s *Store) Search(ctx context.Context, q cunjing.SearchQuery, limit int) ([]cunjing.SearchHit, error) {
	return s.search(ctx, q, limit, nil)
}

// search is Search calling trace, when set, with each query it runs.
func (s *Store) search(ctx context.Context, q cunjing.SearchQuery, limit int, trace func(query string, args []any)) ([]cunjing.SearchHit, error) {
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(q.Text) == "" {
		return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "type a name, pinyin, ID number, phone or address",
			Fields: map[string]string{"q": "is empty"}}
	}
	if limit <= 0 {
		limit = defaultSearchHits
	}
	sr := &searcher{s: s, ctx: ctx, narrow: narrowScope(scope), limit: min(limit, maxSearchHits), trace: trace}
	if sr.narrow {
		if sr.areas, err = s.areasUnder(ctx, scope.Prefixes); err != nil {
			return nil, err
		}
	}
	all, err := sr.run(q)
	if err != nil {
		return nil, err
	}
	hits := best(all, sr.limit)
	if err := s.nameHitAreas(ctx, hits); err != nil {
		return nil, err
	}
	if err := s.Audit(ctx, cunjing.ActionSearch, "", cunjing.ResultOK, searchAuditDetail(q, len(hits))); err != nil {
		return nil, err
	}
	return hits, nil
}

// searchAuditDetail is the detail of the audit row of a search: its kind,
// its text — ID numbers, their ends and phones masked as lists show them —
// and the number of hits.
func searchAuditDetail(q cunjing.SearchQuery, hits int) string {
	text := q.Text
	switch q.Kind {
	case cunjing.SearchIDNumber:
		text = cunjing.MaskIDNumber(text)
	case cunjing.SearchIDTail:
		if len(text) > 4 {
			text = strings.Repeat("*", len(text)-4) + text[len(text)-4:]
		}
	case cunjing.SearchPhone:
		text = cunjing.MaskPhone(text)
	}
	return fmt.Sprintf("%s %s (%d found)", q.Kind, text, hits)
}

// narrowScope reports whether a scope is a few villages, communities or
// grids, which prefix searches walk by the area-first indexes.
func narrowScope(scope cunjing.Scope) bool {
	if scope.All || len(scope.Prefixes) > maxNarrowAreas {
		return false
	}
	for _, p := range scope.Prefixes {
		if len(p) < 12 {
			return false
		}
	}
	return true
}

// searcher runs the queries of one search.
type searcher struct {
	s      *Store
	ctx    context.Context
	narrow bool
	areas  []string // of a narrow scope: every area code in it
	limit  int
	trace  func(query string, args []any)
}

// areasUnder returns the codes of the areas under the prefixes of a narrow
// scope — its villages and their grids and venues — which the narrow form
// names one by one: "area_code IN (…)" seeks an area-first index, and
// both engines judge it far better than a range of codes.
func (s *Store) areasUnder(ctx context.Context, prefixes []string) ([]string, error) {
	cond, args, _ := prefixRanges("code", prefixes)
	rows, err := s.read.QueryContext(ctx, s.dialect.q("SELECT code FROM areas WHERE "+cond+" ORDER BY code"), args...)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	var codes []string
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		codes = append(codes, code)
	}
	return codes, rows.Err()
}

// query runs a query of the search on a reader.
func (sr *searcher) query(query string, args []any) (*sql.Rows, error) {
	query = sr.s.dialect.q(query)
	if sr.trace != nil {
		sr.trace(query, args)
	}
	rows, err := sr.s.read.QueryContext(sr.ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return rows, nil
}

// source finds hits for a text in one index.
type source func(text string) ([]found, error)

// run looks q up in the sources of its kind.
func (sr *searcher) run(q cunjing.SearchQuery) ([]found, error) {
	switch q.Kind {
	case cunjing.SearchIDNumber:
		return sr.residentsByBlind("r.id_blind", "id_number", q.Text)
	case cunjing.SearchPhone:
		return sr.residentsByBlind("r.phone_blind", "phone", q.Text)
	case cunjing.SearchIDTail:
		return sr.residentsByTail(q.Text)
	case cunjing.SearchPinyin:
		return sr.each(q.Text, sr.residentsByKey("name_initials"), sr.residentsByKey("name_py"), sr.residentsByAltKey)
	case cunjing.SearchName:
		return sr.each(q.Text, sr.residentsByKey("name"), sr.orgsByName)
	case cunjing.SearchAddress:
		return sr.each(q.Text, sr.addresses, sr.orgsByName)
	case cunjing.SearchOrg:
		return sr.orgsByCode(q.Text)
	}
	return nil, &cunjing.Error{Code: cunjing.EInvalid, Message: "unknown kind of search",
		Fields: map[string]string{"kind": "must be one of id_number, id_tail, phone, pinyin, name, address, org"}}
}

// each gathers the hits of every source.
func (sr *searcher) each(text string, sources ...source) ([]found, error) {
	var all []found
	for _, src := range sources {
		hits, err := src(text)
		if err != nil {
			return nil, err
		}
		all = append(all, hits...)
	}
	return all, nil
}

// best keeps each record once, at its best rank, and returns the first
// limit hits by rank, key, area and id.
func best(all []found, limit int) []cunjing.SearchHit {
	type record struct {
		kind cunjing.RecordKind
		id   int64
	}
	at := map[record]int{}
	var kept []found
	for _, f := range all {
		r := record{f.hit.Kind, f.hit.ID}
		if i, ok := at[r]; ok {
			if f.rank < kept[i].rank {
				kept[i] = f
			}
			continue
		}
		at[r] = len(kept)
		kept = append(kept, f)
	}
	slices.SortStableFunc(kept, func(a, b found) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.key, b.key),
			strings.Compare(a.hit.AreaCode, b.hit.AreaCode), cmp.Compare(a.hit.ID, b.hit.ID))
	})
	hits := make([]cunjing.SearchHit, 0, min(limit, len(kept)))
	for _, f := range kept[:min(limit, len(kept))] {
		hits = append(hits, f.hit)
	}
	return hits
}

// rankOf ranks a key that matched text.
func rankOf(key, text string) int {
	switch {
	case key == text:
		return rankExact
	case strings.HasPrefix(key, text):
		return rankPrefix
	}
	return rankInside
}

// nameHitAreas fills in the names of the hits' areas.
func (s *Store) nameHitAreas(ctx context.Context, hits []cunjing.SearchHit) error {
	codes := make([]string, 0, len(hits))
	for _, h := range hits {
		codes = append(codes, h.AreaCode)
	}
	names, err := areaNames(ctx, s.read, s.dialect, slices.Compact(slices.Sorted(slices.Values(codes))))
	if err != nil {
		return err
	}
	for i := range hits {
		hits[i].AreaName = names[hits[i].AreaCode]
	}
	return nil
}
