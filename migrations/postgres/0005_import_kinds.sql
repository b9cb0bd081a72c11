-- Customers 360, part 4: imports of contacts and counterparties besides customers.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check CHECK (kind IN ('customers', 'contacts', 'counterparties'));
