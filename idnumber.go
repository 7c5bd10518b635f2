package cunjing

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/width"
)

// IDNumber is a citizen identity number (公民身份号码, GB 11643) read and
// checked, with what it says of its holder.
type IDNumber struct {
	Number string // 18 characters, the check character X in upper case
	Region string // the 6-digit code of the place it was issued
	Birth  Date
	Female bool
}

// idWeights are the ISO 7064 MOD 11-2 weights of the first 17 digits.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// idProvinces are the first two digits a number may start with: the
// provinces of the mainland, and Taiwan, Hong Kong and Macao for residence
// permits.
var idProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// ParseIDNumber reads an identity number as people type it — full-width
// digits, a lower-case x, spaces — and checks it: 18 characters (a 15-digit
// number of the first generation is converted), a known province, a real
// birth date not after today, and the check character. The error says
// which of these fails.
func ParseIDNumber(text string, today Date) (IDNumber, error) {
	s := strings.ToUpper(strings.ReplaceAll(width.Narrow.String(strings.TrimSpace(text)), " ", ""))
	if len(s) == 15 && allDigits(s) {
		s = s[:6] + "19" + s[6:]
		s += string(idCheck(s))
	}
	switch {
	case len(s) != 18:
		return IDNumber{}, idError("must have 18 characters, has %d", len([]rune(s)))
	case !allDigits(s[:17]) || !(s[17] == 'X' || s[17] >= '0' && s[17] <= '9'):
		return IDNumber{}, idError("must be 17 digits and a digit or X")
	case !idProvinces[s[:2]]:
		return IDNumber{}, idError("region code %s is no province", s[:6])
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil || birth.Year() < 1850 {
		return IDNumber{}, idError("birth date %s is not a date", s[6:14])
	}
	id := IDNumber{Number: s, Region: s[:6], Birth: NewDate(birth.Year(), birth.Month(), birth.Day()), Female: (s[16]-'0')%2 == 0}
	if today.Before(id.Birth) {
		return IDNumber{}, idError("birth date %s lies in the future", id.Birth)
	}
	if want := idCheck(s); s[17] != want {
		return IDNumber{}, idError("check character is %c, the digits give %c: a digit is mistyped", s[17], want)
	}
	return id, nil
}

// idCheck computes the check character of the first 17 digits.
func idCheck(s string) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(s[i]-'0') * w
	}
	return idCheckChars[sum%11]
}

func idError(format string, args ...any) error {
	return &Error{Code: EInvalid, Message: "the ID number is not valid: " + fmt.Sprintf(format, args...),
		Fields: map[string]string{"id_number": fmt.Sprintf(format, args...)}}
}
