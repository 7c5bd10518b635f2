package cunjing

import (
	"context"
	"time"
)

// VisitKind is what a visit was for.
type VisitKind string

// Kinds of visits.
const (
	VisitCampaign  VisitKind = "campaign"   // 大走访
	VisitHousehold VisitKind = "household"  // 百万警进千万家 入户走访
	VisitSafety    VisitKind = "safety"     // 安全检查
	VisitDispute   VisitKind = "dispute"    // 矛盾纠纷排查
	VisitPublicity VisitKind = "publicity"  // 法制宣传
	VisitKeyPerson VisitKind = "key_person" // 重点人员回访
	VisitEpidemic  VisitKind = "epidemic"   // 疫情防控
	VisitOther     VisitKind = "other"      // 其他
)

// VisitKinds lists the kinds.
var VisitKinds = []VisitKind{VisitCampaign, VisitHousehold, VisitSafety, VisitDispute, VisitPublicity,
	VisitKeyPerson, VisitEpidemic, VisitOther}

// VisitTarget is what was visited: the target's kind names the table of
// TargetID; an area visit has no ID.
type VisitTarget string

// Targets of visits.
const (
	TargetHousehold VisitTarget = "household"
	TargetResident  VisitTarget = "resident"
	TargetOrg       VisitTarget = "org"
	TargetArea      VisitTarget = "area" // a village, grid or venue as a whole
)

// VisitTargets lists the targets.
var VisitTargets = []VisitTarget{TargetHousehold, TargetResident, TargetOrg, TargetArea}

// Visit is one entry of an officer's work ledger (工作台账): who went
// where, when, for what, and what he found.
type Visit struct {
	ID          int64
	AreaCode    string
	Date        Date
	Kind        VisitKind
	Target      VisitTarget
	TargetID    int64
	TargetName  string // read only: masked for a person
	Officer     string // the account that logged it: set by the store
	OfficerName string // read only
	Content     string
	Problems    string // problems found; may later become a dispute or hazard
	Location    *Point
	Photos      int // read only: how many photos
	CreatedAt   time.Time
}

// Validate checks a visit on its own; today bounds the date.
func (v *Visit) Validate(today Date) error {
	fields := map[string]string{}
	checkChoice(fields, "kind", v.Kind, VisitKinds)
	checkChoice(fields, "target", v.Target, VisitTargets)
	if v.Target != TargetArea && v.Target != "" && v.TargetID <= 0 {
		fields["target_id"] = "is required for a " + string(v.Target)
	}
	if v.Target == TargetArea && !ValidAreaCode(v.AreaCode) {
		fields["area_code"] = "is required for an area: the code of the village, grid or venue visited"
	}
	switch {
	case v.Date.IsZero():
		fields["date"] = "is required"
	case today.Before(v.Date):
		fields["date"] = "must not lie in the future"
	}
	checkNote(fields, "content", &v.Content)
	checkNote(fields, "problems", &v.Problems)
	if v.Content == "" {
		fields["content"] = "is required"
	}
	if v.Location != nil && !v.Location.Valid() {
		fields["location"] = PointProblem
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the visit is not valid", Fields: fields}
	}
	return nil
}

// LedgerFilter selects the visits of a ledger: one month of an officer's
// work, or of an area's.
type LedgerFilter struct {
	Under   string // area code
	Officer string // account name
	Month   string // YYYY-MM, Asia/Shanghai
	Kind    VisitKind
	Page    Page
}

// LedgerCount is the number of visits of one kind.
type LedgerCount struct {
	Kind  VisitKind
	Count int
}

// VisitService keeps the visits and the ledger they make.
type VisitService interface {
	// CreateVisit logs a visit by the caller to a target in scope.
	CreateVisit(ctx context.Context, v *Visit) error
	// Visit returns a visit in scope.
	Visit(ctx context.Context, id int64) (*Visit, error)
	// FindVisits lists the visits of a ledger, by date then ID.
	FindVisits(ctx context.Context, f LedgerFilter) ([]Visit, string, error)
	// LedgerCounts counts the visits of a ledger by kind.
	LedgerCounts(ctx context.Context, f LedgerFilter) ([]LedgerCount, error)
	// AddVisitPhoto attaches a photo to a visit the caller logged, up to
	// MaxVisitPhotos.
	AddVisitPhoto(ctx context.Context, visitID int64, p Photo) error
	// VisitPhotos lists the photos of a visit in scope, without their data.
	VisitPhotos(ctx context.Context, visitID int64) ([]Photo, error)
	// VisitPhoto returns one photo of a visit in scope, with its data.
	VisitPhoto(ctx context.Context, visitID, photoID int64) (*Photo, error)
}

// MaxVisitPhotos bounds the photos of one visit.
const MaxVisitPhotos = 9
