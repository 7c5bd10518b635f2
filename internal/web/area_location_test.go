package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestManagerSetsAndClearsTheLocationOfAnArea(t *testing.T) {
	h, st := demoUIAs(t, "lushan")
	village := firstVillage(t, st, "410423").Code
	path := "/areas/" + village
	res, page := get(t, h, path)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "area without a location", page, "未标注坐标", `action="/areas/`+village+`/location"`)

	res, _ = postForm(t, h, path+"/location", url.Values{"lng": {" 112.91 "}, "lat": {"33.74"}, "datum": {"GCJ-02"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != path+"?done=location" {
		t.Fatalf("redirect to %q", loc)
	}
	_, page = get(t, h, path+"?done=location")
	wantContains(t, "area after saving", page, "位置已保存。", "112.91, 33.74（GCJ-02）", `value="112.91"`)
	_, page = get(t, h, path+"?lang=en")
	wantContains(t, "area in English", page, "112.91, 33.74 (GCJ-02)")

	res, page = postForm(t, h, path+"/location", url.Values{"lng": {"2.35"}, "lat": {"48.85"}, "datum": {"WGS-84"}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "refused coordinates", page, "坐标不正确", `<details class="new-area" open>`, `value="2.35"`, "112.91, 33.74（GCJ-02）")
	res, _ = postForm(t, h, path+"/location", url.Values{"lng": {"东经113度"}, "lat": {"33.74"}, "datum": {"GCJ-02"}})
	wantStatus(t, res, http.StatusBadRequest)

	res, _ = postForm(t, h, path+"/location", url.Values{"lng": {""}, "lat": {""}, "datum": {"GCJ-02"}})
	wantStatus(t, res, http.StatusSeeOther)
	_, page = get(t, h, path)
	wantContains(t, "area after clearing", page, "未标注坐标")
	if strings.Contains(page, "112.91") {
		t.Error("the cleared location is still shown")
	}
}

func TestOnlyManagersSetLocationsAndOnlyInScope(t *testing.T) {
	h, st := demoUIAs(t, "leader")
	village := firstVillage(t, st, "410423").Code
	res, page := get(t, h, "/areas/"+village)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(page, "/location\"") {
		t.Error("a leader is offered the location form")
	}
	res, _ = postForm(t, h, "/areas/"+village+"/location", url.Values{"lng": {"112.91"}, "lat": {"33.74"}, "datum": {"GCJ-02"}})
	wantStatus(t, res, http.StatusForbidden)

	ruzhou := newTestUI(t, st, "ruzhou")
	res, _ = postForm(t, ruzhou, "/areas/"+village+"/location", url.Values{"lng": {"112.91"}, "lat": {"33.74"}, "datum": {"GCJ-02"}})
	wantStatus(t, res, http.StatusNotFound)
}
