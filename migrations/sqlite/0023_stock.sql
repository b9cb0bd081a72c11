-- Stock (issue 16): the catalog (products and services, groups, units, barcodes), warehouses, stock documents
-- (receipt, shipment, transfer, write-off, inventory count) and the ledger they post to.
--
-- Quantities are integer thousandths of the product's base unit (`*_milli`), money integer tiyin (UZS minor
-- units, `*_minor`): both databases sum them exactly. `stock_movements` is append-only (triggers refuse
-- UPDATE and DELETE): a posted document is undone by reversing rows, never by editing. `stock_balances`
-- (item × warehouse) is what the movements add up to, kept in the same transaction as each posting.

-- SQLite cannot change a CHECK constraint: the users table is rebuilt for the storekeeper role, the documented
-- way (migrations run with foreign keys off and are checked after them: `Db::migrate`).
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'sales_head', 'manager', 'storekeeper')),
    team_id       INTEGER REFERENCES teams (id),
    lang          TEXT,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    INTEGER NOT NULL,
    phone_ext     TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    time_zone     TEXT
);
INSERT INTO users_new (id, email, name, password_hash, role, team_id, lang, active, created_at, phone_ext, version,
                       must_change_password, time_zone)
    SELECT id, email, name, password_hash, role, team_id, lang, active, created_at, phone_ext, version,
           must_change_password, time_zone FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_team ON users (team_id);
CREATE UNIQUE INDEX users_phone_ext ON users (phone_ext);

CREATE TABLE product_groups (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT  REFERENCES product_groups (id),
    name        TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL DEFAULT 1
);
CREATE INDEX product_groups_parent ON product_groups (parent_id);

CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL DEFAULT 'goods' CHECK (kind IN ('goods', 'service')),
    name         TEXT    NOT NULL,
    name_ru      TEXT,
    name_en      TEXT,
    sku          TEXT,
    group_id     BIGINT  REFERENCES product_groups (id),
    base_unit    TEXT    NOT NULL,
    -- The Uzbek product classifier (MXIK / IKPU, 17 digits) and its unit or package code.
    mxik         TEXT,
    package_code TEXT,
    -- VAT in basis points (1200 = 12 %); NULL: exempt.
    vat_bp       INTEGER CHECK (vat_bp IS NULL OR vat_bp BETWEEN 0 AND 10000),
    weight_grams BIGINT,
    -- Lower-cased by Rust (SQLite's lower() leaves Cyrillic alone): the list's order and its search.
    sort_key     TEXT    NOT NULL,
    search_text  TEXT    NOT NULL,
    created_by   BIGINT  REFERENCES users (id),
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    version      BIGINT  NOT NULL DEFAULT 1,
    archived_at  BIGINT
);
CREATE UNIQUE INDEX products_sku ON products (lower(sku)) WHERE sku IS NOT NULL;
CREATE INDEX products_name ON products (sort_key, id);
CREATE INDEX products_group ON products (group_id, id);
CREATE INDEX products_changes ON products (updated_at, id);

-- Extra units: a box is `factor_milli` thousandths of the base unit (box = 12 pcs: 12000).
CREATE TABLE product_units (
    product_id   BIGINT  NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    unit         TEXT    NOT NULL,
    factor_milli BIGINT  NOT NULL CHECK (factor_milli > 0),
    PRIMARY KEY (product_id, unit)
);

CREATE TABLE product_barcodes (
    barcode     TEXT    PRIMARY KEY,
    product_id  BIGINT  NOT NULL REFERENCES products (id) ON DELETE CASCADE
);
CREATE INDEX product_barcodes_product ON product_barcodes (product_id);

CREATE TABLE warehouses (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    address        TEXT,
    responsible_id BIGINT  REFERENCES users (id),
    allow_negative BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    version        BIGINT  NOT NULL DEFAULT 1,
    archived_at    BIGINT
);
CREATE UNIQUE INDEX warehouses_name ON warehouses (lower(name));

-- The storekeepers of a warehouse (its responsible person is one of them too).
CREATE TABLE warehouse_keepers (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id) ON DELETE CASCADE,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    PRIMARY KEY (warehouse_id, user_id)
);
CREATE INDEX warehouse_keepers_user ON warehouse_keepers (user_id);

CREATE TABLE stock_documents (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('receipt', 'shipment', 'transfer', 'write_off', 'inventory')),
    -- Numbered per kind and year: `number` is the printed form (`KR-2026-000012`).
    year            INTEGER NOT NULL,
    seq             BIGINT  NOT NULL,
    number          TEXT    NOT NULL,
    -- A transfer is `in_transit` between leaving its warehouse and arriving at the other.
    status          TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_transit', 'posted', 'cancelled')),
    warehouse_id    BIGINT  NOT NULL REFERENCES warehouses (id),
    to_warehouse_id BIGINT  REFERENCES warehouses (id),
    customer_id     BIGINT  REFERENCES customers (id),
    reason          TEXT,
    note            TEXT,
    -- When the goods moved (the ledger's time; back-dated no earlier than the closed period).
    doc_at          BIGINT  NOT NULL,
    created_by      BIGINT  NOT NULL REFERENCES users (id),
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    version         BIGINT  NOT NULL DEFAULT 1,
    posted_at       BIGINT,
    posted_by       BIGINT  REFERENCES users (id),
    received_at     BIGINT,
    cancelled_at    BIGINT,
    cancelled_by    BIGINT  REFERENCES users (id),
    UNIQUE (kind, year, seq)
);
CREATE INDEX stock_documents_list ON stock_documents (warehouse_id, id);
CREATE INDEX stock_documents_to ON stock_documents (to_warehouse_id, id) WHERE to_warehouse_id IS NOT NULL;
CREATE INDEX stock_documents_posted ON stock_documents (posted_at) WHERE posted_at IS NOT NULL;
CREATE INDEX stock_documents_transit ON stock_documents (id) WHERE status = 'in_transit';

CREATE TABLE stock_document_lines (
    id              INTEGER PRIMARY KEY,
    document_id     BIGINT  NOT NULL REFERENCES stock_documents (id) ON DELETE CASCADE,
    line_no         INTEGER NOT NULL,
    product_id      BIGINT  NOT NULL REFERENCES products (id),
    unit            TEXT    NOT NULL,
    factor_milli    BIGINT  NOT NULL,
    -- In the line's unit; for an inventory count, the counted quantity.
    qty_milli       BIGINT  NOT NULL,
    -- The same in the base unit.
    base_milli      BIGINT  NOT NULL,
    -- A receipt's price per line unit (tiyin).
    unit_cost_minor BIGINT,
    -- An inventory count's expected quantity (base unit), fixed when posted.
    expected_milli  BIGINT,
    UNIQUE (document_id, line_no)
);
CREATE INDEX stock_document_lines_product ON stock_document_lines (product_id);

CREATE TABLE stock_movements (
    id           INTEGER PRIMARY KEY,
    product_id   BIGINT  NOT NULL REFERENCES products (id),
    warehouse_id BIGINT  NOT NULL REFERENCES warehouses (id),
    qty_milli    BIGINT  NOT NULL,
    value_minor  BIGINT  NOT NULL,
    document_id  BIGINT  NOT NULL REFERENCES stock_documents (id),
    line_id      BIGINT  REFERENCES stock_document_lines (id),
    at           BIGINT  NOT NULL,
    posted_at    BIGINT  NOT NULL,
    -- Set on the rows a cancellation writes: the movement each one reverses.
    reverses     BIGINT  REFERENCES stock_movements (id)
);
CREATE INDEX stock_movements_place ON stock_movements (warehouse_id, at, product_id, qty_milli, value_minor);
CREATE INDEX stock_movements_product ON stock_movements (product_id, at);
CREATE INDEX stock_movements_document ON stock_movements (document_id);

CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements
BEGIN
    SELECT RAISE(ABORT, 'stock_movements is append-only: post a reversing movement instead');
END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements
BEGIN
    SELECT RAISE(ABORT, 'stock_movements is append-only: post a reversing movement instead');
END;

CREATE TABLE stock_balances (
    warehouse_id   BIGINT  NOT NULL REFERENCES warehouses (id),
    product_id     BIGINT  NOT NULL REFERENCES products (id),
    on_hand_milli  BIGINT  NOT NULL DEFAULT 0,
    reserved_milli BIGINT  NOT NULL DEFAULT 0,
    value_minor    BIGINT  NOT NULL DEFAULT 0,
    -- The moving average (tiyin per base unit) after the last receipt: what goods leaving an empty or negative
    -- balance are valued at.
    avg_cost_minor BIGINT  NOT NULL DEFAULT 0,
    min_milli      BIGINT,
    reorder_milli  BIGINT,
    last_in_at     BIGINT,
    last_out_at    BIGINT,
    updated_at     BIGINT  NOT NULL,
    PRIMARY KEY (warehouse_id, product_id)
);
CREATE INDEX stock_balances_product ON stock_balances (product_id);
CREATE INDEX stock_balances_value ON stock_balances (warehouse_id, value_minor DESC);
CREATE INDEX stock_balances_low ON stock_balances (warehouse_id) WHERE min_milli IS NOT NULL AND on_hand_milli < min_milli;

-- The day's change of a warehouse's stock value (by the documents' dates): the dashboard's 90-day chart reads
-- 90 rows instead of a quarter's movements.
CREATE TABLE stock_daily (
    warehouse_id BIGINT NOT NULL REFERENCES warehouses (id),
    day          BIGINT NOT NULL,
    value_minor  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (warehouse_id, day)
);

-- The last number given per document kind and year.
CREATE TABLE stock_numbers (
    kind  TEXT    NOT NULL,
    year  INTEGER NOT NULL,
    last  BIGINT  NOT NULL,
    PRIMARY KEY (kind, year)
);
