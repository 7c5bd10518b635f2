package cunjing

import "context"

// HouseUse is what a house is used for (实有房屋).
type HouseUse string

// Uses of houses; a rented house has its tenants registered.
const (
	HouseSelf       HouseUse = "self"       // 自住
	HouseRented     HouseUse = "rented"     // 出租
	HouseVacant     HouseUse = "vacant"     // 空置
	HouseCommercial HouseUse = "commercial" // 经营
	HouseMixed      HouseUse = "mixed"      // 混合
)

// HouseUses lists the uses.
var HouseUses = []HouseUse{HouseSelf, HouseRented, HouseVacant, HouseCommercial, HouseMixed}

// House is a house or flat at a standard address, with its owner — a
// resident or a unit (org) — and its use.
type House struct {
	ID            int64
	AreaCode      string // read only: the address's area
	AddressID     int64
	AddressText   string // read only
	OwnerResident int64  // 0 when owned by an org or unknown
	OwnerOrg      int64  // 0 when owned by a person or unknown
	OwnerName     string // read only
	Use           HouseUse
	FloorArea     float64 // m², 0 when unknown
	Note          string
	Collection    Collection
}

// Validate checks a house on its own; the store checks that the address
// and owner exist in scope.
func (h *House) Validate() error {
	fields := map[string]string{}
	if h.AddressID <= 0 {
		fields["address_id"] = "is required"
	}
	if h.OwnerResident != 0 && h.OwnerOrg != 0 {
		fields["owner"] = "is a resident or an org, not both"
	}
	checkChoice(fields, "use", h.Use, HouseUses)
	if h.FloorArea < 0 || h.FloorArea > 100000 || h.FloorArea != h.FloorArea {
		fields["floor_area"] = "must be between 0 and 100000 m²"
	}
	checkNote(fields, "note", &h.Note)
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the house record is not valid", Fields: fields}
	}
	return nil
}

// Rental is the registration of a tenant in a rented house (出租房屋登记).
type Rental struct {
	ID         int64
	HouseID    int64
	TenantID   int64  // a resident
	TenantName string // read only
	Start      Date
	End        Date // zero while the tenancy runs
}

// Validate checks the dates and references of a rental.
func (r *Rental) Validate() error {
	fields := map[string]string{}
	if r.HouseID <= 0 {
		fields["house_id"] = "is required"
	}
	if r.TenantID <= 0 {
		fields["tenant_id"] = "is required"
	}
	if r.Start.IsZero() {
		fields["start"] = "is required"
	}
	if !r.End.IsZero() && r.End.Before(r.Start) {
		fields["end"] = "must not be before the start"
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the rental is not valid", Fields: fields}
	}
	return nil
}

// HouseFilter selects houses for a list.
type HouseFilter struct {
	Under     string
	AddressID int64
	Use       HouseUse
	State     CollectState
	Page      Page
}

// HouseService keeps the actual housing and its rentals.
type HouseService interface {
	// FindHouses lists houses in scope.
	FindHouses(ctx context.Context, f HouseFilter) ([]House, string, error)
	// House returns a house in scope.
	House(ctx context.Context, id int64) (*House, error)
	// CreateHouse adds a house at an address in scope.
	CreateHouse(ctx context.Context, h *House) error
	// UpdateHouse changes a house in scope, the history kept.
	UpdateHouse(ctx context.Context, h House) error
	// Rentals lists the tenancies of a house in scope, running ones first.
	Rentals(ctx context.Context, houseID int64) ([]Rental, error)
	// AddRental registers a tenant of a house in scope; the house becomes
	// rented (or mixed) if it was not.
	AddRental(ctx context.Context, r *Rental) error
	// EndRental ends a tenancy on the given day.
	EndRental(ctx context.Context, id int64, end Date) error
}
