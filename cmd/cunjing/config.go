package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
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
