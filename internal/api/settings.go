package api

import (
	"net/http"

	"cunjing"
)

// loginPolicyJSON is the login policy as the API shows it.
type loginPolicyJSON struct {
	MinLength  int  `json:"min_length"`
	MinClasses int  `json:"min_classes"`
	MaxAgeDays int  `json:"max_age_days"`
	Blocklist  bool `json:"blocklist"`
	RequireMFA bool `json:"require_mfa"`
}

func toLoginPolicyJSON(p cunjing.LoginPolicy) loginPolicyJSON {
	return loginPolicyJSON{MinLength: p.MinLength, MinClasses: p.MinClasses, MaxAgeDays: p.MaxAgeDays(),
		Blocklist: p.Blocklist, RequireMFA: p.RequireMFA}
}

// getLoginPolicy answers GET /api/v1/settings/login-policy: the policy in
// force, stored or the start-up one.
func (a *api) getLoginPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := a.Auth.LoginPolicy(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toLoginPolicyJSON(p))
	return nil
}

// putLoginPolicy answers PUT /api/v1/settings/login-policy. Every field is
// required, so that a forgotten one never turns a safeguard off; the store
// checks the floors and audits the change.
func (a *api) putLoginPolicy(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		MinLength  *int  `json:"min_length"`
		MinClasses *int  `json:"min_classes"`
		MaxAgeDays *int  `json:"max_age_days"`
		Blocklist  *bool `json:"blocklist"`
		RequireMFA *bool `json:"require_mfa"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	missing := map[string]string{}
	for name, given := range map[string]bool{"min_length": in.MinLength != nil, "min_classes": in.MinClasses != nil,
		"max_age_days": in.MaxAgeDays != nil, "blocklist": in.Blocklist != nil, "require_mfa": in.RequireMFA != nil} {
		if !given {
			missing[name] = "required"
		}
	}
	if len(missing) > 0 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "every setting of the login policy is required", Fields: missing}
	}
	p := cunjing.LoginPolicy{MinLength: *in.MinLength, MinClasses: *in.MinClasses, MaxAge: cunjing.DaysMaxAge(*in.MaxAgeDays),
		Blocklist: *in.Blocklist, RequireMFA: *in.RequireMFA}
	if err := a.Policies.SetLoginPolicy(r.Context(), p); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toLoginPolicyJSON(p))
	return nil
}
