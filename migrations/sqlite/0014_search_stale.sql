-- A customer's search document is derived from the customer, its current counterparties and its contact
-- persons. Every write that changes one of those marks the document stale here, in the write's own
-- transaction (triggers: no code path can forget it); the services rebuild it right after the commit, and
-- a job on every server rebuilds whatever a crash left marked (issue 14).
CREATE TABLE search_stale (customer_id INTEGER PRIMARY KEY);

CREATE TRIGGER search_stale_customer_new AFTER INSERT ON customers
BEGIN INSERT OR IGNORE INTO search_stale (customer_id) VALUES (NEW.id); END;
CREATE TRIGGER search_stale_customer AFTER UPDATE OF name, email, phone ON customers
BEGIN INSERT OR IGNORE INTO search_stale (customer_id) VALUES (NEW.id); END;

CREATE TRIGGER search_stale_owner_new AFTER INSERT ON counterparty_owners
BEGIN INSERT OR IGNORE INTO search_stale (customer_id) VALUES (NEW.customer_id); END;
CREATE TRIGGER search_stale_owner AFTER UPDATE ON counterparty_owners
BEGIN
    INSERT OR IGNORE INTO search_stale (customer_id) VALUES (NEW.customer_id);
    INSERT OR IGNORE INTO search_stale (customer_id) VALUES (OLD.customer_id);
END;
CREATE TRIGGER search_stale_counterparty AFTER UPDATE OF legal_name, tax_id ON counterparties
BEGIN
    INSERT OR IGNORE INTO search_stale (customer_id)
        SELECT customer_id FROM counterparty_owners WHERE counterparty_id = NEW.id AND valid_to IS NULL;
END;

CREATE TRIGGER search_stale_link_new AFTER INSERT ON customer_contacts
BEGIN INSERT OR IGNORE INTO search_stale (customer_id) VALUES (NEW.customer_id); END;
CREATE TRIGGER search_stale_link_gone AFTER DELETE ON customer_contacts
BEGIN INSERT OR IGNORE INTO search_stale (customer_id) VALUES (OLD.customer_id); END;
CREATE TRIGGER search_stale_contact AFTER UPDATE OF name ON contacts
BEGIN
    INSERT OR IGNORE INTO search_stale (customer_id) SELECT customer_id FROM customer_contacts WHERE contact_id = NEW.id;
END;
CREATE TRIGGER search_stale_point_new AFTER INSERT ON contact_points
BEGIN
    INSERT OR IGNORE INTO search_stale (customer_id)
        SELECT customer_id FROM customer_contacts WHERE contact_id = NEW.contact_id;
END;
CREATE TRIGGER search_stale_point_gone AFTER DELETE ON contact_points
BEGIN
    INSERT OR IGNORE INTO search_stale (customer_id)
        SELECT customer_id FROM customer_contacts WHERE contact_id = OLD.contact_id;
END;
