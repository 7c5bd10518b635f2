package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"cunjing"
	"cunjing/internal/httpx"
	"cunjing/internal/store"
)

// Timeouts and limits of logins and sessions (SECURITY.md A3, A4).
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
	TokenLifetime   = 90 * 24 * time.Hour
	touchEvery      = time.Minute // last_seen_at is written at most this often
)

// DefaultThrottle locks an account for 15 minutes after 5 failures within
// 15 minutes, and refuses an address after 30 failures within 15 minutes.
var DefaultThrottle = store.Throttle{Failures: 5, IPFailures: 30, Window: 15 * time.Minute, Lock: 15 * time.Minute}

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "cunjing_session"

// Store is what the authenticator keeps in the database.
type Store interface {
	cunjing.UserService
	CreateSession(ctx context.Context, sess cunjing.Session) error
	Session(ctx context.Context, idHash string) (*cunjing.SessionState, error)
	TouchSession(ctx context.Context, idHash string, at time.Time) error
	CompleteMFA(ctx context.Context, idHash string) error
	RevokeSession(ctx context.Context, username, idHash string) error
	RevokeSessions(ctx context.Context, username, keep string) error
	Tokens(ctx context.Context, username string) ([]cunjing.Session, error)
	LoginBlocked(ctx context.Context, username, ip string, now time.Time, t store.Throttle) (bool, bool, error)
	RecordLoginFailure(ctx context.Context, username, ip string, now time.Time, t store.Throttle) error
	ClearLoginFailures(ctx context.Context, username string) error
	SetPassword(ctx context.Context, username, hash string, mustChange bool, at time.Time) error
	SetTOTPSecret(ctx context.Context, username, secret string) error
	TOTPLastStep(ctx context.Context, username string) (int64, error)
	UseTOTPStep(ctx context.Context, username string, step int64) (bool, error)
	Audit(ctx context.Context, action, object, result, detail string) error
}

// Authenticator logs people in and out and tells who is calling.
type Authenticator struct {
	Store    Store
	Policy   PasswordPolicy
	Throttle store.Throttle
	// RequireMFA makes a second factor mandatory for roles that see
	// personal data (SECURITY.md A5).
	RequireMFA bool
	// Policies, when set, holds the login policy of the security
	// administrator; while one is stored it replaces Policy and RequireMFA.
	Policies cunjing.LoginPolicyService
	Now      func() time.Time
	Logger   *slog.Logger
}

// LoginPolicy returns the login policy in force: the stored one, read anew
// at each call so that a change applies at once on every replica, or else
// Policy and RequireMFA.
func (a *Authenticator) LoginPolicy(ctx context.Context) (cunjing.LoginPolicy, error) {
	if a.Policies == nil {
		return a.inForce(nil), nil
	}
	p, err := a.Policies.LoginPolicy(ctx)
	switch {
	case cunjing.ErrorCode(err) == cunjing.ENotFound:
		return a.inForce(nil), nil
	case err != nil:
		return p, err
	}
	return a.inForce(&p), nil
}

// inForce is the stored policy when there is one and stored policies are
// used, else Policy and RequireMFA.
func (a *Authenticator) inForce(stored *cunjing.LoginPolicy) cunjing.LoginPolicy {
	if stored != nil && a.Policies != nil {
		return *stored
	}
	return cunjing.LoginPolicy{MinLength: a.Policy.MinLength, MinClasses: a.Policy.MinClasses, MaxAge: a.Policy.MaxAge,
		Blocklist: a.Policy.Blocklist, RequireMFA: a.RequireMFA}
}

// passwordPolicy is the password part of a login policy.
func passwordPolicy(p cunjing.LoginPolicy) PasswordPolicy {
	return PasswordPolicy{MinLength: p.MinLength, MinClasses: p.MinClasses, MaxAge: p.MaxAge, Blocklist: p.Blocklist}
}

// current returns the password policy and the second-factor requirement
// in force.
func (a *Authenticator) current(ctx context.Context) (PasswordPolicy, bool, error) {
	p, err := a.LoginPolicy(ctx)
	if err != nil {
		return PasswordPolicy{}, false, err
	}
	return passwordPolicy(p), p.RequireMFA, nil
}

// MustChangePassword reports whether u may do nothing before changing his
// password: it was reset, or it has expired under the policy in force.
func (a *Authenticator) MustChangePassword(ctx context.Context, u *cunjing.User) (bool, error) {
	policy, _, err := a.current(ctx)
	if err != nil {
		return false, err
	}
	return mustChange(u, policy, a.Now()), nil
}

// newSecret returns a random session secret and the hash that is stored.
func newSecret() (secret, idHash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is the stored form of a session secret or API token.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// secretFrom reads the session cookie or the bearer token of a request.
func secretFrom(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// clientIP is the address of the caller, without the port.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Identify puts the caller's identity in the request context: the user of a
// live session or token, or an anonymous identity with an empty scope.
func (a *Authenticator) Identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := &cunjing.Identity{IP: clientIP(r), RequestID: httpx.RequestID(r.Context())}
		if secret := secretFrom(r); secret != "" {
			if err := a.identify(r.Context(), id, HashSecret(secret)); cunjing.ErrorCode(err) == cunjing.EInternal {
				a.Logger.Error("auth: identify", "id", id.RequestID, "err", err)
			}
		}
		next.ServeHTTP(w, r.WithContext(cunjing.WithIdentity(r.Context(), id)))
	})
}

// identify fills id from a live session. Expired, revoked or disabled
// sessions leave id anonymous.
func (a *Authenticator) identify(ctx context.Context, id *cunjing.Identity, idHash string) error {
	state, err := a.Store.Session(ctx, idHash)
	if err != nil {
		return err
	}
	sess, u, scope, now := state.Session, state.User, state.Scope, a.Now()
	if u.Disabled || !a.live(sess, now) {
		return cunjing.Errorf(cunjing.EUnauthorized, "session ended")
	}
	policy := passwordPolicy(a.inForce(state.Policy))
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := a.Store.TouchSession(ctx, idHash, now); err != nil {
			return err
		}
	}
	id.Username, id.Role, id.UnitCode, id.Scope, id.SessionID = u.Username, u.Role, u.UnitCode, scope, idHash
	id.Restriction = restriction(sess, u, policy, now)
	return nil
}

// live reports whether a session is within its timeouts at now.
func (a *Authenticator) live(sess *cunjing.Session, now time.Time) bool {
	if now.After(sess.ExpiresAt) {
		return false
	}
	return sess.Kind == cunjing.SessionToken || now.Sub(sess.LastSeenAt) <= IdleTimeout
}

// restriction is what the session must do before anything else under the
// password policy.
func restriction(sess *cunjing.Session, u *cunjing.User, policy PasswordPolicy, now time.Time) string {
	switch {
	case sess.MFAPending:
		return cunjing.RestrictMFA
	case mustChange(u, policy, now):
		return cunjing.RestrictChangePassword
	}
	return ""
}

// mustChange reports whether u's password was reset or has expired at now.
func mustChange(u *cunjing.User, policy PasswordPolicy, now time.Time) bool {
	return u.MustChangePassword || policy.Expired(u.PasswordChangedAt, now)
}

var errWrongCredentials = cunjing.Errorf(cunjing.EUnauthorized, "wrong user name or password")
