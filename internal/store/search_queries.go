package store

import (
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"cunjing"
)

// residentHitColumns are the columns of a resident hit, before its key.
const residentHitColumns = "SELECT r.id, r.area_code, r.name, r.id_masked, r.phone_masked, "

// scoped appends the scope condition on an area column to a condition.
func (sr *searcher) scoped(where string, args []any, area string) (string, []any, error) {
	cond, scopeArgs, err := inScope(sr.ctx, area)
	if err != nil || cond == "" {
		return where, args, err
	}
	return where + " AND " + cond, append(args, scopeArgs...), nil
}

// prefixed is the condition and the order of a search for the records
// whose key starts with text inside the scope, spelled so that the engine
// walks the index the scope calls for (see search.go):
//
//   - wide: the key's range on its index, in its order, the scope on the
//     area written as an expression. On the residents' keys the range is
//     left open — "key >= text", the keys past the prefix dropped by
//     keepPrefixed — since PostgreSQL misjudges how many of the 5 million
//     a prefix holds; the walk stops at the limit all the same. Addresses
//     and orgs are few, and their walk stops at the end of the prefix,
//     which spares a caller a walk past it for names no org bears.
//   - narrow: the areas of the scope one by one, the key written as an
//     expression and the order by that expression, which no index gives.
type prefixed struct {
	where string
	args  []any
	order string
}

// byPrefix spells the search for keys starting with text; open leaves the
// wide range open above.
func (sr *searcher) byPrefix(key, area, tie, text string, open bool) (prefixed, error) {
	if sr.narrow {
		expr := "(" + key + " || '')"
		where, args := sr.inAreas(expr+" >= ? AND "+expr+" < ?", []any{text, text + prefixEnd}, area)
		return prefixed{where, args, expr + ", " + area + ", " + tie}, nil
	}
	where, args := key+" >= ?", []any{text}
	if !open {
		where, args = where+" AND "+key+" < ?", append(args, text+prefixEnd)
	}
	where, args, err := sr.scoped(where, args, "("+area+" || '')")
	return prefixed{where, args, key + ", " + area + ", " + tie}, err
}

// inScope appends the scope to a condition on an index that leads with
// another column: the areas of a narrow scope one by one, or the ranges of
// a wide one spelled so that no area index can be taken instead.
func (sr *searcher) inScope(where string, args []any, area string) (string, []any, error) {
	if sr.narrow {
		where, args = sr.inAreas(where, args, area)
		return where, args, nil
	}
	return sr.scoped(where, args, "("+area+" || '')")
}

// inAreas appends to a condition that the area column is one of the areas
// of a narrow scope.
func (sr *searcher) inAreas(where string, args []any, area string) (string, []any) {
	if len(sr.areas) == 0 {
		return where + " AND 1 = 0", args
	}
	return where + " AND " + area + " IN (" + marks(len(sr.areas)) + ")", append(args, anySlice(sr.areas)...)
}

// keepPrefixed drops the hits whose key does not start with text: a wide
// prefix walk reads on past the prefix up to the limit.
func keepPrefixed(hits []found, text string) []found {
	return slices.DeleteFunc(hits, func(f found) bool { return !strings.HasPrefix(f.key, text) })
}

// limited appends the order and the limit of the search.
func (sr *searcher) limited(query, order string) string {
	return query + " ORDER BY " + order + " LIMIT " + strconv.Itoa(sr.limit)
}

// residentsByBlind finds the residents whose sealed field has the value,
// by its blind index: one person, or the few who share a phone (best
// orders them). The scope is checked on the rows found, spelled so that
// no area index can be taken instead, and no order is asked that another
// index could give.
func (sr *searcher) residentsByBlind(column, field, value string) ([]found, error) {
	blind, err := sr.s.blind(field, value)
	if err != nil {
		return nil, err
	}
	where, args, err := sr.scoped(column+" = ?", []any{blind}, "(r.area_code || '')")
	if err != nil {
		return nil, err
	}
	query := residentHitColumns + "'' FROM residents r WHERE " + where + " LIMIT " + strconv.Itoa(sr.limit)
	return sr.residents(query, value, args)
}

// residentsByKey is the source of residents whose key column starts with
// the text: the ids are found on index entries alone — the key's index
// for a wide scope, residents_area_names for a narrow one — then their
// rows are read.
func (sr *searcher) residentsByKey(column string) source {
	return func(text string) ([]found, error) {
		p, err := sr.byPrefix("k."+column, "k.area_code", "k.id", text, true)
		if err != nil {
			return nil, err
		}
		ids := sr.limited("SELECT k.id FROM residents k WHERE "+p.where, p.order)
		query := residentHitColumns + "r." + column + " FROM residents r WHERE r.id IN (" + ids + ")"
		hits, err := sr.residents(query, text, p.args)
		return keepPrefixed(hits, text), err
	}
}

// residentsByAltKey finds residents by the other readings of their
// surname. The key and the area lead the table's primary key, so both
// bound the walk in any scope, and the table is small; the resident's own
// area is checked again on his row, read by its id (the spelling keeps the
// planner off the area index there).
func (sr *searcher) residentsByAltKey(text string) ([]found, error) {
	where, args, err := sr.scoped("k.name_key >= ? AND k.name_key < ?", []any{text, text + prefixEnd}, "k.area_code")
	if err != nil {
		return nil, err
	}
	if where, args, err = sr.scoped(where, args, "(r.area_code || '')"); err != nil {
		return nil, err
	}
	query := residentHitColumns + "k.name_key FROM name_alt_keys k JOIN residents r ON r.id = k.resident_id WHERE " + where
	return sr.residents(sr.limited(query, "k.name_key, k.area_code, k.resident_id"), text, args)
}

// residentsByTail finds residents by the last 4 to 6 characters of their
// ID number: the last 4 by residents_id_tail — index-only, a few hundred
// entries in the whole city — and any further ones by opening the numbers
// of those candidates. The order is spelled so that no area index can give
// it.
func (sr *searcher) residentsByTail(tail string) ([]found, error) {
	where, args, err := sr.inScope("k.id_tail = ?", []any{tail[max(0, len(tail)-4):]}, "k.area_code")
	if err != nil {
		return nil, err
	}
	const order = " ORDER BY (k.area_code || ''), k.id"
	if len(tail) <= 4 {
		ids := "SELECT k.id FROM residents k WHERE " + where + order + " LIMIT " + strconv.Itoa(sr.limit)
		return sr.residents(residentHitColumns+"'' FROM residents r WHERE r.id IN ("+ids+")", tail, args)
	}
	query := strings.ReplaceAll(residentHitColumns, "r.", "k.") + "k.id_sealed FROM residents k WHERE " + where + order
	rows, err := sr.query(query, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []found
	for rows.Next() && len(hits) < sr.limit {
		var f found
		var sealedID []byte
		if err := scanResidentHit(rows, &f, &sealedID); err != nil {
			return nil, err
		}
		number, err := sr.s.open("id_number", sealedID)
		if err != nil {
			return nil, err
		}
		if strings.HasSuffix(number, tail) {
			hits = append(hits, f)
		}
	}
	return hits, rows.Err()
}

// residents runs a query of residentHitColumns and a key, and ranks the
// hits by their key against text; hits of an exact lookup (an empty key) are
// exact.
func (sr *searcher) residents(query, text string, args []any) ([]found, error) {
	rows, err := sr.query(query, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []found
	for rows.Next() {
		var f found
		if err := scanResidentHit(rows, &f, &f.key); err != nil {
			return nil, err
		}
		if f.key != "" {
			f.rank = rankOf(f.key, text)
		}
		hits = append(hits, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return hits, nil
}

// scanResidentHit reads a row of residentHitColumns and the last column
// into last.
func scanResidentHit(rows *sql.Rows, f *found, last any) error {
	var idMasked, phoneMasked string
	if err := rows.Scan(&f.hit.ID, &f.hit.AreaCode, &f.hit.Title, &idMasked, &phoneMasked, last); err != nil {
		return fmt.Errorf("store: search: %w", err)
	}
	f.hit.Kind = cunjing.RecordResident
	f.hit.Detail = strings.TrimSpace(idMasked + " " + phoneMasked)
	return nil
}

// addresses finds addresses whose key starts with the text; in a narrow
// scope also those that hold it further on, so that a village officer
// finds "12号3栋" without typing the street.
func (sr *searcher) addresses(text string) ([]found, error) {
	p, err := sr.byPrefix("a.addr_key", "a.area_code", "a.id", text, false)
	if err != nil {
		return nil, err
	}
	const columns = "SELECT a.id, a.area_code, a.text, '', a.addr_key FROM addresses a WHERE "
	hits, err := sr.records(cunjing.RecordAddress, sr.limited(columns+p.where, p.order), text, p.args)
	hits = keepPrefixed(hits, text)
	if err != nil || !sr.narrow {
		return hits, err
	}
	where, args := sr.inAreas(`a.addr_key LIKE ? ESCAPE '\'`, []any{likeContains(text)}, "a.area_code")
	inside, err := sr.records(cunjing.RecordAddress, sr.limited(columns+where, p.order), text, args)
	return append(hits, inside...), err
}

// orgsByName finds orgs whose name starts with the text.
func (sr *searcher) orgsByName(text string) ([]found, error) {
	p, err := sr.byPrefix("o.name", "o.area_code", "o.id", text, false)
	if err != nil {
		return nil, err
	}
	query := "SELECT o.id, o.area_code, o.name, o.type, o.name FROM orgs o WHERE " + p.where
	hits, err := sr.records(cunjing.RecordOrg, sr.limited(query, p.order), text, p.args)
	return keepPrefixed(hits, text), err
}

// orgsByCode finds the org of a credit code.
func (sr *searcher) orgsByCode(code string) ([]found, error) {
	where, args, err := sr.scoped("o.credit_code = ? AND o.credit_code <> ''", []any{code}, "(o.area_code || '')")
	if err != nil {
		return nil, err
	}
	query := "SELECT o.id, o.area_code, o.name, o.type, o.credit_code FROM orgs o WHERE " + where
	return sr.records(cunjing.RecordOrg, query, code, args)
}

// records runs a query of id, area code, title, detail and key, and ranks
// the hits by their key against text.
func (sr *searcher) records(kind cunjing.RecordKind, query, text string, args []any) ([]found, error) {
	rows, err := sr.query(query, args)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []found
	for rows.Next() {
		f := found{hit: cunjing.SearchHit{Kind: kind}}
		if err := rows.Scan(&f.hit.ID, &f.hit.AreaCode, &f.hit.Title, &f.hit.Detail, &f.key); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		f.rank = rankOf(f.key, text)
		hits = append(hits, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	return hits, nil
}
