package store_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// Credit codes of real, public companies (see creditcode_test.go).
const (
	worldCode      = "91330100799655058B"
	worldOtherCode = "914403001922038216"
)

// worldOrg adds a shop in area as ctx, with the credit code given, and
// returns its ID.
func worldOrg(t *testing.T, s *store.Store, ctx context.Context, area, code string) int64 {
	t.Helper()
	o := cunjing.Org{AreaCode: area, Name: "顺发超市", Type: cunjing.OrgShop, CreditCode: code}
	if err := s.CreateOrg(ctx, &o); err != nil {
		t.Fatalf("create org: %v", err)
	}
	return o.ID
}

func TestAnOrgsPhoneIsSealedMaskedInListsAndItsReadAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		hotel := cunjing.Org{AreaCode: worldVillage, Name: "鲁山顺发旅馆", Type: cunjing.OrgHotel, CreditCode: worldCode,
			LegalRep: "王伟", ContactPhone: "+86 138 1234 5678", StaffCount: 6}
		if err := s.CreateOrg(w.officer, &hotel); err != nil {
			t.Fatalf("create org: %v", err)
		}
		shop := worldOrg(t, s, w.officer, worldVillage, "")
		list, _, err := s.FindOrgs(w.officer, cunjing.OrgFilter{})
		if err != nil || len(list) != 2 || list[0].ContactPhone != "138****5678" {
			t.Fatalf("orgs = %+v, %v; want two, the hotel's phone masked", list, err)
		}
		special, _, err := s.FindOrgs(w.officer, cunjing.OrgFilter{Special: true})
		if err != nil || len(special) != 1 || special[0].ID != hotel.ID {
			t.Errorf("special industries = %+v, %v; want the hotel only, not shop %d", special, err, shop)
		}
		byCode, _, _ := s.FindOrgs(w.officer, cunjing.OrgFilter{Query: strings.ToLower(worldCode)})
		byName, _, _ := s.FindOrgs(w.officer, cunjing.OrgFilter{Query: "旅馆"})
		if len(byCode) != 1 || byCode[0].ID != hotel.ID || len(byName) != 1 || byName[0].ID != hotel.ID {
			t.Errorf("by credit code %+v, by name %+v; want the hotel each time", byCode, byName)
		}
		object := fmt.Sprintf("org:%d", hotel.ID)
		if got, err := s.Org(leaderOf(), hotel.ID); err != nil || got.ContactPhone != "138****5678" {
			t.Errorf("the leader reads %+v, %v; want the phone masked", got, err)
		}
		if reads := auditOf(t, s, cunjing.ActionReadPersonal, object); len(reads) != 0 {
			t.Errorf("the leader's masked read is audited: %+v", reads)
		}
		got, err := s.Org(w.officer, hotel.ID)
		if err != nil || got.ContactPhone != "13812345678" || got.Name != "鲁山顺发旅馆" || got.CreditCode != worldCode {
			t.Fatalf("the officer reads %+v, %v; want the phone in full", got, err)
		}
		if reads := auditOf(t, s, cunjing.ActionReadPersonal, object); len(reads) != 1 || reads[0].Actor != "li" {
			t.Errorf("reads of the phone = %+v; want one by li", reads)
		}
		var special1, special2 bool
		var sealed []byte
		direct := storetest.Direct(t, s)
		if err := direct.QueryRow("SELECT special, phone_sealed FROM orgs WHERE id = "+fmt.Sprint(hotel.ID)).Scan(&special1, &sealed); err != nil {
			t.Fatal(err)
		}
		if err := direct.QueryRow("SELECT special FROM orgs WHERE id = " + fmt.Sprint(shop)).Scan(&special2); err != nil {
			t.Fatal(err)
		}
		if !special1 || special2 || len(sealed) == 0 || bytes.Contains(sealed, []byte("13812345678")) {
			t.Errorf("stored special %v / %v, phone %q; want the hotel flagged, the shop not, the phone sealed", special1, special2, sealed)
		}
	})
}

func TestADuplicateCreditCodeNamesTheOrgOnlyInsideTheScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		far := worldOrg(t, s, w.other, worldOther, worldCode)
		mine := cunjing.Org{AreaCode: worldVillage, Name: "另一家", Type: cunjing.OrgEnterprise, CreditCode: " " + worldCode}
		err := s.CreateOrg(w.officer, &mine)
		e, ok := err.(*cunjing.Error)
		if !ok || e.Code != cunjing.EConflict || e.Message != "the credit code is already registered" || e.Fields["credit_code"] != "already registered" {
			t.Fatalf("a code registered in another village: %v (%+v); want a conflict saying only that it is registered", err, e)
		}
		err = s.CreateOrg(w.chief, &mine)
		if cunjing.ErrorCode(err) != cunjing.EConflict || !strings.Contains(cunjing.ErrorMessage(err), "顺发超市") ||
			!strings.Contains(cunjing.ErrorMessage(err), fmt.Sprint(far)) {
			t.Errorf("the chief, who sees both villages: %v; want the conflict naming 顺发超市 (org %d)", err, far)
		}
		mine.CreditCode = worldOtherCode
		if err := s.CreateOrg(w.officer, &mine); err != nil {
			t.Fatalf("another code: %v", err)
		}
		mine.CreditCode = worldCode
		if err := s.UpdateOrg(w.officer, mine); cunjing.ErrorCode(err) != cunjing.EConflict || strings.Contains(cunjing.ErrorMessage(err), "顺发") {
			t.Errorf("changing to the taken code: %v; want a conflict that names nothing", err)
		}
		if got, _ := s.Org(w.officer, mine.ID); got.CreditCode != worldOtherCode {
			t.Errorf("code after the refused change = %s; want %s", got.CreditCode, worldOtherCode)
		}
	})
}

func TestOrgsOutsideTheScopeReadAsMissing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		far := worldOrg(t, s, w.other, worldOther, "")
		missing := fmt.Sprintf("org %d not found", far)
		_, err := s.Org(w.officer, far)
		wantNotFound(t, "another village's org", err, missing)
		_, err = s.Inspections(w.officer, far)
		wantNotFound(t, "its inspections", err, missing)
		wantNotFound(t, "inspecting it", s.AddInspection(w.officer, &cunjing.OrgInspection{OrgID: far, Date: date("2026-03-14"), Passed: true}), missing)
		wantNotFound(t, "updating it", s.UpdateOrg(w.officer, cunjing.Org{ID: far, AreaCode: worldVillage, Name: "x", Type: cunjing.OrgShop}), missing)
		o := cunjing.Org{AreaCode: worldOther, Name: "越界", Type: cunjing.OrgShop}
		if err := s.CreateOrg(w.officer, &o); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("an org in another village: %v; want not found", err)
		}
		if list, _, err := s.FindOrgs(w.officer, cunjing.OrgFilter{}); err != nil || len(list) != 0 {
			t.Errorf("li's orgs = %+v, %v; want none", list, err)
		}
	})
}

func TestAnOrgAtAnAddressLiesInItsAreaAndKeepsItsHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		o := cunjing.Org{AreaCode: worldOther, AddressID: w.shop, Name: "张庄网吧", Type: cunjing.OrgInternetCafe, ContactPhone: "13800001111"}
		if err := s.CreateOrg(w.officer, &o); err != nil {
			t.Fatalf("create org: %v", err)
		}
		got, err := s.Org(w.officer, o.ID)
		if err != nil || got.AreaCode != worldVillage || got.AddressText != "张庄一组30号" {
			t.Fatalf("org = %+v, %v; want in 张庄1村 at 张庄一组30号, where its address is", got, err)
		}
		got.ContactPhone, got.StaffCount = "13800002222", 12
		if err := s.UpdateOrg(w.officer, *got); err != nil {
			t.Fatalf("update: %v", err)
		}
		history := worldHistory(t, s, cunjing.RecordOrg, o.ID)
		for _, want := range []string{"contact_phone 138****1111→138****2222 by li", "staff_count 0→12 by li"} {
			if !strings.Contains(history, want) {
				t.Errorf("history %q lacks %q", history, want)
			}
		}
		if strings.Contains(history, "13800002222") {
			t.Errorf("history %q keeps the phone in full", history)
		}
	})
}

func TestInspectionsAreRecordedByTheCaller(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := loadWorld(t, s)
		org := worldOrg(t, s, w.officer, worldVillage, "")
		first := cunjing.OrgInspection{OrgID: org, Date: date("2026-03-01"), Inspector: "someone-else", Passed: true}
		if err := s.AddInspection(w.officer, &first); err != nil {
			t.Fatalf("add inspection: %v", err)
		}
		failed := cunjing.OrgInspection{OrgID: org, Date: date("2026-03-14"), Passed: false}
		if err := s.AddInspection(w.officer, &failed); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("a failed inspection without findings: %v; want invalid", err)
		}
		failed.Findings = "消防通道堵塞"
		if err := s.AddInspection(w.chief, &failed); err != nil {
			t.Fatal(err)
		}
		future := cunjing.OrgInspection{OrgID: org, Date: date("2026-03-16"), Passed: true}
		if err := s.AddInspection(w.officer, &future); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("an inspection tomorrow: %v; want invalid", err)
		}
		list, err := s.Inspections(w.officer, org)
		if err != nil || len(list) != 2 {
			t.Fatalf("inspections = %+v, %v; want two", list, err)
		}
		if list[0].ID != failed.ID || list[0].Inspector != "zhao" || list[0].Passed || list[0].Findings != "消防通道堵塞" {
			t.Errorf("newest = %+v; want the chief's failed one", list[0])
		}
		if list[1].Inspector != "li" || !list[1].Passed || list[1].Date.String() != "2026-03-01" {
			t.Errorf("oldest = %+v; want li's, whatever the request named", list[1])
		}
		if rows := auditOf(t, s, cunjing.ActionRecordUpdate, fmt.Sprintf("org:%d", org)); len(rows) != 2 {
			t.Errorf("audit rows of the inspections = %d; want 2", len(rows))
		}
	})
}
