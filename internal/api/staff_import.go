package api

import (
	"bytes"
	"net/http"
	"time"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// staffTemplate answers GET /api/v1/staff/template.xlsx: the workbook to
// fill for an import of staff and assignments.
func (a *api) staffTemplate(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if err := importer.StaffTemplate(&buf); err != nil {
		return err
	}
	httpx.SendWorkbook(w, "staff-template.xlsx")
	_, err := buf.WriteTo(w)
	return err
}

// importStaff answers POST /api/v1/staff/import: staff and assignment
// files (XLSX, or CSV in UTF-8 or GBK) as multipart file parts, or one CSV
// file as a text/csv body, all written or, with any bad row, none.
func (a *api) importStaff(w http.ResponseWriter, r *http.Request) error {
	files, remove, err := uploadedFiles(r)
	defer remove()
	if err != nil {
		return err
	}
	report, err := importer.ImportStaff(r.Context(), a.StaffImport, files...)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct {
		cunjing.StaffImportResult
		Encodings map[string]string `json:"encodings"`
	}{report.StaffImportResult, report.Encodings})
	return nil
}

// exportStaff answers GET /api/v1/staff/export.xlsx?unit=: the staff of
// the unit (by default the caller's own) and the units below it, in the
// template's layout with phones masked, ready to edit and import again.
func (a *api) exportStaff(w http.ResponseWriter, r *http.Request) error {
	fields := map[string]string{}
	unit := r.URL.Query().Get("unit")
	checkUnitCode(fields, "unit", unit)
	if err := invalidParams(fields); err != nil {
		return err
	}
	if unit == "" {
		unit = cunjing.IdentityFrom(r.Context()).UnitCode
	}
	sheet, err := importer.StaffSheet(r.Context(), a.Staff, cunjing.StaffFilter{Unit: unit})
	if err != nil {
		return err
	}
	return a.sendSheet(w, r, sheet, "staff", "staff:"+unit)
}

// exportAssignments answers GET /api/v1/assignments/export.xlsx?under=&history=:
// the open assignments of the areas in scope (under one area when given),
// or with history=true every assignment, ended ones too.
func (a *api) exportAssignments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fields := map[string]string{}
	f := cunjing.AssignmentFilter{Under: q.Get("under"), Open: !boolParam(fields, "history", q.Get("history"))}
	checkAreaCode(fields, "under", f.Under)
	if err := invalidParams(fields); err != nil {
		return err
	}
	sheet, err := importer.PostSheet(r.Context(), a.Assignments, f)
	if err != nil {
		return err
	}
	return a.sendSheet(w, r, sheet, "assignments", exportObject("assignments", f))
}

// sendSheet records an export of object in the audit trail, then sends it,
// named after what it holds and the time, and closes it. Once the headers
// are out an error can only be logged.
func (a *api) sendSheet(w http.ResponseWriter, r *http.Request, sheet *importer.Sheet, what, object string) error {
	defer sheet.Close()
	if err := a.Exports.RecordExport(r.Context(), object); err != nil {
		return err
	}
	httpx.SendWorkbook(w, what+"-"+time.Now().In(cunjing.Shanghai).Format("20060102-150405")+".xlsx")
	if _, err := sheet.WriteTo(w); err != nil {
		a.Logger.Warn("api: export cut short", "export", what, "id", httpx.RequestID(r.Context()), "err", err)
	}
	return nil
}

// exportObject names an export of posts for the audit trail.
func exportObject(what string, f cunjing.AssignmentFilter) string {
	object := what + ":" + f.Under
	if !f.Open {
		object += " history"
	}
	return object
}
