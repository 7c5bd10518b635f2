package demo

import (
	"time"

	"cunjing"
)

// Every generated ID number is unique without a look at the others: the
// (birth day, sequence number) cells are shared out among the blocks — cell
// (day, slot), with slot 0–499 and the sequence number 2·slot for women
// and 2·slot+1 for men, belongs to block (day·500 + slot) mod blocks — and
// a block takes the free cell of its own nearest the birthday it wants.
// Two blocks never hold the same cell, so two people never share a
// number, whatever their region; a birthday moves by a few days at most.

// slotsPerDay are the sequence numbers of one sex on one day.
const slotsPerDay = 500

// idAlloc hands out the cells of one block.
type idAlloc struct {
	block, blocks int
	used          map[int]struct{}
}

// take returns the birth day nearest day, within [lo, hi], with a free cell
// of the block for the sex, and the sequence number; ok is false when the
// block has no free cell left in the range.
func (a *idAlloc) take(day, lo, hi int, male bool) (birth, seq int, ok bool) {
	sex := 0
	if male {
		sex = 1
	}
	for step := 0; day-step >= lo || day+step <= hi; step++ {
		days := [2]int{day + step, day - step}
		for _, d := range days[:min(step+1, 2)] {
			if d < lo || d > hi {
				continue
			}
			first := ((a.block-d*slotsPerDay)%a.blocks + a.blocks) % a.blocks
			for s := first; s < slotsPerDay; s += a.blocks {
				key := (d*slotsPerDay+s)*2 + sex
				if _, taken := a.used[key]; !taken {
					a.used[key] = struct{}{}
					return d, 2*s + sex, true
				}
			}
		}
	}
	return 0, 0, false
}

// idWeights are the ISO 7064 MOD 11-2 weights of GB 11643.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idNumber composes the 18-character ID number of a region, birth day and
// sequence number, with its check character.
func idNumber(region string, birth, seq int) string {
	var b [18]byte
	copy(b[:6], region)
	y, m, d := civil(birth)
	putDigits(b[6:10], y)
	putDigits(b[10:12], m)
	putDigits(b[12:14], d)
	putDigits(b[14:17], seq)
	sum := 0
	for i, w := range idWeights {
		sum += int(b[i]-'0') * w
	}
	b[17] = "10X98765432"[sum%11]
	return string(b[:])
}

// putDigits writes n into b in decimal, zero-padded to its length.
func putDigits(b []byte, n int) {
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
}

// Days are numbered from 1970-01-01 (day 0), the proleptic Gregorian
// calendar (H. Hinnant's civil-date algorithms).

// dayNumber returns the number of a date.
func dayNumber(d cunjing.Date) int {
	t := d.Time()
	return daysFromCivil(t.Year(), int(t.Month()), t.Day())
}

func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil returns the year, month and day of a day number.
func civil(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// dateOf returns the date of a day number.
func dateOf(day int) cunjing.Date {
	y, m, d := civil(day)
	return cunjing.NewDate(y, time.Month(m), d)
}
