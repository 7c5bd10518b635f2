package api

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"time"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// xlsxType is the media type of a workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// staffTemplate answers GET /api/v1/staff/template.xlsx: the workbook to
// fill for an import of staff and assignments.
func (a *api) staffTemplate(w http.ResponseWriter, r *http.Request) error {
	var buf bytes.Buffer
	if err := importer.StaffTemplate(&buf); err != nil {
		return err
	}
	sendWorkbook(w, "staff-template.xlsx")
	_, err := buf.WriteTo(w)
	return err
}

// importStaff answers POST /api/v1/staff/import: staff and assignment
// files (XLSX, or CSV in UTF-8 or GBK) as multipart file parts, or one CSV
// file as a text/csv body, all written or, with any bad row, none.
func (a *api) importStaff(w http.ResponseWriter, r *http.Request) error {
	var files []importer.File
	if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType == "text/csv" {
		files = []importer.File{{Name: "body.csv", Body: r.Body}}
	} else {
		up, err := httpx.ReceiveFiles(r)
		defer up.Remove()
		if err != nil {
			return err
		}
		for _, f := range up.Files {
			files = append(files, importer.File(f))
		}
	}
	if len(files) == 0 {
		return cunjing.Errorf(cunjing.EInvalid, "no file in the upload")
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
	unit := r.URL.Query().Get("unit")
	if unit == "" {
		unit = cunjing.IdentityFrom(r.Context()).UnitCode
	} else if !validUnitCode(unit) {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "some parameters are not valid",
			Fields: map[string]string{"unit": "must be the 12-digit code of a unit"}}
	}
	sheet, err := importer.StaffSheet(r.Context(), a.Staff, cunjing.StaffFilter{Unit: unit})
	if err != nil {
		return err
	}
	defer sheet.Close()
	sendWorkbook(w, "staff-"+stamp()+".xlsx")
	if _, err := sheet.WriteTo(w); err != nil {
		a.Logger.Warn("api: staff export cut short", "id", httpx.RequestID(r.Context()), "err", err)
	}
	return nil
}

// exportAssignments answers GET /api/v1/assignments/export.xlsx?under=&history=:
// the open assignments of the areas in scope (under one area when given),
// or with history=true every assignment, ended ones too.
func (a *api) exportAssignments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := cunjing.AssignmentFilter{Under: q.Get("under"), Open: true}
	fields := map[string]string{}
	if f.Under != "" && !cunjing.ValidAreaCode(f.Under) {
		fields["under"] = "must be an area code"
	}
	if v := q.Get("history"); v != "" {
		history, err := strconv.ParseBool(v)
		if err != nil {
			fields["history"] = "must be true or false"
		}
		f.Open = !history
	}
	if len(fields) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "some parameters are not valid", Fields: fields}
	}
	sheet, err := importer.PostSheet(r.Context(), a.Assignments, f)
	if err != nil {
		return err
	}
	defer sheet.Close()
	sendWorkbook(w, "assignments-"+stamp()+".xlsx")
	if _, err := sheet.WriteTo(w); err != nil {
		a.Logger.Warn("api: assignment export cut short", "id", httpx.RequestID(r.Context()), "err", err)
	}
	return nil
}

// sendWorkbook sets the headers of a workbook download.
func sendWorkbook(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
}

// stamp is the time of an export in file names.
func stamp() string { return time.Now().In(cunjing.Shanghai).Format("20060102-150405") }
