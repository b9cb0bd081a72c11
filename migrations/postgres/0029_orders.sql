-- Sales orders (issue 17): a customer's order, usually made from a deal, with priced lines, confirmed with a
-- reservation of stock in one warehouse, shipped (partly or fully) by shipment documents of the stock ledger.
--
-- Money is integer minor units (two decimals) of the order's currency; quantities integer thousandths.
-- Each line is rounded once, by the rule in `app/src/orders/mod.rs` (`line_amounts`): the order's totals are
-- sums of the rounded lines. `reserved_milli` and `shipped_milli` are in the product's base unit.

CREATE TABLE sales_orders (
    id              BIGSERIAL PRIMARY KEY,
    year            INTEGER NOT NULL,
    seq             BIGINT  NOT NULL,
    number          TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'confirmed', 'shipped', 'closed', 'cancelled')),
    customer_id     BIGINT  NOT NULL REFERENCES customers (id),
    counterparty_id BIGINT  REFERENCES counterparties (id),
    deal_id         BIGINT  REFERENCES deals (id),
    manager_id      BIGINT  NOT NULL REFERENCES users (id),
    currency        TEXT    NOT NULL,
    -- The local date (`YYYY-MM-DD`) the order's prices are taken on.
    order_date      TEXT    NOT NULL,
    -- Where the goods are reserved (set when confirmed).
    warehouse_id    BIGINT  REFERENCES warehouses (id),
    note            TEXT,
    net_minor       BIGINT  NOT NULL DEFAULT 0,
    vat_minor       BIGINT  NOT NULL DEFAULT 0,
    total_minor     BIGINT  NOT NULL DEFAULT 0,
    created_by      BIGINT  NOT NULL REFERENCES users (id),
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    version         BIGINT  NOT NULL DEFAULT 1,
    confirmed_at    BIGINT,
    closed_at       BIGINT,
    cancelled_at    BIGINT,
    UNIQUE (year, seq)
);
CREATE INDEX sales_orders_customer ON sales_orders (customer_id, id);
CREATE INDEX sales_orders_manager ON sales_orders (manager_id, id);
CREATE INDEX sales_orders_status ON sales_orders (status, id);
-- A deal has one live order (a cancelled one leaves room for the next).
CREATE UNIQUE INDEX sales_orders_deal ON sales_orders (deal_id) WHERE deal_id IS NOT NULL AND status <> 'cancelled';

CREATE TABLE sales_order_lines (
    id               BIGSERIAL PRIMARY KEY,
    order_id         BIGINT  NOT NULL REFERENCES sales_orders (id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    product_id       BIGINT  NOT NULL REFERENCES products (id),
    unit             TEXT    NOT NULL,
    factor_milli     BIGINT  NOT NULL,
    qty_milli        BIGINT  NOT NULL CHECK (qty_milli > 0),
    base_milli       BIGINT  NOT NULL,
    -- Per line unit; `list_price_minor` is what the price list said (NULL: it had none), and a price that
    -- differs from it keeps its reason.
    price_minor      BIGINT  NOT NULL CHECK (price_minor >= 0),
    list_price_minor BIGINT,
    price_reason     TEXT,
    -- Discount in basis points of the line's sum (250 = 2.5 %).
    discount_bp      INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    -- VAT in basis points (NULL: exempt).
    vat_bp           INTEGER CHECK (vat_bp IS NULL OR vat_bp BETWEEN 0 AND 10000),
    net_minor        BIGINT  NOT NULL,
    vat_minor        BIGINT  NOT NULL,
    total_minor      BIGINT  NOT NULL,
    reserved_milli   BIGINT  NOT NULL DEFAULT 0 CHECK (reserved_milli >= 0),
    shipped_milli    BIGINT  NOT NULL DEFAULT 0 CHECK (shipped_milli >= 0),
    UNIQUE (order_id, line_no)
);
CREATE INDEX sales_order_lines_product ON sales_order_lines (product_id);

-- A shipment made from an order names it, and each of its lines the order line it ships.
ALTER TABLE stock_documents ADD COLUMN order_id BIGINT REFERENCES sales_orders (id);
CREATE INDEX stock_documents_order ON stock_documents (order_id) WHERE order_id IS NOT NULL;
ALTER TABLE stock_document_lines ADD COLUMN order_line_id BIGINT REFERENCES sales_order_lines (id);

-- An order's life (made, confirmed, cancelled, closed) and an invoice's are on the customer's timeline.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_entity_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_entity_check
    CHECK (entity IN ('customer', 'contact', 'counterparty', 'deal', 'order', 'invoice'));
