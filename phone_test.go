package cunjing

import (
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	cases := []struct {
		in, want string
		ok       bool
	}{
		{"13812345678", "13812345678", true},
		{" +86 138 1234 5678 ", "13812345678", true},
		{"１３８１２３４５６７８", "13812345678", true},
		{"0375-2345678", "0375-2345678", true},
		{"03752345678", "0375-2345678", true},
		{"(0375)2345678", "0375-2345678", true},
		{"010-12345678", "010-12345678", true},
		{"02112345678", "021-12345678", true},
		{"0375-2345678-801", "0375-2345678-801", true},
		{"12812345678", "", false},
		{"1381234567", "", false},
		{"2345678", "", false},
		{"0375-0345678", "", false},
		{"phone", "", false},
		{"", "", false},
	}
	for _, c := range cases {
		got, ok := NormalizePhone(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzNormalizePhone checks that whatever is typed into a phone field, an
// accepted number is in canonical form and normalises to itself.
func FuzzNormalizePhone(f *testing.F) {
	for _, seed := range []string{"13812345678", "+86 138 1234 5678", "0375-2345678-801", "(0375)2345678", "１３８", "0", "-"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		phone, ok := NormalizePhone(text)
		if !ok {
			if phone != "" {
				t.Fatalf("refused %q but returned %q", text, phone)
			}
			return
		}
		again, ok := NormalizePhone(phone)
		if !ok || again != phone {
			t.Fatalf("%q → %q, which normalises to %q, %v", text, phone, again, ok)
		}
		if len(phone) > 22 || strings.ContainsFunc(phone, func(r rune) bool { return (r < '0' || r > '9') && r != '-' }) {
			t.Fatalf("%q → %q is not a canonical number", text, phone)
		}
	})
}
