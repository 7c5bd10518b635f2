package cunjing

import (
	"bytes"
	"context"
	"image"
	_ "image/jpeg" // photos
	_ "image/png"  // photos
	"slices"
	"strings"
	"time"
)

// StaffKind is what a member of the force is: police officer, auxiliary
// police, or one of the civilians who work the villages with them.
type StaffKind string

// Kinds of staff (DESIGN.md §2).
const (
	StaffOfficer         StaffKind = "officer"          // 民警
	StaffAuxiliary       StaffKind = "auxiliary"        // 辅警
	StaffCadre           StaffKind = "cadre"            // 包村干部
	StaffPatrol          StaffKind = "patrol"           // 巡防队员
	StaffSecurity        StaffKind = "security_staff"   // 治保人员
	StaffVillageOfficial StaffKind = "village_official" // 大学生村官
	StaffLegalAdvisor    StaffKind = "legal_advisor"    // 法律顾问
	StaffMediator        StaffKind = "mediator"         // 调解员
)

// StaffKinds lists the kinds, police first.
var StaffKinds = []StaffKind{StaffOfficer, StaffAuxiliary, StaffCadre, StaffPatrol, StaffSecurity,
	StaffVillageOfficial, StaffLegalAdvisor, StaffMediator}

// HasPoliceNumber reports whether the kind carries a police number (警号):
// officers must have one, auxiliaries may have their 辅警 number.
func (k StaffKind) HasPoliceNumber() bool {
	return k == StaffOfficer || k == StaffAuxiliary
}

// StaffStatus says whether a member of staff is at work.
type StaffStatus string

// Statuses of staff; only active staff count for coverage.
const (
	StaffActive      StaffStatus = "active"      // 在岗
	StaffOnLeave     StaffStatus = "on_leave"    // 休假
	StaffTransferred StaffStatus = "transferred" // 调离
	StaffRetired     StaffStatus = "retired"     // 退休
)

// StaffStatuses lists the statuses.
var StaffStatuses = []StaffStatus{StaffActive, StaffOnLeave, StaffTransferred, StaffRetired}

// Staff is one member of the force: a police officer, an auxiliary, or a
// civilian helper. Each belongs to a unit, which sets who may see him.
type Staff struct {
	ID           int64
	Name         string
	Kind         StaffKind
	UnitCode     string
	UnitName     string // read only
	Phone        string // personal data: masked in lists
	PoliceNumber string // 警号: 6 digits for officers
	Status       StaffStatus
	Username     string // linked account, optional
	HasPhoto     bool   // read only
	UpdatedAt    time.Time
}

// Validate normalises the phone and checks the fields a member of staff
// must have on his own.
func (s *Staff) Validate() error {
	fields := map[string]string{}
	if name, err := NormalizePersonName(s.Name); err != nil {
		fields["name"] = err.(*Error).Fields["name"]
	} else {
		s.Name = name
	}
	if !slices.Contains(StaffKinds, s.Kind) {
		fields["kind"] = "must be one of " + joinKinds(StaffKinds)
	}
	if s.Status == "" {
		s.Status = StaffActive
	}
	if !slices.Contains(StaffStatuses, s.Status) {
		fields["status"] = "must be active, on_leave, transferred or retired"
	}
	if len(s.UnitCode) != 12 || !allDigits(s.UnitCode) {
		fields["unit_code"] = "must be the 12-digit code of a unit"
	}
	if phone, ok := NormalizePhone(s.Phone); ok {
		s.Phone = phone
	} else if strings.TrimSpace(s.Phone) != "" {
		fields["phone"] = "must be a mainland mobile (11 digits) or landline (0375-2345678) number"
	}
	s.Username = CanonicalUsername(s.Username)
	s.PoliceNumber = strings.TrimSpace(s.PoliceNumber)
	switch {
	case s.Kind == StaffOfficer && (len(s.PoliceNumber) != 6 || !allDigits(s.PoliceNumber)):
		fields["police_number"] = "an officer's police number is 6 digits"
	case s.Kind == StaffAuxiliary && s.PoliceNumber != "" && (len(s.PoliceNumber) > 12 || !isAlnum(s.PoliceNumber)):
		fields["police_number"] = "an auxiliary's number is at most 12 letters and digits"
	case !s.Kind.HasPoliceNumber() && s.PoliceNumber != "":
		fields["police_number"] = "only officers and auxiliaries have a police number"
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the staff record is not valid", Fields: fields}
	}
	return nil
}

// StaffFilter selects staff for a list: all conditions that are set apply.
type StaffFilter struct {
	Unit   string // of this unit or a unit below it
	Kind   StaffKind
	Status StaffStatus
	Query  string // name or police number contains
	Page   Page
}

// Photo is an uploaded image: a staff portrait or an office photo.
type Photo struct {
	ID          int64
	ContentType string // image/jpeg or image/png
	Data        []byte
	Caption     string
	CreatedAt   time.Time
}

// MaxPhotoBytes bounds an uploaded photo.
const MaxPhotoBytes = 2 << 20

// StaffService keeps the staff registry. Staff are visible when their unit
// is (see UnitService); phones are personal data.
type StaffService interface {
	// FindStaff lists staff matching the filter, ordered by ID, with phones
	// masked.
	FindStaff(ctx context.Context, f StaffFilter) ([]Staff, string, error)
	// StaffMember returns one member of staff with his full phone, and
	// records the read of personal data; a role that does not read personal
	// data gets the phone masked and no record.
	StaffMember(ctx context.Context, id int64) (*Staff, error)
	// CreateStaff adds members of staff in one transaction and sets their IDs.
	CreateStaff(ctx context.Context, staff []Staff) error
	// UpdateStaff changes a member of staff.
	UpdateStaff(ctx context.Context, s Staff) error
	// SetStaffPhoto replaces the portrait of a member of staff.
	SetStaffPhoto(ctx context.Context, id int64, p Photo) error
	// StaffPhoto returns the portrait of a member of staff.
	StaffPhoto(ctx context.Context, id int64) (*Photo, error)
}

func joinKinds[T ~string](kinds []T) string {
	parts := make([]string, len(kinds))
	for i, k := range kinds {
		parts[i] = string(k)
	}
	return strings.Join(parts, ", ")
}

func isAlnum(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return (r < '0' || r > '9') && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z')
	})
}

// CheckPhoto returns the content type of an uploaded photo, refusing
// anything but a JPEG or PNG image within MaxPhotoBytes.
func CheckPhoto(data []byte) (string, error) {
	if len(data) > MaxPhotoBytes {
		return "", Errorf(ETooLarge, "a photo may be at most %d MiB", MaxPhotoBytes>>20)
	}
	_, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "jpeg" && format != "png") {
		return "", Errorf(EInvalid, "a photo must be a JPEG or PNG image")
	}
	return "image/" + format, nil
}
