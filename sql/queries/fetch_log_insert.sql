-- The rows of one collection run, registered by the caller as `new_fetch_log_rows`, in one statement.
INSERT INTO fetch_log BY NAME
SELECT * FROM new_fetch_log_rows;
