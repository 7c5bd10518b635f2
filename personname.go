package cunjing

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// middleDots are the look-alikes of the middle dot that joins the parts of
// minority and foreign names (阿卜杜·热合曼), all written as U+00B7.
var middleDots = strings.NewReplacer("•", "·", "‧", "·", "・", "·", "⋅", "·", "∙", "·", "●", "·")

// NormalizePersonName returns a person's name in one canonical form: NFKC,
// the middle dot unified, runs of spaces made one, trimmed. Zero-width and
// control characters are refused rather than removed, since they are a
// copy-paste accident or an attempt to make two names look alike.
// Characters outside the Basic Multilingual Plane (𠮷) are kept.
func NormalizePersonName(text string) (string, error) {
	s := middleDots.Replace(norm.NFKC.String(text))
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return "", nameError("contains an invisible or control character (U+%04X)", r)
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	switch n := utf8.RuneCountInString(s); {
	case n == 0:
		return "", nameError("is empty")
	case n > 50:
		return "", nameError("has %d characters, at most 50", n)
	case strings.HasPrefix(s, "·") || strings.HasSuffix(s, "·") || strings.Contains(s, "··"):
		return "", nameError("has a middle dot that joins nothing")
	}
	return s, nil
}

func nameError(format string, args ...any) error {
	why := fmt.Sprintf(format, args...)
	return &Error{Code: EInvalid, Message: "the name is not valid: it " + why, Fields: map[string]string{"name": why}}
}
