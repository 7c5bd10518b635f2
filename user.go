package cunjing

import (
	"context"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// FirstAdminName is the user name of the account created at first start.
const FirstAdminName = "admin"

// User is an account. PasswordHash is an argon2id hash, never the password;
// TOTPSecret is empty until the user enrols a second factor.
type User struct {
	Username           string // canonical: see CanonicalUsername
	DisplayName        string
	Phone              string // personal data: masked in lists
	Role               Role
	UnitCode           string // "" only for the first admin
	Disabled           bool
	PasswordHash       string
	PasswordChangedAt  time.Time
	MustChangePassword bool
	TOTPSecret         string
	CreatedAt          time.Time
}

// UserFilter selects accounts for a list.
type UserFilter struct {
	Query string // user name or display name contains
	Role  Role
	Page  Page
}

// UserService reads and writes accounts. Every method but User and
// CreateFirstUser needs an identity in ctx and keeps to its scope.
type UserService interface {
	// User returns the account with the given user name, whatever the scope:
	// logins and sessions need it before there is an identity.
	User(ctx context.Context, username string) (*User, error)
	// CreateFirstUser adds u only when there is no account yet and reports
	// whether it did.
	CreateFirstUser(ctx context.Context, u User) (bool, error)
}

// UserUpdate is a change to an account; nil fields stay as they are. It
// names no scope, creator or password-hash field a request could set.
type UserUpdate struct {
	DisplayName *string
	Phone       *string
	Role        *Role
	UnitCode    *string
	Disabled    *bool
	// PasswordHash, when set, replaces the password; the user must change
	// it at the next login, the second factor is cleared and every session
	// of the account ends.
	PasswordHash *string
}

// AccountService administers accounts inside the caller's scope. The role
// given must be one the caller outranks and the unit one inside his scope;
// the implementation checks both whatever the request said.
type AccountService interface {
	// FindUsers lists the accounts in scope, by user name.
	FindUsers(ctx context.Context, f UserFilter) ([]User, string, error)
	// UserDetail returns an account in scope, or outside it under a live
	// break-glass grant, and audits that its personal data was shown.
	UserDetail(ctx context.Context, username string) (*User, error)
	// CreateUser adds an account.
	CreateUser(ctx context.Context, u User) error
	// UpdateUser changes an account in scope; disabling it or resetting its
	// password ends its sessions at once.
	UpdateUser(ctx context.Context, username string, up UserUpdate) error
}

// CanonicalUsername folds a user name so that look-alike spellings are one
// account: NFKC (full-width letters become ASCII), lower case, trimmed.
func CanonicalUsername(name string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFKC.String(name)))
}
