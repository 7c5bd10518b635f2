package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store/storetest"
)

func TestALeaderSeesAStaffPhoneMaskedAndLeavesNoReadOfPersonalData(t *testing.T) {
	h, st := demoUIAs(t, "leader")
	unit, _ := workstationsOf(t, st, "410423000000")
	id := addStaffMember(t, st, newOfficer(t, st, "李明远", unit, 900200))

	res, page := get(t, h, fmt.Sprintf("/staff/%d", id))
	wantStatus(t, res, http.StatusOK)
	wantContains(t, "the leader's staff page", page, `<span class="phone">138****5678</span>`)
	for _, leak := range []string{"13812345678", `href="tel:`, "完整手机号的每次查看都记入审计日志。"} {
		if strings.Contains(page, leak) {
			t.Errorf("the leader's staff page shows %q", leak)
		}
	}
	events, _, err := st.FindAudit(storetest.Ctx(), cunjing.AuditFilter{Actor: "leader", Action: cunjing.ActionReadPersonal,
		Page: cunjing.Page{Limit: 10}})
	if err != nil || len(events) != 0 {
		t.Errorf("the leader's read_personal rows = %+v, %v; want none", events, err)
	}
}

func TestALeadersContactCardHasTheOfficersPhoneMaskedAndNotDialled(t *testing.T) {
	h, st := demoUIAs(t, "leader")
	village := postCardOfficer(t, st)
	res, body := get(t, h, "/areas/"+village.Code+"/card")
	wantStatus(t, res, http.StatusOK)
	card := between(body, `<article class="contact-card`, "</article>")
	wantContains(t, "the leader's card", card, cardOfficer.Name, cunjing.MaskPhone(cardOfficer.Phone))
	if strings.Contains(card, cardOfficer.Phone) || strings.Contains(card, `href="tel:139`) {
		t.Errorf("the leader's card shows or dials the officer's phone: %s", card)
	}
}
