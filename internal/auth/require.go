package auth

import (
	"net/http"

	"cunjing"
)

// Policy says who may call a route. Every route declares one (SECURITY.md
// B3): Public, LoggedIn, Pending or a permission.
type Policy string

// Policies that are not permissions.
const (
	Public   Policy = "public"    // anyone, logged in or not
	LoggedIn Policy = "logged_in" // any user whose session is complete
	Pending  Policy = "pending"   // any logged-in user, even one who must first give a second factor or change the password
)

// Allow returns the policy that needs the permission.
func Allow(p cunjing.Permission) Policy {
	return Policy(p)
}

// Status returns 0 when the identity may call a route of the policy, else
// the status that refuses it: 401 for a missing or unfinished login, 403
// for a missing permission.
func (p Policy) Status(id *cunjing.Identity) int {
	switch {
	case p == Public:
		return 0
	case id == nil || id.Username == "":
		return http.StatusUnauthorized
	case p == Pending:
		return 0
	case id.Restriction != "":
		return http.StatusUnauthorized
	case p == LoggedIn || id.Role.Can(cunjing.Permission(p)):
		return 0
	}
	return http.StatusForbidden
}

// Require lets a request through when its identity meets the policy, and
// otherwise calls deny with the status.
func Require(p Policy, deny func(w http.ResponseWriter, r *http.Request, status int)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if status := p.Status(cunjing.IdentityFrom(r.Context())); status != 0 {
				deny(w, r, status)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
