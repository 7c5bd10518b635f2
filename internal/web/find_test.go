package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// addResident registers a person in area directly in the store and
// returns his page.
func addResident(t *testing.T, st *store.Store, area, name, id, phone string) string {
	t.Helper()
	r := cunjing.Resident{AreaCode: area, Name: name, IDNumber: id, Phone: phone}
	if err := st.CreateResident(storetest.Ctx(), &r); err != nil {
		t.Fatalf("register %s in %s: %v", name, area, err)
	}
	return fmt.Sprintf("/residents/%d", r.ID)
}

// postFind sends the search box as htmx does (hx is true) or as a plain
// form.
func postFind(t *testing.T, h http.Handler, q string, hx bool) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/search", strings.NewReader(url.Values{"q": {q}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if hx {
		r.Header.Set("HX-Request", "true")
	}
	return serve(t, h, r)
}

// linksOf returns every URL the page links to, posts to or loads.
func linksOf(body string) []string {
	var links []string
	for _, m := range regexp.MustCompile(`(?:href|src|action|hx-get|hx-post)="([^"]*)"`).FindAllStringSubmatch(body, -1) {
		links = append(links, m[1])
	}
	return links
}

func TestSearchPagePostsItsTextAndLinksNothingPersonal(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	id, phone := testIDNumber("410423", "19800101", 11), "13812345678"
	page := addResident(t, st, village, "张三", id, phone)

	res, form := get(t, h, "/search")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the search page", form, `<form class="find card" method="post" action="/search"`, `hx-post="/search"`,
		`name="q"`, `<a href="/search" aria-current="page">查询</a>`)
	if strings.Contains(form, "hx-get") || strings.Contains(form, `method="get" action="/search"`) {
		t.Error("the search page sends its text in a URL")
	}

	for _, q := range []string{id, id[14:], phone, "张三", "zs"} {
		res, body := postFind(t, h, q, false)
		wantStatus(t, res, http.StatusOK)
		if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("search %q: Cache-Control %q; want no-store", q, cc)
		}
		wantContains(t, "the hits of "+q, body, `href="`+page+`"`, "张三", "410423********"+id[14:], "138****5678")
		for _, link := range linksOf(body) {
			if strings.Contains(link, id[14:]) || strings.Contains(link, phone[7:]) || strings.Contains(link, "q=") {
				t.Errorf("search %q: the page links %q, which holds the search or personal data", q, link)
			}
		}
		if strings.Contains(body, id) && q != id || strings.Contains(body, phone) && q != phone {
			t.Errorf("search %q: the page shows the ID number or the phone in full", q)
		}
	}
}

func TestSearchSaysHowItReadTheTextAndGroupsTheHits(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	id := testIDNumber("410423", "19751231", 23)
	addResident(t, st, village, "张三丰", id, "")
	cases := []struct{ q, kind string }{
		{id[14:], "按身份证号后4位查找"},
		{id[12:], "按身份证号后6位查找"},
		{"zsf", "按拼音或首字母查找"},
		{"张三", "按姓名查找"},
		{id, "按身份证号查找"},
	}
	for _, c := range cases {
		res, body := postFind(t, h, c.q, true)
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(body, "<html") {
			t.Errorf("the htmx answer to %q is a whole page", c.q)
		}
		wantContains(t, "the live hits of "+c.q, body, c.kind, `<h2 id="find-resident">人员`, "张三丰", "410423********"+id[14:])
	}
}

func TestSearchSaysWhenNothingIsFoundAndKeepsToTheScope(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	elsewhere := firstVillage(t, st, "410482").Code // 汝州市: not the officer's
	id := testIDNumber("410482", "19900505", 35)
	addResident(t, st, elsewhere, "王五", id, "13912345678")
	for _, q := range []string{id, id[14:], "王五", "ww", "13912345678"} {
		res, body := postFind(t, h, q, false)
		wantStatus(t, res, http.StatusOK)
		wantContains(t, "the search for "+q+" outside the scope", body, "您的辖区内没有找到符合的记录。")
		if strings.Contains(body, "王五") && q != "王五" || strings.Contains(body, "/residents/") {
			t.Errorf("the officer finds %q, who lives outside his village", q)
		}
	}
	county := newTestUI(t, st, "ruzhou")
	_, body := postFind(t, county, "ww", false)
	wantContains(t, "汝州市's search for ww", body, "王五", "410482********"+id[14:])
}

func TestSearchOfUnreadableTextSaysSo(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	res, body := postFind(t, h, "\u200b\u200b", false)
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "the page", body, "没有看懂这段文字")
	res, body = postFind(t, h, "\u200b", true)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the live answer", body, "没有看懂这段文字")
	res, body = postFind(t, h, "", true)
	wantStatus(t, res, http.StatusOK)
	if strings.TrimSpace(body) != "" {
		t.Errorf("an empty box answers %q; want nothing", body)
	}
}

func TestSearchSpeaksEnglish(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	addResident(t, st, officerVillage(t, h), "李四", testIDNumber("410423", "19850303", 41), "")
	r := httptest.NewRequest(http.MethodPost, "/search?lang=en", strings.NewReader("q=ls"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, body := serve(t, h, r)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the English page", body, "By pinyin or initials", "李四", "1 found")
}

func TestSearchRefusesACrossSitePost(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	guarded := http.NewCrossOriginProtection().Handler(h) // as serve wires the UI
	r := httptest.NewRequest(http.MethodPost, "/search", strings.NewReader("q=zs"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	res, _ := serve(t, guarded, r)
	wantStatus(t, res, http.StatusForbidden)
	r = httptest.NewRequest(http.MethodPost, "/search", strings.NewReader("q=zs"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	res, _ = serve(t, guarded, r)
	wantStatus(t, res, http.StatusOK)
}

func TestSearchByAddressListsTheAddressUnderItsKind(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	addr := newAddress(t, h, officerVillage(t, h), "幸福路", "8")
	res, body := postFind(t, h, "幸福路8号", true)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the hits of an address", body, "按地址查找", `<h2 id="find-address">地址`, `href="`+addr+`"`, "幸福路8号")
	if strings.Contains(body, `id="find-resident"`) {
		t.Error("an address search shows a group of people, though none was found")
	}
}
