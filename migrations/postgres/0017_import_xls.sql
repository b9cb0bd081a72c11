-- Legacy Excel .xls files (1C and old Excel still write them) are read like .xlsx (issue 15).
ALTER TABLE imports DROP CONSTRAINT imports_format_check;
ALTER TABLE imports ADD CONSTRAINT imports_format_check CHECK (format IN ('csv', 'xlsx', 'xls'));
