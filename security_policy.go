package cunjing

import (
	"context"
	"fmt"
	"time"
)

// Bounds of a LoginPolicy. The floors are there because a deployment must
// stay within 等保 level 3 (GB/T 22239-2019, 安全计算环境, 身份鉴别:
// passwords of a required complexity, changed periodically): the security
// administrator may tighten the policy but never loosen it below them, so
// no setting can take the system out of compliance. A lifetime of 0
// (never) is allowed, as NIST SP 800-63B advises against forced rotation;
// a system assessed against 等保 keeps one set.
const (
	PolicyLengthFloor   = 8                    // the shortest minimum password length
	PolicyLengthCeiling = 64                   // the longest minimum, so that passwords stay typeable
	PolicyLongLength    = 12                   // from this minimum length on, fewer than 3 classes may do
	PolicyClassesFloor  = 3                    // the fewest classes below PolicyLongLength
	PolicyMaxAgeCeiling = 365 * 24 * time.Hour // the longest password lifetime; 0 is "never expires"
)

// LoginPolicy is the login policy the security administrator sets at run
// time (SECURITY.md A2, A5): the password rule and whether the roles that
// see personal data need a second factor. It is read at every login and
// request, so a change applies at once on every replica.
type LoginPolicy struct {
	MinLength  int           // in characters
	MinClasses int           // of: lower case, upper case, digits, other characters
	MaxAge     time.Duration // a password's lifetime; 0 means it never expires
	Blocklist  bool          // refuse common and police-context passwords
	RequireMFA bool          // a second factor for roles that see personal data
}

// Validate checks the policy against the floors above and returns an
// EInvalid *Error naming each bad field (min_length, min_classes,
// max_age_days).
func (p LoginPolicy) Validate() error {
	fields := map[string]string{}
	if p.MinLength < PolicyLengthFloor || p.MinLength > PolicyLengthCeiling {
		fields["min_length"] = fmt.Sprintf("must be between %d and %d characters", PolicyLengthFloor, PolicyLengthCeiling)
	}
	switch {
	case p.MinClasses < 1 || p.MinClasses > 4:
		fields["min_classes"] = "must be between 1 and 4"
	case p.MinClasses < PolicyClassesFloor && p.MinLength < PolicyLongLength:
		fields["min_classes"] = fmt.Sprintf("must be at least %d unless the minimum length is %d or more", PolicyClassesFloor, PolicyLongLength)
	}
	if p.MaxAge < 0 || p.MaxAge > PolicyMaxAgeCeiling {
		fields["max_age_days"] = "must be between 0 (never) and 365 days"
	}
	if len(fields) > 0 {
		return &Error{Code: EInvalid, Message: "the login policy is outside the bounds 等保 level 3 allows", Fields: fields}
	}
	return nil
}

// DaysMaxAge returns a password lifetime of days days. Counts outside 0–365
// stay outside the bounds, for Validate to refuse, instead of overflowing.
func DaysMaxAge(days int) time.Duration {
	return time.Duration(min(max(days, -1), 366)) * 24 * time.Hour
}

// MaxAgeDays returns the password lifetime in whole days.
func (p LoginPolicy) MaxAgeDays() int {
	return int(p.MaxAge / (24 * time.Hour))
}

// LoginPolicyService keeps the login policy.
type LoginPolicyService interface {
	// LoginPolicy returns the stored policy, or an ENotFound error when none
	// was ever set and the start-up defaults apply. It needs no identity:
	// logins read it before there is one.
	LoginPolicy(ctx context.Context) (LoginPolicy, error)
	// SetLoginPolicy validates and stores the policy and audits the change.
	// Only the security administrator (PermManageSecurity) may.
	SetLoginPolicy(ctx context.Context, p LoginPolicy) error
}
