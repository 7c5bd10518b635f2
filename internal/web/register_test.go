package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// testIDNumber makes a valid ID number of region, birth date (YYYYMMDD)
// and sequence number (odd for a man), with its check character.
func testIDNumber(region, birth string, seq int) string {
	base := fmt.Sprintf("%s%s%03d", region, birth, seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(base[i]-'0') * w
	}
	return base + string("10X98765432"[sum%11])
}

// officerVillage returns the village the demo officer is posted to, where
// /areas takes him.
func officerVillage(t *testing.T, h http.Handler) string {
	t.Helper()
	res, _ := get(t, h, "/areas")
	code, ok := strings.CutPrefix(res.Header.Get("Location"), "/areas/")
	if res.StatusCode != http.StatusFound || !ok || len(code) != 12 {
		t.Fatalf("/areas answers %d to %q; want the officer's village", res.StatusCode, res.Header.Get("Location"))
	}
	return code
}

// newAddress adds an address to a village through the form and returns
// its page.
func newAddress(t *testing.T, h http.Handler, village, street, number string) string {
	t.Helper()
	res, body := postForm(t, h, "/areas/"+village+"/addresses", url.Values{"street": {street}, "house_number": {number}})
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/addresses/") || !strings.HasSuffix(loc, "?done=created") {
		t.Fatalf("a new address goes to %q (%.300s)", loc, body)
	}
	return strings.TrimSuffix(loc, "?done=created")
}

func TestRegisterOfAVillageListsItsAddresses(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	area := mustGet(t, h, "/areas/"+village)
	wantContains(t, "the village page", area, `href="/areas/`+village+`/register"`, "一标三实")
	before := registerFigure(t, mustGet(t, h, "/areas/"+village+"/register"), "地址")

	addr := newAddress(t, h, village, "试验东街", "12")
	newAddress(t, h, village, "试验王庄组", "3")
	res, body := get(t, h, "/areas/"+village+"/register?street="+url.QueryEscape("试验"))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the register", body, `href="`+addr+`"`, "试验东街12号", "试验王庄组3号", "待审核",
		`href="/areas/`+village+`/addresses/new"`)
	if after := registerFigure(t, body, "地址"); after != before+2 {
		t.Errorf("the register counts %d addresses after adding two to %d", after, before)
	}
	_, filtered := get(t, h, "/areas/"+village+"/register?street="+url.QueryEscape("试验东"))
	wantContains(t, "the register of 试验东…", filtered, "试验东街12号")
	if strings.Contains(filtered, "试验王庄组3号") {
		t.Error("filtering by 试验东 still lists 试验王庄组3号")
	}
}

// registerFigure reads a figure of a register page by its label.
func registerFigure(t *testing.T, page, label string) int {
	t.Helper()
	text := strings.ReplaceAll(between(page, "<dt>"+label+"</dt><dd>", "</dd>"), ",", "")
	n, err := strconv.Atoi(text)
	if err != nil {
		t.Fatalf("no figure %s on the page (%q)", label, text)
	}
	return n
}

func TestOfficerCannotOpenAnotherVillagesRegister(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	other := "410482001001" // a village of 汝州市, outside the officer's post
	if strings.HasPrefix(village, "410482") {
		t.Fatalf("the demo officer is posted in 汝州市 (%s)", village)
	}
	for _, page := range []string{"/areas/" + other + "/register", "/areas/" + other + "/addresses/new", "/areas/410482/register"} {
		res, _ := get(t, h, page)
		wantStatus(t, res, http.StatusNotFound)
	}
	res, _ := postForm(t, h, "/areas/"+other+"/addresses", url.Values{"street": {"试验东街"}})
	wantStatus(t, res, http.StatusNotFound)
}

func TestRegisterOfATownShowsItsVillages(t *testing.T) {
	h, _ := demoUIAs(t, "lushan")
	res, body := get(t, h, "/areas/410423101/register")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the register of 下汤镇", body, "下级辖区采集情况", `href="/areas/410423101202/register"`, "乱石盘")
	if strings.Contains(body, `/addresses/new"`) {
		t.Error("a town's register offers to add addresses, which belong to villages")
	}
}
