package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// itemFailed reports whether err is an ItemError naming item index with an
// error of code.
func itemFailed(err error, index int, code string) bool {
	var item *cunjing.ItemError
	return errors.As(err, &item) && item.Index == index && cunjing.ErrorCode(item.Err) == code
}

// inspect is the inspection of an office.
func inspect(code string, checks []cunjing.OfficeCheck) cunjing.OfficeInspection {
	return cunjing.OfficeInspection{Unit: code, Checks: checks}
}

func TestAddDualPostsIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		wang, li, _, zhou := loadDualPosts(t, s)
		ctx := storetest.Ctx()
		secretary := dual(wang, "410423100201", cunjing.DualPartySecretary, "2024-01-10")
		member := dual(wang, "410423100202", cunjing.DualPartyMember, "2024-01-10")
		laterSecretary := dual(wang, "410423100201", cunjing.DualPartySecretary, "2024-06-01")
		lushan := seeing("410423")
		for name, c := range map[string]struct {
			ctx   context.Context
			posts []cunjing.DualPost
			index int
			code  string
		}{
			"an auxiliary third":               {ctx, []cunjing.DualPost{secretary, member, dual(li, "410423100203", cunjing.DualPartyMember, "2024-01-10")}, 2, cunjing.EInvalid},
			"a post twice in the batch":        {ctx, []cunjing.DualPost{secretary, member, laterSecretary}, 2, cunjing.EConflict},
			"a 汝州 officer from 鲁山":             {lushan, []cunjing.DualPost{secretary, dual(zhou, "410423100203", cunjing.DualPartyMember, "2024-01-10")}, 1, cunjing.ENotFound},
			"a 汝州 village from 鲁山":             {lushan, []cunjing.DualPost{secretary, dual(wang, "410482001201", cunjing.DualPartyMember, "2024-01-10")}, 1, cunjing.ENotFound},
			"an unknown officer":               {ctx, []cunjing.DualPost{secretary, dual(999999, "410423100203", cunjing.DualPartyMember, "2024-01-10")}, 1, cunjing.ENotFound},
			"an appointment after today first": {ctx, []cunjing.DualPost{dual(wang, "410423100201", cunjing.DualPartyMember, "2025-03-16"), member}, 0, cunjing.EInvalid},
		} {
			if _, err := s.AddDualPosts(c.ctx, c.posts); !itemFailed(err, c.index, c.code) {
				t.Errorf("%s: %v; want item %d refused with %s", name, err, c.index+1, c.code)
			}
		}
		if held, err := s.DualPosts(ctx, "", 0); err != nil || len(held) != 0 {
			t.Fatalf("after refused batches %d dual posts are stored (%v); want none", len(held), err)
		}
		if events := auditOf(t, s, cunjing.ActionDualPost, "4104"); len(events) != 0 {
			t.Fatalf("after refused batches %d dual post audit rows; want none", len(events))
		}
		ids, err := s.AddDualPosts(lushan, []cunjing.DualPost{secretary, member})
		if err != nil || len(ids) != 2 || ids[0] == ids[1] {
			t.Fatalf("a good batch from 鲁山: %v %v; want two IDs", ids, err)
		}
		if _, err := s.AddDualPosts(ctx, []cunjing.DualPost{dual(wang, "410423100203", cunjing.DualPartyMember, "2024-01-10"), laterSecretary}); !itemFailed(err, 1, cunjing.EConflict) {
			t.Errorf("a post already stored, second in a batch: %v; want item 2 in conflict", err)
		}
		held, err := s.DualPosts(ctx, "", wang)
		if err != nil || len(held) != 2 {
			t.Fatalf("dual posts of 王警 = %d (%v); want the 2 of the good batch", len(held), err)
		}
		for i, village := range []string{"410423100201", "410423100202"} {
			events := auditOf(t, s, cunjing.ActionDualPost, village)
			if len(events) != 1 || !strings.Contains(events[0].Detail, "dual_post:"+strconv.FormatInt(ids[i], 10)) {
				t.Errorf("audit of the dual post in %s: %+v; want one row naming dual_post:%d", village, events, ids[i])
			}
		}
	})
}

func TestCheckOfficesIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadRuzhou(t, s)
		ctx := storetest.Ctx()
		met := []cunjing.OfficeCheck{{Item: "signage", Met: true}, {Item: "office_space", Met: true}}
		lushan := seeing("410423")
		for name, c := range map[string]struct {
			ctx         context.Context
			inspections []cunjing.OfficeInspection
			index       int
			code        string
		}{
			"an unknown item second": {ctx, []cunjing.OfficeInspection{inspect(fixtureWorkstation, met), inspect(fixtureOffice, []cunjing.OfficeCheck{{Item: "moat", Met: true}})}, 1, cunjing.EInvalid},
			"no checks second":       {ctx, []cunjing.OfficeInspection{inspect(fixtureWorkstation, met), inspect(fixtureOffice, nil)}, 1, cunjing.EInvalid},
			"a police station":       {ctx, []cunjing.OfficeInspection{inspect(fixtureWorkstation, met), inspect("410423510100", met)}, 1, cunjing.ENotFound},
			"the 汝州 office from 鲁山":  {lushan, []cunjing.OfficeInspection{inspect(fixtureWorkstation, met), inspect(fixtureOffice, met), inspect(ruzhouOffice, met)}, 2, cunjing.ENotFound},
		} {
			if err := s.CheckOffices(c.ctx, c.inspections); !itemFailed(err, c.index, c.code) {
				t.Errorf("%s: %v; want inspection %d refused with %s", name, err, c.index+1, c.code)
			}
		}
		for _, code := range []string{fixtureWorkstation, fixtureOffice} {
			if p := office(t, s, code); len(p.Checks) != 0 {
				t.Errorf("after refused batches %s has checks %v; want none", code, p.Checks)
			}
			if events := auditOf(t, s, cunjing.ActionOfficeUpdate, code); len(events) != 0 {
				t.Errorf("after refused batches %s has %d audit rows; want none", code, len(events))
			}
		}
		missed := []cunjing.OfficeCheck{{Item: "signage", Met: false, Note: "标牌褪色"}}
		err := s.CheckOffices(lushan, []cunjing.OfficeInspection{inspect(fixtureWorkstation, met), inspect(fixtureOffice, met), inspect(fixtureOffice, missed)})
		if err != nil {
			t.Fatalf("a good batch from 鲁山: %v", err)
		}
		if p := office(t, s, fixtureWorkstation); p.Score != 35 || len(p.Checks) != 2 {
			t.Errorf("work station after the batch: score %d with %d checks; want 35 (signage 15 + office space 20) with 2", p.Score, len(p.Checks))
		}
		if p := office(t, s, fixtureOffice); p.Score != 20 || p.Checks["signage"].Met || p.Checks["signage"].Note != "标牌褪色" {
			t.Errorf("office inspected twice in a batch: score %d, signage %+v; want the later result (20, not met)", p.Score, p.Checks["signage"])
		}
		if events := auditOf(t, s, cunjing.ActionOfficeUpdate, fixtureOffice); len(events) != 2 || events[0].Actor != "scoped" {
			t.Errorf("audit of the office inspected twice: %+v; want two rows by the caller", events)
		}
	})
}
