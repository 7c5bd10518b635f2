package cunjing

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"
)

// ResidentCategory is how a person lives in the area (实有人口).
type ResidentCategory string

// Categories of residents.
const (
	CategoryRegistered ResidentCategory = "registered" // 户籍人口
	CategoryFloating   ResidentCategory = "floating"   // 流动人口
	CategoryOverseas   ResidentCategory = "overseas"   // 境外人员
)

// ResidentCategories lists the categories.
var ResidentCategories = []ResidentCategory{CategoryRegistered, CategoryFloating, CategoryOverseas}

// LeftBehind marks the left-behind (留守) among residents: elderly people
// and children whose family works elsewhere.
type LeftBehind string

// Left-behind groups; "" is none.
const (
	LeftBehindNone    LeftBehind = ""
	LeftBehindElderly LeftBehind = "elderly" // 留守老人
	LeftBehindChild   LeftBehind = "child"   // 留守儿童
)

// LeftBehinds lists the left-behind groups, none first.
var LeftBehinds = []LeftBehind{LeftBehindNone, LeftBehindElderly, LeftBehindChild}

// ResidentStatus says whether a resident still lives at his address.
type ResidentStatus string

// Statuses of residents; a change of status is kept in the history.
const (
	ResidentPresent  ResidentStatus = "present"   // 在住
	ResidentMovedOut ResidentStatus = "moved_out" // 迁出
	ResidentDeceased ResidentStatus = "deceased"  // 死亡
)

// ResidentStatuses lists the statuses.
var ResidentStatuses = []ResidentStatus{ResidentPresent, ResidentMovedOut, ResidentDeceased}

// DocKind is the identity document a resident is known by.
type DocKind string

// Identity documents: citizens by their ID number, foreigners by passport.
const (
	DocIDCard   DocKind = "id_card"  // 居民身份证
	DocPassport DocKind = "passport" // 护照
)

// Relation is a member's relation to the head of his household (与户主关系).
type Relation string

// Relations to the head of household.
const (
	RelationHead        Relation = "head"        // 户主
	RelationSpouse      Relation = "spouse"      // 配偶
	RelationChild       Relation = "child"       // 子女
	RelationParent      Relation = "parent"      // 父母
	RelationGrandchild  Relation = "grandchild"  // 孙子女
	RelationGrandparent Relation = "grandparent" // 祖父母
	RelationSibling     Relation = "sibling"     // 兄弟姐妹
	RelationOther       Relation = "other"       // 其他
)

// Relations lists the relations, head first.
var Relations = []Relation{RelationHead, RelationSpouse, RelationChild, RelationParent, RelationGrandchild,
	RelationGrandparent, RelationSibling, RelationOther}

// Resident is one person of the actual population. The ID number (or
// passport) identifies him in the whole database: one person, one record.
type Resident struct {
	ID          int64
	AreaCode    string // the village, community or grid he lives in
	AddressID   int64  // 0 when not yet placed at a standard address
	AddressText string // read only
	HouseholdID int64  // 0 when not in a household
	Relation    Relation
	DocKind     DocKind
	IDNumber    string // personal data: masked in lists; passport: country code + number
	Name        string
	Sex         string // "M" or "F"; from the ID number for citizens
	BirthDate   Date   // from the ID number for citizens
	NativePlace string // 6-digit region of the ID number; country code for passports
	Phone       string // personal data: masked in lists; shared within a family
	Category    ResidentCategory
	LeftBehind  LeftBehind
	Status      ResidentStatus
	Note        string
	Collection  Collection
}

// MaxNoteRunes bounds free-text notes and descriptions.
const MaxNoteRunes = 2000

// Validate normalises the fields people type in several ways and checks
// them; for an ID card it derives birth date, sex and native place from the
// number, so that they can never disagree. today bounds the birth date.
func (r *Resident) Validate(today Date) error {
	fields := map[string]string{}
	if name, err := NormalizePersonName(r.Name); err != nil {
		fields["name"] = err.(*Error).Fields["name"]
	} else {
		r.Name = name
	}
	r.checkDocument(today, fields)
	r.checkPhone(fields)
	if !validAreaOfPerson(r.AreaCode) {
		fields["area_code"] = "must be the code of a village, community or grid"
	}
	defaultTo(&r.Category, CategoryRegistered)
	defaultTo(&r.Status, ResidentPresent)
	checkChoice(fields, "category", r.Category, ResidentCategories)
	checkChoice(fields, "left_behind", r.LeftBehind, LeftBehinds)
	checkChoice(fields, "status", r.Status, ResidentStatuses)
	if r.HouseholdID != 0 || r.Relation != "" {
		checkChoice(fields, "relation", r.Relation, Relations)
	}
	checkNote(fields, "note", &r.Note)
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the resident record is not valid", Fields: fields}
	}
	return nil
}

// checkDocument reads the ID number or passport.
func (r *Resident) checkDocument(today Date, fields map[string]string) {
	defaultTo(&r.DocKind, DocIDCard)
	switch r.DocKind {
	case DocIDCard:
		id, err := ParseIDNumber(r.IDNumber, today)
		if err != nil {
			fields["id_number"] = err.(*Error).Fields["id_number"]
			return
		}
		r.IDNumber, r.BirthDate, r.NativePlace = id.Number, id.Birth, id.Region
		r.Sex = "M"
		if id.Female {
			r.Sex = "F"
		}
	case DocPassport:
		if number, ok := ParsePassport(r.IDNumber); ok {
			r.IDNumber, r.NativePlace = number, number[:3]
		} else {
			fields["id_number"] = "a passport is the 3-letter country code and the number, e.g. USA 123456789"
		}
		if r.Sex != "M" && r.Sex != "F" {
			fields["sex"] = "must be M or F"
		}
		if r.BirthDate.IsZero() || today.Before(r.BirthDate) {
			fields["birth_date"] = "must be a date in the past"
		}
	default:
		fields["doc_kind"] = "must be id_card or passport"
	}
}

// checkPhone normalises the phone, which is optional.
func (r *Resident) checkPhone(fields map[string]string) {
	if strings.TrimSpace(r.Phone) == "" {
		r.Phone = ""
		return
	}
	if phone, ok := NormalizePhone(r.Phone); ok {
		r.Phone = phone
		return
	}
	fields["phone"] = PhoneProblem
}

// PhoneProblem is the message for a phone number that is neither a mobile
// nor a landline.
const PhoneProblem = "must be a mainland mobile (11 digits) or landline (0375-2345678) number"

// ParsePassport reads a foreigner's passport as its ISSUING country (three
// letters, ICAO 9303) and number (5 to 17 letters and digits), in upper case
// with one space between: "USA 123456789".
func ParsePassport(text string) (string, bool) {
	s := strings.ToUpper(width.Narrow.String(strings.TrimSpace(text)))
	s = strings.Join(strings.Fields(s), "")
	if len(s) < 8 || len(s) > 20 || !isASCIIUpper(s[:3]) || !isAlnum(s[3:]) {
		return "", false
	}
	return s[:3] + " " + s[3:], true
}

func isASCIIUpper(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 'A' || r > 'Z' })
}

// validAreaOfPerson accepts the codes people live in: villages and
// communities (12 digits) and their grids.
func validAreaOfPerson(code string) bool {
	base, grid, hasGrid := strings.Cut(code, "-G")
	if len(base) != 12 || !allDigits(base) {
		return false
	}
	return !hasGrid || len(grid) == 2 && allDigits(grid)
}

// defaultTo sets *v to d when it is empty.
func defaultTo[T ~string](v *T, d T) {
	if *v == "" {
		*v = d
	}
}

// checkChoice records a problem when v is not one of choices.
func checkChoice[T ~string](fields map[string]string, key string, v T, choices []T) {
	if !slices.Contains(choices, v) {
		fields[key] = "must be one of " + joinKinds(choices)
	}
}

// checkNote trims a free text and bounds it; control characters other
// than line breaks are refused.
func checkNote(fields map[string]string, key string, note *string) {
	*note = strings.TrimSpace(*note)
	switch {
	case len([]rune(*note)) > MaxNoteRunes:
		fields[key] = "is longer than 2000 characters"
	case strings.ContainsFunc(*note, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }):
		fields[key] = "contains control characters"
	}
}

// ResidentFilter selects residents for a list; set conditions all apply.
type ResidentFilter struct {
	Under       string // area code: this area and below
	AddressID   int64
	HouseholdID int64
	Category    ResidentCategory
	LeftBehind  LeftBehind
	Status      ResidentStatus
	State       CollectState
	Page        Page
}

// Household is a 户: residents living together, one of them its head.
type Household struct {
	ID        int64
	AreaCode  string
	AddressID int64
	Number    string // 户号 from the household register, optional
	Members   []Resident
}

// Conflict is a claim on a person registered in an area the claimant
// cannot see: reported to both sides, never resolved by moving him
// silently.
type Conflict struct {
	ID         int64
	ResidentID int64
	HeldIn     string // area code the person is registered in
	ClaimedIn  string // area code where someone else found him
	ClaimedBy  string
	ClaimedAt  time.Time
	Name       string // read only, the person's name
	IDMasked   string // read only
	Resolved   bool
	ResolvedBy string
	Resolution string
	ResolvedAt time.Time
}

// ResidentService keeps the actual population. ID numbers and phones are
// personal data: masked in lists, full in the detail read, which is
// audited.
type ResidentService interface {
	// FindResidents lists residents in scope matching f, masked.
	FindResidents(ctx context.Context, f ResidentFilter) ([]Resident, string, error)
	// Resident returns one resident in scope, unmasked for roles that read
	// personal data (the read recorded), masked for the others.
	Resident(ctx context.Context, id int64) (*Resident, error)
	// CreateResident registers a person. An ID number already registered in
	// scope is a conflict naming the record; one registered outside scope
	// is reported to both sides as a Conflict and refused.
	CreateResident(ctx context.Context, r *Resident) error
	// UpdateResident changes a resident in scope; each changed field is
	// kept in the history.
	UpdateResident(ctx context.Context, r Resident) error
	// Household returns a household in scope with its members, masked.
	Household(ctx context.Context, id int64) (*Household, error)
	// CreateHousehold adds a household at an address in scope.
	CreateHousehold(ctx context.Context, h *Household) error
	// FindConflicts lists the open conflicts that touch the scope: persons
	// held in it claimed elsewhere, and claims made from it.
	FindConflicts(ctx context.Context, page Page) ([]Conflict, string, error)
	// ResolveConflict closes a conflict; moving the person is done by the
	// side that holds him, as an ordinary update.
	ResolveConflict(ctx context.Context, id int64, resolution string) error
}
