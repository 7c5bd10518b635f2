package api

import (
	"net/http"
	"slices"
	"strconv"

	"cunjing"
)

// coverageJSON is a coverage report as the API shows it.
type coverageJSON struct {
	Area       areaRefJSON       `json:"area"`
	Ancestors  []areaRefJSON     `json:"ancestors"`
	Totals     tallyJSON         `json:"totals"`
	Children   []coverageRowJSON `json:"children"`
	Stations   []coverageRowJSON `json:"stations"`
	Gaps       []gapJSON         `json:"gaps"`
	GapCount   int               `json:"gap_count"`
	Overloaded []loadJSON        `json:"overloaded"`
	Ratios     []ratioJSON       `json:"ratios"`
	DualPosts  dualTallyJSON     `json:"dual_posts"`
}

type dualTallyJSON struct {
	Areas int `json:"areas"`
	Held  int `json:"held"`
}

type areaRefJSON struct {
	Code  string        `json:"code"`
	Name  string        `json:"name"`
	Level cunjing.Level `json:"level,omitempty"`
	Kind  cunjing.Kind  `json:"kind,omitempty"`
}

type coverageCountsJSON struct {
	Total     int `json:"total"`
	Covered   int `json:"covered"`
	Compliant int `json:"compliant"`
}

type tallyJSON struct {
	All    coverageCountsJSON                  `json:"all"`
	ByKind map[cunjing.Kind]coverageCountsJSON `json:"by_kind"`
}

type coverageRowJSON struct {
	Code   string    `json:"code"`
	Name   string    `json:"name"`
	Totals tallyJSON `json:"totals"`
}

type staffRefJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	PoliceNumber string `json:"police_number,omitempty"`
}

type reasonJSON struct {
	Code   cunjing.GapCode    `json:"code"`
	Text   string             `json:"text"`
	Roles  []cunjing.PostRole `json:"roles,omitempty"`
	Have   int                `json:"have"`
	Need   int                `json:"need"`
	Staff  *staffRefJSON      `json:"staff,omitempty"`
	Km     float64            `json:"km,omitempty"`
	Within float64            `json:"within_km,omitempty"`
}

type gapJSON struct {
	Area     areaRefJSON    `json:"area"`
	Model    string         `json:"model"`
	Officers []staffRefJSON `json:"officers"`
	Reasons  []reasonJSON   `json:"reasons"`
}

type loadJSON struct {
	Staff   staffRefJSON `json:"staff"`
	Areas   []string     `json:"areas"`
	Held    int          `json:"held"`
	Allowed int          `json:"allowed"`
}

type ratioJSON struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Areas    int    `json:"areas"`
	Officers int    `json:"officers"`
	Posted   int    `json:"posted"`
}

// getCoverage answers GET /api/v1/coverage?under=CODE&kind=&gaps=N: the
// coverage of the areas under CODE (the whole scope without it), with at
// most N gaps listed (200 by default, -1 for all).
func (a *api) getCoverage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fields := map[string]string{}
	opt := cunjing.CoverageOptions{Kind: cunjing.Kind(q.Get("kind"))}
	if opt.Kind != "" && !slices.Contains(cunjing.CoverageKinds, opt.Kind) {
		fields["kind"] = "must be village, community, grid or venue"
	}
	if s := q.Get("gaps"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < -1 {
			fields["gaps"] = "must be a number of gaps, or -1 for all"
		}
		opt.GapLimit = n
	}
	under := q.Get("under")
	checkAreaCode(fields, "under", under)
	if err := invalidParams(fields); err != nil {
		return err
	}
	report, err := a.Coverage.Coverage(r.Context(), under, opt)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCoverageJSON(report))
	return nil
}

func toCoverageJSON(r *cunjing.CoverageReport) coverageJSON {
	out := coverageJSON{Area: areaRef(r.Area), Totals: toTallyJSON(r.Tally), GapCount: r.GapCount,
		Ancestors: []areaRefJSON{}, Children: toRowsJSON(r.Children), Stations: toRowsJSON(r.Stations),
		Gaps: []gapJSON{}, Overloaded: []loadJSON{}, Ratios: []ratioJSON{}}
	out.DualPosts = dualTallyJSON{Areas: r.DualPosts.Areas, Held: r.DualPosts.Held}
	for _, anc := range r.Ancestors {
		out.Ancestors = append(out.Ancestors, areaRef(anc))
	}
	for _, g := range r.Gaps {
		out.Gaps = append(out.Gaps, toGapJSON(g))
	}
	for _, l := range r.Overloaded {
		out.Overloaded = append(out.Overloaded, loadJSON{Staff: staffRef(l.Staff), Areas: append([]string{}, l.Areas...), Held: l.Held, Allowed: l.Allowed})
	}
	for _, c := range r.Ratios {
		out.Ratios = append(out.Ratios, ratioJSON(c))
	}
	return out
}

func toGapJSON(g cunjing.CoverageGap) gapJSON {
	out := gapJSON{Area: areaRef(g.Area), Model: g.Model, Officers: []staffRefJSON{}, Reasons: []reasonJSON{}}
	for _, o := range g.Officers {
		out.Officers = append(out.Officers, staffRef(o))
	}
	for _, why := range g.Reasons {
		rj := reasonJSON{Code: why.Code, Text: why.String(), Roles: why.Roles, Have: why.Have, Need: why.Need, Km: why.Km, Within: why.Within}
		if why.Staff.ID != 0 {
			ref := staffRef(why.Staff)
			rj.Staff = &ref
		}
		out.Reasons = append(out.Reasons, rj)
	}
	return out
}

func areaRef(a cunjing.Area) areaRefJSON {
	return areaRefJSON{Code: a.Code, Name: a.Name, Level: a.Level, Kind: a.Kind}
}

func staffRef(s cunjing.StaffRef) staffRefJSON {
	return staffRefJSON{ID: s.ID, Name: s.Name, PoliceNumber: s.PoliceNumber}
}

func toTallyJSON(t cunjing.CoverageTally) tallyJSON {
	out := tallyJSON{All: coverageCountsJSON(t.All), ByKind: map[cunjing.Kind]coverageCountsJSON{}}
	for _, k := range cunjing.CoverageKinds {
		out.ByKind[k] = coverageCountsJSON(t.ByKind[k])
	}
	return out
}

func toRowsJSON(rows []cunjing.CoverageRow) []coverageRowJSON {
	out := []coverageRowJSON{}
	for _, row := range rows {
		out = append(out, coverageRowJSON{Code: row.Code, Name: row.Name, Totals: toTallyJSON(row.Tally)})
	}
	return out
}
