package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"cunjing"
)

var _ cunjing.StaffingService = (*Store)(nil)

// modelRuleJSON is how a model's rules are stored: a JSON array.
type modelRuleJSON struct {
	Roles []cunjing.PostRole `json:"roles"`
	Min   int                `json:"min"`
	Max   int                `json:"max"`
}

// StaffingModels lists every staffing model, by name.
func (s *Store) StaffingModels(ctx context.Context) ([]cunjing.StaffingModel, error) {
	if _, err := scopeOf(ctx); err != nil {
		return nil, err
	}
	return s.loadModels(ctx, s.read)
}

func (s *Store) loadModels(ctx context.Context, db querier) ([]cunjing.StaffingModel, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, name, description, rules, max_areas, max_km FROM staffing_models ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("store: read staffing models: %w", err)
	}
	defer rows.Close()
	var models []cunjing.StaffingModel
	for rows.Next() {
		var m cunjing.StaffingModel
		var rules string
		if err := rows.Scan(&m.ID, &m.Name, &m.Description, &rules, &m.MaxAreasPerOfficer, &m.MaxDistanceKm); err != nil {
			return nil, fmt.Errorf("store: read staffing models: %w", err)
		}
		var stored []modelRuleJSON
		if err := json.Unmarshal([]byte(rules), &stored); err != nil {
			return nil, fmt.Errorf("store: staffing model %d: %w", m.ID, err)
		}
		for _, r := range stored {
			m.Rules = append(m.Rules, cunjing.ModelRule(r))
		}
		models = append(models, m)
	}
	return models, rows.Err()
}

// SaveStaffingModel creates (ID 0) or changes a staffing model.
func (s *Store) SaveStaffingModel(ctx context.Context, m cunjing.StaffingModel) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	stored := make([]modelRuleJSON, len(m.Rules))
	for i, r := range m.Rules {
		stored[i] = modelRuleJSON(r)
	}
	rules, _ := json.Marshal(stored)
	id := m.ID
	err := s.inWriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		if id == 0 {
			err = tx.QueryRowContext(ctx, s.dialect.q(`INSERT INTO staffing_models (name, description, rules, max_areas, max_km, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), m.Name, m.Description, string(rules), m.MaxAreasPerOfficer, m.MaxDistanceKm,
				timestamp(s.now())).Scan(&id)
		} else {
			if err := s.checkModelInScope(ctx, tx, id); err != nil {
				return err
			}
			var res sql.Result
			res, err = tx.ExecContext(ctx, s.dialect.q(`UPDATE staffing_models SET name = ?, description = ?, rules = ?, max_areas = ?,
				max_km = ?, updated_at = ? WHERE id = ?`), m.Name, m.Description, string(rules), m.MaxAreasPerOfficer, m.MaxDistanceKm,
				timestamp(s.now()), id)
			if err == nil {
				err = mustAffect(res, "staffing model")
			}
		}
		if isUniqueViolation(err) {
			return &cunjing.Error{Code: cunjing.EConflict, Message: "a model named " + m.Name + " exists",
				Fields: map[string]string{"name": "already used"}}
		}
		if err != nil {
			return fmt.Errorf("store: save staffing model: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionStaffingChange, fmt.Sprintf("model:%d", id), cunjing.ResultOK, m.Name+" "+string(rules))
	})
	return id, err
}

// checkModelInScope refuses to change a model that also applies outside
// the caller's scope: a county may not change another county's model.
func (s *Store) checkModelInScope(ctx context.Context, tx *sql.Tx, id int64) error {
	cond, args, err := inScope(ctx, "area_code")
	if err != nil || cond == "" {
		return err
	}
	var outside int
	err = tx.QueryRowContext(ctx, s.dialect.q("SELECT COUNT(*) FROM model_bindings WHERE model_id = ? AND NOT "+cond),
		append([]any{id}, args...)...).Scan(&outside)
	if err != nil {
		return fmt.Errorf("store: check model bindings: %w", err)
	}
	if outside > 0 {
		return cunjing.Errorf(cunjing.EForbidden, "the model also applies outside your jurisdiction; save a copy under another name")
	}
	return nil
}

// DeleteStaffingModel removes a model that no area is bound to.
func (s *Store) DeleteStaffingModel(ctx context.Context, id int64) error {
	if _, err := scopeOf(ctx); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		var bound int
		err := tx.QueryRowContext(ctx, s.dialect.q("SELECT COUNT(*) FROM model_bindings WHERE model_id = ?"), id).Scan(&bound)
		if err != nil {
			return fmt.Errorf("store: check model bindings: %w", err)
		}
		if bound > 0 {
			return cunjing.Errorf(cunjing.EConflict, "the model still applies to %d areas; bind them to another model first", bound)
		}
		var name string
		err = tx.QueryRowContext(ctx, s.dialect.q("DELETE FROM staffing_models WHERE id = ? RETURNING name"), id).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return cunjing.Errorf(cunjing.ENotFound, "staffing model %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("store: delete staffing model: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionStaffingChange, fmt.Sprintf("model:%d", id), cunjing.ResultOK, "delete "+name)
	})
}

// ModelBindings lists the bindings on areas in scope and on the areas above
// them, by code.
func (s *Store) ModelBindings(ctx context.Context) ([]cunjing.ModelBinding, error) {
	scope, err := scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.loadBindings(ctx, s.read)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(b cunjing.ModelBinding) bool {
		return !scope.All && !scope.Covers(b.AreaCode) && !scopeBelow(scope, b.AreaCode)
	}), nil
}

// scopeBelow reports whether some of the scope lies under code.
func scopeBelow(scope cunjing.Scope, code string) bool {
	for _, p := range scope.Prefixes {
		if len(p) > len(code) && p[:len(code)] == code {
			return true
		}
	}
	return false
}

func (s *Store) loadBindings(ctx context.Context, db querier) ([]cunjing.ModelBinding, error) {
	rows, err := db.QueryContext(ctx, `SELECT b.area_code, b.area_kind, b.model_id, a.name, m.name FROM model_bindings b
		JOIN staffing_models m ON m.id = b.model_id JOIN areas a ON a.code = b.area_code ORDER BY b.area_code, b.area_kind`)
	if err != nil {
		return nil, fmt.Errorf("store: read model bindings: %w", err)
	}
	defer rows.Close()
	var bindings []cunjing.ModelBinding
	for rows.Next() {
		var b cunjing.ModelBinding
		var kind string
		if err := rows.Scan(&b.AreaCode, &kind, &b.ModelID, &b.AreaName, &b.ModelName); err != nil {
			return nil, fmt.Errorf("store: read model bindings: %w", err)
		}
		b.AreaKind = cunjing.Kind(kind)
		bindings = append(bindings, b)
	}
	return bindings, rows.Err()
}

// BindModel applies a model to the areas under a code in scope, of one
// kind or all; model 0 removes the binding.
func (s *Store) BindModel(ctx context.Context, b cunjing.ModelBinding) error {
	if b.AreaKind != "" && !slices.Contains(cunjing.CoverageKinds, b.AreaKind) {
		return &cunjing.Error{Code: cunjing.EInvalid, Message: "the binding is not valid",
			Fields: map[string]string{"area_kind": "must be village, community, grid, venue or empty"}}
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		if _, err := s.areaInScope(ctx, tx, b.AreaCode); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q("DELETE FROM model_bindings WHERE area_code = ? AND area_kind = ?"),
			b.AreaCode, string(b.AreaKind)); err != nil {
			return fmt.Errorf("store: unbind model: %w", err)
		}
		if b.ModelID != 0 {
			_, err := tx.ExecContext(ctx, s.dialect.q("INSERT INTO model_bindings (area_code, area_kind, model_id) VALUES (?, ?, ?)"),
				b.AreaCode, string(b.AreaKind), b.ModelID)
			if isForeignKeyViolation(err) {
				return &cunjing.Error{Code: cunjing.EInvalid, Message: "no such staffing model",
					Fields: map[string]string{"model_id": "unknown model"}}
			}
			if err != nil {
				return fmt.Errorf("store: bind model: %w", err)
			}
		}
		return s.auditTx(ctx, tx, cunjing.ActionStaffingChange, b.AreaCode, cunjing.ResultOK,
			fmt.Sprintf("kind %q model %d", b.AreaKind, b.ModelID))
	})
}

// pickModel returns the staffing model that applies to an area.
func pickModel(bindings []cunjing.ModelBinding, models []cunjing.StaffingModel, a *cunjing.Area) cunjing.StaffingModel {
	b, ok := cunjing.ModelFor(bindings, a.Code, a.Kind)
	if !ok {
		return cunjing.DefaultStaffingModel
	}
	for _, m := range models {
		if m.ID == b.ModelID {
			return m
		}
	}
	return cunjing.DefaultStaffingModel
}
