package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"cunjing"
	"cunjing/internal/httpx"
)

//go:embed templates/*.html
var templateFiles embed.FS

// sharedTemplates are parsed with every page: the layout and the partials.
var sharedTemplates = []string{"templates/layout.html", "templates/partials.html", "templates/record_parts.html"}

// parsePages parses every page template once per language, each with the
// layout, the partials and the functions of its language.
func parsePages(cats map[string]catalog, a *assets) (map[string]map[string]*template.Template, error) {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: templates: %w", err)
	}
	pages := map[string]map[string]*template.Template{}
	for lang, cat := range cats {
		funcs := templateFuncs(newTranslator(lang, cat), a)
		maps.Copy(funcs, recordFuncs(newTranslator(lang, cat)))
		pages[lang] = map[string]*template.Template{}
		for _, file := range files {
			if slices.Contains(sharedTemplates, file) {
				continue
			}
			name := strings.TrimSuffix(path.Base(file), ".html")
			t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, append(sharedTemplates, file)...)
			if err != nil {
				return nil, fmt.Errorf("web: parse %s: %w", file, err)
			}
			pages[lang][name] = t
		}
	}
	return pages, nil
}

// templateFuncs are the functions templates call: messages, translated
// vocabulary, numbers and URLs.
func templateFuncs(tr translator, a *assets) template.FuncMap {
	return template.FuncMap{
		"t":   tr.t,
		"tf":  tr.tf,
		"num": tr.num,
		"level": func(l cunjing.Level) (string, error) {
			return tr.t("level." + string(l))
		},
		"kind": func(k cunjing.Kind) (string, error) {
			return tr.t("kind." + string(k))
		},
		"unitKind": func(k cunjing.UnitKind) (string, error) {
			return tr.t("unitkind." + string(k))
		},
		"role": func(r cunjing.Role) (string, error) {
			return tr.t("role." + string(r))
		},
		"auditAction": func(action string) string {
			return tr.labelOr("action.", action)
		},
		"auditResult": func(result string) string {
			return tr.labelOr("result.", result)
		},
		"postRole": func(r cunjing.PostRole) (string, error) {
			return tr.t("postrole." + string(r))
		},
		"staffKind": func(k cunjing.StaffKind) (string, error) {
			return tr.t("staffkind." + string(k))
		},
		"staffStatus": func(s cunjing.StaffStatus) (string, error) {
			return tr.t("staffstatus." + string(s))
		},
		"venueType": func(v cunjing.VenueType) (string, error) {
			return tr.t("venuetype." + string(v))
		},
		"dualPost": func(p cunjing.DualPostKind) (string, error) {
			return tr.t("dualpost." + string(p))
		},
		"gap":           tr.gap,
		"coverageKinds": func() []cunjing.Kind { return cunjing.CoverageKinds },
		"coverageKind": func(k cunjing.Kind) (string, error) {
			return tr.t("coverage.kind." + string(k))
		},
		"ratio": func(n, d int) string {
			if d == 0 {
				return "–"
			}
			return tr.printer.Sprintf("%.2f", float64(n)/float64(d))
		},
		"venueTypes": func() []cunjing.VenueType { return cunjing.VenueTypes },
		"short":      cunjing.ShortAreaName,
		"asset":      a.url,
		"tel":        telURL,
	}
}

// telURL makes a tel: link of a phone number, keeping only the characters
// a number has.
func telURL(phone string) template.URL {
	keep := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' || r == '+' || r == '-' {
			return r
		}
		return -1
	}, phone)
	return template.URL("tel:" + keep)
}

// view is what every page template gets: the frame of the page and, in
// Data, what the page shows.
type view struct {
	User   string // the user name, "" for a visitor
	Lang   string
	Nav    []navLink
	LangZH string // this page in Chinese
	LangEN string // this page in English
	Data   any
	scope  cunjing.Scope
}

// InScope reports whether the caller may open the pages of area code: a
// breadcrumb names the areas above the scope without linking them.
func (v view) InScope(code string) bool { return v.scope.Covers(code) }

// MainNav is the navigation to the pages people work in; AdminNav, to the
// administration pages, which the header groups apart.
func (v view) MainNav() []navLink { return v.navGroup(false) }

// AdminNav: see MainNav.
func (v view) AdminNav() []navLink { return v.navGroup(true) }

func (v view) navGroup(admin bool) []navLink {
	var links []navLink
	for _, l := range v.Nav {
		if l.Admin == admin {
			links = append(links, l)
		}
	}
	return links
}

func newView(r *http.Request, data any) view {
	id := cunjing.IdentityFrom(r.Context())
	v := view{
		Lang:   langFrom(r.Context()),
		Nav:    navFor(id, r.URL.Path),
		LangZH: withQuery(r.URL, "lang", "zh"),
		LangEN: withQuery(r.URL, "lang", "en"),
		Data:   data,
	}
	if id != nil {
		v.User, v.scope = id.Username, id.Scope
	}
	return v
}

// withQuery returns the path and query of u with key set to value.
func withQuery(u *url.URL, key, value string) string {
	q := u.Query()
	q.Set(key, value)
	return u.Path + "?" + q.Encode()
}

// render writes a whole page with the layout.
func (u *ui) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	u.execute(w, r, status, page, "layout", newView(r, data))
}

// execute renders the template name of page into a buffer first, so that a
// template error becomes a clean 500 rather than half a page.
func (u *ui) execute(w http.ResponseWriter, r *http.Request, status int, page, name string, data any) {
	var buf bytes.Buffer
	t := u.pages[langFrom(r.Context())][page]
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		u.Logger.Error("web: render", "id", httpx.RequestID(r.Context()), "page", page, "err", err)
		if page == "error" {
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			return
		}
		u.errorPage(w, r, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// errorPage is what an error page says: message keys of its title and text.
type errorPage struct {
	Status int
	Title  string
	Text   string
}

// errorPages are the error pages by status.
var errorPages = map[int]errorPage{
	http.StatusBadRequest:            {http.StatusBadRequest, "error.bad_request.title", "error.bad_request.text"},
	http.StatusUnauthorized:          {http.StatusUnauthorized, "error.unauthorized.title", "error.unauthorized.text"},
	http.StatusForbidden:             {http.StatusForbidden, "error.forbidden.title", "error.forbidden.text"},
	http.StatusNotFound:              {http.StatusNotFound, "error.not_found.title", "error.not_found.text"},
	http.StatusRequestEntityTooLarge: {http.StatusRequestEntityTooLarge, "error.too_large.title", "error.too_large.text"},
	http.StatusInternalServerError:   {http.StatusInternalServerError, "error.internal.title", "error.internal.text"},
}

// errorPage renders the error page of status in the request's language.
func (u *ui) errorPage(w http.ResponseWriter, r *http.Request, status int) {
	u.render(w, r, status, "error", errorPages[status])
}

// fail answers a failed call: not found, invalid input and a refusal get
// their pages, anything else is logged and shown as a generic error.
func (u *ui) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch cunjing.ErrorCode(err) {
	case cunjing.ENotFound:
		u.errorPage(w, r, http.StatusNotFound)
	case cunjing.EInvalid:
		u.errorPage(w, r, http.StatusBadRequest)
	case cunjing.EForbidden:
		u.errorPage(w, r, http.StatusForbidden)
	default:
		u.Logger.Error("web: request failed", "id", httpx.RequestID(r.Context()), "path", r.URL.Path, "err", err)
		u.errorPage(w, r, http.StatusInternalServerError)
	}
}
