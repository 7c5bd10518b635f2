package api_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"cunjing"
)

const policyPath = "/api/v1/settings/login-policy"

// stricter is a valid login policy other than the start-up one.
const stricter = `{"min_length":14,"min_classes":3,"max_age_days":30,"blocklist":true,"require_mfa":true}`

func TestLoginPolicyIsTheSecurityAdministratorsOnly(t *testing.T) {
	for user, want := range map[string]int{"": 401, "admin": 403, "city": 403, "auditor": 403, "officer": 403, "security": 200} {
		srv, _ := newServerAs(t, user)
		if res, body := send(t, srv, "", "GET", policyPath, ""); res.StatusCode != want {
			t.Errorf("GET as %q: %d; want %d (%s)", user, res.StatusCode, want, body)
		}
		if res, body := send(t, srv, "", "PUT", policyPath, stricter); res.StatusCode != want {
			t.Errorf("PUT as %q: %d; want %d (%s)", user, res.StatusCode, want, body)
		}
	}
}

func TestLoginPolicyPutThenGet(t *testing.T) {
	srv, st := newServerAs(t, "security")
	var got map[string]any
	if status := get(t, srv, policyPath, &got); status != 200 || got["min_length"] != 8.0 || got["max_age_days"] != 90.0 ||
		got["blocklist"] != true || got["require_mfa"] != false {
		t.Fatalf("before any change: %d %v; want the start-up defaults", status, got)
	}
	if res, body := send(t, srv, "", "PUT", policyPath, stricter); res.StatusCode != 200 {
		t.Fatalf("PUT: %d %s", res.StatusCode, body)
	}
	var after map[string]any
	if status := get(t, srv, policyPath, &after); status != 200 {
		t.Fatalf("GET: %d", status)
	}
	var want map[string]any
	json.Unmarshal([]byte(stricter), &want)
	for k, v := range want {
		if after[k] != v {
			t.Errorf("%s = %v; want %v", k, after[k], v)
		}
	}
	if rows := auditRows(t, st, cunjing.ActionConfigChange, "login_policy"); len(rows) != 1 || rows[0].Actor != "security" {
		t.Errorf("config_change rows = %+v; want one by security", rows)
	}
}

func TestLoginPolicyBelowTheFloorsIsNamed(t *testing.T) {
	srv, st := newServerAs(t, "security")
	for body, field := range map[string]string{
		`{"min_length":6,"min_classes":3,"max_age_days":90,"blocklist":true,"require_mfa":false}`:             "min_length",
		`{"min_length":10,"min_classes":2,"max_age_days":90,"blocklist":true,"require_mfa":false}`:            "min_classes",
		`{"min_length":8,"min_classes":3,"max_age_days":106752,"blocklist":true,"require_mfa":false}`:         "max_age_days",
		`{"min_length":8,"min_classes":3,"max_age_days":90,"require_mfa":false}`:                              "blocklist",
		`{"min_length":8,"min_classes":3,"max_age_days":90,"blocklist":true,"require_mfa":false,"max_age":1}`: "",
	} {
		res, text := send(t, srv, "", "PUT", policyPath, body)
		var e apiError
		json.Unmarshal([]byte(text), &e)
		if res.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" || field != "" && e.Error.Fields[field] == "" {
			t.Errorf("%s: %d %+v; want 400 naming %q", body, res.StatusCode, e.Error, field)
		}
	}
	if rows := auditRows(t, st, cunjing.ActionConfigChange, "login_policy"); len(rows) != 0 {
		t.Errorf("refused changes were stored: %+v", rows)
	}
}
