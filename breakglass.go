package cunjing

import (
	"context"
	"strings"
	"time"
)

// Break-glass (SECURITY.md B6): a user who must read one record outside his
// routine scope states why, and the store grants him that one record for a
// limited time. The grant and every read under it are audited with the
// reason.
//
// A grant names its object as "<kind>:<key>", the same name the audit rows
// of reads of that record carry: "user:<user name>" for an account; the
// residents module adds "resident:<id>" with a case of its own in
// CanonicalObject. Keys are in the canonical form of their kind, so that a
// grant matches the read it was asked for however the key was typed.

// Object kinds a break-glass grant may name.
const ObjectUser = "user"

// BreakGlassTTL is how long a grant lasts unless the caller says otherwise.
const BreakGlassTTL = time.Hour

// MinBreakGlassReason and MaxBreakGlassReason bound the length of a stated
// reason, in characters, after trimming.
const (
	MinBreakGlassReason = 10
	MaxBreakGlassReason = 500
)

// UserObject is the object name of an account: "user:<canonical name>".
func UserObject(username string) string {
	return ObjectUser + ":" + CanonicalUsername(username)
}

// CanonicalObject checks an object name and returns its canonical form.
func CanonicalObject(object string) (string, error) {
	kind, key, _ := strings.Cut(strings.TrimSpace(object), ":")
	if kind == ObjectUser && CanonicalUsername(key) != "" {
		return UserObject(key), nil
	}
	return "", &Error{Code: EInvalid, Message: "unknown object", Fields: map[string]string{"object": "must be user:<user name>"}}
}

// BreakGlassService grants break-glass reads.
type BreakGlassService interface {
	// BreakGlass lets the caller read object outside his scope for ttl
	// (BreakGlassTTL when ttl is 0 or less), for the reason he states. Only
	// roles that read personal data may ask.
	BreakGlass(ctx context.Context, object, reason string, ttl time.Duration) error
}
