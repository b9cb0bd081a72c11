-- A sync job's read of every list (`updated_since`): the rows changed since a moment, oldest change first,
-- paged by (updated_at, id).
CREATE INDEX customers_changed ON customers (updated_at, id);
CREATE INDEX contacts_changed ON contacts (updated_at, id);
CREATE INDEX counterparties_changed ON counterparties (updated_at, id);
CREATE INDEX deals_changed ON deals (updated_at, id);
CREATE INDEX tasks_changed ON tasks (updated_at, id);
CREATE INDEX interactions_changed ON interactions (updated_at, id);
