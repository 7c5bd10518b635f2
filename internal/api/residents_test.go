package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// biIDNumber returns a valid ID number of 鲁山县 born on 1902-03-04, a
// day the demo population does not use, with sequence seq.
func biIDNumber(seq int) string {
	s := fmt.Sprintf("41042319020304%03d", seq)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return s + string("10X98765432"[sum%11])
}

// biVillageOf returns the first village in the scope of the user srv
// serves.
func biVillageOf(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	var me struct {
		Scope []string `json:"scope"`
	}
	get(t, srv, "/api/v1/auth/me", &me)
	for _, code := range me.Scope {
		if len(code) == 12 {
			return code
		}
	}
	t.Fatalf("no village in the scope %v", me.Scope)
	return ""
}

// biPost sends a JSON body and decodes the answer into v, failing unless
// the status is want.
func biPost(t *testing.T, srv *httptest.Server, method, path, body string, want int, v any) *http.Response {
	t.Helper()
	resp, out := send(t, srv, "", method, path, body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s %s: %d %s; want %d", method, path, body, resp.StatusCode, out, want)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(out), v); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, out)
		}
	}
	return resp
}

type biRecord struct {
	ID          int64  `json:"id"`
	AreaCode    string `json:"area_code"`
	AddressID   int64  `json:"address_id"`
	AddressText string `json:"address_text"`
	Text        string `json:"text"`
	IDNumber    string `json:"id_number"`
	Phone       string `json:"phone"`
	BirthDate   string `json:"birth_date"`
	Sex         string `json:"sex"`
	Status      string `json:"status"`
	State       string `json:"state"`
	Reason      string `json:"reason"`
	CollectedBy string `json:"collected_by"`
}

func TestResidentsAreMaskedInListsAndTheirDetailIsAudited(t *testing.T) {
	srv, st := newServerAs(t, "officer")
	village := biVillageOf(t, srv)
	var address biRecord
	biPost(t, srv, "POST", "/api/v1/addresses", fmt.Sprintf(`{"area_code":%q,"street":"测试路","house_number":"7","building":"2","room":"301"}`, village),
		http.StatusCreated, &address)
	if address.Text != "测试路7号2栋301室" || address.State != "collected" || address.CollectedBy != "officer" {
		t.Errorf("address %+v; want the composed text, collected by officer", address)
	}
	var household struct {
		ID int64 `json:"id"`
	}
	biPost(t, srv, "POST", "/api/v1/households", fmt.Sprintf(`{"area_code":%q,"address_id":%d,"number":"A-1"}`, village, address.ID),
		http.StatusCreated, &household)
	id := biIDNumber(11)
	var created biRecord
	resp := biPost(t, srv, "POST", "/api/v1/residents", fmt.Sprintf(`{"area_code":%q,"household_id":%d,"relation":"head",
		"id_number":%q,"name":"测试甲","phone":"138 0000 1234"}`, village, household.ID, strings.ToLower(id)), http.StatusCreated, &created)
	if created.IDNumber != cunjing.MaskIDNumber(id) || created.Phone != "138****1234" || created.AddressID != address.ID ||
		created.BirthDate != "1902-03-04" || created.Sex != "M" || resp.Header.Get("Cache-Control") != "no-store" ||
		resp.Header.Get("Location") != fmt.Sprintf("/api/v1/residents/%d", created.ID) {
		t.Errorf("created %+v, headers %v; want masked, at the household's address, derived from the ID number", created, resp.Header)
	}

	_, list := send(t, srv, "", "GET", fmt.Sprintf("/api/v1/residents?household_id=%d", household.ID), "")
	if !strings.Contains(list, cunjing.MaskIDNumber(id)) || strings.Contains(list, id) || strings.Contains(list, "13800001234") {
		t.Errorf("the list shows personal data unmasked or not at all: %s", list)
	}
	_, members := send(t, srv, "", "GET", fmt.Sprintf("/api/v1/households/%d", household.ID), "")
	if !strings.Contains(members, "测试甲") || strings.Contains(members, id) {
		t.Errorf("the household shows %s; want its member masked", members)
	}
	resp, detail := send(t, srv, "", "GET", fmt.Sprintf("/api/v1/residents/%d", created.ID), "")
	if resp.StatusCode != 200 || !strings.Contains(detail, id) || !strings.Contains(detail, "13800001234") ||
		!strings.Contains(detail, "测试路7号2栋301室") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("detail: %d %s, Cache-Control %q; want the full ID number and phone, no-store", resp.StatusCode, detail, resp.Header.Get("Cache-Control"))
	}
	if reads := auditRows(t, st, cunjing.ActionReadPersonal, fmt.Sprintf("resident:%d", created.ID)); len(reads) != 1 || reads[0].Actor != "officer" {
		t.Errorf("read_personal rows = %+v; want one by officer", reads)
	}

	biPost(t, srv, "PATCH", fmt.Sprintf("/api/v1/residents/%d", created.ID), `{"phone":"13900001111","status":"moved_out"}`, http.StatusNoContent, nil)
	_, history := send(t, srv, "", "GET", fmt.Sprintf("/api/v1/residents/%d/history", created.ID), "")
	if !strings.Contains(history, `"old":"138****1234","new":"139****1111"`) || !strings.Contains(history, `"new":"moved_out"`) ||
		strings.Contains(history, "13900001111") {
		t.Errorf("history = %s; want the phone masked and the status", history)
	}
}

func TestResidentBodiesCannotSetTheCollectionOrBadValues(t *testing.T) {
	srv, _ := newServerAs(t, "officer")
	village := biVillageOf(t, srv)
	var created biRecord
	biPost(t, srv, "POST", "/api/v1/residents", fmt.Sprintf(`{"area_code":%q,"id_number":%q,"name":"测试乙"}`, village, biIDNumber(13)),
		http.StatusCreated, &created)
	path := fmt.Sprintf("/api/v1/residents/%d", created.ID)
	for _, body := range []string{`{"collected_by":"someone"}`, `{"state":"verified"}`, `{"reviewed_by":"chief"}`} {
		if resp, out := send(t, srv, "", "PATCH", path, body); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("PATCH %s: %d %s; want 400", body, resp.StatusCode, out)
		}
	}
	resp, out := send(t, srv, "", "POST", "/api/v1/residents", fmt.Sprintf(`{"area_code":%q,"id_number":"530102192005080119","name":"测试丙","state":"verified"}`, village))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("POST with a state: %d %s; want 400", resp.StatusCode, out)
	}
	var after biRecord
	get(t, srv, path, &after)
	if after.State != "collected" || after.CollectedBy != "officer" {
		t.Errorf("after the refused bodies %+v; want it collected by officer", after)
	}
	resp, out = send(t, srv, "", "POST", "/api/v1/residents", fmt.Sprintf(`{"area_code":%q,"id_number":"530102192005080119","name":"测试丙"}`, village))
	if e := errorOf(t, out); resp.StatusCode != http.StatusBadRequest || e.Error.Fields["id_number"] == "" {
		t.Errorf("a wrong check digit: %d %s; want 400 naming id_number", resp.StatusCode, out)
	}
	resp, out = send(t, srv, "", "POST", "/api/v1/residents", fmt.Sprintf(`{"area_code":%q,"id_number":%q,"name":"测试丁"}`, village, biIDNumber(13)))
	if e := errorOf(t, out); resp.StatusCode != http.StatusConflict || !strings.Contains(e.Error.Message, fmt.Sprintf("resident %d", created.ID)) {
		t.Errorf("the same person again: %d %s; want 409 naming resident %d", resp.StatusCode, out, created.ID)
	}
}

// biVillageUnder returns the first village under code.
func biVillageUnder(t *testing.T, st *store.Store, code string) string {
	t.Helper()
	found, _, err := st.FindAreas(storetest.Ctx(), cunjing.AreaFilter{Under: code, Level: cunjing.LevelVillage, Page: cunjing.Page{Limit: 1}})
	if err != nil || len(found) == 0 {
		t.Fatalf("no village under %s: %v", code, err)
	}
	return found[0].Code
}

func TestAPersonOfAnotherCountyIsAConflictSeenFromBothSides(t *testing.T) {
	srv, st := newServerAs(t, "officer")
	other, _ := newServerAsOn(t, st, "ruzhou")
	village := biVillageOf(t, srv)
	id := biIDNumber(15)
	var held biRecord
	biPost(t, srv, "POST", "/api/v1/residents", fmt.Sprintf(`{"area_code":%q,"id_number":%q,"name":"测试戊"}`, village, id), http.StatusCreated, &held)

	ruzhouVillage := biVillageUnder(t, st, "410482")
	resp, out := send(t, other, "", "POST", "/api/v1/residents", fmt.Sprintf(`{"area_code":%q,"id_number":%q,"name":"测试戊"}`, ruzhouVillage, id))
	if e := errorOf(t, out); resp.StatusCode != http.StatusConflict || !strings.Contains(e.Error.Message, "another jurisdiction") ||
		strings.Contains(out, village) {
		t.Errorf("the claim from 汝州: %d %s; want 409 saying another jurisdiction, without naming where", resp.StatusCode, out)
	}
	if resp, _ := send(t, other, "", "GET", fmt.Sprintf("/api/v1/residents/%d", held.ID), ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("汝州 reads the person: %d; want 404", resp.StatusCode)
	}
	var theirs, mine struct {
		Items []struct {
			ID        int64  `json:"id"`
			HeldIn    string `json:"held_in"`
			ClaimedIn string `json:"claimed_in"`
			IDMasked  string `json:"id_masked"`
		} `json:"items"`
	}
	get(t, other, "/api/v1/conflicts", &theirs)
	get(t, srv, "/api/v1/conflicts", &mine)
	if len(theirs.Items) != 1 || len(mine.Items) != 1 || mine.Items[0].ID != theirs.Items[0].ID ||
		mine.Items[0].HeldIn != village || mine.Items[0].ClaimedIn != ruzhouVillage || mine.Items[0].IDMasked != cunjing.MaskIDNumber(id) {
		t.Fatalf("conflicts: 汝州 %+v, officer %+v; want the same one on both sides", theirs, mine)
	}
	path := fmt.Sprintf("/api/v1/conflicts/%d/resolve", mine.Items[0].ID)
	if resp, out := send(t, srv, "", "POST", path, `{}`); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("resolve without saying how: %d %s; want 400", resp.StatusCode, out)
	}
	biPost(t, srv, "POST", path, `{"resolution":"本人常住本村，汝州登记有误"}`, http.StatusNoContent, nil)
	get(t, other, "/api/v1/conflicts", &theirs)
	if len(theirs.Items) != 0 {
		t.Errorf("open conflicts after the resolution: %+v", theirs.Items)
	}
}

func TestAddressesAreChangedWithTheirHistory(t *testing.T) {
	srv, _ := newServerAs(t, "officer")
	village := biVillageOf(t, srv)
	var address biRecord
	biPost(t, srv, "POST", "/api/v1/addresses", fmt.Sprintf(`{"area_code":%q,"street":"测试路","house_number":"9号",
		"location":{"lng":112.9,"lat":33.74,"datum":"GCJ-02"}}`, village), http.StatusCreated, &address)
	resp, out := send(t, srv, "", "POST", "/api/v1/addresses", fmt.Sprintf(`{"area_code":%q,"street":"测试路","house_number":"九号"}`, village))
	if resp.StatusCode != http.StatusConflict || !strings.Contains(out, fmt.Sprintf("address %d", address.ID)) {
		t.Errorf("the same address again: %d %s; want 409 naming address %d", resp.StatusCode, out, address.ID)
	}
	path := fmt.Sprintf("/api/v1/addresses/%d", address.ID)
	biPost(t, srv, "PATCH", path, `{"room":"102","location":null}`, http.StatusNoContent, nil)
	var got struct {
		Text     string          `json:"text"`
		Location json.RawMessage `json:"location"`
	}
	get(t, srv, path, &got)
	if got.Text != "测试路9号102室" || string(got.Location) != "null" {
		t.Errorf("after the change %+v; want 测试路9号102室 without a location", got)
	}
	_, history := send(t, srv, "", "GET", path+"/history", "")
	if !strings.Contains(history, `"field":"room","old":"","new":"102"`) || !strings.Contains(history, `"field":"location"`) {
		t.Errorf("history = %s", history)
	}
	var list struct {
		Items []biRecord `json:"items"`
	}
	get(t, srv, "/api/v1/addresses?street="+url.QueryEscape("测试")+"&under="+village, &list)
	if len(list.Items) != 1 || list.Items[0].ID != address.ID {
		t.Errorf("addresses of 测试路 = %+v", list.Items)
	}
	if resp, _ := send(t, srv, "", "GET", "/api/v1/addresses?state=done", ""); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown state: %d; want 400", resp.StatusCode)
	}
}

func TestAHouseholdIsRegisteredWithItsMembersOrNotAtAll(t *testing.T) {
	srv, _ := newServerAs(t, "officer")
	village := biVillageOf(t, srv)
	var address biRecord
	biPost(t, srv, "POST", "/api/v1/addresses", fmt.Sprintf(`{"area_code":%q,"street":"成员路","house_number":"3"}`, village),
		http.StatusCreated, &address)
	head, child := biIDNumber(21), biIDNumber(22)
	members := func(second string) string {
		return fmt.Sprintf(`{"area_code":%q,"address_id":%d,"members":[{"relation":"head","id_number":%q,"name":"成员甲"},
			{"relation":"child","id_number":%q,"name":"成员乙"}]}`, village, address.ID, head, second)
	}
	resp, body := send(t, srv, "", "POST", "/api/v1/households", members("530102192005080119"))
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "member 2") || !strings.Contains(body, `"id_number"`) {
		t.Errorf("a bad second member: %d %s; want 400 naming member 2 and its id_number", resp.StatusCode, body)
	}
	_, list := send(t, srv, "", "GET", fmt.Sprintf("/api/v1/residents?under=%s", village), "")
	if strings.Contains(list, "成员甲") {
		t.Errorf("the head was saved although the household was refused: %s", list)
	}
	var created struct {
		ID      int64      `json:"id"`
		Members []biRecord `json:"members"`
	}
	biPost(t, srv, "POST", "/api/v1/households", members(child), http.StatusCreated, &created)
	if len(created.Members) != 2 || created.Members[0].AddressID != address.ID || created.Members[1].IDNumber != cunjing.MaskIDNumber(child) {
		t.Errorf("household %+v; want both members at the address, masked", created)
	}
}
