package auth

import (
	"encoding/base32"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
)

// rfcSecret is the SHA-1 seed of RFC 6238 appendix B, base32-encoded.
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

func TestTOTPRFC6238Vector(t *testing.T) {
	got, err := totpCode(rfcSecret, 59/totpPeriod, otp.DigitsEight)
	if err != nil || got != "94287082" {
		t.Fatalf("8-digit code at T=59 = %q, %v; want 94287082", got, err)
	}
	step, ok := CheckTOTP(rfcSecret, "287082", time.Unix(59, 0), 0)
	if !ok || step != 1 {
		t.Fatalf("6-digit code at T=59: step %d, ok %v; want step 1", step, ok)
	}
}

func TestTOTPWindow(t *testing.T) {
	now := time.Unix(1_780_000_000, 0)
	current := now.Unix() / totpPeriod
	for _, tc := range []struct {
		offset int64
		ok     bool
	}{{-2, false}, {-1, true}, {0, true}, {1, true}, {2, false}} {
		code := mustCode(t, current+tc.offset)
		step, ok := CheckTOTP(rfcSecret, code, now, 0)
		if ok != tc.ok || ok && step != current+tc.offset {
			t.Errorf("code of step %+d: step %d, ok %v; want ok %v", tc.offset, step, ok, tc.ok)
		}
	}
}

func TestTOTPReplayRefused(t *testing.T) {
	now := time.Unix(1_780_000_000, 0)
	code := mustCode(t, now.Unix()/totpPeriod)
	step, ok := CheckTOTP(rfcSecret, code, now, 0)
	if !ok {
		t.Fatal("fresh code refused")
	}
	if _, ok := CheckTOTP(rfcSecret, code, now, step); ok {
		t.Error("the same code was accepted twice")
	}
	if _, ok := CheckTOTP(rfcSecret, code, now.Add(totpPeriod*time.Second), step); ok {
		t.Error("the same code was accepted again in the next step")
	}
	older := mustCode(t, step-1)
	if _, ok := CheckTOTP(rfcSecret, older, now, step); ok {
		t.Error("a code older than the last used step was accepted")
	}
}

func TestTOTPMalformedCodesRefused(t *testing.T) {
	now := time.Unix(1_780_000_000, 0)
	code := mustCode(t, now.Unix()/totpPeriod)
	for _, bad := range []string{"", "12345", "1234567", code + "0", " " + code[1:], "12a456", "１２３４５６", code[:5] + "x"} {
		if _, ok := CheckTOTP(rfcSecret, bad, now, 0); ok {
			t.Errorf("code %q accepted", bad)
		}
	}
	if _, ok := CheckTOTP("not base32!", code, now, 0); ok {
		t.Error("a code was accepted against a broken secret")
	}
}

func TestNewTOTPSecret(t *testing.T) {
	secret, raw, err := NewTOTPSecret("zhangsan")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) < 32 {
		t.Errorf("secret %q is shorter than 160 bits", secret)
	}
	other, _, err := NewTOTPSecret("zhangsan")
	if err != nil || other == secret {
		t.Errorf("two secrets are equal (%v)", err)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("url %q is not an otpauth totp url (%v)", raw, err)
	}
	q := u.Query()
	if q.Get("secret") != secret || q.Get("issuer") != totpIssuer || !strings.HasSuffix(u.Path, ":zhangsan") {
		t.Errorf("url %q does not carry the secret, issuer and user", raw)
	}
	now := time.Now()
	code, err := totpCode(secret, now.Unix()/totpPeriod, totpDigits)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := CheckTOTP(secret, code, now, 0); !ok {
		t.Error("a code of the new secret is refused")
	}
}

func mustCode(t *testing.T, step int64) string {
	t.Helper()
	code, err := totpCode(rfcSecret, step, totpDigits)
	if err != nil {
		t.Fatal(err)
	}
	return code
}
