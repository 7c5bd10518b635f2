package cunjing

import (
	"testing"
)

// residentToday is the day the resident tests validate on.
var residentToday = NewDate(2026, 11, 29)

// validResident is a resident that Validate accepts, to be varied.
func validResident() Resident {
	return Resident{AreaCode: "410423100201", IDNumber: "11010519491231002X", Name: "张三"}
}

func TestResidentValidateDerivesBirthSexAndNativePlaceFromTheIDNumber(t *testing.T) {
	r := validResident()
	r.IDNumber = "１１０１０５１９４９１２３１００２x"
	r.Sex, r.BirthDate, r.NativePlace = "M", NewDate(2000, 1, 1), "999999" // typed wrongly: the number decides
	if err := r.Validate(residentToday); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if r.IDNumber != "11010519491231002X" || r.BirthDate.String() != "1949-12-31" || r.Sex != "F" || r.NativePlace != "110105" {
		t.Errorf("got number %s, born %s, sex %s, from %s; want 11010519491231002X, 1949-12-31, F, 110105",
			r.IDNumber, r.BirthDate, r.Sex, r.NativePlace)
	}
	if r.DocKind != DocIDCard || r.Category != CategoryRegistered || r.Status != ResidentPresent {
		t.Errorf("defaults: doc %q, category %q, status %q; want id_card, registered, present", r.DocKind, r.Category, r.Status)
	}
}

func TestResidentValidateConvertsA15DigitNumber(t *testing.T) {
	r := validResident()
	r.IDNumber = "110105491231002"
	if err := r.Validate(residentToday); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if r.IDNumber != "11010519491231002X" || r.BirthDate.String() != "1949-12-31" {
		t.Errorf("15-digit number read as %s born %s; want 11010519491231002X born 1949-12-31", r.IDNumber, r.BirthDate)
	}
}

func TestResidentValidateRefusesAWrongCheckDigitNamingTheField(t *testing.T) {
	r := validResident()
	r.IDNumber = "530102192005080119" // the valid number ends in X
	err := r.Validate(residentToday)
	e, ok := err.(*Error)
	if !ok || e.Code != EInvalid || e.Fields["id_number"] == "" {
		t.Fatalf("Validate = %v; want invalid naming id_number", err)
	}
	if len(e.Fields) != 1 {
		t.Errorf("fields = %v; want only id_number", e.Fields)
	}
	r.IDNumber = "53010219200508011X"
	if err := r.Validate(residentToday); err != nil {
		t.Errorf("the same number with its right check character: %v", err)
	}
}

func TestResidentValidateReadsAPassport(t *testing.T) {
	r := Resident{AreaCode: "410423100201", DocKind: DocPassport, IDNumber: " usa 1234 56789 ", Name: "John Smith",
		Sex: "M", BirthDate: NewDate(1980, 5, 6), Category: CategoryOverseas}
	if err := r.Validate(residentToday); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if r.IDNumber != "USA 123456789" || r.NativePlace != "USA" || r.BirthDate.String() != "1980-05-06" || r.Sex != "M" {
		t.Errorf("passport read as %q from %q born %s sex %s; want USA 123456789 from USA", r.IDNumber, r.NativePlace, r.BirthDate, r.Sex)
	}
	bad := Resident{AreaCode: "410423100201", DocKind: DocPassport, IDNumber: "123456789", Name: "John Smith"}
	e, _ := bad.Validate(residentToday).(*Error)
	if e == nil || e.Fields["id_number"] == "" || e.Fields["sex"] == "" || e.Fields["birth_date"] == "" {
		t.Errorf("a passport without country, sex and birth date: %+v; want id_number, sex and birth_date named", e)
	}
}

func TestResidentValidateNormalisesThePhone(t *testing.T) {
	for in, want := range map[string]string{
		"+86 138 1234 5678": "13812345678",
		"138-1234-5678":     "13812345678",
		"１３８１２３４５６７８":       "13812345678",
		"0375 2345678":      "0375-2345678",
		"  ":                "",
	} {
		r := validResident()
		r.Phone = in
		if err := r.Validate(residentToday); err != nil || r.Phone != want {
			t.Errorf("phone %q → %q, %v; want %q", in, r.Phone, err, want)
		}
	}
	r := validResident()
	r.Phone = "12345"
	if e, _ := r.Validate(residentToday).(*Error); e == nil || e.Fields["phone"] != PhoneProblem {
		t.Errorf("phone 12345: %+v; want the phone named", e)
	}
}

func TestResidentValidateRefusesHiddenCharactersAndKeepsRareOnes(t *testing.T) {
	for _, name := range []string{"张\u200b三", "张\x00三", "张\u202e三"} {
		r := validResident()
		r.Name = name
		if e, _ := r.Validate(residentToday).(*Error); e == nil || e.Fields["name"] == "" {
			t.Errorf("name %q: %+v; want the name refused", name, e)
		}
	}
	r := validResident()
	r.Note = "好\x00人"
	if e, _ := r.Validate(residentToday).(*Error); e == nil || e.Fields["note"] == "" {
		t.Errorf("note with NUL: %+v; want the note refused", e)
	}
	r = validResident()
	r.Name = "𠈌三"
	if err := r.Validate(residentToday); err != nil || r.Name != "𠈌三" {
		t.Errorf("name 𠈌三 → %q, %v; want it kept as typed", r.Name, err)
	}
}

func TestResidentValidateNamesEachBadChoice(t *testing.T) {
	r := validResident()
	r.AreaCode, r.Category, r.LeftBehind, r.Status, r.HouseholdID = "410423100", "tourist", "orphan", "gone", 7
	e, _ := r.Validate(residentToday).(*Error)
	if e == nil {
		t.Fatal("accepted")
	}
	for _, f := range []string{"area_code", "category", "left_behind", "status", "relation"} {
		if e.Fields[f] == "" {
			t.Errorf("field %s not named in %v", f, e.Fields)
		}
	}
}
