package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"cunjing"
	"cunjing/internal/auth"
)

// loginPage is what the login, second-factor and password pages show.
type loginPage struct {
	Username string
	Next     string // where to go after logging in
	Error    string // message key
	Fields   map[string]string
	Secret   string              // a new second-factor secret, shown once
	URL      string              // its otpauth:// URL
	Enrolled bool                // the user has a second factor already
	Policy   cunjing.LoginPolicy // the rules a new password must meet
}

// safeNext keeps a post-login destination only when it is a path of this
// site, so that the login cannot send anyone elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (u *ui) loginForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "login", loginPage{Next: safeNext(r.URL.Query().Get("next"))})
}

// login checks the form and starts a session in a cookie, then goes on to
// the second factor, a password change or the page asked for.
func (u *ui) login(w http.ResponseWriter, r *http.Request) {
	page := loginPage{Username: r.PostFormValue("username"), Next: safeNext(r.PostFormValue("next"))}
	res, err := u.Auth.Login(r.Context(), page.Username, r.PostFormValue("password"))
	if err != nil {
		u.loginFailed(w, r, page, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: auth.SessionCookie, Value: res.Token, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, Expires: res.ExpiresAt})
	http.Redirect(w, r, afterLogin(res.Restriction, page.Next), http.StatusSeeOther)
}

// afterLogin is where a session with the restriction goes next.
func afterLogin(restriction, next string) string {
	switch restriction {
	case cunjing.RestrictMFA:
		return "/login/mfa?next=" + url.QueryEscape(next)
	case cunjing.RestrictChangePassword:
		return "/password?next=" + url.QueryEscape(next)
	}
	return next
}

func (u *ui) loginFailed(w http.ResponseWriter, r *http.Request, page loginPage, err error) {
	status, key := http.StatusUnauthorized, "login.wrong"
	switch cunjing.ErrorCode(err) {
	case cunjing.ELocked:
		status, key = http.StatusLocked, "login.locked"
	case cunjing.ERateLimited:
		status, key = http.StatusTooManyRequests, "login.rate_limited"
	case cunjing.EUnauthorized:
	default:
		u.fail(w, r, err)
		return
	}
	page.Error = key
	u.render(w, r, status, "login", page)
}

// logout ends the session and forgets the cookie.
func (u *ui) logout(w http.ResponseWriter, r *http.Request) {
	if err := u.Auth.Logout(r.Context()); err != nil {
		u.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: auth.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// mfaForm asks for the code of the authenticator app, first giving a new
// secret to a user who has none.
func (u *ui) mfaForm(w http.ResponseWriter, r *http.Request) {
	page := loginPage{Next: safeNext(r.URL.Query().Get("next"))}
	user, err := u.Auth.Store.User(r.Context(), cunjing.IdentityFrom(r.Context()).Username)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Enrolled = user.TOTPSecret != ""
	if !page.Enrolled {
		if page.Secret, page.URL, err = u.Auth.EnrollMFA(r.Context()); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "mfa", page)
}

func (u *ui) mfa(w http.ResponseWriter, r *http.Request) {
	page := loginPage{Next: safeNext(r.PostFormValue("next")), Enrolled: true}
	if err := u.Auth.VerifyMFA(r.Context(), r.PostFormValue("code")); err != nil {
		status, key := http.StatusUnauthorized, "mfa.wrong"
		if cunjing.ErrorCode(err) == cunjing.ELocked {
			status, key = http.StatusLocked, "login.locked"
		} else if cunjing.ErrorCode(err) != cunjing.EUnauthorized {
			u.fail(w, r, err)
			return
		}
		page.Error = key
		u.render(w, r, status, "mfa", page)
		return
	}
	http.Redirect(w, r, afterLogin(u.restrictionAfterMFA(r), page.Next), http.StatusSeeOther)
}

// restrictionAfterMFA tells whether the password must still be changed.
func (u *ui) restrictionAfterMFA(r *http.Request) string {
	user, err := u.Auth.Store.User(r.Context(), cunjing.IdentityFrom(r.Context()).Username)
	if err != nil {
		return ""
	}
	if must, err := u.Auth.MustChangePassword(r.Context(), user); err == nil && must {
		return cunjing.RestrictChangePassword
	}
	return ""
}

func (u *ui) passwordForm(w http.ResponseWriter, r *http.Request) {
	page, err := u.passwordPage(r, r.URL.Query().Get("next"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "password", page)
}

// passwordPage is the password form with the rules in force.
func (u *ui) passwordPage(r *http.Request, next string) (loginPage, error) {
	policy, err := u.Auth.LoginPolicy(r.Context())
	return loginPage{Next: safeNext(next), Policy: policy}, err
}

func (u *ui) changePassword(w http.ResponseWriter, r *http.Request) {
	page, err := u.passwordPage(r, r.PostFormValue("next"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if r.PostFormValue("password") != r.PostFormValue("confirm") {
		page.Fields = map[string]string{"confirm": "password.mismatch"}
		u.render(w, r, http.StatusBadRequest, "password", page)
		return
	}
	err = u.Auth.ChangePassword(r.Context(), r.PostFormValue("current_password"), r.PostFormValue("password"))
	var e *cunjing.Error
	switch {
	case err == nil:
		http.Redirect(w, r, page.Next, http.StatusSeeOther)
	case errors.As(err, &e) && e.Code == cunjing.EInvalid:
		page.Error, page.Fields = "password.invalid", e.Fields
		u.render(w, r, http.StatusBadRequest, "password", page)
	default:
		u.fail(w, r, err)
	}
}
