package cunjing

import (
	"strings"
	"testing"
)

func TestParseCreditCode(t *testing.T) {
	// Codes of real, public companies.
	for in, want := range map[string]string{
		"91330100799655058B": "91330100799655058B",
		"9144030071526726xg": "9144030071526726XG",
		"９１４４０３００１９２２０３８２１６": "914403001922038216",
		" 91350100 M000100Y43": "91350100M000100Y43",
	} {
		if got, err := ParseCreditCode(in); err != nil || got != want {
			t.Errorf("ParseCreditCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, why := range map[string]string{
		"":                   "18 characters",
		"91330100799655058":  "18 characters",
		"91330100799655O58B": "not used",
		"91330100799655058C": "check character",
		"91330100799655085B": "check character",
	} {
		if _, err := ParseCreditCode(in); ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), why) {
			t.Errorf("ParseCreditCode(%q) = %v; want invalid: %s", in, err, why)
		}
	}
}

// FuzzParseCreditCode checks that an accepted code is canonical.
func FuzzParseCreditCode(f *testing.F) {
	for _, s := range []string{"91330100799655058B", "9144030071526726xg", "０", "IOZSV"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		code, err := ParseCreditCode(text)
		if err != nil {
			if ErrorCode(err) != EInvalid {
				t.Fatalf("%q: %v is not an invalid-input error", text, err)
			}
			return
		}
		if again, err := ParseCreditCode(code); err != nil || again != code || len(code) != 18 {
			t.Fatalf("%q → %q, which reads again as %q, %v", text, code, again, err)
		}
	})
}
