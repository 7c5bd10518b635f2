package web

import (
	"net/http"
	"net/url"
	"slices"
	"unicode/utf8"

	"cunjing"
)

// auditLimit is how many audit rows one page shows.
const auditLimit = 50

// maxAuditText bounds the actor and object fields, in characters.
const maxAuditText = 100

// auditForm is the auditor's search as typed.
type auditForm struct {
	Actor, Action, Object, From, To string
}

// auditErrors says which dates of the search are wrong.
type auditErrors struct {
	From, To, Range bool
}

// Any reports whether a field is wrong.
func (e auditErrors) Any() bool {
	return e != auditErrors{}
}

// auditPage is the search form, its errors and one page of rows.
type auditPage struct {
	Form    auditForm
	Errors  auditErrors
	Actions []string
	Rows    []auditRow
	First   string // URL of the first page; "" on the first page
	Next    string // URL of the next page; "" on the last
	Export  string // URL of the XLSX export of the same search
}

// auditRow is an audit row with its time as shown, in Shanghai.
type auditRow struct {
	cunjing.AuditEvent
	Time string
}

// audit searches the audit trail for the auditor: newest first, a page at
// a time. Each search is itself audited by the store.
func (u *ui) audit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	form := auditForm{Actor: q.Get("actor"), Action: q.Get("action"), Object: q.Get("object"), From: q.Get("from"), To: q.Get("to")}
	if !form.fits() {
		u.errorPage(w, r, http.StatusBadRequest)
		return
	}
	page := auditPage{Form: form, Actions: cunjing.AuditActions}
	f, errs := form.filter()
	if errs.Any() {
		page.Errors = errs
		u.render(w, r, http.StatusBadRequest, "audit", page)
		return
	}
	cursor := q.Get("cursor")
	f.Page = cunjing.Page{Limit: auditLimit, Cursor: cursor}
	events, next, err := u.Audit.FindAudit(r.Context(), f)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	for _, e := range events {
		page.Rows = append(page.Rows, auditRow{AuditEvent: e, Time: e.At.In(cunjing.Shanghai).Format("2006-01-02 15:04:05")})
	}
	page.First, page.Next, page.Export = auditLinks(form.query(), cursor, next)
	w.Header().Set("Cache-Control", "no-store")
	u.render(w, r, http.StatusOK, "audit", page)
}

// filter reads the form into a filter: the dates as days in Shanghai (or
// RFC 3339 times), the "to" day included.
func (form auditForm) filter() (cunjing.AuditFilter, auditErrors) {
	f := cunjing.AuditFilter{Actor: form.Actor, Action: form.Action, Object: form.Object}
	var errs auditErrors
	var ok bool
	if form.From != "" {
		f.From, ok = cunjing.ParseTimeBound(form.From, false)
		errs.From = !ok
	}
	if form.To != "" {
		f.To, ok = cunjing.ParseTimeBound(form.To, true)
		errs.To = !ok
	}
	errs.Range = !errs.From && !errs.To && !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To)
	return f, errs
}

// fits reports whether the action is one of the select's and the texts
// keep to the inputs' maxlength; only a hand-made URL breaks either.
func (form auditForm) fits() bool {
	return (form.Action == "" || slices.Contains(cunjing.AuditActions, form.Action)) &&
		utf8.RuneCountInString(form.Actor) <= maxAuditText && utf8.RuneCountInString(form.Object) <= maxAuditText
}

// query is the search as URL parameters, the empty ones left out.
func (form auditForm) query() url.Values {
	q := url.Values{}
	for name, value := range map[string]string{"actor": form.Actor, "action": form.Action, "object": form.Object,
		"from": form.From, "to": form.To} {
		if value != "" {
			q.Set(name, value)
		}
	}
	return q
}

// auditLinks returns the URLs of the first page of a search ("" when on
// it), of its next page ("" when there is none) and of its export.
func auditLinks(search url.Values, cursor, next string) (first, nextPage, export string) {
	export = "/api/v1/audit/export.xlsx?" + search.Encode()
	if cursor != "" {
		first = "/audit?" + search.Encode()
	}
	if next != "" {
		search.Set("cursor", next)
		nextPage = "/audit?" + search.Encode()
	}
	return first, nextPage, export
}

// labelOr returns the message of prefix+name, or name itself when the
// catalogue has none: rows may carry actions of a newer or older version.
func (tr translator) labelOr(prefix, name string) string {
	if text, ok := tr.cat[prefix+name]; ok {
		return text
	}
	return name
}
