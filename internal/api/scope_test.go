package api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// raw fetches path and returns the status and the body as bytes.
func raw(t *testing.T, srv *httptest.Server, method, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(""))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// lushanObjects returns every tenth area and unit of 鲁山县, the county the
// 汝州市 administrator must not see.
func lushanObjects(t *testing.T, st *store.Store) (areas, units []string) {
	t.Helper()
	ctx := storetest.Ctx()
	page := cunjing.Page{Limit: cunjing.MaxPageLimit}
	for i := 0; ; i++ {
		found, next, err := st.FindAreas(ctx, cunjing.AreaFilter{Under: "41042", Page: page})
		if err != nil {
			t.Fatal(err)
		}
		for j, a := range found {
			if strings.HasPrefix(a.Code, "410423") && (i*len(found)+j)%10 == 0 {
				areas = append(areas, a.Code)
			}
		}
		if next == "" {
			break
		}
		page.Cursor = next
	}
	found, _, err := st.FindUnits(ctx, cunjing.UnitFilter{Under: "410423000000", Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range found {
		if i%10 == 0 {
			units = append(units, u.Code)
		}
	}
	return append(areas, "410423"), append(units, "410423000000")
}

func TestOutOfScopeReadsAsMissing(t *testing.T) {
	srv, st := newServerAs(t, "ruzhou")
	areas, units := lushanObjects(t, st)
	if len(areas) < 50 || len(units) < 10 {
		t.Fatalf("only %d areas and %d units sampled", len(areas), len(units))
	}
	for route, missing := range map[string]string{"/api/v1/areas/": "410499", "/api/v1/units/": "410499000000"} {
		wantStatus, wantBody := raw(t, srv, "GET", route+missing)
		if wantStatus != 404 {
			t.Fatalf("missing %s: %d", route, wantStatus)
		}
		codes := areas
		if strings.Contains(route, "units") {
			codes = units
		}
		for _, code := range codes {
			if status, body := raw(t, srv, "GET", route+code); status != 404 || body != wantBody {
				t.Errorf("汝州 user GET %s%s: %d %s; want the 404 of a missing id: %s", route, code, status, body, wantBody)
			}
		}
	}
}

func TestListsStayInScope(t *testing.T) {
	srv, _ := newServerAs(t, "ruzhou")
	var areas struct {
		Items []struct {
			Code string `json:"code"`
		} `json:"items"`
	}
	for _, q := range []string{"?level=village&limit=500", "?under=410423", "?under=4104&level=town&limit=500", "?q=村&limit=500", "?parent=4104"} {
		if status := get(t, srv, "/api/v1/areas"+q, &areas); status != 200 {
			t.Fatalf("%s: %d", q, status)
		}
		for _, a := range areas.Items {
			if !strings.HasPrefix(a.Code, "410482") {
				t.Errorf("areas%s lists %s, outside 汝州市", q, a.Code)
			}
		}
	}
	var units struct {
		Items []struct {
			Code         string   `json:"code"`
			Jurisdiction []string `json:"jurisdiction"`
		} `json:"items"`
	}
	get(t, srv, "/api/v1/units?limit=500", &units)
	for _, u := range units.Items {
		if !sharesScope(u.Jurisdiction, "410482") {
			t.Errorf("units list %s with jurisdiction %v, nothing of 汝州市", u.Code, u.Jurisdiction)
		}
	}
	var city struct {
		Counts map[string]int `json:"counts"`
	}
	get(t, srv, "/api/v1/units/410400000000", &city)
	var stations struct {
		Items []struct{} `json:"items"`
	}
	get(t, srv, "/api/v1/units?kind=station&limit=500", &stations)
	if city.Counts["bureau"] != 1 || city.Counts["station"] != len(stations.Items) {
		t.Errorf("the city bureau's counts as seen from 汝州: %v; want 1 bureau and the %d stations of 汝州", city.Counts, len(stations.Items))
	}
}

// sharesScope reports whether a jurisdiction covers the scope or lies in it.
func sharesScope(jurisdiction []string, scope string) bool {
	for _, code := range jurisdiction {
		if strings.HasPrefix(code, scope) || strings.HasPrefix(scope, code) {
			return true
		}
	}
	return false
}

func TestRolesMeetTheirRoutes(t *testing.T) {
	// The status each demo role gets on routes of each policy; "" is a visitor.
	matrix := []struct {
		method, path, body string
		want               map[string]int
	}{
		{"GET", "/api/v1/areas/410423", "", map[string]int{"": 401, "city": 200, "leader": 200, "lushan": 200, "ruzhou": 404, "chief": 404,
			"officer": 404, "auditor": 403, "security": 200, "admin": 200}},
		{"GET", "/api/v1/areas?under=410423", "", map[string]int{"": 401, "city": 200, "auditor": 403, "officer": 200}},
		{"POST", "/api/v1/areas/import", "", map[string]int{"": 401, "city": 403, "lushan": 403, "officer": 403, "auditor": 403, "security": 403, "admin": 400}},
		{"GET", "/api/v1/auth/tokens", "", map[string]int{"": 401, "officer": 200, "auditor": 200}},
		{"GET", "/api/v1/users", "", map[string]int{"": 401, "admin": 200, "city": 200, "lushan": 200, "chief": 403, "officer": 403,
			"leader": 403, "security": 403, "auditor": 403}},
		{"GET", "/api/v1/users/officer", "", map[string]int{"": 401, "admin": 200, "lushan": 200, "ruzhou": 404, "officer": 403, "auditor": 403}},
		{"POST", "/api/v1/users/officer/reset", "", map[string]int{"": 401, "officer": 403, "security": 403, "auditor": 403}},
		{"POST", "/api/v1/break-glass", "{}", map[string]int{"": 401, "officer": 400, "ruzhou": 400, "admin": 403, "leader": 403, "auditor": 403}},
		// Only the auditor reads the audit trail; the system administrator cannot (B4).
		{"GET", "/api/v1/audit", "", map[string]int{"": 401, "admin": 403, "security": 403, "city": 403, "lushan": 403, "leader": 403, "officer": 403, "auditor": 200}},
		{"GET", "/api/v1/audit/export.xlsx", "", map[string]int{"": 401, "admin": 403, "security": 403, "city": 403, "auditor": 200}},
		{"GET", "/healthz", "", map[string]int{"": 200, "officer": 200}},
	}
	servers := map[string]*httptest.Server{}
	for _, row := range matrix {
		for user, want := range row.want {
			srv, ok := servers[user]
			if !ok {
				srv, _ = newServerAs(t, user)
				servers[user] = srv
			}
			if resp, body := send(t, srv, "", row.method, row.path, row.body); resp.StatusCode != want {
				t.Errorf("%s %s as %q: %d; want %d (%s)", row.method, row.path, user, resp.StatusCode, want, body)
			}
		}
	}
}
