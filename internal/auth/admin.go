package auth

import (
	"net/http"

	"cunjing"
)

// RequireAdmin lets a request through only with the HTTP Basic credentials
// of a system administrator; others get 401 and the browser's login prompt.
// The error body is written by deny, so that each surface keeps its format.
func RequireAdmin(users cunjing.UserService, deny func(w http.ResponseWriter, r *http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !isAdmin(r, users) {
				w.Header().Set("WWW-Authenticate", `Basic realm="cunjing", charset="UTF-8"`)
				deny(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// dummyHash is verified for unknown users so that they take as long as a
// wrong password.
var dummyHash, _ = HashPassword("cunjing: no such user")

func isAdmin(r *http.Request, users cunjing.UserService) bool {
	name, password, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u, err := users.User(r.Context(), name)
	if err != nil {
		VerifyPassword(dummyHash, password)
		return false
	}
	return VerifyPassword(u.PasswordHash, password) && u.Role == cunjing.RoleSystemAdmin
}
