package auth

import (
	"errors"
	"strings"
	"testing"
	"time"

	"cunjing"
)

func TestPasswordPolicyCheck(t *testing.T) {
	chinese := []rune(strings.Repeat("平安村警守护", 11))[:64]
	for _, tc := range []struct {
		name, password, reason string
	}{
		{"leet blocklisted", "Passw0rd", "too common"},
		{"police word plus digits", "gongan110!", "too common"},
		{"police word plus symbol and digits", "Gongan@110", "too common"},
		{"common word plus digits", "password1!", "too common"},
		{"stem of a common password", "Abc12345", "too common"},
		{"leet with trailing digits", "P@55w0rd2026!", "too common"},
		{"leet one as l", "Ho11ywood", ""},
		{"pinyin favourite", "Woaini1314!", "too common"},
		{"Chinese police word padded to passphrase length", "派出所12345678901234567890", "too common"},
		{"police word, leet and digits", "J1ngcha-119", "too common"},
		{"few different characters", "aA1aA1aA1aA1", "too common"},
		{"long digits only", "12345678901234567890", "at least 3"},
		{"too short", "Ab1!", "at least 8 characters"},
		{"two classes", "abcdefgh1", "at least 3"},
		{"contains the user name", "xZhangsan-99", "user name"},
		{"NUL", "Zhang-Wei\x00-2026", "NUL"},
		{"invalid UTF-8", "Zhang-Wei-\xff2026", "valid text"},
		{"over 1024 bytes", strings.Repeat("Ab1!", 257), "1024 bytes"},
		{"strong", "Zhang-Wei-2026!x", ""},
		{"64-character Chinese passphrase", string(chinese), ""},
		{"leading and trailing spaces", "  Qz7 river lamp  ", ""},
		{"4-byte characters", "𠈌𠈌Qz7-tea", ""},
		{"passphrase containing a word", "my police station has 3 red doors", ""},
		{"exactly 1024 bytes", strings.Repeat("Ab1!", 256), ""},
	} {
		err := DefaultPolicy.Check(tc.password, "zhangsan")
		if tc.reason == "" {
			if err != nil {
				t.Errorf("%s: %q refused: %v", tc.name, tc.password, fieldReason(err))
			}
			continue
		}
		if reason := fieldReason(err); !strings.Contains(reason, tc.reason) {
			t.Errorf("%s: %q gave reason %q, want one with %q", tc.name, tc.password, reason, tc.reason)
		}
	}
}

func TestPasswordPolicyNeverTrims(t *testing.T) {
	if err := DefaultPolicy.Check("  Ab1!   ", ""); err != nil {
		t.Errorf("spaces do not count toward the length: %v", fieldReason(err))
	}
	if err := DefaultPolicy.Check("Ab1!    ", ""); err != nil {
		t.Errorf("trailing spaces do not count toward the length: %v", fieldReason(err))
	}
}

func TestPasswordPolicyShortUsernameIgnored(t *testing.T) {
	if err := DefaultPolicy.Check("Police-Lamp-42x", "li"); err != nil {
		t.Errorf("a two-letter user name refused an unrelated password: %v", fieldReason(err))
	}
}

func TestPasswordPolicyBlocklistOff(t *testing.T) {
	p := DefaultPolicy
	p.Blocklist = false
	if err := p.Check("Passw0rd", ""); err != nil {
		t.Errorf("blocklist off, Passw0rd refused: %v", fieldReason(err))
	}
}

func TestPasswordPolicyErrorShape(t *testing.T) {
	err := DefaultPolicy.Check("short", "")
	var e *cunjing.Error
	if !errors.As(err, &e) || e.Code != cunjing.EInvalid || e.Message == "" || e.Fields["password"] == "" {
		t.Fatalf("error %#v is not an EInvalid with a password field", err)
	}
}

func TestPasswordPolicyExpired(t *testing.T) {
	changed := time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	if !DefaultPolicy.Expired(changed, changed.Add(91*day)) {
		t.Error("not expired after 91 days")
	}
	if DefaultPolicy.Expired(changed, changed.Add(89*day)) {
		t.Error("expired after 89 days")
	}
	never := DefaultPolicy
	never.MaxAge = 0
	if never.Expired(changed, changed.Add(10*365*day)) {
		t.Error("MaxAge 0 expired")
	}
}

func TestBlocklistLoaded(t *testing.T) {
	for _, w := range []string{"password", "123456", "gongan", "jingcha", "派出所", "村警", "abc"} {
		if !blockedWords[w] {
			t.Errorf("%q is not in the blocklist", w)
		}
	}
	if len(blockedWords) < 300 {
		t.Errorf("blocklist has only %d words", len(blockedWords))
	}
}

// fieldReason returns the password field of a policy error, or "" for nil.
func fieldReason(err error) string {
	var e *cunjing.Error
	if errors.As(err, &e) {
		return e.Fields["password"]
	}
	if err != nil {
		return err.Error()
	}
	return ""
}
