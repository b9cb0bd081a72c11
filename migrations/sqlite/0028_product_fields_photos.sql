-- The catalog's products carry custom fields too (issue 16: the customers' mechanism; a product field's values
-- have the product's id as record_id), and one photo each. SQLite cannot change a CHECK, so both field tables
-- are copied as in 0009 (values first to a table that references the new definitions); ids are kept.
CREATE TABLE custom_fields_new (
    id          INTEGER PRIMARY KEY,
    entity      TEXT    NOT NULL CHECK (entity IN ('customer', 'contact', 'deal', 'product')),
    key         TEXT    NOT NULL,
    label       TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('text', 'long_text', 'number', 'money', 'date', 'yes_no',
                                                 'choice', 'choices', 'link')),
    options     TEXT    NOT NULL DEFAULT '[]',
    currency    TEXT,
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    position    INTEGER NOT NULL DEFAULT 0,
    retired     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (entity, key)
);
INSERT INTO custom_fields_new (id, entity, key, label, kind, options, currency, required, position, retired,
                               created_at, updated_at, version)
    SELECT id, entity, key, label, kind, options, currency, required, position, retired, created_at, updated_at,
           version FROM custom_fields;

CREATE TABLE custom_values_new (
    field_id   INTEGER NOT NULL REFERENCES custom_fields_new (id),
    record_id  INTEGER NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 0,
    value      TEXT    NOT NULL,
    sort_key   TEXT    NOT NULL,
    num        INTEGER,
    PRIMARY KEY (field_id, record_id, seq)
);
INSERT INTO custom_values_new (field_id, record_id, seq, value, sort_key, num)
    SELECT field_id, record_id, seq, value, sort_key, num FROM custom_values;

DROP TABLE custom_values;
DROP TABLE custom_fields;
-- Renaming also rewrites custom_values_new's reference to the new name.
ALTER TABLE custom_fields_new RENAME TO custom_fields;
ALTER TABLE custom_values_new RENAME TO custom_values;
CREATE INDEX custom_values_record ON custom_values (record_id, field_id);
CREATE INDEX custom_values_key ON custom_values (field_id, sort_key, record_id);
CREATE INDEX custom_values_num ON custom_values (field_id, num, record_id);

-- A product's photo: one per product, its bytes kept in the database like attachments (so a backup holds
-- it). `etag` is a hash of the bytes, for caching.
CREATE TABLE product_photos (
    product_id    INTEGER PRIMARY KEY REFERENCES products (id),
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    etag          TEXT    NOT NULL,
    data          BLOB    NOT NULL,
    updated_by    INTEGER NOT NULL REFERENCES users (id),
    updated_at    INTEGER NOT NULL
);
