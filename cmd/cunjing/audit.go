package main

import (
	"context"
	"fmt"
	"io"

	"cunjing/internal/store"
)

// auditCommand runs "cunjing audit verify".
func auditCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(stderr, "usage: cunjing audit verify [--data DIR] [--db DSN]\n")
		return errUsage
	}
	var cfg dbConfig
	fs := newFlagSet("audit verify", stderr)
	addDBFlags(fs, &cfg)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	st, err := store.Open(ctx, cfg.dsn())
	if err != nil {
		return err
	}
	defer st.Close()
	return verifyAudit(ctx, st, stdout)
}

// verifyAudit checks the hash chain and names the first bad row.
func verifyAudit(ctx context.Context, st *store.Store, stdout io.Writer) error {
	bad, reason, err := st.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if bad != 0 {
		fmt.Fprintf(stdout, "audit trail broken at row %d: %s\n", bad, reason)
		return errReported
	}
	n, err := st.AuditLength(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit trail intact: %d rows\n", n)
	return nil
}
