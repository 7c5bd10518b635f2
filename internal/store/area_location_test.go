package store_test

import (
	"math"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

func TestSetAreaLocationSetsClearsAndAudits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		chief := chiefOf()
		p := &cunjing.Point{Lng: 112.91, Lat: 33.74, Datum: "GCJ-02"}
		if err := s.SetAreaLocation(chief, zhang1, p); err != nil {
			t.Fatal(err)
		}
		d, err := s.AreaDetail(chief, zhang1)
		if err != nil || d.Location == nil || *d.Location != *p {
			t.Fatalf("location after set = %+v, %v; want %+v", d, err, p)
		}
		if err := s.SetAreaLocation(chief, zhang1, nil); err != nil {
			t.Fatal(err)
		}
		if d, err := s.AreaDetail(chief, zhang1); err != nil || d.Location != nil {
			t.Fatalf("location after clearing = %+v, %v; want none", d, err)
		}
		rows := findAll(t, s, cunjing.AuditFilter{Action: cunjing.ActionAreaUpdate})
		if len(rows) != 2 || rows[0].Actor != "chief" || rows[0].Object != zhang1 || rows[0].Detail != "location cleared" ||
			rows[1].Detail != "location 112.91, 33.74 GCJ-02" {
			t.Fatalf("audit rows = %+v; want the set and the clearing by chief", rows)
		}
	})
}

func TestSetAreaLocationOutOfScopeIsNotFound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		p := &cunjing.Point{Lng: 112.8, Lat: 33.8, Datum: "WGS-84"}
		for _, code := range []string{xiatangV, "410423100999", "410423100001-G01"} {
			if err := s.SetAreaLocation(chiefOf(), code, p); cunjing.ErrorCode(err) != cunjing.ENotFound {
				t.Errorf("set location of %s = %v; want not found", code, err)
			}
		}
		if d, err := s.AreaDetail(storetest.Ctx(), xiatangV); err != nil || d.Location != nil {
			t.Fatalf("out-of-scope village = %+v, %v; want it unchanged", d, err)
		}
	})
}

func TestSetAreaLocationRefusesBadPoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		chief := chiefOf()
		good := &cunjing.Point{Lng: 112.91, Lat: 33.74, Datum: "GCJ-02"}
		if err := s.SetAreaLocation(chief, zhang2, good); err != nil {
			t.Fatal(err)
		}
		for _, p := range []cunjing.Point{
			{Lng: 2.35, Lat: 48.85, Datum: "WGS-84"},         // Paris
			{Lng: 112.91, Lat: 33.74, Datum: "BD-09"},        // Baidu's datum
			{Lng: math.NaN(), Lat: 33.74, Datum: "GCJ-02"},   // not a number
			{Lng: 112.91, Lat: math.Inf(1), Datum: "GCJ-02"}, // infinite
		} {
			wantField(t, "set location", s.SetAreaLocation(chief, zhang2, &p), cunjing.EInvalid, "location")
		}
		if d, err := s.AreaDetail(chief, zhang2); err != nil || d.Location == nil || *d.Location != *good {
			t.Fatalf("location after refusals = %+v, %v; want %+v kept", d, err, good)
		}
	})
}
