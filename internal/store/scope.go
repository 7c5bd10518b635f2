package store

import (
	"context"
	"strings"

	"cunjing"
)

// scopeOf returns the scope of the identity in ctx; with none the store
// refuses to answer, so that a forgotten identity fails closed.
func scopeOf(ctx context.Context) (cunjing.Scope, error) {
	id := cunjing.IdentityFrom(ctx)
	if id == nil {
		return cunjing.Scope{}, errNoIdentity
	}
	return id.Scope, nil
}

// inScope returns the SQL condition that an area-code column lies inside
// the scope of ctx, with its arguments; "" when the scope is everything.
func inScope(ctx context.Context, column string) (string, []any, error) {
	scope, err := scopeOf(ctx)
	if err != nil || scope.All {
		return "", nil, err
	}
	return prefixRanges(column, scope.Prefixes)
}

// prefixRanges is "column lies under one of the prefixes" as index ranges.
func prefixRanges(column string, prefixes []string) (string, []any, error) {
	if len(prefixes) == 0 {
		return "1 = 0", nil, nil
	}
	conds := make([]string, len(prefixes))
	args := make([]any, 0, 2*len(prefixes))
	for i, p := range prefixes {
		conds[i] = column + " >= ? AND " + column + " < ?"
		args = append(args, p, p+cunjing.CodeUpperBound)
	}
	return "(" + strings.Join(conds, " OR ") + ")", args, nil
}

// unitInScope returns the SQL condition that a unit (by its code column)
// shares part of its jurisdiction with the scope of ctx: an area of it lies
// inside the scope, or it covers an area of the scope (the bureaus and the
// station above an officer's villages).
func unitInScope(ctx context.Context, codeColumn string) (string, []any, error) {
	scope, err := scopeOf(ctx)
	if err != nil || scope.All {
		return "", nil, err
	}
	inside, args, _ := prefixRanges("area_code", scope.Prefixes)
	var above []string
	for _, p := range scope.Prefixes {
		above = append(above, append(cunjing.AncestorCodes(p), p)...)
	}
	cond := codeColumn + " IN (SELECT unit_code FROM unit_areas WHERE " + inside
	if len(above) > 0 {
		cond += " OR area_code IN (" + marks(len(above)) + ")"
		args = append(args, anySlice(above)...)
	}
	return cond + ")", args, nil
}
