//! SQL for counterparties, their ownership periods and bank accounts, on both databases. Access rules are
//! the service's job; every write records its audit row in the same transaction.

use super::{BankAccount, Counterparty, CounterpartyList, CounterpartyValues, NewBankAccount, Ownership, Requisites};
use crate::audit::FieldChange;
use crate::core::db::{BeginWrite, Db, is_unique_violation, placeholders};
use crate::core::{AppError, ErrCode, Millis, now_millis};
use crate::db_run;

/// Most counterparties listed per customer and state (current, former).
pub const LIST_LIMIT: i64 = 200;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    legal_name: String,
    country: String,
    tax_id: String,
    vat_payer: bool,
    legal_address: Option<String>,
    oked: Option<String>,
    vat_reg_code: Option<String>,
    director: Option<String>,
    accountant: Option<String>,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct OwnerRow {
    counterparty_id: i64,
    customer_id: i64,
    customer_name: String,
    valid_from: i64,
    valid_to: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    counterparty_id: i64,
    bank_code: String,
    account: String,
    bank_name: Option<String>,
}

const SELECT: &str = "SELECT id, legal_name, country, tax_id, vat_payer, legal_address, oked, vat_reg_code, \
    director, accountant, created_at, updated_at, version, archived_at FROM counterparties";

/// Counterparties by id (in the order of `ids`), with owners and bank accounts.
async fn load(db: &Db, ids: &[i64]) -> Result<Vec<Counterparty>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let m = placeholders(ids.len());
    let sql = format!("{SELECT} WHERE id IN ({m})");
    let owners_sql = format!(
        "SELECT o.counterparty_id, o.customer_id, c.name AS customer_name, o.valid_from, o.valid_to \
         FROM counterparty_owners o JOIN customers c ON c.id = o.customer_id \
         WHERE o.counterparty_id IN ({m}) ORDER BY o.counterparty_id, o.valid_from, o.id"
    );
    let accounts_sql = format!(
        "SELECT id, counterparty_id, bank_code, account, bank_name FROM bank_accounts \
         WHERE counterparty_id IN ({m}) ORDER BY id"
    );
    let (rows, owners, accounts): (Vec<Row>, Vec<OwnerRow>, Vec<AccountRow>) = db_run!(db, p => {
        let mut q1 = sqlx::query_as(&sql);
        let mut q2 = sqlx::query_as(&owners_sql);
        let mut q3 = sqlx::query_as(&accounts_sql);
        for id in ids {
            q1 = q1.bind(*id);
            q2 = q2.bind(*id);
            q3 = q3.bind(*id);
        }
        Ok::<_, sqlx::Error>((q1.fetch_all(p).await?, q2.fetch_all(p).await?, q3.fetch_all(p).await?))
    })?;
    let mut out: Vec<Counterparty> = rows
        .into_iter()
        .map(|r| Counterparty {
            id: r.id,
            legal_name: r.legal_name,
            country: r.country,
            tax_id: r.tax_id,
            vat_payer: r.vat_payer,
            legal_address: r.legal_address,
            requisites: Requisites {
                oked: r.oked,
                vat_reg_code: r.vat_reg_code,
                director: r.director,
                accountant: r.accountant,
            },
            customer_id: 0,
            owners: Vec::new(),
            bank_accounts: Vec::new(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
            archived_at: r.archived_at,
        })
        .collect();
    for o in owners {
        if let Some(c) = out.iter_mut().find(|c| c.id == o.counterparty_id) {
            if o.valid_to.is_none() {
                c.customer_id = o.customer_id;
            }
            c.owners.push(Ownership {
                customer_id: o.customer_id,
                customer_name: o.customer_name,
                from: o.valid_from,
                to: o.valid_to,
            });
        }
    }
    for a in accounts {
        if let Some(c) = out.iter_mut().find(|c| c.id == a.counterparty_id) {
            c.bank_accounts.push(BankAccount {
                id: a.id,
                bank_code: a.bank_code,
                account: a.account,
                bank_name: a.bank_name,
            });
        }
    }
    out.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
    Ok(out)
}

/// One counterparty, or `NotFound`.
pub async fn get(db: &Db, id: i64) -> Result<Counterparty, AppError> {
    load(db, &[id]).await?.pop().ok_or(AppError::NotFound)
}

/// The customer's counterparties: those it has now and those it had (newest first).
pub async fn list_for_customer(db: &Db, customer_id: i64) -> Result<CounterpartyList, AppError> {
    let current_sql = "SELECT counterparty_id FROM counterparty_owners WHERE customer_id = $1 AND valid_to IS NULL \
                       ORDER BY counterparty_id DESC LIMIT $2";
    let former_sql = "SELECT DISTINCT o.counterparty_id FROM counterparty_owners o WHERE o.customer_id = $1 \
                      AND o.valid_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM counterparty_owners n \
                      WHERE n.counterparty_id = o.counterparty_id AND n.customer_id = $1 AND n.valid_to IS NULL) \
                      ORDER BY o.counterparty_id DESC LIMIT $2";
    let (current, former): (Vec<i64>, Vec<i64>) = db_run!(db, p => {
        let a = sqlx::query_scalar(current_sql).bind(customer_id).bind(LIST_LIMIT).fetch_all(p).await?;
        let b = sqlx::query_scalar(former_sql).bind(customer_id).bind(LIST_LIMIT).fetch_all(p).await?;
        Ok::<_, sqlx::Error>((a, b))
    })?;
    Ok(CounterpartyList { current: load(db, &current).await?, former: load(db, &former).await? })
}

/// A page of the counterparties whose current customer is in `scope` (any for `Scope::All`), oldest change
/// first from `changed.since`; the next page's cursor.
pub async fn changed(
    db: &Db,
    scope: crate::core::identity::Scope,
    read: &crate::customers::store::SyncRead,
) -> Result<(Vec<Counterparty>, Option<String>), AppError> {
    const VISIBLE: &str = "SELECT 1 FROM counterparty_owners o JOIN customers c ON c.id = o.customer_id WHERE o.counterparty_id = k.id AND o.valid_to IS NULL";
    let (ids, next) = crate::customers::store::changed_ids(db, "counterparties", VISIBLE, scope, read).await?;
    Ok((load(db, &ids).await?, next))
}

/// The customer a counterparty belonged to at `at`. Before its first period it counts for its first owner.
pub async fn owner_at(db: &Db, counterparty_id: i64, at: Millis) -> Result<Option<i64>, AppError> {
    let sql = "SELECT customer_id FROM counterparty_owners WHERE counterparty_id = $1 \
               AND (valid_to IS NULL OR valid_to > $2) ORDER BY CASE WHEN valid_from <= $2 THEN 0 ELSE 1 END, \
               valid_from LIMIT 1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(counterparty_id).bind(at).fetch_optional(p).await)?)
}

/// A duplicate taxpayer id becomes a field error; anything else stays a database error.
fn taken(err: sqlx::Error) -> AppError {
    if is_unique_violation(&err) { AppError::field("tax_id", ErrCode::TaxIdTaken) } else { err.into() }
}

/// The SQL that inserts a counterparty (without owner and accounts).
pub const INSERT: &str = "INSERT INTO counterparties (legal_name, country, tax_id, vat_payer, legal_address, \
    oked, vat_reg_code, director, accountant, created_by, created_at, updated_at, version) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1) RETURNING id";
/// The SQL that starts an ownership period.
pub const INSERT_OWNER: &str = "INSERT INTO counterparty_owners (counterparty_id, customer_id, valid_from, \
    created_by, created_at) VALUES ($1, $2, $3, $4, $5)";
/// The SQL that adds a bank account (an account already there is left as it is).
pub const INSERT_ACCOUNT: &str = "INSERT INTO bank_accounts (counterparty_id, bank_code, account, bank_name, \
    created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (counterparty_id, bank_code, account) DO NOTHING";

/// Inserts a counterparty owned by a customer from a date, with bank accounts, on transaction `$tx`
/// (`?` inside); evaluates to the new id. Creating, seeding and importing all go through it.
macro_rules! insert_counterparty {
    ($tx:expr, $v:expr, $customer_id:expr, $from:expr, $accounts:expr, $user_id:expr, $at:expr) => {{
        let v = $v;
        let id: i64 = sqlx::query_scalar($crate::counterparties::store::INSERT)
            .bind(&v.legal_name)
            .bind(&v.country)
            .bind(&v.tax_id)
            .bind(v.vat_payer)
            .bind(&v.legal_address)
            .bind(&v.requisites.oked)
            .bind(&v.requisites.vat_reg_code)
            .bind(&v.requisites.director)
            .bind(&v.requisites.accountant)
            .bind($user_id)
            .bind($at)
            .fetch_one(&mut *$tx)
            .await?;
        sqlx::query($crate::counterparties::store::INSERT_OWNER)
            .bind(id)
            .bind($customer_id)
            .bind($from)
            .bind($user_id)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
        for a in $accounts {
            sqlx::query($crate::counterparties::store::INSERT_ACCOUNT)
                .bind(id)
                .bind(&a.bank_code)
                .bind(&a.account)
                .bind(&a.bank_name)
                .bind($at)
                .execute(&mut *$tx)
                .await?;
        }
        id
    }};
}
pub(crate) use insert_counterparty;

/// Creates a counterparty belonging to `customer_id` from `from`, recording it on the customer's timeline.
pub async fn create(
    db: &Db,
    user_id: i64,
    customer_id: i64,
    v: &CounterpartyValues,
    from: Millis,
) -> Result<Counterparty, AppError> {
    let now = now_millis();
    let changes = v.changes_from(None);
    // An async block, so that `?` stops there and `taken` sees the error.
    let id: i64 = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        let id = insert_counterparty!(tx, v, customer_id, from, &[] as &[NewBankAccount], user_id, now);
        crate::audit!(tx, customer_id, "counterparty", id, "created", &changes, user_id, now)?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(id)
    }.await)
    .map_err(taken)?;
    get(db, id).await
}

/// Saves new values if `version` is current (`Conflict` otherwise), audited on the owner's timeline.
pub async fn update(
    db: &Db,
    user_id: i64,
    c: &Counterparty,
    version: i64,
    v: &CounterpartyValues,
    changes: &[FieldChange],
) -> Result<Counterparty, AppError> {
    let now = now_millis();
    let sql = "UPDATE counterparties SET legal_name = $1, country = $2, tax_id = $3, vat_payer = $4, \
               legal_address = $5, oked = $6, vat_reg_code = $7, director = $8, accountant = $9, updated_at = $10, \
               version = version + 1 WHERE id = $11 AND version = $12";
    let done: u64 = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(sql)
            .bind(&v.legal_name).bind(&v.country).bind(&v.tax_id).bind(v.vat_payer).bind(&v.legal_address)
            .bind(&v.requisites.oked).bind(&v.requisites.vat_reg_code).bind(&v.requisites.director)
            .bind(&v.requisites.accountant)
            .bind(now).bind(c.id).bind(version)
            .execute(&mut *tx).await?.rows_affected();
        if n == 1 && !changes.is_empty() {
            crate::audit!(tx, c.customer_id, "counterparty", c.id, "changed", changes, user_id, now)?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(n)
    }.await)
    .map_err(taken)?;
    if done == 0 {
        return Err(AppError::Conflict);
    }
    get(db, c.id).await
}

/// Ends the current period at `from` and starts one with `to_customer` (`Conflict` on a stale version);
/// both customers' timelines record it.
pub async fn move_to(
    db: &Db,
    user_id: i64,
    c: &Counterparty,
    version: i64,
    to_customer: (i64, &str),
    from: Millis,
) -> Result<Counterparty, AppError> {
    let now = now_millis();
    let old_name = c.owners.last().map(|o| o.customer_name.clone());
    let changes = vec![
        FieldChange { field: "customer".into(), old: old_name, new: Some(to_customer.1.to_string()) },
        FieldChange { field: "from".into(), old: None, new: Some(crate::core::format::date_input(from)) },
    ];
    let done: u64 = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query("UPDATE counterparties SET updated_at = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .bind(now).bind(c.id).bind(version)
            .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            sqlx::query("UPDATE counterparty_owners SET valid_to = $1 WHERE counterparty_id = $2 AND valid_to IS NULL")
                .bind(from).bind(c.id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO counterparty_owners (counterparty_id, customer_id, valid_from, created_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5)")
                .bind(c.id).bind(to_customer.0).bind(from).bind(user_id).bind(now)
                .execute(&mut *tx).await?;
            crate::audit!(tx, c.customer_id, "counterparty", c.id, "moved_out", &changes, user_id, now)?;
            crate::audit!(tx, to_customer.0, "counterparty", c.id, "moved_in", &changes, user_id, now)?;
        }
        tx.commit().await.map(|_| n)
    })?;
    if done == 0 {
        return Err(AppError::Conflict);
    }
    get(db, c.id).await
}

/// Runs `$change` (statements on `$tx`) in one transaction with the counterparty's version bump and an audit
/// row of `$changes`; `Ok(false)` (nothing done) when `$c` is no longer the current version.
macro_rules! versioned_change {
    ($db:expr, $c:expr, $user:expr, $changes:expr, $now:expr, |$tx:ident| $change:block) => {
        db_run!($db, p => async {
            let mut $tx = p.begin_write().await?;
            let n = sqlx::query("UPDATE counterparties SET updated_at = $1, version = version + 1 WHERE id = $2 AND version = $3")
                .bind($now).bind($c.id).bind($c.version).execute(&mut *$tx).await?.rows_affected();
            if n == 0 {
                $tx.rollback().await?;
                return Ok(false);
            }
            $change
            crate::audit!($tx, $c.customer_id, "counterparty", $c.id, "changed", $changes, $user, $now)?;
            $tx.commit().await.map(|_| true)
        }.await)
    };
}

/// Adds a bank account (validated by the caller) if the counterparty is still at the version `c` was read at
/// (`Conflict` otherwise); the same account twice is refused.
pub async fn add_bank_account(
    db: &Db,
    user_id: i64,
    c: &Counterparty,
    a: &NewBankAccount,
) -> Result<Counterparty, AppError> {
    let now = now_millis();
    let label = format!("{} / {}", a.bank_code, a.account);
    let changes = vec![FieldChange { field: "bank_account".into(), old: None, new: Some(label) }];
    let current = versioned_change!(db, c, user_id, &changes, now, |tx| {
        sqlx::query(
            "INSERT INTO bank_accounts (counterparty_id, bank_code, account, bank_name, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(c.id)
        .bind(&a.bank_code)
        .bind(&a.account)
        .bind(&a.bank_name)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    })
    .map_err(|e| if is_unique_violation(&e) { AppError::field("account", ErrCode::AlreadyThere) } else { e.into() })?;
    if !current {
        return Err(AppError::Conflict);
    }
    get(db, c.id).await
}

/// Removes bank account `account_id` if the counterparty is still at the version `c` was read at
/// (`Conflict` otherwise); an account it does not have is `NotFound`.
pub async fn remove_bank_account(
    db: &Db,
    user_id: i64,
    c: &Counterparty,
    account_id: i64,
) -> Result<Counterparty, AppError> {
    let a = c.bank_accounts.iter().find(|a| a.id == account_id).ok_or(AppError::NotFound)?;
    let now = now_millis();
    let label = format!("{} / {}", a.bank_code, a.account);
    let changes = vec![FieldChange { field: "bank_account".into(), old: Some(label), new: None }];
    let current = versioned_change!(db, c, user_id, &changes, now, |tx| {
        sqlx::query("DELETE FROM bank_accounts WHERE id = $1 AND counterparty_id = $2")
            .bind(account_id)
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
    })?;
    if !current {
        return Err(AppError::Conflict);
    }
    get(db, c.id).await
}

/// Number of counterparties (all of them).
pub async fn count(db: &Db) -> Result<i64, AppError> {
    Ok(db_run!(db, p => sqlx::query_scalar("SELECT COUNT(*) FROM counterparties").fetch_one(p).await)?)
}
