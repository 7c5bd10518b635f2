package web

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"

	"cunjing"
	"cunjing/internal/importer"
)

// maxUploadFiles bounds the number of files in one import.
const maxUploadFiles = 20

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
	up, err := receiveUpload(r)
	defer up.remove()
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		u.errorPage(w, r, http.StatusRequestEntityTooLarge)
		return
	case err != nil:
		u.fail(w, r, err)
		return
	case len(up.files) == 0:
		u.render(w, r, http.StatusUnprocessableEntity, "import", importPage{NoFiles: true})
		return
	}
	report, err := u.Import(r.Context(), up.files...)
	var problems *importer.Problems
	switch {
	case errors.As(err, &problems):
		u.render(w, r, http.StatusUnprocessableEntity, "import", importPage{Problems: problems})
		return
	case err != nil:
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "import", importPage{Report: report, Encodings: encodings(report)})
}

func encodings(report *importer.DivisionReport) []fileEncoding {
	var list []fileEncoding
	for _, name := range slices.Sorted(maps.Keys(report.Encodings)) {
		list = append(list, fileEncoding{File: name, Encoding: report.Encodings[name]})
	}
	return list
}

// upload holds the files of an import, each copied to a temporary file as it
// streams in, so that a large upload does not sit in memory.
type upload struct {
	files []importer.File
	temps []*os.File
}

// receiveUpload reads the "files" parts of a multipart form.
func receiveUpload(r *http.Request) (*upload, error) {
	up := &upload{}
	mr, err := r.MultipartReader()
	if err != nil {
		return up, cunjing.Errorf(cunjing.EInvalid, "the upload is not a multipart form")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		if err != nil {
			return up, fmt.Errorf("web: read upload: %w", err)
		}
		if part.FormName() != "files" || part.FileName() == "" {
			continue
		}
		if len(up.files) == maxUploadFiles {
			return up, cunjing.Errorf(cunjing.EInvalid, "more than %d files", maxUploadFiles)
		}
		if err := up.add(part.FileName(), part); err != nil {
			return up, err
		}
	}
}

// add copies one file to a temporary file and keeps it, rewound.
func (up *upload) add(name string, body io.Reader) error {
	tmp, err := os.CreateTemp("", "cunjing-upload-*")
	if err != nil {
		return fmt.Errorf("web: upload: %w", err)
	}
	up.temps = append(up.temps, tmp)
	if _, err := io.Copy(tmp, body); err != nil {
		return fmt.Errorf("web: upload %s: %w", name, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("web: upload %s: %w", name, err)
	}
	up.files = append(up.files, importer.File{Name: name, Body: tmp})
	return nil
}

// remove deletes the temporary files.
func (up *upload) remove() {
	for _, tmp := range up.temps {
		tmp.Close()
		os.Remove(tmp.Name())
	}
}
