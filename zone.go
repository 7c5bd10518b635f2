package cunjing

import "time"

// Shanghai is the time zone in which times are shown and bucketed
// (DESIGN.md §4 Time). China has kept UTC+8 without daylight saving since
// 1991, so a fixed zone is Asia/Shanghai for every time the system records,
// and it needs no time-zone database on the host.
var Shanghai = time.FixedZone("CST", 8*60*60)

// DateLayout is the layout of a date as forms send it and people type it.
const DateLayout = "2006-01-02"

// ParseTimeBound reads one bound of a time range: an RFC 3339 time, or a
// date (2006-01-02) in Shanghai. A date as a start (end false) is its first
// instant; as an end it is the first instant of the next day, so that a
// range ending on a date takes in that whole day. ok is false when s is
// neither.
func ParseTimeBound(s string, end bool) (t time.Time, ok bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	day, err := time.ParseInLocation(DateLayout, s, Shanghai)
	if err != nil {
		return time.Time{}, false
	}
	if end {
		day = day.AddDate(0, 0, 1)
	}
	return day, true
}
