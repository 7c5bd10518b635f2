package cunjing

import "testing"

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
