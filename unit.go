package cunjing

import (
	"context"
	"strings"
	"unicode/utf8"
)

// UnitKind is the kind of a police unit (公安机关 and its branches).
type UnitKind string

// Kinds of police units, from the top of the org tree.
const (
	UnitBureau      UnitKind = "bureau"      // 公安局 (city or county)
	UnitStation     UnitKind = "station"     // 派出所
	UnitOffice      UnitKind = "office"      // 警务室
	UnitWorkstation UnitKind = "workstation" // 警务工作站
)

// UnitKinds lists the kinds from the top down.
var UnitKinds = []UnitKind{UnitBureau, UnitStation, UnitOffice, UnitWorkstation}

// Unit is a node of the police org tree. Its jurisdiction is a set of area
// codes (each meaning that area and everything under it) and lies inside its
// parent's.
type Unit struct {
	Code         string // 12-digit organisation code
	Name         string
	Kind         UnitKind
	ParentCode   string // "" for the top bureau
	Address      string
	Phone        string
	Jurisdiction []string
}

// UnitDetail is a unit with its ancestors (top first) and the number of units
// of each kind below it.
type UnitDetail struct {
	Unit
	Ancestors []Unit
	Counts    map[UnitKind]int
}

// UnitFilter selects units for a list: all conditions that are set apply.
type UnitFilter struct {
	Parent string // direct children of this unit
	Under  string // every unit strictly below this unit
	Kind   UnitKind
	Query  string // name contains
	Area   string // units whose jurisdiction covers this area code
	Within string // units with part of their jurisdiction inside this area
	Page   Page
}

// UnitService reads and writes the police org tree.
type UnitService interface {
	// UnitDetail returns the unit, its ancestors and its counts.
	UnitDetail(ctx context.Context, code string) (*UnitDetail, error)
	// FindUnits lists units matching the filter, ordered by code.
	FindUnits(ctx context.Context, f UnitFilter) ([]Unit, string, error)
	// CreateUnits adds units in one transaction, parents before children; each
	// jurisdiction must lie inside the parent's and name existing areas.
	CreateUnits(ctx context.Context, units []Unit) error
}

// Validate checks the fields a unit must have on its own.
func (u *Unit) Validate() error {
	fields := map[string]string{}
	if len(u.Code) != 12 || !allDigits(u.Code) {
		fields["code"] = "must be a 12-digit organisation code"
	}
	if name := strings.TrimSpace(u.Name); name == "" || utf8.RuneCountInString(name) > 100 {
		fields["name"] = "must be 1–100 characters"
	}
	if !validUnitKind(u.Kind) {
		fields["kind"] = "must be bureau, station, office or workstation"
	}
	if u.ParentCode == u.Code {
		fields["parent_code"] = "a unit cannot be its own parent"
	}
	for _, c := range u.Jurisdiction {
		if !ValidAreaCode(c) {
			fields["jurisdiction"] = "contains a malformed area code: " + c
			break
		}
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "unit " + u.Code + " is not valid", Fields: fields}
	}
	return nil
}

// Covers reports whether a jurisdiction includes the area code: the code is
// one of its areas or lies under one.
func Covers(jurisdiction []string, code string) bool {
	for _, j := range jurisdiction {
		if strings.HasPrefix(code, j) {
			return true
		}
	}
	return false
}

func validUnitKind(k UnitKind) bool {
	for _, known := range UnitKinds {
		if k == known {
			return true
		}
	}
	return false
}
