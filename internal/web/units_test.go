package web

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/importer"
	"cunjing/internal/store/storetest"
)

func TestUnitsRedirectsToTheTopUnit(t *testing.T) {
	h, _ := demoUI(t)
	res, _ := get(t, h, "/units")
	wantStatus(t, res, http.StatusFound)
	if loc := res.Header.Get("Location"); loc != "/units/410400000000" {
		t.Errorf("Location = %q, want the city bureau /units/410400000000", loc)
	}
}

func TestCityBureauPage(t *testing.T) {
	h, _ := demoUI(t)
	res, body := get(t, h, "/units/410400000000")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "city bureau", body, "<h1>平顶山市公安局</h1>", `<dt>公安局(分局)</dt><dd>12</dd>`)
	wantContains(t, "jurisdiction", between(body, "<aside", "</aside>"), `<a href="/areas/4104">平顶山市</a>`)
	children := between(body, `<table class="list">`, "</table>")
	if n := strings.Count(children, "<tr>") - 1; n != 12 {
		t.Errorf("the city bureau lists %d units below it, want the 12 county bureaus", n)
	}
	wantContains(t, "children", children, `<a href="/units/410423000000">鲁山县公安局</a>`)
	if strings.Contains(body, `class="pager"`) {
		t.Errorf("12 children fit on one page, yet there is a pager")
	}
}

func TestStationPageHasItsAncestorsAndTowns(t *testing.T) {
	h, st := demoUI(t)
	stations, _, err := st.FindUnits(storetest.Ctx(), cunjing.UnitFilter{Parent: "410423000000", Kind: cunjing.UnitStation, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(stations) == 0 {
		t.Fatalf("no station under 鲁山县公安局: %v", err)
	}
	station := stations[0]
	res, body := get(t, h, "/units/"+station.Code)
	wantStatus(t, res, http.StatusOK)
	crumbs := between(body, `<nav class="breadcrumb"`, "</nav>")
	wantContains(t, "breadcrumb", crumbs, `<a href="/units/410400000000">平顶山市公安局</a>`, `<a href="/units/410423000000">鲁山县公安局</a>`)
	wantContains(t, "station", body, `<span class="badge badge-station">派出所</span>`, `href="tel:`+station.Phone+`"`)
	panel := between(body, "<aside", "</aside>")
	for _, code := range station.Jurisdiction {
		town, err := st.AreaDetail(storetest.Ctx(), code)
		if err != nil {
			t.Fatal(err)
		}
		wantContains(t, "jurisdiction", panel, `<a href="/areas/`+code+`">`+town.Name+"</a>")
	}
}

func TestUnitChildrenArePaged(t *testing.T) {
	ctx := storetest.Ctx()
	st := newStore(t)
	if _, err := importer.ImportDivisions(ctx, st, importer.File{Name: "p.csv", Body: strings.NewReader("code,name\n41,河南省\n")}); err != nil {
		t.Fatal(err)
	}
	units := []cunjing.Unit{{Code: "410000000000", Name: "河南省公安厅", Kind: cunjing.UnitBureau, Jurisdiction: []string{"41"}}}
	for i := 1; i <= childLimit+1; i++ {
		units = append(units, cunjing.Unit{Code: fmt.Sprintf("4100000%05d", i), Name: fmt.Sprintf("第%d派出所", i),
			Kind: cunjing.UnitStation, ParentCode: "410000000000", Jurisdiction: []string{"41"}})
	}
	if err := st.CreateUnits(ctx, units); err != nil {
		t.Fatal(err)
	}
	h := newTestUI(t, st, cunjing.FirstAdminName)

	res, body := get(t, h, "/units/410000000000")
	wantStatus(t, res, http.StatusOK)
	if n := strings.Count(between(body, "<tbody>", "</tbody>"), "<tr>"); n != childLimit {
		t.Errorf("first page lists %d units, want %d", n, childLimit)
	}
	next := regexp.MustCompile(`href="(/units/410000000000\?cursor=[^"]+)" rel="next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatalf("no next link on the first page of %d children", childLimit+1)
	}
	res, body = get(t, h, strings.ReplaceAll(next[1], "&amp;", "&"))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "second page", between(body, "<tbody>", "</tbody>"), fmt.Sprintf("第%d派出所", childLimit+1))
	wantContains(t, "second page", body, `<a href="/units/410000000000">第一页</a>`)
	if strings.Contains(body, `rel="next"`) {
		t.Errorf("the last page has a next link")
	}

	res, body = get(t, h, "/units/410000000000?cursor=!!")
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "bad cursor", body, "<h1>请求有误</h1>")
}

func TestUnknownUnitIsNotFound(t *testing.T) {
	h, _ := demoUI(t)
	res, body := get(t, h, "/units/123")
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, "unknown unit", body, "<h1>页面不存在</h1>", `<html lang="zh-CN">`)
}

func TestHomeShowsTheCityFigures(t *testing.T) {
	h, _ := demoUI(t)
	res, body := get(t, h, "/")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "home", body,
		`<a href="/areas/4104">平顶山市</a>`, "<dt>县(市)区</dt><dd>12</dd>", "<dt>村(社区)</dt><dd>2,828</dd>",
		`<a href="/units/410400000000">平顶山市公安局</a>`, "<dt>公安局(分局)</dt><dd>12</dd>", "<dt>派出所</dt>", "<dt>警务工作站</dt>")
}

func TestUnitsWithoutData(t *testing.T) {
	h := newTestUI(t, newStore(t), cunjing.FirstAdminName)
	res, body := get(t, h, "/units")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "/units with no units", body, "<h2>还没有警务机构</h2>")
}
