package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"cunjing"
	"cunjing/internal/auth"
)

// manageAccounts is the policy of the account pages.
var manageAccounts = auth.Allow(cunjing.PermManageAccounts)

// userLimit is how many accounts one page lists.
const userLimit = 50

// maxUnitChoices bounds the units the account form offers; any other code
// in scope may still be typed.
const maxUnitChoices = 2000

// usersPage is the account list: the search, one page of accounts with
// their phones masked, and the links to the first and next pages.
type usersPage struct {
	Query string
	Role  cunjing.Role
	Roles []cunjing.Role
	Users []cunjing.User
	First string
	Next  string
}

// userPage is an account with its phone in full and, right after it was
// created or reset, its one-time password.
type userPage struct {
	User            *cunjing.User
	OneTimePassword string
}

// userForm is the form that creates or changes an account, with the error
// code and the wrong fields of the last attempt.
type userForm struct {
	New         bool
	Username    string
	DisplayName string
	Phone       string
	Role        cunjing.Role
	UnitCode    string
	Roles       []cunjing.Role // the roles the caller may give
	Units       []cunjing.Unit // the units in the caller's scope
	Error       string
	Fields      map[string]string
}

// users lists the accounts in scope by user name or display name. There is
// no phone search, so that no personal data travels in the URL.
func (u *ui) users(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page := usersPage{Query: strings.TrimSpace(q.Get("q")), Role: cunjing.Role(q.Get("role")), Roles: cunjing.Roles}
	if page.Role != "" && !page.Role.Valid() || len([]rune(page.Query)) > 64 {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	cursor := q.Get("cursor")
	users, next, err := u.Users.FindUsers(r.Context(), cunjing.UserFilter{Query: page.Query, Role: page.Role,
		Page: cunjing.Page{Limit: userLimit, Cursor: cursor}})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, user := range users {
		user.Phone = cunjing.MaskPhone(user.Phone)
		page.Users = append(page.Users, user)
	}
	search := url.Values{"q": {page.Query}, "role": {string(page.Role)}}
	if cursor != "" {
		page.First = "/admin/users?" + search.Encode()
	}
	if next != "" {
		search.Set("cursor", next)
		page.Next = "/admin/users?" + search.Encode()
	}
	u.render(w, r, http.StatusOK, "users", page)
}

// user shows an account with its phone in full; the store audits the read.
func (u *ui) user(w http.ResponseWriter, r *http.Request) {
	u.showUser(w, r, http.StatusOK, r.PathValue("username"), "")
}

// showUser renders an account, with a one-time password when there is one.
// The page holds personal data, so it is never cached.
func (u *ui) showUser(w http.ResponseWriter, r *http.Request, status int, username, password string) {
	user, err := u.Users.UserDetail(r.Context(), username)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, status, "user", userPage{User: user, OneTimePassword: password})
}

// newUserForm shows an empty account form.
func (u *ui) newUserForm(w http.ResponseWriter, r *http.Request) {
	u.renderForm(w, r, http.StatusOK, userForm{New: true, Role: cunjing.RoleOfficer})
}

// createUser adds an account with a generated one-time password and shows
// it once.
func (u *ui) createUser(w http.ResponseWriter, r *http.Request) {
	form := userForm{New: true, Username: r.PostFormValue("username"), DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Phone: strings.TrimSpace(r.PostFormValue("phone")), Role: cunjing.Role(r.PostFormValue("role")),
		UnitCode: strings.TrimSpace(r.PostFormValue("unit_code"))}
	password, hash, err := auth.OneTimePassword()
	if err != nil {
		u.fail(w, r, err)
		return
	}
	err = u.Users.CreateUser(r.Context(), cunjing.User{Username: form.Username, DisplayName: form.DisplayName, Phone: form.Phone,
		Role: form.Role, UnitCode: form.UnitCode, PasswordHash: hash, MustChangePassword: true})
	if err != nil {
		u.formFailed(w, r, form, err)
		return
	}
	u.showUser(w, r, http.StatusCreated, form.Username, password)
}

// editUserForm shows the form of an account, filled in; it shows the phone
// in full, so the read is audited like the detail.
func (u *ui) editUserForm(w http.ResponseWriter, r *http.Request) {
	user, err := u.Users.UserDetail(r.Context(), r.PathValue("username"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	u.renderForm(w, r, http.StatusOK, userForm{Username: user.Username, DisplayName: user.DisplayName, Phone: user.Phone,
		Role: user.Role, UnitCode: user.UnitCode})
}

// updateUser saves the account form and goes back to the account.
func (u *ui) updateUser(w http.ResponseWriter, r *http.Request) {
	form := userForm{Username: cunjing.CanonicalUsername(r.PathValue("username")), DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Phone: strings.TrimSpace(r.PostFormValue("phone")), Role: cunjing.Role(r.PostFormValue("role")),
		UnitCode: strings.TrimSpace(r.PostFormValue("unit_code"))}
	up := cunjing.UserUpdate{DisplayName: &form.DisplayName, Phone: &form.Phone, Role: &form.Role, UnitCode: &form.UnitCode}
	if err := u.Users.UpdateUser(r.Context(), form.Username, up); err != nil {
		u.formFailed(w, r, form, err)
		return
	}
	http.Redirect(w, r, userPath(form.Username), http.StatusSeeOther)
}

// disableUser cuts an account off at once.
func (u *ui) disableUser(w http.ResponseWriter, r *http.Request) {
	u.setDisabled(w, r, true)
}

// enableUser lets a disabled account log in again.
func (u *ui) enableUser(w http.ResponseWriter, r *http.Request) {
	u.setDisabled(w, r, false)
}

func (u *ui) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	name := cunjing.CanonicalUsername(r.PathValue("username"))
	if err := u.Users.UpdateUser(r.Context(), name, cunjing.UserUpdate{Disabled: &disabled}); err != nil {
		u.fail(w, r, err)
		return
	}
	http.Redirect(w, r, userPath(name), http.StatusSeeOther)
}

// resetUser gives an account a new one-time password and shows it once;
// the account's sessions end and its second factor is cleared.
func (u *ui) resetUser(w http.ResponseWriter, r *http.Request) {
	name := cunjing.CanonicalUsername(r.PathValue("username"))
	password, hash, err := auth.OneTimePassword()
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if err := u.Users.UpdateUser(r.Context(), name, cunjing.UserUpdate{PasswordHash: &hash}); err != nil {
		u.fail(w, r, err)
		return
	}
	u.showUser(w, r, http.StatusOK, name, password)
}

// formFailed shows the form again with what was wrong: a bad field, a name
// taken, a role above the caller's or a unit outside his scope. Any other
// error, such as an account out of scope, gets its error page.
func (u *ui) formFailed(w http.ResponseWriter, r *http.Request, form userForm, err error) {
	status := map[string]int{cunjing.EInvalid: http.StatusBadRequest, cunjing.EConflict: http.StatusConflict,
		cunjing.EForbidden: http.StatusForbidden, cunjing.ENotFound: http.StatusNotFound}[cunjing.ErrorCode(err)]
	var e *cunjing.Error
	if !errors.As(err, &e) || status == 0 || e.Code == cunjing.ENotFound && e.Fields["unit_code"] == "" {
		u.fail(w, r, err)
		return
	}
	form.Error, form.Fields = e.Code, e.Fields
	u.renderForm(w, r, status, form)
}

// renderForm shows the account form with the roles and units to choose from.
func (u *ui) renderForm(w http.ResponseWriter, r *http.Request, status int, form userForm) {
	id := cunjing.IdentityFrom(r.Context())
	for _, role := range cunjing.Roles {
		if id.Role.Outranks(role) {
			form.Roles = append(form.Roles, role)
		}
	}
	units, err := u.unitChoices(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	form.Units = units
	u.render(w, r, status, "user_form", form)
}

// unitChoices lists the units in the caller's scope, up to maxUnitChoices.
func (u *ui) unitChoices(ctx context.Context) ([]cunjing.Unit, error) {
	var all []cunjing.Unit
	page := cunjing.Page{Limit: cunjing.MaxPageLimit}
	for len(all) < maxUnitChoices {
		units, next, err := u.Units.FindUnits(ctx, cunjing.UnitFilter{Page: page})
		if err != nil {
			return nil, fmt.Errorf("web: units to choose: %w", err)
		}
		all = append(all, units...)
		if next == "" {
			break
		}
		page.Cursor = next
	}
	return all, nil
}

// userPath is the page of an account.
func userPath(username string) string {
	return "/admin/users/" + url.PathEscape(username)
}
