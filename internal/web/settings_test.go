package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store/storetest"
)

func TestSecurityPageShowsAndChangesTheLoginPolicy(t *testing.T) {
	h, st := demoUIAs(t, "security")
	res, page := get(t, h, "/admin/security")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "policy page", page, `<a href="/admin/security" aria-current="page" class="nav-admin">安全策略</a>`,
		`name="min_length" type="number" inputmode="numeric" value="8"`, `name="min_classes" type="number" inputmode="numeric" value="3"`,
		`name="max_age_days" type="number" inputmode="numeric" value="90"`, `name="blocklist" value="on" checked>`,
		"为符合等保三级要求，策略不能低于以下下限：密码至少 8 位；最短长度低于 12 位时，至少包含 3 类字符；密码有效期最长 365 天。")
	if strings.Contains(between(page, `name="require_mfa"`, ">"), "checked") {
		t.Error("the second factor shows as required; the test authenticator does not require it")
	}

	form := url.Values{"min_length": {"14"}, "min_classes": {"2"}, "max_age_days": {"30"}, "blocklist": {"on"}, "require_mfa": {"on"}}
	res, saved := postForm(t, h, "/admin/security", form)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "saved page", saved, "登录安全策略已保存", `value="14"`, `value="2"`, `value="30"`, `name="require_mfa" value="on" aria-describedby="set-mfa-hint" checked>`)
	want := cunjing.LoginPolicy{MinLength: 14, MinClasses: 2, MaxAge: 30 * 24 * time.Hour, Blocklist: true, RequireMFA: true}
	if got, err := st.LoginPolicy(context.Background()); err != nil || got != want {
		t.Errorf("stored %+v, %v; want %+v", got, err, want)
	}
	events, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionConfigChange})
	if err != nil || len(events) != 1 || events[0].Actor != "security" || events[0].Object != "login_policy" {
		t.Errorf("config_change rows = %+v, %v; want one by security", events, err)
	}
	_, again := get(t, h, "/admin/security?lang=en")
	wantContains(t, "policy page in English", again, `value="14"`, "Login security policy")
}

func TestSecurityPageRefusesPoliciesBelowTheFloors(t *testing.T) {
	h, st := demoUIAs(t, "security")
	form := url.Values{"min_length": {"6"}, "min_classes": {"2"}, "max_age_days": {"90"}, "blocklist": {"on"}}
	res, page := postForm(t, h, "/admin/security", form)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "refused page", page, "策略低于等保三级下限或填写有误", `value="6"`, `value="2"`,
		`class="field-error" id="set-min-length-hint"`, `class="field-error" id="set-min-classes-hint"`, `class="hint" id="set-max-age-hint"`)
	form = url.Values{"min_length": {"12"}, "min_classes": {"x"}, "max_age_days": {"90"}}
	res, page = postForm(t, h, "/admin/security", form)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "page of a typo", page, `value="x"`, `class="field-error" id="set-min-classes-hint"`, `class="hint" id="set-min-length-hint"`)
	if _, err := st.LoginPolicy(context.Background()); cunjing.ErrorCode(err) != cunjing.ENotFound {
		t.Errorf("a refused policy was stored: %v", err)
	}
}

func TestSecurityPageIsTheSecurityAdministratorsOnly(t *testing.T) {
	for _, user := range []string{cunjing.FirstAdminName, "city", "auditor"} {
		h, _ := demoUIAs(t, user)
		res, _ := get(t, h, "/admin/security")
		wantStatus(t, res, http.StatusForbidden)
		res, _ = postForm(t, h, "/admin/security", url.Values{"min_length": {"8"}, "min_classes": {"3"}, "max_age_days": {"0"}})
		wantStatus(t, res, http.StatusForbidden)
		if _, page := get(t, h, "/password"); strings.Contains(page, `href="/admin/security"`) {
			t.Errorf("%s's navigation offers the security page", user)
		}
	}
	// The security administrator reads the jurisdiction, so his home is
	// the city's figures; the navigation leads to his page.
	h, _ := demoUIAs(t, "security")
	res, home := get(t, h, "/")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the security administrator's home", home, `<a href="/admin/security" class="nav-admin">安全策略</a>`)
}
