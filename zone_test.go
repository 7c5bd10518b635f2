package cunjing

import (
	"testing"
	"time"
)

func TestParseTimeBound(t *testing.T) {
	cases := []struct {
		in   string
		end  bool
		want string // RFC 3339 in UTC; "" when refused
	}{
		{"2026-03-05", false, "2026-03-04T16:00:00Z"},
		{"2026-03-05", true, "2026-03-05T16:00:00Z"},
		{"2026-12-31", true, "2026-12-31T16:00:00Z"},
		{"2026-03-05T09:30:00+08:00", false, "2026-03-05T01:30:00Z"},
		{"2026-03-05T09:30:00Z", true, "2026-03-05T09:30:00Z"},
		{"2026-02-30", false, ""},
		{"2026/03/05", false, ""},
		{"yesterday", true, ""},
		{"", false, ""},
	}
	for _, c := range cases {
		got, ok := ParseTimeBound(c.in, c.end)
		switch {
		case c.want == "" && ok:
			t.Errorf("ParseTimeBound(%q) = %v; want refused", c.in, got)
		case c.want != "" && (!ok || got.UTC().Format(time.RFC3339) != c.want):
			t.Errorf("ParseTimeBound(%q, end %v) = %v, %v; want %s", c.in, c.end, got.UTC(), ok, c.want)
		}
	}
	if at := time.Date(2026, 3, 5, 23, 30, 0, 0, time.UTC).In(Shanghai); at.Format(DateLayout) != "2026-03-06" {
		t.Errorf("23:30 UTC in Shanghai falls on %s; want the next day", at.Format(DateLayout))
	}
}
