package cunjing

import (
	"context"
	"time"
)

// ImportKind is what an import file of basic information holds.
type ImportKind string

// Kinds of import files; the export writes the same columns, except for
// rentals, which are exported with nothing.
const (
	ImportAddresses ImportKind = "addresses"
	ImportResidents ImportKind = "residents"
	ImportHouses    ImportKind = "houses"
	ImportRentals   ImportKind = "rentals"
	ImportOrgs      ImportKind = "orgs"
)

// ImportKinds lists the kinds of import files.
var ImportKinds = []ImportKind{ImportAddresses, ImportResidents, ImportHouses, ImportRentals, ImportOrgs}

// ExportKinds lists the kinds of registers that are exported.
var ExportKinds = []ImportKind{ImportAddresses, ImportResidents, ImportHouses, ImportOrgs}

// ImportMode says what an import does with a record registered already:
// a person by his ID number, an org by its credit code (or name in its
// area when it has none), an address by its key in its area, a house by
// its address, a rental by house, tenant and start.
type ImportMode string

// Import modes.
const (
	ImportAdd    ImportMode = "add"    // refuse the row: "already registered"
	ImportUpsert ImportMode = "upsert" // update the record when it is in scope
)

// ImportState is where an import job stands.
type ImportState string

// States of an import job. A job killed while running stays running: it
// resumes after its last committed batch when the same file is imported
// again (or, for an upload, when the server starts).
const (
	ImportRunning   ImportState = "running"
	ImportDone      ImportState = "done"
	ImportFailed    ImportState = "failed"    // the file could not be read; nothing of it was written
	ImportCancelled ImportState = "cancelled" // rolled back: what it added is deleted
)

// ImportBatchRows is the number of data rows of one batch: each batch is
// written whole or not at all, with the job's progress.
const ImportBatchRows = 10000

// ImportJob is the import of one file, identified by its kind, mode and
// the SHA-256 of its content, and owned by the account that started it.
type ImportJob struct {
	ID              int64       `json:"id"`
	Kind            ImportKind  `json:"kind"`
	Mode            ImportMode  `json:"mode"`
	FileName        string      `json:"file_name"`
	FileHash        string      `json:"file_hash"`
	State           ImportState `json:"state"`
	RowsDone        int64       `json:"rows_done"` // data rows committed or refused, in file order
	Added           int64       `json:"added"`
	Updated         int64       `json:"updated"`
	Unchanged       int64       `json:"unchanged"`
	Refused         int64       `json:"refused"`
	AddressesAdded  int64       `json:"addresses_added"`  // addresses named by rows and created
	HouseholdsAdded int64       `json:"households_added"` // households named by 户号 and created
	Message         string      `json:"message"`
	CreatedBy       string      `json:"created_by"`
	CreatedAt       time.Time   `json:"created_at"`
	UpdatedAt       time.Time   `json:"updated_at"`
}

// ImportProblem is why a row of an import file was refused: the column as
// its header reads in the file ("" for the whole row), the cell (ID
// numbers and phones masked) and the reason.
type ImportProblem struct {
	Row     int    `json:"row"` // as the spreadsheet shows it: the header is row 1
	Column  string `json:"column"`
	Cell    string `json:"cell"`
	Message string `json:"message"`
}

// ImportRow is one data row of an import file as the importer read it.
// A row with problems is refused whole; the store may find more (a person
// registered already, or elsewhere) and refuses those rows too.
type ImportRow struct {
	Row      int
	Cells    []string // the row as in the file, for the report of refused rows
	Problems []ImportProblem

	AreaCode  string // the area the row names; for addresses, houses and orgs also in the record
	Address   string // the whole standard address text the row names, "" for none
	Household string // residents: 户号, "" for none

	// MaskedPhone is a phone given as its mask (an export without the
	// right to read personal data): it keeps the stored phone of a person
	// or org whose mask it is, and is refused otherwise.
	MaskedPhone string

	Resident   Resident   // residents
	StdAddress StdAddress // addresses
	House      House      // houses
	Org        Org        // orgs
	Rental     Rental     // rentals: the dates
	OwnerID    string     // houses: the ID number of the owner, a resident
	OwnerCode  string     // houses: the credit code of the owner, an org
	TenantID   string     // rentals: the ID number of the tenant

	// Prepared is what ImportSession.Prepare made of the row: its sealed
	// values and keys, read by WriteBatch.
	Prepared any
}

// ImportStart describes the file of an import to begin or resume.
type ImportStart struct {
	Kind     ImportKind
	Mode     ImportMode
	FileName string
	FileHash string // hex SHA-256 of the file
	FileSize int64
	// EstimatedRows is the number of data rows the file is thought to
	// hold, from its size: it decides the bulk path of large imports.
	EstimatedRows int64
	Header        []string          // the header row as in the file
	Columns       map[string]string // field key → header as in the file, to name columns
}

// RefusedRow is a row of the report of an import: the cells as in the
// file and why it was refused.
type RefusedRow struct {
	Row      int
	Cells    []string
	Problems []ImportProblem
}

// ImportSession is one run of an import job: the store's side of it. The
// importer replays the rows that earlier runs committed (so that the
// duplicates of later rows can still name them), prepares the rows on
// every core, and writes them batch by batch.
type ImportSession interface {
	// Job returns the job as it stands.
	Job() ImportJob
	// Bulk reports whether the session takes the bulk path: secondary
	// indexes dropped during the load and rebuilt by Finish.
	Bulk() bool
	// Replay learns the keys of rows that an earlier run of the job
	// committed (rows it refused are skipped); nothing is written.
	Replay(ctx context.Context, rows []ImportRow) error
	// Prepare does the CPU work of a row (sealing, keys); safe from any
	// goroutine.
	Prepare(row *ImportRow)
	// WriteBatch writes prepared rows in one transaction, with the job's
	// progress and one audit row; refused rows are listed, never half
	// written. It fails when another run of the job moved it meanwhile.
	WriteBatch(ctx context.Context, rows []ImportRow) (ImportJob, error)
	// Finish rebuilds what the bulk path dropped and marks the job done.
	Finish(ctx context.Context) (ImportJob, error)
	// Fail marks the job failed, with the reason, when its file cannot be
	// read at all.
	Fail(ctx context.Context, reason string) (ImportJob, error)
	// Close releases the session. A bulk load that did not finish leaves
	// its indexes to be built by the next import or the server's start.
	Close()
}

// RecordImporter starts and keeps imports of basic information. Jobs are
// seen by their creator only; others read them as not found.
type RecordImporter interface {
	// BeginImport starts the job of a file, or resumes it when the caller
	// imported the same kind, mode and content before and it did not end:
	// after the last batch it committed. A job that ended is returned as
	// it stands and imports nothing more. Missing indexes that a killed
	// bulk load left are rebuilt first.
	BeginImport(ctx context.Context, start ImportStart) (ImportSession, error)
	// ImportJob returns a job of the caller.
	ImportJob(ctx context.Context, id int64) (*ImportJob, error)
	// ImportReport calls header with the file's header and row with each
	// refused row in file order. Without the right to read personal data
	// the cells are left out (the problems, masked, remain). The caller
	// records in the audit trail that the report left as a file.
	ImportReport(ctx context.Context, id int64, header func([]string) error, row func(RefusedRow) error) error
	// CancelImport rolls a job of the caller back: the records it added
	// are deleted (updates stay) and it ends cancelled.
	CancelImport(ctx context.Context, id int64) (*ImportJob, error)
	// RunningImports lists the jobs of every account left running, for the
	// server to resume at start; it needs the system identity.
	RunningImports(ctx context.Context) ([]ImportJob, error)
	// ImportIdentity is the identity of an account as it stands now, its
	// scope included, to resume its jobs; a disabled account is not found.
	ImportIdentity(ctx context.Context, username string) (*Identity, error)
}

// ExportedResident is a resident as the register export writes him.
type ExportedResident struct {
	Resident
	Household string // 户号
}

// ExportedHouse is a house as the register export writes it.
type ExportedHouse struct {
	House
	OwnerIDNumber string // the owner's ID number, masked unless unmasked
	OwnerCode     string // the owning org's credit code
}

// RecordExporter reads registers under an area in scope, record by record
// in a bounded memory, for the XLSX export. Personal data is unmasked for
// roles that read it and masked for the others; the caller records the
// export in the audit trail before sending anything.
type RecordExporter interface {
	// ExportResidents calls fn with each resident under the area, by area.
	ExportResidents(ctx context.Context, under string, fn func(ExportedResident) error) error
	// ExportAddresses calls fn with each address under the area, by area and key.
	ExportAddresses(ctx context.Context, under string, fn func(StdAddress) error) error
	// ExportHouses calls fn with each house under the area, by area.
	ExportHouses(ctx context.Context, under string, fn func(ExportedHouse) error) error
	// ExportOrgs calls fn with each org under the area, by area.
	ExportOrgs(ctx context.Context, under string, fn func(Org) error) error
}
