package cunjing

import (
	"math"
	"testing"
)

// validHouse is a house that Validate accepts, to be varied.
func validHouse() House {
	return House{AddressID: 7, OwnerResident: 3, Use: HouseSelf, FloorArea: 120.5, Note: "  两层砖房  "}
}

func TestHouseValidateAcceptsAHouseAndTrimsTheNote(t *testing.T) {
	h := validHouse()
	if err := h.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if h.Note != "两层砖房" {
		t.Errorf("note = %q; want it trimmed", h.Note)
	}
	h.OwnerResident, h.OwnerOrg = 0, 0
	if err := h.Validate(); err != nil {
		t.Errorf("a house of unknown owner: %v; want it accepted", err)
	}
}

func TestHouseValidateNamesEachBadField(t *testing.T) {
	for _, c := range []struct {
		name  string
		field string
		edit  func(*House)
	}{
		{"no address", "address_id", func(h *House) { h.AddressID = 0 }},
		{"two owners", "owner", func(h *House) { h.OwnerOrg = 4 }},
		{"no use", "use", func(h *House) { h.Use = "" }},
		{"unknown use", "use", func(h *House) { h.Use = "hotel" }},
		{"negative area", "floor_area", func(h *House) { h.FloorArea = -1 }},
		{"NaN area", "floor_area", func(h *House) { h.FloorArea = math.NaN() }},
		{"infinite area", "floor_area", func(h *House) { h.FloorArea = math.Inf(1) }},
		{"control character in the note", "note", func(h *House) { h.Note = "a\x00b" }},
	} {
		h := validHouse()
		c.edit(&h)
		err := h.Validate()
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Fields[c.field] == "" || len(e.Fields) != 1 {
			t.Errorf("%s: Validate = %v (%+v); want invalid naming only %s", c.name, err, e, c.field)
		}
	}
}

func TestRentalValidateChecksTheDates(t *testing.T) {
	ok := Rental{HouseID: 1, TenantID: 2, Start: NewDate(2026, 3, 1)}
	if err := ok.Validate(); err != nil {
		t.Fatalf("a running tenancy: %v", err)
	}
	ok.End = ok.Start
	if err := ok.Validate(); err != nil {
		t.Errorf("a tenancy of one day: %v; want it accepted", err)
	}
	for _, c := range []struct {
		name  string
		field string
		r     Rental
	}{
		{"no house", "house_id", Rental{TenantID: 2, Start: NewDate(2026, 3, 1)}},
		{"no tenant", "tenant_id", Rental{HouseID: 1, Start: NewDate(2026, 3, 1)}},
		{"no start", "start", Rental{HouseID: 1, TenantID: 2}},
		{"end before start", "end", Rental{HouseID: 1, TenantID: 2, Start: NewDate(2026, 3, 1), End: NewDate(2026, 2, 28)}},
	} {
		err := c.r.Validate()
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Fields[c.field] == "" || len(e.Fields) != 1 {
			t.Errorf("%s: Validate = %v (%+v); want invalid naming only %s", c.name, err, e, c.field)
		}
	}
}
