package cunjing

import "context"

// Coverage counts the areas of one kind: how many there are, how many have
// an active officer post filled (covered), and how many meet their
// staffing model (compliant).
type Coverage struct {
	Total     int
	Covered   int
	Compliant int
}

// Add adds the counts of o.
func (c *Coverage) Add(o Coverage) {
	c.Total += o.Total
	c.Covered += o.Covered
	c.Compliant += o.Compliant
}

// CoverageKinds are the kinds of area that need an officer: villages,
// communities, urban grids and venues (一村(格、店)一警).
var CoverageKinds = []Kind{KindVillage, KindCommunity, Kind(LevelGrid), Kind(LevelVenue)}

// CoverageTally is the coverage of a set of areas, by kind and in all.
type CoverageTally struct {
	ByKind map[Kind]Coverage
	All    Coverage
}

// Count adds one area of kind to the tally.
func (t *CoverageTally) Count(kind Kind, covered, compliant bool) {
	if t.ByKind == nil {
		t.ByKind = map[Kind]Coverage{}
	}
	c := Coverage{Total: 1}
	if covered {
		c.Covered = 1
	}
	if compliant {
		c.Compliant = 1
	}
	k := t.ByKind[kind]
	k.Add(c)
	t.ByKind[kind] = k
	t.All.Add(c)
}

// Add adds the counts of o.
func (t *CoverageTally) Add(o CoverageTally) {
	if t.ByKind == nil {
		t.ByKind = map[Kind]Coverage{}
	}
	for kind, c := range o.ByKind {
		k := t.ByKind[kind]
		k.Add(c)
		t.ByKind[kind] = k
	}
	t.All.Add(o.All)
}

// CoverageRow is the tally of one child area or one station.
type CoverageRow struct {
	Code  string // area or unit code
	Name  string
	Tally CoverageTally
}

// CoverageGap is an area that is not covered or not compliant, with why.
type CoverageGap struct {
	Area     Area
	Model    string
	Officers []StaffRef // the officers in post, if any
	Reasons  []GapReason
}

// StaffRef names a member of staff in a report.
type StaffRef struct {
	ID           int64
	Name         string
	PoliceNumber string
}

// OfficerLoad is an officer responsible for more areas than the model of
// one of them allows.
type OfficerLoad struct {
	Staff   StaffRef
	Areas   []string // codes of the areas he holds that the reader may see
	Held    int      // areas he holds, in and outside the reader's scope
	Allowed int
}

// CountyRatio is the police strength of a county against its areas: the
// 鲁山 figure of 555 villages for 370 officers.
type CountyRatio struct {
	Code     string
	Name     string
	Areas    int // villages, communities, grids and venues
	Officers int // active officers of the county's units
	Posted   int // of them, holding an officer post
}

// CoverageReport is the coverage of a subtree.
type CoverageReport struct {
	Area       Area
	Ancestors  []Area
	Tally      CoverageTally
	Children   []CoverageRow // one per child area with areas that need an officer
	Stations   []CoverageRow // police stations with jurisdiction in the subtree
	Gaps       []CoverageGap // at most the limit asked, by code
	GapCount   int           // all gaps
	Overloaded []OfficerLoad
	Ratios     []CountyRatio // per county in the subtree
	DualPosts  DualPostTally
}

// CoverageOptions shape a report.
type CoverageOptions struct {
	GapLimit int // gaps listed; 0 means 200, negative all
	Kind     Kind
}

// CoverageService computes coverage from the assignments in force now.
type CoverageService interface {
	// Coverage reports on the areas under code ("" for all in scope).
	Coverage(ctx context.Context, code string, opt CoverageOptions) (*CoverageReport, error)
}
