-- Customers 360, part 1: relationship stage, source, tags, counterparties (legal entities) with ownership
-- periods and bank accounts, and the audit log that feeds the customer's timeline.

ALTER TABLE customers ADD COLUMN stage TEXT NOT NULL DEFAULT 'potential'
    CHECK (stage IN ('potential', 'one_time', 'regular', 'lost'));
ALTER TABLE customers ADD COLUMN source TEXT;
-- The tags again, joined by U+001F, so that lists need no second query; customer_tags serves filters.
ALTER TABLE customers ADD COLUMN tags TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN updated_by INTEGER REFERENCES users (id);
CREATE INDEX customers_stage ON customers (stage, id);
-- Phones are stored in E.164 from now on.
UPDATE customers SET phone = REPLACE(REPLACE(REPLACE(REPLACE(phone, ' ', ''), '-', ''), '(', ''), ')', '')
    WHERE phone IS NOT NULL;

CREATE TABLE customer_tags (
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    tag          TEXT    NOT NULL,
    PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tag ON customer_tags (tag, customer_id);

CREATE TABLE counterparties (
    id             INTEGER PRIMARY KEY,
    legal_name     TEXT    NOT NULL,
    -- ISO 3166-1 alpha-2; for UZ the taxpayer id (STIR/INN) is 9 digits
    country        TEXT    NOT NULL,
    tax_id         TEXT    NOT NULL,
    vat_payer      BOOLEAN NOT NULL DEFAULT FALSE,
    legal_address  TEXT,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (country, tax_id)
);
CREATE INDEX counterparties_tax_id ON counterparties (tax_id);

-- Which customer a counterparty belonged to when: [valid_from, valid_to), valid_to NULL = current.
CREATE TABLE counterparty_owners (
    id               INTEGER PRIMARY KEY,
    counterparty_id  INTEGER NOT NULL REFERENCES counterparties (id),
    customer_id      INTEGER NOT NULL REFERENCES customers (id),
    valid_from       INTEGER NOT NULL,
    valid_to         INTEGER,
    created_by       INTEGER NOT NULL REFERENCES users (id),
    created_at       INTEGER NOT NULL
);
CREATE INDEX counterparty_owners_cp ON counterparty_owners (counterparty_id, valid_from);
CREATE INDEX counterparty_owners_customer ON counterparty_owners (customer_id, valid_from);

CREATE TABLE bank_accounts (
    id               INTEGER PRIMARY KEY,
    counterparty_id  INTEGER NOT NULL REFERENCES counterparties (id),
    -- MFO: 5 digits in Uzbekistan
    bank_code        TEXT    NOT NULL,
    account          TEXT    NOT NULL,
    bank_name        TEXT,
    created_at       INTEGER NOT NULL,
    UNIQUE (counterparty_id, bank_code, account)
);

-- Contact persons; one contact may be linked to several customers, with a role at each.
CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    name_search  TEXT    NOT NULL,
    position     TEXT,
    -- YYYY-MM-DD
    birthday     TEXT,
    notes        TEXT,
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX contacts_name ON contacts (name_search, id);

-- Phones (E.164), e-mails (lower case) and messenger handles of a contact, searchable by value.
CREATE TABLE contact_points (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('phone', 'email', 'telegram', 'whatsapp')),
    value       TEXT    NOT NULL
);
CREATE INDEX contact_points_value ON contact_points (kind, value);
CREATE INDEX contact_points_contact ON contact_points (contact_id);

CREATE TABLE customer_contacts (
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    contact_id   INTEGER NOT NULL REFERENCES contacts (id),
    role         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (customer_id, contact_id)
);
CREATE INDEX customer_contacts_contact ON customer_contacts (contact_id);

-- Every change to a customer, contact or counterparty: who, when, what (changes: JSON [{field, old, new}]).
-- Rows are only ever inserted.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER REFERENCES customers (id),
    entity       TEXT    NOT NULL CHECK (entity IN ('customer', 'contact', 'counterparty')),
    entity_id    INTEGER NOT NULL,
    action       TEXT    NOT NULL,
    changes      TEXT    NOT NULL,
    user_id      INTEGER REFERENCES users (id),
    at           INTEGER NOT NULL
);
CREATE INDEX audit_log_customer ON audit_log (customer_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);

-- Global search: one lower-cased document per customer (name, phones as digits, e-mails, taxpayer ids and
-- names of its counterparties, names, phones and e-mails of its contacts), kept up to date by the app.
-- Trigram FTS5: any part of a word, case-insensitive. rowid = customer id.
CREATE VIRTUAL TABLE customer_search USING fts5(doc, tokenize = 'trigram');
INSERT INTO customer_search (rowid, doc)
    SELECT id, name_search || ' ' || COALESCE(REPLACE(phone, '+', ''), '') || ' ' || COALESCE(email, '') FROM customers;
