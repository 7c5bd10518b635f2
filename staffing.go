package cunjing

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// StaffingModel is what an area needs to be properly staffed, as data:
// 一警两员 is one officer post and at least two of patrol, security staff
// or village officials; 郏县's model lets one officer hold two neighbouring
// villages. Counties choose their model; an area kind may have its own.
type StaffingModel struct {
	ID          int64
	Name        string // 一警两员
	Description string
	Rules       []ModelRule
	// MaxAreasPerOfficer is how many areas one officer may be responsible
	// for; 0 means no limit.
	MaxAreasPerOfficer int
	// MaxDistanceKm bounds the distance between the areas of one officer
	// when they have coordinates; 0 means not checked.
	MaxDistanceKm float64
}

// ModelRule asks for between Min and Max posts (Max 0: no upper bound)
// filled by any of Roles.
type ModelRule struct {
	Roles []PostRole
	Min   int
	Max   int
}

// DefaultStaffingModel applies where no model is bound: one officer post,
// the plain "one village, one officer".
var DefaultStaffingModel = StaffingModel{Name: "一村一警",
	Rules: []ModelRule{{Roles: []PostRole{PostResponsible, PostCommunity}, Min: 1, Max: 1}}}

// Validate checks a model.
func (m *StaffingModel) Validate() error {
	fields := map[string]string{}
	m.Name = strings.TrimSpace(m.Name)
	if m.Name == "" || utf8.RuneCountInString(m.Name) > 50 {
		fields["name"] = "must be 1–50 characters"
	}
	if len(m.Rules) == 0 {
		fields["rules"] = "a model needs at least one rule"
	}
	for i, r := range m.Rules {
		if msg := r.problem(); msg != "" {
			fields[fmt.Sprintf("rules[%d]", i)] = msg
		}
	}
	if m.MaxAreasPerOfficer < 0 {
		fields["max_areas_per_officer"] = "cannot be negative"
	}
	if utf8.RuneCountInString(m.Description) > 500 {
		fields["description"] = "at most 500 characters"
	}
	if !(m.MaxDistanceKm >= 0) || math.IsInf(m.MaxDistanceKm, 1) {
		fields["max_distance_km"] = "must be a number of km, 0 or more"
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the staffing model is not valid", Fields: fields}
	}
	return nil
}

func (r ModelRule) problem() string {
	if len(r.Roles) == 0 {
		return "names no role"
	}
	for _, role := range r.Roles {
		if !slices.Contains(PostRoles, role) {
			return "unknown role " + string(role)
		}
	}
	if r.Min < 0 || r.Max < 0 || (r.Max > 0 && r.Max < r.Min) {
		return "needs 0 ≤ min ≤ max (max 0: no limit)"
	}
	if r.Min == 0 && r.Max == 0 {
		return "asks for nothing: give a min or a max"
	}
	return ""
}

// MaxFor is how many posts of role the model allows in one area; 0 means no
// limit. A role named by no rule is not limited.
func (m *StaffingModel) MaxFor(role PostRole) int {
	limit := 0
	for _, r := range m.Rules {
		if slices.Contains(r.Roles, role) && r.Max > 0 && (limit == 0 || r.Max < limit) {
			limit = r.Max
		}
	}
	return limit
}

// GapCode names why an area is not covered or not compliant.
type GapCode string

// Reasons of a coverage gap.
const (
	GapNoOfficer  GapCode = "no_officer" // no responsible officer
	GapTooFew     GapCode = "too_few"    // "1 of 2 cadres"
	GapTooMany    GapCode = "too_many"   // more than the model allows
	GapOverloaded GapCode = "overloaded" // "officer responsible for 3 villages, model allows 2"
	GapTooFar     GapCode = "too_far"    // the officer's areas lie too far apart
	GapOffDuty    GapCode = "off_duty"   // the officer is on leave or no longer active
)

// GapReason is one reason, with the figures that explain it.
type GapReason struct {
	Code   GapCode
	Roles  []PostRole
	Have   int
	Need   int // the minimum, or the maximum for too_many and overloaded
	Staff  StaffRef
	Km     float64 // for too_far: the distance found
	Within float64 // for too_far: the distance allowed
}

// String explains the reason in plain English; the UI translates by Code.
func (g GapReason) String() string {
	switch g.Code {
	case GapNoOfficer:
		return "no responsible officer"
	case GapOffDuty:
		return fmt.Sprintf("officer %s is not on duty", g.Staff.Name)
	case GapTooFew:
		return fmt.Sprintf("%d of %d %s", g.Have, g.Need, joinKinds(g.Roles))
	case GapTooMany:
		return fmt.Sprintf("%d %s, model allows %d", g.Have, joinKinds(g.Roles), g.Need)
	case GapOverloaded:
		return fmt.Sprintf("officer %s responsible for %d areas, model allows %d", g.Staff.Name, g.Have, g.Need)
	case GapTooFar:
		return fmt.Sprintf("officer %s's areas lie %.1f km apart, model allows %.1f", g.Staff.Name, g.Km, g.Within)
	}
	return string(g.Code)
}

// CheckPosts compares the posts filled in an area (active staff only) with
// the model's rules. The officer rule reports no_officer rather than
// too_few when no officer post is filled at all; when the other officer
// post is, a rule asking for this one reports too_few.
func (m *StaffingModel) CheckPosts(filled map[PostRole]int) []GapReason {
	var reasons []GapReason
	noOfficer := filled[PostResponsible]+filled[PostCommunity] == 0
	if noOfficer {
		reasons = append(reasons, GapReason{Code: GapNoOfficer, Roles: []PostRole{PostResponsible, PostCommunity}, Need: 1})
	}
	for _, r := range m.Rules {
		have := 0
		officerRule := false
		for _, role := range r.Roles {
			have += filled[role]
			officerRule = officerRule || role.IsOfficerPost()
		}
		switch {
		case have < r.Min && !(officerRule && have == 0 && noOfficer):
			reasons = append(reasons, GapReason{Code: GapTooFew, Roles: r.Roles, Have: have, Need: r.Min})
		case r.Max > 0 && have > r.Max:
			reasons = append(reasons, GapReason{Code: GapTooMany, Roles: r.Roles, Have: have, Need: r.Max})
		}
	}
	return reasons
}

// ModelBinding says which model applies to the areas under AreaCode, of
// one kind (village, community, grid, venue) or of every kind ("").
type ModelBinding struct {
	AreaCode  string
	AreaKind  Kind
	ModelID   int64
	AreaName  string // read only
	ModelName string // read only
}

// ModelFor picks the binding that applies to an area: the one on the
// nearest enclosing code, and at the same code the one for its kind over
// the one for every kind. ok is false when none applies.
func ModelFor(bindings []ModelBinding, code string, kind Kind) (b ModelBinding, ok bool) {
	for _, c := range bindings {
		if !strings.HasPrefix(code, c.AreaCode) || (c.AreaKind != "" && c.AreaKind != kind) {
			continue
		}
		if !ok || len(c.AreaCode) > len(b.AreaCode) || (len(c.AreaCode) == len(b.AreaCode) && c.AreaKind != "") {
			b, ok = c, true
		}
	}
	return b, ok
}

// StaffingService keeps the staffing models and where they apply.
type StaffingService interface {
	// StaffingModels lists every model, by name.
	StaffingModels(ctx context.Context) ([]StaffingModel, error)
	// SaveStaffingModel creates (ID 0) or changes a model and returns its ID.
	SaveStaffingModel(ctx context.Context, m StaffingModel) (int64, error)
	// ModelBindings lists the bindings on the areas in scope and above.
	ModelBindings(ctx context.Context) ([]ModelBinding, error)
	// BindModel applies a model to the areas under a code, of one kind or
	// all; model 0 removes the binding.
	BindModel(ctx context.Context, b ModelBinding) error
	// DeleteStaffingModel removes a model that applies nowhere; while it is
	// bound to an area it is a conflict.
	DeleteStaffingModel(ctx context.Context, id int64) error
}
