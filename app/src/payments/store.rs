//! The SQL of payments and receivables, written once for both databases. Posting a payment, allocating it
//! and reversing it each run in one transaction that keeps `invoices.paid_minor` and
//! `payments.allocated_minor` equal to what the allocations add up to.

use rust_decimal::Decimal;
use sqlx::Row;

use super::{
    AccountKind, AgingRow, Allocation, Direction, Method, MoneyAccount, OpenInvoice, Payment, PaymentPage,
    PaymentSummary,
};
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::Scope;
use crate::core::{AppError, ErrCode, now_millis};
use crate::customers::store::{Arg, bind_args, push_cond, scope_sql};
use crate::db_run;
use crate::stock::money_of;
use crate::stock::store::{cut_page, opt_id};

/// Every bank account and cash desk, the archived last, with its balance.
pub async fn accounts(db: &Db) -> Result<Vec<MoneyAccount>, AppError> {
    #[derive(sqlx::FromRow)]
    struct AccountRow {
        id: i64,
        name: String,
        kind: String,
        currency: String,
        bank_code: Option<String>,
        account_no: Option<String>,
        archived_at: Option<i64>,
        version: i64,
        balance: i64,
    }
    let sql = "SELECT a.id, a.name, a.kind, a.currency, a.bank_code, a.account_no, a.archived_at, a.version, \
               CAST(COALESCE((SELECT SUM(CASE WHEN p.direction = 'in' THEN p.amount_minor ELSE -p.amount_minor END) \
               FROM payments p WHERE p.account_id = a.id), 0) AS BIGINT) AS balance \
               FROM money_accounts a ORDER BY a.archived_at IS NOT NULL, a.name";
    let rows: Vec<AccountRow> = db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| MoneyAccount {
            id: r.id,
            name: r.name,
            kind: AccountKind::parse(&r.kind).unwrap_or_default(),
            currency: r.currency,
            bank_code: r.bank_code,
            account_no: r.account_no,
            archived: r.archived_at.is_some(),
            balance: money_of(r.balance),
            version: r.version,
        })
        .collect())
}

/// A checked new account.
pub struct AccountValues {
    pub name: String,
    pub kind: AccountKind,
    pub currency: String,
    pub bank_code: Option<String>,
    pub account_no: Option<String>,
}

/// Adds an account; a name in use is refused on `name`.
pub async fn create_account(db: &Db, v: &AccountValues) -> Result<i64, AppError> {
    let now = now_millis();
    let sql = "INSERT INTO money_accounts (name, kind, currency, bank_code, account_no, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id";
    let r: Result<i64, sqlx::Error> = db_run!(db, p => sqlx::query_scalar(sql).bind(&v.name).bind(v.kind.as_str())
        .bind(&v.currency).bind(&v.bank_code).bind(&v.account_no).bind(now).fetch_one(p).await);
    match r {
        Err(e) if crate::core::db::is_unique_violation(&e) => Err(AppError::field("name", ErrCode::NameTaken)),
        r => Ok(r?),
    }
}

/// Archives (no new payments) or restores an account at `version`.
pub async fn archive_account(db: &Db, id: i64, version: i64, archived: bool) -> Result<(), AppError> {
    let now = now_millis();
    let sql = "UPDATE money_accounts SET archived_at = $1, updated_at = $2, version = version + 1 \
               WHERE id = $3 AND version = $4";
    let at = archived.then_some(now);
    let n = db_run!(db, p => sqlx::query(sql).bind(at).bind(now).bind(id).bind(version).execute(p).await
        .map(|r| r.rows_affected()))?;
    if n == 1 { Ok(()) } else { Err(AppError::Conflict) }
}

/// `(kind, currency, archived)` of an account.
pub async fn account(db: &Db, id: i64) -> Result<Option<(AccountKind, String, bool)>, AppError> {
    let sql = "SELECT kind, currency, archived_at FROM money_accounts WHERE id = $1";
    let r: Option<(String, String, Option<i64>)> =
        db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    Ok(r.map(|(k, c, a)| (AccountKind::parse(&k).unwrap_or_default(), c, a.is_some())))
}

/// A checked payment.
pub struct PaymentValues {
    pub direction: Direction,
    pub method: Method,
    pub account_id: i64,
    pub customer_id: Option<i64>,
    pub counterparty_id: Option<i64>,
    pub party: Option<String>,
    pub currency: String,
    pub rate_micro: i64,
    pub pay_date: String,
    pub amount_minor: i64,
    pub doc_no: Option<String>,
    pub purpose: Option<String>,
}

/// Pays invoices from a payment inside the transaction `$tx`: the `(invoice, minor)` plan given, or (`None`)
/// the automatic one over the customer's open invoices in the currency. Refuses the whole transaction when
/// an invoice would be paid past its total (`allocations[i].amount`) or the payment allocated past its
/// amount (`amount`).
macro_rules! allocate_in {
    ($tx:ident, $user:expr, $payment:expr, $customer:expr, $currency:expr, $purpose:expr, $left:expr, $plan:expr, $now:expr) => {{
        let plan: Vec<(i64, i64)> = match $plan {
            Some(p) => p,
            None => {
                let open: Vec<(i64, String, i64)> = sqlx::query_as(
                    "SELECT id, number, total_minor - paid_minor - credited_minor FROM invoices WHERE customer_id = $1 \
                     AND currency = $2 AND status = 'issued' AND kind = 'invoice' AND paid_minor + credited_minor < total_minor \
                     ORDER BY due_date, id LIMIT 500")
                    .bind($customer).bind($currency).fetch_all(&mut *$tx).await?;
                $crate::payments::plan_allocation($left, $purpose, &open)
            }
        };
        for (i, (invoice, amount)) in plan.iter().enumerate() {
            let n = sqlx::query(
                "UPDATE invoices SET paid_minor = paid_minor + $1, updated_at = $2, version = version + 1 \
                 WHERE id = $3 AND customer_id = $4 AND currency = $5 AND status = 'issued' AND kind = 'invoice' \
                 AND paid_minor + credited_minor + $1 <= total_minor")
                .bind(amount).bind($now).bind(invoice).bind($customer).bind($currency)
                .execute(&mut *$tx).await?.rows_affected();
            if n != 1 {
                return Err($crate::core::AppError::field(
                    &format!("allocations[{i}].amount"),
                    $crate::core::ErrCode::MoreThanOpen,
                ));
            }
            let n = sqlx::query(
                "UPDATE payments SET allocated_minor = allocated_minor + $1 WHERE id = $2 \
                 AND allocated_minor + $1 <= amount_minor")
                .bind(amount).bind($payment).execute(&mut *$tx).await?.rows_affected();
            if n != 1 {
                return Err($crate::core::AppError::field("amount", $crate::core::ErrCode::MoreThanPayment));
            }
            sqlx::query(
                "INSERT INTO payment_allocations (payment_id, invoice_id, amount_minor, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5)")
                .bind($payment).bind(invoice).bind(amount).bind($user).bind($now).execute(&mut *$tx).await?;
        }
    }};
}
pub(crate) use allocate_in;

/// Inserts, inside the transaction `$tx` (`?` inside), a payment and pays invoices from it (money in): `$plan`
/// as [`allocate_in`] takes it, or nothing (`$allocate` false); evaluates to its id. Posting one payment and a
/// bank statement's batch both go through it.
macro_rules! insert_payment {
    ($tx:ident, $user:expr, $v:expr, $allocate:expr, $plan:expr, $now:expr) => {{
        let v: &$crate::payments::store::PaymentValues = $v;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO payments (direction, method, account_id, customer_id, counterparty_id, party, currency, \
             rate_micro, pay_date, amount_minor, doc_no, purpose, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(v.direction.as_str())
        .bind(v.method.as_str())
        .bind(v.account_id)
        .bind(v.customer_id)
        .bind(v.counterparty_id)
        .bind(&v.party)
        .bind(&v.currency)
        .bind(v.rate_micro)
        .bind(&v.pay_date)
        .bind(v.amount_minor)
        .bind(&v.doc_no)
        .bind(&v.purpose)
        .bind($user)
        .bind($now)
        .fetch_one(&mut *$tx)
        .await?;
        if let Some(customer) = v.customer_id.filter(|_| $allocate && v.direction == $crate::payments::Direction::In) {
            $crate::payments::store::allocate_in!(
                $tx,
                $user,
                id,
                customer,
                &v.currency,
                v.purpose.as_deref(),
                v.amount_minor,
                $plan,
                $now
            );
        }
        id
    }};
}
pub(crate) use insert_payment;

/// Posts a payment and pays invoices from it (money in): `plan` as [`allocate_in`] takes it, or nothing
/// (`allocate: false`). Returns its id.
pub async fn create(
    db: &Db,
    user_id: i64,
    v: &PaymentValues,
    allocate: bool,
    plan: Option<Vec<(i64, i64)>>,
) -> Result<i64, AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id = insert_payment!(tx, user_id, v, allocate, plan, now);
        tx.commit().await?;
        Ok(id)
    })
}

/// The SQL that finds a live payment a bank statement's line already recorded: the same account, day,
/// direction, amount, document number and purpose, not reversed (on the `payments_flow` index).
pub const SAME_PAYMENT: &str = "SELECT p.id FROM payments p WHERE p.currency = $1 AND p.pay_date = $2 \
    AND p.account_id = $3 AND p.direction = $4 AND p.amount_minor = $5 AND COALESCE(p.doc_no, '') = $6 \
    AND COALESCE(p.purpose, '') = $7 AND p.reverses_id IS NULL \
    AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = p.id) LIMIT 1";

/// Pays invoices from what an incoming payment has left: `plan`, or (`None`) automatically.
pub async fn allocate(
    db: &Db,
    user_id: i64,
    head: &PaymentHead,
    plan: Option<Vec<(i64, i64)>>,
) -> Result<(), AppError> {
    let now = now_millis();
    let Some(customer) = head.customer_id else { return Ok(()) };
    let left = head.amount_minor - head.allocated_minor;
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        allocate_in!(tx, user_id, head.id, customer, &head.currency, head.purpose.as_deref(), left, plan, now);
        tx.commit().await?;
        Ok(())
    })
}

/// Reverses a payment on `date`: a new payment of the opposite sign, and what it paid of invoices taken
/// back. Returns the reversal's id; `Conflict` when it was reversed meanwhile.
pub async fn reverse(db: &Db, user_id: i64, id: i64, date: &str) -> Result<i64, AppError> {
    let now = now_millis();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let r: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "INSERT INTO payments (direction, method, account_id, customer_id, counterparty_id, party, currency, \
             rate_micro, pay_date, amount_minor, doc_no, purpose, reverses_id, created_by, created_at) \
             SELECT direction, method, account_id, customer_id, counterparty_id, party, currency, rate_micro, $1, \
             -amount_minor, doc_no, purpose, id, $2, $3 FROM payments WHERE id = $4 AND reverses_id IS NULL \
             RETURNING id")
            .bind(date).bind(user_id).bind(now).bind(id).fetch_one(&mut *tx).await;
        let reversal = match r {
            Err(e) if crate::core::db::is_unique_violation(&e) => return Err(AppError::Conflict),
            Err(sqlx::Error::RowNotFound) => return Err(AppError::Conflict),
            r => r?,
        };
        let paid: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT invoice_id, CAST(SUM(amount_minor) AS BIGINT) FROM payment_allocations WHERE payment_id = $1 \
             GROUP BY invoice_id HAVING SUM(amount_minor) > 0 ORDER BY invoice_id")
            .bind(id).fetch_all(&mut *tx).await?;
        for (invoice, amount) in &paid {
            crate::invoices::store::take_back_payment!(tx, id, invoice, amount, user_id, now);
        }
        tx.commit().await?;
        Ok(reversal)
    })
}

/// What the permission checks and the rules read of a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentHead {
    pub id: i64,
    pub direction: Direction,
    pub customer_id: Option<i64>,
    pub currency: String,
    pub amount_minor: i64,
    pub allocated_minor: i64,
    pub purpose: Option<String>,
    pub reverses_id: Option<i64>,
    pub reversed: bool,
}

/// The head of a payment, or `NotFound`.
pub async fn head(db: &Db, id: i64) -> Result<PaymentHead, AppError> {
    let sql = "SELECT p.direction, p.customer_id, p.currency, p.amount_minor, p.allocated_minor, p.purpose, \
               p.reverses_id, (SELECT r.id FROM payments r WHERE r.reverses_id = p.id) AS reversed_by \
               FROM payments p WHERE p.id = $1";
    type HeadRow = (String, Option<i64>, String, i64, i64, Option<String>, Option<i64>, Option<i64>);
    let r: Option<HeadRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let (direction, customer_id, currency, amount_minor, allocated_minor, purpose, reverses_id, reversed_by) =
        r.ok_or(AppError::NotFound)?;
    Ok(PaymentHead {
        id,
        direction: Direction::parse(&direction).ok_or(AppError::NotFound)?,
        customer_id,
        currency,
        amount_minor,
        allocated_minor,
        purpose,
        reverses_id,
        reversed: reversed_by.is_some(),
    })
}

/// One payment with its allocations, or `NotFound`.
pub async fn get(db: &Db, id: i64) -> Result<Payment, AppError> {
    #[derive(sqlx::FromRow)]
    struct PaymentRow {
        direction: String,
        method: String,
        account_id: i64,
        account_name: String,
        customer_id: Option<i64>,
        customer_name: Option<String>,
        counterparty_id: Option<i64>,
        counterparty_name: Option<String>,
        party: Option<String>,
        currency: String,
        rate_micro: i64,
        pay_date: String,
        amount_minor: i64,
        allocated_minor: i64,
        doc_no: Option<String>,
        purpose: Option<String>,
        reverses_id: Option<i64>,
        reversed_by: Option<i64>,
        created_by_name: String,
        created_at: i64,
    }
    let sql = "SELECT p.direction, p.method, p.account_id, a.name AS account_name, p.customer_id, \
               c.name AS customer_name, p.counterparty_id, cp.legal_name AS counterparty_name, p.party, p.currency, \
               p.rate_micro, p.pay_date, p.amount_minor, p.allocated_minor, p.doc_no, p.purpose, p.reverses_id, \
               (SELECT r.id FROM payments r WHERE r.reverses_id = p.id) AS reversed_by, u.name AS created_by_name, \
               p.created_at FROM payments p JOIN money_accounts a ON a.id = p.account_id \
               JOIN users u ON u.id = p.created_by LEFT JOIN customers c ON c.id = p.customer_id \
               LEFT JOIN counterparties cp ON cp.id = p.counterparty_id WHERE p.id = $1";
    let r: Option<PaymentRow> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let r = r.ok_or(AppError::NotFound)?;
    let sql = "SELECT l.invoice_id, i.number, l.amount_minor, l.created_at FROM payment_allocations l \
               JOIN invoices i ON i.id = l.invoice_id WHERE l.payment_id = $1 ORDER BY l.id";
    let rows: Vec<(i64, String, i64, i64)> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_all(p).await)?;
    let direction = Direction::parse(&r.direction).ok_or(AppError::NotFound)?;
    let live = direction == Direction::In && r.reverses_id.is_none() && r.reversed_by.is_none();
    Ok(Payment {
        id,
        direction,
        method: Method::parse(&r.method).unwrap_or_default(),
        account_id: r.account_id,
        account_name: r.account_name,
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        counterparty_id: r.counterparty_id,
        counterparty_name: r.counterparty_name,
        party: r.party,
        currency: r.currency,
        rate: Decimal::new(r.rate_micro, 6).normalize(),
        pay_date: r.pay_date,
        amount: money_of(r.amount_minor),
        allocated: money_of(r.allocated_minor),
        advance: if live { money_of(r.amount_minor - r.allocated_minor) } else { Decimal::ZERO },
        doc_no: r.doc_no,
        purpose: r.purpose,
        reverses_id: r.reverses_id,
        reversed_by: r.reversed_by,
        created_by_name: r.created_by_name,
        created_at: r.created_at,
        allocations: rows
            .into_iter()
            .map(|(invoice_id, invoice_number, amount, created_at)| Allocation {
                invoice_id,
                invoice_number,
                amount: money_of(amount),
                created_at,
            })
            .collect(),
    })
}

/// Which payments a list shows.
#[derive(Debug, Clone, Default)]
pub struct PaymentQuery {
    /// The reader's scope over the customers' managers; payments to no customer only for `All`.
    pub scope: Option<Scope>,
    pub customer_id: Option<i64>,
    pub account_id: Option<i64>,
    pub direction: Option<Direction>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub cursor: Option<String>,
    pub limit: i64,
}

/// A page of payments, newest first.
pub async fn list(db: &Db, q: &PaymentQuery) -> Result<PaymentPage, AppError> {
    #[derive(sqlx::FromRow)]
    struct ListRow {
        id: i64,
        direction: String,
        method: String,
        account_name: String,
        customer_id: Option<i64>,
        payer: Option<String>,
        pay_date: String,
        currency: String,
        amount_minor: i64,
        allocated_minor: i64,
        purpose: Option<String>,
        reverses_id: Option<i64>,
        reversed: i64,
    }
    let mut sql = "SELECT p.id, p.direction, p.method, a.name AS account_name, p.customer_id, \
                   COALESCE(c.name, p.party) AS payer, p.pay_date, p.currency, p.amount_minor, p.allocated_minor, \
                   p.purpose, p.reverses_id, \
                   CAST(CASE WHEN EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = p.id) THEN 1 ELSE 0 END AS BIGINT) \
                   AS reversed \
                   FROM payments p JOIN money_accounts a ON a.id = p.account_id \
                   LEFT JOIN customers c ON c.id = p.customer_id WHERE 1 = 1"
        .to_string();
    let mut args = Vec::new();
    if let Some(scope) = q.scope {
        scope_sql(scope, &mut sql, &mut args);
    }
    if let Some(c) = q.customer_id {
        push_cond(&mut sql, &mut args, " AND p.customer_id = #", Arg::I(c));
    }
    if let Some(a) = q.account_id {
        push_cond(&mut sql, &mut args, " AND p.account_id = #", Arg::I(a));
    }
    if let Some(d) = q.direction {
        push_cond(&mut sql, &mut args, " AND p.direction = #", Arg::S(d.as_str().into()));
    }
    if let Some(f) = &q.from {
        push_cond(&mut sql, &mut args, " AND p.pay_date >= #", Arg::S(f.clone()));
    }
    if let Some(t) = &q.to {
        push_cond(&mut sql, &mut args, " AND p.pay_date <= #", Arg::S(t.clone()));
    }
    if let Some(id) = opt_id("cursor", q.cursor.as_deref())? {
        push_cond(&mut sql, &mut args, " AND p.id < #", Arg::I(id));
    }
    let limit = q.limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    sql.push_str(&format!(" ORDER BY p.id DESC LIMIT {}", limit + 1));
    let mut rows: Vec<ListRow> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let next_cursor = cut_page(&mut rows, limit, |r| r.id.to_string());
    let items = rows
        .into_iter()
        .map(|r| PaymentSummary {
            id: r.id,
            direction: Direction::parse(&r.direction).unwrap_or_default(),
            method: Method::parse(&r.method).unwrap_or_default(),
            account_name: r.account_name,
            customer_id: r.customer_id,
            payer: r.payer,
            pay_date: r.pay_date,
            currency: r.currency,
            amount: money_of(r.amount_minor),
            allocated: money_of(r.allocated_minor),
            purpose: r.purpose,
            reverses_id: r.reverses_id,
            reversed: r.reversed != 0,
        })
        .collect();
    Ok(PaymentPage { items, next_cursor })
}

/// `date` minus `days`, `YYYY-MM-DD`.
fn days_before(date: &str, days: i64) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| (d - chrono::Duration::days(days)).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The aged sums' columns: what is open, not due, and overdue per bucket, as of `on`; their parameters
/// are `$1 …` (pushed to `args`).
fn aging_columns(on: &str, bounds: &[i64], args: &mut Vec<Arg>) -> String {
    let open = "i.total_minor - i.paid_minor - i.credited_minor";
    args.push(Arg::S(on.to_string()));
    let mut cols =
        format!("CAST(SUM({open}) AS BIGINT), CAST(SUM(CASE WHEN i.due_date >= $1 THEN {open} ELSE 0 END) AS BIGINT)");
    let mut lo = 0;
    for b in bounds {
        // Days overdue in (lo, b]: due on or after `on - b` and before `on - lo`.
        args.push(Arg::S(days_before(on, *b)));
        args.push(Arg::S(days_before(on, lo)));
        let (x, y) = (args.len() - 1, args.len());
        cols.push_str(&format!(
            ", CAST(SUM(CASE WHEN i.due_date >= ${x} AND i.due_date < ${y} THEN {open} ELSE 0 END) AS BIGINT)"
        ));
        lo = *b;
    }
    args.push(Arg::S(days_before(on, lo)));
    cols.push_str(&format!(", CAST(SUM(CASE WHEN i.due_date < ${} THEN {open} ELSE 0 END) AS BIGINT)", args.len()));
    cols
}

/// Reads an aged row whose sums start at column `at`.
fn aged<R: Row>(r: &R, at: usize, bounds: &[i64]) -> Result<(Decimal, Decimal, Vec<Decimal>), sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let get = |k: usize| r.try_get::<Option<i64>, _>(k).map(|v| money_of(v.unwrap_or(0)));
    let overdue = (0..=bounds.len()).map(|k| get(at + 2 + k)).collect::<Result<Vec<_>, _>>()?;
    Ok((get(at)?, get(at + 1)?, overdue))
}

/// Receivables as of `on`: customers' open invoices aged by `bounds`, per customer and currency (the largest
/// debts first, `limit` from the offset `cursor`), the totals per currency, and advances beside them.
pub async fn receivables(
    db: &Db,
    scope: Scope,
    customer: Option<i64>,
    on: &str,
    bounds: &[i64],
    cursor: Option<&str>,
    limit: i64,
) -> Result<(Vec<AgingRow>, Vec<AgingRow>, Option<String>), AppError> {
    let offset = opt_id("cursor", cursor)?.unwrap_or(0).max(0);
    let limit = limit.clamp(1, i64::from(crate::core::MAX_PAGE));
    let mut args = Vec::new();
    let cols = aging_columns(on, bounds, &mut args);
    // The open invoices first (their partial index), then each one's customer: SQLite otherwise walked every
    // customer's invoices (2 s at a million invoices). PostgreSQL plans a cross join with its condition as
    // any inner join.
    let mut filter = " FROM invoices i CROSS JOIN customers c WHERE c.id = i.customer_id \
                      AND i.status = 'issued' AND i.kind = 'invoice' AND i.paid_minor + i.credited_minor < i.total_minor"
        .to_string();
    scope_sql(scope, &mut filter, &mut args);
    if let Some(c) = customer {
        push_cond(&mut filter, &mut args, " AND i.customer_id = #", Arg::I(c));
    }
    let per_customer = format!(
        "SELECT i.customer_id, c.name, i.currency, {cols}{filter} GROUP BY i.customer_id, c.name, i.currency \
         ORDER BY 4 DESC, i.customer_id, i.currency LIMIT {} OFFSET {offset}",
        limit + 1
    );
    let totals = format!("SELECT i.currency, {cols}{filter} GROUP BY i.currency ORDER BY i.currency");
    let mut rows = Vec::new();
    let mut sums = Vec::new();
    db_run!(db, p => {
        for r in bind_args!(sqlx::query(&per_customer), &args).fetch_all(p).await? {
            let (open, not_due, overdue) = aged(&r, 3, bounds)?;
            rows.push(AgingRow {
                customer_id: Some(r.try_get(0)?),
                customer_name: Some(r.try_get(1)?),
                currency: r.try_get(2)?,
                open,
                not_due,
                overdue,
                advance: Decimal::ZERO,
            });
        }
        for r in bind_args!(sqlx::query(&totals), &args).fetch_all(p).await? {
            let (open, not_due, overdue) = aged(&r, 1, bounds)?;
            sums.push(AgingRow {
                customer_id: None,
                customer_name: None,
                currency: r.try_get(0)?,
                open,
                not_due,
                overdue,
                advance: Decimal::ZERO,
            });
        }
        Ok::<(), sqlx::Error>(())
    })?;
    let next = (rows.len() as i64 > limit).then(|| offset.saturating_add(limit).to_string());
    rows.truncate(limit as usize);
    // Advances: of the customers shown, and in all.
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.customer_id).collect();
    for (customer, currency, advance) in advances(db, scope, true, Some(&ids)).await? {
        if let Some(r) = rows.iter_mut().find(|r| r.customer_id == Some(customer) && r.currency == currency) {
            r.advance = advance;
        }
    }
    let only: Option<Vec<i64>> = customer.map(|c| vec![c]);
    for (_, currency, advance) in advances(db, scope, false, only.as_deref()).await? {
        match sums.iter_mut().find(|s| s.currency == currency) {
            Some(s) => s.advance = advance,
            None => sums.push(AgingRow {
                customer_id: None,
                customer_name: None,
                currency,
                open: Decimal::ZERO,
                not_due: Decimal::ZERO,
                overdue: vec![Decimal::ZERO; bounds.len() + 1],
                advance,
            }),
        }
    }
    Ok((rows, sums, next))
}

/// What incoming payments have not paid of invoices, per currency over the customers in `scope` (of `only`
/// when given): `(customer, currency, sum)` per customer when `by_customer`, else with customer `0`. Read
/// from the partial index of payments not wholly allocated (`payments_unallocated`): a reversed payment and
/// its storno cancel out, so both are left out (a full scan of the ledger took 2 s at 1.2M payments).
async fn advances(
    db: &Db,
    scope: Scope,
    by_customer: bool,
    only: Option<&[i64]>,
) -> Result<Vec<(i64, String, Decimal)>, AppError> {
    let mut args = Vec::new();
    let who = if by_customer { "p.customer_id" } else { "0" };
    let mut sql = format!(
        "SELECT CAST({who} AS BIGINT), p.currency, CAST(SUM(p.amount_minor - p.allocated_minor) AS BIGINT) \
         FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.direction = 'in' \
         AND p.amount_minor > 0 AND p.allocated_minor < p.amount_minor \
         AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_id = p.id)"
    );
    scope_sql(scope, &mut sql, &mut args);
    if let Some(ids) = only {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        sql.push_str(&format!(" AND p.customer_id IN ({})", list.join(",")));
    }
    let group = if by_customer { "p.customer_id, p.currency" } else { "p.currency" };
    sql.push_str(&format!(" GROUP BY {group} HAVING SUM(p.amount_minor - p.allocated_minor) <> 0"));
    let rows: Vec<(i64, String, i64)> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(c, cur, s)| (c, cur, money_of(s))).collect())
}

/// A customer's open invoices, oldest due first (at most `limit`), with their days overdue on `on`.
pub async fn open_invoices(db: &Db, customer_id: i64, on: &str, limit: i64) -> Result<Vec<OpenInvoice>, AppError> {
    let sql = "SELECT id, number, due_date, currency, total_minor, total_minor - paid_minor - credited_minor \
               FROM invoices WHERE customer_id = $1 AND status = 'issued' AND kind = 'invoice' \
               AND paid_minor + credited_minor < total_minor ORDER BY due_date, id LIMIT $2";
    let rows: Vec<(i64, String, String, String, i64, i64)> =
        db_run!(db, p => sqlx::query_as(sql).bind(customer_id).bind(limit).fetch_all(p).await)?;
    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
    Ok(rows
        .into_iter()
        .map(|(id, number, due_date, currency, total, open)| OpenInvoice {
            days_overdue: match (day(on), day(&due_date)) {
                (Some(a), Some(b)) => (a - b).num_days(),
                _ => 0,
            },
            id,
            number,
            due_date,
            currency,
            total: money_of(total),
            open: money_of(open),
        })
        .collect())
}

/// `(id, customer, currency, status, open minor)` of invoices by id.
pub async fn invoices_open(db: &Db, ids: &[i64]) -> Result<Vec<(i64, i64, String, String, i64)>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT id, customer_id, currency, CASE WHEN kind = 'invoice' THEN status ELSE kind END, \
         total_minor - paid_minor - credited_minor FROM invoices WHERE id IN ({})",
        list.join(",")
    );
    Ok(db_run!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?)
}

/// `(customer, counterparty)` of the live invoice numbered `number`.
pub async fn invoice_payer(db: &Db, number: &str) -> Result<Option<(i64, Option<i64>)>, AppError> {
    let sql = "SELECT customer_id, counterparty_id FROM invoices WHERE number = $1 AND status = 'issued' \
               AND kind = 'invoice' ORDER BY id DESC LIMIT 1";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(number).fetch_optional(p).await)?)
}

/// `(customer, counterparty)` of the live counterparties with taxpayer id `tax_id` (at most two).
pub async fn tax_id_payers(db: &Db, tax_id: &str) -> Result<Vec<(i64, i64)>, AppError> {
    let sql = "SELECT o.customer_id, cp.id FROM counterparties cp \
               JOIN counterparty_owners o ON o.counterparty_id = cp.id AND o.valid_to IS NULL \
               WHERE cp.tax_id = $1 AND cp.archived_at IS NULL ORDER BY cp.id LIMIT 2";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(tax_id).fetch_all(p).await)?)
}

/// What moved per day in `currency` from `from` to `to` (inclusive): `(day, account, account name,
/// direction, sum)`, reversals netted in; through one account when given.
pub async fn daily_flows(
    db: &Db,
    currency: &str,
    from: &str,
    to: &str,
    account: Option<i64>,
) -> Result<Vec<(String, i64, String, Direction, Decimal)>, AppError> {
    let mut sql = "SELECT p.pay_date, p.account_id, a.name, p.direction, CAST(SUM(p.amount_minor) AS BIGINT) \
                   FROM payments p JOIN money_accounts a ON a.id = p.account_id \
                   WHERE p.currency = $1 AND p.pay_date >= $2 AND p.pay_date <= $3"
        .to_string();
    let mut args = vec![Arg::S(currency.into()), Arg::S(from.into()), Arg::S(to.into())];
    if let Some(a) = account {
        push_cond(&mut sql, &mut args, " AND p.account_id = #", Arg::I(a));
    }
    sql.push_str(" GROUP BY p.pay_date, p.account_id, a.name, p.direction ORDER BY p.pay_date");
    let rows: Vec<(String, i64, String, String, i64)> =
        db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(day, id, name, dir, sum)| Some((day, id, name, Direction::parse(&dir)?, money_of(sum))))
        .collect())
}

/// What open invoices in `currency` still bill, per due date.
pub async fn open_by_due_date(db: &Db, currency: &str) -> Result<Vec<(String, Decimal)>, AppError> {
    let sql = "SELECT due_date, CAST(SUM(total_minor - paid_minor - credited_minor) AS BIGINT) FROM invoices \
               WHERE status = 'issued' AND kind = 'invoice' AND paid_minor + credited_minor < total_minor \
               AND currency = $1 GROUP BY due_date ORDER BY due_date";
    let rows: Vec<(String, i64)> = db_run!(db, p => sqlx::query_as(sql).bind(currency).fetch_all(p).await)?;
    Ok(rows.into_iter().map(|(d, s)| (d, money_of(s))).collect())
}
