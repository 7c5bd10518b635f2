package store_test

import (
	"context"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// leaderOf returns the context of a city leader, who reads figures but no
// personal data.
func leaderOf() context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: "gao", Role: cunjing.RoleLeader,
		Scope: cunjing.Scope{Prefixes: []string{"410423"}}})
}

func TestALeaderReadsAMemberOfStaffWithThePhoneMaskedAndUnrecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadStaffFixture(t, s)
		id := addStaff(t, s, officer("李明", "100001", luyang))[0]
		m, err := s.StaffMember(leaderOf(), id)
		if err != nil || m.Name != "李明" || m.Phone != "138****0000" {
			t.Fatalf("the leader reads %+v, %v; want 李明 with the phone masked", m, err)
		}
		if m, err := s.StaffMember(chiefOf(), id); err != nil || m.Phone != "13800000000" {
			t.Fatalf("the chief reads %+v, %v; want the phone in full", m, err)
		}
		if reads := findAll(t, s, cunjing.AuditFilter{Actor: "gao", Action: cunjing.ActionReadPersonal}); len(reads) != 0 {
			t.Errorf("the leader's masked read is audited as a read of personal data: %+v", reads)
		}
		if reads := findAll(t, s, cunjing.AuditFilter{Actor: "chief", Action: cunjing.ActionReadPersonal}); len(reads) != 1 {
			t.Errorf("the chief's reads of personal data = %+v; want one", reads)
		}
	})
}

func TestALeaderPrintsCardsWithThePhonesMaskedAndUnrecorded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadCardFixture(t, s)
		cards, err := s.ContactCards(leaderOf(), "410423100201")
		if err != nil || len(cards) != 1 || len(cards[0].Officers) != 2 {
			t.Fatalf("the leader's card of 张庄1村 = %+v, %v; want one card with two officers", cards, err)
		}
		if a, b := cards[0].Officers[0].Phone, cards[0].Officers[1].Phone; a != "138****1111" || b != "138****2222" {
			t.Errorf("the leader's card shows the phones %q and %q; want them masked", a, b)
		}
		if reads := findAll(t, s, cunjing.AuditFilter{Actor: "gao", Action: cunjing.ActionReadPersonal}); len(reads) != 0 {
			t.Errorf("the leader's masked cards are audited as a read of personal data: %+v", reads)
		}
	})
}
