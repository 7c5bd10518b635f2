package demo

import (
	"strconv"

	"cunjing"
)

// otherRegions are the regions (county-level codes of other provinces) the
// floating population comes from, the neighbouring provinces — Anhui,
// Hebei, Shandong, Hubei, Shaanxi — more often.
var otherRegions = []string{
	"341221", "341222", "341225", "341226", "341221", "341222", // 阜阳: 临泉, 太和, 阜南, 颍上
	"130425", "130102", "130104", // 河北: 大名, 石家庄
	"371721", "370102", "370202", // 山东: 曹县, 济南, 青岛
	"420102", "420111", "420102", // 湖北: 武汉
	"610102", "610113", // 陕西: 西安
	"140105", "340102", // 太原, 合肥
	"110105", "110108", "120104", "150102", "210102", "220102", "230102", "310104", "310115",
	"320102", "320106", "330106", "350102", "360102", "430102", "440106", "440304", "450102",
	"460105", "500101", "500103", "510104", "511321", "520102", "530102", "540102", "620102",
	"630102", "640104", "650102",
}

// country is where overseas residents come from: the passport's issuing
// country (ICAO code), the form of its numbers, and names as passports
// print them.
type country struct {
	code   string
	prefix string // letters before the digits of a passport number
	digits int
	men    []string
	women  []string
}

var countries = []country{
	{"KOR", "M", 8, []string{"KIM MINJUN", "LEE JIHO", "PARK SEOJUN"}, []string{"KIM SEOYEON", "CHOI YUNA", "LEE JIWOO"}},
	{"JPN", "TK", 7, []string{"SATO HIROSHI", "TANAKA KENJI"}, []string{"SUZUKI YUKI", "TAKAHASHI AOI"}},
	{"USA", "", 9, []string{"JOHN SMITH", "MICHAEL BROWN"}, []string{"EMILY JOHNSON", "SARAH DAVIS"}},
	{"RUS", "", 9, []string{"IVAN PETROV", "DMITRY SOKOLOV"}, []string{"ANNA IVANOVA", "OLGA SMIRNOVA"}},
	{"VNM", "C", 7, []string{"NGUYEN VAN AN", "TRAN MINH DUC"}, []string{"NGUYEN THI MAI", "PHAM THI LAN"}},
	{"PAK", "AB", 7, []string{"MUHAMMAD ALI", "AHMED KHAN"}, []string{"AYESHA KHAN", "FATIMA MALIK"}},
	{"GBR", "", 9, []string{"JAMES WILSON", "OLIVER TAYLOR"}, []string{"EMMA WILSON", "CHARLOTTE EVANS"}},
	{"DEU", "C", 8, []string{"LUKAS MUELLER", "JONAS SCHMIDT"}, []string{"LEA SCHNEIDER", "ANNA FISCHER"}},
	{"THA", "AA", 7, []string{"SOMCHAI SRISUK"}, []string{"SIRIPORN CHAIYA"}},
}

// foreigners make up a household of overseas residents — one person, or
// a couple — and return their country.
func (g *blockGen) foreigners() ([]member, string) {
	code := countries[g.r.IntN(len(countries))].code
	head := member{rel: cunjing.RelationHead, male: g.chance(60), age: g.between(22, 61)}
	if g.chance(70) {
		return []member{head}, code
	}
	spouse := member{rel: cunjing.RelationSpouse, male: !head.male, age: head.age + g.between(-5, 5)}
	return []member{head, spouse}, code
}

// foreigner gives an overseas member a passport of his country, a name
// from it, his sex and birth date.
func (g *blockGen) foreigner(m member, code string) cunjing.Resident {
	var c country
	for _, k := range countries {
		if k.code == code {
			c = k
		}
	}
	names := c.women
	sex := "F"
	if m.male {
		names, sex = c.men, "M"
	}
	number := c.prefix
	for range c.digits {
		number += strconv.Itoa(g.r.IntN(10))
	}
	return cunjing.Resident{Relation: m.rel, DocKind: cunjing.DocPassport, IDNumber: c.code + " " + number,
		Name: names[g.r.IntN(len(names))], Sex: sex, BirthDate: dateOf(g.p.today - int(m.age*365.2425)), NativePlace: c.code,
		Category: cunjing.CategoryOverseas, LeftBehind: cunjing.LeftBehindNone, Status: cunjing.ResidentPresent}
}
