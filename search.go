package cunjing

import (
	"context"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// SearchKind is what a search text is taken to be.
type SearchKind string

// What one search box understands.
const (
	SearchIDNumber SearchKind = "id_number" // a whole ID number or passport
	SearchIDTail   SearchKind = "id_tail"   // the last 4 to 6 characters of an ID number
	SearchPhone    SearchKind = "phone"     // a whole mobile or landline number
	SearchPinyin   SearchKind = "pinyin"    // latin letters: full pinyin or initials, prefix
	SearchName     SearchKind = "name"      // Chinese characters: a name, exact or prefix
	SearchAddress  SearchKind = "address"   // a standard address or its start
	SearchOrg      SearchKind = "org"       // an org's name or credit code
)

// SearchQuery is a search text read: its kind and its normalised form.
type SearchQuery struct {
	Kind SearchKind
	Text string
}

// addressMarks are the words that make a text an address rather than a name.
var addressMarks = []string{"号", "路", "街", "巷", "村", "组", "栋", "单元", "室", "楼", "小区", "大道", "社区"}

// ParseSearch reads what the user typed into the one search box. Digits
// are an ID number (18 or 15), a phone (11 digits starting 1, or a landline)
// or the end of an ID number (4 to 6 characters, X allowed); latin letters
// are pinyin; Chinese with a number or an address word is an address, other
// Chinese a name. An empty or unreadable text is invalid.
func ParseSearch(text string, today Date) (SearchQuery, error) {
	s := strings.Join(strings.Fields(width.Narrow.String(text)), "")
	if s == "" || strings.ContainsFunc(s, isHidden) || len([]rune(s)) > 100 {
		return SearchQuery{}, &Error{Code: EInvalid, Message: "type a name, pinyin, ID number, phone or address",
			Fields: map[string]string{"q": "is empty or unreadable"}}
	}
	upper := strings.ToUpper(s)
	switch {
	case len(upper) == 18 || len(upper) == 15:
		if id, err := ParseIDNumber(upper, today); err == nil {
			return SearchQuery{SearchIDNumber, id.Number}, nil
		}
	case len(upper) >= 4 && len(upper) <= 6 && isIDTail(upper):
		return SearchQuery{SearchIDTail, upper}, nil
	}
	if phone, ok := NormalizePhone(s); ok {
		return SearchQuery{SearchPhone, phone}, nil
	}
	if passport, ok := ParsePassport(s); ok && strings.ContainsFunc(s, unicode.IsDigit) {
		return SearchQuery{SearchIDNumber, passport}, nil
	}
	if code, err := ParseCreditCode(s); err == nil {
		return SearchQuery{SearchOrg, code}, nil
	}
	if isLatinWord(s) {
		return SearchQuery{SearchPinyin, strings.ToLower(s)}, nil
	}
	if strings.ContainsFunc(s, unicode.IsDigit) || containsAny(s, addressMarks) {
		return SearchQuery{SearchAddress, AddressKey(s)}, nil
	}
	if name, err := NormalizePersonName(s); err == nil {
		return SearchQuery{SearchName, name}, nil
	}
	return SearchQuery{SearchAddress, AddressKey(s)}, nil
}

// isIDTail reports digits with at most a final X.
func isIDTail(s string) bool {
	return allDigits(strings.TrimSuffix(s, "X"))
}

func isLatinWord(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') })
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// SearchHit is one thing found: a resident, an address or an org, with a
// masked summary to show in the list.
type SearchHit struct {
	Kind     RecordKind
	ID       int64
	AreaCode string
	AreaName string
	Title    string // the name, or the address text
	Detail   string // masked ID number and phone, or the address, or the org type
}

// SearchService finds residents, addresses and orgs within the caller's
// scope; results are masked, and the search itself is audited since its
// text may be personal data.
type SearchService interface {
	Search(ctx context.Context, q SearchQuery, limit int) ([]SearchHit, error)
}
