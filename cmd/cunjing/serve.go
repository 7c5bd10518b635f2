package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"cunjing"
	"cunjing/internal/api"
	"cunjing/internal/auth"
	"cunjing/internal/demo"
	"cunjing/internal/httpx"
	"cunjing/internal/importer"
	"cunjing/internal/store"
	"cunjing/internal/web"
)

// shutdownGrace is how long requests in flight may finish after a signal.
const shutdownGrace = 10 * time.Second

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg dbConfig
	fs := newFlagSet("serve", stderr)
	addDBFlags(fs, &cfg)
	addr := fs.String("addr", env("CUNJING_ADDR", "127.0.0.1:8080"), "listen address (env CUNJING_ADDR)")
	withDemo := fs.Bool("demo", false, "on an empty database, load the demo city (Pingdingshan), its police force and demo accounts, and then, in the background, its population")
	demoResidents := fs.Int("demo-residents", demo.DefaultResidents, "with --demo, the residents of the demo population")
	mfa := fs.String("mfa", env("CUNJING_MFA", ""), `second factor for roles that see personal data: "required" or "optional" (env CUNJING_MFA; default required, optional with --demo) until the security administrator sets a login policy`)
	retention := fs.String("audit-retention", env("CUNJING_AUDIT_RETENTION", "365d"),
		"how long audit rows are kept, at least 184d: days like 365d or a duration (env CUNJING_AUDIT_RETENTION)")
	publicURL := fs.String("public-url", env("CUNJING_PUBLIC_URL", ""),
		"base URL citizens reach, which the QR codes of contact cards link under, e.g. https://cunjing.example.gov.cn (env CUNJING_PUBLIC_URL; default: the address the request came to)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if _, err := parseAuditRetention(*retention); err != nil {
		return err
	}
	if err := checkPublicURL(*publicURL); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	start := time.Now()
	st, err := cfg.open(ctx, stdout)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := ensureFirstAdmin(ctx, st, stdout); err != nil {
		return err
	}
	if *withDemo {
		if err := loadDemo(ctx, st, logger, stdout); err != nil {
			return err
		}
	}
	authn, err := newAuthenticator(st, logger, *mfa, *withDemo)
	if err != nil {
		return err
	}
	jobs := &importer.RecordJobs{Store: st, Dir: filepath.Join(cfg.data, "imports"), Logger: logger}
	defer jobs.Stop() // runs before the store closes: the imports in hand resume at the next start
	// A bulk load of residents killed half way dropped their indexes.
	if err := st.RestoreImportIndexes(ctx); err != nil {
		return err
	}
	if err := jobs.Resume(ctx); err != nil {
		return fmt.Errorf("resume imports: %w", err)
	}
	handler, err := newHandler(st, authn, jobs, logger, *publicURL)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	logger.Info("ready", "engine", st.Engine(), "took", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "cunjing is ready: open http://%s/\n", ln.Addr())
	if *withDemo {
		defer populateDemo(ctx, st, logger, *demoResidents)() // starts now, waits at the end
	}
	return runServer(ctx, ln, handler, logger)
}

// newAuthenticator is the login policy of the server: the 等保 password
// profile, the default throttle and, unless mfa says "optional", a second
// factor for every role that sees personal data. The demo makes it optional
// by default so that its accounts open with the printed password alone.
// Once the security administrator stores a login policy, it replaces the
// password profile and mfa.
func newAuthenticator(st *store.Store, logger *slog.Logger, mfa string, demoMode bool) (*auth.Authenticator, error) {
	if mfa == "" {
		mfa = map[bool]string{true: "optional", false: "required"}[demoMode]
	}
	if mfa != "required" && mfa != "optional" {
		return nil, fmt.Errorf("%w: --mfa must be required or optional, not %q", errUsage, mfa)
	}
	return &auth.Authenticator{Store: st, Policy: auth.DefaultPolicy, Throttle: auth.DefaultThrottle,
		RequireMFA: mfa == "required", Policies: st, Now: time.Now, Logger: logger}, nil
}

// newHandler puts the API, the UI and the shared middleware together.
func newHandler(st *store.Store, authn *auth.Authenticator, jobs *importer.RecordJobs, logger *slog.Logger, publicURL string) (http.Handler, error) {
	importFiles := func(ctx context.Context, files ...importer.File) (*importer.DivisionReport, error) {
		return importer.ImportDivisions(ctx, st, files...)
	}
	ui, err := web.New(web.Deps{RecordJobs: jobs, RecordImports: st, RecordExports: st, Search: st, Addresses: st, Residents: st, Houses: st, Orgs: st, Visits: st, Reviews: st, Auth: authn, Exports: st, StaffImport: st, DualPosts: st, Offices: st, PublicURL: publicURL, Cards: st, Coverage: st, Staff: st, Assignments: st, Staffing: st, Areas: st, Units: st, Audit: st, Users: st, Grants: st, Policies: st, Import: importFiles, Logger: logger})
	if err != nil {
		return nil, err
	}
	apiHandler := api.New(api.Deps{RecordJobs: jobs, RecordImports: st, RecordExports: st, Auth: authn, Residents: st, Addresses: st, Reviews: st, Houses: st, Orgs: st, Visits: st, Exports: st, StaffImport: st, DualPosts: st, Offices: st, Cards: st, Coverage: st, Staff: st, Assignments: st, Staffing: st, Search: st, Areas: st, Units: st, Users: st, Grants: st, Audit: st, Policies: st, Import: importFiles,
		Ping: st.Ping, Logger: logger})
	mux := http.NewServeMux()
	mux.Handle("/api/", apiHandler)
	mux.Handle("/healthz", apiHandler)
	mux.Handle("/", ui)
	var h http.Handler = http.NewCrossOriginProtection().Handler(authn.Identify(mux))
	h = httpx.SecurityHeaders(h)
	h = httpx.Recover(logger, failGenerically, h)
	return httpx.Log(logger, h), nil
}

// failGenerically answers a request whose handler panicked: JSON for the
// API, a plain page elsewhere, with nothing of the cause.
func failGenerically(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		api.Fail(w, r)
		return
	}
	http.Error(w, "500 服务器内部错误 · internal server error", http.StatusInternalServerError)
}

// runServer serves until ctx ends, then lets requests in flight finish.
func runServer(ctx context.Context, ln net.Listener, h http.Handler, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads of large registers
		WriteTimeout:      5 * time.Minute, // exports
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// ensureFirstAdmin creates the account "admin" on a database without
// accounts, with CUNJING_ADMIN_PASSWORD or a generated password printed once.
func ensureFirstAdmin(ctx context.Context, users cunjing.UserService, stdout io.Writer) error {
	password, generated := env("CUNJING_ADMIN_PASSWORD", ""), false
	if password == "" {
		password, generated = auth.GeneratePassword(), true
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	created, err := users.CreateFirstUser(ctx, cunjing.User{Username: cunjing.FirstAdminName, DisplayName: "系统管理员",
		PasswordHash: hash, Role: cunjing.RoleSystemAdmin, MustChangePassword: generated})
	if err != nil {
		return err
	}
	if created && generated {
		fmt.Fprintf(stdout, "first administrator: user %q, password %s (shown only this once)\n", cunjing.FirstAdminName, password)
	}
	return nil
}

func loadDemo(ctx context.Context, st *store.Store, logger *slog.Logger, stdout io.Writer) error {
	start := time.Now()
	loaded, err := demo.Load(ctx, st)
	if err != nil {
		return err
	}
	if !loaded {
		return nil
	}
	logger.Info("demo city loaded", "city", demo.CityCode, "took", time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "demo accounts, each with the password %s:\n", demo.AccountPassword)
	for _, a := range demo.Accounts {
		fmt.Fprintf(stdout, "  %-9s %s (%s)\n", a.Username, a.DisplayName, a.Role)
	}
	return nil
}
