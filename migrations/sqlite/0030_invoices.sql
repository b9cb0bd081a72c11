-- Invoices (issue 17): what a customer is billed, made from an order (what shipped and is not invoiced yet,
-- or the whole order as an advance invoice) or standalone. Money is integer minor units (two decimals) of the
-- invoice's currency; `rate_micro` is how many UZS one unit of it was worth on the invoice's date, in
-- millionths (1,000,000 for UZS), kept with the invoice. Lines are rounded once each by the rule of
-- `app/src/invoices/mod.rs` (the order's rule); the totals are their sums.
--
-- An invoice is issued when it is made and is never edited: a mistake is cancelled (it keeps its number,
-- marked cancelled) and issued again. Numbers run per kind and year (`stock_numbers` kinds 'invoice' and
-- 'credit_note') behind a prefix an administrator sets (`company_settings` 'invoice_prefix').

CREATE TABLE invoices (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL DEFAULT 'invoice' CHECK (kind IN ('invoice', 'credit_note')),
    year            INTEGER NOT NULL,
    seq             BIGINT  NOT NULL,
    number          TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'cancelled')),
    customer_id     BIGINT  NOT NULL REFERENCES customers (id),
    counterparty_id BIGINT  REFERENCES counterparties (id),
    order_id        BIGINT  REFERENCES sales_orders (id),
    -- A credit note's invoice.
    credited_id     BIGINT  REFERENCES invoices (id),
    manager_id      BIGINT  NOT NULL REFERENCES users (id),
    currency        TEXT    NOT NULL,
    rate_micro      BIGINT  NOT NULL CHECK (rate_micro > 0),
    -- Local dates, `YYYY-MM-DD`.
    invoice_date    TEXT    NOT NULL,
    due_date        TEXT    NOT NULL,
    contract_no     TEXT,
    contract_date   TEXT,
    note            TEXT,
    net_minor       BIGINT  NOT NULL,
    vat_minor       BIGINT  NOT NULL,
    total_minor     BIGINT  NOT NULL,
    created_by      BIGINT  NOT NULL REFERENCES users (id),
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    version         BIGINT  NOT NULL DEFAULT 1,
    cancelled_at    BIGINT,
    UNIQUE (kind, year, seq)
);
CREATE INDEX invoices_customer ON invoices (customer_id, id);
CREATE INDEX invoices_order ON invoices (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX invoices_due ON invoices (status, due_date);
CREATE INDEX invoices_counterparty ON invoices (counterparty_id) WHERE counterparty_id IS NOT NULL;

CREATE TABLE invoice_lines (
    id            INTEGER PRIMARY KEY,
    invoice_id    BIGINT  NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_no       INTEGER NOT NULL,
    product_id    BIGINT  NOT NULL REFERENCES products (id),
    -- The order line it bills (invoices from an order).
    order_line_id BIGINT  REFERENCES sales_order_lines (id),
    unit          TEXT    NOT NULL,
    factor_milli  BIGINT  NOT NULL,
    qty_milli     BIGINT  NOT NULL CHECK (qty_milli > 0),
    base_milli    BIGINT  NOT NULL,
    price_minor   BIGINT  NOT NULL CHECK (price_minor >= 0),
    discount_bp   INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    vat_bp        INTEGER CHECK (vat_bp IS NULL OR vat_bp BETWEEN 0 AND 10000),
    net_minor     BIGINT  NOT NULL,
    vat_minor     BIGINT  NOT NULL,
    total_minor   BIGINT  NOT NULL,
    UNIQUE (invoice_id, line_no)
);
CREATE INDEX invoice_lines_order_line ON invoice_lines (order_line_id) WHERE order_line_id IS NOT NULL;
CREATE INDEX invoice_lines_product ON invoice_lines (product_id);

-- How much of each order line (base unit thousandths) live invoices bill: never more than was ordered.
ALTER TABLE sales_order_lines ADD COLUMN invoiced_milli BIGINT NOT NULL DEFAULT 0 CHECK (invoiced_milli >= 0);
