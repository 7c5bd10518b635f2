package auth

import (
	"cmp"
	"context"
	"time"

	"cunjing"
)

var errLocked = cunjing.Errorf(cunjing.ELocked, "the account is locked for a while after too many failed logins")

// LoginResult is a started session: its secret (the cookie value or bearer
// token, shown once) and what it must do first.
type LoginResult struct {
	Token       string
	Restriction string // cunjing.RestrictMFA, cunjing.RestrictChangePassword or ""
	ExpiresAt   time.Time
}

// Login checks a user name and password from ip and starts a browser
// session. Unknown users and wrong passwords get the same answer after the
// same work; a locked account gets ELocked, a spraying address
// ERateLimited. Every attempt is audited.
func (a *Authenticator) Login(ctx context.Context, username, password string) (*LoginResult, error) {
	name := cunjing.CanonicalUsername(username)
	id := cunjing.IdentityFrom(ctx)
	auditCtx := cunjing.WithIdentity(ctx, &cunjing.Identity{Username: name, IP: id.IP, RequestID: id.RequestID})
	now := a.Now()
	locked, sprayed, err := a.Store.LoginBlocked(ctx, name, id.IP, now, a.Throttle)
	if err != nil {
		return nil, err
	}
	if sprayed {
		return nil, a.refuse(auditCtx, name, cunjing.Errorf(cunjing.ERateLimited, "too many failed logins from this address; try again later"))
	}
	u, err := a.Store.User(ctx, name)
	if err != nil && cunjing.ErrorCode(err) != cunjing.ENotFound {
		return nil, err
	}
	matches := a.passwordMatches(u, password)
	switch {
	case locked:
		return nil, a.refuse(auditCtx, name, errLocked)
	case !matches || u.Disabled:
		return nil, a.fail(auditCtx, name, id.IP, now)
	}
	if err := a.Store.ClearLoginFailures(ctx, name); err != nil {
		return nil, err
	}
	return a.startSession(auditCtx, u, now)
}

// passwordMatches verifies the password, spending the same time on an
// unknown user as on a known one.
func (a *Authenticator) passwordMatches(u *cunjing.User, password string) bool {
	if u == nil {
		VerifyPassword(dummyHash, password)
		return false
	}
	return VerifyPassword(u.PasswordHash, password)
}

// fail counts a failed login and answers it.
func (a *Authenticator) fail(ctx context.Context, name, ip string, now time.Time) error {
	if err := a.Store.RecordLoginFailure(ctx, name, ip, now, a.Throttle); err != nil {
		return err
	}
	return a.refuse(ctx, name, errWrongCredentials)
}

// refuse audits a refused login and returns why it was refused.
func (a *Authenticator) refuse(ctx context.Context, name string, why *cunjing.Error) error {
	if err := a.Store.Audit(ctx, cunjing.ActionLogin, name, cunjing.ResultDenied, why.Code); err != nil {
		return err
	}
	return why
}

// startSession creates the session of a user whose password was right.
func (a *Authenticator) startSession(ctx context.Context, u *cunjing.User, now time.Time) (*LoginResult, error) {
	policy, requireMFA, err := a.current(ctx)
	if err != nil {
		return nil, err
	}
	mfa := u.TOTPSecret != "" || requireMFA && u.Role.SeesPersonalData()
	secret, idHash := newSecret()
	sess := cunjing.Session{IDHash: idHash, Username: u.Username, Kind: cunjing.SessionBrowser, MFAPending: mfa,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(AbsoluteTimeout)}
	if err := a.Store.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	result := &LoginResult{Token: secret, Restriction: restriction(&sess, u, policy, now), ExpiresAt: sess.ExpiresAt}
	if err := a.Store.Audit(ctx, cunjing.ActionLogin, u.Username, cunjing.ResultOK, result.Restriction); err != nil {
		return nil, err
	}
	return result, nil
}

// Logout ends the caller's session.
func (a *Authenticator) Logout(ctx context.Context) error {
	id := cunjing.IdentityFrom(ctx)
	if err := a.Store.RevokeSession(ctx, id.Username, id.SessionID); err != nil {
		return err
	}
	return a.Store.Audit(ctx, cunjing.ActionLogout, id.Username, cunjing.ResultOK, "")
}

// ChangePassword replaces the caller's password after checking the current
// one and the policy, and ends the caller's other sessions.
func (a *Authenticator) ChangePassword(ctx context.Context, current, next string) error {
	id := cunjing.IdentityFrom(ctx)
	u, err := a.Store.User(ctx, id.Username)
	if err != nil {
		return err
	}
	if !VerifyPassword(u.PasswordHash, current) {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the current password is wrong",
			Fields: map[string]string{"current_password": "wrong password"}}
	}
	if current == next {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the new password must differ from the current one",
			Fields: map[string]string{"password": "same as the current password"}}
	}
	policy, _, err := a.current(ctx)
	if err != nil {
		return err
	}
	if err := policy.Check(next, u.Username); err != nil {
		return err
	}
	hash, err := HashPassword(next)
	if err != nil {
		return err
	}
	if err := a.Store.SetPassword(ctx, u.Username, hash, false, a.Now()); err != nil {
		return err
	}
	return a.Store.RevokeSessions(ctx, u.Username, id.SessionID)
}

// EnrollMFA gives the caller a new second-factor secret, replacing any
// other, and returns it with its otpauth:// URL for an authenticator app.
// Only a session that has not passed a second factor yet, or has none, may.
func (a *Authenticator) EnrollMFA(ctx context.Context) (secret, url string, err error) {
	id := cunjing.IdentityFrom(ctx)
	u, err := a.Store.User(ctx, id.Username)
	if err != nil {
		return "", "", err
	}
	if u.TOTPSecret != "" && id.Restriction == cunjing.RestrictMFA {
		return "", "", cunjing.Errorf(cunjing.EForbidden, "give the code of your authenticator app; an administrator can reset it")
	}
	if secret, url, err = NewTOTPSecret(u.Username); err != nil {
		return "", "", err
	}
	return secret, url, a.Store.SetTOTPSecret(ctx, u.Username, secret)
}

// VerifyMFA checks the caller's second-factor code and lifts the MFA
// restriction of the session. A wrong or replayed code counts as a failed
// login toward the lockout.
func (a *Authenticator) VerifyMFA(ctx context.Context, code string) error {
	id := cunjing.IdentityFrom(ctx)
	u, err := a.Store.User(ctx, id.Username)
	if err != nil {
		return err
	}
	now := a.Now()
	if locked, _, err := a.Store.LoginBlocked(ctx, u.Username, id.IP, now, a.Throttle); err != nil || locked {
		return cmp.Or(err, error(errLocked))
	}
	if u.TOTPSecret == "" {
		return cunjing.Errorf(cunjing.EInvalid, "enrol a second factor first")
	}
	last, err := a.Store.TOTPLastStep(ctx, u.Username)
	if err != nil {
		return err
	}
	step, ok := CheckTOTP(u.TOTPSecret, code, now, last)
	if ok {
		if ok, err = a.Store.UseTOTPStep(ctx, u.Username, step); err != nil {
			return err
		}
	}
	if !ok {
		if err := a.Store.RecordLoginFailure(ctx, u.Username, id.IP, now, a.Throttle); err != nil {
			return err
		}
		return a.refuse(ctx, u.Username, cunjing.Errorf(cunjing.EUnauthorized, "wrong or used code"))
	}
	if err := a.Store.CompleteMFA(ctx, id.SessionID); err != nil {
		return err
	}
	return a.Store.Audit(ctx, cunjing.ActionLogin, u.Username, cunjing.ResultOK, "second factor")
}

// CreateToken issues a named API token for the caller and returns its
// secret, shown only once.
func (a *Authenticator) CreateToken(ctx context.Context, name string) (string, *cunjing.Session, error) {
	id := cunjing.IdentityFrom(ctx)
	now := a.Now()
	secret, idHash := newSecret()
	sess := cunjing.Session{IDHash: idHash, Username: id.Username, Kind: cunjing.SessionToken, Name: name,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(TokenLifetime)}
	if err := a.Store.CreateSession(ctx, sess); err != nil {
		return "", nil, err
	}
	return secret, &sess, a.Store.Audit(ctx, cunjing.ActionTokenCreate, name, cunjing.ResultOK, "")
}

// RevokeToken ends one of the caller's API tokens.
func (a *Authenticator) RevokeToken(ctx context.Context, idHash string) error {
	id := cunjing.IdentityFrom(ctx)
	if err := a.Store.RevokeSession(ctx, id.Username, idHash); err != nil {
		return err
	}
	return a.Store.Audit(ctx, cunjing.ActionTokenRevoke, idHash, cunjing.ResultOK, "")
}

// dummyHash is verified for unknown users so that they take as long as a
// wrong password.
var dummyHash, _ = HashPassword("cunjing: no such user")
