package cunjing

import (
	"math"
	"testing"
)

// visitToday is the day the visit tests validate on.
var visitToday = NewDate(2026, 11, 29)

// validVisit is a visit that Validate accepts, to be varied.
func validVisit() Visit {
	return Visit{Date: visitToday, Kind: VisitHousehold, Target: TargetHousehold, TargetID: 9, Content: " 入户走访，宣传防诈骗 ",
		Location: &Point{Lng: 112.9, Lat: 33.74, Datum: "GCJ-02"}}
}

func TestVisitValidateAcceptsAVisitToday(t *testing.T) {
	v := validVisit()
	if err := v.Validate(visitToday); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if v.Content != "入户走访，宣传防诈骗" {
		t.Errorf("content = %q; want it trimmed", v.Content)
	}
	area := Visit{Date: visitToday.AddDays(-3), Kind: VisitPublicity, Target: TargetArea, AreaCode: "410423100201", Content: "法制宣传"}
	if err := area.Validate(visitToday); err != nil {
		t.Errorf("a visit to a village without a target ID: %v; want it accepted", err)
	}
}

func TestVisitValidateNamesEachBadField(t *testing.T) {
	for _, c := range []struct {
		name  string
		field string
		edit  func(*Visit)
	}{
		{"tomorrow", "date", func(v *Visit) { v.Date = visitToday.AddDays(1) }},
		{"no date", "date", func(v *Visit) { v.Date = Date{} }},
		{"unknown kind", "kind", func(v *Visit) { v.Kind = "tea" }},
		{"unknown target", "target", func(v *Visit) { v.Target = "car" }},
		{"household without ID", "target_id", func(v *Visit) { v.TargetID = 0 }},
		{"resident without ID", "target_id", func(v *Visit) { v.Target, v.TargetID = TargetResident, 0 }},
		{"org without ID", "target_id", func(v *Visit) { v.Target, v.TargetID = TargetOrg, -1 }},
		{"area without code", "area_code", func(v *Visit) { v.Target, v.TargetID, v.AreaCode = TargetArea, 0, "" }},
		{"no content", "content", func(v *Visit) { v.Content = "  " }},
		{"swapped coordinates", "location", func(v *Visit) { v.Location = &Point{Lng: 33.74, Lat: 112.9, Datum: "WGS-84"} }},
		{"NaN coordinate", "location", func(v *Visit) { v.Location = &Point{Lng: math.NaN(), Lat: 33.74, Datum: "WGS-84"} }},
		{"infinite coordinate", "location", func(v *Visit) { v.Location = &Point{Lng: 112.9, Lat: math.Inf(1), Datum: "WGS-84"} }},
		{"no datum", "location", func(v *Visit) { v.Location.Datum = "" }},
		{"outside China", "location", func(v *Visit) { v.Location = &Point{Lng: 2.35, Lat: 48.85, Datum: "WGS-84"} }},
	} {
		v := validVisit()
		c.edit(&v)
		err := v.Validate(visitToday)
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Fields[c.field] == "" || len(e.Fields) != 1 {
			t.Errorf("%s: Validate = %v (%+v); want invalid naming only %s", c.name, err, e, c.field)
		}
	}
}
