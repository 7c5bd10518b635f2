package cunjing

import (
	"fmt"
	"strings"

	"golang.org/x/text/width"
)

// creditChars are the characters of a unified social credit code
// (统一社会信用代码, GB 32100) in the order of their values: digits and
// the capital letters but I, O, Z, S and V.
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditWeights weigh the first 17 characters: 3^i mod 31.
var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ParseCreditCode reads a unified social credit code as people type it —
// full-width characters, lower case, spaces — and checks its 18 characters
// and its check character. The error says which fails.
func ParseCreditCode(text string) (string, error) {
	s := strings.ToUpper(strings.ReplaceAll(width.Narrow.String(strings.TrimSpace(text)), " ", ""))
	if n := len([]rune(s)); n != 18 {
		return "", creditError("must have 18 characters, has %d", n)
	}
	sum := 0
	for i := range 17 {
		v := strings.IndexByte(creditChars, s[i])
		if v < 0 {
			return "", creditError("character %d, %q, is not used in credit codes (no I, O, Z, S or V)", i+1, s[i])
		}
		sum += v * creditWeights[i]
	}
	if want := creditChars[(31-sum%31)%31]; s[17] != want {
		return "", creditError("check character is %c, the others give %c: a character is mistyped", s[17], want)
	}
	return s, nil
}

func creditError(format string, args ...any) error {
	why := fmt.Sprintf(format, args...)
	return &Error{Code: EInvalid, Message: "the unified social credit code is not valid: " + why,
		Fields: map[string]string{"credit_code": why}}
}
