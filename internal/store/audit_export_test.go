package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

// exportSeqs exports the rows that match f, at most limit, and returns
// their sequence numbers and whether more matched.
func exportSeqs(t *testing.T, s *store.Store, f cunjing.AuditFilter, limit int) ([]int64, bool) {
	t.Helper()
	var seqs []int64
	n, more, err := s.ExportAudit(auditor, f, limit, func(e cunjing.AuditEvent) error {
		seqs = append(seqs, e.Seq)
		return nil
	})
	if err != nil || n != len(seqs) {
		t.Fatalf("export %+v: %d rows, %v; fn got %d", f, n, err, len(seqs))
	}
	return seqs, more
}

func TestExportAuditStreamsTheMatchingRowsAndIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		li := as("li.na", "r1")
		for i := range 7 {
			action := cunjing.ActionLogin
			if i%2 == 1 {
				action = cunjing.ActionReadPersonal
			}
			if err := s.Audit(li, action, "object "+strconv.Itoa(i), cunjing.ResultOK, ""); err != nil {
				t.Fatal(err)
			}
		}
		seqs, more := exportSeqs(t, s, cunjing.AuditFilter{Action: cunjing.ActionLogin, Page: cunjing.Page{Limit: 1, Cursor: "ignored"}}, 10)
		if !slices.Equal(seqs, []int64{7, 5, 3, 1}) || more {
			t.Errorf("export of logins: %v, more %v; want 7 5 3 1, newest first, and no more", seqs, more)
		}
		seqs, more = exportSeqs(t, s, cunjing.AuditFilter{Actor: "li.na"}, 3)
		if !slices.Equal(seqs, []int64{7, 6, 5}) || !more {
			t.Errorf("export cut at 3: %v, more %v; want 7 6 5 and more", seqs, more)
		}

		exports := findAll(t, s, cunjing.AuditFilter{Action: cunjing.ActionAuditExport})
		if len(exports) != 2 || exports[1].Object != `action="login"` || exports[1].Detail != "4 rows" ||
			exports[0].Object != `actor="li.na"` || exports[0].Detail != "3 rows, cut at 3" ||
			exports[0].Actor != "auditor" || exports[0].RequestID != "req-audit" {
			t.Errorf("audit_export rows = %+v; want one per export naming the filter and the rows", exports)
		}

		failed := errors.New("disk full")
		if _, _, err := s.ExportAudit(auditor, cunjing.AuditFilter{}, 10, func(cunjing.AuditEvent) error { return failed }); !errors.Is(err, failed) {
			t.Errorf("export whose writer fails: %v; want its error", err)
		}
		if _, _, err := s.ExportAudit(context.Background(), cunjing.AuditFilter{}, 10, func(cunjing.AuditEvent) error { return nil }); err == nil {
			t.Error("export without an identity succeeded")
		}
		if after := findAll(t, s, cunjing.AuditFilter{Action: cunjing.ActionAuditExport}); len(after) != 2 {
			t.Errorf("%d audit_export rows after failed exports; want still 2", len(after))
		}
	})
}
