package api

import (
	"net/url"
	"strconv"

	"cunjing"
)

// listJSON is the shape of every list: {"items":[…],"next_cursor":"…"}.
type listJSON[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// parsePage reads limit and cursor; it returns the invalid error carrying
// fields, the ones found by the caller included, when any is wrong.
func parsePage(q url.Values, fields map[string]string) (cunjing.Page, error) {
	page := cunjing.Page{Cursor: q.Get("cursor")}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			fields["limit"] = "must be a whole number from 1 to " + strconv.Itoa(cunjing.MaxPageLimit)
		}
		page.Limit = n
	}
	if len(fields) > 0 {
		return page, &cunjing.Error{Code: cunjing.EInvalid, Message: "some parameters are not valid", Fields: fields}
	}
	return page.Normalized(), nil
}
