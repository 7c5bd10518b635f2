-- Imports of basic information (issue 5, item 8): the counts a job shows
-- beside added, updated and refused; the rows an import refused, as they
-- were in the file, for the report the user fixes and imports again —
-- sealed like every personal field, since they hold ID numbers and phones;
-- rentals tagged with the job that added them, so that cancelling the job
-- deletes them like the other records; and households found by 户号.
ALTER TABLE import_jobs ADD COLUMN unchanged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN addresses_added BIGINT NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN households_added BIGINT NOT NULL DEFAULT 0;
ALTER TABLE rentals ADD COLUMN import_job BIGINT;

CREATE TABLE import_rows (
    job_id     BIGINT NOT NULL REFERENCES import_jobs (id),
    row_number BIGINT NOT NULL,
    cells      BYTEA NOT NULL,
    PRIMARY KEY (job_id, row_number)
);

CREATE INDEX households_number ON households (area_code, number) WHERE number <> '';
