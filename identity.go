package cunjing

import (
	"context"
	"strings"
)

// Scope is the part of the jurisdiction tree an identity may see: a set of
// area codes, each covering itself and everything under it, or everything.
type Scope struct {
	All      bool
	Prefixes []string
}

// Covers reports whether code lies inside the scope.
func (s Scope) Covers(code string) bool {
	if s.All {
		return true
	}
	for _, p := range s.Prefixes {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return false
}

// Identity is who is calling: carried in the request context, read by the
// store to apply the scope in SQL.
type Identity struct {
	Username  string
	Role      Role
	UnitCode  string
	Scope     Scope
	SessionID string // hash of the session or token; "" for the system itself
	IP        string
	RequestID string
	// Restriction is RestrictMFA or RestrictChangePassword when the session
	// may only lift it, "" otherwise.
	Restriction string
}

// SystemIdentity is the identity of the command line and of start-up work
// (migrations, the demo): everything, and recorded as "system" in the audit.
var SystemIdentity = &Identity{Username: "system", Scope: Scope{All: true}}

type identityKey struct{}

// WithIdentity returns ctx carrying id.
func WithIdentity(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the identity in ctx, or nil.
func IdentityFrom(ctx context.Context) *Identity {
	id, _ := ctx.Value(identityKey{}).(*Identity)
	return id
}
