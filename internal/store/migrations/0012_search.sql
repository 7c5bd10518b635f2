-- Search (issue 5, item 6): the keys residents are found by, indexed so
-- that a search answers from index entries alone and reads only the rows
-- it returns (docs/performance.md, "Search").
--
-- A caller whose scope is a town or more walks the index of the key typed
-- (name, full pinyin, initials, the last four characters of the ID number)
-- in order and keeps the entries inside his scope: the id ends each key so
-- that PostgreSQL walks it index-only, checking the area on the entries
-- instead of reading a row for each one.
DROP INDEX residents_name;
DROP INDEX residents_initials;
DROP INDEX residents_py;
DROP INDEX residents_id_tail;
CREATE INDEX residents_name ON residents (name, area_code, id);
CREATE INDEX residents_initials ON residents (name_initials, area_code, id);
CREATE INDEX residents_py ON residents (name_py, area_code, id);
CREATE INDEX residents_id_tail ON residents (id_tail, area_code, id);

-- A caller whose scope is a few villages walks the entries of his villages
-- alone, in the order of the area, matching the prefix on any of the keys.
CREATE INDEX residents_area_names ON residents (area_code, name_initials, name_py, name, id);
