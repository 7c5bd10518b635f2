package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"cunjing"
	"cunjing/internal/importer"
)

// importRecords runs `cunjing import residents|addresses|houses|rentals|orgs`:
// the file is imported in batches with progress on stderr; an interrupted
// import resumes when the same command runs again; refused rows go to a
// report beside the file.
func importRecords(ctx context.Context, kind cunjing.ImportKind, args []string, stdout, stderr io.Writer) error {
	var cfg dbConfig
	fs := newFlagSet("import "+string(kind), stderr)
	addDBFlags(fs, &cfg)
	mode := fs.String("mode", "add", `"add": refuse the rows of records registered already; "upsert": update them (by ID number or credit code)`)
	report := fs.String("report", "", "where to write the report of refused rows (default: FILE-report.xlsx beside FILE)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: cunjing import %s [--mode add|upsert] [--report PATH] [--data DIR] [--db DSN] FILE\n\n"+
			"FILE is an .xlsx workbook or a CSV file in UTF-8 or GBK with the columns of the template\n"+
			"(cunjing serve: GET /api/v1/templates/%s). Each batch of %d rows is written whole or not at all;\n"+
			"an interrupted import resumes when the same command runs again.\n\n", kind, kind, cunjing.ImportBatchRows)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (*mode != string(cunjing.ImportAdd) && *mode != string(cunjing.ImportUpsert)) {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	f, err := importer.OpenRecordFile(kind, path, filepath.Base(path))
	if err != nil {
		return reportOpenError(err, stderr)
	}
	st, err := cfg.open(ctx, stdout)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	job, err := importer.ImportRecords(ctx, st, f, cunjing.ImportMode(*mode), progressTo(stderr, f.Name, start))
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "%s: interrupted; run the same command again to resume after the last whole batch\n", f.Name)
			return errReported
		}
		return err
	}
	fmt.Fprintf(stdout, "import %d %s: %d rows, %d added, %d updated, %d unchanged, %d refused; %d addresses and %d households added (%s)\n",
		job.ID, job.State, job.RowsDone, job.Added, job.Updated, job.Unchanged, job.Refused, job.AddressesAdded, job.HouseholdsAdded,
		time.Since(start).Round(time.Millisecond))
	if job.Refused == 0 {
		return nil
	}
	if *report == "" {
		*report = strings.TrimSuffix(path, filepath.Ext(path)) + "-report.xlsx"
	}
	if err := writeReport(ctx, st, job.ID, *report); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "refused rows and why: %s\n", *report)
	return nil
}

// reportOpenError explains a file the importer cannot take.
func reportOpenError(err error, stderr io.Writer) error {
	var problems *importer.Problems
	if errors.As(err, &problems) {
		for _, p := range problems.Listed {
			fmt.Fprintln(stderr, p)
		}
		return errReported
	}
	if code := cunjing.ErrorCode(err); code != cunjing.EInternal {
		fmt.Fprintln(stderr, "cunjing:", cunjing.ErrorMessage(err))
		return errReported
	}
	return err
}

// progressTo prints the progress of an import after each batch: rows
// done, their rate since the start of this run, and rows refused.
func progressTo(stderr io.Writer, name string, start time.Time) func(cunjing.ImportJob) {
	first := int64(-1)
	return func(job cunjing.ImportJob) {
		if first < 0 {
			first = max(job.RowsDone-cunjing.ImportBatchRows, 0)
		}
		rate := float64(job.RowsDone-first) / max(time.Since(start).Seconds(), 1e-3)
		fmt.Fprintf(stderr, "%s: %d rows, %.0f rows/s, %d refused\n", name, job.RowsDone, rate, job.Refused)
	}
}

// recordStore is what the record commands need of the store.
type recordStore interface {
	cunjing.RecordImporter
	cunjing.ExportRecorder
}

// writeReport writes the report of an import's refused rows to path,
// recorded in the audit trail as an export first: it holds the file's
// cells.
func writeReport(ctx context.Context, st recordStore, id int64, path string) error {
	sheet, err := importer.ImportReportSheet(ctx, st, id)
	if err != nil {
		return err
	}
	defer sheet.Close()
	if err := st.RecordExport(ctx, fmt.Sprintf("import:%d report", id)); err != nil {
		return err
	}
	return writeSheet(sheet, path)
}

// writeSheet writes a workbook to a new file at path.
func writeSheet(sheet *importer.Sheet, path string) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := sheet.WriteTo(out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// exportRecords runs `cunjing export residents|addresses|houses|orgs
// --under CODE --out FILE.xlsx`: the register under an area, in the
// template's columns, recorded in the audit trail before it is written.
func exportRecords(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg dbConfig
	fs := newFlagSet("export", stderr)
	addDBFlags(fs, &cfg)
	under := fs.String("under", "", "the area whose register to export: a village, a town, a county …")
	out := fs.String("out", "", "the .xlsx file to write")
	fs.Usage = func() {
		fmt.Fprint(stderr, "usage: cunjing export residents|addresses|houses|orgs --under CODE --out FILE.xlsx [--data DIR] [--db DSN]\n\n")
		fs.PrintDefaults()
	}
	if len(args) == 0 || !slices.Contains(cunjing.ExportKinds, cunjing.ImportKind(args[0])) {
		fs.Usage()
		return errUsage
	}
	kind := cunjing.ImportKind(args[0])
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *under == "" || *out == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	st, err := cfg.open(ctx, stdout)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	sheet, err := importer.RecordSheet(ctx, st, kind, *under)
	if err != nil {
		return reportOpenError(err, stderr)
	}
	defer sheet.Close()
	if err := st.RecordExport(ctx, string(kind)+":"+*under); err != nil {
		return err
	}
	if err := writeSheet(sheet, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "exported the %s under %s to %s (%s)\n", kind, *under, *out, time.Since(start).Round(time.Millisecond))
	return nil
}
