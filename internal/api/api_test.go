package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/api"
	"cunjing/internal/auth/authtest"
	"cunjing/internal/demo"
	"cunjing/internal/demo/demotest"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// newServer serves the API over a store loaded with the demo city, to the
// demo city administrator (scope 4104).
func newServer(t *testing.T) (*httptest.Server, *store.Store) {
	return newServerAs(t, "city")
}

// newServerAs serves the API as the given user: "admin", the first
// administrator, or one of the demo accounts; "" for a visitor.
func newServerAs(t *testing.T, username string) (*httptest.Server, *store.Store) {
	t.Helper()
	return newServerAsOn(t, demotest.Store(t), username)
}

// newServerAsOn serves the API over st as the given user.
func newServerAsOn(t *testing.T, st *store.Store, username string) (*httptest.Server, *store.Store) {
	t.Helper()
	authn := authtest.Authenticator(st)
	jobs := &importer.RecordJobs{Store: st, Dir: t.TempDir()}
	t.Cleanup(jobs.Stop)
	h := api.New(api.Deps{Auth: authn, Residents: st, Addresses: st, Reviews: st, Houses: st, Orgs: st, Visits: st, Search: st, Exports: st, StaffImport: st, DualPosts: st, Offices: st, Coverage: st, Cards: st, Staff: st, Assignments: st, Staffing: st, Areas: st, Units: st, Audit: st, Users: st, Grants: st, Policies: st, Ping: st.Ping,
		RecordJobs: jobs, RecordImports: st, RecordExports: st,
		Import: func(ctx context.Context, files ...importer.File) (*importer.DivisionReport, error) {
			return importer.ImportDivisions(ctx, st, files...)
		},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	token := ""
	switch username {
	case "":
	case "admin":
		token = authtest.Login(t, authn, username, demotest.AdminPassword)
	default:
		token = authtest.Login(t, authn, username, demo.AccountPassword)
	}
	srv := httptest.NewServer(authtest.As(authn, token, h))
	t.Cleanup(srv.Close)
	return srv, st
}

// get fetches path and decodes the JSON body into v, returning the status.
func get(t *testing.T, srv *httptest.Server, path string, v any) int {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: Content-Type %q", path, ct)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return resp.StatusCode
}

type apiError struct {
	Error struct {
		Code     string            `json:"code"`
		Message  string            `json:"message"`
		Fields   map[string]string `json:"fields"`
		Problems []struct {
			File    string `json:"file"`
			Line    int    `json:"line"`
			Message string `json:"message"`
		} `json:"problems"`
		Total int `json:"total"`
	} `json:"error"`
}

func TestEveryRouteIsInTheOpenAPIDocumentAndBack(t *testing.T) {
	body, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	for _, rt := range api.Routes {
		key := strings.ToLower(rt.Method) + " " + rt.Path
		routed[key] = true
		if _, ok := doc.Paths[rt.Path][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("route %s is missing from openapi.json", key)
		}
		if rt.Policy == "" {
			t.Errorf("route %s has no policy", key)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !routed[method+" "+path] {
				t.Errorf("openapi.json documents %s %s, which is not routed", method, path)
			}
		}
	}
}

func TestAreaDetail(t *testing.T) {
	srv, _ := newServer(t)
	var got struct {
		Area struct {
			Name  string `json:"name"`
			Level string `json:"level"`
		} `json:"area"`
		Ancestors []struct {
			Code string `json:"code"`
		} `json:"ancestors"`
		Counts struct {
			ByLevel     map[string]int `json:"by_level"`
			Villages    int            `json:"villages"`
			Communities int            `json:"communities"`
		} `json:"counts"`
	}
	if status := get(t, srv, "/api/v1/areas/410423", &got); status != 200 {
		t.Fatalf("status %d", status)
	}
	if got.Area.Name != "鲁山县" || got.Area.Level != "county" || len(got.Ancestors) != 2 || got.Ancestors[1].Code != "4104" {
		t.Errorf("area = %+v", got)
	}
	if got.Counts.ByLevel["village"] != 556 || got.Counts.Villages+got.Counts.Communities != 556 {
		t.Errorf("counts = %+v; want 556 village-level units", got.Counts)
	}
}

func TestNotFoundAnswers(t *testing.T) {
	srv, _ := newServer(t)
	for _, path := range []string{"/api/v1/areas/999999", "/api/v1/areas/abc", "/api/v1/units/410423999999", "/api/v1/nothing-here"} {
		var e apiError
		if status := get(t, srv, path, &e); status != 404 || e.Error.Code != "not_found" || e.Error.Message == "" {
			t.Errorf("%s: %d %+v; want 404 not_found with a message", path, status, e.Error)
		}
	}
}

func TestBadParametersAreNamed(t *testing.T) {
	srv, _ := newServer(t)
	var e apiError
	status := get(t, srv, "/api/v1/areas?level=planet&limit=x&under=41x", &e)
	if status != 400 || e.Error.Code != "invalid" || e.Error.Fields["level"] == "" || e.Error.Fields["limit"] == "" || e.Error.Fields["under"] == "" {
		t.Errorf("%d %+v; want 400 invalid naming level, limit and under", status, e.Error)
	}
	var c apiError
	if status := get(t, srv, "/api/v1/units?cursor=%21%21", &c); status != 400 || c.Error.Code != "invalid" {
		t.Errorf("bad cursor: %d %+v", status, c.Error)
	}
}

func TestPaginationWalksEveryVillageOnce(t *testing.T) {
	srv, _ := newServer(t)
	var codes []string
	cursor := ""
	for pages := 0; pages < 100; pages++ {
		var page struct {
			Items []struct {
				Code string `json:"code"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if status := get(t, srv, "/api/v1/areas?under=4104&level=village&limit=97&cursor="+cursor, &page); status != 200 {
			t.Fatalf("status %d", status)
		}
		for _, it := range page.Items {
			codes = append(codes, it.Code)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(codes) != 2828 || !slices.IsSorted(codes) || len(slices.Compact(slices.Clone(codes))) != 2828 {
		t.Fatalf("walked %d codes; want the 2,828 village-level units once each, in order", len(codes))
	}
}

func TestUnitsCoveringAVillage(t *testing.T) {
	srv, st := newServer(t)
	villages, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: "410423", Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(villages) != 1 {
		t.Fatal(err)
	}
	var list struct {
		Items []struct {
			Name string `json:"name"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	get(t, srv, "/api/v1/units?area="+villages[0].Code, &list)
	var kinds []string
	for _, u := range list.Items {
		kinds = append(kinds, u.Kind)
	}
	if !slices.Equal(kinds, []string{"bureau", "bureau", "station", "workstation"}) || list.Items[1].Name != "鲁山县公安局" {
		t.Errorf("units covering %s = %+v; want city and county bureau, station, workstation", villages[0].Name, list.Items)
	}
	var unit struct {
		Counts map[string]int `json:"counts"`
	}
	if status := get(t, srv, "/api/v1/units/410423000000", &unit); status != 200 || unit.Counts["station"] == 0 || unit.Counts["workstation"] == 0 {
		t.Errorf("鲁山县公安局: %d %+v", status, unit)
	}
}

// upload posts files as multipart/form-data as the server's user.
func upload(t *testing.T, srv *httptest.Server, files map[string]io.Reader) *http.Response {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for name, body := range files {
			part, _ := mw.CreateFormFile("files", name)
			if _, err := io.Copy(part, body); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		pw.CloseWithError(mw.Close())
	}()
	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/areas/import", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestImportNeedsTheSystemAdministrator(t *testing.T) {
	for user, want := range map[string]int{"": 401, "city": 403, "auditor": 403} {
		srv, st := newServerAs(t, user)
		resp := upload(t, srv, map[string]io.Reader{"p.csv": strings.NewReader("code,name\n42,\"湖北省\"\n")})
		if resp.StatusCode != want {
			t.Errorf("as %q: status %d; want %d", user, resp.StatusCode, want)
		}
		if _, err := st.AreaDetail(storetest.Ctx(), "42"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("as %q the refused import was written", user)
		}
	}
}

func TestImportReportsBadLinesAndWritesNothing(t *testing.T) {
	srv, st := newServerAs(t, "admin")
	resp := upload(t, srv, map[string]io.Reader{"p.csv": strings.NewReader("code,name\n42,\"湖北省\"\n4x,\"坏\"\n")})
	var e apiError
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 400 || e.Error.Total != 1 || len(e.Error.Problems) != 1 || e.Error.Problems[0].Line != 3 || e.Error.Problems[0].File != "p.csv" {
		t.Fatalf("%d %+v; want 400 naming p.csv line 3", resp.StatusCode, e.Error)
	}
	if _, err := st.AreaDetail(storetest.Ctx(), "42"); cunjing.ErrorCode(err) != cunjing.ENotFound {
		t.Fatalf("the good line of a rejected file was imported: %v", err)
	}
	ok := upload(t, srv, map[string]io.Reader{"p.csv": strings.NewReader("code,name\n42,\"湖北省\"\n")})
	var result struct {
		Added int `json:"added"`
	}
	json.NewDecoder(ok.Body).Decode(&result)
	if ok.StatusCode != 200 || result.Added != 1 {
		t.Fatalf("good upload: %d %+v", ok.StatusCode, result)
	}
}

func TestOversizedUploadIs413(t *testing.T) {
	srv, _ := newServerAs(t, "admin")
	big := io.MultiReader(strings.NewReader("code,name\n"), io.LimitReader(zeros{}, httpx.MaxUploadBody+1))
	resp := upload(t, srv, map[string]io.Reader{"big.csv": big})
	var e apiError
	json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 413 || e.Error.Code != "too_large" {
		t.Fatalf("%d %+v; want 413 too_large", resp.StatusCode, e.Error)
	}
	var health map[string]string
	if status := get(t, srv, "/healthz", &health); status != 200 {
		t.Fatalf("after an oversized upload /healthz = %d", status)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestHealthFollowsTheDatabase(t *testing.T) {
	srv, st := newServer(t)
	var body map[string]string
	if status := get(t, srv, "/healthz", &body); status != 200 || body["status"] != "ok" {
		t.Fatalf("healthz = %d %v", status, body)
	}
	st.Close()
	if status := get(t, srv, "/healthz", &body); status != 503 {
		t.Fatalf("healthz with the database closed = %d; want 503", status)
	}
}

func TestOpenAPIDocumentIsServed(t *testing.T) {
	srv, _ := newServer(t)
	resp, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(`"openapi"`)) {
		t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
}
