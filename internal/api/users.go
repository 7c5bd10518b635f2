package api

import (
	"net/http"
	"net/url"
	"time"

	"cunjing"
	"cunjing/internal/auth"
)

// userJSON is an account as the API shows it: never its password hash or
// second-factor secret, and its phone masked except on the detail.
type userJSON struct {
	Username           string       `json:"username"`
	DisplayName        string       `json:"display_name"`
	Phone              string       `json:"phone"`
	Role               cunjing.Role `json:"role"`
	UnitCode           string       `json:"unit_code,omitempty"`
	Disabled           bool         `json:"disabled"`
	MustChangePassword bool         `json:"must_change_password"`
	SecondFactor       bool         `json:"second_factor"`
	CreatedAt          time.Time    `json:"created_at"`
}

func toUserJSON(u cunjing.User, phone string) userJSON {
	return userJSON{Username: u.Username, DisplayName: u.DisplayName, Phone: phone, Role: u.Role, UnitCode: u.UnitCode,
		Disabled: u.Disabled, MustChangePassword: u.MustChangePassword, SecondFactor: u.TOTPSecret != "", CreatedAt: u.CreatedAt}
}

// newUserJSON is an account with its one-time password, shown only once.
type newUserJSON struct {
	Username        string `json:"username"`
	OneTimePassword string `json:"one_time_password"`
}

// listUsers answers GET /api/v1/users?q=&role=&limit=&cursor=: the accounts
// in scope with their phones masked. q matches user and display names only,
// so that no personal data travels in the URL.
func (a *api) listUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := cunjing.UserFilter{Query: q.Get("q"), Role: cunjing.Role(q.Get("role"))}
	fields := map[string]string{}
	if f.Role != "" && !f.Role.Valid() {
		fields["role"] = "unknown role"
	}
	page, err := parsePage(q, fields)
	if err != nil {
		return err
	}
	f.Page = page
	users, next, err := a.Users.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]userJSON, len(users))
	for i, u := range users {
		items[i] = toUserJSON(u, cunjing.MaskPhone(u.Phone))
	}
	writeJSON(w, http.StatusOK, listJSON[userJSON]{Items: items, NextCursor: next})
	return nil
}

// getUser answers GET /api/v1/users/{username}: the account with its phone
// in full; the store audits the read.
func (a *api) getUser(w http.ResponseWriter, r *http.Request) error {
	u, err := a.Users.UserDetail(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, toUserJSON(*u, u.Phone))
	return nil
}

// createUser answers POST /api/v1/users: a new account that must change
// its generated one-time password at the first login.
func (a *api) createUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username    string       `json:"username"`
		DisplayName string       `json:"display_name"`
		Phone       string       `json:"phone"`
		Role        cunjing.Role `json:"role"`
		UnitCode    string       `json:"unit_code"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	password, hash, err := auth.OneTimePassword()
	if err != nil {
		return err
	}
	u := cunjing.User{Username: in.Username, DisplayName: in.DisplayName, Phone: in.Phone, Role: in.Role, UnitCode: in.UnitCode,
		PasswordHash: hash, MustChangePassword: true}
	if err := a.Users.CreateUser(r.Context(), u); err != nil {
		return err
	}
	name := cunjing.CanonicalUsername(in.Username)
	w.Header().Set("Location", "/api/v1/users/"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, newUserJSON{Username: name, OneTimePassword: password})
	return nil
}

// updateUser answers PATCH /api/v1/users/{username}. Only the fields below
// may be sent; any other, such as scope or password_hash, is refused.
func (a *api) updateUser(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		DisplayName *string       `json:"display_name"`
		Phone       *string       `json:"phone"`
		Role        *cunjing.Role `json:"role"`
		UnitCode    *string       `json:"unit_code"`
		Disabled    *bool         `json:"disabled"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	up := cunjing.UserUpdate{DisplayName: in.DisplayName, Phone: in.Phone, Role: in.Role, UnitCode: in.UnitCode, Disabled: in.Disabled}
	if up == (cunjing.UserUpdate{}) {
		return cunjing.Errorf(cunjing.EInvalid, "nothing to change")
	}
	if err := a.Users.UpdateUser(r.Context(), r.PathValue("username"), up); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// resetUser answers POST /api/v1/users/{username}/reset: a new one-time
// password; the account's sessions end and its second factor is cleared.
func (a *api) resetUser(w http.ResponseWriter, r *http.Request) error {
	password, hash, err := auth.OneTimePassword()
	if err != nil {
		return err
	}
	name := cunjing.CanonicalUsername(r.PathValue("username"))
	if err := a.Users.UpdateUser(r.Context(), name, cunjing.UserUpdate{PasswordHash: &hash}); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, newUserJSON{Username: name, OneTimePassword: password})
	return nil
}

// breakGlass answers POST /api/v1/break-glass {object, reason}: the caller
// may read the object outside his scope for cunjing.BreakGlassTTL.
func (a *api) breakGlass(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Object string `json:"object"`
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.Grants.BreakGlass(r.Context(), in.Object, in.Reason, cunjing.BreakGlassTTL); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
