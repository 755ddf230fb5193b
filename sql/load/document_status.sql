-- Has this document (by content) been seen before, and how did it end?
SELECT status FROM document WHERE sha256 = getvariable('load_sha256');
