package demo

import (
	"fmt"
	"math/rand/v2"

	"cunjing"
)

// givenChars make up given names, one or two of them.
var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志建国红海鹏飞宇浩凯辉斌鑫波宁文博亮俊峰晨阳东林雪琳晶颖婷燕丹萍莉倩振永春金保卫新民利德庆忠成梅晓彬")

// mobilePrefixes are the first three digits of the mobile numbers given.
var mobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
	"155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"}

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
	u := p.r.Float64()
	name := []rune{surnames[int(u*u*float64(len(surnames)))], givenChars[p.r.IntN(len(givenChars))]}
	if p.r.IntN(10) < 7 {
		name = append(name, givenChars[p.r.IntN(len(givenChars))])
	}
	return string(name)
}

// mobile returns a mobile number not given before.
func (p *people) mobile() string {
	for {
		phone := mobilePrefixes[p.r.IntN(len(mobilePrefixes))] + fmt.Sprintf("%08d", p.r.IntN(100_000_000))
		if !p.phones[phone] {
			p.phones[phone] = true
			return phone
		}
	}
}
