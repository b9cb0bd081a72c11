-- Customers 360, part 2: custom fields (defined by an administrator, typed) and segments.

-- A field an administrator added to customers or contacts. Retired fields keep their values.
CREATE TABLE custom_fields (
    id          INTEGER PRIMARY KEY,
    entity      TEXT    NOT NULL CHECK (entity IN ('customer', 'contact')),
    key         TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('text', 'long_text', 'number', 'money', 'date', 'yes_no',
                                                 'choice', 'choices', 'link')),
    -- JSON array of the choices of a one/several-choice field
    options     TEXT    NOT NULL DEFAULT '[]',
    -- money fields: ISO 4217 code
    currency    TEXT,
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    position    INTEGER NOT NULL DEFAULT 0,
    retired     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (entity, key)
);

-- The values: one row per value (several for a several-choice field, numbered by seq). `value` is the
-- canonical text (decimals as text, dates as YYYY-MM-DD, yes/no as true/false); `sort_key` its first 200
-- characters lower-cased (indexed: equality filters and sorting); `num` the value times 10,000 for numbers
-- and money (exact, sortable), 1/0 for yes/no. record_id is a customer or a contact id, by the field's entity.
CREATE TABLE custom_values (
    field_id   INTEGER NOT NULL REFERENCES custom_fields (id),
    record_id  INTEGER NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 0,
    value      TEXT    NOT NULL,
    sort_key   TEXT    NOT NULL,
    num        INTEGER,
    PRIMARY KEY (field_id, record_id, seq)
);
CREATE INDEX custom_values_record ON custom_values (record_id, field_id);
CREATE INDEX custom_values_key ON custom_values (field_id, sort_key, record_id);
CREATE INDEX custom_values_num ON custom_values (field_id, num, record_id);

-- A group of customers by rules (JSON, see app/src/segments); a static segment also keeps its members.
CREATE TABLE segments (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('dynamic', 'static')),
    rules         TEXT    NOT NULL,
    member_count  INTEGER NOT NULL DEFAULT 0,
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE segment_members (
    segment_id   INTEGER NOT NULL REFERENCES segments (id),
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX segment_members_customer ON segment_members (customer_id);

CREATE INDEX customers_created ON customers (created_at, id);
CREATE INDEX customers_source ON customers (source, id);

-- Duplicate detection: the name reduced to its distinctive part (legal forms, quotes and punctuation
-- dropped, Cyrillic spelled in Latin), filled by the app; phone and e-mail looked up exactly.
ALTER TABLE customers ADD COLUMN dup_key TEXT NOT NULL DEFAULT '';
CREATE INDEX customers_dup_key ON customers (dup_key);
CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_email ON customers (email);
