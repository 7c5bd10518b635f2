package cunjing

import (
	"context"
	"iter"
	"strings"
)

// Level is the tier of an area in the jurisdiction tree.
type Level string

// Levels of the jurisdiction tree, from the top. Village-tier areas are either
// villages or communities (see Kind); grids and venues hang below them.
const (
	LevelProvince Level = "province" // 省 · 2 digits
	LevelCity     Level = "city"     // 市 · 4 digits
	LevelCounty   Level = "county"   // 县(市)区 · 6 digits
	LevelTown     Level = "town"     // 乡镇/街道 · 9 digits
	LevelVillage  Level = "village"  // 村/社区 · 12 digits
	LevelGrid     Level = "grid"     // 网格 · <community>-Gnn
	LevelVenue    Level = "venue"    // 店 · <area>-Snn
)

// Levels lists every level from the top down.
var Levels = []Level{LevelProvince, LevelCity, LevelCounty, LevelTown, LevelVillage, LevelGrid, LevelVenue}

// Kind tells villages from communities at the village tier; other tiers have
// the kind equal to their level.
type Kind string

// Kinds of village-tier areas.
const (
	KindVillage   Kind = "village"   // 村民委员会
	KindCommunity Kind = "community" // 居民委员会 / 社区
)

// Area is one node of the jurisdiction tree, keyed by its official code.
type Area struct {
	Code       string
	Name       string
	Level      Level
	Kind       Kind
	ParentCode string // "" for a province
	Location   *Point // optional
	Boundary   string // optional GeoJSON geometry
	VenueType  VenueType
}

// VenueType is the kind of a large public place (the 店 of 一村(格、店)一警).
type VenueType string

// Types of venue.
const (
	VenueMall      VenueType = "mall"      // 商场
	VenueHospital  VenueType = "hospital"  // 医院
	VenueSchool    VenueType = "school"    // 学校
	VenueMarket    VenueType = "market"    // 市场
	VenueTransport VenueType = "transport" // 车站
	VenueScenic    VenueType = "scenic"    // 景区
	VenueIndustry  VenueType = "industry"  // 工业园区
	VenueOther     VenueType = "other"     // 其他
)

// VenueTypes lists the venue types.
var VenueTypes = []VenueType{VenueMall, VenueHospital, VenueSchool, VenueMarket, VenueTransport, VenueScenic,
	VenueIndustry, VenueOther}

// NewArea asks for a grid inside a community or a venue under any area;
// the store gives it the next free code (<parent>-Gnn or <parent>-Snn).
type NewArea struct {
	ParentCode string
	Level      Level // LevelGrid or LevelVenue
	Name       string
	VenueType  VenueType
	Location   *Point
	Boundary   string
}

// Point is a coordinate with its datum, since Chinese maps use GCJ-02.
type Point struct {
	Lng, Lat float64
	Datum    string // "WGS-84" or "GCJ-02"
}

// PointProblem is what Point.Valid refuses.
const PointProblem = "must lie in China, with datum WGS-84 or GCJ-02"

// Valid reports whether p lies in China and names a datum its maps use.
// NaN fails every comparison, and so is refused; so are swapped
// coordinates, since no latitude in China is a longitude there.
func (p Point) Valid() bool {
	return p.Lng >= 73 && p.Lng <= 136 && p.Lat >= 3 && p.Lat <= 54 && (p.Datum == "WGS-84" || p.Datum == "GCJ-02")
}

// ShortName is the name people use: "武庄村" for "武庄村民委员会",
// "四化路社区" for "四化路社区居委会".
func (a *Area) ShortName() string {
	return ShortAreaName(a.Name)
}

// ShortAreaName drops the committee suffix of an official village-tier name.
func ShortAreaName(name string) string {
	switch {
	case strings.HasSuffix(name, "村民委员会"):
		base := strings.TrimSuffix(name, "村民委员会")
		if strings.HasSuffix(base, "村") {
			return base
		}
		return base + "村"
	case strings.HasSuffix(name, "社区居民委员会"), strings.HasSuffix(name, "社区居委会"):
		return strings.TrimSuffix(strings.TrimSuffix(name, "居民委员会"), "居委会")
	case strings.HasSuffix(name, "居民委员会"):
		return strings.TrimSuffix(name, "居民委员会") + "居委会"
	case strings.HasSuffix(name, "村委会"):
		return strings.TrimSuffix(name, "委会")
	}
	return name
}

// KindFromName classifies a village-tier area by the committee its official
// name gives: a residents' committee (居民委员会, 居委会) is a community, a
// villagers' committee (村民委员会, 村委会) a village even when it is called
// 社区, and a bare "…社区" a community.
func KindFromName(name string) Kind {
	switch {
	case strings.Contains(name, "居民委员会") || strings.Contains(name, "居委会"):
		return KindCommunity
	case strings.Contains(name, "村民") || strings.Contains(name, "村委"):
		return KindVillage
	case strings.Contains(name, "社区"):
		return KindCommunity
	}
	return KindVillage
}

// AreaDetail is an area with its ancestors (top first) and the number of
// areas of each level below it.
type AreaDetail struct {
	Area
	Ancestors []Area
	Counts    AreaCounts
}

// AreaCounts counts the areas under a code by level, with the village tier
// split into villages and communities.
type AreaCounts struct {
	ByLevel     map[Level]int
	Villages    int
	Communities int
}

// ChildArea is a child of an area with the counts of what lies under it.
type ChildArea struct {
	Area
	Towns       int
	Villages    int
	Communities int
}

// AreaFilter selects areas for a list: all conditions that are set apply.
type AreaFilter struct {
	Parent string // direct children of this code
	Under  string // everything strictly below this code
	Level  Level  // only this level
	Kind   Kind   // only this kind (village or community)
	Query  string // name contains
	Page   Page
}

// AreaService reads and writes the jurisdiction tree.
type AreaService interface {
	// AreaDetail returns the area, its ancestors and its counts.
	AreaDetail(ctx context.Context, code string) (*AreaDetail, error)
	// ChildAreas returns the children of code with their own counts.
	ChildAreas(ctx context.Context, code string) ([]ChildArea, error)
	// FindAreas lists areas matching the filter, ordered by code.
	FindAreas(ctx context.Context, f AreaFilter) ([]Area, string, error)
	// CountAreas counts the areas strictly below code, by level.
	CountAreas(ctx context.Context, code string) (AreaCounts, error)
	// ExistingAreaCodes returns which of codes exist.
	ExistingAreaCodes(ctx context.Context, codes []string) (map[string]bool, error)
	// CreateArea adds a grid or a venue and returns it with its code.
	CreateArea(ctx context.Context, a NewArea) (*Area, error)
	// SetAreaLocation sets the coordinates of an area in scope; nil
	// clears them.
	SetAreaLocation(ctx context.Context, code string, p *Point) error
	// ImportAreas inserts new areas and renames changed ones in one
	// transaction. The sequence must give parents before children.
	ImportAreas(ctx context.Context, areas iter.Seq[Area]) (ImportResult, error)
}

// ImportResult says what an import changed.
type ImportResult struct {
	Added     int
	Renamed   int
	Unchanged int
}
