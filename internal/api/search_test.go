package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// searchResult is the answer of POST /api/v1/search.
type searchResult struct {
	Kind  string `json:"kind"`
	Items []struct {
		Kind     string `json:"kind"`
		ID       int64  `json:"id"`
		AreaCode string `json:"area_code"`
		AreaName string `json:"area_name"`
		Title    string `json:"title"`
		Detail   string `json:"detail"`
	} `json:"items"`
}

// postSearch posts a search body and returns the response and its body.
func postSearch(t *testing.T, srv *httptest.Server, body string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Post(srv.URL+"/api/v1/search", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// addLushanResident registers 张三 in the first village of 鲁山县 and
// returns his ID number.
func addLushanResident(t *testing.T, st *store.Store) string {
	t.Helper()
	villages, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: "410423", Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(villages) == 0 {
		t.Fatalf("a village of 鲁山县: %v", err)
	}
	const id = "410423197001010011"
	r := cunjing.Resident{AreaCode: villages[0].Code, Name: "张三", IDNumber: id, Phone: "13812345678"}
	if err := st.CreateResident(storetest.Ctx(), &r); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSearchTakesTheTextInTheBodyAndAnswersMaskedUncached(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	id := addLushanResident(t, st)
	resp, body := postSearch(t, srv, `{"q":"`+id+`"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q; want no-store", cc)
	}
	var got searchResult
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Kind != "id_number" || len(got.Items) != 1 || got.Items[0].Title != "张三" || got.Items[0].Kind != "resident" ||
		got.Items[0].Detail != "410423********0011 138****5678" || got.Items[0].AreaName == "" {
		t.Errorf("search by ID number = %+v; want 张三, masked, with his village", got)
	}
	if bytes.Contains(body, []byte(id)) || bytes.Contains(body, []byte("13812345678")) {
		t.Errorf("the answer holds personal data in full: %s", body)
	}

	if _, body := postSearch(t, srv, `{"q":"zs","limit":5}`); !strings.Contains(string(body), `"title":"张三"`) {
		t.Errorf("search zs = %s; want 张三", body)
	}
}

func TestSearchOutsideTheScopeFindsNothing(t *testing.T) {
	srv, st := newServerAs(t, "ruzhou")
	id := addLushanResident(t, st)
	for _, q := range []string{id, "张三", "zs", "13812345678"} {
		resp, body := postSearch(t, srv, `{"q":"`+q+`"}`)
		var got searchResult
		if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK || len(got.Items) != 0 {
			t.Errorf("汝州市 searching %q: %d %s; want 200 and no hits", q, resp.StatusCode, body)
		}
	}
}

func TestSearchRefusesBadBodies(t *testing.T) {
	srv, _ := newServerAs(t, "lushan")
	for body, field := range map[string]string{`{"q":""}`: "q", `{"q":"zs","limit":101}`: "limit", `{"q":"zs","limit":-1}`: "limit"} {
		resp, data := postSearch(t, srv, body)
		var e apiError
		if err := json.Unmarshal(data, &e); err != nil || resp.StatusCode != http.StatusBadRequest || e.Error.Fields[field] == "" {
			t.Errorf("%s: %d %s; want 400 naming %s", body, resp.StatusCode, data, field)
		}
	}
	if status, body := raw(t, srv, "GET", "/api/v1/search?q=410423197001010011"); status != http.StatusNotFound || strings.Contains(body, "items") {
		t.Errorf("GET /api/v1/search: %d %s; want no such endpoint, the text never in the URL", status, body)
	}
}

func TestTheAuditorCannotSearch(t *testing.T) {
	srv, _ := newServerAs(t, "auditor")
	if resp, body := postSearch(t, srv, `{"q":"zs"}`); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the auditor searching: %d %s; want 403", resp.StatusCode, body)
	}
}
