package cunjing

import (
	"context"
	"time"
)

// CollectState is where a record collected in the field stands in the
// station's review.
type CollectState string

// Review states: collected in the field, verified by the station, or
// returned to the collector with a reason.
const (
	StateCollected CollectState = "collected" // 已采集
	StateVerified  CollectState = "verified"  // 已核实
	StateReturned  CollectState = "returned"  // 已退回
)

// CollectStates lists the review states.
var CollectStates = []CollectState{StateCollected, StateVerified, StateReturned}

// Collection is who collected a record, when, and how the station's review
// of it stands. Every basic-information record carries one; requests
// cannot set it.
type Collection struct {
	CollectedBy string
	CollectedAt time.Time
	State       CollectState
	Reason      string // why it was returned
	ReviewedBy  string
	ReviewedAt  time.Time
	UpdatedAt   time.Time
}

// RecordKind names a kind of basic-information record, as it appears in
// object names ("resident:12"), history and review.
type RecordKind string

// Kinds of basic-information records.
const (
	RecordAddress   RecordKind = "address"
	RecordResident  RecordKind = "resident"
	RecordHousehold RecordKind = "household"
	RecordHouse     RecordKind = "house"
	RecordOrg       RecordKind = "org"
)

// RecordKinds lists the kinds that are reviewed.
var RecordKinds = []RecordKind{RecordAddress, RecordResident, RecordHouse, RecordOrg}

// Change is one field of a record changed: kept for ever and shown on the
// record. Personal values (ID numbers, phones) are kept masked.
type Change struct {
	ID     int64
	Kind   RecordKind
	Record int64
	Field  string
	Old    string
	New    string
	By     string
	At     time.Time
}

// Review is the station's decision on a collected record.
type Review struct {
	Kind   RecordKind
	Record int64
	Verify bool   // true verifies, false returns
	Reason string // required when returning
}

// ReviewItem is a record awaiting review, as the station's queue lists it.
type ReviewItem struct {
	Kind        RecordKind
	Record      int64
	AreaCode    string
	Summary     string // name, address or unit name; masked
	CollectedBy string
	CollectedAt time.Time
	State       CollectState
	Reason      string
}

// ReviewFilter selects the review queue.
type ReviewFilter struct {
	Under string
	Kind  RecordKind
	State CollectState // default collected
	Page  Page
}

// Completeness is how far collection has gone in an area: the figures a
// station watches for each village.
type Completeness struct {
	AreaCode             string
	AreaName             string
	Addresses            int
	AddressesWithHouse   int
	Houses               int
	HousesWithResidents  int
	Residents            int
	ResidentsWithPhone   int
	ResidentsWithAddress int
	Orgs                 int
	Verified             int // records of every kind verified
	Collected            int // records of every kind awaiting review
	Returned             int
}

// ReviewService is the station's review of collected records and the
// history of every change.
type ReviewService interface {
	// FindReviews lists records in scope by review state, oldest first.
	FindReviews(ctx context.Context, f ReviewFilter) ([]ReviewItem, string, error)
	// ReviewRecords verifies or returns records in scope, in one
	// transaction; a return needs a reason.
	ReviewRecords(ctx context.Context, reviews []Review) error
	// History lists the changes of a record in scope, newest first.
	History(ctx context.Context, kind RecordKind, id int64) ([]Change, error)
	// Completeness returns the figures of each child of the area, and of
	// the area itself first.
	Completeness(ctx context.Context, under string) ([]Completeness, error)
}
