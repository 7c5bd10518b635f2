package cunjing

import (
	"strings"
	"testing"
)

func TestStdAddressValidateComposesTheText(t *testing.T) {
	cases := []struct {
		a    StdAddress
		want string
	}{
		{StdAddress{Street: "建设路", HouseNumber: "12", Building: "3", Entrance: "2", Room: "301"}, "建设路12号3栋2单元301室"},
		{StdAddress{Street: " 建设路 ", HouseNumber: "12号", Building: "3栋", Entrance: "2单元", Room: "301室"}, "建设路12号3栋2单元301室"},
		{StdAddress{Street: "建设路", HouseNumber: "十二號", Building: "3幢", Entrance: "2單元", Room: "301房间"}, "建设路十二號3幢2單元301房间"},
		{StdAddress{Street: "张庄村3组", HouseNumber: "15"}, "张庄村3组15号"},
		{StdAddress{Street: "人民路", Room: "101"}, "人民路101室"},
	}
	for _, c := range cases {
		a := c.a
		a.AreaCode = "410423100201"
		if err := a.Validate(); err != nil {
			t.Errorf("%+v: %v", c.a, err)
			continue
		}
		if a.Text != c.want {
			t.Errorf("text of %+v = %q; want %q", c.a, a.Text, c.want)
		}
		if a.Key != AddressKey(a.Text) || strings.Contains(a.Key, "号号") || strings.Contains(a.Key, "栋栋") {
			t.Errorf("key %q of %q is not its AddressKey %q", a.Key, a.Text, AddressKey(a.Text))
		}
	}
}

func TestStdAddressSpellingsShareAKey(t *testing.T) {
	a := StdAddress{AreaCode: "410423100201", Street: "建设路", HouseNumber: "12", Building: "3", Entrance: "2", Room: "301"}
	b := StdAddress{AreaCode: "410423100201", Street: "建设路", HouseNumber: "十二号", Building: "3号楼", Entrance: "二单元", Room: "301房间"}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if a.Key != b.Key || a.Key != "建设路12号3栋2单元301室" {
		t.Errorf("keys %q and %q; want both 建设路12号3栋2单元301室", a.Key, b.Key)
	}
}

func TestStdAddressValidateNamesBadFields(t *testing.T) {
	cases := []struct {
		a     StdAddress
		field string
	}{
		{StdAddress{AreaCode: "410423100201"}, "street"},
		{StdAddress{AreaCode: "410423100", Street: "建设路"}, "area_code"},
		{StdAddress{AreaCode: "abc-S01", Street: "建设路"}, "area_code"},
		{StdAddress{AreaCode: "410423100201", Street: "建设\u200b路"}, "street"},
		{StdAddress{AreaCode: "410423100201", Street: "建设路", Room: "3\x000"}, "room"},
		{StdAddress{AreaCode: "410423100201", Street: strings.Repeat("路", 51)}, "street"},
		{StdAddress{AreaCode: "410423100201", Street: "建设路", Location: &Point{Lng: 33.7, Lat: 112.9, Datum: "WGS-84"}}, "location"},
	}
	for _, c := range cases {
		e, _ := c.a.Validate().(*Error)
		if e == nil || e.Code != EInvalid || e.Fields[c.field] == "" {
			t.Errorf("%+v: %+v; want %s named", c.a, e, c.field)
		}
	}
	for _, code := range []string{"410423100201", "410423100001-G01", "410423100-S01"} {
		a := StdAddress{AreaCode: code, Street: "建设路", Location: &Point{Lng: 112.9, Lat: 33.7, Datum: "GCJ-02"}}
		if err := a.Validate(); err != nil {
			t.Errorf("address in %s: %v", code, err)
		}
	}
}
