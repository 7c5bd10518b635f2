package api_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestBadDatesAndTypesInABodyAreNamed(t *testing.T) {
	srv, _ := newServerAs(t, "lushan")
	cases := []struct{ path, body, field string }{
		{"/api/v1/assignments", `{"staff_id":1,"area_code":"410423100201","role":"responsible","start":"2025-13-01"}`, "start"},
		{"/api/v1/assignments", `{"staff_id":"李明远","area_code":"410423100201","role":"responsible","start":"2025-01-01"}`, "staff_id"},
		{"/api/v1/assignments/1/end", `{"end":"yesterday"}`, "end"},
		{"/api/v1/dual-posts", `{"staff_id":1,"area_code":"410423100201","post":"party_member","appointed_on":"2024/01/10"}`, "appointed_on"},
		{"/api/v1/dual-posts", `{"staff_id":1,"area_code":"410423100201","post":"party_member","appointed_on":"2024-01-10","ended_on":"soon"}`, "ended_on"},
		{"/api/v1/dual-posts/1/end", `{"ended_on":20250301}`, "ended_on"},
		{"/api/v1/staffing-bindings", `{"area_code":"410423","model_id":"one"}`, "model_id"},
		{"/api/v1/staffing-bindings", `{"model_id":0}`, "area_code"},
	}
	for _, c := range cases {
		method := "POST"
		if strings.HasSuffix(c.path, "bindings") {
			method = "PUT"
		}
		resp, body := send(t, srv, "", method, c.path, c.body)
		if e := errorOf(t, body); resp.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" || e.Error.Fields[c.field] == "" {
			t.Errorf("%s %s: %d %s; want 400 invalid naming %s", c.path, c.body, resp.StatusCode, body, c.field)
		}
	}
}

func TestABrokenUploadIsInvalidNotAnInternalError(t *testing.T) {
	srv, _ := newServerAs(t, "lushan")
	req, err := http.NewRequest("POST", srv.URL+"/api/v1/staff/import", strings.NewReader("--b\r\nnot a header\r\n\r\nabc\r\n--b--\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a multipart body with a malformed part: %d; want 400", resp.StatusCode)
	}
}
