package cunjing

import "context"

// ContactCard is the police–citizen contact card (警民联系卡) of a village,
// grid or venue: who the officer is and how to reach him.
type ContactCard struct {
	Area          Area
	TownName      string
	Officers      []CardOfficer
	StationName   string
	StationPhone  string
	OfficeName    string
	OfficeAddress string
}

// CardOfficer is an officer as a card shows him.
type CardOfficer struct {
	Name         string
	PoliceNumber string
	Phone        string // on the printed card only, never on the public page
	Community    bool   // 社区民警 rather than 责任民警
}

// ContactCardService builds contact cards.
type ContactCardService interface {
	// ContactCards returns the cards of the areas under code that need an
	// officer (the area itself if it is one), by code, within scope; the
	// officers' phones are masked for a role that does not read personal
	// data.
	ContactCards(ctx context.Context, code string) ([]ContactCard, error)
	// PublicCard returns the card of one area for the public page, without
	// login and so without scope; officers' phones are left out.
	PublicCard(ctx context.Context, code string) (*ContactCard, error)
}
