-- Settings changed at run time by an administrator, such as the login
-- policy (name "login_policy"): one row per setting, its value as JSON,
-- with who changed it last and when. Every change is also audited.

CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
