package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// recordUploadBody bounds the upload of a register (SECURITY.md E3), as
// the API does: a million rows of CSV. Larger files go through
// `cunjing import`.
const recordUploadBody = 256 << 20

// recordImportPage is the page that imports registers of basic information
// (一标三实) and exports them: the import form, what was wrong with the
// last upload, the templates, and the export form with the areas in scope.
type recordImportPage struct {
	Kind        cunjing.ImportKind
	Mode        cunjing.ImportMode
	Error       string // no_file, choice, too_large, unsupported, unprocessable
	Problems    *importer.Problems
	Areas       []cunjing.Area // to export: the scope's areas and those just below
	ExportKind  cunjing.ImportKind
	ExportUnder string
	ExportError string // area: the area is not one of the caller's
}

// Kinds and ExportKinds list what is imported and exported.
func (recordImportPage) Kinds() []cunjing.ImportKind { return cunjing.ImportKinds }

// ExportKinds: see Kinds.
func (recordImportPage) ExportKinds() []cunjing.ImportKind { return cunjing.ExportKinds }

// recordImportForm shows the import page.
func (u *ui) recordImportForm(w http.ResponseWriter, r *http.Request) {
	u.renderRecordImport(w, r, http.StatusOK, recordImportPage{Kind: cunjing.ImportResidents, Mode: cunjing.ImportAdd})
}

// renderRecordImport shows the import page with the areas to export.
func (u *ui) renderRecordImport(w http.ResponseWriter, r *http.Request, status int, page recordImportPage) {
	areas, err := u.exportAreas(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Areas = areas
	if page.ExportKind == "" {
		page.ExportKind = cunjing.ImportResidents
	}
	u.render(w, r, status, "records_import", page)
}

// exportAreas lists the areas of the caller's scope and those just below
// them, to choose what to export.
func (u *ui) exportAreas(ctx context.Context) ([]cunjing.Area, error) {
	tops, err := u.topAreas(ctx)
	if err != nil {
		return nil, err
	}
	var areas []cunjing.Area
	for _, top := range tops {
		children, _, err := u.Areas.FindAreas(ctx, cunjing.AreaFilter{Parent: top.Code, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
		if err != nil {
			return nil, fmt.Errorf("web: areas to export: %w", err)
		}
		areas = append(append(areas, top), children...)
	}
	return areas, nil
}

// startRecordImport reads the import form — kind and mode, then the file —
// and starts the job as the file streams in; it goes to the job's
// progress once the first batch is written.
func (u *ui) startRecordImport(w http.ResponseWriter, r *http.Request) {
	page := recordImportPage{}
	mr, err := r.MultipartReader()
	if err != nil {
		page.Error = "no_file"
		u.renderRecordImport(w, r, http.StatusBadRequest, page)
		return
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			u.importRefused(w, r, page, err)
			return
		}
		switch part.FormName() {
		case "kind", "mode":
			value, err := io.ReadAll(io.LimitReader(part, 64))
			if err != nil {
				u.importRefused(w, r, page, err)
				return
			}
			if part.FormName() == "kind" {
				page.Kind = cunjing.ImportKind(strings.TrimSpace(string(value)))
			} else {
				page.Mode = cunjing.ImportMode(strings.TrimSpace(string(value)))
			}
		case "file":
			if part.FileName() == "" {
				continue
			}
			if !slices.Contains(cunjing.ImportKinds, page.Kind) || page.Mode != cunjing.ImportAdd && page.Mode != cunjing.ImportUpsert {
				page.Error = "choice"
				u.renderRecordImport(w, r, http.StatusBadRequest, page)
				return
			}
			job, err := u.RecordJobs.Start(r.Context(), page.Kind, page.Mode, part.FileName(), part)
			if err != nil {
				u.importRefused(w, r, page, err)
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/import/records/%d", job.ID), http.StatusSeeOther)
			return
		}
	}
}

// importRefused shows the import form again with why the upload was
// refused: no file, too large, a format the importer does not take, or a
// header without the kind's columns.
func (u *ui) importRefused(w http.ResponseWriter, r *http.Request, page recordImportPage, err error) {
	var tooLarge *http.MaxBytesError
	var problems *importer.Problems
	status := http.StatusUnprocessableEntity
	switch {
	case errors.Is(err, io.EOF):
		page.Error, status = "no_file", http.StatusBadRequest
	case errors.As(err, &tooLarge):
		page.Error, status = "too_large", http.StatusRequestEntityTooLarge
	case errors.As(err, &problems):
		page.Problems = problems
	case cunjing.ErrorCode(err) == cunjing.EUnsupported:
		page.Error, status = "unsupported", http.StatusUnsupportedMediaType
	case cunjing.ErrorCode(err) == cunjing.EUnprocessable:
		page.Error = "unprocessable"
	case cunjing.ErrorCode(err) == cunjing.EInvalid:
		page.Error, status = "choice", http.StatusBadRequest
	default:
		u.fail(w, r, err)
		return
	}
	u.renderRecordImport(w, r, status, page)
}

// importJobPage is a job of the caller: its progress while it runs, its
// counts and report once it ended.
type importJobPage struct {
	Job   *cunjing.ImportJob
	Done  string // cancelled: the job was just rolled back
	Error string // conflict: it could not be rolled back
}

// Running reports whether the job goes on.
func (p importJobPage) Running() bool { return p.Job.State == cunjing.ImportRunning }

// Cancellable reports whether the job may still be rolled back.
func (p importJobPage) Cancellable() bool {
	return p.Job.State == cunjing.ImportRunning || p.Job.State == cunjing.ImportDone
}

// Rate is the rows the job went through per second, 0 before a batch.
func (p importJobPage) Rate() int {
	took := p.Job.UpdatedAt.Sub(p.Job.CreatedAt).Seconds()
	if took <= 0 || p.Job.RowsDone == 0 {
		return 0
	}
	return int(float64(p.Job.RowsDone) / took)
}

// Num is a count of the job as the page shows it.
func (importJobPage) Num(n int64) int { return int(n) }

// importJob shows a job: the whole page, or for htmx's poll only its
// progress, which stops polling once the job ended.
func (u *ui) importJob(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	job, err := u.RecordImports.ImportJob(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page := importJobPage{Job: job, Done: r.URL.Query().Get("done")}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Add("Vary", "HX-Request")
	if r.Header.Get("HX-Request") == "true" {
		u.execute(w, r, http.StatusOK, "import_job", "import-progress", page)
		return
	}
	u.render(w, r, http.StatusOK, "import_job", page)
}

// cancelImport rolls a job of the caller back and shows it cancelled; a
// job whose records others built on stays, and the page says why.
func (u *ui) cancelImport(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	_, err := u.RecordImports.CancelImport(r.Context(), id)
	if cunjing.ErrorCode(err) == cunjing.EConflict {
		job, jerr := u.RecordImports.ImportJob(r.Context(), id)
		if jerr != nil {
			u.fail(w, r, jerr)
			return
		}
		u.render(w, r, http.StatusConflict, "import_job", importJobPage{Job: job, Error: "conflict"})
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/import/records/%d?done=cancelled", id), http.StatusSeeOther)
}

// importReport answers GET /import/records/{id}/report.xlsx: the rows the
// job refused, as in the file, with what is wrong with each — to fix and
// import again — and the list of problems. It holds the file's cells, so
// it is audited as an export.
func (u *ui) importReport(w http.ResponseWriter, r *http.Request) {
	id, ok := u.pathIDOr404(w, r)
	if !ok {
		return
	}
	sheet, err := importer.ImportReportSheet(r.Context(), u.RecordImports, id)
	if err != nil {
		u.fail(w, r, fmt.Errorf("web: import report: %w", err))
		return
	}
	u.sendSheet(w, r, sheet, fmt.Sprintf("import-%d-report", id), fmt.Sprintf("import:%d report", id))
}

// recordTemplate answers GET /import/templates/{kind} with the import
// template of a kind.
func (u *ui) recordTemplate(w http.ResponseWriter, r *http.Request) {
	kind := cunjing.ImportKind(r.PathValue("kind"))
	if !slices.Contains(cunjing.ImportKinds, kind) {
		u.errorPage(w, r, http.StatusNotFound)
		return
	}
	var buf bytes.Buffer
	if err := importer.RecordTemplate(kind, &buf); err != nil {
		u.fail(w, r, err)
		return
	}
	httpx.SendWorkbook(w, string(kind)+"-template.xlsx")
	buf.WriteTo(w)
}

// exportRegister answers GET /import/export.xlsx?kind=&under=: the register
// of a kind under an area in scope, in the template's columns, personal
// data masked unless the caller reads it, audited before it is sent.
func (u *ui) exportRegister(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := recordImportPage{ExportKind: cunjing.ImportKind(q.Get("kind")), ExportUnder: strings.TrimSpace(q.Get("under"))}
	if !slices.Contains(cunjing.ExportKinds, page.ExportKind) || page.ExportUnder == "" {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	if _, err := u.Areas.AreaDetail(r.Context(), page.ExportUnder); cunjing.ErrorCode(err) == cunjing.ENotFound {
		page.ExportError = "area"
		u.renderRecordImport(w, r, http.StatusNotFound, page)
		return
	} else if err != nil {
		u.fail(w, r, err)
		return
	}
	sheet, err := importer.RecordSheet(r.Context(), u.RecordExports, page.ExportKind, page.ExportUnder)
	if err != nil {
		u.fail(w, r, fmt.Errorf("web: register export: %w", err))
		return
	}
	u.sendSheet(w, r, sheet, string(page.ExportKind)+"-"+page.ExportUnder,
		"register:"+string(page.ExportKind)+" under="+page.ExportUnder)
}
