package api

import (
	"net/http"
	"time"

	"cunjing"
)

// maxSearchLimit bounds the hits one search may ask for.
const maxSearchLimit = 100

// searchIn is the body of a search: what was typed into the one search
// box, and how many hits to return (20 when 0).
type searchIn struct {
	Q     string `json:"q"`
	Limit int    `json:"limit"`
}

// searchHitJSON is one hit as the API shows it: masked.
type searchHitJSON struct {
	Kind     cunjing.RecordKind `json:"kind"`
	ID       int64              `json:"id"`
	AreaCode string             `json:"area_code"`
	AreaName string             `json:"area_name"`
	Title    string             `json:"title"`
	Detail   string             `json:"detail"`
}

// searchJSON is the answer of a search: how the text was read, and the
// hits, exact matches first.
type searchJSON struct {
	Kind  cunjing.SearchKind `json:"kind"`
	Items []searchHitJSON    `json:"items"`
}

// search answers POST /api/v1/search {q, limit}: residents, addresses and
// orgs in the caller's scope that the text names. The text travels in the
// body, never in the URL, since it may be an ID number or a phone
// (SECURITY.md D2); the answer is not cached.
func (a *api) search(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	var in searchIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Limit < 0 || in.Limit > maxSearchLimit {
		return invalidParams(map[string]string{"limit": "must be between 0 and 100"})
	}
	q, err := cunjing.ParseSearch(in.Q, cunjing.DateOf(time.Now()))
	if err != nil {
		return err
	}
	hits, err := a.Search.Search(r.Context(), q, in.Limit)
	if err != nil {
		return err
	}
	items := make([]searchHitJSON, len(hits))
	for i, h := range hits {
		items[i] = searchHitJSON{Kind: h.Kind, ID: h.ID, AreaCode: h.AreaCode, AreaName: h.AreaName, Title: h.Title, Detail: h.Detail}
	}
	writeJSON(w, http.StatusOK, searchJSON{Kind: q.Kind, Items: items})
	return nil
}
