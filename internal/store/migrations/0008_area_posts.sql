-- The posts in force of each area, aggregated as "role:staff role:staff …",
-- kept by the store in the transaction of every change to assignments, so
-- that the coverage report reads one row per area instead of one per post.

CREATE TABLE area_posts (
    area_code TEXT COLLATE "C" PRIMARY KEY REFERENCES areas (code),
    posts     TEXT NOT NULL
);
-- Read in code order with the posts: an index-only scan on both engines.
CREATE INDEX area_posts_by_code ON area_posts (area_code, posts);

INSERT INTO area_posts (area_code, posts)
    SELECT area_code, string_agg(role || ':' || CAST(staff_id AS TEXT), ' ')
    FROM assignments WHERE end_date = '' GROUP BY area_code;

-- The coverage report walks every area of a subtree by code with its level
-- and kind; this index answers it without reading the table.
CREATE INDEX areas_code_level_kind ON areas (code, level, kind);
