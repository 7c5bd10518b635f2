package web

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"cunjing"
	"cunjing/internal/auth"
)

// manageStaffing is the policy of the staffing-model pages.
var manageStaffing = auth.Allow(cunjing.PermManageStaffing)

// maxRuleRows bounds the rule rows one form may send.
const maxRuleRows = 20

// bindingKinds are the kinds a model may be bound for, with their labels;
// "" (every kind) is labelled by the template.
var bindingKinds = []kindChoice{{cunjing.KindVillage, "kind.village"}, {cunjing.KindCommunity, "kind.community"},
	{cunjing.Kind(cunjing.LevelGrid), "level.grid"}, {cunjing.Kind(cunjing.LevelVenue), "level.venue"}}

// kindChoice is an area kind with the message key of its label.
type kindChoice struct {
	Kind cunjing.Kind
	Key  string
}

// bindingRow is a binding as the page shows it, with the label of its kind.
type bindingRow struct {
	cunjing.ModelBinding
	KindKey string // "" for every kind
	Mine    bool   // on an area of the caller's scope, not above it
}

func newBindingRow(b cunjing.ModelBinding, scope cunjing.Scope) bindingRow {
	row := bindingRow{ModelBinding: b, Mine: scope.Covers(b.AreaCode)}
	for _, k := range bindingKinds {
		if k.Kind == b.AreaKind {
			row.KindKey = k.Key
		}
	}
	return row
}

// modelRow is a model with the bindings that apply it.
type modelRow struct {
	cunjing.StaffingModel
	Bindings []bindingRow
}

// bindForm is the form that binds a model to an area, with what was wrong.
type bindForm struct {
	AreaCode string
	AreaKind cunjing.Kind
	ModelID  int64
	Fields   map[string]string
}

// staffingPage lists the models in plain words, where each applies, what
// applies where none is bound, and the binding form.
type staffingPage struct {
	Models   []modelRow
	Default  cunjing.StaffingModel
	Bindings []bindingRow
	Kinds    []kindChoice
	Areas    []cunjing.Area // areas offered to the binding form
	Bind     bindForm
	Deleted  bool
}

// staffing shows the models and their bindings.
func (u *ui) staffing(w http.ResponseWriter, r *http.Request) {
	u.renderStaffing(w, r, http.StatusOK, staffingPage{Deleted: r.URL.Query().Has("deleted")})
}

// renderStaffing fills the page with the models and bindings in scope.
func (u *ui) renderStaffing(w http.ResponseWriter, r *http.Request, status int, page staffingPage) {
	ctx := r.Context()
	models, err := u.Staffing.StaffingModels(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	bindings, err := u.Staffing.ModelBindings(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	scope := cunjing.IdentityFrom(ctx).Scope
	for _, m := range models {
		row := modelRow{StaffingModel: m}
		for _, b := range bindings {
			if b.ModelID == m.ID {
				row.Bindings = append(row.Bindings, newBindingRow(b, scope))
			}
		}
		page.Models = append(page.Models, row)
	}
	for _, b := range bindings {
		page.Bindings = append(page.Bindings, newBindingRow(b, scope))
	}
	if page.Areas, err = u.bindingAreas(ctx); err != nil {
		u.fail(w, r, err)
		return
	}
	page.Default, page.Kinds = cunjing.DefaultStaffingModel, bindingKinds
	u.render(w, r, status, "staffing", page)
}

// bindingAreas offers the areas of the caller's scope and their children:
// the city and its counties, or a county and its towns.
func (u *ui) bindingAreas(ctx context.Context) ([]cunjing.Area, error) {
	tops, err := u.topAreas(ctx)
	if err != nil {
		return nil, err
	}
	areas := slices.Clone(tops)
	for _, top := range tops {
		children, err := u.Areas.ChildAreas(ctx, top.Code)
		if err != nil {
			return nil, fmt.Errorf("web: areas to bind: %w", err)
		}
		for _, c := range children {
			areas = append(areas, c.Area)
		}
	}
	return areas, nil
}

// bindModel applies a model to an area's subtree, or removes the binding
// with model 0, and goes back to the list.
func (u *ui) bindModel(w http.ResponseWriter, r *http.Request) {
	form := bindForm{AreaCode: strings.TrimSpace(r.PostFormValue("area_code")), AreaKind: cunjing.Kind(r.PostFormValue("area_kind"))}
	id, err := strconv.ParseInt(r.PostFormValue("model_id"), 10, 64)
	if err != nil {
		form.Fields = map[string]string{"model_id": "choose a model"}
		u.renderStaffing(w, r, http.StatusBadRequest, staffingPage{Bind: form})
		return
	}
	form.ModelID = id
	err = u.Staffing.BindModel(r.Context(), cunjing.ModelBinding{AreaCode: form.AreaCode, AreaKind: form.AreaKind, ModelID: id})
	var e *cunjing.Error
	switch {
	case err == nil:
		http.Redirect(w, r, "/admin/staffing#bindings", http.StatusSeeOther)
	case cunjing.ErrorCode(err) == cunjing.ENotFound:
		form.Fields = map[string]string{"area_code": "no such area in your jurisdiction"}
		u.renderStaffing(w, r, http.StatusNotFound, staffingPage{Bind: form})
	case errors.As(err, &e) && e.Code == cunjing.EInvalid:
		form.Fields = e.Fields
		u.renderStaffing(w, r, http.StatusBadRequest, staffingPage{Bind: form})
	default:
		u.fail(w, r, err)
	}
}

// ruleRow is one rule of the model form as typed.
type ruleRow struct {
	Index    int // from 0, in the field names
	Number   int // from 1, as shown
	Roles    []cunjing.PostRole
	Min, Max string
}

// Has reports whether the row names the role.
func (row ruleRow) Has(role cunjing.PostRole) bool {
	return slices.Contains(row.Roles, role)
}

// blank reports whether nothing was typed in the row.
func (row ruleRow) blank() bool {
	return len(row.Roles) == 0 && row.Min == "" && row.Max == ""
}

// modelForm creates or changes a model. Rules are rows of roles and
// counts; a blank row at the end adds a rule and a row emptied is dropped.
type modelForm struct {
	ID                int64 // 0 for a new model
	Name, Description string
	Rules             []ruleRow
	MaxAreas, MaxKm   string
	Roles             []cunjing.PostRole // every role, for the check boxes
	Bound             bool               // the model applies somewhere in sight
	Error             string             // the error code of the last attempt
	Fields            map[string]string
	blanks            int // blank rows to show after the rules, at least one
}

// modelFormOf fills the form with a stored model.
func modelFormOf(m cunjing.StaffingModel) modelForm {
	form := modelForm{ID: m.ID, Name: m.Name, Description: m.Description}
	for _, r := range m.Rules {
		form.Rules = append(form.Rules, ruleRow{Roles: r.Roles, Min: strconv.Itoa(r.Min), Max: strconv.Itoa(r.Max)})
	}
	if m.MaxAreasPerOfficer > 0 {
		form.MaxAreas = strconv.Itoa(m.MaxAreasPerOfficer)
	}
	if m.MaxDistanceKm > 0 {
		form.MaxKm = strconv.FormatFloat(m.MaxDistanceKm, 'f', -1, 64)
	}
	return form
}

// readModelForm reads the posted form; blank rule rows are dropped, so the
// rows kept are numbered as the model's rules.
func readModelForm(r *http.Request, id int64) modelForm {
	form := modelForm{ID: id, Name: strings.TrimSpace(r.PostFormValue("name")),
		Description: strings.TrimSpace(r.PostFormValue("description")),
		MaxAreas:    strings.TrimSpace(r.PostFormValue("max_areas_per_officer")),
		MaxKm:       strings.TrimSpace(r.PostFormValue("max_distance_km"))}
	rows, _ := strconv.Atoi(r.PostFormValue("rules"))
	for i := range min(rows, maxRuleRows) {
		p := "rule" + strconv.Itoa(i) + "_"
		row := ruleRow{Min: strings.TrimSpace(r.PostFormValue(p + "min")), Max: strings.TrimSpace(r.PostFormValue(p + "max"))}
		for _, role := range r.PostForm[p+"roles"] {
			row.Roles = append(row.Roles, cunjing.PostRole(role))
		}
		if row.blank() {
			form.blanks++
		} else {
			form.Rules = append(form.Rules, row)
		}
	}
	return form
}

// model turns the form into a model; numbers that do not parse are named
// along with what the model's own checks find.
func (form modelForm) model() (cunjing.StaffingModel, error) {
	fields := map[string]string{}
	count := func(field, text string) int {
		if text == "" {
			return 0
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			fields[field] = "must be a whole number"
		}
		return n
	}
	m := cunjing.StaffingModel{ID: form.ID, Name: form.Name, Description: form.Description,
		MaxAreasPerOfficer: count("max_areas_per_officer", form.MaxAreas)}
	if form.MaxKm != "" {
		km, err := strconv.ParseFloat(form.MaxKm, 64)
		if err != nil {
			fields["max_distance_km"] = "must be a number"
		}
		m.MaxDistanceKm = km
	}
	for i, row := range form.Rules {
		field := fmt.Sprintf("rules[%d]", i)
		m.Rules = append(m.Rules, cunjing.ModelRule{Roles: row.Roles, Min: count(field, row.Min), Max: count(field, row.Max)})
	}
	if len(fields) == 0 {
		return m, m.Validate()
	}
	var e *cunjing.Error
	if errors.As(m.Validate(), &e) {
		maps.Copy(e.Fields, fields)
		return m, e
	}
	return m, &cunjing.Error{Code: cunjing.EInvalid, Message: "the staffing model is not valid", Fields: fields}
}

// newModelForm shows an empty model form.
func (u *ui) newModelForm(w http.ResponseWriter, r *http.Request) {
	u.renderModelForm(w, r, http.StatusOK, modelForm{})
}

// editModelForm shows the form of a stored model.
func (u *ui) editModelForm(w http.ResponseWriter, r *http.Request) {
	m, bound, err := u.findModel(r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	form := modelFormOf(m)
	form.Bound = bound
	u.renderModelForm(w, r, http.StatusOK, form)
}

// findModel returns the model of the path and whether it applies to an
// area in sight.
func (u *ui) findModel(r *http.Request) (cunjing.StaffingModel, bool, error) {
	notFound := cunjing.Errorf(cunjing.ENotFound, "staffing model not found")
	id, ok := pathID(r)
	if !ok {
		return cunjing.StaffingModel{}, false, notFound
	}
	models, err := u.Staffing.StaffingModels(r.Context())
	if err != nil {
		return cunjing.StaffingModel{}, false, err
	}
	i := slices.IndexFunc(models, func(m cunjing.StaffingModel) bool { return m.ID == id })
	if i < 0 {
		return cunjing.StaffingModel{}, false, notFound
	}
	bindings, err := u.Staffing.ModelBindings(r.Context())
	if err != nil {
		return cunjing.StaffingModel{}, false, err
	}
	bound := slices.ContainsFunc(bindings, func(b cunjing.ModelBinding) bool { return b.ModelID == id })
	return models[i], bound, nil
}

// createModel saves a new model.
func (u *ui) createModel(w http.ResponseWriter, r *http.Request) {
	u.saveModel(w, r, 0)
}

// updateModel saves a changed model.
func (u *ui) updateModel(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	u.saveModel(w, r, id)
}

// saveModel stores the posted model and goes back to the list; "add rule"
// shows the form again with one more row instead.
func (u *ui) saveModel(w http.ResponseWriter, r *http.Request, id int64) {
	form := readModelForm(r, id)
	if r.PostFormValue("add_rule") != "" {
		form.blanks = max(form.blanks, 1) + 1
		u.renderModelForm(w, r, http.StatusOK, form)
		return
	}
	m, err := form.model()
	if err == nil {
		id, err = u.Staffing.SaveStaffingModel(r.Context(), m)
	}
	if err != nil {
		u.modelFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, "/admin/staffing#model-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// deleteModel removes a model that applies nowhere.
func (u *ui) deleteModel(w http.ResponseWriter, r *http.Request) {
	m, bound, err := u.findModel(r)
	if err == nil {
		err = u.Staffing.DeleteStaffingModel(r.Context(), m.ID)
	}
	if cunjing.ErrorCode(err) == cunjing.EConflict {
		form := modelFormOf(m)
		form.Bound, form.Error = bound, "in_use"
		u.renderModelForm(w, r, http.StatusConflict, form)
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/staffing?deleted=1", http.StatusSeeOther)
}

// modelFailed shows the form again with what was wrong: a bad field, a
// name taken, or a model that also applies outside the caller's county.
func (u *ui) modelFailed(w http.ResponseWriter, r *http.Request, form modelForm, err error) {
	status := map[string]int{cunjing.EInvalid: http.StatusBadRequest, cunjing.EConflict: http.StatusConflict,
		cunjing.EForbidden: http.StatusForbidden}[cunjing.ErrorCode(err)]
	var e *cunjing.Error
	if !errors.As(err, &e) || status == 0 {
		u.fail(w, r, err)
		return
	}
	form.Error, form.Fields = e.Code, e.Fields
	u.renderModelForm(w, r, status, form)
}

// renderModelForm shows the model form with its blank rows to add rules.
func (u *ui) renderModelForm(w http.ResponseWriter, r *http.Request, status int, form modelForm) {
	for range min(max(form.blanks, 1), maxRuleRows-len(form.Rules)) {
		form.Rules = append(form.Rules, ruleRow{})
	}
	for i := range form.Rules {
		form.Rules[i].Index, form.Rules[i].Number = i, i+1
	}
	form.Roles = cunjing.PostRoles
	u.render(w, r, status, "staffing_model_form", form)
}
