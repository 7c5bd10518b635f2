package api

import (
	"net/http"
	"strconv"

	"cunjing"
)

// ruleJSON is one rule of a staffing model: between min and max posts (max
// 0: no upper bound) filled by any of the roles.
type ruleJSON struct {
	Roles []cunjing.PostRole `json:"roles"`
	Min   int                `json:"min"`
	Max   int                `json:"max"`
}

// staffingModelJSON is a staffing model as the API shows and takes it.
type staffingModelJSON struct {
	ID                 int64      `json:"id"`
	Name               string     `json:"name"`
	Description        string     `json:"description"`
	Rules              []ruleJSON `json:"rules"`
	MaxAreasPerOfficer int        `json:"max_areas_per_officer"`
	MaxDistanceKm      float64    `json:"max_distance_km"`
}

func toStaffingModelJSON(m cunjing.StaffingModel) staffingModelJSON {
	out := staffingModelJSON{ID: m.ID, Name: m.Name, Description: m.Description, Rules: []ruleJSON{},
		MaxAreasPerOfficer: m.MaxAreasPerOfficer, MaxDistanceKm: m.MaxDistanceKm}
	for _, r := range m.Rules {
		out.Rules = append(out.Rules, ruleJSON(r))
	}
	return out
}

func (in staffingModelJSON) model() cunjing.StaffingModel {
	m := cunjing.StaffingModel{ID: in.ID, Name: in.Name, Description: in.Description,
		MaxAreasPerOfficer: in.MaxAreasPerOfficer, MaxDistanceKm: in.MaxDistanceKm}
	for _, r := range in.Rules {
		m.Rules = append(m.Rules, cunjing.ModelRule(r))
	}
	return m
}

// bindingJSON says which model applies to the areas of one kind ("": every
// kind) under an area.
type bindingJSON struct {
	AreaCode  string       `json:"area_code"`
	AreaName  string       `json:"area_name"`
	AreaKind  cunjing.Kind `json:"area_kind"`
	ModelID   int64        `json:"model_id"`
	ModelName string       `json:"model_name"`
}

// listStaffingModels answers GET /api/v1/staffing-models: every model, by
// name, in one page.
func (a *api) listStaffingModels(w http.ResponseWriter, r *http.Request) error {
	models, err := a.Staffing.StaffingModels(r.Context())
	if err != nil {
		return err
	}
	items := make([]staffingModelJSON, len(models))
	for i, m := range models {
		items[i] = toStaffingModelJSON(m)
	}
	writeJSON(w, http.StatusOK, listJSON[staffingModelJSON]{Items: items})
	return nil
}

// createStaffingModel answers POST /api/v1/staffing-models.
func (a *api) createStaffingModel(w http.ResponseWriter, r *http.Request) error {
	var in staffingModelJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ID = 0
	return a.saveStaffingModel(w, r, in, http.StatusCreated)
}

// putStaffingModel answers PUT /api/v1/staffing-models/{id}: the whole
// model, replaced.
func (a *api) putStaffingModel(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in staffingModelJSON
	if err := decode(r, &in); err != nil {
		return err
	}
	in.ID = id
	return a.saveStaffingModel(w, r, in, http.StatusOK)
}

// saveStaffingModel stores the model and answers with it as stored.
func (a *api) saveStaffingModel(w http.ResponseWriter, r *http.Request, in staffingModelJSON, status int) error {
	m := in.model()
	// The store validates too; this trims the name that is shown back.
	if err := m.Validate(); err != nil {
		return err
	}
	id, err := a.Staffing.SaveStaffingModel(r.Context(), m)
	if err != nil {
		return err
	}
	m.ID = id
	w.Header().Set("Location", "/api/v1/staffing-models/"+strconv.FormatInt(id, 10))
	writeJSON(w, status, toStaffingModelJSON(m))
	return nil
}

// deleteStaffingModel answers DELETE /api/v1/staffing-models/{id}; a model
// still bound to an area is a conflict.
func (a *api) deleteStaffingModel(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	if err := a.Staffing.DeleteStaffingModel(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listStaffingBindings answers GET /api/v1/staffing-bindings: the bindings
// on the areas in scope and on the areas above them, by code.
func (a *api) listStaffingBindings(w http.ResponseWriter, r *http.Request) error {
	bindings, err := a.Staffing.ModelBindings(r.Context())
	if err != nil {
		return err
	}
	items := make([]bindingJSON, len(bindings))
	for i, b := range bindings {
		items[i] = bindingJSON{AreaCode: b.AreaCode, AreaName: b.AreaName, AreaKind: b.AreaKind, ModelID: b.ModelID, ModelName: b.ModelName}
	}
	writeJSON(w, http.StatusOK, listJSON[bindingJSON]{Items: items})
	return nil
}

// putStaffingBinding answers PUT /api/v1/staffing-bindings {area_code,
// area_kind, model_id}: the model applies to the areas of that kind under
// the area from now on; model_id 0 removes the binding.
func (a *api) putStaffingBinding(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		AreaCode string       `json:"area_code"`
		AreaKind cunjing.Kind `json:"area_kind"`
		ModelID  *int64       `json:"model_id"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	if !cunjing.ValidAreaCode(in.AreaCode) {
		fields["area_code"] = "required: an area code"
	}
	if in.ModelID == nil {
		fields["model_id"] = "required; 0 removes the binding"
	}
	if err := invalidParams(fields); err != nil {
		return err
	}
	b := cunjing.ModelBinding{AreaCode: in.AreaCode, AreaKind: in.AreaKind, ModelID: *in.ModelID}
	if err := a.Staffing.BindModel(r.Context(), b); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
