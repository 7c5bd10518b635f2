package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// workstationsOf returns the codes of the first two village work stations
// under a county bureau.
func workstationsOf(t *testing.T, st *store.Store, bureau string) (string, string) {
	t.Helper()
	units, _, err := st.FindUnits(storetest.Ctx(), cunjing.UnitFilter{Under: bureau, Kind: cunjing.UnitWorkstation, Page: cunjing.Page{Limit: 2}})
	if err != nil || len(units) != 2 {
		t.Fatalf("work stations under %s: %v, %v", bureau, units, err)
	}
	return units[0].Code, units[1].Code
}

// addAccount creates an officer with a phone, as the command line does.
func addAccount(t *testing.T, st *store.Store, username, phone, unit string) {
	t.Helper()
	u := cunjing.User{Username: username, DisplayName: "王芳", Phone: phone, Role: cunjing.RoleOfficer, UnitCode: unit, PasswordHash: "x"}
	if err := st.CreateUser(storetest.Ctx(), u); err != nil {
		t.Fatal(err)
	}
}

// storedUser reads an account as stored.
func storedUser(t *testing.T, st *store.Store, username string) *cunjing.User {
	t.Helper()
	u, err := st.User(storetest.Ctx(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAccountListMasksPhonesAndTheDetailIsAudited(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	unit, _ := workstationsOf(t, st, "410423000000")
	addAccount(t, st, "wangfang", "13812345678", unit)

	res, list := get(t, h, "/admin/users?q=WANG")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "account list", list, `<a href="/admin/users" aria-current="page" class="nav-admin">账号管理</a>`,
		`href="/admin/users/wangfang"`, "138****5678", "为保护个人信息，不提供按手机号搜索。", "民警")
	if strings.Contains(list, "13812345678") {
		t.Error("the account list shows a phone in full")
	}
	res, detail := get(t, h, "/admin/users/wangfang")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "account page", detail, `href="tel:13812345678"`, "完整手机号的每次查看都记入审计日志。")
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("account page Cache-Control = %q; want no-store", cc)
	}
	events, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionReadPersonal, Object: "user:wangfang"})
	if err != nil || len(events) != 1 || events[0].Actor != "lushan" {
		t.Errorf("read_personal rows = %+v, %v; want one by lushan", events, err)
	}
}

func TestAccountPagesNeedAccountManagement(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	for _, path := range []string{"/admin/users", "/admin/new-user", "/admin/users/officer"} {
		res, _ := get(t, h, path)
		wantStatus(t, res, http.StatusForbidden)
	}
	_, home := get(t, h, "/")
	if strings.Contains(home, "/admin/users") {
		t.Error("an officer's navigation offers the account pages")
	}
}

func TestNewAccountShowsItsOneTimePasswordOnce(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	unit, _ := workstationsOf(t, st, "410423000000")
	res, form := get(t, h, "/admin/new-user?lang=en")
	wantStatus(t, res, http.StatusOK)
	roles := between(form, `<select id="user-role"`, "</select>")
	wantContains(t, "roles offered", roles, `value="county_admin"`, `value="officer"`, "Auxiliary police")
	for _, above := range []string{"city_admin", "system_admin", "auditor"} {
		if strings.Contains(roles, `value="`+above+`"`) {
			t.Errorf("a county administrator is offered the role %s", above)
		}
	}
	units := between(form, `<datalist id="user-units">`, "</datalist>")
	wantContains(t, "units offered", units, `value="`+unit+`"`)
	if strings.Contains(units, `value="410482`) {
		t.Error("the 鲁山县 administrator is offered units of 汝州市")
	}

	fields := url.Values{"username": {"Li.Na"}, "display_name": {"李娜"}, "phone": {"139 0000 1111"}, "role": {"officer"}, "unit_code": {unit}}
	res, page := postForm(t, h, "/admin/users", fields)
	wantStatus(t, res, http.StatusCreated)
	password := between(page, "<p><code>", "</code></p>")
	wantContains(t, "new account page", page, "一次性密码", "此密码只显示这一次", "139 0000 1111")
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("one-time password page Cache-Control = %q; want no-store", cc)
	}
	if u := storedUser(t, st, "li.na"); len(password) < 20 || !auth.VerifyPassword(u.PasswordHash, password) || !u.MustChangePassword {
		t.Errorf("the shown password %q is not the account's, or no change is due", password)
	}

	res, page = postForm(t, h, "/admin/users", fields)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, "form", page, "该用户名已被使用")
	fields.Set("username", "boss")
	fields.Set("role", "city_admin")
	res, page = postForm(t, h, "/admin/users", fields)
	wantStatus(t, res, http.StatusForbidden)
	wantContains(t, "form", page, "您不能授予这个角色。")
	fields.Set("role", "officer")
	fields.Set("unit_code", "410482000000")
	res, page = postForm(t, h, "/admin/users", fields)
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, "form", page, "找不到该单位，或它不在您的管辖范围内。", `value="boss"`)
	fields.Set("unit_code", unit)
	fields.Set("phone", "call 110")
	res, page = postForm(t, h, "/admin/users", fields)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "form", page, `<p class="field-error" id="user-phone-hint">`)
}

func TestEditDisableAndResetAnAccount(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	from, to := workstationsOf(t, st, "410423000000")
	addAccount(t, st, "zhou", "13812345678", from)

	res, form := get(t, h, "/admin/users/zhou/edit")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "edit form", form, `action="/admin/users/zhou"`, `value="13812345678"`, `value="`+from+`"`)
	edit := url.Values{"display_name": {"周强"}, "phone": {"13812345679"}, "role": {"station_chief"}, "unit_code": {to}}
	res, _ = postForm(t, h, "/admin/users/zhou", edit)
	wantStatus(t, res, http.StatusSeeOther)
	if u := storedUser(t, st, "zhou"); u.DisplayName != "周强" || u.Phone != "13812345679" || u.Role != cunjing.RoleStationChief || u.UnitCode != to {
		t.Errorf("after the edit zhou = %+v", u)
	}
	edit.Set("unit_code", "410482000000")
	res, page := postForm(t, h, "/admin/users/zhou", edit)
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, "edit form", page, "找不到该单位，或它不在您的管辖范围内。")
	if storedUser(t, st, "zhou").UnitCode != to {
		t.Error("a refused move changed the unit")
	}

	res, _ = postForm(t, h, "/admin/users/zhou/disable", nil)
	wantStatus(t, res, http.StatusSeeOther)
	_, page = get(t, h, "/admin/users/zhou")
	wantContains(t, "disabled account", page, "已停用", `action="/admin/users/zhou/enable"`)
	if !storedUser(t, st, "zhou").Disabled {
		t.Error("zhou is not disabled")
	}
	postForm(t, h, "/admin/users/zhou/enable", nil)
	if storedUser(t, st, "zhou").Disabled {
		t.Error("zhou is still disabled")
	}

	res, page = postForm(t, h, "/admin/users/zhou/reset", nil)
	wantStatus(t, res, http.StatusOK)
	password := between(page, "<p><code>", "</code></p>")
	if u := storedUser(t, st, "zhou"); !auth.VerifyPassword(u.PasswordHash, password) || !u.MustChangePassword {
		t.Errorf("the reset password %q is not the account's, or no change is due", password)
	}
	res, _ = postForm(t, h, "/admin/users/officer-of-ruzhou/reset", nil)
	wantStatus(t, res, http.StatusNotFound)
}

func TestBreakGlassPage(t *testing.T) {
	officer, _ := demoUIAs(t, "officer")
	res, form := get(t, officer, "/break-glass")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "break-glass form", form, `name="object"`, `name="reason"`, "1 小时后自动失效")
	res, page := postForm(t, officer, "/break-glass", url.Values{"object": {"user:ruzhou"}, "reason": {"查一下"}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "refused request", page, "请填写正确的查阅对象和至少 10 个字的理由。", "查一下")
	res, page = postForm(t, officer, "/break-glass", url.Values{"object": {"user:RuZhou"}, "reason": {"协查汝州市一起盗窃案，需核实联系方式"}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "granted", page, "已授权查阅 user:ruzhou")
	if strings.Contains(page, "/admin/users/") {
		t.Error("an officer is offered the account page, which he may not open")
	}

	ruzhou, st := demoUIAs(t, "ruzhou")
	res, _ = get(t, ruzhou, "/admin/users/officer")
	wantStatus(t, res, http.StatusNotFound)
	res, page = postForm(t, ruzhou, "/break-glass", url.Values{"object": {"user:officer"}, "reason": {"协查鲁山县一起盗窃案，需核实联系方式"}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "granted", page, `href="/admin/users/officer"`)
	res, _ = get(t, ruzhou, "/admin/users/officer")
	wantStatus(t, res, http.StatusOK)
	events, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionReadPersonal, Object: "user:officer"})
	if err != nil || len(events) != 1 || !strings.Contains(events[0].Detail, "协查鲁山县一起盗窃案") {
		t.Errorf("read under the grant: %+v, %v; want one row with the reason", events, err)
	}

	admin, _ := adminUI(t)
	res, _ = get(t, admin, "/break-glass")
	wantStatus(t, res, http.StatusForbidden)
}
