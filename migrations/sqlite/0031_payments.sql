-- Payments (issue 17): money in from customers and out of the company, through its bank accounts and cash
-- desks (`money_accounts`), allocated to invoices. Money is integer minor units (two decimals) of the
-- payment's currency (its account's); `rate_micro` is UZS for one unit of it, in millionths, on its date.
--
-- `payments` is a ledger: rows are never deleted and their money never edited (triggers refuse it; the
-- running `allocated_minor` changes, and a customers' merge moves the payer). A mistake is reversed by a new
-- row (`reverses_id`) of the opposite sign, dated the day of the reversal. `payment_allocations` is
-- append-only the same way: what a payment paid of an invoice is taken back by a negative row (a reversal,
-- an invoice cancelled). `invoices.paid_minor` and
-- `payments.allocated_minor` are what the allocations add up to, kept in the same transaction, with the
-- conditions that no invoice is paid past its total and no payment allocated past its amount.
-- What an incoming payment has not paid of any invoice is the customer's advance.
--
-- The accountant role (payments, invoices, all customers' money): SQLite cannot change a CHECK constraint,
-- so the users table is rebuilt, the documented way (as 0023 did).
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'sales_head', 'manager', 'storekeeper', 'accountant')),
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

CREATE TABLE money_accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL CHECK (kind IN ('bank', 'cash')),
    currency    TEXT    NOT NULL,
    -- A bank account's bank code (MFO, 5 digits) and number (20 digits).
    bank_code   TEXT,
    account_no  TEXT,
    archived_at BIGINT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    version     BIGINT  NOT NULL DEFAULT 1
);

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    direction       TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    method          TEXT    NOT NULL CHECK (method IN ('bank', 'cash', 'card')),
    account_id      BIGINT  NOT NULL REFERENCES money_accounts (id),
    -- Who paid (in; required) or was paid (out; a customer, or only `party` for a supplier).
    customer_id     BIGINT  REFERENCES customers (id),
    counterparty_id BIGINT  REFERENCES counterparties (id),
    party           TEXT,
    currency        TEXT    NOT NULL,
    rate_micro      BIGINT  NOT NULL CHECK (rate_micro > 0),
    -- Local date, `YYYY-MM-DD`.
    pay_date        TEXT    NOT NULL,
    -- Positive; a reversal's is the negative of what it reverses.
    amount_minor    BIGINT  NOT NULL CHECK (amount_minor <> 0),
    allocated_minor BIGINT  NOT NULL DEFAULT 0,
    -- The bank's or cash order's number, and the purpose as the payer wrote it.
    doc_no          TEXT,
    purpose         TEXT,
    reverses_id     BIGINT  UNIQUE REFERENCES payments (id),
    created_by      BIGINT  NOT NULL REFERENCES users (id),
    created_at      BIGINT  NOT NULL,
    CHECK (allocated_minor >= 0 AND (amount_minor < 0 OR allocated_minor <= amount_minor))
);
CREATE INDEX payments_customer ON payments (customer_id, id) WHERE customer_id IS NOT NULL;
-- Dynamics sum one currency's payments per day, account and direction from this index alone.
CREATE INDEX payments_flow ON payments (currency, pay_date, account_id, direction, amount_minor);
CREATE INDEX payments_account ON payments (account_id, id);
-- A customer's advances: incoming payments not wholly allocated.
CREATE INDEX payments_unallocated ON payments (customer_id, pay_date)
    WHERE direction = 'in' AND amount_minor > 0 AND allocated_minor < amount_minor;

CREATE TABLE payment_allocations (
    id           INTEGER PRIMARY KEY,
    payment_id   BIGINT  NOT NULL REFERENCES payments (id),
    invoice_id   BIGINT  NOT NULL REFERENCES invoices (id),
    amount_minor BIGINT  NOT NULL CHECK (amount_minor <> 0),
    created_by   BIGINT  NOT NULL REFERENCES users (id),
    created_at   BIGINT  NOT NULL
);
CREATE INDEX payment_allocations_payment ON payment_allocations (payment_id);
CREATE INDEX payment_allocations_invoice ON payment_allocations (invoice_id);

CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
    WHEN NEW.direction IS NOT OLD.direction OR NEW.method IS NOT OLD.method OR NEW.account_id IS NOT OLD.account_id
      OR NEW.currency IS NOT OLD.currency OR NEW.rate_micro IS NOT OLD.rate_micro
      OR NEW.pay_date IS NOT OLD.pay_date OR NEW.amount_minor IS NOT OLD.amount_minor OR NEW.reverses_id IS NOT OLD.reverses_id
BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE TRIGGER payment_allocations_no_delete BEFORE DELETE ON payment_allocations
BEGIN SELECT RAISE(ABORT, 'payment allocations are append-only'); END;
CREATE TRIGGER payment_allocations_no_update BEFORE UPDATE ON payment_allocations
BEGIN SELECT RAISE(ABORT, 'payment allocations are append-only'); END;

-- What allocations have paid of each invoice; receivables read the invoices still open.
ALTER TABLE invoices ADD COLUMN paid_minor BIGINT NOT NULL DEFAULT 0 CHECK (paid_minor >= 0);
CREATE INDEX invoices_open ON invoices (customer_id, due_date) WHERE status = 'issued' AND paid_minor < total_minor;
-- A payment's purpose or a cashier names the invoice it pays by number.
CREATE INDEX invoices_number ON invoices (number);
