package cunjing

import (
	"strings"
)

// codeDigits maps the length of an all-digit official code to its level.
var codeDigits = map[int]Level{2: LevelProvince, 4: LevelCity, 6: LevelCounty, 9: LevelTown, 12: LevelVillage}

// CodeUpperBound is appended to a code prefix to close the range of codes
// under it: every code character ('0'–'9', '-', 'G', 'S') sorts below it
// bytewise, so "under X" is the index range [X, X+CodeUpperBound).
const CodeUpperBound = "~"

// LevelOfCode returns the level a code denotes, or an invalid error saying why
// the code is malformed. Official codes are 2, 4, 6, 9 or 12 digits; a grid is
// a 12-digit community code with "-G" and 2–4 digits, a venue any official
// code with "-S" and 2–4 digits.
func LevelOfCode(code string) (Level, error) {
	base, suffix, extended := strings.Cut(code, "-")
	if !allDigits(base) {
		return "", Errorf(EInvalid, "area code %q must be digits", code)
	}
	level, ok := codeDigits[len(base)]
	if !ok {
		return "", Errorf(EInvalid, "area code %q must have 2, 4, 6, 9 or 12 digits", code)
	}
	if !extended {
		return level, nil
	}
	if len(suffix) < 3 || len(suffix) > 5 || !allDigits(suffix[1:]) {
		return "", Errorf(EInvalid, "area code %q: the part after '-' must be G or S and 2–4 digits", code)
	}
	switch {
	case suffix[0] == 'G' && level == LevelVillage:
		return LevelGrid, nil
	case suffix[0] == 'S':
		return LevelVenue, nil
	case suffix[0] == 'G':
		return "", Errorf(EInvalid, "area code %q: grids belong to a 12-digit community", code)
	}
	return "", Errorf(EInvalid, "area code %q: the part after '-' must be G or S and 2–4 digits", code)
}

// ValidAreaCode reports whether code is a well-formed area code.
func ValidAreaCode(code string) bool {
	_, err := LevelOfCode(code)
	return err == nil
}

// ParentCodeOf returns the code of the parent implied by a well-formed code:
// the shorter official prefix, or the area a grid or venue extends.
// It returns "" for a province.
func ParentCodeOf(code string) string {
	if base, _, ok := strings.Cut(code, "-"); ok {
		return base
	}
	switch len(code) {
	case 4:
		return code[:2]
	case 6:
		return code[:4]
	case 9:
		return code[:6]
	case 12:
		return code[:9]
	}
	return ""
}

// AncestorCodes returns the codes above a well-formed code, top first.
func AncestorCodes(code string) []string {
	var codes []string
	for p := ParentCodeOf(code); p != ""; p = ParentCodeOf(p) {
		codes = append([]string{p}, codes...)
	}
	return codes
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
