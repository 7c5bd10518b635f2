package web

import (
	"net/http"
	"strings"

	"cunjing"
)

// breakGlassPage is the break-glass form as typed, whether it was refused,
// and once granted the object and, for an account the caller may open, its
// page.
type breakGlassPage struct {
	Object  string
	Reason  string
	Invalid bool
	Granted string
	Link    string
}

// breakGlassForm asks for the object to read outside the caller's scope
// and the reason (SECURITY.md B6). No page links here: it is the documented
// exception, not a routine path.
func (u *ui) breakGlassForm(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "break_glass", breakGlassPage{})
}

// breakGlass records the grant; the store audits it with the reason.
func (u *ui) breakGlass(w http.ResponseWriter, r *http.Request) {
	page := breakGlassPage{Object: strings.TrimSpace(r.PostFormValue("object")), Reason: r.PostFormValue("reason")}
	err := u.Grants.BreakGlass(r.Context(), page.Object, page.Reason, cunjing.BreakGlassTTL)
	if cunjing.ErrorCode(err) == cunjing.EInvalid {
		page.Invalid = true
		u.render(w, r, http.StatusBadRequest, "break_glass", page)
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	page.Granted, _ = cunjing.CanonicalObject(page.Object)
	name, isUser := strings.CutPrefix(page.Granted, cunjing.ObjectUser+":")
	if isUser && cunjing.IdentityFrom(r.Context()).Role.Can(cunjing.PermManageAccounts) {
		page.Link = userPath(name)
	}
	u.render(w, r, http.StatusOK, "break_glass", page)
}
