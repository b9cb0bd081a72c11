-- Archive (issue 15): customers, contacts, counterparties, deals, tasks and interactions can be archived and
-- restored. An archived record leaves the lists, searches, boards and counts (an "archived" filter shows it)
-- and keeps everything attached to it. Webhooks name what happened: `.archived`, `.restored`, and `.deleted`
-- for a customer an administrator removed (or a merge absorbed).

ALTER TABLE customers ADD COLUMN archived_at BIGINT;
ALTER TABLE contacts ADD COLUMN archived_at BIGINT;
ALTER TABLE counterparties ADD COLUMN archived_at BIGINT;
ALTER TABLE deals ADD COLUMN archived_at BIGINT;
ALTER TABLE tasks ADD COLUMN archived_at BIGINT;
ALTER TABLE interactions ADD COLUMN archived_at BIGINT;
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

CREATE OR REPLACE FUNCTION webhook_outbox_row() RETURNS trigger AS $$
DECLARE
    ev TEXT;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM webhooks WHERE active) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        INSERT INTO webhook_outbox (event, entity_id, at)
            VALUES (TG_ARGV[0] || '.deleted', OLD.id, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT);
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        ev := TG_ARGV[0] || '.created';
    ELSE
        IF NEW.version = OLD.version THEN
            RETURN NULL;
        END IF;
        ev := TG_ARGV[0] || '.updated';
        IF NEW.archived_at IS NOT NULL AND OLD.archived_at IS NULL THEN
            ev := TG_ARGV[0] || '.archived';
        ELSIF NEW.archived_at IS NULL AND OLD.archived_at IS NOT NULL THEN
            ev := TG_ARGV[0] || '.restored';
        ELSIF TG_ARGV[0] = 'deal' THEN
            IF NEW.status <> OLD.status AND NEW.status IN ('won', 'lost') THEN
                ev := 'deal.' || NEW.status;
            ELSIF NEW.stage_id IS DISTINCT FROM OLD.stage_id THEN
                ev := 'deal.stage_changed';
            END IF;
        END IF;
    END IF;
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES (ev, NEW.id, NEW.updated_at);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;


-- Deletions (administrators only; a merge deletes the customer it absorbed).
CREATE TRIGGER customers_webhook_delete AFTER DELETE ON customers FOR EACH ROW EXECUTE FUNCTION webhook_outbox_row('customer');
CREATE TRIGGER contacts_webhook_delete AFTER DELETE ON contacts FOR EACH ROW EXECUTE FUNCTION webhook_outbox_row('contact');
CREATE TRIGGER deals_webhook_delete AFTER DELETE ON deals FOR EACH ROW EXECUTE FUNCTION webhook_outbox_row('deal');
CREATE TRIGGER tasks_webhook_delete AFTER DELETE ON tasks FOR EACH ROW EXECUTE FUNCTION webhook_outbox_row('task');
CREATE TRIGGER interactions_webhook_delete AFTER DELETE ON interactions FOR EACH ROW EXECUTE FUNCTION webhook_outbox_row('interaction');
