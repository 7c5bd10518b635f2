package importer

import "testing"

func TestParseDayReadsTheWaysPeopleWriteDates(t *testing.T) {
	for in, want := range map[string]string{
		"2024-01-05": "2024-01-05", "2024/1/5": "2024-01-05", "2024.1.5": "2024-01-05", "2024年1月5日": "2024-01-05",
		"20240105": "2024-01-05", "45296": "2024-01-05", "2024-01-05 00:00:00": "2024-01-05",
	} {
		if got, ok := parseDay(in); !ok || got.String() != want {
			t.Errorf("parseDay(%q) = %s, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"2024-13-05", "5/1/2024", "明天", "2024-02-30"} {
		if got, ok := parseDay(in); ok {
			t.Errorf("parseDay(%q) = %s; want refused", in, got)
		}
	}
}
