package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"cunjing"
)

// MaxUploadFiles bounds the number of files in one upload.
const MaxUploadFiles = 20

// File is one uploaded file, rewound to its start.
type File struct {
	Name string
	Body io.Reader
}

// Upload holds the files of a multipart upload, each copied to a temporary
// file as it streams in, so that a large upload does not sit in memory.
// Remove deletes them.
type Upload struct {
	Files []File
	temps []*os.File
}

// ReceiveFiles reads the file parts of a multipart form (at most
// MaxUploadFiles). The body limit set by LimitBody surfaces as
// *http.MaxBytesError; a body that is not multipart, or not well formed, is
// an invalid error.
// The returned Upload is never nil, so it can always be removed.
func ReceiveFiles(r *http.Request) (*Upload, error) {
	up := &Upload{}
	mr, err := r.MultipartReader()
	if err != nil {
		return up, cunjing.Errorf(cunjing.EInvalid, "the upload is not a multipart form")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return up, err
		}
		if err != nil {
			return up, cunjing.Errorf(cunjing.EInvalid, "the upload is not a well-formed multipart form: %v", err)
		}
		if part.FileName() == "" {
			continue
		}
		if len(up.Files) == MaxUploadFiles {
			return up, cunjing.Errorf(cunjing.EInvalid, "more than %d files in one upload", MaxUploadFiles)
		}
		if err := up.add(part.FileName(), part); err != nil {
			return up, err
		}
	}
}

// add copies one file to a temporary file and keeps it, rewound.
func (up *Upload) add(name string, body io.Reader) error {
	tmp, err := os.CreateTemp("", "cunjing-upload-*")
	if err != nil {
		return fmt.Errorf("httpx: upload: %w", err)
	}
	up.temps = append(up.temps, tmp)
	if _, err := io.Copy(tmp, body); err != nil {
		return fmt.Errorf("httpx: upload %s: %w", name, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("httpx: upload %s: %w", name, err)
	}
	up.Files = append(up.Files, File{Name: name, Body: tmp})
	return nil
}

// Remove deletes the temporary files.
func (up *Upload) Remove() {
	for _, tmp := range up.temps {
		tmp.Close()
		os.Remove(tmp.Name())
	}
}

// FilePart returns the first file part of a multipart form in the form
// field named field ("" for any field), to be read before the next. The
// body limit set by LimitBody surfaces as *http.MaxBytesError; a body that
// is not multipart, or has no such part, is an invalid error.
func FilePart(r *http.Request, field string) (io.Reader, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, cunjing.Errorf(cunjing.EInvalid, "the upload is not a multipart form")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return nil, cunjing.Errorf(cunjing.EInvalid, "no file in the upload")
		}
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		if err != nil {
			return nil, cunjing.Errorf(cunjing.EInvalid, "the upload is not a multipart form")
		}
		if part.FileName() != "" && (field == "" || part.FormName() == field) {
			return part, nil
		}
	}
}
