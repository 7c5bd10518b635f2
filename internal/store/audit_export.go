package store

import (
	"context"
	"fmt"

	"cunjing"
)

// ExportAudit calls fn with each audit row that matches f, newest first, at
// most limit of them, in one query, and then appends an audit_export row
// naming the filter and the number of rows. The page of f is not used. An
// error from fn ends the export with nothing recorded; it needs an identity
// in ctx.
func (s *Store) ExportAudit(ctx context.Context, f cunjing.AuditFilter, limit int, fn func(cunjing.AuditEvent) error) (int, bool, error) {
	if cunjing.IdentityFrom(ctx) == nil {
		return 0, false, errNoIdentity
	}
	if limit < 1 {
		return 0, false, fmt.Errorf("store: export audit: limit %d", limit)
	}
	query, args, err := auditQuery(f, cunjing.Page{Limit: limit})
	if err != nil {
		return 0, false, err
	}
	n, more := 0, false
	err = s.eachAudit(ctx, query, args, func(e cunjing.AuditEvent) error {
		if n == limit {
			more = true
			return nil
		}
		n++
		return fn(e)
	})
	if err != nil {
		return 0, false, err
	}
	detail := fmt.Sprintf("%d rows", n)
	if more {
		detail += fmt.Sprintf(", cut at %d", limit)
	}
	if err := s.Audit(ctx, cunjing.ActionAuditExport, describeAuditFilter(f), cunjing.ResultOK, detail); err != nil {
		return 0, false, err
	}
	return n, more, nil
}

// eachAudit runs a query of audit rows and calls fn with each, stopping at
// the first error.
func (s *Store) eachAudit(ctx context.Context, query string, args []any, fn func(cunjing.AuditEvent) error) error {
	rows, err := s.read.QueryContext(ctx, s.dialect.q(query), args...)
	if err != nil {
		return fmt.Errorf("store: query audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(r.dest()...); err != nil {
			return fmt.Errorf("store: scan audit: %w", err)
		}
		e, err := r.event()
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: query audit: %w", err)
	}
	return nil
}
