package cunjing

import "time"

// SessionKind tells a browser session from a named API token.
type SessionKind string

// Kinds of sessions.
const (
	SessionBrowser SessionKind = "browser"
	SessionToken   SessionKind = "token"
)

// Session is a logged-in browser or an API token. Only the SHA-256 of its
// secret (IDHash) is stored.
type Session struct {
	IDHash     string
	Username   string
	Kind       SessionKind
	Name       string // the label of an API token
	MFAPending bool   // the password was right, the second factor is due
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Restrictions on an identity: with one, only the routes that lift it are
// open (logging out, changing the password, giving the second factor).
const (
	RestrictMFA            = "mfa_pending"
	RestrictChangePassword = "change_password"
)

// SessionState is what a request learns of its session in one read: the
// session, its user, the user's data scope and the stored login policy (nil
// while none is stored).
type SessionState struct {
	Session *Session
	User    *User
	Scope   Scope
	Policy  *LoginPolicy
}
