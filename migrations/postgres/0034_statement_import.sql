-- Bank statements are imported through the same pipeline (issue 17): a fifth kind, `payments`, and the
-- company's account (`money_accounts`) the statement is of.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check
    CHECK (kind IN ('customers', 'contacts', 'counterparties', 'products', 'payments'));
ALTER TABLE imports ADD COLUMN account_id BIGINT REFERENCES money_accounts (id);
