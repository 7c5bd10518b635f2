package cunjing

import (
	"strings"
	"testing"
)

// validOrg is an org that Validate accepts, to be varied.
func validOrg() Org {
	return Org{AreaCode: "410423100201", Name: "鲁山县 顺发  旅馆", Type: OrgHotel, CreditCode: "91330100799655058B",
		LegalRep: "王 伟", ContactPhone: "0375-2345678", StaffCount: 6}
}

func TestOrgValidateNormalisesWhatPeopleType(t *testing.T) {
	o := validOrg()
	o.CreditCode = " ９１３３０１００７９９６５５０５８b "
	o.ContactPhone = "+86 138 1234 5678"
	if err := o.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if o.CreditCode != "91330100799655058B" || o.ContactPhone != "13812345678" || o.Name != "鲁山县 顺发 旅馆" {
		t.Errorf("got code %q, phone %q, name %q; want 91330100799655058B, 13812345678, 鲁山县 顺发 旅馆", o.CreditCode, o.ContactPhone, o.Name)
	}
	o.ContactPhone = "(0375)2345678"
	if err := o.Validate(); err != nil || o.ContactPhone != "0375-2345678" {
		t.Errorf("landline = %q, %v; want 0375-2345678", o.ContactPhone, err)
	}
}

func TestOrgValidateLeavesOptionalFieldsEmpty(t *testing.T) {
	o := validOrg()
	o.CreditCode, o.ContactPhone, o.LegalRep = "   ", "  ", ""
	if err := o.Validate(); err != nil {
		t.Fatalf("a small shop without code or phone: %v", err)
	}
	if o.CreditCode != "" || o.ContactPhone != "" {
		t.Errorf("blank code %q and phone %q; want both empty, not blanks to store", o.CreditCode, o.ContactPhone)
	}
}

func TestOrgValidateRefusesAWrongCheckCharacter(t *testing.T) {
	o := validOrg()
	o.CreditCode = "91330100799655058C" // the valid code ends in B
	err := o.Validate()
	e, ok := err.(*Error)
	if !ok || e.Code != EInvalid || !strings.Contains(e.Fields["credit_code"], "check character") || len(e.Fields) != 1 {
		t.Fatalf("Validate = %v (%+v); want invalid naming only credit_code and its check character", err, e)
	}
}

func TestOrgValidateNamesEachBadField(t *testing.T) {
	for _, c := range []struct {
		name  string
		field string
		edit  func(*Org)
	}{
		{"no name", "name", func(o *Org) { o.Name = "  " }},
		{"hidden character in the name", "name", func(o *Org) { o.Name = "顺发\u200b旅馆" }},
		{"unknown type", "type", func(o *Org) { o.Type = "bank" }},
		{"bad phone", "contact_phone", func(o *Org) { o.ContactPhone = "12345" }},
		{"bad legal representative", "legal_rep", func(o *Org) { o.LegalRep = "王\x00伟" }},
		{"negative staff", "staff_count", func(o *Org) { o.StaffCount = -1 }},
		{"town code", "area_code", func(o *Org) { o.AreaCode = "410423100" }},
		{"junk with a venue mark", "area_code", func(o *Org) { o.AreaCode = "shop-S01" }},
	} {
		o := validOrg()
		c.edit(&o)
		err := o.Validate()
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Fields[c.field] == "" || len(e.Fields) != 1 {
			t.Errorf("%s: Validate = %v (%+v); want invalid naming only %s", c.name, err, e, c.field)
		}
	}
	o := validOrg()
	o.AreaCode = "410423100-S01"
	if err := o.Validate(); err != nil {
		t.Errorf("an org in a venue: %v; want it accepted", err)
	}
}

func TestOrgTypesFlagTheSpecialIndustries(t *testing.T) {
	special := map[OrgType]bool{OrgHotel: true, OrgInternetCafe: true, OrgEntertainment: true, OrgLogistics: true, OrgPawnshop: true,
		OrgSecondHand: true, OrgPrinting: true, OrgUnlocking: true, OrgScrap: true}
	for _, typ := range OrgTypes {
		if typ.Special() != special[typ] {
			t.Errorf("%s.Special() = %v; want %v", typ, typ.Special(), special[typ])
		}
	}
	if OrgType("bank").Special() {
		t.Error("an unknown type is flagged special")
	}
}

func TestOrgInspectionValidate(t *testing.T) {
	today := NewDate(2026, 11, 29)
	in := OrgInspection{OrgID: 1, Date: today, Passed: true}
	if err := in.Validate(today); err != nil {
		t.Fatalf("a passed inspection today: %v", err)
	}
	for _, c := range []struct {
		name  string
		field string
		in    OrgInspection
	}{
		{"no org", "org_id", OrgInspection{Date: today, Passed: true}},
		{"no date", "date", OrgInspection{OrgID: 1, Passed: true}},
		{"tomorrow", "date", OrgInspection{OrgID: 1, Date: today.AddDays(1), Passed: true}},
		{"failed without findings", "findings", OrgInspection{OrgID: 1, Date: today, Findings: "  "}},
	} {
		err := c.in.Validate(today)
		e, ok := err.(*Error)
		if !ok || e.Code != EInvalid || e.Fields[c.field] == "" || len(e.Fields) != 1 {
			t.Errorf("%s: Validate = %v (%+v); want invalid naming only %s", c.name, err, e, c.field)
		}
	}
}
