package cunjing

import (
	"strings"

	"golang.org/x/text/width"
)

// phoneMarks drops the spaces and brackets people put in phone numbers;
// made once, since an import normalises millions of them.
var phoneMarks = strings.NewReplacer(" ", "", "(", "", ")", "-", "（", "", "）", "-")

// NormalizePhone returns the canonical form of a mainland phone number: a
// mobile number as its 11 digits (a +86 or 0086 prefix dropped), a landline
// as area code, hyphen and number ("0375-2345678") with an optional
// extension ("-123"). Full-width digits, spaces and brackets are accepted on
// input. ok is false when the text is neither.
func NormalizePhone(text string) (phone string, ok bool) {
	s := width.Narrow.String(strings.TrimSpace(text))
	s = phoneMarks.Replace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "+86"), "0086")
	s = strings.TrimPrefix(s, "-")
	if m := strings.ReplaceAll(s, "-", ""); len(m) == 11 && m[0] == '1' && m[1] >= '3' && allDigits(m) {
		return m, true // a mobile written 138-1234-5678
	}
	return normalizeLandline(s)
}

// normalizeLandline reads 0AA(A)-NNNNNNN(N)[-EXT], with or without the
// first hyphen. Area codes are 3 digits for 010 and 02x, 4 for the rest.
func normalizeLandline(s string) (string, bool) {
	parts := strings.Split(s, "-")
	if len(parts) == 1 || (len(parts) == 2 && len(parts[0]) > 4) {
		areaLen := 4
		if strings.HasPrefix(s, "010") || strings.HasPrefix(s, "02") {
			areaLen = 3
		}
		if len(parts[0]) <= areaLen {
			return "", false
		}
		parts = append([]string{parts[0][:areaLen], parts[0][areaLen:]}, parts[1:]...)
	}
	if len(parts) > 3 {
		return "", false
	}
	area, number := parts[0], parts[1]
	if !allDigits(area) || area[0] != '0' || len(area) < 3 || len(area) > 4 ||
		!allDigits(number) || len(number) < 7 || len(number) > 8 || number[0] == '0' {
		return "", false
	}
	if len(parts) == 3 && (!allDigits(parts[2]) || len(parts[2]) > 6) {
		return "", false
	}
	return strings.Join(parts, "-"), true
}
