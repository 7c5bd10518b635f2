package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"cunjing"
)

// cardsOut is the answer of GET /api/v1/cards.
type cardsOut struct {
	Items []struct {
		Area struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"area"`
		TownName string `json:"town_name"`
		Officers []struct {
			Name         string `json:"name"`
			PoliceNumber string `json:"police_number"`
			Phone        string `json:"phone"`
			Role         string `json:"role"`
		} `json:"officers"`
		StationName string `json:"station_name"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func TestContactCardsShowTheOfficerAndAuditThePhones(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	resp, body := send(t, srv, "", "POST", "/api/v1/areas",
		fmt.Sprintf(`{"parent_code":%q,"level":"venue","name":"张庄小学","venue_type":"school"}`, ws.Jurisdiction[0]))
	var venue struct{ Code string }
	if err := json.Unmarshal([]byte(body), &venue); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create venue: %d %s", resp.StatusCode, body)
	}
	number := freeNumber(t, st, 901200)
	m := createStaff(t, srv, officerJSON("李明远", number, ws.Code, "13812345678"))
	today := cunjing.DateOf(time.Now()).String()
	if resp, body := send(t, srv, "", "POST", "/api/v1/assignments",
		fmt.Sprintf(`{"staff_id":%d,"area_code":%q,"role":"responsible","start":%q}`, m.ID, venue.Code, today)); resp.StatusCode != http.StatusCreated {
		t.Fatalf("assign: %d %s", resp.StatusCode, body)
	}

	resp, body = send(t, srv, "", "GET", "/api/v1/cards?under="+venue.Code, "")
	var cards cardsOut
	json.Unmarshal([]byte(body), &cards)
	if resp.StatusCode != http.StatusOK || len(cards.Items) != 1 || cards.Items[0].Area.Code != venue.Code ||
		len(cards.Items[0].Officers) != 1 || cards.Items[0].StationName == "" {
		t.Fatalf("cards: %d %s; want the venue's card with its officer and station", resp.StatusCode, body)
	}
	if o := cards.Items[0].Officers[0]; o.Name != "李明远" || o.PoliceNumber != number || o.Phone != "13812345678" || o.Role != "responsible" {
		t.Errorf("officer on the card: %+v; want 李明远, his number and full phone, responsible", o)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q; want no-store", cc)
	}
	if rows := auditRows(t, st, cunjing.ActionReadPersonal, "cards:"+venue.Code); len(rows) != 1 || rows[0].Actor != "lushan" {
		t.Errorf("read_personal rows for the cards: %+v; want one by lushan", rows)
	}

	// The city leader reads the cards with the phones masked.
	leader, _ := newServerAsOn(t, st, "leader")
	var masked cardsOut
	if status := get(t, leader, "/api/v1/cards?under="+venue.Code, &masked); status != 200 || len(masked.Items) != 1 ||
		len(masked.Items[0].Officers) != 1 || masked.Items[0].Officers[0].Phone != "138****5678" {
		t.Errorf("the leader's cards: %d %+v; want the phone masked", status, masked)
	}
}

func TestContactCardsAskForAnAreaInScope(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	for query, want := range map[string]int{"": 400, "?under=41x": 400, "?under=410482": 404} {
		resp, body := send(t, srv, "", "GET", "/api/v1/cards"+query, "")
		if e := errorOf(t, body); resp.StatusCode != want || (want == 400 && e.Error.Fields["under"] == "") {
			t.Errorf("cards%s: %d %s; want %d", query, resp.StatusCode, body, want)
		}
	}
	auditor, _ := newServerAsOn(t, st, "auditor")
	if resp, body := send(t, auditor, "", "GET", "/api/v1/cards?under=410423", ""); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the auditor: %d %s; want 403", resp.StatusCode, body)
	}
}
