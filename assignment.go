package cunjing

import (
	"context"
	"slices"
	"time"
)

// PostRole is the part a member of staff plays for an area
// (一村一警: the responsible officer and his helpers).
type PostRole string

// Roles of an assignment. The responsible officer (包村/责任民警) and the
// community officer (社区民警) are the "one officer" of their area.
const (
	PostResponsible     PostRole = "responsible"       // 包村/责任民警
	PostCommunity       PostRole = "community_officer" // 社区民警
	PostAuxiliary       PostRole = "auxiliary"         // 辅警
	PostCadre           PostRole = "cadre"             // 包村干部
	PostPatrol          PostRole = "patrol"            // 巡防队员
	PostSecurity        PostRole = "security_staff"    // 治保人员
	PostVillageOfficial PostRole = "village_official"  // 大学生村官
	PostLegalAdvisor    PostRole = "legal_advisor"     // 法律顾问
	PostMediator        PostRole = "mediator"          // 调解员
)

// PostRoles lists the roles, the officers' first.
var PostRoles = []PostRole{PostResponsible, PostCommunity, PostAuxiliary, PostCadre, PostPatrol, PostSecurity,
	PostVillageOfficial, PostLegalAdvisor, PostMediator}

// IsOfficerPost reports whether the role is held by the area's police
// officer: an area is covered when one of these is filled.
func (r PostRole) IsOfficerPost() bool {
	return r == PostResponsible || r == PostCommunity
}

// StaffKind returns the kind of staff the role must be held by.
func (r PostRole) StaffKind() StaffKind {
	if r.IsOfficerPost() {
		return StaffOfficer
	}
	return StaffKind(r)
}

// Assignment puts a member of staff on an area in a role from Start until
// the day before End. History is kept: a reassignment ends the old record
// and starts a new one, and nothing is overwritten.
type Assignment struct {
	ID       int64
	StaffID  int64
	AreaCode string
	Role     PostRole
	Start    Date
	End      Date // zero while the assignment is open (in force)
	Note     string

	// Read only, for lists.
	StaffName    string
	StaffKind    StaffKind
	PoliceNumber string
	AreaName     string
}

// Active reports whether the assignment is in force on day d.
func (a *Assignment) Active(d Date) bool {
	return !d.Before(a.Start) && (a.End.IsZero() || d.Before(a.End))
}

// Open reports whether the assignment has not been ended.
func (a *Assignment) Open() bool { return a.End.IsZero() }

// AssignRequest asks for a member of staff to take a role for an area from
// a day. With Replace, the open assignments of the same role for the area
// end that day (a reassignment).
type AssignRequest struct {
	StaffID  int64
	AreaCode string
	Role     PostRole
	Start    Date
	Replace  bool
	Note     string
}

// Validate checks the request on its own; the store checks staff, area,
// scope, overlaps and the staffing model.
func (r *AssignRequest) Validate(today Date) error {
	fields := map[string]string{}
	if r.StaffID <= 0 {
		fields["staff_id"] = "required"
	}
	if !ValidAreaCode(r.AreaCode) {
		fields["area_code"] = "must be an area code"
	}
	if !slices.Contains(PostRoles, r.Role) {
		fields["role"] = "must be one of " + joinKinds(PostRoles)
	}
	switch {
	case r.Start.IsZero():
		fields["start"] = "required (YYYY-MM-DD)"
	case today.Before(r.Start):
		fields["start"] = "cannot be in the future: the register records posts taken"
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the assignment is not valid", Fields: fields}
	}
	return nil
}

// AssignmentFilter selects assignments: all conditions that are set apply.
type AssignmentFilter struct {
	Area    string // of exactly this area
	Under   string // of this area or any below it
	StaffID int64
	Role    PostRole
	On      Date // in force on this day
	Open    bool // not ended
	Page    Page
}

// AssignmentService keeps who is posted where.
type AssignmentService interface {
	// Assign records an assignment and returns it. A role already filled for
	// the area is a conflict unless Replace is set or the area's staffing
	// model allows several.
	Assign(ctx context.Context, r AssignRequest) (*Assignment, error)
	// AssignAll records several assignments in one transaction: all or
	// none. A failure is an ItemError naming the request.
	AssignAll(ctx context.Context, reqs []AssignRequest) ([]Assignment, error)
	// EndAssignment ends an open assignment on the day given.
	EndAssignment(ctx context.Context, id int64, end Date) error
	// FindAssignments lists assignments, the latest recorded first.
	FindAssignments(ctx context.Context, f AssignmentFilter) ([]Assignment, string, error)
}

// Date is a calendar day in Shanghai, the unit of assignment and
// appointment dates. The zero Date is "no date".
type Date struct{ t time.Time }

// ParseDate reads a date as 2006-01-02; "" is the zero date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, Errorf(EInvalid, "%q is not a date (YYYY-MM-DD)", s)
	}
	return Date{t}, nil
}

// DateOf returns the day in Shanghai of an instant.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// NewDate returns the date of year, month and day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// String formats the date as 2006-01-02, "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Before reports whether d is an earlier day than e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// AddDays returns the day n days after d.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Time returns midnight of the day in Shanghai.
func (d Date) Time() time.Time {
	return time.Date(d.t.Year(), d.t.Month(), d.t.Day(), 0, 0, 0, 0, Shanghai)
}

// MarshalText writes the date as 2006-01-02.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date as 2006-01-02.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	*d = v
	return err
}
