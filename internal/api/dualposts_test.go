package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// newOfficer registers an active officer of a unit and returns his ID.
func newOfficer(t *testing.T, st *store.Store, name, number, unit string) int64 {
	t.Helper()
	staff := []cunjing.Staff{{Name: name, Kind: cunjing.StaffOfficer, UnitCode: unit, PoliceNumber: number}}
	if err := st.CreateStaff(storetest.Ctx(), staff); err != nil {
		t.Fatal(err)
	}
	return staff[0].ID
}

// villageOf returns a village-tier area served by a unit.
func villageOf(t *testing.T, st *store.Store, unit string) string {
	t.Helper()
	d, err := st.UnitDetail(storetest.Ctx(), unit)
	if err != nil || len(d.Jurisdiction) == 0 {
		t.Fatalf("unit %s: %v", unit, err)
	}
	return d.Jurisdiction[0]
}

func TestDualPostAddListEnd(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	unit := lushanOffice(t, st)
	village := villageOf(t, st, unit)
	id := newOfficer(t, st, "王两任", "990001", unit)
	post := fmt.Sprintf(`{"staff_id":%d,"area_code":%q,"post":"party_deputy","appointed_on":"2024-01-10","document_no":"鲁组〔2024〕3号"}`, id, village)
	resp, body := send(t, srv, "", "POST", "/api/v1/dual-posts", post)
	var made struct {
		ID        int64   `json:"id"`
		StaffName string  `json:"staff_name"`
		AreaName  string  `json:"area_name"`
		EndedOn   *string `json:"ended_on"`
	}
	json.Unmarshal([]byte(body), &made)
	if resp.StatusCode != 201 || made.ID == 0 || made.StaffName != "王两任" || made.AreaName == "" || made.EndedOn != nil {
		t.Fatalf("add: %d %s", resp.StatusCode, body)
	}
	if resp, body := send(t, srv, "", "POST", "/api/v1/dual-posts", post); resp.StatusCode != 409 {
		t.Errorf("the same post again: %d %s; want 409", resp.StatusCode, body)
	}
	bad := fmt.Sprintf(`{"staff_id":%d,"area_code":%q,"post":"party_deputy","appointed_on":"2024-01-10","ended_on":"2023-01-01"}`, id, village)
	if resp, body := send(t, srv, "", "POST", "/api/v1/dual-posts", bad); resp.StatusCode != 400 || !strings.Contains(body, `"ended_on"`) {
		t.Errorf("an end before the appointment: %d %s; want 400 naming ended_on", resp.StatusCode, body)
	}
	var list struct {
		Items []struct {
			ID      int64   `json:"id"`
			EndedOn *string `json:"ended_on"`
		} `json:"items"`
	}
	if status := get(t, srv, fmt.Sprintf("/api/v1/dual-posts?under=410423&staff=%d", id), &list); status != 200 || len(list.Items) != 1 || list.Items[0].ID != made.ID {
		t.Fatalf("list: %d %+v", status, list)
	}
	path := fmt.Sprintf("/api/v1/dual-posts/%d/end", made.ID)
	if resp, body := send(t, srv, "", "POST", path, `{"ended_on":"2025-01-01"}`); resp.StatusCode != 204 {
		t.Fatalf("end: %d %s", resp.StatusCode, body)
	}
	if resp, _ := send(t, srv, "", "POST", path, `{"ended_on":"2025-01-01"}`); resp.StatusCode != 409 {
		t.Errorf("ending twice: %d; want 409", resp.StatusCode)
	}
	get(t, srv, fmt.Sprintf("/api/v1/dual-posts?staff=%d", id), &list)
	if len(list.Items) != 1 || list.Items[0].EndedOn == nil || *list.Items[0].EndedOn != "2025-01-01" {
		t.Errorf("after the end: %+v", list.Items)
	}
	ruzhou, _ := newServerAs(t, "ruzhou")
	if resp, _ := send(t, ruzhou, "", "POST", path, `{"ended_on":"2025-01-01"}`); resp.StatusCode != 404 {
		t.Errorf("ending a 鲁山 post from 汝州: %d; want 404", resp.StatusCode)
	}
	if resp, _ := send(t, ruzhou, "", "GET", "/api/v1/dual-posts?under=410423", ""); resp.StatusCode != 404 {
		t.Errorf("鲁山 posts from 汝州: %d; want 404", resp.StatusCode)
	}
	officer, _ := newServerAs(t, "officer")
	if resp, _ := send(t, officer, "", "POST", "/api/v1/dual-posts", post); resp.StatusCode != 403 {
		t.Errorf("an officer recording a dual post: %d; want 403", resp.StatusCode)
	}
}
