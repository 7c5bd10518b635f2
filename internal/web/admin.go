package web

import (
	"errors"
	"maps"
	"net/http"
	"slices"

	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// divisionHeader is the header line of one kind of NBS division file.
type divisionHeader struct {
	Key     string // message key of the kind
	Columns []string
}

// divisionHeaders are the files the importer reads, as the form explains them.
var divisionHeaders = []divisionHeader{
	{"import.kind.provinces", []string{"code", "name"}},
	{"import.kind.cities", []string{"code", "name", "provinceCode"}},
	{"import.kind.areas", []string{"code", "name", "cityCode", "provinceCode"}},
	{"import.kind.streets", []string{"code", "name", "areaCode", "provinceCode", "cityCode"}},
	{"import.kind.villages", []string{"code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"}},
}

// importPage is what the import page shows besides the form: the report of
// an import, or its bad lines, or that no file was chosen.
type importPage struct {
	Report    *importer.DivisionReport
	Encodings []fileEncoding
	Problems  *importer.Problems
	NoFiles   bool
}

// Headers lists the kinds of file the form explains.
func (importPage) Headers() []divisionHeader {
	return divisionHeaders
}

// fileEncoding is the encoding detected in one imported file.
type fileEncoding struct {
	File, Encoding string
}

// importForm shows the form for uploading division files.
func (u *ui) importForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "import", importPage{})
}

// importDivisions imports the uploaded division files and shows what
// changed, or every bad line when nothing could be imported.
func (u *ui) importDivisions(w http.ResponseWriter, r *http.Request) {
	up := u.receiveUpload(w, r)
	if up == nil {
		return
	}
	defer up.Remove()
	if len(up.Files) == 0 {
		u.render(w, r, http.StatusUnprocessableEntity, "import", importPage{NoFiles: true})
		return
	}
	report, err := u.Import(r.Context(), importFiles(up)...)
	var problems *importer.Problems
	switch {
	case errors.As(err, &problems):
		u.render(w, r, http.StatusUnprocessableEntity, "import", importPage{Problems: problems})
		return
	case err != nil:
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "import", importPage{Report: report, Encodings: encodings(report.Encodings)})
}

// receiveUpload reads the files of an upload form. A refused upload (too
// large, not a form) is answered here and gives nil; the caller removes the
// files of any other.
func (u *ui) receiveUpload(w http.ResponseWriter, r *http.Request) *httpx.Upload {
	up, err := httpx.ReceiveFiles(r)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		u.errorPage(w, r, http.StatusRequestEntityTooLarge)
	case err != nil:
		u.fail(w, r, err)
	default:
		return up
	}
	up.Remove()
	return nil
}

// encodings lists the encoding detected in each file, by file name.
func encodings(byFile map[string]string) []fileEncoding {
	var list []fileEncoding
	for _, name := range slices.Sorted(maps.Keys(byFile)) {
		list = append(list, fileEncoding{File: name, Encoding: byFile[name]})
	}
	return list
}

// importFiles hands the uploaded files to the importer.
func importFiles(up *httpx.Upload) []importer.File {
	files := make([]importer.File, len(up.Files))
	for i, f := range up.Files {
		files[i] = importer.File(f)
	}
	return files
}
