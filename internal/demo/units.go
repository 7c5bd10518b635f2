// Package demo builds the deterministic synthetic city that `cunjing serve --demo`
// runs on: the real division codes of Pingdingshan, a generated police force
// on them and a generated population (一标三实), which `cunjing gen` also
// writes as CSV files.
package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"cunjing"
)

// maxPosts is how many offices and workstations fit under one station: their
// codes carry a two-digit sequence.
const maxPosts = 99

// postSuffix ends the name of an office or workstation.
var postSuffix = map[cunjing.UnitKind]string{cunjing.UnitOffice: "警务室", cunjing.UnitWorkstation: "警务工作站"}

// roads are the street names addresses are made of.
var roads = []string{"建设路", "中兴路", "人民路", "解放路", "新华路", "光明路", "开源路", "凌云路", "湛河路", "和平路"}

// Units generates a realistic police organisation over the given areas, the
// whole jurisdiction tree of one city: a city bureau, a bureau per county, a
// police station (派出所) per town or pair of neighbouring towns, a community
// office (警务室) per 1–3 communities and a village workstation (警务工作站)
// per 3–6 villages. The result depends only on the areas and the seed and
// lists parents before children. It is nil when the areas hold no city.
func Units(areas []cunjing.Area, seed uint64) []cunjing.Unit {
	g := newGenerator(areas, seed)
	i := slices.IndexFunc(g.sorted, func(a cunjing.Area) bool { return a.Level == cunjing.LevelCity })
	if i < 0 {
		return nil
	}
	city := g.sorted[i]
	bureau := g.add(cunjing.Unit{
		Code:         city.Code + "00000000",
		Name:         city.Name + "公安局",
		Kind:         cunjing.UnitBureau,
		Address:      city.Name + g.road(),
		Jurisdiction: []string{city.Code},
	})
	for _, county := range g.children[city.Code] {
		g.county(city, county, bureau)
	}
	return g.units
}

// generator holds the area tree, the random source and the units made so far.
type generator struct {
	r        *rand.Rand
	sorted   []cunjing.Area            // all areas by code
	byCode   map[string]cunjing.Area   // area by code
	children map[string][]cunjing.Area // children by parent code, by code
	units    []cunjing.Unit
}

// newGenerator indexes areas by code and by parent, in code order.
func newGenerator(areas []cunjing.Area, seed uint64) *generator {
	g := &generator{
		r:        rand.New(rand.NewPCG(seed, seed)),
		sorted:   slices.Clone(areas),
		byCode:   map[string]cunjing.Area{},
		children: map[string][]cunjing.Area{},
	}
	slices.SortFunc(g.sorted, func(a, b cunjing.Area) int { return strings.Compare(a.Code, b.Code) })
	for _, a := range g.sorted {
		g.byCode[a.Code] = a
		g.children[a.ParentCode] = append(g.children[a.ParentCode], a)
	}
	return g
}

// add appends a unit with a phone number and returns its code.
func (g *generator) add(u cunjing.Unit) string {
	u.Phone = g.phone()
	g.units = append(g.units, u)
	return u.Code
}

// county adds a county bureau and the stations under it.
func (g *generator) county(city, county cunjing.Area, parent string) {
	bureau := g.add(cunjing.Unit{
		Code:         county.Code + "000000",
		Name:         countyBureauName(city.Name, county.Name),
		Kind:         cunjing.UnitBureau,
		ParentCode:   parent,
		Address:      city.Name + county.Name + g.road(),
		Jurisdiction: []string{county.Code},
	})
	for i, towns := range g.townGroups(county) {
		g.station(county, towns, fmt.Sprintf("%s51%02d00", county.Code, i+1), bureau)
	}
}

// townGroups splits a county's towns, in code order, into station
// jurisdictions: one town, or at random two neighbouring towns. Urban
// sub-districts (街道) of a district always have a station of their own.
func (g *generator) townGroups(county cunjing.Area) [][]cunjing.Area {
	towns := g.children[county.Code]
	alone := func(t cunjing.Area) bool {
		return strings.HasSuffix(county.Name, "区") && strings.Contains(t.Name, "街道")
	}
	var groups [][]cunjing.Area
	for i := 0; i < len(towns); i++ {
		if i+1 < len(towns) && !alone(towns[i]) && !alone(towns[i+1]) && g.r.Float64() < 0.3 {
			groups = append(groups, towns[i:i+2])
			i++
			continue
		}
		groups = append(groups, towns[i:i+1])
	}
	return groups
}

// station adds a police station over towns and the offices and workstations
// under it.
func (g *generator) station(county cunjing.Area, towns []cunjing.Area, code, parent string) {
	g.add(cunjing.Unit{
		Code:         code,
		Name:         shortTownName(towns[0].Name) + "派出所",
		Kind:         cunjing.UnitStation,
		ParentCode:   parent,
		Address:      county.Name + towns[0].Name + g.road(),
		Jurisdiction: codes(towns),
	})
	var communities, villages []cunjing.Area
	for _, t := range towns {
		for _, a := range g.children[t.Code] {
			switch {
			case a.Level != cunjing.LevelVillage:
			case a.Kind == cunjing.KindCommunity:
				communities = append(communities, a)
			default:
				villages = append(villages, a)
			}
		}
	}
	offices, posts := g.clusters(communities, villages)
	for i, c := range offices {
		g.post(county, c, cunjing.UnitOffice, code, i+1)
	}
	for i, c := range posts {
		g.post(county, c, cunjing.UnitWorkstation, code, len(offices)+i+1)
	}
}

// clusters groups communities 1–3 and villages 3–6 at a time, scaling the
// sizes up until a station's offices and workstations fit in maxPosts.
func (g *generator) clusters(communities, villages []cunjing.Area) (offices, posts [][]cunjing.Area) {
	for scale := 1; ; scale++ {
		offices = g.chunk(communities, scale, 3*scale)
		posts = g.chunk(villages, 3*scale, 6*scale)
		if len(offices)+len(posts) <= maxPosts {
			return offices, posts
		}
	}
}

// chunk cuts areas, in order, into runs of lo to hi areas of random size
// (fewer only when there are fewer than lo in all). It needs hi ≥ 2lo-1.
func (g *generator) chunk(areas []cunjing.Area, lo, hi int) [][]cunjing.Area {
	var runs [][]cunjing.Area
	for len(areas) > 0 {
		n := len(areas)
		if n > hi { // leave at least lo for the next run
			n = lo + g.r.IntN(min(hi, n-lo)-lo+1)
		}
		runs = append(runs, areas[:n])
		areas = areas[n:]
	}
	return runs
}

// post adds the office or workstation number seq of a station over a cluster
// of village-tier areas, named and located after the first of them.
func (g *generator) post(county cunjing.Area, cluster []cunjing.Area, kind cunjing.UnitKind, station string, seq int) {
	first := cluster[0]
	g.add(cunjing.Unit{
		Code:         fmt.Sprintf("%s%02d", station[:10], seq),
		Name:         first.ShortName() + postSuffix[kind],
		Kind:         kind,
		ParentCode:   station,
		Address:      county.Name + g.byCode[first.ParentCode].Name + first.ShortName(),
		Jurisdiction: codes(cluster),
	})
}

// road returns a random street address such as "建设路18号".
func (g *generator) road() string {
	return fmt.Sprintf("%s%d号", roads[g.r.IntN(len(roads))], 1+g.r.IntN(199))
}

// phone returns a random Pingdingshan landline number.
func (g *generator) phone() string {
	return fmt.Sprintf("0375-%d", 2000000+g.r.IntN(8000000))
}

// countyBureauName names the public-security bureau of a county-level area:
// a branch of the city bureau for a district or a development zone.
func countyBureauName(city, county string) string {
	switch {
	case strings.Contains(county, "开发区"), strings.Contains(county, "示范区"):
		return county + "分局"
	case strings.HasSuffix(county, "区"):
		return city + "公安局" + strings.TrimSuffix(county, "区") + "分局"
	}
	return county + "公安局"
}

// shortTownName drops the tier suffix of a town name: "城关镇" → "城关",
// "曙光街街道" → "曙光街", "姚庄回族乡" → "姚庄".
func shortTownName(name string) string {
	name = strings.TrimSuffix(name, "筹备组")
	for _, suffix := range []string{"回族乡", "办事处", "街道", "镇", "乡"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && base != "" {
			return base
		}
	}
	return name
}

// codes returns the codes of areas.
func codes(areas []cunjing.Area) []string {
	out := make([]string, len(areas))
	for i, a := range areas {
		out[i] = a.Code
	}
	return out
}
