package cunjing

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// DualPostKind is the village post an officer holds alongside his police
// work (两任).
type DualPostKind string

// Posts an officer may hold in a village.
const (
	DualPartySecretary  DualPostKind = "party_secretary"  // 村党支部书记
	DualPartyDeputy     DualPostKind = "party_deputy"     // 村党支部副书记
	DualPartyMember     DualPostKind = "party_member"     // 村党支部委员
	DualCommitteeDeputy DualPostKind = "committee_deputy" // 村委会副主任
	DualCommitteeMember DualPostKind = "committee_member" // 村委会委员
)

// DualPostKinds lists the posts.
var DualPostKinds = []DualPostKind{DualPartySecretary, DualPartyDeputy, DualPartyMember, DualCommitteeDeputy, DualCommitteeMember}

// DualPost is an officer's concurrent post in a village Party branch or
// village committee.
type DualPost struct {
	ID          int64
	StaffID     int64
	AreaCode    string
	Post        DualPostKind
	AppointedOn Date
	DocumentNo  string // 任职文号
	EndedOn     Date   // zero while held

	StaffName string // read only
	AreaName  string // read only
}

// Validate checks a dual post on its own.
func (p *DualPost) Validate() error {
	fields := map[string]string{}
	if p.StaffID <= 0 {
		fields["staff_id"] = "required"
	}
	if level, err := LevelOfCode(p.AreaCode); err != nil || level != LevelVillage {
		fields["area_code"] = "must be the 12-digit code of a village or community"
	}
	if !slices.Contains(DualPostKinds, p.Post) {
		fields["post"] = "must be one of " + joinKinds(DualPostKinds)
	}
	if p.AppointedOn.IsZero() {
		fields["appointed_on"] = "required (YYYY-MM-DD)"
	}
	if !p.EndedOn.IsZero() && p.EndedOn.Before(p.AppointedOn) {
		fields["ended_on"] = "cannot be before the appointment"
	}
	p.DocumentNo = strings.TrimSpace(p.DocumentNo)
	if utf8.RuneCountInString(p.DocumentNo) > 50 {
		fields["document_no"] = "at most 50 characters"
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the dual post is not valid", Fields: fields}
	}
	return nil
}

// DualPostTally counts the village-tier areas with an officer holding a
// dual post now, of all village-tier areas.
type DualPostTally struct {
	Areas int
	Held  int
}

// DualPostService keeps officers' dual posts.
type DualPostService interface {
	// AddDualPost records a dual post and returns its ID.
	AddDualPost(ctx context.Context, p DualPost) (int64, error)
	// AddDualPosts records dual posts as AddDualPost does each, in one
	// transaction, and returns their IDs in order. A refused post is named
	// by an *ItemError, and then none is recorded.
	AddDualPosts(ctx context.Context, posts []DualPost) ([]int64, error)
	// EndDualPost ends a dual post on a day.
	EndDualPost(ctx context.Context, id int64, end Date) error
	// DualPosts lists the dual posts under an area code, held ones first.
	DualPosts(ctx context.Context, under string, staffID int64) ([]DualPost, error)
	// DualPostTally counts the village-tier areas under an area code and
	// those with a dual post held today.
	DualPostTally(ctx context.Context, under string) (DualPostTally, error)
	// DualPostsByChild is DualPostTally for each child of an area code
	// that has villages, by the child's code.
	DualPostsByChild(ctx context.Context, under string) (map[string]DualPostTally, error)
}
