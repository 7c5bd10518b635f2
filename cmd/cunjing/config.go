package main

import (
	"context"
	"cunjing/internal/fieldcrypt"
	"cunjing/internal/store"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"cunjing"
)

// dbConfig is where the data lives: a folder for the SQLite file and other
// files, and the database to use (a SQLite path or a postgres:// DSN).
type dbConfig struct {
	data string
	db   string
}

// newFlagSet returns a flag set for a subcommand that prints its errors to
// stderr and returns them rather than exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("cunjing "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// addDBFlags registers --data and --db with their environment fallbacks.
func addDBFlags(fs *flag.FlagSet, c *dbConfig) {
	fs.StringVar(&c.data, "data", env("CUNJING_DATA", "./cunjing-data"), "data folder (env CUNJING_DATA)")
	fs.StringVar(&c.db, "db", env("CUNJING_DB", ""), "database: a SQLite file, or a postgres:// DSN (env CUNJING_DB; default DATA/cunjing.db)")
}

// dsn is the database to open: --db, or the SQLite file in the data folder.
func (c dbConfig) dsn() string {
	if c.db != "" {
		return c.db
	}
	return filepath.Join(c.data, "cunjing.db")
}

// open opens the database with the data key that seals personal fields —
// CUNJING_DATA_KEY, or the key file in the data folder, made on first use —
// for the commands that read or write them; the others open the store
// alone. A new key is announced on stdout, like the first admin's password (stderr
// holds the structured log), since the data cannot be read without it.
func (c dbConfig) open(ctx context.Context, stdout io.Writer) (*store.Store, error) {
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	keyFile := filepath.Join(c.data, "data.key")
	cipher, created, err := fieldcrypt.Load(keyFile)
	if err != nil {
		return nil, err
	}
	if created {
		fmt.Fprintf(stdout, "created the data key %s: back it up apart from the database; without it ID numbers and phones cannot be read\n", keyFile)
	}
	st, err := store.Open(ctx, c.dsn())
	if err != nil {
		return nil, err
	}
	st.UseCipher(cipher)
	return st, nil
}

// parseFlags parses args, turning flag errors into errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

func env(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}

// parseAuditRetention reads --audit-retention: a Go duration ("4416h") or
// a number of days ("365d"). Below cunjing.MinAuditRetention it is refused.
// The app never purges audit rows: retention is the promise that they are
// kept at least this long.
func parseAuditRetention(value string) (time.Duration, error) {
	const day = 24 * time.Hour
	d, err := time.ParseDuration(value)
	if days, ok := strings.CutSuffix(value, "d"); ok {
		n, perr := strconv.ParseUint(days, 10, 16) // up to 65,535 days: no overflow
		d, err = time.Duration(n)*day, perr
	}
	if err != nil {
		return 0, fmt.Errorf("audit retention %q: want a number of days like 365d or a duration like 4416h", value)
	}
	if d < cunjing.MinAuditRetention {
		return 0, fmt.Errorf("audit retention %s is below the minimum of %d days: audit rows must be kept at least six months",
			value, cunjing.MinAuditRetention/day)
	}
	return d, nil
}

// version is the module version or the VCS revision the binary was built from.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	rev, modified := "", ""
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+dirty"
			}
		}
	}
	if rev == "" {
		return "devel"
	}
	return "devel-" + rev[:min(12, len(rev))] + modified
}
