package cunjing

import (
	"context"
	"time"
)

// Audit actions: what an audit row records. Later modules add their own.
const (
	ActionLogin           = "login"            // result ok, failed, locked, mfa_pending
	ActionLogout          = "logout"           //
	ActionPasswordChange  = "password_change"  //
	ActionUserCreate      = "user_create"      // object: the user name
	ActionUserUpdate      = "user_update"      // role, unit, disabled, reset
	ActionTokenCreate     = "token_create"     //
	ActionTokenRevoke     = "token_revoke"     //
	ActionImportDivisions = "import_divisions" // object: what changed
	ActionUnitCreate      = "unit_create"      // object: the unit code
	ActionReadPersonal    = "read_personal"    // object: whose data was shown
	ActionBreakGlass      = "break_glass"      // reason is required
	ActionAuditQuery      = "audit_query"      //
	ActionAuditExport     = "audit_export"     //
	ActionConfigChange    = "config_change"    //
	ActionAreaCreate      = "area_create"      // object: the grid or venue code
	ActionAreaUpdate      = "area_update"      // object: the area code; detail: what changed
	ActionStaffCreate     = "staff_create"     // object: staff:<id>
	ActionStaffUpdate     = "staff_update"     // object: staff:<id>; detail: fields changed
	ActionAssign          = "assign"           // object: the area code; detail: staff, role, dates
	ActionAssignEnd       = "assign_end"       // object: the area code
	ActionStaffingChange  = "staffing_change"  // models, bindings, office standard
	ActionDualPost        = "dual_post"        // object: the area code
	ActionOfficeUpdate    = "office_update"    // object: the unit code
	ActionImportStaff     = "import_staff"     // object: the file; detail: counts
	ActionExport          = "export"           // object: what left as a file, e.g. staff:<unit>
	ActionRecordCreate    = "record_create"    // object: kind:id of a basic-information record
	ActionRecordUpdate    = "record_update"    // object: kind:id; detail: the fields changed
	ActionRecordReview    = "record_review"    // object: kind:id; detail: verified, or returned and why
	ActionConflict        = "conflict"         // object: resident:id; detail: reported or resolved
	ActionImportRecords   = "import_records"   // object: import:<job>; detail: kind, rows, counts
	ActionSearch          = "search"           // detail: what was searched for, masked
	ActionVisit           = "visit"            // object: visit:id
)

// AuditActions lists the audit actions, in the order of the auditor's
// search form; a new action belongs here too.
var AuditActions = []string{ActionLogin, ActionLogout, ActionPasswordChange, ActionUserCreate, ActionUserUpdate,
	ActionTokenCreate, ActionTokenRevoke, ActionImportDivisions, ActionUnitCreate, ActionReadPersonal, ActionBreakGlass,
	ActionAuditQuery, ActionAuditExport, ActionConfigChange, ActionAreaCreate, ActionAreaUpdate, ActionStaffCreate, ActionStaffUpdate,
	ActionAssign, ActionAssignEnd, ActionStaffingChange, ActionDualPost, ActionOfficeUpdate, ActionImportStaff, ActionExport,
	ActionRecordCreate, ActionRecordUpdate, ActionRecordReview, ActionConflict, ActionImportRecords, ActionSearch, ActionVisit}

// Audit results.
const (
	ResultOK     = "ok"
	ResultDenied = "denied"
	ResultFailed = "failed"
)

// AuditResults lists the audit results.
var AuditResults = []string{ResultOK, ResultDenied, ResultFailed}

// AuditEvent is one row of the append-only, hash-chained audit trail.
type AuditEvent struct {
	Seq       int64
	At        time.Time
	Actor     string // user name, "system" for the command line
	UnitCode  string
	IP        string
	Action    string
	Object    string
	Result    string
	RequestID string
	Detail    string // e.g. the reason of a break-glass read
	PrevHash  string
	Hash      string
}

// AuditFilter selects audit rows for the auditor, newest first.
type AuditFilter struct {
	Actor  string
	Action string
	Object string // contains
	From   time.Time
	To     time.Time
	Page   Page
}

// AuditService reads the audit trail. Rows are written by the store in the
// transaction of the change they record.
type AuditService interface {
	// FindAudit lists audit rows, newest first; the query is itself audited.
	FindAudit(ctx context.Context, f AuditFilter) ([]AuditEvent, string, error)
	// ExportAudit calls fn with each row that matches f (its page aside),
	// newest first, at most limit of them, then records the export in the
	// trail. It returns how many rows fn got and whether more matched. An
	// error from fn or from the audit row fails the export: the caller sends
	// nothing.
	ExportAudit(ctx context.Context, f AuditFilter, limit int, fn func(AuditEvent) error) (n int, more bool, err error)
	// VerifyAudit checks the hash chain and sequence from the start and
	// returns the sequence number of the first bad row, 0 when all are good.
	VerifyAudit(ctx context.Context) (badSeq int64, reason string, err error)
}

// MinAuditRetention is the shortest time audit rows may be kept
// (Cybersecurity Law Art. 21: six months).
const MinAuditRetention = 184 * 24 * time.Hour

// ExportRecorder records in the audit trail that a list left the system as
// a file (SECURITY.md C1). An export whose row cannot be written is not
// sent.
type ExportRecorder interface {
	RecordExport(ctx context.Context, object string) error
}
