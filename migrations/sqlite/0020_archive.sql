-- Archive (issue 15): customers, contacts, counterparties, deals, tasks and interactions can be archived and
-- restored. An archived record leaves the lists, searches, boards and counts (an "archived" filter shows it)
-- and keeps everything attached to it. Webhooks name what happened: `.archived`, `.restored`, and `.deleted`
-- for a customer an administrator removed (or a merge absorbed).

ALTER TABLE customers ADD COLUMN archived_at INTEGER;
ALTER TABLE contacts ADD COLUMN archived_at INTEGER;
ALTER TABLE counterparties ADD COLUMN archived_at INTEGER;
ALTER TABLE deals ADD COLUMN archived_at INTEGER;
ALTER TABLE tasks ADD COLUMN archived_at INTEGER;
ALTER TABLE interactions ADD COLUMN archived_at INTEGER;
-- The archive is small beside the living records: partial indexes serve the "archived" filter.
CREATE INDEX customers_archived ON customers (id) WHERE archived_at IS NOT NULL;
CREATE INDEX contacts_archived ON contacts (id) WHERE archived_at IS NOT NULL;
CREATE INDEX counterparties_archived ON counterparties (id) WHERE archived_at IS NOT NULL;
CREATE INDEX deals_archived ON deals (id) WHERE archived_at IS NOT NULL;
CREATE INDEX tasks_archived ON tasks (id) WHERE archived_at IS NOT NULL;
CREATE INDEX interactions_archived ON interactions (id) WHERE archived_at IS NOT NULL;
-- What an administrator's deletion looks up by the deleted record (each a scan of its table before).
CREATE INDEX tasks_contact ON tasks (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX tasks_deal ON tasks (deal_id) WHERE deal_id IS NOT NULL;
CREATE INDEX notifications_task ON notifications (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX mail_messages_contact ON mail_messages (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX mail_messages_interaction ON mail_messages (interaction_id) WHERE interaction_id IS NOT NULL;
CREATE INDEX calls_interaction ON calls (interaction_id) WHERE interaction_id IS NOT NULL;
CREATE INDEX deal_contacts_contact ON deal_contacts (contact_id);
CREATE INDEX deals_counterparty ON deals (counterparty_id) WHERE counterparty_id IS NOT NULL;

DROP TRIGGER customers_webhook_update;
CREATE TRIGGER customers_webhook_update AFTER UPDATE ON customers
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('customer.' || CASE
        WHEN NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL THEN 'archived'
        WHEN NEW.archived_at IS NULL AND OLD.archived_at IS NOT NULL THEN 'restored'
        ELSE 'updated' END, NEW.id, NEW.updated_at);
END;
DROP TRIGGER contacts_webhook_update;
CREATE TRIGGER contacts_webhook_update AFTER UPDATE ON contacts
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('contact.' || CASE
        WHEN NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL THEN 'archived'
        WHEN NEW.archived_at IS NULL AND OLD.archived_at IS NOT NULL THEN 'restored'
        ELSE 'updated' END, NEW.id, NEW.updated_at);
END;
DROP TRIGGER deals_webhook_update;
CREATE TRIGGER deals_webhook_update AFTER UPDATE ON deals
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES (CASE
        WHEN NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL THEN 'deal.archived'
        WHEN NEW.archived_at IS NULL AND OLD.archived_at IS NOT NULL THEN 'deal.restored'
        WHEN NEW.status <> OLD.status AND NEW.status IN ('won', 'lost') THEN 'deal.' || NEW.status
        WHEN NEW.stage_id IS NOT OLD.stage_id THEN 'deal.stage_changed'
        ELSE 'deal.updated' END, NEW.id, NEW.updated_at);
END;
DROP TRIGGER tasks_webhook_update;
CREATE TRIGGER tasks_webhook_update AFTER UPDATE ON tasks
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('task.' || CASE
        WHEN NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL THEN 'archived'
        WHEN NEW.archived_at IS NULL AND OLD.archived_at IS NOT NULL THEN 'restored'
        ELSE 'updated' END, NEW.id, NEW.updated_at);
END;
DROP TRIGGER interactions_webhook_update;
CREATE TRIGGER interactions_webhook_update AFTER UPDATE ON interactions
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('interaction.' || CASE
        WHEN NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL THEN 'archived'
        WHEN NEW.archived_at IS NULL AND OLD.archived_at IS NOT NULL THEN 'restored'
        ELSE 'updated' END, NEW.id, NEW.updated_at);
END;

-- Deletions (administrators only; a merge deletes the customer it absorbed).
CREATE TRIGGER customers_webhook_delete AFTER DELETE ON customers
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at)
        VALUES ('customer.deleted', OLD.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER contacts_webhook_delete AFTER DELETE ON contacts
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at)
        VALUES ('contact.deleted', OLD.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER deals_webhook_delete AFTER DELETE ON deals
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at)
        VALUES ('deal.deleted', OLD.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER tasks_webhook_delete AFTER DELETE ON tasks
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at)
        VALUES ('task.deleted', OLD.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER interactions_webhook_delete AFTER DELETE ON interactions
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at)
        VALUES ('interaction.deleted', OLD.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
