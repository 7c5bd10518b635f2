package demo

import (
	"fmt"
	"math/rand/v2"

	"cunjing"
)

// people makes up the members of staff: names, mobile phones and police
// numbers, the numbers unique.
type people struct {
	r      *rand.Rand
	police int // last officer's police number
	aux    int // last auxiliary's number
	phones map[string]bool
}

func newPeople(r *rand.Rand) *people {
	return &people{r: r, police: 41000, phones: map[string]bool{}}
}

// person returns an active member of staff of a kind and unit.
func (p *people) person(kind cunjing.StaffKind, unit string) cunjing.Staff {
	s := cunjing.Staff{Name: p.name(), Kind: kind, UnitCode: unit, Phone: p.mobile(), Status: cunjing.StaffActive}
	switch kind {
	case cunjing.StaffOfficer:
		p.police += 1 + p.r.IntN(6)
		s.PoliceNumber = fmt.Sprintf("%06d", p.police)
	case cunjing.StaffAuxiliary:
		p.aux += 1 + p.r.IntN(6)
		s.PoliceNumber = fmt.Sprintf("FJ%06d", p.aux)
	}
	return s
}

// name returns a Chinese name: a surname, the common ones more often, and
// one or two given characters.
func (p *people) name() string {
	return drawName(p.r, staffSurname, givenChars, 7)
}

// mobile returns a mobile number not given before.
func (p *people) mobile() string {
	for {
		phone := mobileNumber(p.r)
		if !p.phones[phone] {
			p.phones[phone] = true
			return phone
		}
	}
}
