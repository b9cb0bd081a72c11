-- The stock catalog is imported through the same pipeline (issue 16): a fourth kind.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check
    CHECK (kind IN ('customers', 'contacts', 'counterparties', 'products'));
