-- Accounts with roles and units, login throttling, sessions and API tokens.

ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN unit_code TEXT COLLATE "C" REFERENCES units (code);
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN password_changed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN first_failed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN locked_until TEXT NOT NULL DEFAULT '';
CREATE INDEX users_unit ON users (unit_code);

-- Failed logins per client address, against password spraying.
CREATE TABLE login_ip_failures (
    ip           TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    failures     INTEGER NOT NULL
);

-- Browser sessions and API tokens. Only the SHA-256 of the secret is kept.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES users (username),
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    mfa_pending  BOOLEAN NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (username, kind);
