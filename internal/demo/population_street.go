package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"cunjing"
)

// roadNames are the roads of the communities, Pingdingshan's among them.
var roadNames = []string{"建设路", "中兴路", "人民路", "解放路", "新华路", "光明路", "开源路", "凌云路", "湛河路", "和平路",
	"矿工路", "体育路", "曙光街", "南环路", "北环路", "东环路", "长青路", "英雄路", "建业路", "乐福路", "联盟路", "优越路",
	"育英路", "劳动路", "公园路", "民主路", "胜利街", "文化路", "平安大道", "神马大道", "湖滨路", "园林路", "和顺路",
	"光华路", "站前路", "新城大道", "建设街", "团结路", "友谊路", "滨河路"}

// compoundStride is how far apart the numbers of two compounds on one
// road are: a compound has the even number, its street-front shops the odd
// numbers after it.
const compoundStride = 200

// maxShops is how many street-front shops a compound has at most.
const maxShops = compoundStride/2 - 1

// streetCursor hands out the addresses of a block in order: the houses of
// a village group along its natural village, or the flats of a compound —
// building, entrance, floor, room — and the shops in front of it.
type streetCursor struct {
	urban  bool
	street string // the group's natural village and number, or the road
	number int    // last house number given (rural); the compound's number (urban)
	// the compound's buildings
	entrances, floors               int
	building, entrance, floor, room int
	shops                           int
}

// newStreetCursor places block index of a village: group index+1 of a
// village, each natural village holding two groups; in a community, the
// compounds along its three roads in turn.
func newStreetCursor(area cunjing.Area, salt uint64, index int, urban bool) streetCursor {
	if !urban {
		return streetCursor{street: naturalVillage(area, salt, index/2) + groupNumber(index+1) + "组"}
	}
	r := rand.New(rand.NewPCG(salt, 1<<40))
	roads := r.Perm(len(roadNames))[:3]
	c := streetCursor{urban: true, street: roadNames[roads[index%3]], number: 2 + compoundStride*(index/3)}
	c.entrances = 2 + r.IntN(2)
	c.floors = []int{6, 6, 6, 11, 18}[r.IntN(5)]
	return c
}

// home returns the next home's address.
func (c *streetCursor) home(r *rand.Rand) cunjing.StdAddress {
	if !c.urban {
		return c.nextHouse(r)
	}
	c.room++
	if c.building == 0 || c.room > 2 {
		c.room = 1
		c.floor++
	}
	if c.building == 0 || c.floor > c.floors {
		c.floor = 1
		c.entrance++
	}
	if c.building == 0 || c.entrance > c.entrances {
		c.entrance = 1
		c.building++
	}
	return cunjing.StdAddress{Street: c.street, HouseNumber: strconv.Itoa(c.number) + "号",
		Building: strconv.Itoa(c.building) + "栋", Entrance: strconv.Itoa(c.entrance) + "单元",
		Room: strconv.Itoa(c.floor) + "0" + strconv.Itoa(c.room) + "室"}
}

// shop returns the next shop's address: a house of the village, or a
// street-front number of the compound; false when the compound has none
// left.
func (c *streetCursor) shop(r *rand.Rand) (cunjing.StdAddress, bool) {
	if !c.urban {
		return c.nextHouse(r), true
	}
	if c.shops == maxShops {
		return cunjing.StdAddress{}, false
	}
	c.shops++
	return cunjing.StdAddress{Street: c.street, HouseNumber: strconv.Itoa(c.number+2*c.shops-1) + "号"}, true
}

// nextHouse numbers the houses of a group, leaving a number out at times.
func (c *streetCursor) nextHouse(r *rand.Rand) cunjing.StdAddress {
	c.number++
	if r.IntN(8) == 0 {
		c.number++
	}
	return cunjing.StdAddress{Street: c.street, HouseNumber: strconv.Itoa(c.number) + "号"}
}

// naturalVillage names natural village k of a village: the first bears the
// village's own name, the others a qualifier, a surname and an ending
// (东王庄, 李家营).
func naturalVillage(area cunjing.Area, salt uint64, k int) string {
	if k == 0 {
		stem := strings.TrimSuffix(cunjing.ShortAreaName(area.Name), "村")
		if stem != "" {
			return stem
		}
	}
	r := rand.New(rand.NewPCG(salt, uint64(k)<<20))
	q := qualifiers[r.IntN(len(qualifiers))]
	s := string(surnames[r.IntN(len(surnames))])
	if r.IntN(3) == 0 {
		s += "家"
	}
	return q + s + placeEndings[r.IntN(len(placeEndings))]
}

// groupNumber writes a group's number in Chinese numerals up to 99 (三,
// 十二, 二十), in digits above.
func groupNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	case n < 100:
		return digits[n/10] + "十" + digits[n%10]
	}
	return strconv.Itoa(n)
}
