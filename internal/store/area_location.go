package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"cunjing"
)

// SetAreaLocation sets the coordinates of an area in scope (a village,
// community, grid, venue or any other), or clears them when p is nil,
// audited with the new value.
func (s *Store) SetAreaLocation(ctx context.Context, code string, p *cunjing.Point) error {
	if p != nil && !p.Valid() {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the location is not valid",
			Fields: map[string]string{"location": cunjing.PointProblem}}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.areaInScope(ctx, tx, code); err != nil {
			return err
		}
		lng, lat, datum := pointArgs(p)
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE areas SET lng = ?, lat = ?, datum = ?, updated_at = ? WHERE code = ?"),
			lng, lat, datum, timestamp(s.now()), code); err != nil {
			return fmt.Errorf("store: set area location: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionAreaUpdate, code, cunjing.ResultOK, locationDetail(p))
	})
}

// locationDetail describes a location change for the audit trail.
func locationDetail(p *cunjing.Point) string {
	if p == nil {
		return "location cleared"
	}
	return "location " + strconv.FormatFloat(p.Lng, 'f', -1, 64) + ", " + strconv.FormatFloat(p.Lat, 'f', -1, 64) + " " + p.Datum
}
