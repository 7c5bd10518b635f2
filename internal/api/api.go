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
	Auth        *auth.Authenticator
	Areas       cunjing.AreaService
	Units       cunjing.UnitService
	Users       cunjing.AccountService
	Grants      cunjing.BreakGlassService
	Audit       cunjing.AuditService
	Staff       cunjing.StaffService
	Assignments cunjing.AssignmentService
	Staffing    cunjing.StaffingService
	Coverage    cunjing.CoverageService
	DualPosts   cunjing.DualPostService
	Offices     cunjing.OfficeService
	Cards       cunjing.ContactCardService
	Exports     cunjing.ExportRecorder
	StaffImport cunjing.StaffImporter
	Houses      cunjing.HouseService
	Orgs        cunjing.OrgService
	Visits      cunjing.VisitService
	Search      cunjing.SearchService
	Residents   cunjing.ResidentService
	Addresses   cunjing.AddressService
	Reviews     cunjing.ReviewService
	// RecordJobs runs imports of registers in the background;
	// RecordImports reads and rolls back their jobs; RecordExports reads
	// registers out.
	RecordJobs    *importer.RecordJobs
	RecordImports cunjing.RecordImporter
	RecordExports cunjing.RecordExporter
	// Policies stores the login policy; Auth reads the one in force.
	Policies cunjing.LoginPolicyService
	Import   func(ctx context.Context, files ...importer.File) (*importer.DivisionReport, error)
	Ping     func(ctx context.Context) error
	Logger   *slog.Logger
}

// MaxJSONBody bounds a JSON request body; uploads have httpx.MaxUploadBody.
const MaxJSONBody = 1 << 20

// Route is one entry of the route table.
type Route struct {
	Method  string
	Path    string // ServeMux pattern path, e.g. /api/v1/areas/{code}
	Policy  auth.Policy
	MaxBody int64
	handle  func(a *api, w http.ResponseWriter, r *http.Request) error
}

// Routes is the route table; the OpenAPI document must describe each one.
var Routes = []Route{
	{"GET", "/healthz", auth.Public, MaxJSONBody, (*api).health},
	{"GET", "/api/v1/openapi.json", auth.Public, MaxJSONBody, (*api).openAPI},
	{"POST", "/api/v1/auth/login", auth.Public, MaxJSONBody, (*api).login},
	{"POST", "/api/v1/auth/logout", auth.Pending, MaxJSONBody, (*api).logout},
	{"GET", "/api/v1/auth/me", auth.Pending, MaxJSONBody, (*api).me},
	{"POST", "/api/v1/auth/password", auth.Pending, MaxJSONBody, (*api).changePassword},
	{"POST", "/api/v1/auth/mfa/enroll", auth.Pending, MaxJSONBody, (*api).enrollMFA},
	{"POST", "/api/v1/auth/mfa/verify", auth.Pending, MaxJSONBody, (*api).verifyMFA},
	{"GET", "/api/v1/auth/tokens", auth.LoggedIn, MaxJSONBody, (*api).listTokens},
	{"POST", "/api/v1/auth/tokens", auth.LoggedIn, MaxJSONBody, (*api).createToken},
	{"DELETE", "/api/v1/auth/tokens/{id}", auth.LoggedIn, MaxJSONBody, (*api).revokeToken},
	{"GET", "/api/v1/users", auth.Allow(cunjing.PermManageAccounts), MaxJSONBody, (*api).listUsers},
	{"POST", "/api/v1/users", auth.Allow(cunjing.PermManageAccounts), MaxJSONBody, (*api).createUser},
	{"GET", "/api/v1/users/{username}", auth.Allow(cunjing.PermManageAccounts), MaxJSONBody, (*api).getUser},
	{"PATCH", "/api/v1/users/{username}", auth.Allow(cunjing.PermManageAccounts), MaxJSONBody, (*api).updateUser},
	{"POST", "/api/v1/users/{username}/reset", auth.Allow(cunjing.PermManageAccounts), MaxJSONBody, (*api).resetUser},
	{"POST", "/api/v1/break-glass", auth.Allow(cunjing.PermReadPersonal), MaxJSONBody, (*api).breakGlass},
	{"GET", "/api/v1/settings/login-policy", auth.Allow(cunjing.PermManageSecurity), MaxJSONBody, (*api).getLoginPolicy},
	{"PUT", "/api/v1/settings/login-policy", auth.Allow(cunjing.PermManageSecurity), MaxJSONBody, (*api).putLoginPolicy},
	{"GET", "/api/v1/areas", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listAreas},
	{"GET", "/api/v1/areas/{code}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getArea},
	{"PATCH", "/api/v1/areas/{code}", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).updateArea},
	{"POST", "/api/v1/areas/import", auth.Allow(cunjing.PermImportDivisions), httpx.MaxUploadBody, (*api).importAreas},
	{"GET", "/api/v1/units", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listUnits},
	{"GET", "/api/v1/units/{code}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getUnit},
	{"POST", "/api/v1/areas", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).createArea},
	{"GET", "/api/v1/staff", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listStaff},
	{"POST", "/api/v1/staff", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).createStaff},
	{"GET", "/api/v1/staff/{id}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getStaff},
	{"PATCH", "/api/v1/staff/{id}", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).updateStaff},
	{"GET", "/api/v1/staff/{id}/photo", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getStaffPhoto},
	{"PUT", "/api/v1/staff/{id}/photo", auth.Allow(cunjing.PermManageStaff), photoBody, (*api).putStaffPhoto},
	{"GET", "/api/v1/staff/template.xlsx", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).staffTemplate},
	{"POST", "/api/v1/staff/import", auth.Allow(cunjing.PermManageStaff), httpx.MaxUploadBody, (*api).importStaff},
	{"GET", "/api/v1/staff/export.xlsx", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).exportStaff},
	{"GET", "/api/v1/assignments/export.xlsx", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).exportAssignments},
	{"GET", "/api/v1/assignments", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listAssignments},
	{"POST", "/api/v1/assignments", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).createAssignment},
	{"POST", "/api/v1/assignments/{id}/end", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).endAssignment},
	{"GET", "/api/v1/coverage", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getCoverage},
	{"GET", "/api/v1/cards", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listCards},
	{"GET", "/api/v1/offices", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listOffices},
	{"GET", "/api/v1/offices/{code}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getOffice},
	{"PATCH", "/api/v1/offices/{code}", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).updateOffice},
	{"PUT", "/api/v1/offices/{code}/checks", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).putOfficeChecks},
	{"POST", "/api/v1/offices/{code}/photos", auth.Allow(cunjing.PermManageStaff), photoBody, (*api).addOfficePhoto},
	{"GET", "/api/v1/offices/{code}/photos/{id}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getOfficePhoto},
	{"GET", "/api/v1/office-standard", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getOfficeStandard},
	{"PUT", "/api/v1/office-standard", auth.Allow(cunjing.PermManageStaffing), MaxJSONBody, (*api).putOfficeStandard},
	{"GET", "/api/v1/dual-posts", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listDualPosts},
	{"POST", "/api/v1/dual-posts", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).createDualPost},
	{"POST", "/api/v1/dual-posts/{id}/end", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).endDualPost},
	{"GET", "/api/v1/audit", auth.Allow(cunjing.PermReadAudit), MaxJSONBody, (*api).listAudit},
	{"GET", "/api/v1/audit/export.xlsx", auth.Allow(cunjing.PermReadAudit), MaxJSONBody, (*api).exportAudit},
	{"GET", "/api/v1/staffing-models", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listStaffingModels},
	{"POST", "/api/v1/staffing-models", auth.Allow(cunjing.PermManageStaffing), MaxJSONBody, (*api).createStaffingModel},
	{"PUT", "/api/v1/staffing-models/{id}", auth.Allow(cunjing.PermManageStaffing), MaxJSONBody, (*api).putStaffingModel},
	{"DELETE", "/api/v1/staffing-models/{id}", auth.Allow(cunjing.PermManageStaffing), MaxJSONBody, (*api).deleteStaffingModel},
	{"GET", "/api/v1/staffing-bindings", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listStaffingBindings},
	{"POST", "/api/v1/imports/{kind}", auth.Allow(cunjing.PermWriteData), recordUploadBody, (*api).startImport},
	{"GET", "/api/v1/imports/{id}", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).getImport},
	{"GET", "/api/v1/imports/{id}/report", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).importReport},
	{"POST", "/api/v1/imports/{id}/cancel", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).cancelImport},
	{"GET", "/api/v1/templates/{kind}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).recordTemplate},
	{"GET", "/api/v1/exports/{kind}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).exportRegister},
	{"POST", "/api/v1/search", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).search},
	{"PUT", "/api/v1/staffing-bindings", auth.Allow(cunjing.PermManageStaffing), MaxJSONBody, (*api).putStaffingBinding},
	{"GET", "/api/v1/houses", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listHouses},
	{"POST", "/api/v1/houses", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).createHouse},
	{"GET", "/api/v1/houses/{id}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getHouse},
	{"PATCH", "/api/v1/houses/{id}", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).updateHouse},
	{"GET", "/api/v1/houses/{id}/rentals", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listRentals},
	{"POST", "/api/v1/houses/{id}/rentals", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).createRental},
	{"POST", "/api/v1/rentals/{id}/end", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).endRental},
	{"GET", "/api/v1/orgs", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listOrgs},
	{"POST", "/api/v1/orgs", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).createOrg},
	{"GET", "/api/v1/orgs/{id}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getOrg},
	{"PATCH", "/api/v1/orgs/{id}", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).updateOrg},
	{"GET", "/api/v1/orgs/{id}/inspections", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listInspections},
	{"POST", "/api/v1/orgs/{id}/inspections", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).createInspection},
	{"POST", "/api/v1/visits", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).createVisit},
	{"GET", "/api/v1/visits/{id}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getVisit},
	{"POST", "/api/v1/visits/{id}/photos", auth.Allow(cunjing.PermWriteData), photoBody, (*api).addVisitPhoto},
	{"GET", "/api/v1/visits/{id}/photos/{photo}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getVisitPhoto},
	{"GET", "/api/v1/ledger", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getLedger},
	{"GET", "/api/v1/ledger/export", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).exportLedger},
	{"GET", "/api/v1/addresses", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listAddresses},
	{"POST", "/api/v1/addresses", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).createAddress},
	{"GET", "/api/v1/addresses/{id}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getAddress},
	{"PATCH", "/api/v1/addresses/{id}", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).updateAddress},
	{"GET", "/api/v1/addresses/{id}/history", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).addressHistory},
	{"GET", "/api/v1/residents", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listResidents},
	{"POST", "/api/v1/residents", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).createResident},
	{"GET", "/api/v1/residents/{id}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getResident},
	{"PATCH", "/api/v1/residents/{id}", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).updateResident},
	{"GET", "/api/v1/residents/{id}/history", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).residentHistory},
	{"POST", "/api/v1/households", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).createHousehold},
	{"GET", "/api/v1/households/{id}", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getHousehold},
	{"GET", "/api/v1/conflicts", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).listConflicts},
	{"POST", "/api/v1/conflicts/{id}/resolve", auth.Allow(cunjing.PermWriteData), MaxJSONBody, (*api).resolveConflict},
	{"GET", "/api/v1/reviews", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).listReviews},
	{"POST", "/api/v1/reviews", auth.Allow(cunjing.PermManageStaff), MaxJSONBody, (*api).postReviews},
	{"GET", "/api/v1/completeness", auth.Allow(cunjing.PermReadJurisdiction), MaxJSONBody, (*api).getCompleteness},
}

type api struct{ Deps }

// New returns the handler of every route in Routes, and a JSON 404 for any
// other path under /api/.
func New(d Deps) http.Handler {
	a := &api{d}
	mux := http.NewServeMux()
	for _, rt := range Routes {
		h := httpx.LimitBody(rt.MaxBody, a.handler(rt))
		mux.Handle(rt.Method+" "+rt.Path, auth.Require(rt.Policy, a.deny)(h))
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		a.writeError(w, r, cunjing.Errorf(cunjing.ENotFound, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
	return mux
}

// deny answers a request that its route's policy refuses.
func (a *api) deny(w http.ResponseWriter, r *http.Request, status int) {
	id := cunjing.IdentityFrom(r.Context())
	switch {
	case status == http.StatusForbidden:
		a.writeError(w, r, cunjing.Errorf(cunjing.EForbidden, "your role may not do this"))
	case id != nil && id.Restriction != "":
		a.writeError(w, r, cunjing.Errorf(cunjing.EUnauthorized, "finish logging in first: %s", id.Restriction))
	default:
		a.writeError(w, r, cunjing.Errorf(cunjing.EUnauthorized, "log in first"))
	}
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
