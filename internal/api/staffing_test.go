package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// modelOut is a staffing model as the API answers it.
type modelOut struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Rules []struct {
		Roles []string `json:"roles"`
		Min   int      `json:"min"`
		Max   int      `json:"max"`
	} `json:"rules"`
	MaxAreasPerOfficer int     `json:"max_areas_per_officer"`
	MaxDistanceKm      float64 `json:"max_distance_km"`
}

// bindingOut is a binding as the API answers it.
type bindingOut struct {
	AreaCode  string `json:"area_code"`
	AreaName  string `json:"area_name"`
	AreaKind  string `json:"area_kind"`
	ModelID   int64  `json:"model_id"`
	ModelName string `json:"model_name"`
}

const twoHelpersJSON = `{"name":"一警两员（试行）","description":"舞钢模式","rules":[
	{"roles":["responsible","community_officer"],"min":1,"max":1},
	{"roles":["patrol","security_staff","village_official"],"min":2,"max":0}],
	"max_areas_per_officer":2,"max_distance_km":6}`

// sendJSON sends body and decodes the answer into v, returning the status.
func sendJSON(t *testing.T, srv *httptest.Server, method, path, body string, v any) int {
	t.Helper()
	resp, text := send(t, srv, "", method, path, body)
	if v != nil && text != "" {
		if err := json.Unmarshal([]byte(text), v); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, text)
		}
	}
	return resp.StatusCode
}

func createModel(t *testing.T, srv *httptest.Server, body string) modelOut {
	t.Helper()
	var m modelOut
	if status := sendJSON(t, srv, "POST", "/api/v1/staffing-models", body, &m); status != http.StatusCreated || m.ID == 0 {
		t.Fatalf("create model: %d %+v", status, m)
	}
	return m
}

func TestStaffingModelsAreCreatedChangedAndListed(t *testing.T) {
	srv, _ := newServerAs(t, "lushan")
	m := createModel(t, srv, twoHelpersJSON)
	if m.Name != "一警两员（试行）" || len(m.Rules) != 2 || m.Rules[1].Min != 2 || strings.Join(m.Rules[1].Roles, ",") != "patrol,security_staff,village_official" ||
		m.MaxAreasPerOfficer != 2 || m.MaxDistanceKm != 6 {
		t.Errorf("created model = %+v", m)
	}
	path := "/api/v1/staffing-models/" + strconv.FormatInt(m.ID, 10)
	changed := strings.Replace(twoHelpersJSON, `"max_areas_per_officer":2`, `"max_areas_per_officer":1`, 1)
	if status := sendJSON(t, srv, "PUT", path, changed, &m); status != http.StatusOK || m.MaxAreasPerOfficer != 1 {
		t.Errorf("PUT: %d %+v", status, m)
	}
	if listed, status := findModel(t, srv, m.ID); status != http.StatusOK || listed.MaxAreasPerOfficer != 1 || listed.Name != m.Name {
		t.Errorf("listed: %d %+v", status, listed)
	}
}

// findModel returns the model listed with the id, and the status of the list.
func findModel(t *testing.T, srv *httptest.Server, id int64) (modelOut, int) {
	t.Helper()
	var list struct{ Items []modelOut }
	status := get(t, srv, "/api/v1/staffing-models", &list)
	for _, m := range list.Items {
		if m.ID == id {
			return m, status
		}
	}
	return modelOut{}, status
}

// bindingsOf lists the bindings on an area.
func bindingsOf(t *testing.T, srv *httptest.Server, code string) []bindingOut {
	t.Helper()
	var list struct{ Items []bindingOut }
	get(t, srv, "/api/v1/staffing-bindings", &list)
	var on []bindingOut
	for _, b := range list.Items {
		if b.AreaCode == code {
			on = append(on, b)
		}
	}
	return on
}

func TestStaffingModelMistakesAreNamed(t *testing.T) {
	srv, _ := newServerAs(t, "city")
	m := createModel(t, srv, twoHelpersJSON)
	cases := []struct {
		method, path, body string
		status             int
		field              string
	}{
		{"POST", "/api/v1/staffing-models", twoHelpersJSON, http.StatusConflict, "name"},
		{"POST", "/api/v1/staffing-models", strings.Replace(strings.Replace(twoHelpersJSON, `"min":2,"max":0`, `"min":3,"max":2`, 1), "（试行）", "（新）", 1),
			http.StatusBadRequest, "rules[1]"},
		{"POST", "/api/v1/staffing-models", `{"name":"x","rules":[{"roles":["sheriff"],"min":1}]}`, http.StatusBadRequest, "rules[0]"},
		{"POST", "/api/v1/staffing-models", `{"name":"x","rules":[]}`, http.StatusBadRequest, "rules"},
		{"POST", "/api/v1/staffing-models", `{"name":"x","rules":[{"roles":["cadre"],"min":1}],"max_distance_km":-1}`, http.StatusBadRequest, "max_distance_km"},
		{"POST", "/api/v1/staffing-models", `{"name":"x","colour":"red"}`, http.StatusBadRequest, ""},
		{"PUT", "/api/v1/staffing-models/9999", `{"name":"x","rules":[{"roles":["cadre"],"min":1}]}`, http.StatusNotFound, ""},
		{"PUT", "/api/v1/staffing-models/abc", `{"name":"x","rules":[{"roles":["cadre"],"min":1}]}`, http.StatusNotFound, ""},
		{"DELETE", "/api/v1/staffing-models/9999", "", http.StatusNotFound, ""},
	}
	for _, c := range cases {
		var e apiError
		if status := sendJSON(t, srv, c.method, c.path, c.body, &e); status != c.status || c.field != "" && e.Error.Fields[c.field] == "" {
			t.Errorf("%s %s %s: %d %+v; want %d naming %q", c.method, c.path, c.body, status, e.Error, c.status, c.field)
		}
	}
	if listed, _ := findModel(t, srv, m.ID); listed.Rules[1].Min != 2 {
		t.Errorf("the refused requests changed the model: %+v", listed)
	}
}

func TestBindingsAreSetListedAndRemovedInScope(t *testing.T) {
	srv, _ := newServerAs(t, "lushan")
	m := createModel(t, srv, twoHelpersJSON)
	id := strconv.FormatInt(m.ID, 10)
	bindLushan := `{"area_code":"410423","area_kind":"village","model_id":` + id + `}`
	if status := sendJSON(t, srv, "PUT", "/api/v1/staffing-bindings", bindLushan, nil); status != http.StatusNoContent {
		t.Fatalf("bind 鲁山县's villages: %d", status)
	}
	want := bindingOut{AreaCode: "410423", AreaName: "鲁山县", AreaKind: "village", ModelID: m.ID, ModelName: "一警两员（试行）"}
	if got := bindingsOf(t, srv, "410423"); !slices.Contains(got, want) {
		t.Errorf("bindings on 鲁山县 = %+v; want %+v among them", got, want)
	}

	var e apiError
	if status := sendJSON(t, srv, "PUT", "/api/v1/staffing-bindings", `{"area_code":"410482","model_id":`+id+`}`, &e); status != http.StatusNotFound {
		t.Errorf("binding 汝州市 from 鲁山县: %d %+v; want 404", status, e.Error)
	}
	if status := sendJSON(t, srv, "PUT", "/api/v1/staffing-bindings", `{"area_code":"410423","area_kind":"town","model_id":`+id+`}`, &e); status != http.StatusBadRequest || e.Error.Fields["area_kind"] == "" {
		t.Errorf("binding towns: %d %+v; want area_kind named", status, e.Error)
	}
	if status := sendJSON(t, srv, "PUT", "/api/v1/staffing-bindings", `{"area_code":"410423"}`, &e); status != http.StatusBadRequest || e.Error.Fields["model_id"] == "" {
		t.Errorf("binding without model_id: %d %+v; want model_id named", status, e.Error)
	}
	if status := sendJSON(t, srv, "DELETE", "/api/v1/staffing-models/"+id, "", &e); status != http.StatusConflict {
		t.Errorf("deleting the bound model: %d %+v; want 409", status, e.Error)
	}

	unbind := `{"area_code":"410423","area_kind":"village","model_id":0}`
	if status := sendJSON(t, srv, "PUT", "/api/v1/staffing-bindings", unbind, nil); status != http.StatusNoContent {
		t.Fatalf("unbind: %d", status)
	}
	if got := bindingsOf(t, srv, "410423"); slices.ContainsFunc(got, func(b bindingOut) bool { return b.AreaKind == "village" }) {
		t.Errorf("bindings on 鲁山县 after the removal = %+v", got)
	}
	if status := sendJSON(t, srv, "DELETE", "/api/v1/staffing-models/"+id, "", nil); status != http.StatusNoContent {
		t.Errorf("deleting the unbound model: %d", status)
	}
}

func TestStaffingWritesAreForCityAndCountyAdministrators(t *testing.T) {
	for user, want := range map[string]struct{ read, write int }{
		"city": {200, 201}, "lushan": {200, 201}, "chief": {200, 403}, "officer": {200, 403}, "leader": {200, 403}, "auditor": {403, 403}, "": {401, 401},
	} {
		srv, _ := newServerAs(t, user)
		for _, path := range []string{"/api/v1/staffing-models", "/api/v1/staffing-bindings"} {
			if resp, body := send(t, srv, "", "GET", path, ""); resp.StatusCode != want.read {
				t.Errorf("GET %s as %q: %d; want %d (%s)", path, user, resp.StatusCode, want.read, body)
			}
		}
		if resp, body := send(t, srv, "", "POST", "/api/v1/staffing-models", twoHelpersJSON); resp.StatusCode != want.write {
			t.Errorf("POST a model as %q: %d; want %d (%s)", user, resp.StatusCode, want.write, body)
		}
		if want.write == 201 {
			continue
		}
		for _, method := range []string{"PUT", "DELETE"} {
			if resp, _ := send(t, srv, "", method, "/api/v1/staffing-models/1", twoHelpersJSON); resp.StatusCode != want.write {
				t.Errorf("%s a model as %q: %d; want %d", method, user, resp.StatusCode, want.write)
			}
		}
		if resp, _ := send(t, srv, "", "PUT", "/api/v1/staffing-bindings", `{"area_code":"410423","model_id":0}`); resp.StatusCode != want.write {
			t.Errorf("PUT a binding as %q: %d; want %d", user, resp.StatusCode, want.write)
		}
	}
}
