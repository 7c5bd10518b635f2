package cunjing

import (
	"context"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Role is what an account may do.
type Role string

// RoleSystemAdmin manages accounts and reference data such as the division
// codes. The first account is one.
const RoleSystemAdmin Role = "system_admin"

// FirstAdminName is the user name of the account created at first start.
const FirstAdminName = "admin"

// User is an account. PasswordHash is an argon2id hash, never the password.
type User struct {
	Username     string
	DisplayName  string
	PasswordHash string
	Role         Role
}

// UserService reads and writes accounts.
type UserService interface {
	// User returns the account with the given (canonical) user name.
	User(ctx context.Context, username string) (*User, error)
	// CreateFirstUser adds u only when there is no account yet and reports
	// whether it did.
	CreateFirstUser(ctx context.Context, u User) (bool, error)
}

// CanonicalUsername folds a user name so that look-alike spellings are one
// account: NFKC (full-width letters become ASCII), lower case, trimmed.
func CanonicalUsername(name string) string {
	return strings.ToLower(strings.TrimSpace(norm.NFKC.String(name)))
}
