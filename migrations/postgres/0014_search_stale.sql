-- A customer's search document is derived from the customer, its current counterparties and its contact
-- persons. Every write that changes one of those marks the document stale here, in the write's own
-- transaction (triggers: no code path can forget it); the services rebuild it right after the commit, and
-- a job on every server rebuilds whatever a crash left marked (issue 14).
CREATE TABLE search_stale (customer_id BIGINT PRIMARY KEY);

CREATE FUNCTION search_stale_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_stale (customer_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER search_stale_customer AFTER INSERT OR UPDATE OF name, email, phone ON customers
    FOR EACH ROW EXECUTE FUNCTION search_stale_customer();

CREATE FUNCTION search_stale_owner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO search_stale (customer_id) VALUES (OLD.customer_id) ON CONFLICT DO NOTHING;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_stale (customer_id) VALUES (NEW.customer_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER search_stale_owner AFTER INSERT OR UPDATE ON counterparty_owners
    FOR EACH ROW EXECUTE FUNCTION search_stale_owner();
CREATE TRIGGER search_stale_link AFTER INSERT OR DELETE ON customer_contacts
    FOR EACH ROW EXECUTE FUNCTION search_stale_owner();

CREATE FUNCTION search_stale_counterparty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_stale (customer_id)
        SELECT customer_id FROM counterparty_owners WHERE counterparty_id = NEW.id AND valid_to IS NULL
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER search_stale_counterparty AFTER UPDATE OF legal_name, tax_id ON counterparties
    FOR EACH ROW EXECUTE FUNCTION search_stale_counterparty();

CREATE FUNCTION search_stale_contact() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    contact BIGINT;
BEGIN
    IF TG_TABLE_NAME = 'contacts' THEN
        contact := NEW.id;
    ELSIF TG_OP = 'DELETE' THEN
        contact := OLD.contact_id;
    ELSE
        contact := NEW.contact_id;
    END IF;
    INSERT INTO search_stale (customer_id)
        SELECT customer_id FROM customer_contacts WHERE contact_id = contact
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER search_stale_contact AFTER UPDATE OF name ON contacts
    FOR EACH ROW EXECUTE FUNCTION search_stale_contact();
CREATE TRIGGER search_stale_point AFTER INSERT OR DELETE ON contact_points
    FOR EACH ROW EXECUTE FUNCTION search_stale_contact();
