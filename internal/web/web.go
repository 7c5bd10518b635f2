// Package web is the server-rendered UI of cunjing: html/template pages over
// the domain services, htmx for partial updates, Chinese by default and
// English on request.
package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// Deps are what the UI needs.
type Deps struct {
	Areas  cunjing.AreaService
	Units  cunjing.UnitService
	Users  cunjing.UserService // for the admin guard (auth.RequireAdmin)
	Import func(ctx context.Context, files ...importer.File) (*importer.DivisionReport, error)
	Logger *slog.Logger
}

// navItem is one entry of the navigation; later modules add a line to nav.
type navItem struct {
	Key   string // message key of the label
	Path  string
	Admin bool // asks for an administrator's credentials
}

// nav is the navigation, in order.
var nav = []navItem{
	{Key: "nav.home", Path: "/"},
	{Key: "nav.areas", Path: "/areas"},
	{Key: "nav.units", Path: "/units"},
	{Key: "nav.import", Path: "/admin/divisions", Admin: true},
}

// ui holds the parsed pages and the services behind them.
type ui struct {
	Deps
	pages  map[string]map[string]*template.Template // language → page name → template
	assets *assets
}

// New parses the templates and returns the UI's handler for every path not
// under /api/ (mounted at "/").
func New(d Deps) (http.Handler, error) {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	cats, err := loadCatalogs()
	if err != nil {
		return nil, err
	}
	pages, err := parsePages(cats, a)
	if err != nil {
		return nil, err
	}
	u := &ui{Deps: d, pages: pages, assets: a}
	return withLanguage(u.routes()), nil
}

func (u *ui) routes() http.Handler {
	admin := auth.RequireAdmin(u.Users, u.unauthorized)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", u.home)
	mux.HandleFunc("GET /areas", u.topArea)
	mux.HandleFunc("GET /areas/{code}", u.area)
	mux.HandleFunc("GET /areas/{code}/search", u.areaSearch)
	mux.HandleFunc("GET /units", u.topUnit)
	mux.HandleFunc("GET /units/{code}", u.unit)
	mux.Handle("GET /admin/divisions", admin(http.HandlerFunc(u.importForm)))
	mux.Handle("POST /admin/divisions", admin(httpx.LimitBody(httpx.MaxUploadBody, http.HandlerFunc(u.importDivisions))))
	mux.HandleFunc("GET /static/{path...}", u.static)
	mux.HandleFunc("/", u.notFound)
	return mux
}

// navLink is a navigation item as one page shows it.
type navLink struct {
	navItem
	Current bool
}

// navFor marks the item of the section that path belongs to.
func navFor(path string) []navLink {
	links := make([]navLink, len(nav))
	for i, item := range nav {
		current := path == item.Path
		if item.Path != "/" && strings.HasPrefix(path, item.Path+"/") {
			current = true
		}
		links[i] = navLink{navItem: item, Current: current}
	}
	return links
}

func (u *ui) static(w http.ResponseWriter, r *http.Request) {
	if !u.assets.serve(w, r) {
		u.errorPage(w, r, http.StatusNotFound)
	}
}

func (u *ui) notFound(w http.ResponseWriter, r *http.Request) {
	u.errorPage(w, r, http.StatusNotFound)
}

func (u *ui) unauthorized(w http.ResponseWriter, r *http.Request) {
	u.errorPage(w, r, http.StatusUnauthorized)
}
