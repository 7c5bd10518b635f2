package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// staffImportPage is what the staff import page shows besides the form:
// what an import did, or every problem when nothing could be imported.
type staffImportPage struct {
	Report    *importer.StaffReport
	Encodings []fileEncoding
	Problems  *importer.Problems
	NoFiles   bool
	// ExportTooLarge says an export had more rows than a file may hold.
	ExportTooLarge bool
}

// staffImportForm shows the form for importing staff and posts, with the
// template and the exports.
func (u *ui) staffImportForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "staff_import", staffImportPage{})
}

// importStaff imports the uploaded files and shows what they changed, or
// every bad row (row, column, reason) when nothing could be imported.
func (u *ui) importStaff(w http.ResponseWriter, r *http.Request) {
	up := u.receiveUpload(w, r)
	if up == nil {
		return
	}
	defer up.Remove()
	if len(up.Files) == 0 {
		u.render(w, r, http.StatusUnprocessableEntity, "staff_import", staffImportPage{NoFiles: true})
		return
	}
	report, err := importer.ImportStaff(r.Context(), u.StaffImport, importFiles(up)...)
	var problems *importer.Problems
	switch {
	case errors.As(err, &problems):
		u.render(w, r, http.StatusUnprocessableEntity, "staff_import", staffImportPage{Problems: problems})
		return
	case err != nil:
		u.fail(w, r, err)
		return
	}
	page := staffImportPage{Report: report, Encodings: encodings(report.Encodings)}
	u.render(w, r, http.StatusOK, "staff_import", page)
}

// staffTemplate answers GET /staff/template.xlsx with the import template.
func (u *ui) staffTemplate(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := importer.StaffTemplate(&buf); err != nil {
		u.fail(w, r, err)
		return
	}
	httpx.SendWorkbook(w, "staff-template.xlsx")
	buf.WriteTo(w)
}

// exportStaff answers GET /staff/export.xlsx?unit=: the staff of the unit,
// by default the caller's, and the units below it, phones masked.
func (u *ui) exportStaff(w http.ResponseWriter, r *http.Request) {
	unit := strings.TrimSpace(r.URL.Query().Get("unit"))
	if unit == "" {
		unit = cunjing.IdentityFrom(r.Context()).UnitCode
	} else if len(unit) != 12 || strings.Trim(unit, "0123456789") != "" {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	sheet, err := importer.StaffSheet(r.Context(), u.Staff, cunjing.StaffFilter{Unit: unit})
	if err != nil {
		u.failExport(w, r, fmt.Errorf("web: staff export: %w", err))
		return
	}
	u.sendSheet(w, r, sheet, "staff", "staff:"+unit)
}

// exportPosts answers GET /staff/posts.xlsx?history=1: the open posts of
// the areas in scope, or all of them with history.
func (u *ui) exportPosts(w http.ResponseWriter, r *http.Request) {
	f := cunjing.AssignmentFilter{Open: r.URL.Query().Get("history") == ""}
	sheet, err := importer.PostSheet(r.Context(), u.Assignments, f)
	if err != nil {
		u.failExport(w, r, fmt.Errorf("web: post export: %w", err))
		return
	}
	object := "assignments:"
	if !f.Open {
		object += " history"
	}
	u.sendSheet(w, r, sheet, "posts", object)
}

// sendSheet records an export of object in the audit trail, then sends the
// workbook, named after what it holds and the day, and closes it; without
// the audit row nothing is sent.
func (u *ui) sendSheet(w http.ResponseWriter, r *http.Request, sheet *importer.Sheet, what, object string) {
	defer sheet.Close()
	if err := u.Exports.RecordExport(r.Context(), object); err != nil {
		u.fail(w, r, fmt.Errorf("web: %s export: %w", what, err))
		return
	}
	httpx.SendWorkbook(w, what+"-"+time.Now().In(cunjing.Shanghai).Format("20060102")+".xlsx")
	if _, err := sheet.WriteTo(w); err != nil {
		u.Logger.Warn("web: export cut short", "export", what, "err", err)
	}
}

// failExport answers a failed export; one too long for a workbook goes
// back to the page, which says to export a unit at a time.
func (u *ui) failExport(w http.ResponseWriter, r *http.Request, err error) {
	if cunjing.ErrorCode(err) == cunjing.ETooLarge {
		u.render(w, r, http.StatusRequestEntityTooLarge, "staff_import", staffImportPage{ExportTooLarge: true})
		return
	}
	u.fail(w, r, err)
}
