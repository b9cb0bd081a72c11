-- The catalog's products carry custom fields too (issue 16: the customers' mechanism; a product field's values
-- have the product's id as record_id), and one photo each.
ALTER TABLE custom_fields DROP CONSTRAINT custom_fields_entity_check;
ALTER TABLE custom_fields ADD CONSTRAINT custom_fields_entity_check
    CHECK (entity IN ('customer', 'contact', 'deal', 'product'));

-- A product's photo: one per product, its bytes kept in the database like attachments (so a backup holds
-- it). `etag` is a hash of the bytes, for caching.
CREATE TABLE product_photos (
    product_id    BIGINT  PRIMARY KEY REFERENCES products (id),
    content_type  TEXT    NOT NULL,
    size          BIGINT  NOT NULL,
    etag          TEXT    NOT NULL,
    data          BYTEA   NOT NULL,
    updated_by    BIGINT  NOT NULL REFERENCES users (id),
    updated_at    BIGINT  NOT NULL
);
