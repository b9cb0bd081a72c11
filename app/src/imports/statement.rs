//! Bank statements through the import pipeline (kind `payments`): a file of one of the company's accounts,
//! a line per payment (money in as credit, out as debit, or one signed amount). The preview is the review:
//! each line shows whom it will be posted to, or why not; the run posts them as payments.
//!
//! **Matching**, in this order: an invoice number in the purpose (its customer; that invoice is paid first),
//! the payer's taxpayer id (the customer its counterparty belongs to now), and, for money in, the amount,
//! when exactly one open invoice in the account's currency owes exactly that. Money in that matches nobody
//! is refused (its row is downloadable with the failed rows, to post by hand); money out to nobody known is
//! posted to the payee the statement names.
//!
//! **Idempotent**: a line already recorded (a live payment of the same account, day, direction, amount,
//! document number and purpose) is skipped, so the same statement imported twice, or a run resumed after a
//! crash, posts nothing twice. A batch's payments, their allocations and its progress commit in one
//! transaction.

use rust_decimal::Decimal;

use super::Import;
use super::service::{Context, Failed};
use super::store::BatchCounts;
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::CurrentUser;
use crate::core::{AppError, Checks, ErrCode, FieldError, now_millis};
use crate::db_run;
use crate::payments::store::{PaymentValues, SAME_PAYMENT};
use crate::payments::{AccountKind, Direction, Method};

/// The account a statement is of, checked for `user` (who keeps the money): one of the company's accounts in
/// use.
pub async fn account_for(db: &Db, user: &CurrentUser, account_id: Option<i64>) -> Result<i64, AppError> {
    crate::payments::service::may_post(user)?;
    let id = account_id.ok_or_else(|| AppError::field("account_id", ErrCode::Required))?;
    match crate::payments::store::account(db, id).await? {
        Some((_, _, false)) => Ok(id),
        _ => Err(AppError::field("account_id", ErrCode::InvalidChoice)),
    }
}

/// The statement's account, for an import of kind `payments` (none for the other kinds).
pub struct Statement(Option<(i64, AccountKind, String)>);

impl Statement {
    pub async fn load(db: &Db, ctx: &Context, import: &Import) -> Result<Statement, AppError> {
        let Some(id) = import.account_id.filter(|_| import.kind == super::ImportKind::Payments) else {
            return Ok(Statement(None));
        };
        crate::payments::service::may_post(&ctx.user)?;
        match crate::payments::store::account(db, id).await? {
            Some((kind, currency, _)) => Ok(Statement(Some((id, kind, currency)))),
            None => Err(AppError::field("account_id", ErrCode::InvalidChoice)),
        }
    }
}

/// A statement's line as read.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    date: String,
    direction: Direction,
    amount_minor: i64,
    tax_id: Option<String>,
    payer: Option<String>,
    purpose: Option<String>,
    doc_no: Option<String>,
    rate: Option<Decimal>,
}

/// A date as statements write it: `2026-12-04`, `04.12.2026` or `04/12/2026` (a time after it ignored).
pub fn parse_date(cell: &str) -> Option<String> {
    use chrono::NaiveDate;
    let day = cell.split_whitespace().next()?;
    ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(day, f).ok())
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// An amount as statements write it: spaces (also non-breaking) between thousands, a comma or a point before
/// the tiyins, or commas between thousands when a point is there too.
pub fn parse_amount(cell: &str) -> Option<Decimal> {
    let mut t: String = cell.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if t.is_empty() {
        return None;
    }
    if t.contains('.') {
        t = t.replace(',', "");
    } else {
        t = t.replace(',', ".");
    }
    t.parse().ok()
}

/// Reads a row (the mapped cells) into a line, or every reason it cannot be one.
fn line(ctx: &Context, row: &[String]) -> Result<Line, Vec<FieldError>> {
    let (cells, mut errors) = ctx.cells(row);
    let mut c = Checks::default();
    let (mut date, mut credit, mut debit, mut signed) = (None, None, None, None);
    let mut l = Line {
        date: String::new(),
        direction: Direction::In,
        amount_minor: 0,
        tax_id: None,
        payer: None,
        purpose: None,
        doc_no: None,
        rate: None,
    };
    for (target, cell) in cells {
        let money = |c: &mut Checks, field: &str| match cell {
            "" => None,
            v => parse_amount(v).or_else(|| {
                c.fail(field, ErrCode::NotANumber);
                None
            }),
        };
        match target {
            "date" if cell.is_empty() => c.fail("date", ErrCode::Required),
            "date" => {
                date = parse_date(cell).or_else(|| {
                    c.fail("date", ErrCode::InvalidDate);
                    None
                })
            }
            "credit" => credit = money(&mut c, "credit"),
            "debit" => debit = money(&mut c, "debit"),
            "amount" => signed = money(&mut c, "amount"),
            "rate" => l.rate = money(&mut c, "rate"),
            "tax_id" => l.tax_id = Some(cell.split_whitespace().collect::<String>()).filter(|t| !t.is_empty()),
            "payer" => l.payer = c.opt_text("payer", Some(cell), 200),
            "purpose" => l.purpose = c.opt_text("purpose", Some(cell), 500),
            "doc_no" => l.doc_no = c.opt_text("doc_no", Some(cell), 50),
            _ => {}
        }
    }
    let nonzero = |d: Option<Decimal>| d.filter(|d| !d.is_zero());
    let (direction, amount) = match (nonzero(credit), nonzero(debit), nonzero(signed)) {
        (Some(a), None, None) => (Direction::In, a),
        (None, Some(a), None) => (Direction::Out, a),
        (None, None, Some(a)) if a.is_sign_negative() => (Direction::Out, -a),
        (None, None, Some(a)) => (Direction::In, a),
        (None, None, None) => {
            c.fail("amount", ErrCode::Required);
            (Direction::In, Decimal::ZERO)
        }
        _ => {
            c.fail("amount", ErrCode::InvalidChoice);
            (Direction::In, Decimal::ZERO)
        }
    };
    l.direction = direction;
    l.amount_minor = if amount.is_sign_negative() {
        c.fail("amount", ErrCode::OutOfRange);
        0
    } else {
        crate::stock::price_minor(&mut c, "amount", amount).unwrap_or(0)
    };
    l.date = date.unwrap_or_default();
    match c.finish() {
        Ok(()) if errors.is_empty() => Ok(l),
        Ok(()) => Err(errors),
        Err(AppError::Validation { fields }) => {
            errors.extend(fields);
            Err(errors)
        }
        Err(_) => Err(errors),
    }
}

/// Whom a line is posted to: `(customer, counterparty, invoice)`, by the module's order (an invoice found by
/// the amount only names the customer: the payment then pays the customer's oldest invoices first, as any
/// payment without a named invoice); `None` for money out to nobody known.
async fn matched(
    db: &Db,
    currency: &str,
    l: &Line,
) -> Result<Result<Option<(i64, Option<i64>, Option<String>)>, FieldError>, AppError> {
    use crate::payments::service::resolve_payer;
    let refused = |e: AppError| match e {
        AppError::Validation { fields } => Ok(Err(fields
            .into_iter()
            .next()
            .unwrap_or(FieldError { field: "payer".into(), code: ErrCode::UnknownPayer }))),
        e => Err(e),
    };
    // An invoice number in the purpose: words with a digit, upper-cased, tried as numbers.
    for word in l.purpose.as_deref().unwrap_or_default().split(|c: char| c.is_whitespace() || ",;:()№#".contains(c)) {
        let word = word.trim_matches(|c: char| c == '.' || c == '"' || c == '\'');
        if word.len() < 4 || !word.contains('-') || !word.chars().any(|c| c.is_ascii_digit()) {
            continue;
        }
        match resolve_payer(db, "purpose", word).await {
            Ok(found @ (_, _, Some(_))) => return Ok(Ok(Some(found))),
            Ok(_) => {}
            Err(AppError::Validation { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    if let Some(t) = &l.tax_id {
        match resolve_payer(db, "tax_id", t).await {
            Ok(found) => return Ok(Ok(Some(found))),
            Err(AppError::Validation { fields }) if fields.iter().any(|f| f.code == ErrCode::AmbiguousPayer) => {
                return refused(AppError::Validation { fields });
            }
            // Unknown: money in is tried by its amount, money out goes to the payee named.
            Err(AppError::Validation { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    if l.direction == Direction::In {
        let sql = "SELECT customer_id, counterparty_id, number FROM invoices WHERE status = 'issued' \
                   AND kind = 'invoice' AND paid_minor + credited_minor < total_minor AND currency = $1 \
                   AND total_minor - paid_minor - credited_minor = $2 LIMIT 2";
        let found: Vec<(i64, Option<i64>, String)> =
            db_run!(db, p => sqlx::query_as(sql).bind(currency).bind(l.amount_minor).fetch_all(p).await)?;
        if let [(customer, counterparty, number)] = &found[..] {
            return Ok(Ok(Some((*customer, *counterparty, Some(number.clone())))));
        }
        return Ok(Err(FieldError { field: "payer".into(), code: ErrCode::UnknownPayer }));
    }
    Ok(Ok(None))
}

/// The payment a matched line becomes, or why not (money out to nobody known needs the payee's name).
fn payment(
    account: &(i64, AccountKind, String),
    l: &Line,
    to: Option<(i64, Option<i64>, Option<String>)>,
) -> Result<PaymentValues, Vec<FieldError>> {
    let (account_id, kind, currency) = account;
    let mut c = Checks::default();
    let rate_micro = crate::invoices::service::rate_micro(&mut c, currency, l.rate);
    let (customer_id, counterparty_id, _) = to.unwrap_or((0, None, None));
    let party = match customer_id {
        0 if l.payer.is_none() => {
            c.fail("payer", ErrCode::Required);
            None
        }
        0 => l.payer.clone(),
        _ => None,
    };
    if let Err(AppError::Validation { fields }) = c.finish() {
        return Err(fields);
    }
    Ok(PaymentValues {
        direction: l.direction,
        method: match kind {
            AccountKind::Bank => Method::Bank,
            AccountKind::Cash => Method::Cash,
        },
        account_id: *account_id,
        customer_id: Some(customer_id).filter(|c| *c != 0),
        counterparty_id,
        party,
        currency: currency.clone(),
        rate_micro,
        pay_date: l.date.clone(),
        amount_minor: l.amount_minor,
        doc_no: l.doc_no.clone(),
        purpose: l.purpose.clone(),
    })
}

/// A live payment the line is already recorded as (whoever it was posted to: a line once matched by its
/// amount matches nobody after it paid the invoice).
async fn recorded(db: &Db, account: &(i64, AccountKind, String), l: &Line) -> Result<Option<i64>, AppError> {
    Ok(db_run!(db, p => sqlx::query_scalar(SAME_PAYMENT).bind(&account.2).bind(&l.date).bind(account.0)
        .bind(l.direction.as_str()).bind(l.amount_minor).bind(l.doc_no.clone().unwrap_or_default())
        .bind(l.purpose.clone().unwrap_or_default()).fetch_optional(p).await)?)
}

/// A preview row of a statement: what is wrong with it, the payment it is already recorded as, or whom it
/// goes to: `(errors, duplicate of, matched to)`.
pub async fn preview_line(
    db: &Db,
    ctx: &Context,
    statement: &Statement,
    row: &[String],
) -> Result<(Vec<FieldError>, Option<String>, Option<String>), AppError> {
    let Some(account) = &statement.0 else { return Ok((Vec::new(), None, None)) };
    let l = match line(ctx, row) {
        Ok(l) => l,
        Err(errors) => return Ok((errors, None, None)),
    };
    if let Some(id) = recorded(db, account, &l).await? {
        return Ok((Vec::new(), Some(format!("#{id}")), None));
    }
    let to = match matched(db, &account.2, &l).await? {
        Ok(to) => to,
        Err(e) => return Ok((vec![e], None, None)),
    };
    let v = match payment(account, &l, to.clone()) {
        Ok(v) => v,
        Err(errors) => return Ok((errors, None, None)),
    };
    let whom = match to {
        Some((customer, _, invoice)) => {
            let name = crate::customers::store::name_of(db, customer).await?.unwrap_or_default();
            match invoice {
                Some(n) => format!("{name} · {n}"),
                None => name,
            }
        }
        None => v.party.unwrap_or_default(),
    };
    Ok((Vec::new(), None, Some(whom)))
}

/// One batch of a statement: its new payments, their allocations, failed rows and the progress, in one
/// transaction (so a resumed run starts after it, and a line is never posted twice).
pub async fn batch(
    db: &Db,
    ctx: &Context,
    statement: &Statement,
    first_row: usize,
    rows: &[Vec<String>],
) -> Result<(), AppError> {
    let Some(account) = &statement.0 else { return Err(AppError::field("account_id", ErrCode::Required)) };
    let mut counts = BatchCounts { processed: rows.len() as i64, ..Default::default() };
    let mut failed = Vec::new();
    let mut post = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let row_no = (first_row + i) as i64 + 2;
        let raw = || serde_json::to_string(row).unwrap_or_default();
        let l = match line(ctx, row) {
            Ok(l) => l,
            Err(errors) => {
                failed.push(Failed::new(row_no, &errors, raw()));
                continue;
            }
        };
        let to = match matched(db, &account.2, &l).await? {
            Ok(to) => to,
            // A line matched by its amount matches nobody once it paid the invoice: recorded, not failed.
            Err(_) if recorded(db, account, &l).await?.is_some() => {
                counts.skipped += 1;
                continue;
            }
            Err(e) => {
                failed.push(Failed::new(row_no, &[e], raw()));
                continue;
            }
        };
        match payment(account, &l, to) {
            Ok(v) => post.push(v),
            Err(errors) => failed.push(Failed::new(row_no, &errors, raw())),
        }
    }
    counts.failed = failed.len() as i64;
    let (now, user_id) = (now_millis(), ctx.user.id);
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        for v in &post {
            // Read inside the batch's transaction: a line twice in one file is posted once.
            let same: Option<i64> = sqlx::query_scalar(SAME_PAYMENT).bind(&v.currency).bind(&v.pay_date)
                .bind(v.account_id).bind(v.direction.as_str()).bind(v.amount_minor)
                .bind(v.doc_no.clone().unwrap_or_default()).bind(v.purpose.clone().unwrap_or_default())
                .fetch_optional(&mut *tx).await?;
            if same.is_some() {
                counts.skipped += 1;
                continue;
            }
            let plan = None;
            crate::payments::store::insert_payment!(tx, user_id, v, true, plan, now);
            counts.created += 1;
        }
        crate::imports::service::record_batch!(tx, (ctx.id, &ctx.runner), &failed, counts, now);
        tx.commit().await?;
        Ok::<(), AppError>(())
    })
}

/// After a run: whoever watches money reads again (one event for the whole statement).
pub async fn after_run(db: &Db) {
    use crate::core::events::{self, Event};
    let data = serde_json::json!({"customer_id": null, "manager_id": null});
    events::publish(db, &Event { user_id: 0, name: crate::payments::EVENT.into(), id: None, data }).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_amounts_as_banks_write_them() {
        assert_eq!(parse_date("04.12.2026").as_deref(), Some("2026-12-04"));
        assert_eq!(parse_date("2026-12-04").as_deref(), Some("2026-12-04"));
        assert_eq!(parse_date("04/12/2026 10:15").as_deref(), Some("2026-12-04"));
        assert_eq!(parse_date("31.02.2026"), None);
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(parse_amount("1 234 567,89"), Some(d("1234567.89")));
        assert_eq!(parse_amount("1,234,567.89"), Some(d("1234567.89")));
        assert_eq!(parse_amount("-4032"), Some(d("-4032")));
        assert_eq!(parse_amount("4\u{a0}032.00"), Some(d("4032.00")));
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("abc"), None);
    }
}
