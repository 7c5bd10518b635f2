package auth

import (
	"crypto/subtle"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters (RFC 6238 defaults, what every authenticator app expects).
const (
	totpIssuer = "cunjing 村警"
	totpPeriod = 30
	totpDigits = otp.DigitsSix
)

// NewTOTPSecret returns a new base32 secret and its otpauth:// URL for the
// user (issuer "cunjing 村警").
func NewTOTPSecret(username string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      totpIssuer,
		AccountName: username,
		Period:      totpPeriod,
		Digits:      totpDigits,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", fmt.Errorf("auth: totp secret: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// CheckTOTP verifies a 6-digit code against secret at now, accepting the
// previous, current and next 30-s step, and refuses a step at or before
// lastStep (replay). It returns the step that matched, to be stored as the
// new lastStep; pass 0 when the user has never used a code.
func CheckTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	if !isDigits(code, totpDigits.Length()) {
		return 0, false
	}
	current := now.Unix() / totpPeriod
	for s := current - 1; s <= current+1; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		want, err := totpCode(secret, s, totpDigits)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// totpCode returns the code of secret for one time step.
func totpCode(secret string, step int64, digits otp.Digits) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(step), hotp.ValidateOpts{
		Digits:    digits,
		Algorithm: otp.AlgorithmSHA1,
	})
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
