-- The append-only, hash-chained audit trail. The application only ever
-- INSERTs into audit_log; each row's hash covers its content and the hash
-- of the row before, so an edited or deleted row breaks the chain.
-- audit_head holds the last sequence number and hash: updating it first
-- serialises writers (a row lock on PostgreSQL, the one writer on SQLite).

CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL DEFAULT '',
    unit_code  TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    object     TEXT NOT NULL DEFAULT '',
    result     TEXT NOT NULL,
    request_id TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
CREATE INDEX audit_log_action_at ON audit_log (action, at);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
