-- The jurisdiction tree (areas) and the police org tree (units).
-- Codes use the bytewise "C" collation so that "everything under X" is an
-- index range [X, X || '~') on both SQLite and PostgreSQL.

CREATE TABLE areas (
    code        TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parent_code TEXT COLLATE "C" REFERENCES areas (code),
    lng         DOUBLE PRECISION,
    lat         DOUBLE PRECISION,
    datum       TEXT,
    boundary    TEXT,
    updated_at  TEXT NOT NULL
);
CREATE INDEX areas_parent ON areas (parent_code, code);
CREATE INDEX areas_level_code ON areas (level, code);

CREATE TABLE units (
    code        TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parent_code TEXT COLLATE "C" REFERENCES units (code),
    path        TEXT COLLATE "C" NOT NULL UNIQUE,
    address     TEXT NOT NULL,
    phone       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX units_parent ON units (parent_code, code);

CREATE TABLE unit_areas (
    unit_code TEXT COLLATE "C" NOT NULL REFERENCES units (code) ON DELETE CASCADE,
    area_code TEXT COLLATE "C" NOT NULL REFERENCES areas (code),
    PRIMARY KEY (unit_code, area_code)
);
CREATE INDEX unit_areas_area ON unit_areas (area_code, unit_code);
