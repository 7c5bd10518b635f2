-- Break-glass grants (SECURITY.md B6): a user may read one object outside
-- his routine scope, for the reason he stated, until expires_at. The id is
-- random text; object is "<kind>:<key>", e.g. "user:zhang".

CREATE TABLE break_glass (
    id         TEXT PRIMARY KEY,
    username   TEXT NOT NULL REFERENCES users (username),
    object     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX break_glass_user_object ON break_glass (username, object, expires_at);
