package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"time"

	"cunjing"
)

// decode reads a JSON body into v; unknown fields and trailing data are
// invalid, a value of the wrong JSON type is invalid naming its field, an
// oversized body is 413.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooLarge *http.MaxBytesError
		var wrongType *json.UnmarshalTypeError
		switch {
		case errors.As(err, &tooLarge):
			return err
		case errors.As(err, &wrongType) && wrongType.Field != "":
			return &cunjing.Error{Code: cunjing.EInvalid, Message: "the body is not valid",
				Fields: map[string]string{wrongType.Field: "must be a JSON " + jsonType(wrongType.Type)}}
		}
		return cunjing.Errorf(cunjing.EInvalid, "the body is not the expected JSON: %v", err)
	}
	return nil
}

// jsonType names the JSON type that decodes into a Go type.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "number"
}

// login answers POST /api/v1/auth/login with a session token for the
// Authorization: Bearer header.
func (a *api) login(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := a.Auth.Login(r.Context(), in.Username, in.Password)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, struct {
		Token       string    `json:"token"`
		Restriction string    `json:"restriction,omitempty"`
		ExpiresAt   time.Time `json:"expires_at"`
	}{res.Token, res.Restriction, res.ExpiresAt})
	return nil
}

func (a *api) logout(w http.ResponseWriter, r *http.Request) error {
	if err := a.Auth.Logout(r.Context()); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// me answers GET /api/v1/auth/me: who the caller is and what is left to do.
func (a *api) me(w http.ResponseWriter, r *http.Request) error {
	id := cunjing.IdentityFrom(r.Context())
	writeJSON(w, http.StatusOK, struct {
		Username    string       `json:"username"`
		Role        cunjing.Role `json:"role"`
		UnitCode    string       `json:"unit_code,omitempty"`
		Scope       []string     `json:"scope"`
		AllAreas    bool         `json:"all_areas,omitempty"`
		Restriction string       `json:"restriction,omitempty"`
	}{id.Username, id.Role, id.UnitCode, append([]string{}, id.Scope.Prefixes...), id.Scope.All, id.Restriction})
	return nil
}

func (a *api) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Current  string `json:"current_password"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.Auth.ChangePassword(r.Context(), in.Current, in.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *api) enrollMFA(w http.ResponseWriter, r *http.Request) error {
	secret, url, err := a.Auth.EnrollMFA(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"secret": secret, "otpauth_url": url})
	return nil
}

func (a *api) verifyMFA(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Code string `json:"code"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.Auth.VerifyMFA(r.Context(), in.Code); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// tokenJSON is an API token as listed; the secret is never shown again.
type tokenJSON struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *api) listTokens(w http.ResponseWriter, r *http.Request) error {
	tokens, err := a.Auth.Store.Tokens(r.Context(), cunjing.IdentityFrom(r.Context()).Username)
	if err != nil {
		return err
	}
	items := make([]tokenJSON, len(tokens))
	for i, t := range tokens {
		items[i] = tokenJSON{ID: t.IDHash, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt}
	}
	writeJSON(w, http.StatusOK, listJSON[tokenJSON]{Items: items})
	return nil
}

func (a *api) createToken(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "a token needs a name", Fields: map[string]string{"name": "1–100 characters"}}
	}
	secret, t, err := a.Auth.CreateToken(r.Context(), in.Name)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, struct {
		tokenJSON
		Token string `json:"token"`
	}{tokenJSON{ID: t.IDHash, Name: t.Name, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt}, secret})
	return nil
}

func (a *api) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := a.Auth.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
