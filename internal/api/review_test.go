package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestOnlyTheStationChiefReviewsCollectedRecords(t *testing.T) {
	srv, st := newServerAs(t, "officer")
	chief, _ := newServerAsOn(t, st, "chief")
	village := biVillageOf(t, srv)
	var address biRecord
	biPost(t, srv, "POST", "/api/v1/addresses", fmt.Sprintf(`{"area_code":%q,"street":"复核路","house_number":"1"}`, village),
		http.StatusCreated, &address)
	if resp, _ := send(t, srv, "", "GET", "/api/v1/reviews", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the officer reads the review queue: %d; want 403", resp.StatusCode)
	}
	verify := fmt.Sprintf(`{"reviews":[{"kind":"address","record":%d,"verify":true}]}`, address.ID)
	if resp, _ := send(t, srv, "", "POST", "/api/v1/reviews", verify); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the officer reviews: %d; want 403", resp.StatusCode)
	}

	var queue struct {
		Items []struct {
			Kind    string `json:"kind"`
			Record  int64  `json:"record"`
			Summary string `json:"summary"`
		} `json:"items"`
	}
	get(t, chief, "/api/v1/reviews?kind=address&under="+village, &queue)
	if len(queue.Items) == 0 || queue.Items[len(queue.Items)-1].Record != address.ID || queue.Items[len(queue.Items)-1].Summary != "复核路1号" {
		t.Fatalf("the chief's queue = %+v; want the new address last", queue.Items)
	}
	returnWithout := fmt.Sprintf(`{"reviews":[{"kind":"address","record":%d,"verify":true},{"kind":"address","record":%d}]}`, address.ID, address.ID)
	resp, out := send(t, chief, "", "POST", "/api/v1/reviews", returnWithout)
	if e := errorOf(t, out); resp.StatusCode != http.StatusBadRequest || e.Error.Fields["reason"] == "" || !strings.HasPrefix(e.Error.Message, "review 2:") {
		t.Errorf("a return without a reason: %d %s; want 400 naming review 2 and the reason", resp.StatusCode, out)
	}
	biPost(t, chief, "POST", "/api/v1/reviews", fmt.Sprintf(`{"reviews":[{"kind":"address","record":%d,"reason":"门牌号待核实"}]}`, address.ID),
		http.StatusNoContent, nil)
	var got biRecord
	get(t, srv, fmt.Sprintf("/api/v1/addresses/%d", address.ID), &got)
	if got.State != "returned" || got.Reason != "门牌号待核实" {
		t.Errorf("the address after its return: %+v", got)
	}
	_, history := send(t, srv, "", "GET", fmt.Sprintf("/api/v1/addresses/%d/history", address.ID), "")
	if !strings.Contains(history, `"old":"collected","new":"returned","by":"chief"`) {
		t.Errorf("history = %s; want the return by chief", history)
	}
	if resp, _ := send(t, chief, "", "POST", "/api/v1/reviews", `{"reviews":[]}`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("no decisions: %d; want 400", resp.StatusCode)
	}
}

func TestCompletenessListsTheAreaThenItsChildren(t *testing.T) {
	srv, st := newServerAs(t, "officer")
	chief, _ := newServerAsOn(t, st, "chief")
	village := biVillageOf(t, srv)
	biPost(t, srv, "POST", "/api/v1/addresses", fmt.Sprintf(`{"area_code":%q,"street":"完整路","house_number":"1"}`, village), http.StatusCreated, nil)
	biPost(t, srv, "POST", "/api/v1/residents", fmt.Sprintf(`{"area_code":%q,"id_number":%q,"name":"测试己","phone":"13800001234"}`,
		village, biIDNumber(17)), http.StatusCreated, nil)
	var figures struct {
		Items []struct {
			AreaCode           string `json:"area_code"`
			AreaName           string `json:"area_name"`
			Addresses          int    `json:"addresses"`
			Residents          int    `json:"residents"`
			ResidentsWithPhone int    `json:"residents_with_phone"`
			Collected          int    `json:"collected"`
		} `json:"items"`
	}
	town := village[:9]
	get(t, chief, "/api/v1/completeness?under="+town, &figures)
	if len(figures.Items) < 2 || figures.Items[0].AreaCode != town || figures.Items[0].Addresses < 1 || figures.Items[0].Residents < 1 {
		t.Fatalf("completeness of %s = %+v; want the town first, with the new records", town, figures.Items)
	}
	var row, total = -1, figures.Items[0]
	for i, it := range figures.Items {
		if it.AreaCode == village {
			row = i
		}
	}
	if row < 1 || figures.Items[row].ResidentsWithPhone < 1 || figures.Items[row].Collected < 2 || total.Collected < figures.Items[row].Collected {
		t.Errorf("the village row %d of %+v; want the resident with a phone and two collected records", row, figures.Items)
	}
	if resp, _ := send(t, chief, "", "GET", "/api/v1/completeness", ""); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("completeness without an area: %d; want 400", resp.StatusCode)
	}
	if resp, _ := send(t, srv, "", "GET", "/api/v1/completeness?under=410482", ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("completeness of another county: %d; want 404", resp.StatusCode)
	}
}
