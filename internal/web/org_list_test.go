package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// addOrg registers an org in area directly in the store and returns its
// page.
func addOrg(t *testing.T, st *store.Store, o cunjing.Org) string {
	t.Helper()
	if err := st.CreateOrg(storetest.Ctx(), &o); err != nil {
		t.Fatalf("register %s: %v", o.Name, err)
	}
	return fmt.Sprintf("/orgs/%d", o.ID)
}

func TestOrgListShowsTheUnitsOfTheScopeMaskedAndFiltered(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	village := officerVillage(t, h)
	hotel := addOrg(t, st, cunjing.Org{AreaCode: village, Name: "平安旅社", Type: cunjing.OrgHotel, ContactPhone: "13812345678",
		LegalRep: "赵六", StaffCount: 4})
	shop := addOrg(t, st, cunjing.Org{AreaCode: village, Name: "红星小卖部", Type: cunjing.OrgShop})
	other := addOrg(t, st, cunjing.Org{AreaCode: firstVillage(t, st, "410482").Code, Name: "汝州宾馆", Type: cunjing.OrgHotel})

	res, body := get(t, h, "/orgs")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the officer's units", body, `href="`+hotel+`"`, "平安旅社", `href="`+shop+`"`, "红星小卖部",
		"138****5678", "特种行业", "赵六", `<a href="/orgs" aria-current="page">实有单位</a>`)
	if strings.Contains(body, "13812345678") {
		t.Error("the list shows a phone in full")
	}
	if strings.Contains(body, other) || strings.Contains(body, "汝州宾馆") {
		t.Error("the officer sees a unit of another county")
	}

	_, special := get(t, h, "/orgs?special=1")
	wantContains(t, "the special industries", special, "平安旅社", `name="special" value="1" checked`)
	if strings.Contains(special, "红星小卖部") {
		t.Error("?special=1 lists a shop")
	}
	_, shops := get(t, h, "/orgs?type=shop")
	wantContains(t, "the shops", shops, "红星小卖部")
	if strings.Contains(shops, "平安旅社") {
		t.Error("?type=shop lists a hotel")
	}
	_, named := get(t, h, "/orgs?q="+url.QueryEscape("红星"))
	if !strings.Contains(named, "红星小卖部") || strings.Contains(named, "平安旅社") {
		t.Error("?q=红星 does not find just 红星小卖部")
	}
	_, none := get(t, h, "/orgs?q="+url.QueryEscape("不存在的单位"))
	wantContains(t, "a search for nothing", none, "没有符合条件的单位。")
}

func TestOrgListOfAnAreaOutOfScopeIsNotFound(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	res, _ := get(t, h, "/orgs?under="+firstVillage(t, st, "410482").Code)
	wantStatus(t, res, http.StatusNotFound)
	res, _ = get(t, h, "/orgs?type=casino")
	wantStatus(t, res, http.StatusBadRequest)
}

func TestOrgListOfACountyPagesAndNamesTheVillages(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	village := firstVillage(t, st, "410423")
	for i := range orgListLimit + 1 {
		addOrg(t, st, cunjing.Org{AreaCode: village.Code, Name: fmt.Sprintf("商户%02d", i), Type: cunjing.OrgShop})
	}
	res, body := get(t, h, "/orgs?under=410423")
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "鲁山县's units", body, "商户00", village.ShortName(), `rel="next"`, `href="/orgs?under=`+village.Code[:9]+`"`)
	next := between(body, `<a href="`, `" rel="next"`)
	next = next[strings.LastIndex(next, `"`)+1:]
	_, second := get(t, h, strings.ReplaceAll(next, "&amp;", "&"))
	wantContains(t, "the second page", second, fmt.Sprintf("商户%02d", orgListLimit), "第一页")
	if strings.Contains(second, "商户00<") {
		t.Error("the second page repeats the first")
	}
}
