package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store/storetest"
)

func TestDualPostAddAndEnd(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	ctx := storetest.Ctx()
	unit, _ := workstationsOf(t, st, "410423000000")
	d, err := st.UnitDetail(ctx, unit)
	if err != nil {
		t.Fatal(err)
	}
	village := d.Jurisdiction[0]
	town := village[:9]
	staff := []cunjing.Staff{{Name: "王两任", Kind: cunjing.StaffOfficer, UnitCode: unit, PoliceNumber: "990001"}}
	if err := st.CreateStaff(ctx, staff); err != nil {
		t.Fatal(err)
	}
	before, err := st.DualPostTally(ctx, town)
	if err != nil {
		t.Fatal(err)
	}
	res, page := get(t, h, "/dual-posts?under="+town)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "dual posts of a town", page, `<option value="`+strconv.FormatInt(staff[0].ID, 10)+`">王两任 990001</option>`,
		`<option value="`+village+`">`, "村党支部书记")

	form := url.Values{"under": {town}, "staff_id": {strconv.FormatInt(staff[0].ID, 10)}, "area_code": {village},
		"post": {"party_secretary"}, "appointed_on": {"2024-01-10"}, "document_no": {"鲁组〔2024〕3号"}}
	res, _ = postForm(t, h, "/dual-posts", form)
	wantStatus(t, res, http.StatusSeeOther)
	_, page = get(t, h, res.Header.Get("Location"))
	wantContains(t, "dual posts after adding", page, "已登记两任。", "王两任", "鲁组〔2024〕3号", "2024-01-10")
	after, _ := st.DualPostTally(ctx, town)
	if held := before.Held; !strings.Contains(page, tallyText(after)) || after.Held < held {
		t.Errorf("the page does not show the tally %s", tallyText(after))
	}
	res, page = postForm(t, h, "/dual-posts", form)
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, "the same post again", page, "该民警在该村已担任此职务，期间重叠。")

	posts, err := st.DualPosts(ctx, village, staff[0].ID)
	if err != nil || len(posts) != 1 {
		t.Fatalf("posts = %v, %v", posts, err)
	}
	end := "/dual-posts/" + strconv.FormatInt(posts[0].ID, 10) + "/end"
	if !strings.Contains(page, `action="`+end+`"`) {
		t.Fatal("no end button for the held post")
	}
	today := cunjing.DateOf(time.Now()).String()
	res, _ = postForm(t, h, end, url.Values{"under": {town}, "ended_on": {today}})
	wantStatus(t, res, http.StatusSeeOther)
	_, page = get(t, h, res.Header.Get("Location"))
	wantContains(t, "dual posts after the end", page, "已登记免职。")
	if strings.Contains(page, `action="`+end+`"`) {
		t.Error("the ended post still has an end button")
	}
	res, _ = postForm(t, h, end, url.Values{"under": {town}, "ended_on": {today}})
	wantStatus(t, res, http.StatusConflict)
}

// tallyText is how the page shows a tally.
func tallyText(t cunjing.DualPostTally) string {
	return "<dd>" + strconv.Itoa(t.Held) + " / " + strconv.Itoa(t.Areas) + "</dd>"
}

func TestDualPostCoverageByChild(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	res, page := get(t, h, "/dual-posts")
	wantStatus(t, res, http.StatusOK)
	county, err := st.DualPostTally(storetest.Ctx(), "410423")
	if err != nil {
		t.Fatal(err)
	}
	wantContains(t, "dual posts of 鲁山县", page, "两任 · 鲁山县", tallyText(county), "下级区域", `href="/dual-posts?under=410423001"`)
	_, en := get(t, h, "/dual-posts?under=410423&lang=en")
	wantContains(t, "English dual posts", en, "Dual posts · 鲁山县", "Villages with a dual post", "Record a dual post")
	officer, _ := demoUIAs(t, "officer")
	_, mine := get(t, officer, "/dual-posts")
	if strings.Contains(mine, `action="/dual-posts"`) {
		t.Error("an officer is offered the form that records dual posts")
	}
	res, _ = postForm(t, officer, "/dual-posts", url.Values{"under": {"410423"}})
	wantStatus(t, res, http.StatusForbidden)
}
