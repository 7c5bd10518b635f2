package cunjing

import (
	"context"
	"slices"
	"strings"
)

// OrgType is the kind of an actual unit (实有单位): a business or
// organisation at an address, not a police unit.
type OrgType string

// Types of orgs. Special industries (特种行业) are licensed and inspected
// by the police: hotels, pawnshops, second-hand trade, printing,
// unlocking, scrap recycling; entertainment and internet cafés are public
// places the police inspect as closely.
const (
	OrgEnterprise    OrgType = "enterprise"    // 企业
	OrgShop          OrgType = "shop"          // 个体商户
	OrgSchool        OrgType = "school"        // 学校
	OrgHospital      OrgType = "hospital"      // 医院
	OrgHotel         OrgType = "hotel"         // 旅馆
	OrgInternetCafe  OrgType = "internet_cafe" // 网吧
	OrgEntertainment OrgType = "entertainment" // 娱乐场所
	OrgLogistics     OrgType = "logistics"     // 物流寄递
	OrgPawnshop      OrgType = "pawnshop"      // 典当
	OrgSecondHand    OrgType = "second_hand"   // 旧货
	OrgPrinting      OrgType = "printing"      // 印刷
	OrgUnlocking     OrgType = "unlocking"     // 开锁
	OrgScrap         OrgType = "scrap"         // 废旧金属收购
	OrgGovernment    OrgType = "government"    // 机关事业单位
	OrgOther         OrgType = "other"         // 其他
)

// OrgTypes lists the types.
var OrgTypes = []OrgType{OrgEnterprise, OrgShop, OrgSchool, OrgHospital, OrgHotel, OrgInternetCafe,
	OrgEntertainment, OrgLogistics, OrgPawnshop, OrgSecondHand, OrgPrinting, OrgUnlocking, OrgScrap,
	OrgGovernment, OrgOther}

// specialIndustries are the types flagged as special industries (特种行业)
// or public places under police supervision.
var specialIndustries = []OrgType{OrgHotel, OrgInternetCafe, OrgEntertainment, OrgPawnshop, OrgSecondHand,
	OrgPrinting, OrgUnlocking, OrgScrap, OrgLogistics}

// Special reports whether the type is a special industry.
func (t OrgType) Special() bool { return slices.Contains(specialIndustries, t) }

// Org is an actual unit: a business or organisation at an address, with
// the people the police deal with there.
type Org struct {
	ID              int64
	AreaCode        string
	AddressID       int64 // 0 when not yet placed
	AddressText     string
	Name            string
	CreditCode      string // 统一社会信用代码, optional for small shops
	Type            OrgType
	LegalRep        string
	SecurityContact string
	ContactPhone    string // personal data: masked in lists
	StaffCount      int
	Note            string
	Collection      Collection
}

// Validate checks an org on its own.
func (o *Org) Validate() error {
	fields := map[string]string{}
	o.Name = strings.Join(strings.Fields(o.Name), " ")
	switch {
	case o.Name == "":
		fields["name"] = "is required"
	case len([]rune(o.Name)) > 100 || strings.ContainsFunc(o.Name, isHidden):
		fields["name"] = "must be at most 100 printable characters"
	}
	if strings.TrimSpace(o.CreditCode) != "" {
		code, err := ParseCreditCode(o.CreditCode)
		if err != nil {
			fields["credit_code"] = err.(*Error).Fields["credit_code"]
		}
		o.CreditCode = code
	} else {
		o.CreditCode = ""
	}
	checkChoice(fields, "type", o.Type, OrgTypes)
	for key, name := range map[string]*string{"legal_rep": &o.LegalRep, "security_contact": &o.SecurityContact} {
		if *name == "" {
			continue
		}
		if n, err := NormalizePersonName(*name); err != nil {
			fields[key] = err.(*Error).Fields["name"]
		} else {
			*name = n
		}
	}
	if phone, ok := NormalizePhone(o.ContactPhone); ok {
		o.ContactPhone = phone
	} else if strings.TrimSpace(o.ContactPhone) != "" {
		fields["contact_phone"] = PhoneProblem
	} else {
		o.ContactPhone = ""
	}
	if o.StaffCount < 0 || o.StaffCount > 1000000 {
		fields["staff_count"] = "must be between 0 and 1000000"
	}
	if !validAreaOfPerson(o.AreaCode) && !(strings.Contains(o.AreaCode, "-S") && ValidAreaCode(o.AreaCode)) {
		fields["area_code"] = "must be the code of a village, community, grid or venue"
	}
	checkNote(fields, "note", &o.Note)
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the unit record is not valid", Fields: fields}
	}
	return nil
}

// OrgInspection is a police inspection of an org (安全检查).
type OrgInspection struct {
	ID        int64
	OrgID     int64
	Date      Date
	Inspector string // the account that recorded it
	Passed    bool
	Findings  string
}

// Validate checks an inspection on its own; today bounds the date. A
// failed inspection says what was found.
func (in *OrgInspection) Validate(today Date) error {
	fields := map[string]string{}
	if in.OrgID <= 0 {
		fields["org_id"] = "is required"
	}
	switch {
	case in.Date.IsZero():
		fields["date"] = "is required"
	case today.Before(in.Date):
		fields["date"] = "must not lie in the future"
	}
	checkNote(fields, "findings", &in.Findings)
	if !in.Passed && in.Findings == "" && fields["findings"] == "" {
		fields["findings"] = "are required when the inspection is failed"
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the inspection is not valid", Fields: fields}
	}
	return nil
}

// OrgFilter selects orgs for a list.
type OrgFilter struct {
	Under     string
	AddressID int64
	Type      OrgType
	Special   bool
	Query     string // name contains, or the credit code
	State     CollectState
	Page      Page
}

// OrgService keeps the actual units and their inspections.
type OrgService interface {
	// FindOrgs lists orgs in scope, phones masked.
	FindOrgs(ctx context.Context, f OrgFilter) ([]Org, string, error)
	// Org returns an org in scope (the phone read audited).
	Org(ctx context.Context, id int64) (*Org, error)
	// CreateOrg adds an org in scope; a credit code already registered is
	// a conflict.
	CreateOrg(ctx context.Context, o *Org) error
	// UpdateOrg changes an org in scope, the history kept.
	UpdateOrg(ctx context.Context, o Org) error
	// Inspections lists the inspections of an org, newest first.
	Inspections(ctx context.Context, orgID int64) ([]OrgInspection, error)
	// AddInspection records an inspection of an org in scope.
	AddInspection(ctx context.Context, in *OrgInspection) error
}
