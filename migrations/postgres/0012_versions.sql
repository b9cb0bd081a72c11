-- Optimistic versions where writes could silently overwrite each other (issue 14): mail templates (now
-- changed by their author or an administrator only), deal reasons, and user administration. A stale
-- version is refused with 409; bank accounts follow their counterparty's version.
ALTER TABLE mail_templates ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE deal_reasons ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
