package cunjing

import (
	"strings"
	"testing"
)

var idToday = NewDate(2026, 11, 29)

func TestParseIDNumberAcceptsValidNumbers(t *testing.T) {
	cases := []struct {
		in, number, region, birth string
		female                    bool
	}{
		{"11010519491231002X", "11010519491231002X", "110105", "1949-12-31", true},
		{"11010519491231002x", "11010519491231002X", "110105", "1949-12-31", true},
		{"１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X", "110105", "1949-12-31", true},
		{" 110105 19491231 002X ", "11010519491231002X", "110105", "1949-12-31", true},
		{"440524188001010014", "440524188001010014", "440524", "1880-01-01", false},
		{"110105491231002", "11010519491231002X", "110105", "1949-12-31", true}, // first generation, 15 digits
	}
	for _, c := range cases {
		id, err := ParseIDNumber(c.in, idToday)
		if err != nil || id.Number != c.number || id.Region != c.region || id.Birth.String() != c.birth || id.Female != c.female {
			t.Errorf("ParseIDNumber(%q) = %+v, %v; want %s from %s born %s female %v", c.in, id, err, c.number, c.region, c.birth, c.female)
		}
	}
}

func TestParseIDNumberSaysWhatIsWrong(t *testing.T) {
	cases := []struct{ in, why string }{
		{"", "18 characters"},
		{"1101051949123100", "18 characters"},
		{"11010519491231002Y", "17 digits and a digit or X"},
		{"99010519491231002X", "no province"},
		{"11010519490231002X", "not a date"},      // 31 February… 1949-02-31
		{"11010518800230002X", "not a date"},      // 30 February
		{"110105202701010012", "future"},          // born in 2027
		{"110105194912310021", "check character"}, // one digit off
		{"11010519491231003X", "check character"},
	}
	for _, c := range cases {
		_, err := ParseIDNumber(c.in, idToday)
		if ErrorCode(err) != EInvalid || !strings.Contains(err.Error(), c.why) {
			t.Errorf("ParseIDNumber(%q) = %v; want invalid: %s", c.in, err, c.why)
		}
	}
}

// FuzzParseIDNumber checks that an accepted number is canonical and reads
// the same again.
func FuzzParseIDNumber(f *testing.F) {
	for _, s := range []string{"11010519491231002X", "110105491231002", "440524188001010014", "x", "１１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		id, err := ParseIDNumber(text, idToday)
		if err != nil {
			if ErrorCode(err) != EInvalid {
				t.Fatalf("%q: %v is not an invalid-input error", text, err)
			}
			return
		}
		again, err := ParseIDNumber(id.Number, idToday)
		if err != nil || again != id || len(id.Number) != 18 {
			t.Fatalf("%q → %+v, which reads again as %+v, %v", text, id, again, err)
		}
	})
}
