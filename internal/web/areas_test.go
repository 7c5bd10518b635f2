package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/auth/authtest"
	"cunjing/internal/importer"
	"cunjing/internal/store/storetest"
)

func TestAreasRedirectsToTheCity(t *testing.T) {
	h, _ := demoUI(t)
	res, _ := get(t, h, "/areas")
	wantStatus(t, res, http.StatusFound)
	if loc := res.Header.Get("Location"); loc != "/areas/4104" {
		t.Errorf("Location = %q, want /areas/4104 (河南省 has only 平顶山市)", loc)
	}
}

func TestAreasWithoutDataPointsToTheImport(t *testing.T) {
	h, _ := adminUI(t)
	res, body := get(t, h, "/areas")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "/areas with no areas", body, "还没有行政区划", `href="/admin/divisions"`)
}

func TestCityPage(t *testing.T) {
	h, _ := demoUI(t)
	res, body := get(t, h, "/areas/4104")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "city page", body, "<h1>平顶山市</h1>", "<code>4104</code>")

	table := between(body, `<table class="list">`, "</table>")
	counties := map[string]bool{}
	for _, m := range regexp.MustCompile(`href="/areas/(4104\d\d)"`).FindAllStringSubmatch(table, -1) {
		counties[m[1]] = true
	}
	if len(counties) != 12 {
		t.Errorf("children table links %d county-level areas, want 12: %v", len(counties), counties)
	}
	wantContains(t, "children table", table, `<a href="/areas/410423">鲁山县</a>`)

	figures := between(body, `<dl class="figures">`, "</dl>")
	wantContains(t, "city figures", figures,
		"<dt>村(社区)</dt><dd>2,828</dd>", "<dt>村</dt><dd>2,549</dd>", "<dt>社区</dt><dd>279</dd>")

	panel := between(body, "<aside", "</aside>")
	wantContains(t, "org panel", panel, "平顶山市公安局", "辖区内公安局(分局)", "鲁山县公安局")
}

func TestCountyPage(t *testing.T) {
	h, _ := demoUI(t)
	res, body := get(t, h, "/areas/410423")
	wantStatus(t, res, http.StatusOK)
	crumbs := between(body, `<nav class="breadcrumb"`, "</nav>")
	wantContains(t, "breadcrumb", crumbs, `<a href="/areas/41">河南省</a>`, `<a href="/areas/4104">平顶山市</a>`)
	panel := between(body, "<aside", "</aside>")
	wantContains(t, "org panel", panel, `href="/units/410423000000">鲁山县公安局</a>`, "辖区内派出所", "badge-station")
	wantContains(t, "county page", body, `hx-get="/areas/410423/search"`, `hx-trigger="input changed delay:300ms, search"`)
}

func TestVillagePageShowsItsStationAndWorkstation(t *testing.T) {
	h, st := demoUI(t)
	ctx := storetest.Ctx()
	village := firstVillage(t, st, "410423")
	res, body := get(t, h, "/areas/"+village.Code)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "village page", body, "<h1>"+village.Name+"</h1>", village.ShortName(), `badge-village">村</span>`)

	panel := between(body, "<aside", "</aside>")
	for _, kind := range []cunjing.UnitKind{cunjing.UnitWorkstation, cunjing.UnitStation} {
		units, _, err := st.FindUnits(ctx, cunjing.UnitFilter{Area: village.Code, Kind: kind})
		if err != nil || len(units) != 1 {
			t.Fatalf("the demo has %d %s units for %s (err %v), want 1", len(units), kind, village.Code, err)
		}
		wantContains(t, "org panel", panel, `href="/units/`+units[0].Code+`">`+units[0].Name+"</a>")
	}
	wantContains(t, "org panel", panel, "警务工作站</span>", "派出所</span>")
}

func TestSearchUnderAnArea(t *testing.T) {
	h, st := demoUI(t)
	village := firstVillage(t, st, "410423")
	q := firstRunes(village.ShortName(), 2)
	query := url.QueryEscape(q)

	res, body := get(t, h, "/areas/410423/search?q="+query, "HX-Request: true")
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(body, "<html") {
		t.Errorf("htmx search answered a whole page, want the result list only")
	}
	wantContains(t, "search results", body, `href="/areas/`+village.Code+`">`+village.Name+"</a>")
	links := regexp.MustCompile(`href="/areas/([^"]+)"`).FindAllStringSubmatch(body, -1)
	for _, m := range links {
		if !strings.HasPrefix(m[1], "410423") {
			t.Errorf("search under 410423 for %q found %s", q, m[1])
		}
	}
	if !strings.Contains(res.Header.Get("Vary"), "HX-Request") {
		t.Errorf("Vary = %q, want HX-Request", res.Header.Get("Vary"))
	}

	res, page := get(t, h, "/areas/410423/search?q="+query)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "search page without JavaScript", page, "<html", "在鲁山县内搜索", `value="`+q+`"`, `href="/areas/`+village.Code+`"`)
}

func TestSearchWithoutMatches(t *testing.T) {
	h, _ := demoUI(t)
	res, body := get(t, h, "/areas/410423/search?q="+url.QueryEscape("不存在的地名"), "HX-Request: true")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "empty search", body, "没有名称包含“不存在的地名”的区划。")
}

func TestUnknownAreaIsNotFound(t *testing.T) {
	h, _ := demoUI(t)
	for _, path := range []string{"/areas/999999", "/areas/abc", "/areas/999999/search?q=x", "/areas/41x/search?q=x", "/no/such/page"} {
		res, body := get(t, h, path)
		wantStatus(t, res, http.StatusNotFound)
		wantContains(t, path, body, "<h1>页面不存在</h1>")
	}
	res, body := get(t, h, "/areas/999999?lang=en")
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, "English 404", body, `<html lang="en">`, "<h1>Page not found</h1>")
}

// firstVillage returns the first village (not community) under code.
func firstVillage(t *testing.T, st cunjing.AreaService, code string) cunjing.Area {
	t.Helper()
	areas, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: code, Level: cunjing.LevelVillage, Kind: cunjing.KindVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(areas) == 0 {
		t.Fatalf("no village under %s: %v", code, err)
	}
	return areas[0]
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

func TestAreasListsSeveralProvinces(t *testing.T) {
	h, st := demoUIAs(t, cunjing.FirstAdminName)
	if _, err := importer.ImportDivisions(storetest.Ctx(), st, importer.File{Name: "42.csv", Body: strings.NewReader("code,name\n42,湖北省\n")}); err != nil {
		t.Fatal(err)
	}
	res, body := get(t, h, "/areas")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "province list", body, `<a href="/areas/41">河南省</a>`, `<a href="/areas/42">湖北省</a>`)
}

// brokenAreas fails every read the way a lost database would.
func TestInternalErrorsShowNoDetail(t *testing.T) {
	st := storetest.SQLite(t)
	ui, err := New(Deps{Auth: authtest.Authenticator(st), Areas: st, Units: st, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	admin := &cunjing.Identity{Username: cunjing.FirstAdminName, Role: cunjing.RoleSystemAdmin, Scope: cunjing.Scope{All: true}}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ui.ServeHTTP(w, r.WithContext(cunjing.WithIdentity(r.Context(), admin)))
	})
	st.Close() // every query now fails inside the store
	for _, path := range []string{"/", "/areas"} {
		res, body := get(t, h, path)
		wantStatus(t, res, http.StatusInternalServerError)
		wantContains(t, path, body, "<h1>系统出错了</h1>")
		if strings.Contains(body, "closed") || strings.Contains(body, "sql") {
			t.Errorf("%s shows the internal error", path)
		}
	}
}
