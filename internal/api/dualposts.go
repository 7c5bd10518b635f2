package api

import (
	"fmt"
	"net/http"

	"cunjing"
)

// dualPostJSON is an officer's post in a village (两任); ended_on is null
// while it is held.
type dualPostJSON struct {
	ID          int64                `json:"id"`
	StaffID     int64                `json:"staff_id"`
	StaffName   string               `json:"staff_name"`
	AreaCode    string               `json:"area_code"`
	AreaName    string               `json:"area_name"`
	Post        cunjing.DualPostKind `json:"post"`
	AppointedOn cunjing.Date         `json:"appointed_on"`
	DocumentNo  string               `json:"document_no"`
	EndedOn     *cunjing.Date        `json:"ended_on"`
}

func toDualPostJSON(p cunjing.DualPost) dualPostJSON {
	out := dualPostJSON{ID: p.ID, StaffID: p.StaffID, StaffName: p.StaffName, AreaCode: p.AreaCode, AreaName: p.AreaName,
		Post: p.Post, AppointedOn: p.AppointedOn, DocumentNo: p.DocumentNo}
	if !p.EndedOn.IsZero() {
		out.EndedOn = &p.EndedOn
	}
	return out
}

// listDualPosts answers GET /api/v1/dual-posts?under=&staff=: the dual
// posts of villages in scope under the area, of one officer when staff is
// given, held ones first. The list is whole: next_cursor is always "".
func (a *api) listDualPosts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	fields := map[string]string{}
	under, staffID := q.Get("under"), staffParam(fields, "staff", q.Get("staff"))
	checkAreaCode(fields, "under", under)
	if err := invalidParams(fields); err != nil {
		return err
	}
	posts, err := a.DualPosts.DualPosts(r.Context(), under, staffID)
	if err != nil {
		return err
	}
	items := make([]dualPostJSON, len(posts))
	for i, p := range posts {
		items[i] = toDualPostJSON(p)
	}
	writeJSON(w, http.StatusOK, listJSON[dualPostJSON]{Items: items})
	return nil
}

// createDualPost answers POST /api/v1/dual-posts: an active officer takes
// a post in a village Party branch or committee; the answer is the post
// with the names of the officer and the village.
func (a *api) createDualPost(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		StaffID     int64                `json:"staff_id"`
		AreaCode    string               `json:"area_code"`
		Post        cunjing.DualPostKind `json:"post"`
		AppointedOn string               `json:"appointed_on"`
		DocumentNo  string               `json:"document_no"`
		EndedOn     string               `json:"ended_on"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	p := cunjing.DualPost{StaffID: in.StaffID, AreaCode: in.AreaCode, Post: in.Post, DocumentNo: in.DocumentNo,
		AppointedOn: dateParam(fields, "appointed_on", in.AppointedOn), EndedOn: dateParam(fields, "ended_on", in.EndedOn)}
	if err := invalidParams(fields); err != nil {
		return err
	}
	id, err := a.DualPosts.AddDualPost(r.Context(), p)
	if err != nil {
		return err
	}
	posts, err := a.DualPosts.DualPosts(r.Context(), p.AreaCode, p.StaffID)
	if err != nil {
		return err
	}
	for _, made := range posts {
		if made.ID == id {
			writeJSON(w, http.StatusCreated, toDualPostJSON(made))
			return nil
		}
	}
	return fmt.Errorf("api: dual post %d not read back", id)
}

// endDualPost answers POST /api/v1/dual-posts/{id}/end {"ended_on":"YYYY-MM-DD"}.
func (a *api) endDualPost(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in struct {
		EndedOn string `json:"ended_on"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	fields := map[string]string{}
	end := dateParam(fields, "ended_on", in.EndedOn)
	if err := invalidParams(fields); err != nil {
		return err
	}
	if err := a.DualPosts.EndDualPost(r.Context(), id, end); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
