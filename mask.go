package cunjing

import "strings"

// MaskIDNumber shows the region code and the last four characters of an ID
// number: 410423********1234. Shorter values are masked whole.
func MaskIDNumber(id string) string {
	if len(id) < 10 {
		return strings.Repeat("*", len(id))
	}
	return id[:6] + strings.Repeat("*", len(id)-10) + id[len(id)-4:]
}

// MaskPhone shows the first three and last four digits of a mobile number
// (138****5678) and the last four of anything else.
func MaskPhone(phone string) string {
	digits := []rune(phone)
	switch {
	case len(digits) == 11:
		return string(digits[:3]) + "****" + string(digits[7:])
	case len(digits) > 4:
		return strings.Repeat("*", len(digits)-4) + string(digits[len(digits)-4:])
	}
	return strings.Repeat("*", len(digits))
}
