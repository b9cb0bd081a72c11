-- Credit notes (issue 17): an `invoices` row of kind 'credit_note' that takes part of an issued invoice back
-- (goods returned, a price cut), line by line (`credits_line_id`: the invoice line it credits). The invoice
-- keeps what its live credit notes took off (`credited_minor`; per line `credited_milli`, in the line's unit),
-- and owes `total_minor - paid_minor - credited_minor`: never below zero (money a credit note frees is given
-- back to the invoice's payments as the customer's advance first). A credit note owes nothing itself.
ALTER TABLE invoices ADD COLUMN credited_minor BIGINT NOT NULL DEFAULT 0 CHECK (credited_minor >= 0);
ALTER TABLE invoice_lines ADD COLUMN credits_line_id BIGINT REFERENCES invoice_lines (id);
ALTER TABLE invoice_lines ADD COLUMN credited_milli BIGINT NOT NULL DEFAULT 0 CHECK (credited_milli >= 0);
DROP INDEX invoices_open;
CREATE INDEX invoices_open ON invoices (customer_id, due_date)
    WHERE status = 'issued' AND kind = 'invoice' AND paid_minor + credited_minor < total_minor;
CREATE INDEX invoices_credited ON invoices (credited_id) WHERE credited_id IS NOT NULL;
CREATE INDEX invoice_lines_credits ON invoice_lines (credits_line_id) WHERE credits_line_id IS NOT NULL;
