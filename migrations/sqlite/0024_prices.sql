-- Price lists (issue 16): retail, wholesale, a customer group's own; each in one currency, with each product's
-- price valid from a date. A price is never changed in place: a new one is set from a later date (or the same
-- date, replacing that day's), so the price a document was made at can always be found again.
--
-- `valid_from` is the local date (`YYYY-MM-DD`, the company's calendar): ISO dates compare as text on both
-- databases. Prices are integer minor units (two decimals) of the list's currency.

CREATE TABLE price_lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    currency    TEXT    NOT NULL,
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  INTEGER  NOT NULL,
    updated_at  INTEGER  NOT NULL,
    version     INTEGER  NOT NULL DEFAULT 1,
    archived_at INTEGER
);
CREATE UNIQUE INDEX price_lists_name ON price_lists (lower(name));
-- One default list per currency: the price of a customer without a list of their own.
CREATE UNIQUE INDEX price_lists_default ON price_lists (currency) WHERE is_default;

CREATE TABLE prices (
    price_list_id INTEGER  NOT NULL REFERENCES price_lists (id),
    product_id    INTEGER  NOT NULL REFERENCES products (id),
    valid_from    TEXT    NOT NULL,
    price_minor   INTEGER  NOT NULL CHECK (price_minor >= 0),
    set_by        INTEGER  REFERENCES users (id),
    set_at        INTEGER  NOT NULL,
    PRIMARY KEY (price_list_id, product_id, valid_from)
);
CREATE INDEX prices_product ON prices (product_id);

-- A customer's own list (a customer group's: wholesale buyers, dealers); none means the default list.
ALTER TABLE customers ADD COLUMN price_list_id INTEGER REFERENCES price_lists (id);
CREATE INDEX customers_price_list ON customers (price_list_id) WHERE price_list_id IS NOT NULL;
