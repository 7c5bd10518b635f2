package api_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/auth/authtest"
	"cunjing/internal/demo"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// send makes a request with a JSON body as the server's user, or as the
// holder of token when it is not "", and returns the response and body.
func send(t *testing.T, srv *httptest.Server, token, method, path, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// workstations returns the first and last village work stations of a county
// bureau, with their jurisdictions, which do not overlap.
func workstations(t *testing.T, st *store.Store, bureau string) (first, last *cunjing.UnitDetail) {
	t.Helper()
	ctx := storetest.Ctx()
	units, _, err := st.FindUnits(ctx, cunjing.UnitFilter{Under: bureau, Kind: cunjing.UnitWorkstation, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil || len(units) < 2 {
		t.Fatalf("work stations under %s: %d, %v", bureau, len(units), err)
	}
	if first, err = st.UnitDetail(ctx, units[0].Code); err != nil {
		t.Fatal(err)
	}
	if last, err = st.UnitDetail(ctx, units[len(units)-1].Code); err != nil {
		t.Fatal(err)
	}
	return first, last
}

// addOfficer creates an officer of unit as the command line does, with the
// demo password and no password change due, and logs him in.
func addOfficer(t *testing.T, st *store.Store, username, phone, unit string) string {
	t.Helper()
	hash, err := auth.HashPassword(demo.AccountPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := cunjing.User{Username: username, DisplayName: "民警" + username, Phone: phone, Role: cunjing.RoleOfficer, UnitCode: unit, PasswordHash: hash}
	if err := st.CreateUser(storetest.Ctx(), u); err != nil {
		t.Fatal(err)
	}
	return authtest.Login(t, authtest.Authenticator(st), username, demo.AccountPassword)
}

// userOf reads an account as stored.
func userOf(t *testing.T, st *store.Store, username string) *cunjing.User {
	t.Helper()
	u, err := st.User(storetest.Ctx(), username)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// auditRows lists the audit rows of an action on an object, newest first.
func auditRows(t *testing.T, st *store.Store, action, object string) []cunjing.AuditEvent {
	t.Helper()
	events, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: action, Object: object, Page: cunjing.Page{Limit: cunjing.MaxPageLimit}})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func TestPhonesAreMaskedInListsAndAuditedOnTheDetail(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	resp, body := send(t, srv, "", "POST", "/api/v1/users",
		`{"username":"Wang.Fang","display_name":"王芳","phone":"13812345678","role":"officer","unit_code":"`+ws.Code+`"}`)
	var created struct {
		Username        string `json:"username"`
		OneTimePassword string `json:"one_time_password"`
	}
	json.Unmarshal([]byte(body), &created)
	if resp.StatusCode != 201 || created.Username != "wang.fang" || len(created.OneTimePassword) < 20 ||
		resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Location") != "/api/v1/users/wang.fang" {
		t.Fatalf("create: %d %s %v", resp.StatusCode, body, resp.Header)
	}
	login, err := authtest.Authenticator(st).Login(cunjing.WithIdentity(context.Background(), &cunjing.Identity{IP: "192.0.2.9"}),
		"wang.fang", created.OneTimePassword)
	if err != nil || login.Restriction != cunjing.RestrictChangePassword {
		t.Errorf("first login with the one-time password: %+v, %v; want a password change due", login, err)
	}

	_, list := send(t, srv, "", "GET", "/api/v1/users?q=wang&limit=10", "")
	if !strings.Contains(list, `"phone":"138****5678"`) || strings.Contains(list, "13812345678") {
		t.Errorf("list shows the phone unmasked or not at all: %s", list)
	}
	resp, detail := send(t, srv, "", "GET", "/api/v1/users/WANG.FANG", "")
	if resp.StatusCode != 200 || !strings.Contains(detail, `"phone":"13812345678"`) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("detail: %d %s, Cache-Control %q; want the full phone, no-store", resp.StatusCode, detail, resp.Header.Get("Cache-Control"))
	}
	for _, secret := range []string{"password_hash", "totp", "argon2"} {
		if strings.Contains(list+detail, secret) {
			t.Errorf("an account answer shows %s", secret)
		}
	}
	reads := auditRows(t, st, cunjing.ActionReadPersonal, "user:wang.fang")
	if len(reads) != 1 || reads[0].Actor != "lushan" || reads[0].Object != "user:wang.fang" {
		t.Errorf("read_personal rows = %+v; want one by lushan", reads)
	}
}

func TestUserNamesAreUniqueWhateverTheSpelling(t *testing.T) {
	srv, _ := newServerAs(t, "admin")
	for i, name := range []string{"zhang", "Zhang", "Ｚｈａｎｇ", " ZHANG "} {
		want := map[bool]int{true: 201, false: 409}[i == 0]
		resp, body := send(t, srv, "", "POST", "/api/v1/users", `{"username":"`+name+`","role":"system_admin"}`)
		if resp.StatusCode != want {
			t.Errorf("create %q: %d %s; want %d", name, resp.StatusCode, body, want)
		}
		if name == "zhang" {
			continue
		}
		if !strings.Contains(body, `"code":"conflict"`) {
			t.Errorf("create %q: %s; want a conflict", name, body)
		}
	}
}

func TestRequestsCannotRaiseRolesLeaveTheScopeOrSetOtherFields(t *testing.T) {
	lushan, st := newServerAs(t, "lushan")
	resp, body := send(t, lushan, "", "PATCH", "/api/v1/users/officer", `{"role":"city_admin"}`)
	if resp.StatusCode != 403 || userOf(t, st, "officer").Role != cunjing.RoleOfficer {
		t.Errorf("county admin makes an officer city admin: %d %s", resp.StatusCode, body)
	}
	if resp, _ := send(t, lushan, "", "POST", "/api/v1/users", `{"username":"boss","role":"city_admin","unit_code":"410423000000"}`); resp.StatusCode != 403 {
		t.Errorf("county admin creates a city admin: %d", resp.StatusCode)
	}

	ruzhou, st := newServerAs(t, "ruzhou")
	home, _ := workstations(t, st, "410482000000")
	lushanUnit, _ := workstations(t, st, "410423000000")
	addOfficer(t, st, "li", "13900001111", home.Code)
	for _, body := range []string{
		`{"unit_code":"` + lushanUnit.Code + `"}`,
		`{"unit_code":"410423000000"}`,
	} {
		if resp, got := send(t, ruzhou, "", "PATCH", "/api/v1/users/li", body); resp.StatusCode != 404 {
			t.Errorf("汝州 admin moves li to 鲁山 with %s: %d %s; want 404", body, resp.StatusCode, got)
		}
	}
	for _, body := range []string{`{"scope":["41"]}`, `{"created_by":"city"}`, `{"password_hash":"x"}`, `{"display_name":"李","scope":["41"]}`, `{}`} {
		if resp, got := send(t, ruzhou, "", "PATCH", "/api/v1/users/li", body); resp.StatusCode != 400 {
			t.Errorf("PATCH li %s: %d %s; want 400", body, resp.StatusCode, got)
		}
	}
	if u := userOf(t, st, "li"); u.UnitCode != home.Code || u.DisplayName != "民警li" {
		t.Errorf("after refused changes li = %+v", u)
	}
	_, missing := send(t, ruzhou, "", "PATCH", "/api/v1/users/nobody", `{"display_name":"x"}`)
	if resp, got := send(t, ruzhou, "", "PATCH", "/api/v1/users/officer", `{"display_name":"x"}`); resp.StatusCode != 404 || got != missing {
		t.Errorf("汝州 admin changes 鲁山's officer: %d %s; want the 404 of a missing user %s", resp.StatusCode, got, missing)
	}
	if resp, got := send(t, ruzhou, "", "PATCH", "/api/v1/users/li", `{"phone":"138-0000-1111 ext. 5"}`); resp.StatusCode != 400 || !strings.Contains(got, `"phone"`) {
		t.Errorf("a phone with letters: %d %s; want 400 naming phone", resp.StatusCode, got)
	}
}

func TestReassigningAnOfficerChangesHisScopeAtOnce(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	token := addOfficer(t, st, "zhou", "", ws.Code)
	oldVillage, newVillage := ws.Jurisdiction[0], ws.Jurisdiction[1]
	if resp, _ := send(t, srv, token, "GET", "/api/v1/areas/"+oldVillage, ""); resp.StatusCode != 404 {
		t.Fatalf("an officer without a post reads a village: %d; want 404", resp.StatusCode)
	}
	ctx := storetest.Ctx()
	zhou := []cunjing.Staff{{Name: "周警官", Kind: cunjing.StaffOfficer, UnitCode: ws.Code, PoliceNumber: "419901", Username: "zhou"}}
	if err := st.CreateStaff(ctx, zhou); err != nil {
		t.Fatal(err)
	}
	today := cunjing.DateOf(time.Now())
	post, err := st.Assign(ctx, cunjing.AssignRequest{StaffID: zhou[0].ID, AreaCode: oldVillage, Role: cunjing.PostResponsible, Start: today,
		Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := send(t, srv, token, "GET", "/api/v1/areas/"+oldVillage, ""); resp.StatusCode != 200 {
		t.Fatalf("the officer reads the village he was assigned: %d %s", resp.StatusCode, body)
	}
	if err := st.EndAssignment(ctx, post.ID, today); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Assign(ctx, cunjing.AssignRequest{StaffID: zhou[0].ID, AreaCode: newVillage, Role: cunjing.PostResponsible, Start: today,
		Replace: true}); err != nil {
		t.Fatal(err)
	}
	if resp, _ := send(t, srv, token, "GET", "/api/v1/areas/"+oldVillage, ""); resp.StatusCode != 404 {
		t.Errorf("the reassigned officer's next request for his old village: %d; want 404", resp.StatusCode)
	}
	if resp, _ := send(t, srv, token, "GET", "/api/v1/areas/"+newVillage, ""); resp.StatusCode != 200 {
		t.Errorf("the reassigned officer reads his new village: %d; want 200", resp.StatusCode)
	}
}

func TestResetAndDisableEndTheSessions(t *testing.T) {
	srv, st := newServerAs(t, "lushan")
	ws, _ := workstations(t, st, "410423000000")
	token := addOfficer(t, st, "sun", "", ws.Code)
	resp, body := send(t, srv, "", "POST", "/api/v1/users/Sun/reset", "")
	var reset struct {
		Username        string `json:"username"`
		OneTimePassword string `json:"one_time_password"`
	}
	json.Unmarshal([]byte(body), &reset)
	if resp.StatusCode != 200 || reset.Username != "sun" || reset.OneTimePassword == "" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("reset: %d %s", resp.StatusCode, body)
	}
	if resp, _ := send(t, srv, token, "GET", "/api/v1/auth/me", ""); resp.StatusCode != 401 {
		t.Errorf("the session of a reset account: %d; want 401", resp.StatusCode)
	}
	if u := userOf(t, st, "sun"); !u.MustChangePassword || !auth.VerifyPassword(u.PasswordHash, reset.OneTimePassword) {
		t.Errorf("after the reset the one-time password does not work or need no change")
	}
	token = authtest.Login(t, authtest.Authenticator(st), "sun", reset.OneTimePassword)
	if resp, body := send(t, srv, "", "PATCH", "/api/v1/users/sun", `{"disabled":true}`); resp.StatusCode != 204 {
		t.Fatalf("disable: %d %s", resp.StatusCode, body)
	}
	if resp, _ := send(t, srv, token, "GET", "/api/v1/auth/me", ""); resp.StatusCode != 401 {
		t.Errorf("the session of a disabled account: %d; want 401", resp.StatusCode)
	}
}

func TestBreakGlassOpensOneAccountForAnHour(t *testing.T) {
	srv, st := newServerAs(t, "ruzhou")
	_, missing := send(t, srv, "", "GET", "/api/v1/users/nobody", "")
	if resp, body := send(t, srv, "", "GET", "/api/v1/users/officer", ""); resp.StatusCode != 404 || body != missing {
		t.Fatalf("another county's user: %d %s; want the 404 of a missing one %s", resp.StatusCode, body, missing)
	}
	for _, body := range []string{`{"object":"user:officer"}`, `{"object":"user:officer","reason":"   查一下   "}`, `{"object":"resident:1","reason":"核查鲁山县民警的联系方式以便跨区协查"}`} {
		if resp, got := send(t, srv, "", "POST", "/api/v1/break-glass", body); resp.StatusCode != 400 {
			t.Errorf("break-glass %s: %d %s; want 400", body, resp.StatusCode, got)
		}
	}
	const reason = "核查鲁山县民警的联系方式以便跨区协查"
	if resp, body := send(t, srv, "", "POST", "/api/v1/break-glass", `{"object":"user:Officer","reason":"  `+reason+` "}`); resp.StatusCode != 204 {
		t.Fatalf("break-glass with a reason: %d %s", resp.StatusCode, body)
	}
	if resp, body := send(t, srv, "", "GET", "/api/v1/users/officer", ""); resp.StatusCode != 200 || !strings.Contains(body, `"username":"officer"`) {
		t.Fatalf("read under the grant: %d %s", resp.StatusCode, body)
	}
	if resp, _ := send(t, srv, "", "GET", "/api/v1/users/chief", ""); resp.StatusCode != 404 {
		t.Errorf("the grant for officer opened chief: %d", resp.StatusCode)
	}
	grants := auditRows(t, st, cunjing.ActionBreakGlass, "user:officer")
	reads := auditRows(t, st, cunjing.ActionReadPersonal, "user:officer")
	if len(grants) != 1 || grants[0].Actor != "ruzhou" || grants[0].Detail != reason {
		t.Errorf("break_glass rows = %+v; want one by ruzhou with the reason", grants)
	}
	if len(reads) != 1 || reads[0].Actor != "ruzhou" || !strings.Contains(reads[0].Detail, reason) {
		t.Errorf("read_personal rows = %+v; want one by ruzhou with the reason", reads)
	}
	st.SetClock(func() time.Time { return time.Now().Add(cunjing.BreakGlassTTL + time.Minute) })
	if resp, body := send(t, srv, "", "GET", "/api/v1/users/officer", ""); resp.StatusCode != 404 || body != missing {
		t.Errorf("after the grant expired: %d %s; want 404", resp.StatusCode, body)
	}
}
