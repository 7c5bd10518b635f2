package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// as returns a context carrying a user's identity on a request.
func as(username, requestID string) context.Context {
	return cunjing.WithIdentity(context.Background(), &cunjing.Identity{Username: username, Role: cunjing.RoleSystemAdmin,
		UnitCode: "410423510100", Scope: cunjing.Scope{All: true}, IP: "10.4.1.7", RequestID: requestID})
}

// auditor is the identity that reads the trail in these tests.
var auditor = as("auditor", "req-audit")

// findAll lists every audit row that matches f, newest first.
func findAll(t *testing.T, s *store.Store, f cunjing.AuditFilter) []cunjing.AuditEvent {
	t.Helper()
	f.Page.Limit = cunjing.MaxPageLimit
	events, next, err := s.FindAudit(auditor, f)
	if err != nil || next != "" {
		t.Fatalf("find audit %+v: %v, next %q", f, err, next)
	}
	return events
}

func TestWritesAreAuditedWithTheIdentity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := as("Zhang.Wei", "req-42")
		before := time.Now().Add(-time.Second)
		if _, err := s.ImportAreas(ctx, slices.Values(fixtureTree())); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUnits(ctx, fixtureUnits()); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateFirstUser(ctx, cunjing.User{Username: " Admin ", DisplayName: "管理员", PasswordHash: "x",
			Role: cunjing.RoleSystemAdmin}); err != nil {
			t.Fatal(err)
		}
		want := []struct{ action, object string }{{cunjing.ActionUserCreate, "admin"}}
		units := fixtureUnits()
		for i := len(units) - 1; i >= 0; i-- {
			want = append(want, struct{ action, object string }{cunjing.ActionUnitCreate, units[i].Code})
		}
		want = append(want, struct{ action, object string }{cunjing.ActionImportDivisions, "added 11, renamed 0, unchanged 0"})
		events := findAll(t, s, cunjing.AuditFilter{})
		if len(events) != len(want) {
			t.Fatalf("%d audit rows, want %d: %+v", len(events), len(want), events)
		}
		for i, e := range events {
			if e.Action != want[i].action || e.Object != want[i].object || e.Seq != int64(len(want)-i) {
				t.Errorf("row %d = %d %s %q; want %d %s %q", i, e.Seq, e.Action, e.Object, len(want)-i, want[i].action, want[i].object)
			}
			if e.Actor != "zhang.wei" || e.UnitCode != "410423510100" || e.IP != "10.4.1.7" || e.RequestID != "req-42" ||
				e.Result != cunjing.ResultOK || e.At.Before(before) || e.At.After(time.Now()) || len(e.Hash) != 64 {
				t.Errorf("row %d = %+v; want the identity, result ok and the time", i, e)
			}
		}
		if events[1].Detail != "东关社区警务室" {
			t.Errorf("unit row detail = %q; want the unit's name", events[1].Detail)
		}
	})
}

func TestFindAuditFiltersPagesAndIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		li, wang := as("li.na", "r1"), as("wang.qiang", "r2")
		audit := func(ctx context.Context, action, object, result string) {
			t.Helper()
			if err := s.Audit(ctx, action, object, result, ""); err != nil {
				t.Fatal(err)
			}
		}
		audit(li, cunjing.ActionLogin, "li.na", cunjing.ResultOK)
		audit(wang, cunjing.ActionLogin, "wang.qiang", cunjing.ResultFailed)
		time.Sleep(2 * time.Millisecond)
		middle := time.Now()
		time.Sleep(2 * time.Millisecond)
		audit(li, cunjing.ActionReadPersonal, "resident 100_1", cunjing.ResultOK)
		audit(wang, cunjing.ActionReadPersonal, "resident 1001", cunjing.ResultDenied)

		cases := []struct {
			name   string
			filter cunjing.AuditFilter
			want   []int64
		}{
			{"actor, canonical", cunjing.AuditFilter{Actor: " LI.NA "}, []int64{3, 1}},
			{"action", cunjing.AuditFilter{Action: cunjing.ActionLogin}, []int64{2, 1}},
			{"object contains", cunjing.AuditFilter{Object: "resident 100"}, []int64{4, 3}},
			{"object wildcards are literal", cunjing.AuditFilter{Object: "100_"}, []int64{3}},
			{"from", cunjing.AuditFilter{From: middle, Action: cunjing.ActionReadPersonal}, []int64{4, 3}},
			{"to", cunjing.AuditFilter{To: middle}, []int64{2, 1}},
			{"actor and action", cunjing.AuditFilter{Actor: "wang.qiang", Action: cunjing.ActionReadPersonal}, []int64{4}},
		}
		for _, c := range cases {
			var got []int64
			for _, e := range findAll(t, s, c.filter) {
				got = append(got, e.Seq)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("%s: rows %v; want %v", c.name, got, c.want)
			}
		}

		queries := findAll(t, s, cunjing.AuditFilter{Action: cunjing.ActionAuditQuery, Object: "actor="})
		if len(queries) != 2 || queries[1].Object != `actor="li.na"` || queries[1].Actor != "auditor" ||
			queries[1].RequestID != "req-audit" || queries[1].Detail != "2 rows" {
			t.Errorf("audit_query rows = %+v; want one per query, by the auditor, naming the filter", queries)
		}
		if _, _, err := s.FindAudit(context.Background(), cunjing.AuditFilter{}); err == nil {
			t.Error("FindAudit without an identity succeeded")
		}
		if _, _, err := s.FindAudit(auditor, cunjing.AuditFilter{Page: cunjing.Page{Cursor: "!"}}); cunjing.ErrorCode(err) != cunjing.EInvalid {
			t.Errorf("bad cursor: err = %v; want invalid", err)
		}
	})
}

func TestFindAuditPagesWithoutGaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := as("li.na", "r1")
		for i := range 23 {
			if err := s.Audit(ctx, cunjing.ActionLogin, strconv.Itoa(i), cunjing.ResultOK, ""); err != nil {
				t.Fatal(err)
			}
		}
		var seqs []int64
		page := cunjing.Page{Limit: 10}
		for pages := 1; ; pages++ {
			events, next, err := s.FindAudit(auditor, cunjing.AuditFilter{Page: page})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				seqs = append(seqs, e.Seq)
			}
			if next == "" {
				if pages != 3 {
					t.Errorf("%d pages; want 3", pages)
				}
				break
			}
			page.Cursor = next
		}
		for i, seq := range seqs {
			if seq != int64(23-i) {
				t.Fatalf("pages list rows %v; want 23 down to 1, each once", seqs)
			}
		}
	})
}

// documentedHash is the hash of an audit row as its format is documented:
// hex SHA-256 over prev_hash, seq, at, actor, unit_code, ip, action, object,
// result, request_id and detail, each an 8-byte big-endian length and bytes.
func documentedHash(prev string, e cunjing.AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{prev, strconv.FormatInt(e.Seq, 10), e.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		e.Actor, e.UnitCode, e.IP, e.Action, e.Object, e.Result, e.RequestID, e.Detail} {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(f))))
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestAuditRowsAreChainedAsDocumented(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for i := range 3 {
			if err := s.Audit(as("li.na", "r"+strconv.Itoa(i)), cunjing.ActionBreakGlass, "resident 7", cunjing.ResultOK, "急救 reason"); err != nil {
				t.Fatal(err)
			}
		}
		events := findAll(t, s, cunjing.AuditFilter{Action: cunjing.ActionBreakGlass})
		slices.Reverse(events)
		prev := "0000000000000000000000000000000000000000000000000000000000000000"
		for _, e := range events {
			if e.PrevHash != prev || e.Hash != documentedHash(prev, e) {
				t.Errorf("row %d: prev %s hash %s; want prev %s hash %s", e.Seq, e.PrevHash, e.Hash, prev, documentedHash(prev, e))
			}
			prev = e.Hash
		}
	})
}

func TestVerifyAuditNamesTheFirstBadRow(t *testing.T) {
	cases := []struct {
		name   string
		tamper func(t *testing.T, s *store.Store) []string
		bad    int64
		reason string
	}{
		{"intact", nil, 0, ""},
		{"edited", fixed("UPDATE audit_log SET object = 'x' WHERE seq = 3"), 3, "row 3: hash does not match its content"},
		{"deleted", fixed("DELETE FROM audit_log WHERE seq = 3"), 3, "row 3 is missing"},
		{"two deleted", fixed("DELETE FROM audit_log WHERE seq IN (3, 4)"), 3, "rows 3–4 are missing"},
		{"last deleted", fixed("DELETE FROM audit_log WHERE seq = 5"), 5, "the last rows after 4 are missing"},
		{"first deleted", fixed("DELETE FROM audit_log WHERE seq = 1"), 1, "row 1 is missing"},
		{"appended past the head", fixed("UPDATE audit_head SET seq = 4 WHERE id = 1"), 5, "rows after 4 are not in the audit head"},
		{"head hash", fixed("UPDATE audit_head SET hash = 'x' WHERE id = 1"), 5, "the audit head does not match row 5"},
		{"rewritten with a fresh hash", rewriteRow3, 4, "row 4: previous hash does not match row 3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				for i := range 5 {
					if err := s.Audit(as("li.na", "r"), cunjing.ActionLogin, strconv.Itoa(i), cunjing.ResultOK, ""); err != nil {
						t.Fatal(err)
					}
				}
				if c.tamper != nil {
					db := storetest.Direct(t, s)
					for _, stmt := range c.tamper(t, s) {
						if _, err := db.Exec(stmt); err != nil {
							t.Fatalf("%s: %v", stmt, err)
						}
					}
				}
				bad, reason, err := s.VerifyAudit(context.Background())
				if err != nil || bad != c.bad || reason != c.reason {
					t.Errorf("verify = %d, %q, %v; want %d, %q", bad, reason, err, c.bad, c.reason)
				}
			})
		})
	}
}

// fixed is a tampering of fixed statements.
func fixed(stmts ...string) func(*testing.T, *store.Store) []string {
	return func(*testing.T, *store.Store) []string { return stmts }
}

// rewriteRow3 changes row 3 and gives it a hash that matches its new content,
// as an intruder who knows the format would.
func rewriteRow3(t *testing.T, s *store.Store) []string {
	newestFirst := findAll(t, s, cunjing.AuditFilter{Action: cunjing.ActionLogin})
	row2, row3 := newestFirst[3], newestFirst[2]
	if row2.Seq != 2 || row3.Seq != 3 {
		t.Fatalf("rows %d and %d; want 2 and 3", row2.Seq, row3.Seq)
	}
	row3.Object = "forged"
	return []string{fmt.Sprintf("UPDATE audit_log SET object = 'forged', hash = '%s' WHERE seq = 3", documentedHash(row2.Hash, row3))}
}

func TestFailedAuditWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := storetest.Ctx()
		if _, err := s.ImportAreas(context.Background(), slices.Values(fixtureTree())); err == nil {
			t.Fatal("import without an identity succeeded")
		}
		if _, err := s.AreaDetail(ctx, "41"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Fatalf("after an import without identity: err = %v; want not found", err)
		}
		loadFixture(t, s)
		if _, err := storetest.Direct(t, s).Exec("DROP TABLE audit_log"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ImportAreas(ctx, slices.Values([]cunjing.Area{{Code: "42", Name: "湖北省", Level: cunjing.LevelProvince, Kind: "province"}})); err == nil {
			t.Error("import succeeded without its audit row")
		}
		if _, err := s.AreaDetail(ctx, "42"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("area 42 after a failed audit: err = %v; want not found", err)
		}
		if err := s.CreateUnits(ctx, fixtureUnits()); err == nil {
			t.Error("create units succeeded without their audit rows")
		}
		if _, err := s.UnitDetail(ctx, "410400000000"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("unit after a failed audit: err = %v; want not found", err)
		}
		created, err := s.CreateFirstUser(ctx, cunjing.User{Username: "admin", DisplayName: "管理员", PasswordHash: "x", Role: cunjing.RoleSystemAdmin})
		if err == nil || created {
			t.Errorf("create first user = %v, %v; want an error", created, err)
		}
		if _, err := s.User(ctx, "admin"); cunjing.ErrorCode(err) != cunjing.ENotFound {
			t.Errorf("user after a failed audit: err = %v; want not found", err)
		}
	})
}

func TestConcurrentAuditsKeepTheChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for g := range 20 {
			wg.Go(func() {
				ctx := as(fmt.Sprintf("officer%02d", g), "r")
				for i := range 10 {
					errs <- s.Audit(ctx, cunjing.ActionReadPersonal, fmt.Sprintf("resident %d", i), cunjing.ResultOK, "")
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.AuditLength(context.Background()); err != nil || n != 200 {
			t.Errorf("audit length = %d, %v; want 200", n, err)
		}
		if bad, reason, err := s.VerifyAudit(context.Background()); err != nil || bad != 0 {
			t.Errorf("verify = %d, %q, %v; want intact", bad, reason, err)
		}
	})
}
