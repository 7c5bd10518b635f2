package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"cunjing"
)

// settingsPage is the login-policy form: the settings as stored or as
// typed, the bad ones, and whether they were just saved.
type settingsPage struct {
	MinLength, MinClasses, MaxAgeDays string
	Blocklist, RequireMFA             bool
	Fields                            map[string]string
	Saved                             bool
}

// policyBounds are the floors and ceilings of a login policy.
type policyBounds struct {
	LengthFloor, LengthCeiling, LongLength, ClassesFloor, MaxAgeDays int
}

// Bounds are the floors the form explains.
func (settingsPage) Bounds() policyBounds {
	return policyBounds{cunjing.PolicyLengthFloor, cunjing.PolicyLengthCeiling, cunjing.PolicyLongLength,
		cunjing.PolicyClassesFloor, cunjing.LoginPolicy{MaxAge: cunjing.PolicyMaxAgeCeiling}.MaxAgeDays()}
}

func settingsPageOf(p cunjing.LoginPolicy) settingsPage {
	return settingsPage{MinLength: strconv.Itoa(p.MinLength), MinClasses: strconv.Itoa(p.MinClasses),
		MaxAgeDays: strconv.Itoa(p.MaxAgeDays()), Blocklist: p.Blocklist, RequireMFA: p.RequireMFA}
}

// policy reads the typed settings; numbers that do not parse are invalid.
func (page settingsPage) policy() (cunjing.LoginPolicy, error) {
	fields := map[string]string{}
	number := func(name, text string) int {
		n, err := strconv.Atoi(text)
		if err != nil {
			fields[name] = "must be a whole number"
		}
		return n
	}
	p := cunjing.LoginPolicy{MinLength: number("min_length", page.MinLength), MinClasses: number("min_classes", page.MinClasses),
		MaxAge: cunjing.DaysMaxAge(number("max_age_days", page.MaxAgeDays)), Blocklist: page.Blocklist, RequireMFA: page.RequireMFA}
	if len(fields) > 0 {
		return p, &cunjing.Error{Code: cunjing.EInvalid, Message: "the settings must be whole numbers", Fields: fields}
	}
	return p, nil
}

// securityForm shows the login policy in force (SECURITY.md A2, A5).
func (u *ui) securityForm(w http.ResponseWriter, r *http.Request) {
	p, err := u.Auth.LoginPolicy(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "settings", settingsPageOf(p))
}

// saveSecurity stores the login policy, which applies at once; the store
// checks the floors and audits the change.
func (u *ui) saveSecurity(w http.ResponseWriter, r *http.Request) {
	page := settingsPage{MinLength: strings.TrimSpace(r.PostFormValue("min_length")),
		MinClasses: strings.TrimSpace(r.PostFormValue("min_classes")), MaxAgeDays: strings.TrimSpace(r.PostFormValue("max_age_days")),
		Blocklist: r.PostFormValue("blocklist") != "", RequireMFA: r.PostFormValue("require_mfa") != ""}
	p, err := page.policy()
	if err == nil {
		err = u.Policies.SetLoginPolicy(r.Context(), p)
	}
	var e *cunjing.Error
	switch {
	case errors.As(err, &e) && e.Code == cunjing.EInvalid:
		page.Fields = e.Fields
		u.render(w, r, http.StatusBadRequest, "settings", page)
	case err != nil:
		u.fail(w, r, err)
	default:
		saved := settingsPageOf(p)
		saved.Saved = true
		u.render(w, r, http.StatusOK, "settings", saved)
	}
}
