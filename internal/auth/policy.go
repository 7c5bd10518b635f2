package auth

import (
	_ "embed"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cunjing"
)

// Fixed bounds of every policy.
const (
	// maxPasswordBytes bounds the argon2 input.
	maxPasswordBytes = 1024
	// passphraseLength is the length, in characters, from which a password
	// is a passphrase and exempt from the class rule.
	passphraseLength = 20
	// minUsernameLength is the shortest user name looked for inside a
	// password; shorter ones would refuse too many unrelated passwords.
	minUsernameLength = 3
	// minDistinct is the fewest different characters a password may have
	// when the blocklist is on ("aaaaaaaa", "abababab" are refused).
	minDistinct = 4
)

// PasswordPolicy is the configurable password rule. DefaultPolicy is the
// "等保 profile".
//
// Passwords are checked as given, never trimmed or altered. A password of
// 20 or more characters that has a letter is a passphrase and exempt from
// MinClasses: its length gives it its strength (as NIST SP 800-63B and
// OWASP ASVS advise), so a long Chinese passphrase, which has a single
// class, is accepted. The blocklist still applies to passphrases, and with
// it on a password needs at least 4 different characters.
type PasswordPolicy struct {
	MinLength  int           // in characters (runes), default 8
	MinClasses int           // of: lower, upper, digit, other (a non-ASCII letter such as Chinese counts as "other"), default 3
	MaxAge     time.Duration // default 90 days; 0 = never expires
	Blocklist  bool          // refuse common and police-context passwords, default true
}

// DefaultPolicy is the "等保 profile": 8 characters, 3 classes, the
// blocklist and a 90-day expiry.
var DefaultPolicy = PasswordPolicy{
	MinLength:  8,
	MinClasses: 3,
	MaxAge:     90 * 24 * time.Hour,
	Blocklist:  true,
}

// Check returns nil or a *cunjing.Error{Code: cunjing.EInvalid, Message: …,
// Fields: {"password": "<reason in plain English>"}}.
// username is refused as (part of) the password, compared case-insensitively,
// when it has at least 3 characters.
func (p PasswordPolicy) Check(password, username string) error {
	if reason := p.refusal(password, username); reason != "" {
		return &cunjing.Error{
			Code:    cunjing.EInvalid,
			Message: "the password does not meet the password policy",
			Fields:  map[string]string{"password": reason},
		}
	}
	return nil
}

// refusal returns why password is refused, or "" if it is not.
func (p PasswordPolicy) refusal(password, username string) string {
	length := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password) || strings.ContainsRune(password, 0):
		return "must be valid text without NUL characters"
	case len(password) > maxPasswordBytes:
		return "must be at most 1024 bytes long"
	case length < p.MinLength:
		return "must be at least " + strconv.Itoa(p.MinLength) + " characters long"
	case containsUsername(password, username):
		return "must not contain the user name"
	case !isPassphrase(password, length) && classes(password) < p.MinClasses:
		return "must mix at least " + strconv.Itoa(p.MinClasses) +
			" of lower-case letters, upper-case letters, digits and other characters, or be a passphrase of 20 or more characters"
	case p.Blocklist && (blocklisted(password) || distinctRunes(password) < minDistinct):
		return "is too common or too easy to guess"
	}
	return ""
}

// Expired reports whether a password changed at changedAt has passed MaxAge
// at now: true from changedAt+MaxAge on, never when MaxAge is 0 or less.
func (p PasswordPolicy) Expired(changedAt, now time.Time) bool {
	return p.MaxAge > 0 && now.Sub(changedAt) >= p.MaxAge
}

// isPassphrase reports whether a password of length characters is a
// passphrase: passphraseLength or more characters, with at least one letter.
func isPassphrase(password string, length int) bool {
	return length >= passphraseLength && strings.IndexFunc(password, unicode.IsLetter) >= 0
}

// distinctRunes counts the different characters in s.
func distinctRunes(s string) int {
	seen := make(map[rune]bool)
	for _, r := range s {
		seen[r] = true
	}
	return len(seen)
}

// containsUsername reports whether password contains username, ignoring case.
func containsUsername(password, username string) bool {
	if utf8.RuneCountInString(username) < minUsernameLength {
		return false
	}
	return strings.Contains(strings.ToLower(password), strings.ToLower(username))
}

// classes counts the character classes in s: ASCII lower, ASCII upper,
// ASCII digit, and other (punctuation, spaces, any non-ASCII character).
func classes(s string) int {
	var lower, upper, digit, other int
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z':
			lower = 1
		case 'A' <= r && r <= 'Z':
			upper = 1
		case '0' <= r && r <= '9':
			digit = 1
		default:
			other = 1
		}
	}
	return lower + upper + digit + other
}

//go:embed blocklist.txt
var blocklistText string

// blockedWords holds each blocklist entry and its stem, lower-cased.
var blockedWords = loadBlocklist(blocklistText)

// loadBlocklist parses one word a line, skipping blank and '#' lines, and
// adds each word's stem so that "abc123" also blocks "abc" plus digits.
func loadBlocklist(text string) map[string]bool {
	words := make(map[string]bool)
	for line := range strings.Lines(text) {
		word := strings.ToLower(strings.TrimSpace(line))
		if word == "" || strings.HasPrefix(word, "#") {
			continue
		}
		words[word] = true
		if stem := stripTrailing(word); stem != "" {
			words[stem] = true
		}
	}
	return words
}

// blocklisted reports whether password, lower-cased, with trailing digits
// and punctuation stripped or not, and with or without leet spelling undone,
// is a blocklist word.
func blocklisted(password string) bool {
	lower := strings.ToLower(password)
	for _, form := range []string{lower, stripTrailing(lower)} {
		if blockedWords[form] || blockedWords[unleet(form, 'i')] || blockedWords[unleet(form, 'l')] {
			return true
		}
	}
	return false
}

// stripTrailing removes trailing digits, punctuation, symbols and spaces.
func stripTrailing(s string) string {
	return strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
}

// unleet undoes common letter-for-digit spellings, reading '1' as one.
func unleet(s string, one rune) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '0':
			return 'o'
		case '1':
			return one
		case '3':
			return 'e'
		case '4', '@':
			return 'a'
		case '5', '$':
			return 's'
		case '7':
			return 't'
		}
		return r
	}, s)
}
