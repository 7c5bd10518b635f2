package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"cunjing"
	"cunjing/internal/store"
	"cunjing/internal/store/storetest"
)

func TestAuditVerifyCommand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for range 5 {
			if err := s.Audit(storetest.Ctx(), cunjing.ActionConfigChange, "mfa", cunjing.ResultOK, ""); err != nil {
				t.Fatal(err)
			}
		}
		verify := func() (string, error) {
			var out bytes.Buffer
			err := run(context.Background(), []string{"audit", "verify", "--db", storetest.DSN(t, s)}, &out, io.Discard)
			return out.String(), err
		}
		if out, err := verify(); err != nil || out != "audit trail intact: 5 rows\n" {
			t.Errorf("intact trail: %q, %v", out, err)
		}
		if _, err := storetest.Direct(t, s).Exec("UPDATE audit_log SET result = 'failed' WHERE seq = 3"); err != nil {
			t.Fatal(err)
		}
		if out, err := verify(); !errors.Is(err, errReported) || !strings.Contains(out, "broken at row 3:") {
			t.Errorf("tampered trail: %q, %v; want errReported and row 3", out, err)
		}
	})
}

func TestServeRefusesShortAuditRetention(t *testing.T) {
	err := run(context.Background(), []string{"serve", "--audit-retention", "100d", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "184 days") {
		t.Errorf("serve --audit-retention 100d: %v; want a refusal naming 184 days", err)
	}
	t.Setenv("CUNJING_AUDIT_RETENTION", "183d")
	err = run(context.Background(), []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "184 days") {
		t.Errorf("CUNJING_AUDIT_RETENTION=183d: %v; want a refusal naming 184 days", err)
	}
}

func TestParseAuditRetention(t *testing.T) {
	const day = 24 * time.Hour
	for value, want := range map[string]time.Duration{"184d": 184 * day, "365d": 365 * day, "4416h": 184 * day, "10000d": 10000 * day} {
		if got, err := parseAuditRetention(value); err != nil || got != want {
			t.Errorf("%s = %v, %v; want %v", value, got, err, want)
		}
	}
	for _, value := range []string{"183d", "4415h", "0", "", "-200d", "d", "365 days", "99999999999999999999d"} {
		if got, err := parseAuditRetention(value); err == nil {
			t.Errorf("%q = %v; want an error", value, got)
		}
	}
}
