package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// countyAdmin is the administrator of one county, as the staffing pages
// are used.
func countyAdmin(username, county string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: cunjing.RoleCountyAdmin,
		Scope: cunjing.Scope{Prefixes: []string{county}}})
}

// cityAdmin administers the whole of 平顶山市.
var cityAdmin = cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "city", Role: cunjing.RoleCityAdmin,
	Scope: cunjing.Scope{Prefixes: []string{"4104"}}})

// loadTwoCounties loads the fixture tree and a second county, 新华区.
func loadTwoCounties(t *testing.T, s *store.Store) {
	t.Helper()
	loadFixture(t, s)
	more := []cunjing.Area{
		{Code: "410402", Name: "新华区", Level: cunjing.LevelCounty, Kind: "county", ParentCode: "4104"},
		{Code: "410402001", Name: "中兴路街道", Level: cunjing.LevelTown, Kind: "town", ParentCode: "410402"},
	}
	if _, err := s.ImportAreas(storetest.Ctx(), slices.Values(more)); err != nil {
		t.Fatal(err)
	}
}

// twoHelpers is 一警两员 as a county enters it.
func twoHelpers() cunjing.StaffingModel {
	return cunjing.StaffingModel{Name: "一警两员", Description: "舞钢模式", MaxAreasPerOfficer: 1, MaxDistanceKm: 6,
		Rules: []cunjing.ModelRule{
			{Roles: []cunjing.PostRole{cunjing.PostResponsible, cunjing.PostCommunity}, Min: 1, Max: 1},
			{Roles: []cunjing.PostRole{cunjing.PostPatrol, cunjing.PostSecurity, cunjing.PostVillageOfficial}, Min: 2},
		}}
}

// twoCadres is 一警两干.
func twoCadres() cunjing.StaffingModel {
	return cunjing.StaffingModel{Name: "一警两干", Rules: []cunjing.ModelRule{
		{Roles: []cunjing.PostRole{cunjing.PostResponsible}, Min: 1, Max: 1},
		{Roles: []cunjing.PostRole{cunjing.PostCadre}, Min: 2, Max: 2},
	}}
}

func saveModel(t *testing.T, s *store.Store, ctx context.Context, m cunjing.StaffingModel) int64 {
	t.Helper()
	id, err := s.SaveStaffingModel(ctx, m)
	if err != nil || id == 0 {
		t.Fatalf("save %s: %d, %v", m.Name, id, err)
	}
	return id
}

func bind(t *testing.T, s *store.Store, ctx context.Context, code string, kind cunjing.Kind, model int64) {
	t.Helper()
	if err := s.BindModel(ctx, cunjing.ModelBinding{AreaCode: code, AreaKind: kind, ModelID: model}); err != nil {
		t.Fatalf("bind %d to %s %q: %v", model, code, kind, err)
	}
}

// staffingAudit returns the staffing_change rows on an object, newest first.
func staffingAudit(t *testing.T, s *store.Store, object string) []cunjing.AuditEvent {
	t.Helper()
	events, _, err := s.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionStaffingChange, Object: object})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func TestStaffingModelsAreSavedListedAndChanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := countyAdmin("lushan", "410423")
		helpers := saveModel(t, s, ctx, twoHelpers())
		cadres := saveModel(t, s, ctx, twoCadres())

		models, err := s.StaffingModels(ctx)
		if err != nil || len(models) != 2 {
			t.Fatalf("models = %+v, %v; want two", models, err)
		}
		got := models[slices.IndexFunc(models, func(m cunjing.StaffingModel) bool { return m.ID == helpers })]
		want := twoHelpers()
		want.ID = helpers
		if !sameModel(got, want) {
			t.Errorf("stored 一警两员 = %+v; want %+v", got, want)
		}

		changed := twoCadres()
		changed.ID, changed.Name, changed.MaxAreasPerOfficer = cadres, "一警两干（郏县）", 2
		changed.Rules[1].Min, changed.Rules[1].Max = 1, 0
		if id, err := s.SaveStaffingModel(ctx, changed); err != nil || id != cadres {
			t.Fatalf("change 一警两干: %d, %v", id, err)
		}
		models, _ = s.StaffingModels(ctx)
		if len(models) != 2 || !sameModel(models[slices.IndexFunc(models, func(m cunjing.StaffingModel) bool { return m.ID == cadres })], changed) {
			t.Errorf("after the change: %+v; want %+v among two", models, changed)
		}

		if events := staffingAudit(t, s, "model:"); len(events) != 3 || events[0].Actor != "lushan" ||
			!strings.Contains(events[0].Detail, "一警两干（郏县）") {
			t.Errorf("audit rows of the models = %+v; want three by lushan, the change last", events)
		}
	})
}

// sameModel compares models field by field, rules included.
func sameModel(a, b cunjing.StaffingModel) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Description == b.Description && a.MaxAreasPerOfficer == b.MaxAreasPerOfficer &&
		a.MaxDistanceKm == b.MaxDistanceKm && slices.EqualFunc(a.Rules, b.Rules, func(x, y cunjing.ModelRule) bool {
		return slices.Equal(x.Roles, y.Roles) && x.Min == y.Min && x.Max == y.Max
	})
}

func TestStaffingModelMistakesAreNamed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := countyAdmin("lushan", "410423")
		helpers := saveModel(t, s, ctx, twoHelpers())
		cadres := saveModel(t, s, ctx, twoCadres())

		same := twoHelpers()
		if _, err := s.SaveStaffingModel(ctx, same); !hasField(err, cunjing.EConflict, "name") {
			t.Errorf("a second 一警两员: %v; want a conflict on the name", err)
		}
		renamed := twoCadres()
		renamed.ID, renamed.Name = cadres, "一警两员"
		if _, err := s.SaveStaffingModel(ctx, renamed); !hasField(err, cunjing.EConflict, "name") {
			t.Errorf("renaming onto 一警两员: %v; want a conflict on the name", err)
		}
		bad := twoHelpers()
		bad.ID = helpers
		bad.Rules[1].Max = 1
		if _, err := s.SaveStaffingModel(ctx, bad); !hasField(err, cunjing.EInvalid, "rules[1]") {
			t.Errorf("min above max: %v; want the rule named", err)
		}
		missing := twoHelpers()
		missing.ID, missing.Name = 999, "别的"
		if _, err := s.SaveStaffingModel(ctx, missing); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("changing a model that does not exist: %v; want not found", err)
		}
		models, _ := s.StaffingModels(ctx)
		if len(models) != 2 || models[0].Name != "一警两员" || models[0].Rules[1].Max != 0 || models[1].Name != "一警两干" {
			t.Errorf("the refused saves changed the models: %+v", models)
		}
		if _, err := s.StaffingModels(context.Background()); err == nil {
			t.Error("models listed without an identity")
		}
	})
}

// hasField reports whether err has the code and names the field.
func hasField(err error, code, field string) bool {
	e, ok := err.(*cunjing.Error)
	return ok && e.Code == code && e.Fields[field] != ""
}

func TestBindingsStayInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadTwoCounties(t, s)
		lushan := countyAdmin("lushan", "410423")
		helpers := saveModel(t, s, cityAdmin, twoHelpers())
		cadres := saveModel(t, s, cityAdmin, twoCadres())
		bind(t, s, cityAdmin, "4104", "", cadres)
		bind(t, s, cityAdmin, "410402", cunjing.KindCommunity, cadres)
		bind(t, s, lushan, "410423", cunjing.KindVillage, helpers)
		bind(t, s, lushan, "410423100", cunjing.Kind(cunjing.LevelGrid), helpers)

		err := s.BindModel(lushan, cunjing.ModelBinding{AreaCode: "410402", ModelID: helpers})
		if cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("鲁山 binding 新华区: %v; want not found", err)
		}
		if err := s.BindModel(lushan, cunjing.ModelBinding{AreaCode: "4104", ModelID: helpers}); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("鲁山 binding the city: %v; want not found", err)
		}

		got, err := s.ModelBindings(lushan)
		if err != nil {
			t.Fatal(err)
		}
		want := []cunjing.ModelBinding{
			{AreaCode: "4104", ModelID: cadres, AreaName: "平顶山市", ModelName: "一警两干"},
			{AreaCode: "410423", AreaKind: cunjing.KindVillage, ModelID: helpers, AreaName: "鲁山县", ModelName: "一警两员"},
			{AreaCode: "410423100", AreaKind: "grid", ModelID: helpers, AreaName: "鲁阳街道", ModelName: "一警两员"},
		}
		if !slices.Equal(got, want) {
			t.Errorf("bindings seen from 鲁山县 = %+v\nwant %+v", got, want)
		}
		if all, _ := s.ModelBindings(cityAdmin); len(all) != 4 {
			t.Errorf("bindings seen from the city = %+v; want all four", all)
		}
		if town, _ := s.ModelBindings(seeing("410423101")); len(town) != 2 || town[1].AreaCode != "410423" {
			t.Errorf("bindings seen from 下汤镇 = %+v; want the city's and the county's", town)
		}

		bind(t, s, lushan, "410423", cunjing.KindVillage, 0)
		if got, _ := s.ModelBindings(lushan); len(got) != 2 || got[1].AreaCode != "410423100" {
			t.Errorf("after unbinding 鲁山's villages: %+v", got)
		}
		if events := staffingAudit(t, s, "410423"); len(events) != 3 || events[0].Actor != "lushan" ||
			!strings.Contains(events[0].Detail, "model 0") {
			t.Errorf("audit rows of 鲁山's bindings = %+v; want three, the removal last", events)
		}
	})
}

func TestBadBindingsAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadFixture(t, s)
		lushan := countyAdmin("lushan", "410423")
		helpers := saveModel(t, s, lushan, twoHelpers())
		cases := []struct {
			binding cunjing.ModelBinding
			code    string
			field   string
		}{
			{cunjing.ModelBinding{AreaCode: "410423", AreaKind: "town", ModelID: helpers}, cunjing.EInvalid, "area_kind"},
			{cunjing.ModelBinding{AreaCode: "410423", ModelID: helpers + 100}, cunjing.EInvalid, "model_id"},
			{cunjing.ModelBinding{AreaCode: "410423199", ModelID: helpers}, cunjing.ENotFound, ""},
			{cunjing.ModelBinding{AreaCode: "not a code", ModelID: helpers}, cunjing.ENotFound, ""},
		}
		for _, c := range cases {
			err := s.BindModel(lushan, c.binding)
			if cunjing.ErrorCode(err) != c.code || c.field != "" && !hasField(err, c.code, c.field) {
				t.Errorf("bind %+v: %v; want %s %s", c.binding, err, c.code, c.field)
			}
		}
		if got, _ := s.ModelBindings(lushan); len(got) != 0 {
			t.Errorf("refused bindings were kept: %+v", got)
		}
	})
}

func TestAModelOfAnotherCountyIsNotChangedFromThisOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadTwoCounties(t, s)
		lushan := countyAdmin("lushan", "410423")
		cadres := saveModel(t, s, cityAdmin, twoCadres())
		bind(t, s, cityAdmin, "410402", "", cadres)
		bind(t, s, lushan, "410423", "", cadres)

		changed := twoCadres()
		changed.ID, changed.MaxAreasPerOfficer = cadres, 3
		if _, err := s.SaveStaffingModel(lushan, changed); cunjing.ErrorCode(err) != cunjing.EForbidden {
			t.Errorf("鲁山 changing the model of 新华区: %v; want forbidden", err)
		}
		if _, err := s.SaveStaffingModel(cityAdmin, changed); err != nil {
			t.Errorf("the city changing it: %v", err)
		}
		bind(t, s, cityAdmin, "410402", "", 0)
		changed.MaxAreasPerOfficer = 4
		if _, err := s.SaveStaffingModel(lushan, changed); err != nil {
			t.Errorf("鲁山 changing the model only it uses: %v", err)
		}
	})
}

func TestABoundModelIsNotDeleted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadFixture(t, s)
		lushan := countyAdmin("lushan", "410423")
		helpers := saveModel(t, s, lushan, twoHelpers())
		bind(t, s, lushan, "410423100", cunjing.KindVillage, helpers)
		if err := s.DeleteStaffingModel(lushan, helpers); cunjing.ErrorCode(err) != cunjing.EConflict {
			t.Fatalf("deleting a bound model: %v; want a conflict", err)
		}
		bind(t, s, lushan, "410423100", cunjing.KindVillage, 0)
		if err := s.DeleteStaffingModel(lushan, helpers); err != nil {
			t.Fatalf("deleting an unbound model: %v", err)
		}
		if models, _ := s.StaffingModels(lushan); len(models) != 0 {
			t.Errorf("models after the delete: %+v", models)
		}
		if err := s.DeleteStaffingModel(lushan, helpers); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("deleting it again: %v; want not found", err)
		}
		if events := staffingAudit(t, s, "model:"); len(events) != 2 || events[0].Detail != "delete 一警两员" {
			t.Errorf("audit rows of the model = %+v; want its creation and its deletion", events)
		}
	})
}
