package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store/storetest"
)

// modelName is the model these tests enter; the demo may hold 一警两员.
const modelName = "一警两员（试行）"

// twoHelpersForm is 一警两员 as a county administrator types it: two rule
// rows filled and the blank one left as it was.
func twoHelpersForm() url.Values {
	return url.Values{
		"name": {modelName}, "description": {"舞钢模式"}, "rules": {"3"},
		"rule0_roles": {"responsible", "community_officer"}, "rule0_min": {"1"}, "rule0_max": {"1"},
		"rule1_roles": {"patrol", "security_staff", "village_official"}, "rule1_min": {"2"}, "rule1_max": {""},
		"rule2_min": {""}, "rule2_max": {""},
		"max_areas_per_officer": {"2"}, "max_distance_km": {"6"},
	}
}

// twoHelpersWords is how the page says it.
const twoHelpersWords = "1 名责任民警/社区民警 + 至少 2 名巡防队员/治保人员/大学生村官；每名民警最多包 2 个村；村间距离不超过 6 公里"

// createModelByForm posts the form and returns the path of the model's card.
func createModelByForm(t *testing.T, h http.Handler, form url.Values) string {
	t.Helper()
	res, body := postForm(t, h, "/admin/staffing", form)
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/admin/staffing#model-") {
		t.Fatalf("after saving: Location %q (%s)", loc, body)
	}
	return loc
}

// modelCard returns the card of the model with the anchor id on the list.
func modelCard(page, anchor string) string {
	return between(page, `id="`+anchor+`"`, "</li>")
}

func TestAModelEnteredThroughTheFormIsListedInPlainWords(t *testing.T) {
	h, _ := demoUIAs(t, "lushan")
	anchor := strings.TrimPrefix(createModelByForm(t, h, twoHelpersForm()), "/admin/staffing#")

	res, page := get(t, h, "/admin/staffing")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "staffing page", page, `aria-current="page" class="nav-admin">警力配置标准</a>`,
		"未绑定任何标准的地区按默认标准“一村一警”考核：", "1 名责任民警/社区民警</p>")
	card := modelCard(page, anchor)
	wantContains(t, "the model's card", card, modelName, "舞钢模式", twoHelpersWords, "本辖区内尚未绑定")

	res, edit := get(t, h, "/admin/staffing/"+strings.TrimPrefix(anchor, "model-"))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "edit form", edit, `value="`+modelName+`"`, `name="rule0_roles" value="community_officer" checked`,
		`name="rule1_roles" value="village_official" checked`, `name="rule1_max" type="number" inputmode="numeric" min="0" value="0"`,
		`name="max_distance_km" type="number" inputmode="decimal" min="0" step="0.1" value="6"`, "删除标准")
	if strings.Contains(edit, `name="rule0_roles" value="cadre" checked`) {
		t.Error("the edit form ticks a role the rule does not name")
	}
}

func TestAModelBoundToLushanVillagesShowsWhereItApplies(t *testing.T) {
	h, _ := demoUIAs(t, "lushan")
	anchor := strings.TrimPrefix(createModelByForm(t, h, twoHelpersForm()), "/admin/staffing#")
	id := strings.TrimPrefix(anchor, "model-")

	_, page := get(t, h, "/admin/staffing")
	wantContains(t, "binding form", page, `<option value="410423">鲁山县</option>`, `<option value="village">村</option>`,
		`<option value="`+id+`">`+modelName+`</option>`, `<option value="0">无（解除绑定）</option>`)

	res, _ := postForm(t, h, "/admin/staffing/bindings", url.Values{"area_code": {"410423"}, "area_kind": {"village"}, "model_id": {id}})
	wantStatus(t, res, http.StatusSeeOther)
	_, page = get(t, h, "/admin/staffing")
	wantContains(t, "the model's card", modelCard(page, anchor), `鲁山县 <span class="badge badge-village">村</span>`)
	wantContains(t, "bindings table", page, `<a href="/areas/410423">鲁山县</a> <code>410423</code>`)
	res, edit := get(t, h, "/admin/staffing/"+id)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "edit form of a bound model", edit, "该标准已绑定地区，解除全部绑定后才能删除。")
	if strings.Contains(edit, "/delete") {
		t.Error("a bound model offers to be deleted")
	}

	res, page = postForm(t, h, "/admin/staffing/bindings", url.Values{"area_code": {"410482"}, "area_kind": {""}, "model_id": {id}})
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, "binding 汝州市 from 鲁山县", page, `value="410482"`, `aria-invalid="true"`, "辖区内没有这个地区代码。")

	res, _ = postForm(t, h, "/admin/staffing/bindings", url.Values{"area_code": {"410423"}, "area_kind": {"village"}, "model_id": {"0"}})
	wantStatus(t, res, http.StatusSeeOther)
	_, page = get(t, h, "/admin/staffing")
	wantContains(t, "the model's card after the removal", modelCard(page, anchor), "本辖区内尚未绑定")

	res, _ = postForm(t, h, "/admin/staffing/"+id+"/delete", nil)
	wantStatus(t, res, http.StatusSeeOther)
	_, page = get(t, h, "/admin/staffing?deleted=1")
	wantContains(t, "list after the delete", page, "已删除该标准。")
	if strings.Contains(page, modelName) {
		t.Error("the deleted model is still listed")
	}
}

func TestABindingAboveTheCountyIsShownButNotOffered(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	id := strings.TrimPrefix(createModelByForm(t, h, twoHelpersForm()), "/admin/staffing#model-")
	modelID, _ := strconv.ParseInt(id, 10, 64)
	venues := cunjing.ModelBinding{AreaCode: "4104", AreaKind: cunjing.Kind(cunjing.LevelVenue), ModelID: modelID}
	if err := st.BindModel(storetest.Ctx(), venues); err != nil {
		t.Fatal(err)
	}
	_, page := get(t, h, "/admin/staffing")
	row := between(page, `<a href="/areas/4104">平顶山市</a> <code>4104</code></td>
      <td data-label="适用类型"><span class="badge badge-venue">场所</span>`, "</tr>")
	wantContains(t, "the city's venue binding", row, "由上级设定")
	if strings.Contains(row, "<form") {
		t.Error("鲁山县 is offered to remove a binding of the city")
	}
	res, _ := postForm(t, h, "/admin/staffing/bindings", url.Values{"area_code": {"4104"}, "area_kind": {"venue"}, "model_id": {"0"}})
	wantStatus(t, res, http.StatusNotFound)
}

func TestABadRuleIsNamedNextToIt(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	form := twoHelpersForm()
	form.Set("rule1_min", "3")
	form.Set("rule1_max", "2")
	res, page := postForm(t, h, "/admin/staffing", form)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "the form", page, "标准未保存，请检查下面标出的项。")
	rule2 := between(page, "<legend>规则 2</legend>", "</fieldset>")
	wantContains(t, "the second rule", rule2, `name="rule1_min" type="number" inputmode="numeric" min="0" value="3" aria-invalid="true"`,
		`<p class="field-error" id="rule1-error">请至少勾选一个岗位`, `value="patrol" checked`)
	if rule1 := between(page, "<legend>规则 1</legend>", "</fieldset>"); strings.Contains(rule1, "field-error") {
		t.Error("the good first rule is marked wrong")
	}

	form = twoHelpersForm()
	form.Set("name", "")
	form.Set("max_distance_km", "六")
	res, page = postForm(t, h, "/admin/staffing", form)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "the form", page, `<p class="field-error" id="model-name-hint">`, `<p class="field-error" id="model-max-km-hint">`)

	models, _ := st.StaffingModels(storetest.Ctx())
	for _, m := range models {
		if strings.Contains(m.Name, "试行") || m.Name == "" {
			t.Errorf("a refused form was saved: %+v", m)
		}
	}
}

func TestAddRuleShowsAnotherRowWithoutSaving(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	form := twoHelpersForm()
	form.Set("add_rule", "1")
	res, page := postForm(t, h, "/admin/staffing", form)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the form", page, "<legend>规则 4</legend>", `name="rules" value="4"`, `name="rule1_roles" value="security_staff" checked`)
	models, _ := st.StaffingModels(storetest.Ctx())
	for _, m := range models {
		if m.Name == modelName {
			t.Error("adding a rule saved the model")
		}
	}
}

func TestANameTakenIsAConflict(t *testing.T) {
	h, _ := demoUIAs(t, "city")
	createModelByForm(t, h, twoHelpersForm())
	res, page := postForm(t, h, "/admin/staffing", twoHelpersForm())
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, "the form", page, "已有同名标准，请换一个名称。", "这个名称已被使用。")
}

func TestACountyCannotChangeAModelUsedElsewhere(t *testing.T) {
	city, st := demoUIAs(t, "city")
	id := strings.TrimPrefix(createModelByForm(t, city, twoHelpersForm()), "/admin/staffing#model-")
	res, _ := postForm(t, city, "/admin/staffing/bindings", url.Values{"area_code": {"410482"}, "area_kind": {""}, "model_id": {id}})
	wantStatus(t, res, http.StatusSeeOther)

	lushan := newTestUI(t, st, "lushan")
	form := twoHelpersForm()
	form.Set("max_areas_per_officer", "3")
	res, page := postForm(t, lushan, "/admin/staffing/"+id, form)
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, "the form", page, "该标准也用于本辖区以外的地区，不能在此修改")
	res, _ = postForm(t, city, "/admin/staffing/"+id, form)
	wantStatus(t, res, http.StatusSeeOther)
}

func TestStaffingPagesAreForCityAndCountyAdministrators(t *testing.T) {
	h, _ := demoUIAs(t, "chief")
	for _, path := range []string{"/admin/staffing", "/admin/staffing/new", "/admin/staffing/1"} {
		res, _ := get(t, h, path)
		wantStatus(t, res, http.StatusForbidden)
	}
	for _, path := range []string{"/admin/staffing", "/admin/staffing/bindings", "/admin/staffing/1/delete"} {
		res, _ := postForm(t, h, path, twoHelpersForm())
		wantStatus(t, res, http.StatusForbidden)
	}
	if _, home := get(t, h, "/"); strings.Contains(home, "/admin/staffing") {
		t.Error("a station chief's navigation offers the staffing models")
	}
	city, _ := demoUIAs(t, "city")
	_, home := get(t, city, "/")
	wantContains(t, "the city administrator's navigation", home, `<a href="/admin/staffing" class="nav-admin">警力配置标准</a>`)
}

func TestStaffingPageInEnglish(t *testing.T) {
	h, _ := demoUIAs(t, "lushan")
	createModelByForm(t, h, twoHelpersForm())
	res, page := get(t, h, "/admin/staffing?lang=en")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "English page", page, "<h1>Staffing models</h1>", "Areas with no model bound are judged by the default, 一村一警:",
		"1 × Responsible officer/Community officer + at least 2 × Patrol member/Security staff/Village official; at most 2 areas per officer; an officer&#39;s areas at most 6 km apart",
		"<option value=\"\">All kinds</option>", "<option value=\"grid\">Grid</option>")
	res, form := get(t, h, "/admin/staffing/new?lang=en")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "English form", form, "<h1>New staffing model</h1>", "<legend>Rule 1</legend>", "Add a rule", "> Village official</label>")
}

func TestEmptyRowsAreDroppedAndRulesKeepTheirOrder(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	form := twoHelpersForm()
	form.Set("rules", "4")
	form["rule3_roles"], form["rule3_min"] = []string{"mediator"}, []string{"1"}
	createModelByForm(t, h, form)
	models, err := st.StaffingModels(storetest.Ctx())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range models {
		if m.Name != modelName {
			continue
		}
		if len(m.Rules) != 3 || m.Rules[2].Roles[0] != cunjing.PostMediator || m.Rules[1].Max != 0 || m.MaxDistanceKm != 6 {
			t.Errorf("stored model = %+v", m)
		}
		return
	}
	t.Error("the model was not stored")
}
