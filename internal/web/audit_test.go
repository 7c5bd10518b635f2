package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// officerCtx is an officer's request, for audit rows of a known actor.
func officerCtx(username string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: cunjing.RoleOfficer,
		UnitCode: "410423510100", IP: "10.4.1.7", RequestID: "req-" + username})
}

func addAudit(t *testing.T, st *store.Store, ctx context.Context, action, object, detail string) {
	t.Helper()
	if err := st.Audit(ctx, action, object, cunjing.ResultOK, detail); err != nil {
		t.Fatal(err)
	}
}

// auditRows returns the rows of the results table of an audit page.
func auditRows(body string) []string {
	return regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(between(body, "<tbody>", "</tbody>"), -1)
}

func TestAuditPageIsTheAuditorsAlone(t *testing.T) {
	for _, user := range []string{cunjing.FirstAdminName, "security", "city"} {
		h, _ := demoUIAs(t, user)
		res, body := get(t, h, "/audit")
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, user+"'s 403 page", body, "<h1>无权访问</h1>")
		if strings.Contains(body, `href="/audit"`) {
			t.Errorf("%s's navigation links to the audit trail", user)
		}
	}
	visitor, _ := demoUIAs(t, "")
	res, _ := get(t, visitor, "/audit?action=login")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login?next=%2Faudit%3Faction%3Dlogin" {
		t.Errorf("a visitor is sent to %q; want the login page", loc)
	}

	auditor, _ := demoUIAs(t, "auditor")
	res, body := get(t, auditor, "/audit")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the auditor's page", body, `<a href="/audit" aria-current="page" class="nav-admin">审计日志</a>`, "<h1>审计日志</h1>")
	if strings.Contains(body, `href="/areas"`) {
		t.Error("the auditor's navigation links to the areas")
	}
	res, _ = get(t, auditor, "/areas/410423")
	wantStatus(t, res, http.StatusForbidden)
}

func TestAuditPageSearchesAndLinksTheExport(t *testing.T) {
	h, st := demoUIAs(t, "auditor")
	addAudit(t, st, officerCtx("li.na"), cunjing.ActionReadPersonal, "resident 1001", "")
	addAudit(t, st, officerCtx("wang.qiang"), cunjing.ActionReadPersonal, "resident 1002", "")
	addAudit(t, st, officerCtx("li.na"), cunjing.ActionBreakGlass, "resident 2001", "急救")

	res, body := get(t, h, "/audit?actor=li.na&action=break_glass")
	wantStatus(t, res, http.StatusOK)
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q; want no-store", res.Header.Get("Cache-Control"))
	}
	rows := auditRows(body)
	if len(rows) != 1 {
		t.Fatalf("%d rows; want li.na's break-glass row: %s", len(rows), between(body, "<tbody>", "</tbody>"))
	}
	found, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionBreakGlass, Page: cunjing.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	shanghai := found[0].At.In(cunjing.Shanghai).Format("2006-01-02 15:04:05")
	wantContains(t, "the row", rows[0], `<td class="name nowrap">`+shanghai+`</td>`, `data-label="操作人">li.na</td>`,
		"<code>410423510100</code>", ">10.4.1.7</td>", `<span class="badge">紧急调阅</span>`, ">resident 2001</td>",
		`<span class="badge badge-ok">成功</span>`, ">急救</td>", "<code>req-li.na</code>")
	wantContains(t, "the form", body, `<option value="break_glass" selected>紧急调阅</option>`, `name="actor" value="li.na"`,
		`href="/api/v1/audit/export.xlsx?action=break_glass&amp;actor=li.na"`)
	if strings.Contains(body, `rel="next"`) {
		t.Error("one row has a next page")
	}
	for _, td := range regexp.MustCompile(`<td[^>]*>`).FindAllString(rows[0], -1) {
		if !strings.Contains(td, "data-label=") && !strings.Contains(td, `class="name`) {
			t.Errorf("cell %s has no label for the phone layout", td)
		}
	}

	queries, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionAuditQuery, Actor: "auditor", Page: cunjing.Page{Limit: 1}})
	if err != nil || len(queries) != 1 || queries[0].Object != `actor="li.na" action="break_glass"` {
		t.Errorf("audit_query rows = %+v, %v; want the page's search", queries, err)
	}

	_, body = get(t, h, "/audit?object=resident+100&lang=en")
	if rows := auditRows(body); len(rows) != 2 || !strings.Contains(rows[0], "Personal data viewed") || !strings.Contains(rows[0], "wang.qiang") {
		t.Errorf("English search by object: %q; want the two reads, newest first", rows)
	}
}

func TestAuditPagePagesWithoutGaps(t *testing.T) {
	h, st := demoUIAs(t, "auditor")
	for i := range auditLimit + 7 {
		addAudit(t, st, officerCtx("li.na"), cunjing.ActionConfigChange, "setting "+strconv.Itoa(i), "")
	}
	_, body := get(t, h, "/audit?action=config_change")
	first := auditRows(body)
	var next string
	if m := regexp.MustCompile(`<a href="([^"]*)" rel="next">`).FindStringSubmatch(body); m != nil {
		next = html.UnescapeString(m[1])
	}
	u, err := url.Parse(next)
	if err != nil || u.Path != "/audit" || u.Query().Get("action") != "config_change" || u.Query().Get("cursor") == "" {
		t.Fatalf("next page link %q; want the same search with a cursor", next)
	}
	_, body = get(t, h, next)
	second := auditRows(body)
	if len(first) != auditLimit || len(second) != 7 || strings.Contains(body, `rel="next"`) {
		t.Fatalf("pages of %d and %d rows; want %d and 7, then no next page", len(first), len(second), auditLimit)
	}
	wantContains(t, "the second page", body, `<a href="/audit?action=config_change">第一页</a>`)
	seen := map[string]bool{}
	for _, row := range append(first, second...) {
		object := between(row, `data-label="操作对象">`, "</td>")
		if seen[object] {
			t.Errorf("%s is listed twice", object)
		}
		seen[object] = true
	}
	if len(seen) != auditLimit+7 || !seen["setting 0"] || !seen["setting 56"] {
		t.Errorf("the two pages list %d distinct rows; want all %d", len(seen), auditLimit+7)
	}
}

func TestAuditPageNamesBadDates(t *testing.T) {
	h, _ := demoUIAs(t, "auditor")
	res, body := get(t, h, "/audit?from=2026-02-30&to=2026-03-01")
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "bad from", body, `id="audit-from-error">请填写日期，例如 2026-03-05。</p>`, `aria-invalid="true"`)
	if strings.Contains(body, "<tbody>") || strings.Contains(body, "export.xlsx") {
		t.Error("a bad search shows results or an export link")
	}
	res, body = get(t, h, "/audit?from=2026-03-05&to=2026-03-01&lang=en")
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "reversed range", body, `id="audit-to-error">The end date cannot be before the start date.</p>`)
	res, _ = get(t, h, "/audit?action=drop_table")
	wantStatus(t, res, http.StatusBadRequest)
	res, _ = get(t, h, "/audit?from=2026-03-05&to=2026-03-05")
	wantStatus(t, res, http.StatusOK)
}

func TestAuditorStartsAtTheAuditTrail(t *testing.T) {
	h, _ := demoUIAs(t, "auditor")
	res, _ := get(t, h, "/")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/audit" {
		t.Fatalf("the auditor's home sends him to %q; want /audit", loc)
	}
}
