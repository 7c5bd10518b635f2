package api

import (
	"mime"
	"net/http"
	"strconv"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// Parameter readers: each checks one query parameter or body field, names
// it in fields when it is wrong, and returns its value. invalidParams then
// turns the fields into the one invalid error.

// invalidParams returns the invalid error naming the fields, or nil when
// there are none.
func invalidParams(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return &cunjing.Error{Code: cunjing.EInvalid, Message: "some parameters are not valid", Fields: fields}
}

// checkAreaCode names an area code that is given but malformed.
func checkAreaCode(fields map[string]string, name, code string) {
	if code != "" && !cunjing.ValidAreaCode(code) {
		fields[name] = "must be an area code"
	}
}

// checkUnitCode names a unit code that is given but is not 12 digits.
func checkUnitCode(fields map[string]string, name, code string) {
	if _, err := strconv.ParseUint(code, 10, 64); code != "" && (len(code) != 12 || err != nil) {
		fields[name] = "must be the 12-digit code of a unit"
	}
}

// staffParam reads an optional staff ID; 0 when absent.
func staffParam(fields map[string]string, name, s string) int64 {
	if s == "" {
		return 0
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		fields[name] = "must be the ID of a member of staff"
		return 0
	}
	return id
}

// dateParam reads an optional date (YYYY-MM-DD); the zero date when absent.
func dateParam(fields map[string]string, name, s string) cunjing.Date {
	d, err := cunjing.ParseDate(s)
	if err != nil {
		fields[name] = "must be a date (YYYY-MM-DD)"
	}
	return d
}

// boolParam reads an optional true or false; false when absent.
func boolParam(fields map[string]string, name, s string) bool {
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		fields[name] = "must be true or false"
	}
	return b
}

// uploadedFiles returns the files of an import: the file parts of a
// multipart form, or a text/csv body as one CSV file. Call remove when done,
// also after an error.
func uploadedFiles(r *http.Request) (files []importer.File, remove func(), err error) {
	if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType == "text/csv" {
		return []importer.File{{Name: "body.csv", Body: r.Body}}, func() {}, nil
	}
	up, err := httpx.ReceiveFiles(r)
	if err != nil {
		return nil, up.Remove, err
	}
	for _, f := range up.Files {
		files = append(files, importer.File(f))
	}
	if len(files) == 0 {
		return nil, up.Remove, cunjing.Errorf(cunjing.EInvalid, "no file in the upload")
	}
	return files, up.Remove, nil
}

// writeImage answers with a stored photo.
func writeImage(w http.ResponseWriter, p *cunjing.Photo, cacheControl string) error {
	w.Header().Set("Content-Type", p.ContentType)
	w.Header().Set("Cache-Control", cacheControl)
	_, err := w.Write(p.Data)
	return err
}
