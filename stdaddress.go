package cunjing

import (
	"context"
	"strings"
)

// StdAddress is a standard address (标准地址): a place in an area, down to
// the room — road or natural village (自然村/组), house number, building,
// entrance (单元) and room — with optional coordinates. Two addresses of
// one area with the same key are the same place.
type StdAddress struct {
	ID          int64
	AreaCode    string
	Street      string // 路/街/巷, or 自然村/组 in the countryside
	HouseNumber string // 门牌号: "12" or "12号"
	Building    string // 栋
	Entrance    string // 单元
	Room        string // 室
	Text        string // the whole address, composed from the parts
	Key         string // AddressKey(Text): read only
	Location    *Point
	Collection  Collection
}

// addressParts are the parts of an address and the word each ends with
// when the user leaves it out.
var addressParts = []struct {
	field, suffix string
	value         func(*StdAddress) *string
}{
	{"street", "", func(a *StdAddress) *string { return &a.Street }},
	{"house_number", "号", func(a *StdAddress) *string { return &a.HouseNumber }},
	{"building", "栋", func(a *StdAddress) *string { return &a.Building }},
	{"entrance", "单元", func(a *StdAddress) *string { return &a.Entrance }},
	{"room", "室", func(a *StdAddress) *string { return &a.Room }},
}

// Validate trims the parts, composes the text and key, and checks that
// the address names a street or village and fits the form.
func (a *StdAddress) Validate() error {
	fields := map[string]string{}
	var text strings.Builder
	for _, part := range addressParts {
		v := part.value(a)
		*v = strings.Join(strings.Fields(*v), " ")
		switch {
		case len([]rune(*v)) > 50:
			fields[part.field] = "is longer than 50 characters"
		case strings.ContainsFunc(*v, isHidden):
			fields[part.field] = "contains invisible or control characters"
		case *v != "":
			text.WriteString(*v)
			if part.suffix != "" && !strings.HasSuffix(AddressKey(*v), part.suffix) {
				text.WriteString(part.suffix)
			}
		}
	}
	if a.Street == "" {
		fields["street"] = "is required: the road, street or natural village"
	}
	if level, err := LevelOfCode(a.AreaCode); !validAreaOfPerson(a.AreaCode) && (err != nil || level != LevelVenue) {
		fields["area_code"] = "must be the code of a village, community, grid or venue"
	}
	if a.Location != nil && !a.Location.Valid() {
		fields["location"] = PointProblem
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the address is not valid", Fields: fields}
	}
	a.Text = text.String()
	a.Key = AddressKey(a.Text)
	return nil
}

// AddressFilter selects addresses for a list.
type AddressFilter struct {
	Under  string
	Street string // the street or village part starts with
	State  CollectState
	Page   Page
}

// AddressService keeps the standard addresses.
type AddressService interface {
	// FindAddresses lists addresses in scope, by area then key.
	FindAddresses(ctx context.Context, f AddressFilter) ([]StdAddress, string, error)
	// Address returns an address in scope.
	Address(ctx context.Context, id int64) (*StdAddress, error)
	// CreateAddress adds an address to an area in scope; one with the same
	// key in the area is a conflict naming it.
	CreateAddress(ctx context.Context, a *StdAddress) error
	// UpdateAddress changes an address in scope, the history kept.
	UpdateAddress(ctx context.Context, a StdAddress) error
}
