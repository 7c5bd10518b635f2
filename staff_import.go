package cunjing

import "context"

// StaffImport is what one import file brings: members of staff to add or
// change, and posts to record, written together or not at all.
type StaffImport struct {
	File  string  // the file's name, for the audit trail
	Staff []Staff // ID 0 adds a member; otherwise the member with that ID is changed
	Posts []ImportPost
}

// ImportPost is a post of an import. It names its member of staff by
// PoliceNumber when that is set — a member in scope or one of the same
// import — and by StaffID otherwise.
type ImportPost struct {
	AssignRequest
	PoliceNumber string
}

// StaffImportResult counts what an import did. A staff row equal to the
// stored member, or a post equal to a recorded one (same staff, area, role
// and start, ended or not), is unchanged and written again neither.
type StaffImportResult struct {
	StaffAdded     int `json:"staff_added"`
	StaffChanged   int `json:"staff_changed"`
	StaffUnchanged int `json:"staff_unchanged"`
	PostsAdded     int `json:"posts_added"`
	PostsUnchanged int `json:"posts_unchanged"`
}

// StaffImporter writes an import of staff and posts.
type StaffImporter interface {
	// ImportStaff writes the staff, then the posts, in one transaction, each
	// audited as its own change would be, plus one row for the import.
	// An existing member's phone may be given as its mask (MaskPhone), which
	// keeps the stored number. A failure is an *ItemError whose Index counts
	// the staff first and then the posts (post j is len(Staff)+j); the
	// checks of references — staff, units and areas out of scope read as not
	// found, police numbers taken, roles the staff cannot hold — report every
	// failing item, joined with errors.Join. Nothing is written on failure.
	ImportStaff(ctx context.Context, in StaffImport) (StaffImportResult, error)
}
