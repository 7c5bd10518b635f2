package cunjing

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// Models of the case study, as a county would enter them.
var (
	// oneOfficerTwoHelpers is 一警两员 (舞钢): one officer and at least
	// two of patrol, security staff or village officials.
	oneOfficerTwoHelpers = StaffingModel{Name: "一警两员", MaxAreasPerOfficer: 1, Rules: []ModelRule{
		{Roles: []PostRole{PostResponsible, PostCommunity}, Min: 1, Max: 1},
		{Roles: []PostRole{PostPatrol, PostSecurity, PostVillageOfficial}, Min: 2},
	}}
	// oneOfficerTwoCadres is 一警两干: one officer and exactly two cadres.
	oneOfficerTwoCadres = StaffingModel{Name: "一警两干", Rules: []ModelRule{
		{Roles: []PostRole{PostResponsible}, Min: 1, Max: 1},
		{Roles: []PostRole{PostCadre}, Min: 2, Max: 2},
	}}
	// oneOfficeSeveralOfficers is 一室多警 for communities: two to four
	// officers and up to six auxiliaries.
	oneOfficeSeveralOfficers = StaffingModel{Name: "一室多警", Rules: []ModelRule{
		{Roles: []PostRole{PostResponsible, PostCommunity}, Min: 2, Max: 4},
		{Roles: []PostRole{PostAuxiliary}, Max: 6},
	}}
)

func TestCaseStudyModelsAreValid(t *testing.T) {
	for _, m := range []StaffingModel{oneOfficerTwoHelpers, oneOfficerTwoCadres, oneOfficeSeveralOfficers, DefaultStaffingModel} {
		if err := m.Validate(); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
}

func TestValidateNamesEachBadField(t *testing.T) {
	long := string(make([]rune, 51))
	cases := []struct {
		name  string
		model StaffingModel
		field string
	}{
		{"no name", StaffingModel{Name: "  ", Rules: DefaultStaffingModel.Rules}, "name"},
		{"long name", StaffingModel{Name: long, Rules: DefaultStaffingModel.Rules}, "name"},
		{"no rule", StaffingModel{Name: "空"}, "rules"},
		{"rule without roles", StaffingModel{Name: "x", Rules: []ModelRule{{Min: 1}}}, "rules[0]"},
		{"unknown role", StaffingModel{Name: "x", Rules: []ModelRule{{Roles: []PostRole{"sheriff"}, Min: 1}}}, "rules[0]"},
		{"min above max", StaffingModel{Name: "x", Rules: []ModelRule{DefaultStaffingModel.Rules[0], {Roles: []PostRole{PostCadre}, Min: 3, Max: 2}}}, "rules[1]"},
		{"negative min", StaffingModel{Name: "x", Rules: []ModelRule{{Roles: []PostRole{PostCadre}, Min: -1, Max: 2}}}, "rules[0]"},
		{"rule asking nothing", StaffingModel{Name: "x", Rules: []ModelRule{{Roles: []PostRole{PostCadre}}}}, "rules[0]"},
		{"negative load", StaffingModel{Name: "x", Rules: DefaultStaffingModel.Rules, MaxAreasPerOfficer: -1}, "max_areas_per_officer"},
		{"negative distance", StaffingModel{Name: "x", Rules: DefaultStaffingModel.Rules, MaxDistanceKm: -0.5}, "max_distance_km"},
		{"distance not a number", StaffingModel{Name: "x", Rules: DefaultStaffingModel.Rules, MaxDistanceKm: math.NaN()}, "max_distance_km"},
		{"infinite distance", StaffingModel{Name: "x", Rules: DefaultStaffingModel.Rules, MaxDistanceKm: math.Inf(1)}, "max_distance_km"},
	}
	for _, c := range cases {
		err := c.model.Validate()
		var e *Error
		if !errors.As(err, &e) || e.Code != EInvalid || e.Fields[c.field] == "" || len(e.Fields) != 1 {
			t.Errorf("%s: %v; want invalid naming only %s", c.name, err, c.field)
		}
	}
	m := StaffingModel{Name: " 一警两员 ", Rules: oneOfficerTwoHelpers.Rules}
	if err := m.Validate(); err != nil || m.Name != "一警两员" {
		t.Errorf("a name with spaces around: %v, %q; want it trimmed and valid", err, m.Name)
	}
}

func TestCheckPostsGivesTheReasons(t *testing.T) {
	type posts = map[PostRole]int
	cases := []struct {
		name   string
		model  StaffingModel
		filled posts
		want   []GapReason
	}{
		{"一警两员 fully staffed", oneOfficerTwoHelpers, posts{PostResponsible: 1, PostPatrol: 1, PostVillageOfficial: 1}, nil},
		{"一警两员 with helpers only", oneOfficerTwoHelpers, posts{PostPatrol: 2},
			[]GapReason{{Code: GapNoOfficer, Roles: []PostRole{PostResponsible, PostCommunity}, Need: 1}}},
		{"一警两员 with one helper", oneOfficerTwoHelpers, posts{PostCommunity: 1, PostSecurity: 1},
			[]GapReason{{Code: GapTooFew, Roles: oneOfficerTwoHelpers.Rules[1].Roles, Have: 1, Need: 2}}},
		{"一警两员 with two officers", oneOfficerTwoHelpers, posts{PostResponsible: 2, PostPatrol: 3},
			[]GapReason{{Code: GapTooMany, Roles: oneOfficerTwoHelpers.Rules[0].Roles, Have: 2, Need: 1}}},
		{"一警两干 empty", oneOfficerTwoCadres, posts{},
			[]GapReason{{Code: GapNoOfficer, Roles: []PostRole{PostResponsible, PostCommunity}, Need: 1},
				{Code: GapTooFew, Roles: []PostRole{PostCadre}, Have: 0, Need: 2}}},
		{"一警两干 with one cadre", oneOfficerTwoCadres, posts{PostResponsible: 1, PostCadre: 1},
			[]GapReason{{Code: GapTooFew, Roles: []PostRole{PostCadre}, Have: 1, Need: 2}}},
		{"一警两干 with three cadres", oneOfficerTwoCadres, posts{PostResponsible: 1, PostCadre: 3},
			[]GapReason{{Code: GapTooMany, Roles: []PostRole{PostCadre}, Have: 3, Need: 2}}},
		// The model asks for a responsible officer; a community officer
		// covers the area but does not fill that post.
		{"一警两干 with a community officer", oneOfficerTwoCadres, posts{PostCommunity: 1, PostCadre: 2},
			[]GapReason{{Code: GapTooFew, Roles: []PostRole{PostResponsible}, Have: 0, Need: 1}}},
		{"一室多警 with one officer", oneOfficeSeveralOfficers, posts{PostCommunity: 1, PostAuxiliary: 2},
			[]GapReason{{Code: GapTooFew, Roles: oneOfficeSeveralOfficers.Rules[0].Roles, Have: 1, Need: 2}}},
		{"一室多警 with three officers", oneOfficeSeveralOfficers, posts{PostCommunity: 2, PostResponsible: 1}, nil},
		{"一室多警 with seven auxiliaries", oneOfficeSeveralOfficers, posts{PostCommunity: 2, PostAuxiliary: 7},
			[]GapReason{{Code: GapTooMany, Roles: []PostRole{PostAuxiliary}, Have: 7, Need: 6}}},
		{"一村一警 with a mediator only", DefaultStaffingModel, posts{PostMediator: 1},
			[]GapReason{{Code: GapNoOfficer, Roles: []PostRole{PostResponsible, PostCommunity}, Need: 1}}},
	}
	for _, c := range cases {
		got := c.model.CheckPosts(c.filled)
		if !slices.EqualFunc(got, c.want, sameReason) {
			t.Errorf("%s: %+v; want %+v", c.name, got, c.want)
		}
	}
}

func sameReason(a, b GapReason) bool {
	return a.Code == b.Code && slices.Equal(a.Roles, b.Roles) && a.Have == b.Have && a.Need == b.Need
}

func TestGapReasonsReadPlainly(t *testing.T) {
	cases := []struct {
		reason GapReason
		want   string
	}{
		{GapReason{Code: GapNoOfficer}, "no responsible officer"},
		{GapReason{Code: GapTooFew, Have: 1, Need: 2}, "1 of 2 cadre"},
		{GapReason{Code: GapTooMany, Have: 3, Need: 2}, "3 cadre, model allows 2"},
		{GapReason{Code: GapOverloaded, Have: 3, Need: 2}, "officer 王强 responsible for 3 areas, model allows 2"},
		{GapReason{Code: GapTooFar, Km: 7.25, Within: 6}, "officer 王强's areas lie 7.2 km apart, model allows 6.0"},
		{GapReason{Code: GapOffDuty}, "officer 王强 is not on duty"},
		{GapReason{Code: GapCode("something_new")}, "something_new"},
	}
	for _, c := range cases {
		c.reason.Roles = []PostRole{PostCadre}
		c.reason.Staff.Name = "王强"
		if got := c.reason.String(); got != c.want {
			t.Errorf("%s: %q; want %q", c.reason.Code, got, c.want)
		}
	}
}

func TestMaxForIsTheTightestRule(t *testing.T) {
	m := StaffingModel{Name: "x", Rules: []ModelRule{
		{Roles: []PostRole{PostResponsible, PostCommunity}, Min: 1, Max: 3},
		{Roles: []PostRole{PostResponsible}, Min: 1, Max: 1},
		{Roles: []PostRole{PostPatrol, PostSecurity}, Min: 2},
	}}
	for role, want := range map[PostRole]int{PostResponsible: 1, PostCommunity: 3, PostPatrol: 0, PostMediator: 0} {
		if got := m.MaxFor(role); got != want {
			t.Errorf("MaxFor(%s) = %d; want %d", role, got, want)
		}
	}
	if got := oneOfficeSeveralOfficers.MaxFor(PostAuxiliary); got != 6 {
		t.Errorf("一室多警 auxiliaries: %d; want 6", got)
	}
}

func TestModelForPicksTheNearestBinding(t *testing.T) {
	bindings := []ModelBinding{
		{AreaCode: "4104", ModelID: 1},                                         // the city: 一村一警
		{AreaCode: "410481", AreaKind: KindVillage, ModelID: 2},                // 舞钢's villages: 一警两员
		{AreaCode: "410481", ModelID: 3},                                       // 舞钢, every other kind
		{AreaCode: "410481001", ModelID: 4},                                    // one town of 舞钢, all kinds
		{AreaCode: "410402", AreaKind: KindCommunity, ModelID: 5},              // 新华区's communities: 一室多警
		{AreaCode: "410402", AreaKind: Kind(LevelGrid), ModelID: 6},            // 新华区's grids
		{AreaCode: "410402001002-S01", AreaKind: Kind(LevelVenue), ModelID: 7}, // one venue itself
	}
	cases := []struct {
		code string
		kind Kind
		want int64 // 0: none applies
	}{
		{"410423100201", KindVillage, 1},          // only the city's applies
		{"410481100201", KindVillage, 2},          // kind-specific beats all kinds at the same code
		{"410481100001", KindCommunity, 3},        // the county's all-kinds one
		{"410481001201", KindVillage, 4},          // the town is nearer than the county's village one
		{"410402001002", KindCommunity, 5},        // the county's community one
		{"410402001002", KindVillage, 1},          // not a community: back to the city
		{"410402001002-G01", Kind(LevelGrid), 6},  // a grid of the county
		{"410402001002-S01", Kind(LevelVenue), 7}, // the venue's own binding
		{"410402001002-S02", Kind(LevelVenue), 1}, // another venue: the city's
		{"410381100201", KindVillage, 0},          // another city: none
	}
	for _, c := range cases {
		b, ok := ModelFor(bindings, c.code, c.kind)
		if got := map[bool]int64{true: b.ModelID}[ok]; got != c.want || ok != (c.want != 0) {
			t.Errorf("ModelFor(%s, %s) = %d (%v); want %d", c.code, c.kind, b.ModelID, ok, c.want)
		}
	}
	reversed := slices.Clone(bindings)
	slices.Reverse(reversed)
	if b, _ := ModelFor(reversed, "410481100201", KindVillage); b.ModelID != 2 {
		t.Errorf("in reverse order the village binding lost to %d", b.ModelID)
	}
}
