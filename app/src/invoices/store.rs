//! The SQL of invoices, written once for both databases. Issuing an invoice numbers it, writes its lines and
//! adds what it bills to its order's lines (`invoiced_milli`, never past what was ordered) in one transaction;
//! cancelling takes that back in one.

use rust_decimal::Decimal;

use super::{
    Invoice, InvoiceKind, InvoiceLine, InvoicePage, InvoiceStatus, InvoiceSummary, credit_note_number, invoice_number,
};
use crate::core::db::{BeginWrite, Db, Rows, V};
use crate::core::{AppError, ErrCode, now_millis};
use crate::db_run;
use crate::orders::store::percent;
use crate::stock::store::{cut_page, opt_id};
use crate::stock::{money_of, qty_of};

/// A checked line, priced and rounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineValues {
    pub product_id: i64,
    pub order_line_id: Option<i64>,
    /// A credit note's line: the invoice line it credits.
    pub credits_line_id: Option<i64>,
    pub unit: String,
    pub factor_milli: i64,
    pub qty_milli: i64,
    pub base_milli: i64,
    pub price_minor: i64,
    pub discount_bp: i32,
    pub vat_bp: Option<i32>,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub total_minor: i64,
}

/// A checked invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceValues {
    pub kind: InvoiceKind,
    /// A credit note's invoice.
    pub credits: Option<i64>,
    pub prefix: String,
    pub customer_id: i64,
    pub counterparty_id: Option<i64>,
    pub order_id: Option<i64>,
    pub manager_id: i64,
    pub currency: String,
    pub rate_micro: i64,
    pub invoice_date: String,
    pub due_date: String,
    pub contract_no: Option<String>,
    pub contract_date: Option<String>,
    pub note: Option<String>,
    pub lines: Vec<LineValues>,
}

/// Takes back, inside the transaction `$tx`, `$amount` (minor units) that payment `$payment` paid of invoice
/// `$invoice`: a negative allocation row (the ledger is append-only), and the invoice's paid and the
/// payment's allocated sums lowered by it. A payment's reversal and an invoice's cancellation use it.
macro_rules! take_back_payment {
    ($tx:ident, $payment:expr, $invoice:expr, $amount:expr, $user:expr, $now:expr) => {{
        sqlx::query(
            "INSERT INTO payment_allocations (payment_id, invoice_id, amount_minor, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($payment)
        .bind($invoice)
        .bind(-$amount)
        .bind($user)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
        sqlx::query(
            "UPDATE invoices SET paid_minor = paid_minor - $1, updated_at = $2, version = version + 1 WHERE id = $3",
        )
        .bind($amount)
        .bind($now)
        .bind($invoice)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE payments SET allocated_minor = allocated_minor - $1 WHERE id = $2")
            .bind($amount)
            .bind($payment)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use take_back_payment;

/// Inserts, inside the transaction `$tx` (`?` inside), an invoice or credit note with the next number of its
/// kind and year and its lines; evaluates to its id.
macro_rules! insert_invoice {
    ($tx:ident, $db:expr, $v:expr, $user:expr, $now:expr) => {{
        let v: &InvoiceValues = $v;
        let year: i32 = v.invoice_date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(1970);
        let (net, vat, total) =
            v.lines.iter().fold((0, 0, 0), |(n, a, t), l| (n + l.net_minor, a + l.vat_minor, t + l.total_minor));
        let seq: i64 = sqlx::query_scalar(
            "INSERT INTO stock_numbers (kind, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (kind, year) DO UPDATE SET last = stock_numbers.last + 1 RETURNING last",
        )
        .bind(v.kind.as_str())
        .bind(year)
        .fetch_one(&mut *$tx)
        .await?;
        let number = match v.kind {
            InvoiceKind::Invoice => invoice_number(&v.prefix, year, seq),
            InvoiceKind::CreditNote => credit_note_number(&v.prefix, year, seq),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO invoices (kind, credited_id, year, seq, number, customer_id, counterparty_id, order_id, \
             manager_id, currency, rate_micro, invoice_date, due_date, contract_no, contract_date, note, net_minor, \
             vat_minor, total_minor, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
             $21) RETURNING id",
        )
        .bind(v.kind.as_str())
        .bind(v.credits)
        .bind(year)
        .bind(seq)
        .bind(number)
        .bind(v.customer_id)
        .bind(v.counterparty_id)
        .bind(v.order_id)
        .bind(v.manager_id)
        .bind(&v.currency)
        .bind(v.rate_micro)
        .bind(&v.invoice_date)
        .bind(&v.due_date)
        .bind(&v.contract_no)
        .bind(&v.contract_date)
        .bind(&v.note)
        .bind(net)
        .bind(vat)
        .bind(total)
        .bind($user)
        .bind($now)
        .fetch_one(&mut *$tx)
        .await?;
        let mut rows = Rows::new(
            $db,
            "INSERT INTO invoice_lines (invoice_id, line_no, product_id, order_line_id, credits_line_id, unit, \
             factor_milli, qty_milli, base_milli, price_minor, discount_bp, vat_bp, net_minor, vat_minor, total_minor)",
            15,
        );
        for (i, l) in v.lines.iter().enumerate() {
            rows.push([
                V::I(id),
                V::I(i as i64 + 1),
                V::I(l.product_id),
                l.order_line_id.into(),
                l.credits_line_id.into(),
                V::S(l.unit.clone()),
                V::I(l.factor_milli),
                V::I(l.qty_milli),
                V::I(l.base_milli),
                V::I(l.price_minor),
                V::I(l.discount_bp.into()),
                l.vat_bp.map(i64::from).into(),
                V::I(l.net_minor),
                V::I(l.vat_minor),
                V::I(l.total_minor),
            ]);
        }
        crate::insert_rows!($tx, rows);
        (id, total)
    }};
}

/// Issues an invoice with the next number of its year; returns its id. An order line billed past what was
/// ordered (another invoice took it meanwhile) refuses the whole invoice: `lines[i].qty`.
pub async fn create(db: &Db, user_id: i64, v: &InvoiceValues) -> Result<i64, AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let (id, _) = insert_invoice!(tx, db, v, user_id, now);
        for (i, l) in v.lines.iter().enumerate() {
            let Some(line) = l.order_line_id else { continue };
            let n = sqlx::query(
                "UPDATE sales_order_lines SET invoiced_milli = invoiced_milli + $1 \
                 WHERE id = $2 AND invoiced_milli + $1 <= base_milli")
                .bind(l.base_milli).bind(line).execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(AppError::field(&format!("lines[{i}].qty"), ErrCode::MoreThanOrdered));
            }
        }
        if let Some(order) = v.order_id {
            sqlx::query("UPDATE sales_orders SET updated_at = $1, version = version + 1 WHERE id = $2")
                .bind(now).bind(order).execute(&mut *tx).await?;
        }
        crate::audit!(tx, v.customer_id, "invoice", id, "created", &[], user_id, now)?;
        tx.commit().await?;
        Ok(id)
    })
}

/// Issues a credit note of invoice `v.credits` at its `version`; returns its id. Each credited line's
/// `credited_milli` grows (never past the line's quantity: `lines[i].qty`), the invoice's `credited_minor`
/// by the credit note's total; what that frees beyond what the invoice still owed is taken back from its
/// payments, latest first, as the customer's advance.
pub async fn credit(db: &Db, user_id: i64, version: i64, v: &InvoiceValues) -> Result<i64, AppError> {
    let now = now_millis();
    let invoice = v.credits.ok_or(AppError::NotFound)?;
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let owed: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT total_minor, paid_minor, credited_minor FROM invoices \
             WHERE id = $1 AND version = $2 AND status = 'issued' AND kind = 'invoice'")
            .bind(invoice).bind(version).fetch_optional(&mut *tx).await?;
        let Some((total, paid, credited)) = owed else { return Err(AppError::Conflict) };
        let (id, credit) = insert_invoice!(tx, db, v, user_id, now);
        for (i, l) in v.lines.iter().enumerate() {
            let Some(line) = l.credits_line_id else { continue };
            let n = sqlx::query(
                "UPDATE invoice_lines SET credited_milli = credited_milli + $1 \
                 WHERE id = $2 AND invoice_id = $3 AND credited_milli + $1 <= qty_milli")
                .bind(l.qty_milli).bind(line).bind(invoice).execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(AppError::field(&format!("lines[{i}].qty"), ErrCode::MoreThanInvoiced));
            }
        }
        // Money the credit frees beyond what was owed goes back to the payments, latest first.
        let mut excess = credit - (total - paid - credited).max(0);
        if excess > 0 {
            let paid_by: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT payment_id, CAST(SUM(amount_minor) AS BIGINT) FROM payment_allocations WHERE invoice_id = $1 \
                 GROUP BY payment_id HAVING SUM(amount_minor) > 0 ORDER BY payment_id DESC")
                .bind(invoice).fetch_all(&mut *tx).await?;
            for (payment, amount) in paid_by {
                let back = amount.min(excess);
                if back <= 0 {
                    break;
                }
                take_back_payment!(tx, payment, invoice, back, user_id, now);
                excess -= back;
            }
        }
        let n = sqlx::query(
            "UPDATE invoices SET credited_minor = credited_minor + $1, updated_at = $2, version = version + 1 \
             WHERE id = $3 AND paid_minor + credited_minor + $1 <= total_minor")
            .bind(credit).bind(now).bind(invoice).execute(&mut *tx).await?.rows_affected();
        if n != 1 {
            return Err(AppError::field("lines", ErrCode::MoreThanInvoiced));
        }
        crate::audit!(tx, v.customer_id, "invoice", id, "created", &[], user_id, now)?;
        tx.commit().await?;
        Ok(id)
    })
}

/// Cancels an issued invoice at `version`; what it billed of its order's lines is billable again, what
/// payments paid of it is their advance again. An invoice with live credit notes is refused (`status`);
/// a cancelled credit note gives its invoice back what it took off.
pub async fn cancel(db: &Db, user_id: i64, id: i64, version: i64) -> Result<(), AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let credits: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM invoices WHERE credited_id = $1 AND status = 'issued'")
            .bind(id).fetch_one(&mut *tx).await?;
        if credits > 0 {
            return Err(AppError::field("status", ErrCode::HasCreditNotes));
        }
        let row: Option<(i64, Option<i64>, Option<i64>, i64)> = sqlx::query_as(
            "UPDATE invoices SET status = 'cancelled', cancelled_at = $1, updated_at = $1, version = version + 1 \
             WHERE id = $2 AND version = $3 AND status = 'issued' \
             RETURNING customer_id, order_id, credited_id, total_minor")
            .bind(now).bind(id).bind(version).fetch_optional(&mut *tx).await?;
        let Some((customer, order, credited_invoice, total)) = row else { return Err(AppError::Conflict) };
        if let Some(invoice) = credited_invoice {
            let lines: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT credits_line_id, qty_milli FROM invoice_lines WHERE invoice_id = $1 \
                 AND credits_line_id IS NOT NULL ORDER BY credits_line_id")
                .bind(id).fetch_all(&mut *tx).await?;
            for (line, qty) in &lines {
                sqlx::query("UPDATE invoice_lines SET credited_milli = credited_milli - $1 WHERE id = $2")
                    .bind(qty).bind(line).execute(&mut *tx).await?;
            }
            sqlx::query(
                "UPDATE invoices SET credited_minor = credited_minor - $1, updated_at = $2, version = version + 1 \
                 WHERE id = $3")
                .bind(total).bind(now).bind(invoice).execute(&mut *tx).await?;
            crate::audit!(tx, customer, "invoice", id, "cancelled", &[], user_id, now)?;
            tx.commit().await?;
            return Ok(());
        }
        let billed: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT order_line_id, base_milli FROM invoice_lines WHERE invoice_id = $1 AND order_line_id IS NOT NULL \
             ORDER BY order_line_id")
            .bind(id).fetch_all(&mut *tx).await?;
        for (line, base) in &billed {
            sqlx::query("UPDATE sales_order_lines SET invoiced_milli = invoiced_milli - $1 WHERE id = $2")
                .bind(base).bind(line).execute(&mut *tx).await?;
        }
        if let Some(order) = order {
            sqlx::query("UPDATE sales_orders SET updated_at = $1, version = version + 1 WHERE id = $2")
                .bind(now).bind(order).execute(&mut *tx).await?;
        }
        // What payments paid of it is theirs again (the customer's advance), by append-only rows.
        let paid: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT payment_id, CAST(SUM(amount_minor) AS BIGINT) FROM payment_allocations WHERE invoice_id = $1 \
             GROUP BY payment_id HAVING SUM(amount_minor) > 0 ORDER BY payment_id")
            .bind(id).fetch_all(&mut *tx).await?;
        for (payment, amount) in &paid {
            take_back_payment!(tx, payment, id, amount, user_id, now);
        }
        crate::audit!(tx, customer, "invoice", id, "cancelled", &[], user_id, now)?;
        tx.commit().await?;
        Ok(())
    })
}

/// Who an invoice belongs to and where it is: what the permission checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceHead {
    pub customer_id: i64,
    pub status: InvoiceStatus,
    pub version: i64,
}

/// The head of an invoice, or `NotFound`.
pub async fn head(db: &Db, id: i64) -> Result<InvoiceHead, AppError> {
    let sql = "SELECT customer_id, status, version FROM invoices WHERE id = $1";
    let row: Option<(i64, String, i64)> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let (customer_id, status, version) = row.ok_or(AppError::NotFound)?;
    Ok(InvoiceHead { customer_id, status: InvoiceStatus::parse(&status).ok_or(AppError::NotFound)?, version })
}

#[derive(sqlx::FromRow)]
struct HeadRow {
    id: i64,
    kind: String,
    number: String,
    status: String,
    customer_id: i64,
    customer_name: String,
    counterparty_id: Option<i64>,
    counterparty_name: Option<String>,
    order_id: Option<i64>,
    order_number: Option<String>,
    manager_id: i64,
    manager_name: String,
    currency: String,
    rate_micro: i64,
    invoice_date: String,
    due_date: String,
    contract_no: Option<String>,
    contract_date: Option<String>,
    note: Option<String>,
    net_minor: i64,
    vat_minor: i64,
    total_minor: i64,
    paid_minor: i64,
    credited_minor: i64,
    credited_id: Option<i64>,
    credited_number: Option<String>,
    created_at: i64,
    version: i64,
    cancelled_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct LineRow {
    id: i64,
    line_no: i32,
    product_id: i64,
    product_name: String,
    order_line_id: Option<i64>,
    unit: String,
    qty_milli: i64,
    price_minor: i64,
    discount_bp: i32,
    vat_bp: Option<i32>,
    net_minor: i64,
    vat_minor: i64,
    total_minor: i64,
    credited_milli: i64,
}

/// One invoice with its lines and credit notes, or `NotFound`.
pub async fn get(db: &Db, id: i64) -> Result<Invoice, AppError> {
    let sql = "SELECT i.id, i.kind, i.number, i.status, i.customer_id, c.name AS customer_name, i.counterparty_id, \
               cp.legal_name AS counterparty_name, i.order_id, o.number AS order_number, i.manager_id, \
               u.name AS manager_name, i.currency, i.rate_micro, i.invoice_date, i.due_date, i.contract_no, \
               i.contract_date, i.note, i.net_minor, i.vat_minor, i.total_minor, i.paid_minor, i.credited_minor, \
               i.credited_id, ci.number AS credited_number, i.created_at, i.version, i.cancelled_at \
               FROM invoices i JOIN customers c ON c.id = i.customer_id JOIN users u ON u.id = i.manager_id \
               LEFT JOIN counterparties cp ON cp.id = i.counterparty_id LEFT JOIN sales_orders o ON o.id = i.order_id \
               LEFT JOIN invoices ci ON ci.id = i.credited_id WHERE i.id = $1";
    let h: Option<HeadRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let h = h.ok_or(AppError::NotFound)?;
    let sql = "SELECT l.id, l.line_no, l.product_id, p.name AS product_name, l.order_line_id, l.unit, l.qty_milli, \
               l.price_minor, l.discount_bp, l.vat_bp, l.net_minor, l.vat_minor, l.total_minor, l.credited_milli \
               FROM invoice_lines l JOIN products p ON p.id = l.product_id WHERE l.invoice_id = $1 ORDER BY l.line_no";
    let lines: Vec<LineRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    let credit_notes = list(db, &InvoiceQuery { credits: Some(id), limit: 200, ..Default::default() }).await?.items;
    Ok(Invoice {
        id: h.id,
        kind: InvoiceKind::parse(&h.kind).unwrap_or_default(),
        number: h.number,
        status: InvoiceStatus::parse(&h.status).ok_or(AppError::NotFound)?,
        customer_id: h.customer_id,
        customer_name: h.customer_name,
        counterparty_id: h.counterparty_id,
        counterparty_name: h.counterparty_name,
        order_id: h.order_id,
        order_number: h.order_number,
        manager_id: h.manager_id,
        manager_name: h.manager_name,
        currency: h.currency,
        rate: Decimal::new(h.rate_micro, 6).normalize(),
        invoice_date: h.invoice_date,
        due_date: h.due_date,
        contract_no: h.contract_no,
        contract_date: h.contract_date,
        note: h.note,
        net: money_of(h.net_minor),
        vat: money_of(h.vat_minor),
        total: money_of(h.total_minor),
        paid: money_of(h.paid_minor),
        credited: money_of(h.credited_minor),
        credits: h.credited_id.zip(h.credited_number),
        credit_notes,
        lines: lines
            .into_iter()
            .map(|l| InvoiceLine {
                id: l.id,
                line_no: l.line_no,
                product_id: l.product_id,
                product_name: l.product_name,
                order_line_id: l.order_line_id,
                unit: l.unit,
                qty: qty_of(l.qty_milli),
                price: money_of(l.price_minor),
                discount: percent(l.discount_bp),
                vat_rate: l.vat_bp.map(percent),
                net: money_of(l.net_minor),
                vat: money_of(l.vat_minor),
                total: money_of(l.total_minor),
                credited: qty_of(l.credited_milli),
            })
            .collect(),
        created_at: h.created_at,
        version: h.version,
        cancelled_at: h.cancelled_at,
    })
}

/// Which invoices a list shows.
#[derive(Debug, Clone, Default)]
pub struct InvoiceQuery {
    /// The reader's scope over the customers' managers.
    pub scope: Option<crate::core::identity::Scope>,
    pub customer_id: Option<i64>,
    pub order_id: Option<i64>,
    /// The credit notes of this invoice.
    pub credits: Option<i64>,
    pub status: Option<InvoiceStatus>,
    /// A part of the number.
    pub number: Option<String>,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page of invoices, newest first.
pub async fn list(db: &Db, q: &InvoiceQuery) -> Result<InvoicePage, AppError> {
    use crate::customers::store::{Arg, bind_args, push_cond};
    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        kind: String,
        number: String,
        status: String,
        customer_id: i64,
        customer_name: String,
        order_id: Option<i64>,
        invoice_date: String,
        due_date: String,
        currency: String,
        total_minor: i64,
        paid_minor: i64,
        credited_minor: i64,
    }
    // `c` is what the scope's condition names: the customer's table.
    let mut sql = "SELECT i.id, i.kind, i.number, i.status, i.customer_id, c.name AS customer_name, i.order_id, \
                   i.invoice_date, i.due_date, i.currency, i.total_minor, i.paid_minor, i.credited_minor \
                   FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE 1 = 1"
        .to_string();
    let mut args = Vec::new();
    if let Some(scope) = q.scope {
        crate::customers::store::scope_sql(scope, &mut sql, &mut args);
    }
    if let Some(c) = q.customer_id {
        push_cond(&mut sql, &mut args, " AND i.customer_id = #", Arg::I(c));
    }
    if let Some(o) = q.order_id {
        push_cond(&mut sql, &mut args, " AND i.order_id = #", Arg::I(o));
    }
    if let Some(i) = q.credits {
        push_cond(&mut sql, &mut args, " AND i.credited_id = #", Arg::I(i));
    }
    if let Some(s) = q.status {
        push_cond(&mut sql, &mut args, " AND i.status = #", Arg::S(s.as_str().into()));
    }
    if let Some(n) = q.number.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        let escaped = crate::core::db::like_escape(&n.to_uppercase());
        push_cond(&mut sql, &mut args, " AND i.number LIKE # ESCAPE '\\'", Arg::S(format!("%{escaped}%")));
    }
    if let Some(id) = opt_id("cursor", q.cursor.as_deref())? {
        push_cond(&mut sql, &mut args, " AND i.id < #", Arg::I(id));
    }
    let limit = q.limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    sql.push_str(&format!(" ORDER BY i.id DESC LIMIT {}", limit + 1));
    let mut rows: Vec<Row> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next_cursor = cut_page(&mut rows, limit, |r| r.id.to_string());
    let items = rows
        .into_iter()
        .filter_map(|r| {
            Some(InvoiceSummary {
                id: r.id,
                kind: InvoiceKind::parse(&r.kind)?,
                number: r.number,
                status: InvoiceStatus::parse(&r.status)?,
                customer_id: r.customer_id,
                customer_name: r.customer_name,
                order_id: r.order_id,
                invoice_date: r.invoice_date,
                due_date: r.due_date,
                currency: r.currency,
                total: money_of(r.total_minor),
                paid: money_of(r.paid_minor),
                credited: money_of(r.credited_minor),
            })
        })
        .collect();
    Ok(InvoicePage { items, next_cursor })
}

/// What a customer's live invoices bill, per currency, less what their credit notes took off.
pub async fn issued_totals(db: &Db, customer_id: i64) -> Result<Vec<(String, Decimal)>, AppError> {
    let sql = "SELECT currency, CAST(SUM(total_minor - credited_minor) AS BIGINT) FROM invoices \
               WHERE customer_id = $1 AND status = 'issued' AND kind = 'invoice' GROUP BY currency ORDER BY currency";
    let rows: Vec<(String, i64)> = db_run!(db, p => sqlx::query_as(sql).bind(customer_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(c, s)| (c, money_of(s))).collect())
}

/// An order line as an invoice bills it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Billable {
    pub id: i64,
    pub product_id: i64,
    pub kind: String,
    pub unit: String,
    pub factor_milli: i64,
    pub base_milli: i64,
    pub shipped_milli: i64,
    pub invoiced_milli: i64,
    pub price_minor: i64,
    pub discount_bp: i32,
    pub vat_bp: Option<i32>,
}

impl Billable {
    /// `base_milli` of this line in its own unit's thousandths.
    pub fn in_own_unit(&self, base_milli: i64) -> i64 {
        crate::stock::div_round(base_milli as i128 * 1000, self.factor_milli.max(1) as i128)
    }
}

/// The lines of an order as an invoice bills them, in order.
pub async fn billable(db: &Db, order_id: i64) -> Result<Vec<Billable>, AppError> {
    let sql = "SELECT l.id, l.product_id, p.kind, l.unit, l.factor_milli, l.base_milli, l.shipped_milli, \
               l.invoiced_milli, l.price_minor, l.discount_bp, l.vat_bp FROM sales_order_lines l \
               JOIN products p ON p.id = l.product_id WHERE l.order_id = $1 ORDER BY l.line_no";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(order_id).fetch_all(p).await)?)
}

/// The state catalogue's codes of the products an invoice bills: `product id → (MXIK, package code)`.
pub async fn product_codes(db: &Db, invoice_id: i64) -> Result<Vec<(i64, Option<String>, Option<String>)>, AppError> {
    let sql = "SELECT DISTINCT p.id, p.mxik, p.package_code FROM invoice_lines l \
               JOIN products p ON p.id = l.product_id WHERE l.invoice_id = $1";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(invoice_id).fetch_all(p).await)?)
}

/// An invoice line as a credit note takes it back: its pricing, what is credited of it and of its sums.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CreditableLine {
    pub id: i64,
    pub line_no: i32,
    pub product_id: i64,
    pub unit: String,
    pub factor_milli: i64,
    pub qty_milli: i64,
    pub price_minor: i64,
    pub discount_bp: i32,
    pub vat_bp: Option<i32>,
    pub net_minor: i64,
    pub vat_minor: i64,
    pub total_minor: i64,
    pub credited_milli: i64,
    pub credited_net: i64,
    pub credited_vat: i64,
    pub credited_total: i64,
}

/// The lines of an invoice with what live credit notes took of each, in order.
pub async fn line_rows(db: &Db, invoice_id: i64) -> Result<Vec<CreditableLine>, AppError> {
    let sql = "SELECT l.id, l.line_no, l.product_id, l.unit, l.factor_milli, l.qty_milli, l.price_minor, \
               l.discount_bp, l.vat_bp, l.net_minor, l.vat_minor, l.total_minor, l.credited_milli, \
               CAST(COALESCE(SUM(k.net_minor), 0) AS BIGINT) AS credited_net, \
               CAST(COALESCE(SUM(k.vat_minor), 0) AS BIGINT) AS credited_vat, \
               CAST(COALESCE(SUM(k.total_minor), 0) AS BIGINT) AS credited_total \
               FROM invoice_lines l \
               LEFT JOIN invoice_lines k ON k.credits_line_id = l.id \
                   AND EXISTS (SELECT 1 FROM invoices n WHERE n.id = k.invoice_id AND n.status = 'issued') \
               WHERE l.invoice_id = $1 \
               GROUP BY l.id, l.line_no, l.product_id, l.unit, l.factor_milli, l.qty_milli, l.price_minor, \
               l.discount_bp, l.vat_bp, l.net_minor, l.vat_minor, l.total_minor, l.credited_milli ORDER BY l.line_no";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(invoice_id).fetch_all(p).await)?)
}
