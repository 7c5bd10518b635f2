package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cunjing"
)

var _ cunjing.LoginPolicyService = (*Store)(nil)

// loginPolicySetting is the name of the login policy's settings row, and
// the object of its audit rows.
const loginPolicySetting = "login_policy"

// settingQuery reads the value of one setting.
const settingQuery = "SELECT value FROM settings WHERE name = ?"

var errNoLoginPolicy = cunjing.Errorf(cunjing.ENotFound, "no login policy is stored")

// loginPolicyJSON is the stored form of a login policy.
type loginPolicyJSON struct {
	MinLength     int   `json:"min_length"`
	MinClasses    int   `json:"min_classes"`
	MaxAgeSeconds int64 `json:"max_age_seconds"`
	Blocklist     bool  `json:"blocklist"`
	RequireMFA    bool  `json:"require_mfa"`
}

// LoginPolicy returns the stored login policy, or ENotFound when none was
// ever set. Logins and every request read it, on a prepared statement.
func (s *Store) LoginPolicy(ctx context.Context) (cunjing.LoginPolicy, error) {
	stmt, err := s.readStmt(ctx, settingQuery)
	if err != nil {
		return cunjing.LoginPolicy{}, err
	}
	return scanLoginPolicy(stmt.QueryRowContext(ctx, loginPolicySetting))
}

func scanLoginPolicy(row *sql.Row) (cunjing.LoginPolicy, error) {
	var value string
	switch err := row.Scan(&value); {
	case errors.Is(err, sql.ErrNoRows):
		return cunjing.LoginPolicy{}, errNoLoginPolicy
	case err != nil:
		return cunjing.LoginPolicy{}, fmt.Errorf("store: read login policy: %w", err)
	}
	return parseLoginPolicy(value)
}

// parseLoginPolicy reads the stored JSON form of a login policy.
func parseLoginPolicy(value string) (cunjing.LoginPolicy, error) {
	var j loginPolicyJSON
	if err := json.Unmarshal([]byte(value), &j); err != nil {
		return cunjing.LoginPolicy{}, fmt.Errorf("store: read login policy: %w", err)
	}
	return cunjing.LoginPolicy{MinLength: j.MinLength, MinClasses: j.MinClasses,
		MaxAge: time.Duration(j.MaxAgeSeconds) * time.Second, Blocklist: j.Blocklist, RequireMFA: j.RequireMFA}, nil
}

// SetLoginPolicy validates p and stores it as the login policy, with an
// audit row (config_change) saying what changed, in one transaction. Only
// the security administrator may.
func (s *Store) SetLoginPolicy(ctx context.Context, p cunjing.LoginPolicy) error {
	id := cunjing.IdentityFrom(ctx)
	if id == nil {
		return errNoIdentity
	}
	if !id.Role.Can(cunjing.PermManageSecurity) {
		return cunjing.Errorf(cunjing.EForbidden, "only the security administrator sets the login policy")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	value, err := json.Marshal(loginPolicyJSON{MinLength: p.MinLength, MinClasses: p.MinClasses,
		MaxAgeSeconds: int64(p.MaxAge / time.Second), Blocklist: p.Blocklist, RequireMFA: p.RequireMFA})
	if err != nil {
		return fmt.Errorf("store: encode login policy: %w", err)
	}
	return s.inWriteTx(ctx, func(tx *sql.Tx) error {
		// Lock the row, once it exists, so that concurrent changes each
		// record the policy they replaced.
		if _, err := tx.ExecContext(ctx, s.dialect.q("UPDATE settings SET updated_at = updated_at WHERE name = ?"),
			loginPolicySetting); err != nil {
			return fmt.Errorf("store: lock login policy: %w", err)
		}
		old, err := scanLoginPolicy(tx.QueryRowContext(ctx, s.dialect.q(settingQuery), loginPolicySetting))
		stored := err == nil
		if err != nil && err != errNoLoginPolicy {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.dialect.q(`INSERT INTO settings (name, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
			loginPolicySetting, string(value), timestamp(s.now()), cunjing.CanonicalUsername(id.Username)); err != nil {
			return fmt.Errorf("store: set login policy: %w", err)
		}
		return s.auditTx(ctx, tx, cunjing.ActionConfigChange, loginPolicySetting, cunjing.ResultOK,
			policyChange(old, stored, p))
	})
}

// policyChange sums up a change of the login policy for the audit trail,
// e.g. "min_length 8 → 14, require_mfa false → true"; when none was stored
// before, "start-up defaults → " and every setting.
func policyChange(old cunjing.LoginPolicy, stored bool, p cunjing.LoginPolicy) string {
	before, after := policySettings(old), policySettings(p)
	var parts []string
	for i, a := range after {
		switch {
		case !stored:
			parts = append(parts, a[0]+" "+a[1])
		case before[i][1] != a[1]:
			parts = append(parts, a[0]+" "+before[i][1]+" → "+a[1])
		}
	}
	switch {
	case !stored:
		return "start-up defaults → " + strings.Join(parts, ", ")
	case len(parts) == 0:
		return "unchanged"
	}
	return strings.Join(parts, ", ")
}

// policySettings lists the settings of a policy as name and value.
func policySettings(p cunjing.LoginPolicy) [][2]string {
	return [][2]string{
		{"min_length", strconv.Itoa(p.MinLength)},
		{"min_classes", strconv.Itoa(p.MinClasses)},
		{"max_age_days", strconv.FormatFloat(p.MaxAge.Hours()/24, 'f', -1, 64)},
		{"blocklist", strconv.FormatBool(p.Blocklist)},
		{"require_mfa", strconv.FormatBool(p.RequireMFA)},
	}
}
