-- E-invoice requisites (issue 17): what the Uzbek e-invoice operators (Didox, Soliq Servis) need of a buyer
-- beyond its taxpayer id, name, address and bank account: its OKED (economic activity, 5 digits), VAT
-- registration code (12 digits) and the names of its director and chief accountant. The seller's are the
-- company's details (`company_settings` 'company_details', JSON), edited on the Settings page.
ALTER TABLE counterparties ADD COLUMN oked TEXT;
ALTER TABLE counterparties ADD COLUMN vat_reg_code TEXT;
ALTER TABLE counterparties ADD COLUMN director TEXT;
ALTER TABLE counterparties ADD COLUMN accountant TEXT;
