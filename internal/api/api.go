// Package api serves the JSON API under /api/v1 and the health check: one
// route table, one error format, real status codes, cursor pagination.
package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// Deps are what the API needs.
type Deps struct {
	Areas  cunjing.AreaService
	Units  cunjing.UnitService
	Users  cunjing.UserService
	Import func(ctx context.Context, files ...importer.File) (*importer.DivisionReport, error)
	Ping   func(ctx context.Context) error
	Logger *slog.Logger
}

// Policies say who may call a route; every route declares one.
const (
	Public = "public" // anyone, without logging in
	Admin  = "admin"  // a system administrator
)

// MaxJSONBody bounds a JSON request body; uploads have httpx.MaxUploadBody.
const MaxJSONBody = 1 << 20

// Route is one entry of the route table.
type Route struct {
	Method  string
	Path    string // ServeMux pattern path, e.g. /api/v1/areas/{code}
	Policy  string
	MaxBody int64
	handle  func(a *api, w http.ResponseWriter, r *http.Request) error
}

// Routes is the route table; the OpenAPI document must describe each one.
var Routes = []Route{
	{"GET", "/healthz", Public, MaxJSONBody, (*api).health},
	{"GET", "/api/v1/openapi.json", Public, MaxJSONBody, (*api).openAPI},
	{"GET", "/api/v1/areas", Public, MaxJSONBody, (*api).listAreas},
	{"GET", "/api/v1/areas/{code}", Public, MaxJSONBody, (*api).getArea},
	{"POST", "/api/v1/areas/import", Admin, httpx.MaxUploadBody, (*api).importAreas},
	{"GET", "/api/v1/units", Public, MaxJSONBody, (*api).listUnits},
	{"GET", "/api/v1/units/{code}", Public, MaxJSONBody, (*api).getUnit},
}

type api struct{ Deps }

// New returns the handler of every route in Routes, and a JSON 404 for any
// other path under /api/.
func New(d Deps) http.Handler {
	a := &api{d}
	mux := http.NewServeMux()
	admin := auth.RequireAdmin(d.Users, func(w http.ResponseWriter, r *http.Request) {
		a.writeError(w, r, cunjing.Errorf(cunjing.EUnauthorized, "administrator credentials required"))
	})
	for _, rt := range Routes {
		var h http.Handler = a.handler(rt)
		h = httpx.LimitBody(rt.MaxBody, h)
		if rt.Policy == Admin {
			h = admin(h)
		}
		mux.Handle(rt.Method+" "+rt.Path, h)
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.writeError(w, r, cunjing.Errorf(cunjing.ENotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	return mux
}

// handler adapts a route's function, writing the error it returns.
func (a *api) handler(rt Route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := rt.handle(a, w, r); err != nil {
			a.writeError(w, r, err)
		}
	}
}

//go:embed openapi.json
var openAPIDocument []byte

func (a *api) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPIDocument)
	return err
}

func (a *api) health(w http.ResponseWriter, r *http.Request) error {
	if err := a.Ping(r.Context()); err != nil {
		a.Logger.Error("health check", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
