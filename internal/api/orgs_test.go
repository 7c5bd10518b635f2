package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store/storetest"
)

type orgOut struct {
	ID           int64  `json:"id"`
	AreaCode     string `json:"area_code"`
	Name         string `json:"name"`
	CreditCode   string `json:"credit_code"`
	Type         string `json:"type"`
	Special      bool   `json:"special"`
	ContactPhone string `json:"contact_phone"`
	StaffCount   int    `json:"staff_count"`
}

func TestAnOrgsPhoneIsMaskedInTheListAndItsDetailAudited(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	village := lushanVillage(t, st)
	var o orgOut
	body := fmt.Sprintf(`{"area_code":%q,"name":"接口测试旅馆","type":"hotel","credit_code":"91330100799655058b","contact_phone":"138 1234 5678","staff_count":4}`, village)
	if status := sendJSON(t, srv, "POST", "/api/v1/orgs", body, &o); status != http.StatusCreated {
		t.Fatalf("create org: %d %+v", status, o)
	}
	if !o.Special || o.CreditCode != "91330100799655058B" || o.AreaCode != village {
		t.Errorf("created %+v; want a special industry with the code in capitals", o)
	}
	var list struct{ Items []orgOut }
	if get(t, srv, "/api/v1/orgs?special=true&q="+url.QueryEscape("接口测试"), &list); len(list.Items) != 1 || list.Items[0].ContactPhone != "138****5678" {
		t.Errorf("listed %+v; want the hotel with its phone masked", list)
	}
	path := fmt.Sprintf("/api/v1/orgs/%d", o.ID)
	resp, text := send(t, srv, "", "GET", path, "")
	if resp.StatusCode != http.StatusOK || !strings.Contains(text, `"contact_phone":"13812345678"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("detail: %d %s %s; want the phone in full, not to be stored", resp.StatusCode, resp.Header.Get("Cache-Control"), text)
	}
	reads, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionReadPersonal, Object: fmt.Sprintf("org:%d", o.ID)})
	if err != nil || len(reads) != 1 || reads[0].Actor != "lushan" {
		t.Errorf("reads of the phone = %+v, %v; want one by lushan", reads, err)
	}
	leader, _ := newServerAsOn(t, st, "leader")
	if get(t, leader, path, &o); o.ContactPhone != "138****5678" {
		t.Errorf("the leader reads the phone %q; want it masked", o.ContactPhone)
	}
	if status := sendJSON(t, srv, "PATCH", path, `{"staff_count":9}`, nil); status != http.StatusNoContent {
		t.Errorf("patch: %d", status)
	}
	if get(t, leader, path, &o); o.StaffCount != 9 {
		t.Errorf("staff count after the patch = %d; want 9", o.StaffCount)
	}
}

func TestACreditCodeOfAnotherCountyIsAConflictThatNamesNothing(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	village := lushanVillage(t, st)
	body := fmt.Sprintf(`{"area_code":%q,"name":"鲁山接口测试公司","type":"enterprise","credit_code":"914403001922038216"}`, village)
	var o orgOut
	if status := sendJSON(t, srv, "POST", "/api/v1/orgs", body, &o); status != http.StatusCreated {
		t.Fatalf("create org: %d", status)
	}
	areas, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: "410482", Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(areas) != 1 {
		t.Fatalf("a village of 汝州市: %v, %v", areas, err)
	}
	ruzhou, _ := newServerAsOn(t, st, "ruzhou")
	var e apiError
	same := fmt.Sprintf(`{"area_code":%q,"name":"汝州某公司","type":"enterprise","credit_code":"914403001922038216"}`, areas[0].Code)
	status := sendJSON(t, ruzhou, "POST", "/api/v1/orgs", same, &e)
	if status != http.StatusConflict || e.Error.Message != "the credit code is already registered" || e.Error.Fields["credit_code"] != "already registered" {
		t.Errorf("汝州 registering 鲁山's code: %d %+v; want 409 that names no org", status, e)
	}
	if status := sendJSON(t, ruzhou, "GET", fmt.Sprintf("/api/v1/orgs/%d", o.ID), "", &e); status != http.StatusNotFound {
		t.Errorf("汝州 reading 鲁山's org: %d; want 404", status)
	}
	if status := sendJSON(t, srv, "POST", "/api/v1/orgs", strings.Replace(body, "鲁山接口测试公司", "重复", 1), &e); status != http.StatusConflict ||
		!strings.Contains(e.Error.Message, "鲁山接口测试公司") {
		t.Errorf("鲁山 registering its own code twice: %d %+v; want 409 naming the org", status, e)
	}
}

type inspectionOut struct {
	ID        int64  `json:"id"`
	Date      string `json:"date"`
	Inspector string `json:"inspector"`
	Passed    bool   `json:"passed"`
	Findings  string `json:"findings"`
}

func TestInspectionsAreTheCallers(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	village := lushanVillage(t, st)
	var o orgOut
	if status := sendJSON(t, srv, "POST", "/api/v1/orgs", fmt.Sprintf(`{"area_code":%q,"name":"接口测试网吧","type":"internet_cafe"}`, village), &o); status != http.StatusCreated {
		t.Fatalf("create org: %d", status)
	}
	path := fmt.Sprintf("/api/v1/orgs/%d/inspections", o.ID)
	var e apiError
	if status := sendJSON(t, srv, "POST", path, `{"date":"2026-11-01","passed":false}`, &e); status != http.StatusBadRequest || e.Error.Fields["findings"] == "" {
		t.Errorf("a failed inspection without findings: %d %+v; want 400 naming findings", status, e)
	}
	if status := sendJSON(t, srv, "POST", path, `{"date":"2026-11-01","passed":true,"inspector":"someone"}`, &e); status != http.StatusBadRequest {
		t.Errorf("a request naming the inspector: %d; want 400", status)
	}
	var in inspectionOut
	if status := sendJSON(t, srv, "POST", path, `{"date":"2026-11-01","passed":false,"findings":"未落实实名上网登记"}`, &in); status != http.StatusCreated ||
		in.Inspector != "lushan" || in.Passed {
		t.Errorf("inspection: %d %+v; want a failed one by lushan", status, in)
	}
	var list struct{ Items []inspectionOut }
	if get(t, srv, path, &list); len(list.Items) != 1 || list.Items[0].Findings != "未落实实名上网登记" {
		t.Errorf("inspections = %+v", list)
	}
}
