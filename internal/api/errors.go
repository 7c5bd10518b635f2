package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// statusOf maps each error code to its one HTTP status.
var statusOf = map[string]int{
	cunjing.EInvalid:       http.StatusBadRequest,
	cunjing.ENotFound:      http.StatusNotFound,
	cunjing.EConflict:      http.StatusConflict,
	cunjing.EUnauthorized:  http.StatusUnauthorized,
	cunjing.EForbidden:     http.StatusForbidden,
	cunjing.ETooLarge:      http.StatusRequestEntityTooLarge,
	cunjing.EUnsupported:   http.StatusUnsupportedMediaType,
	cunjing.EUnprocessable: http.StatusUnprocessableEntity,
	cunjing.ELocked:        http.StatusLocked,
	cunjing.ERateLimited:   http.StatusTooManyRequests,
	cunjing.EInternal:      http.StatusInternalServerError,
}

// errorBody is {"error":{…}}, the one error format of the API.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code     string            `json:"code"`
	Message  string            `json:"message"`
	Fields   map[string]string `json:"fields,omitempty"`
	Problems []problem         `json:"problems,omitempty"`
	Total    int               `json:"total,omitempty"`
}

// problem is one bad line of an imported file.
type problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// writeError answers with err's code and message; internal errors are logged
// with the request id and shown only as "internal error".
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	detail := errorDetail{Code: cunjing.ErrorCode(err), Message: cunjing.ErrorMessage(err)}
	var e *cunjing.Error
	var tooLarge *http.MaxBytesError
	var problems *importer.Problems
	switch {
	case errors.As(err, &tooLarge):
		detail = errorDetail{Code: cunjing.ETooLarge, Message: "the request body is larger than the limit of this endpoint"}
	case errors.As(err, &problems):
		detail = errorDetail{Code: cunjing.EInvalid, Message: problems.Error(), Total: problems.Total}
		for _, p := range problems.Listed {
			detail.Problems = append(detail.Problems, problem{File: p.File, Line: p.Line, Column: p.Column, Message: p.Message})
		}
	case errors.As(err, &e):
		detail.Fields = e.Fields
	default:
		a.Logger.Error("api", "id", httpx.RequestID(r.Context()), "path", r.URL.Path, "err", err)
	}
	writeJSON(w, statusOf[detail.Code], errorBody{Error: detail})
}

// Fail answers a request with the generic 500 body, for panic recovery.
func Fail(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusInternalServerError, errorBody{Error: errorDetail{Code: cunjing.EInternal, Message: "internal error"}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
