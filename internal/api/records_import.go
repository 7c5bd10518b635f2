package api

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// recordUploadBody bounds the upload of a register (SECURITY.md E3): a
// million rows of CSV. Larger files go through `cunjing import`.
const recordUploadBody = 256 << 20

// startImport answers POST /api/v1/imports/{kind}?mode=add|upsert: the
// first file part of a multipart form is kept in the data folder, checked
// (type by content, zip bomb, macros, header) and imported in the
// background; the answer is 202 with the job, once its first batch is
// written. Re-sending a file resumes its job, or returns it if it ended.
func (a *api) startImport(w http.ResponseWriter, r *http.Request) error {
	kind := cunjing.ImportKind(r.PathValue("kind"))
	if !slices.Contains(cunjing.ImportKinds, kind) {
		return cunjing.Errorf(cunjing.ENotFound, "no import of %q", kind)
	}
	mode := cunjing.ImportMode(r.URL.Query().Get("mode"))
	if mode == "" {
		mode = cunjing.ImportAdd
	}
	if mode != cunjing.ImportAdd && mode != cunjing.ImportUpsert {
		return invalidParams(map[string]string{"mode": "must be add or upsert"})
	}
	part, err := httpx.FilePart(r, "")
	if err != nil {
		return err
	}
	name := "upload"
	if p, ok := part.(interface{ FileName() string }); ok {
		name = p.FileName()
	}
	job, err := a.RecordJobs.Start(r.Context(), kind, mode, name, part)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/imports/%d", job.ID))
	writeJSON(w, http.StatusAccepted, job)
	return nil
}

// getImport answers GET /api/v1/imports/{id}: the progress of a job of the
// caller — state, rows done, added, updated, refused.
func (a *api) getImport(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	job, err := a.RecordImports.ImportJob(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, job)
	return nil
}

// importReport answers GET /api/v1/imports/{id}/report: the rows the job
// refused as they were in the file with why, to fix and import again, and
// the list of problems; audited as an export since it holds the file's
// cells.
func (a *api) importReport(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	sheet, err := importer.ImportReportSheet(r.Context(), a.RecordImports, id)
	if err != nil {
		return err
	}
	return a.sendSheet(w, r, sheet, fmt.Sprintf("import-%d-report", id), fmt.Sprintf("import:%d report", id))
}

// cancelImport answers POST /api/v1/imports/{id}/cancel: the job is rolled
// back — what it added is deleted — and ends cancelled; a job whose
// records others have built on since is a conflict.
func (a *api) cancelImport(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	job, err := a.RecordImports.CancelImport(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, job)
	return nil
}

// recordTemplate answers GET /api/v1/templates/{kind}: the workbook to fill
// for an import of a kind, with a sheet explaining every column.
func (a *api) recordTemplate(w http.ResponseWriter, r *http.Request) error {
	kind := cunjing.ImportKind(r.PathValue("kind"))
	var buf bytes.Buffer
	if err := importer.RecordTemplate(kind, &buf); err != nil {
		return err
	}
	httpx.SendWorkbook(w, string(kind)+"-template.xlsx")
	_, err := buf.WriteTo(w)
	return err
}

// exportRegister answers GET /api/v1/exports/{kind}?under=CODE: the
// register of a kind under an area in scope, in the template's columns,
// personal data masked unless the caller reads it, audited before it is
// sent.
func (a *api) exportRegister(w http.ResponseWriter, r *http.Request) error {
	kind := cunjing.ImportKind(r.PathValue("kind"))
	if !slices.Contains(cunjing.ExportKinds, kind) {
		return cunjing.Errorf(cunjing.ENotFound, "no export of %q", kind)
	}
	under := strings.TrimSpace(r.URL.Query().Get("under"))
	fields := map[string]string{}
	checkAreaCode(fields, "under", under)
	if under == "" {
		fields["under"] = "is required: the area whose register to export"
	}
	if err := invalidParams(fields); err != nil {
		return err
	}
	sheet, err := importer.RecordSheet(r.Context(), a.RecordExports, kind, under)
	if err != nil {
		return err
	}
	return a.sendSheet(w, r, sheet, string(kind)+"-"+under, "register:"+string(kind)+" under="+under)
}
