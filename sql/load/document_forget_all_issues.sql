-- An unreadable document parsed again: every issue found in it goes, wherever it was filed.
DELETE FROM document WHERE sha256 = $sha256;
DELETE FROM quality_issue WHERE sha256 = $sha256;
