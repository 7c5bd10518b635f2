package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store/storetest"
)

// ruzhouVillage is a community of 汝州市, outside the demo officer's post.
const ruzhouVillage = "410482001001"

// householdForm is the form of a household of members given as name and
// ID number pairs, the first the head.
func householdValues(number string, members ...string) url.Values {
	f := url.Values{"number": {number}}
	relations := []string{"head", "spouse", "child"}
	for i := 0; i+1 < len(members); i += 2 {
		f.Add("relation", relations[min(i/2, 2)])
		f.Add("name", members[i])
		f.Add("id_number", members[i+1])
		f.Add("phone", "")
		f.Add("category", "registered")
		f.Add("left_behind", "")
	}
	return f
}

// residentsAt returns the IDs of the residents at an address page, in the
// order the page links them.
func residentsAt(t *testing.T, h http.Handler, address string) []string {
	t.Helper()
	body := mustGet(t, h, address)
	var ids []string
	for _, part := range strings.Split(body, `class="member-name" href="/residents/`)[1:] {
		id, _, _ := strings.Cut(part, `"`)
		ids = append(ids, id)
	}
	return ids
}

func TestHouseholdIsCollectedWithItsMembersAndListedMasked(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	addr := newAddress(t, h, officerVillage(t, h), "试验东街", "12")
	head, spouse := testIDNumber("410423", "19760315", 13), testIDNumber("410423", "19790921", 24)
	form := householdValues("0012", "司马光明", head, "欧阳秀英", spouse)
	form["phone"][0] = "13937512345"

	res, _ := postForm(t, h, addr+"/households", form)
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, addr+"?done=household#household-") {
		t.Fatalf("the saved household goes to %q", loc)
	}
	page := mustGet(t, h, strings.Split(loc, "#")[0])
	wantContains(t, "the address page", page, "住户已保存", "司马光明 户", "户号 0012", "户主", "配偶",
		"410423********"+head[14:], "410423********"+spouse[14:], "139****2345")
	for _, full := range []string{head, spouse, "13937512345"} {
		if strings.Contains(page, full) {
			t.Errorf("the address page shows %s in full", full)
		}
	}
	ids := residentsAt(t, h, addr)
	if len(ids) != 2 {
		t.Fatalf("the address lists residents %v; want the two members", ids)
	}
	addressID, _ := strconv.ParseInt(strings.TrimPrefix(addr, "/addresses/"), 10, 64)
	members, _, err := st.FindResidents(storetest.Ctx(), cunjing.ResidentFilter{AddressID: addressID, Page: cunjing.Page{Limit: 10}})
	if err != nil || len(members) != 2 || members[0].HouseholdID == 0 || members[0].HouseholdID != members[1].HouseholdID {
		t.Errorf("the members are not in one household: %+v, %v", members, err)
	}
}

func TestResidentIsShownInFullOnlyToRolesThatReadPersonalData(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	addr := newAddress(t, h, officerVillage(t, h), "试验西街", "3")
	id := testIDNumber("410423", "19580101", 15)
	form := householdValues("", "王建国", id)
	form["phone"][0] = "13812345678"
	res, _ := postForm(t, h, addr+"/households", form)
	wantStatus(t, res, http.StatusSeeOther)
	person := "/residents/" + residentsAt(t, h, addr)[0]

	res, body := get(t, h, person)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the officer's view", body, id, `href="tel:13812345678"`, "1958-01-01", "男", "每次查看都记入审计日志")
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q; want no-store", cc)
	}
	object := "resident:" + strings.TrimPrefix(person, "/residents/")
	events, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Action: cunjing.ActionReadPersonal, Object: object, Page: cunjing.Page{Limit: 10}})
	if err != nil || len(events) != 1 || events[0].Actor != "officer" {
		t.Errorf("read_personal rows for %s = %+v, %v; want one by officer", object, events, err)
	}

	leader := newTestUI(t, st, "leader")
	res, body = get(t, leader, person)
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the leader's view", body, "410423********"+id[14:], "138****5678", "已部分隐去")
	if strings.Contains(body, id) || strings.Contains(body, "13812345678") {
		t.Error("the leader, who does not read personal data, sees the ID number or phone in full")
	}
	ruzhou := newTestUI(t, st, "ruzhou")
	res, _ = get(t, ruzhou, person)
	wantStatus(t, res, http.StatusNotFound)
	res, _ = get(t, ruzhou, addr)
	wantStatus(t, res, http.StatusNotFound)
}

func TestHouseholdFormNamesEachWrongField(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	addr := newAddress(t, h, officerVillage(t, h), "试验南街", "7")
	good := testIDNumber("410423", "19900202", 31)
	wrong := good[:17] + map[bool]string{true: "1", false: "0"}[good[17] == '0']
	form := householdValues("", "李明", wrong, "", testIDNumber("410423", "19920303", 42))
	form["phone"][1] = "12345"

	res, body := postForm(t, h, addr+"/households", form)
	wantStatus(t, res, http.StatusBadRequest)
	first := between(body, `data-member="0"`, "</fieldset>")
	wantContains(t, "the first member", first, `value="李明"`, "身份证号码最后一位是 "+wrong[17:]+"，按前 17 位应为 "+good[17:]+"：有一位输错了", `aria-invalid="true"`)
	second := between(body, `data-member="1"`, "</fieldset>")
	wantContains(t, "the second member", second, "请填写姓名。", "联系电话应为 11 位手机号")
	wantContains(t, "the refused form", body, "有些内容填写得不对")
	if ids := residentsAt(t, h, addr); len(ids) != 0 {
		t.Errorf("a refused household left residents %v behind", ids)
	}
	if page := mustGet(t, h, addr); strings.Contains(page, `class="household card"`) {
		t.Error("a refused household was saved")
	}
}

func TestIDNumberIsCheckedAsItIsTyped(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	good := testIDNumber("410423", "19851224", 26)
	res, body := postForm(t, h, "/check/id-number", url.Values{"id_number": {strings.ToLower(good)}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "a valid number", body, `class="id-ok"`, "1985-12-24", "女", "410423")
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q; want no-store", cc)
	}
	for number, want := range map[string]string{
		"41042319851224":     "身份证号码应为 18 位，现在是 14 位。",
		"410423198502300263": "出生日期 19850230 不是有效日期",
		"990423198512240263": "地区代码 990423 不存在",
		"41042319851224026A": "17 位数字加 1 位数字或 X",
	} {
		_, body := postForm(t, h, "/check/id-number", url.Values{"id_number": {number}})
		wantContains(t, number, body, `class="field-error"`, want)
	}
	_, body = postForm(t, h, "/check/id-number", url.Values{"id_number": {"123"}, "doc_kind": {"passport"}})
	wantContains(t, "a bad passport", body, "3 位国家代码")
	res, _ = get(t, h, "/check/id-number?id_number="+good)
	if res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /check/id-number answers %d: an ID number must not travel in a URL", res.StatusCode)
	}
}

func TestPersonRegisteredElsewhereIsAConflictReportedToBothSides(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	ruzhou := newTestUI(t, st, "ruzhou")
	id := testIDNumber("410482", "19700707", 17)
	there := newAddress(t, ruzhou, ruzhouVillage, "试验丹阳路", "5")
	res, _ := postForm(t, ruzhou, there+"/households", householdValues("", "赵大勇", id))
	wantStatus(t, res, http.StatusSeeOther)

	here := newAddress(t, h, officerVillage(t, h), "试验北街", "9")
	res, body := postForm(t, h, here+"/residents", url.Values{"doc_kind": {"id_card"}, "id_number": {id}, "name": {"赵大勇"},
		"category": {"floating"}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, "the refused person", body, "此人已登记在其他民警的辖区，没有保存", `href="/conflicts"`, `value="赵大勇"`)
	if ids := residentsAt(t, h, here); len(ids) != 0 {
		t.Errorf("the person was added here too: %v", ids)
	}
	for who, ui := range map[string]http.Handler{"officer": h, "ruzhou": ruzhou} {
		page := mustGet(t, ui, "/conflicts")
		wantContains(t, who+"'s conflicts", page, "赵大勇", "410482********"+id[14:], ruzhouVillage)
	}
	conflict := between(mustGet(t, ruzhou, "/conflicts"), `action="/conflicts/`, `/resolve"`)
	res, body = postForm(t, ruzhou, "/conflicts/"+conflict+"/resolve", url.Values{"resolution": {""}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a resolution left empty", body, "请写明处理结果。")
	res, _ = postForm(t, ruzhou, "/conflicts/"+conflict+"/resolve", url.Values{"resolution": {"核实为外出务工，户籍仍在汝州"}})
	wantStatus(t, res, http.StatusSeeOther)
	if page := mustGet(t, h, "/conflicts"); strings.Contains(page, "赵大勇") {
		t.Error("a resolved conflict is still listed")
	}

	res, _ = postForm(t, h, here+"/households", householdValues("", "钱小红", testIDNumber("410423", "19880808", 28)))
	wantStatus(t, res, http.StatusSeeOther)
	existing := residentsAt(t, h, here)[0]
	res, body = postForm(t, h, here+"/residents", url.Values{"id_number": {testIDNumber("410423", "19880808", 28)}, "name": {"钱小红"}})
	wantStatus(t, res, http.StatusConflict)
	wantContains(t, "a person registered twice", body, "此人已经登记（人员编号 "+existing+"）", `href="/residents/`+existing+`"`)
}

func TestAHouseholdWithARefusedMemberIsNotSavedAtAll(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	ruzhou := newTestUI(t, st, "ruzhou")
	elsewhere := testIDNumber("410482", "19660606", 19)
	there := newAddress(t, ruzhou, ruzhouVillage, "试验丹阳路", "6")
	res, _ := postForm(t, ruzhou, there+"/households", householdValues("", "孙立", elsewhere))
	wantStatus(t, res, http.StatusSeeOther)

	addr := newAddress(t, h, officerVillage(t, h), "试验东街", "20")
	head := testIDNumber("410423", "19650505", 11)
	res, body := postForm(t, h, addr+"/households", householdValues("", "周海", head, "孙立", elsewhere))
	wantStatus(t, res, http.StatusConflict)
	second := between(body, `data-member="1"`, "</fieldset>")
	wantContains(t, "the refused member", second, `value="孙立"`, "此人已登记在其他民警的辖区")
	wantContains(t, "the member kept in the form", body, `value="周海"`)
	if page := mustGet(t, h, addr); strings.Contains(page, `class="household card"`) || strings.Contains(page, "周海") {
		t.Error("the address shows a household although its member was refused; want nothing saved")
	}

	res, _ = postForm(t, h, addr+"/households", householdValues("", "周海", head))
	wantStatus(t, res, http.StatusSeeOther)
	page := mustGet(t, h, addr)
	if n := strings.Count(page, `class="household card"`); n != 1 {
		t.Errorf("the address has %d households; want one", n)
	}
	wantContains(t, "the household saved", page, "周海", "户主")
}

func TestResidentEditIsKeptInTheHistory(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	addr := newAddress(t, h, officerVillage(t, h), "试验西街", "15")
	id := testIDNumber("410423", "19800808", 37)
	form := householdValues("", "吴刚", id)
	form["phone"][0] = "13812345678"
	res, _ := postForm(t, h, addr+"/households", form)
	wantStatus(t, res, http.StatusSeeOther)
	person := "/residents/" + residentsAt(t, h, addr)[0]

	edit := mustGet(t, h, person+"/edit")
	wantContains(t, "the edit form", edit, `value="`+id+`"`, `value="13812345678"`, `inputmode="numeric"`, `type="tel"`)
	res, body := postForm(t, h, person, url.Values{"doc_kind": {"id_card"}, "id_number": {id}, "name": {"吴刚"}, "phone": {"13900001111"},
		"category": {"floating"}, "status": {"present"}, "relation": {"head"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the resident: %d %.400s", res.StatusCode, body)
	}
	page := mustGet(t, h, person)
	history := between(page, `id="history-h"`, "</section>")
	wantContains(t, "the history", history, "联系电话", "138****5678", "139****1111", "人员类别", "户籍人口", "流动人口", "officer")
	if strings.Contains(history, "13900001111") {
		t.Error("the history shows a phone in full")
	}
	res, body = postForm(t, h, person, url.Values{"doc_kind": {"id_card"}, "id_number": {id}, "name": {"吴\u200b刚"}})
	wantStatus(t, res, http.StatusBadRequest)
	wantContains(t, "a name with a hidden character", between(body, `id="res-name"`, "</div>"), "姓名中有看不见的字符")
}

func TestCollectionFormsAreForOneHandOnAPhone(t *testing.T) {
	h, _ := demoUIAs(t, "officer")
	addr := newAddress(t, h, officerVillage(t, h), "试验东街", "1")
	form := mustGet(t, h, addr+"/households/new")
	id := between(form, `id="m0-id"`, ">")
	wantContains(t, "the ID number field", id, `inputmode="numeric"`, `data-check="/check/id-number"`, `aria-describedby="m0-id-check"`, `autocomplete="off"`)
	wantContains(t, "the household form", form, `type="tel" inputmode="tel"`, `data-append-x="m0-id"`, `id="member-template"`,
		`name="add_member"`, `class="collect-actions"`, "collect.js")
	res, body := postForm(t, h, addr+"/households", url.Values{"add_member": {"1"}, "name": {"李明"}, "id_number": {""},
		"relation": {"head"}, "category": {"registered"}})
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the form with a row added", body, `value="李明"`, `id="m1-name"`, "成员 2")
}

func TestCollectionNeedsTheRightToWrite(t *testing.T) {
	h, st := demoUIAs(t, "officer")
	addr := newAddress(t, h, officerVillage(t, h), "试验东街", "2")
	leader := newTestUI(t, st, "leader")
	mustGet(t, leader, addr)
	for _, page := range []string{addr + "/households/new", addr + "/edit", "/review"} {
		res, _ := get(t, leader, page)
		wantStatus(t, res, http.StatusForbidden)
	}
	res, _ := postForm(t, leader, addr+"/households", householdValues("", "李明", testIDNumber("410423", "19900101", 11)))
	wantStatus(t, res, http.StatusForbidden)
	if page := mustGet(t, leader, addr); strings.Contains(page, "/households/new") {
		t.Error("the leader is offered the collection forms")
	}
}
