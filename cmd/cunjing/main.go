// Command cunjing runs the cunjing (村警) community-policing platform.
//
//	cunjing serve [--demo]            run the web UI and JSON API
//	cunjing migrate                   apply database migrations
//	cunjing import divisions FILE...  import official division codes (NBS CSV)
//	cunjing import residents FILE     import a register (also addresses, houses, rentals, orgs)
//	cunjing export residents …        export a register under an area to XLSX
//	cunjing gen --out DIR             write a synthetic population as CSV files
//	cunjing audit verify              check the hash chain of the audit trail
//	cunjing version                   print the version
//
// Every command that touches the database takes --data and --db; each flag
// falls back to an environment variable (CUNJING_DATA, CUNJING_DB, …).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"cunjing"
)

// errUsage marks a command line that could not be understood (exit 2).
var errUsage = errors.New("usage")

// errReported marks a failure already explained to the user (exit 1).
var errReported = errors.New("reported")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case errors.Is(err, errReported):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "cunjing:", err)
		os.Exit(1)
	}
}

const usage = `cunjing (村警) — one police officer for every village, grid and venue.

Usage:
  cunjing serve [--demo] [--addr ADDR] [--data DIR] [--db DSN]
  cunjing migrate [--data DIR] [--db DSN]
  cunjing import divisions [--data DIR] [--db DSN] FILE...
  cunjing import residents|addresses|houses|rentals|orgs [--mode add|upsert] [--data DIR] [--db DSN] FILE
  cunjing export residents|addresses|houses|orgs --under CODE --out FILE.xlsx [--data DIR] [--db DSN]
  cunjing gen [--residents N] [--seed S] [--under CODE] --out DIR
  cunjing audit verify [--data DIR] [--db DSN]
  cunjing user add|reset|disable [--data DIR] [--db DSN] …
  cunjing version

Run "cunjing COMMAND -h" for the flags of a command.
`

// run executes one command line; ctx ends on SIGINT or SIGTERM.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	// Commands and start-up work act as the system, also in the audit trail.
	ctx = cunjing.WithIdentity(ctx, cunjing.SystemIdentity)
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], stdout, stderr)
	case "import":
		switch {
		case len(args) >= 2 && args[1] == "divisions":
			return importDivisions(ctx, args[2:], stdout, stderr)
		case len(args) >= 2 && slices.Contains(cunjing.ImportKinds, cunjing.ImportKind(args[1])):
			return importRecords(ctx, cunjing.ImportKind(args[1]), args[2:], stdout, stderr)
		}
		fmt.Fprint(stderr, "usage: cunjing import divisions|residents|addresses|houses|rentals|orgs FILE...\n")
		return errUsage
	case "export":
		return exportRecords(ctx, args[1:], stdout, stderr)
	case "gen":
		return genCommand(ctx, args[1:], stdout, stderr)
	case "user":
		return userCommand(ctx, args[1:], stdout, stderr)
	case "audit":
		return auditCommand(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "cunjing", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "cunjing: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
