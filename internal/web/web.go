// Package web is the server-rendered UI of cunjing: html/template pages over
// the domain services, htmx for partial updates, Chinese by default and
// English on request.
package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"cunjing"
	"cunjing/internal/auth"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
)

// Deps are what the UI needs.
type Deps struct {
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
	// Basic information (一标三实): addresses, residents and households,
	// houses and rentals, orgs, visits, and the station's review.
	Addresses cunjing.AddressService
	Residents cunjing.ResidentService
	Houses    cunjing.HouseService
	Orgs      cunjing.OrgService
	Visits    cunjing.VisitService
	Reviews   cunjing.ReviewService
	// Search is the one search box over residents, addresses and orgs.
	Search cunjing.SearchService
	// RecordJobs runs imports of registers in the background; RecordImports
	// reads and rolls back their jobs; RecordExports reads registers out.
	RecordJobs    *importer.RecordJobs
	RecordImports cunjing.RecordImporter
	RecordExports cunjing.RecordExporter
	// PublicURL is the base URL citizens reach, which the QR codes of
	// contact cards link under; "" takes the scheme and host of the request.
	PublicURL string
	// Policies stores the login policy; Auth reads the one in force.
	Policies cunjing.LoginPolicyService
	Auth     *auth.Authenticator
	Import   func(ctx context.Context, files ...importer.File) (*importer.DivisionReport, error)
	Logger   *slog.Logger
}

// navItem is one entry of the navigation; later modules add a line to nav.
type navItem struct {
	Key   string // message key of the label
	Path  string
	Admin bool // an administration page
	// Permission is what the item needs; "" for any logged-in user.
	Permission cunjing.Permission
}

// nav is the navigation, in order.
var nav = []navItem{
	{Key: "nav.home", Path: "/"},
	{Key: "nav.search", Path: "/search"},
	{Key: "nav.orgs", Path: "/orgs"},
	{Key: "nav.ledger", Path: "/ledger"},
	{Key: "nav.import_records", Path: "/import/records", Permission: cunjing.PermWriteData},
	{Key: "nav.areas", Path: "/areas"},
	{Key: "nav.coverage", Path: "/coverage", Permission: cunjing.PermReadJurisdiction},
	{Key: "nav.units", Path: "/units"},
	{Key: "nav.staff", Path: "/staff"},
	{Key: "nav.offices", Path: "/offices"},
	{Key: "nav.dual_posts", Path: "/dual-posts"},
	{Key: "nav.review", Path: "/review", Permission: cunjing.PermManageStaff},
	{Key: "nav.audit", Path: "/audit", Admin: true, Permission: cunjing.PermReadAudit},
	{Key: "nav.users", Path: "/admin/users", Admin: true, Permission: cunjing.PermManageAccounts},
	{Key: "nav.staffing", Path: "/admin/staffing", Admin: true, Permission: cunjing.PermManageStaffing},
	{Key: "nav.security", Path: "/admin/security", Admin: true, Permission: cunjing.PermManageSecurity},
	{Key: "nav.import", Path: "/admin/divisions", Admin: true, Permission: cunjing.PermImportDivisions},
}

// ui holds the parsed pages and the services behind them.
type ui struct {
	Deps
	pages  map[string]map[string]*template.Template // language → page name → template
	assets *assets
	tr     map[string]translator // language → messages, for what is not a page
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
	u := &ui{Deps: d, pages: pages, assets: a, tr: map[string]translator{}}
	for lang, cat := range cats {
		u.tr[lang] = newTranslator(lang, cat)
	}
	return withLanguage(u.routes()), nil
}

// route is one entry of the UI's route table; every route declares who
// may call it (SECURITY.md B3).
type route struct {
	Pattern string // ServeMux pattern with method
	Policy  auth.Policy
	MaxBody int64 // 0: no request body expected
	handle  func(u *ui, w http.ResponseWriter, r *http.Request)
}

// readJurisdiction is the policy of the pages over areas and units.
var readJurisdiction = auth.Allow(cunjing.PermReadJurisdiction)

// routes is the route table of the UI.
var routes = []route{
	{"GET /{$}", auth.LoggedIn, 0, (*ui).home},
	{"GET /login", auth.Public, 0, (*ui).loginForm},
	{"POST /login", auth.Public, formBody, (*ui).login},
	{"POST /logout", auth.Pending, formBody, (*ui).logout},
	{"GET /login/mfa", auth.Pending, 0, (*ui).mfaForm},
	{"POST /login/mfa", auth.Pending, formBody, (*ui).mfa},
	{"GET /password", auth.Pending, 0, (*ui).passwordForm},
	{"POST /password", auth.Pending, formBody, (*ui).changePassword},
	{"GET /areas", readJurisdiction, 0, (*ui).topArea},
	{"GET /areas/{code}", readJurisdiction, 0, (*ui).area},
	{"GET /areas/{code}/search", readJurisdiction, 0, (*ui).areaSearch},
	{"GET /areas/{code}/card", readJurisdiction, 0, (*ui).areaCard},
	{"GET /cards", readJurisdiction, 0, (*ui).batchCards},
	{"GET /p/{code}", auth.Public, 0, (*ui).publicCard},
	{"GET /coverage", readJurisdiction, 0, (*ui).coverageTop},
	{"GET /coverage/{code}", readJurisdiction, 0, (*ui).coverage},
	{"GET /coverage/{code}/export.xlsx", readJurisdiction, 0, (*ui).exportCoverage},
	{"GET /units", readJurisdiction, 0, (*ui).topUnit},
	{"GET /units/{code}", readJurisdiction, 0, (*ui).unit},
	{"GET /areas/{code}/posts", readJurisdiction, 0, (*ui).posts},
	{"POST /areas/{code}/posts", manageStaff, formBody, (*ui).assign},
	{"POST /areas/{code}/posts/{id}/end", manageStaff, formBody, (*ui).endPost},
	{"POST /areas/{code}/grids", manageStaff, formBody, (*ui).createGrid},
	{"POST /areas/{code}/venues", manageStaff, formBody, (*ui).createVenue},
	{"POST /areas/{code}/location", manageStaff, formBody, (*ui).setAreaLocation},
	{"GET /areas/{code}/register", readJurisdiction, 0, (*ui).register},
	{"GET /areas/{code}/addresses/new", writeData, 0, (*ui).newAddressForm},
	{"POST /areas/{code}/addresses", writeData, formBody, (*ui).createAddress},
	{"GET /areas/{code}/visits/new", writeData, 0, (*ui).newAreaVisitForm},
	{"GET /addresses/{id}", readJurisdiction, 0, (*ui).address},
	{"POST /addresses/{id}", writeData, formBody, (*ui).updateAddress},
	{"GET /addresses/{id}/edit", writeData, 0, (*ui).editAddressForm},
	{"GET /addresses/{id}/households/new", writeData, 0, (*ui).newHouseholdForm},
	{"POST /addresses/{id}/households", writeData, formBody, (*ui).createHousehold},
	{"GET /addresses/{id}/residents/new", writeData, 0, (*ui).newResidentForm},
	{"POST /addresses/{id}/residents", writeData, formBody, (*ui).createResident},
	{"GET /addresses/{id}/houses/new", writeData, 0, (*ui).newHouseForm},
	{"POST /addresses/{id}/houses", writeData, formBody, (*ui).createHouse},
	{"GET /addresses/{id}/orgs/new", writeData, 0, (*ui).newOrgForm},
	{"POST /addresses/{id}/orgs", writeData, formBody, (*ui).createOrg},
	{"GET /addresses/{id}/visits/new", writeData, 0, (*ui).newAddressVisitForm},
	{"GET /households/{id}", readJurisdiction, 0, (*ui).household},
	{"GET /residents/{id}", readJurisdiction, 0, (*ui).resident},
	{"POST /residents/{id}", writeData, formBody, (*ui).updateResident},
	{"GET /residents/{id}/edit", writeData, 0, (*ui).editResidentForm},
	{"POST /check/id-number", writeData, formBody, (*ui).checkIDNumber},
	{"GET /houses/{id}", readJurisdiction, 0, (*ui).house},
	{"POST /houses/{id}", writeData, formBody, (*ui).updateHouse},
	{"GET /houses/{id}/edit", writeData, 0, (*ui).editHouseForm},
	{"POST /houses/{id}/rentals", writeData, formBody, (*ui).addRental},
	{"POST /houses/{id}/rentals/{rental}/end", writeData, formBody, (*ui).endRental},
	{"GET /orgs", readJurisdiction, 0, (*ui).orgList},
	{"GET /orgs/{id}", readJurisdiction, 0, (*ui).orgRecord},
	{"POST /orgs/{id}", writeData, formBody, (*ui).updateOrg},
	{"GET /orgs/{id}/edit", writeData, 0, (*ui).editOrgForm},
	{"POST /visits", writeData, visitBody, (*ui).createVisit},
	{"GET /visits/{id}", readJurisdiction, 0, (*ui).visit},
	{"GET /visits/{id}/photos/{photo}", readJurisdiction, 0, (*ui).visitPhoto},
	{"GET /review", manageStaff, 0, (*ui).reviewQueue},
	{"POST /review", manageStaff, formBody, (*ui).review},
	{"GET /conflicts", writeData, 0, (*ui).conflicts},
	{"GET /search", readJurisdiction, 0, (*ui).findForm},
	{"GET /ledger", readJurisdiction, 0, (*ui).ledger},
	{"GET /ledger/print", readJurisdiction, 0, (*ui).ledgerPrint},
	{"GET /ledger/export.xlsx", readJurisdiction, 0, (*ui).exportLedger},
	{"GET /import/records", writeData, 0, (*ui).recordImportForm},
	{"POST /import/records", writeData, recordUploadBody, (*ui).startRecordImport},
	{"GET /import/records/{id}", writeData, 0, (*ui).importJob},
	{"POST /import/records/{id}/cancel", writeData, formBody, (*ui).cancelImport},
	{"GET /import/records/{id}/report.xlsx", writeData, 0, (*ui).importReport},
	{"GET /import/templates/{kind}", writeData, 0, (*ui).recordTemplate},
	{"GET /import/export.xlsx", writeData, 0, (*ui).exportRegister},
	{"POST /search", readJurisdiction, formBody, (*ui).find},
	{"POST /conflicts/{id}/resolve", writeData, formBody, (*ui).resolveConflict},
	{"GET /staff", readJurisdiction, 0, (*ui).staffList},
	{"POST /staff", manageStaff, formBody, (*ui).createStaff},
	{"GET /staff/new", manageStaff, 0, (*ui).newStaffForm},
	{"GET /staff/import", manageStaff, 0, (*ui).staffImportForm},
	{"POST /staff/import", manageStaff, httpx.MaxUploadBody, (*ui).importStaff},
	{"GET /staff/template.xlsx", manageStaff, 0, (*ui).staffTemplate},
	{"GET /staff/export.xlsx", manageStaff, 0, (*ui).exportStaff},
	{"GET /staff/posts.xlsx", manageStaff, 0, (*ui).exportPosts},
	{"GET /staff/{id}", readJurisdiction, 0, (*ui).staffDetail},
	{"POST /staff/{id}", manageStaff, formBody, (*ui).updateStaff},
	{"GET /staff/{id}/edit", manageStaff, 0, (*ui).editStaffForm},
	{"GET /staff/{id}/photo", readJurisdiction, 0, (*ui).staffPhoto},
	{"POST /staff/{id}/photo", manageStaff, photoBody, (*ui).uploadStaffPhoto},
	{"GET /offices", readJurisdiction, 0, (*ui).offices},
	{"GET /offices/{code}", readJurisdiction, 0, (*ui).office},
	{"POST /offices/{code}", manageStaff, formBody, (*ui).updateOffice},
	{"POST /offices/{code}/checks", manageStaff, formBody, (*ui).checkOffice},
	{"POST /offices/{code}/photos", manageStaff, photoBody, (*ui).addOfficePhoto},
	{"GET /offices/{code}/photos/{id}", readJurisdiction, 0, (*ui).officePhoto},
	{"GET /admin/office-standard", manageStaffing, 0, (*ui).officeStandard},
	{"POST /admin/office-standard", manageStaffing, formBody, (*ui).saveOfficeStandard},
	{"GET /dual-posts", readJurisdiction, 0, (*ui).dualPosts},
	{"POST /dual-posts", manageStaff, formBody, (*ui).addDualPost},
	{"POST /dual-posts/{id}/end", manageStaff, formBody, (*ui).endDualPost},
	{"GET /admin/divisions", auth.Allow(cunjing.PermImportDivisions), 0, (*ui).importForm},
	{"POST /admin/divisions", auth.Allow(cunjing.PermImportDivisions), httpx.MaxUploadBody, (*ui).importDivisions},
	{"GET /audit", auth.Allow(cunjing.PermReadAudit), 0, (*ui).audit},
	{"GET /admin/users", manageAccounts, 0, (*ui).users},
	{"POST /admin/users", manageAccounts, formBody, (*ui).createUser},
	{"GET /admin/new-user", manageAccounts, 0, (*ui).newUserForm},
	{"GET /admin/users/{username}", manageAccounts, 0, (*ui).user},
	{"POST /admin/users/{username}", manageAccounts, formBody, (*ui).updateUser},
	{"GET /admin/users/{username}/edit", manageAccounts, 0, (*ui).editUserForm},
	{"POST /admin/users/{username}/disable", manageAccounts, formBody, (*ui).disableUser},
	{"POST /admin/users/{username}/enable", manageAccounts, formBody, (*ui).enableUser},
	{"POST /admin/users/{username}/reset", manageAccounts, formBody, (*ui).resetUser},
	{"GET /admin/staffing", manageStaffing, 0, (*ui).staffing},
	{"POST /admin/staffing", manageStaffing, formBody, (*ui).createModel},
	{"GET /admin/staffing/new", manageStaffing, 0, (*ui).newModelForm},
	{"GET /admin/staffing/{id}", manageStaffing, 0, (*ui).editModelForm},
	{"POST /admin/staffing/{id}", manageStaffing, formBody, (*ui).updateModel},
	{"POST /admin/staffing/{id}/delete", manageStaffing, formBody, (*ui).deleteModel},
	{"POST /admin/staffing/bindings", manageStaffing, formBody, (*ui).bindModel},
	{"GET /admin/security", auth.Allow(cunjing.PermManageSecurity), 0, (*ui).securityForm},
	{"POST /admin/security", auth.Allow(cunjing.PermManageSecurity), formBody, (*ui).saveSecurity},
	{"GET /break-glass", auth.Allow(cunjing.PermReadPersonal), 0, (*ui).breakGlassForm},
	{"POST /break-glass", auth.Allow(cunjing.PermReadPersonal), formBody, (*ui).breakGlass},
	{"GET /static/{path...}", auth.Public, 0, (*ui).static},
	{"/", auth.Public, 0, (*ui).notFound},
}

// formBody bounds the body of a plain form.
const formBody = 64 << 10

func (u *ui) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range routes {
		h := http.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { rt.handle(u, w, r) }))
		if rt.MaxBody > 0 {
			h = httpx.LimitBody(rt.MaxBody, h)
		}
		mux.Handle(rt.Pattern, auth.Require(rt.Policy, u.deny)(h))
	}
	return mux
}

// deny answers a request its route's policy refuses: a visitor goes to the
// login page, a half-logged-in user to what remains, a user without the
// permission gets 403.
func (u *ui) deny(w http.ResponseWriter, r *http.Request, status int) {
	id := cunjing.IdentityFrom(r.Context())
	switch {
	case status == http.StatusForbidden:
		u.errorPage(w, r, http.StatusForbidden)
	case id != nil && id.Restriction != "":
		http.Redirect(w, r, afterLogin(id.Restriction, r.URL.RequestURI()), http.StatusSeeOther)
	case r.Method == http.MethodGet:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	default:
		u.errorPage(w, r, http.StatusUnauthorized)
	}
}

// navLink is a navigation item as one page shows it.
type navLink struct {
	navItem
	Current bool
}

// navFor lists the items the identity may open, marking the one of the
// section that path belongs to. A visitor who is not logged in sees none.
func navFor(id *cunjing.Identity, path string) []navLink {
	var links []navLink
	for _, item := range nav {
		policy := auth.Allow(cunjing.PermReadJurisdiction)
		if item.Permission != "" {
			policy = auth.Allow(item.Permission)
		}
		if policy.Status(id) != 0 {
			continue
		}
		current := path == item.Path || item.Path != "/" && strings.HasPrefix(path, item.Path+"/")
		links = append(links, navLink{navItem: item, Current: current})
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
