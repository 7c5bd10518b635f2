package cunjing

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// StandardItem is one item of the construction standard of police offices
// and work stations (signage, office space, equipment, duty board…), worth
// some points. The list is data, kept by the city bureau.
type StandardItem struct {
	Code   string
	Name   string
	Points int
}

// Validate checks an item.
func (i *StandardItem) Validate() error {
	fields := map[string]string{}
	i.Code, i.Name = strings.TrimSpace(i.Code), strings.TrimSpace(i.Name)
	if i.Code == "" || len(i.Code) > 30 || !isSlug(i.Code) {
		fields["code"] = "1–30 lower-case letters, digits and underscores"
	}
	if i.Name == "" || utf8.RuneCountInString(i.Name) > 50 {
		fields["name"] = "must be 1–50 characters"
	}
	if i.Points < 1 || i.Points > 100 {
		fields["points"] = "must be 1–100"
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the standard item is not valid", Fields: fields}
	}
	return nil
}

// OfficeCheck is the result of one standard item at an office.
type OfficeCheck struct {
	Item      string
	Met       bool
	Note      string
	CheckedBy string
	CheckedAt time.Time
}

// OfficeInspection is the results of some items at one office or work
// station, by its unit code.
type OfficeInspection struct {
	Unit   string
	Checks []OfficeCheck
}

// OfficeProfile is a police office or work station (警务室、警务工作站):
// the villages it serves, its staff, location, standard score, feature
// ("一室一亮点、一站一特色") and photos.
type OfficeProfile struct {
	Unit        Unit
	StationName string
	Location    *Point
	Feature     string
	Villages    []Area
	Staff       []Staff // phones masked
	Items       []StandardItem
	Checks      map[string]OfficeCheck // by item code
	Score       int                    // points met
	MaxScore    int
	Photos      []Photo // without data
}

// Percent is the score as a share of the maximum, 0–100.
func (p *OfficeProfile) Percent() int {
	if p.MaxScore == 0 {
		return 0
	}
	return p.Score * 100 / p.MaxScore
}

// OfficePassPercent is the score, in percent of the maximum, an office
// must reach to meet the construction standard: lists of offices "below
// standard" show those under it. A constant, not a setting: the standard's
// items and points are the setting.
const OfficePassPercent = 80

// MaxOfficePhotos bounds the photos kept of one office.
const MaxOfficePhotos = 12

// OfficeScore is one line of the list of offices by score.
type OfficeScore struct {
	Unit     Unit
	Score    int
	MaxScore int
	Checked  int // items checked at all
}

// Percent is the score as a share of the maximum, 0–100.
func (s OfficeScore) Percent() int {
	if s.MaxScore == 0 {
		return 0
	}
	return s.Score * 100 / s.MaxScore
}

// OfficeUpdate changes the descriptive fields of an office.
type OfficeUpdate struct {
	Location *Point
	Feature  *string
}

// OfficeService keeps police offices and work stations.
type OfficeService interface {
	// StandardItems lists the construction-standard items.
	StandardItems(ctx context.Context) ([]StandardItem, error)
	// SaveStandardItems replaces the list of items; the checks of items
	// removed are kept in history but no longer score.
	SaveStandardItems(ctx context.Context, items []StandardItem) error
	// Office returns the profile of an office or work station.
	Office(ctx context.Context, code string) (*OfficeProfile, error)
	// UpdateOffice changes the location or feature of an office.
	UpdateOffice(ctx context.Context, code string, up OfficeUpdate) error
	// CheckOffice records the results of some items at an office.
	CheckOffice(ctx context.Context, code string, checks []OfficeCheck) error
	// CheckOffices records inspections as CheckOffice does each, in one
	// transaction. A refused inspection is named by an *ItemError (whose
	// error may name the check by another), and then none is recorded.
	CheckOffices(ctx context.Context, inspections []OfficeInspection) error
	// OfficeScores lists the offices and work stations under an area code
	// scoring below percent (100 lists all), lowest first.
	OfficeScores(ctx context.Context, under string, below int) ([]OfficeScore, error)
	// AddOfficePhoto stores a photo of an office and returns its ID.
	AddOfficePhoto(ctx context.Context, code string, p Photo) (int64, error)
	// OfficePhoto returns one photo of an office.
	OfficePhoto(ctx context.Context, code string, id int64) (*Photo, error)
}

func isSlug(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_'
	})
}
