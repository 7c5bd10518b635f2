package api

import (
	"cunjing/internal/httpx"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"cunjing"
)

// photoBody bounds a photo upload: the photo and the multipart framing.
const photoBody = cunjing.MaxPhotoBytes + 64<<10

// staffJSON is a member of staff as the API shows it; the phone is masked
// except on the detail, for roles that read personal data.
type staffJSON struct {
	ID           int64               `json:"id"`
	Name         string              `json:"name"`
	Kind         cunjing.StaffKind   `json:"kind"`
	UnitCode     string              `json:"unit_code"`
	UnitName     string              `json:"unit_name"`
	Phone        string              `json:"phone"`
	PoliceNumber string              `json:"police_number"`
	Status       cunjing.StaffStatus `json:"status"`
	Username     string              `json:"username"`
	HasPhoto     bool                `json:"has_photo"`
	UpdatedAt    time.Time           `json:"updated_at"`
}

func toStaffJSON(m cunjing.Staff) staffJSON {
	return staffJSON{ID: m.ID, Name: m.Name, Kind: m.Kind, UnitCode: m.UnitCode, UnitName: m.UnitName, Phone: m.Phone,
		PoliceNumber: m.PoliceNumber, Status: m.Status, Username: m.Username, HasPhoto: m.HasPhoto, UpdatedAt: m.UpdatedAt}
}

// staffIn is the body of a create; on an update, the fields sent.
type staffIn struct {
	Name         *string              `json:"name"`
	Kind         *cunjing.StaffKind   `json:"kind"`
	UnitCode     *string              `json:"unit_code"`
	Phone        *string              `json:"phone"`
	PoliceNumber *string              `json:"police_number"`
	Status       *cunjing.StaffStatus `json:"status"`
	Username     *string              `json:"username"`
}

// applyTo sets the fields sent on m.
func (in staffIn) applyTo(m *cunjing.Staff) {
	setSent(&m.Name, in.Name)
	setSent(&m.Kind, in.Kind)
	setSent(&m.UnitCode, in.UnitCode)
	setSent(&m.Phone, in.Phone)
	setSent(&m.PoliceNumber, in.PoliceNumber)
	setSent(&m.Status, in.Status)
	setSent(&m.Username, in.Username)
}

func setSent[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// listStaff answers GET /api/v1/staff?unit=&kind=&status=&q=&limit=&cursor=:
// the staff of the units in scope, by ID, phones masked.
func (a *api) listStaff(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := cunjing.StaffFilter{Unit: q.Get("unit"), Kind: cunjing.StaffKind(q.Get("kind")), Status: cunjing.StaffStatus(q.Get("status")),
		Query: q.Get("q")}
	fields := map[string]string{}
	checkUnitCode(fields, "unit", f.Unit)
	if f.Kind != "" && !slices.Contains(cunjing.StaffKinds, f.Kind) {
		fields["kind"] = "unknown kind of staff"
	}
	if f.Status != "" && !slices.Contains(cunjing.StaffStatuses, f.Status) {
		fields["status"] = "must be active, on_leave, transferred or retired"
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	staff, next, err := a.Staff.FindStaff(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]staffJSON, len(staff))
	for i, m := range staff {
		items[i] = toStaffJSON(m)
	}
	writeJSON(w, http.StatusOK, listJSON[staffJSON]{Items: items, NextCursor: next})
	return nil
}

// createStaff answers POST /api/v1/staff: one new member of staff.
func (a *api) createStaff(w http.ResponseWriter, r *http.Request) error {
	var in staffIn
	if err := decode(r, &in); err != nil {
		return err
	}
	var m cunjing.Staff
	in.applyTo(&m)
	staff := []cunjing.Staff{m}
	if err := a.Staff.CreateStaff(r.Context(), staff); err != nil {
		var item *cunjing.ItemError
		if errors.As(err, &item) {
			return item.Err
		}
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/staff/%d", staff[0].ID))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, toStaffJSON(staff[0]))
	return nil
}

// getStaff answers GET /api/v1/staff/{id}: the member of staff with his
// phone in full (masked by the store for roles that do not read personal
// data); the store audits the read.
func (a *api) getStaff(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	m, err := a.Staff.StaffMember(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, toStaffJSON(*m))
	return nil
}

// updateStaff answers PATCH /api/v1/staff/{id}: the fields sent change,
// the others stay. A member transferred or retired leaves his posts.
func (a *api) updateStaff(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	var in staffIn
	if err := decode(r, &in); err != nil {
		return err
	}
	if in == (staffIn{}) {
		return cunjing.Errorf(cunjing.EInvalid, "nothing to change")
	}
	m, err := a.Staff.StaffMember(r.Context(), id)
	if err != nil {
		return err
	}
	in.applyTo(m)
	if err := a.Staff.UpdateStaff(r.Context(), *m); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// putStaffPhoto answers PUT /api/v1/staff/{id}/photo: a JPEG or PNG image
// as the raw body or as the first file of a multipart form.
func (a *api) putStaffPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	data, err := readPhoto(r)
	if err != nil {
		return err
	}
	if err := a.Staff.SetStaffPhoto(r.Context(), id, cunjing.Photo{Data: data}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readPhoto reads an uploaded photo, at most one byte over
// cunjing.MaxPhotoBytes so that the store can refuse it as too large.
func readPhoto(r *http.Request) ([]byte, error) {
	body := io.Reader(r.Body)
	if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType == "multipart/form-data" {
		part, err := httpx.FilePart(r, "")
		if err != nil {
			return nil, err
		}
		body = part
	}
	data, err := io.ReadAll(io.LimitReader(body, cunjing.MaxPhotoBytes+1))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("api: read photo: %w", err)
	}
	if len(data) == 0 {
		return nil, cunjing.Errorf(cunjing.EInvalid, "no photo in the request")
	}
	return data, nil
}

// getStaffPhoto answers GET /api/v1/staff/{id}/photo with the image.
func (a *api) getStaffPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := recordID(r)
	if err != nil {
		return err
	}
	p, err := a.Staff.StaffPhoto(r.Context(), id)
	if err != nil {
		return err
	}
	return writeImage(w, p, "private, no-cache")
}

// recordID reads the {id} of the path.
func recordID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, cunjing.Errorf(cunjing.ENotFound, "no such record: %s", r.PathValue("id"))
	}
	return id, nil
}
