//! Importing rows that belong to a customer named in a column: contacts and counterparties. The customer
//! is found by its number (`#123` or `123`), phone, e-mail or name, among the customers the importing
//! user may see; a name several customers share is refused, so nothing lands at the wrong customer.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::service::{Context, Failed};
use super::store::BatchCounts;
use crate::audit::FieldChange;
use crate::contacts::{ContactPatch, ContactValues, NewContact};
use crate::core::db::{BeginWrite, Db, placeholders_after};
use crate::core::identity::CurrentUser;
use crate::core::{AppError, ErrCode, FieldError, now_millis};
use crate::counterparties::{CounterpartyPatch, CounterpartyValues, NewBankAccount, NewCounterparty};
use crate::customers::dupes::name_key;
use crate::customers::store::{Arg, bind_args, scope_sql};
use crate::db_run;

/// How a customer cell names its customer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Ref {
    Id(i64),
    Phone(String),
    Email(String),
    Key(String),
}

fn parse_ref(cell: &str) -> Option<Ref> {
    let c = cell.trim();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|ch| ch.is_ascii_digit());
    if let Some(n) = c.strip_prefix('#').filter(|n| digits(n)) {
        return n.parse().ok().map(Ref::Id);
    }
    if digits(c) && c.len() <= 8 {
        return c.parse().ok().map(Ref::Id);
    }
    if c.contains('@') {
        return Some(Ref::Email(c.to_lowercase()));
    }
    if !c.chars().any(char::is_alphabetic)
        && let Some(p) = crate::core::phone::normalize(c)
    {
        return Some(Ref::Phone(p));
    }
    let key = name_key(c);
    (key.chars().count() >= 3).then_some(Ref::Key(key))
}

/// Customer cells resolved to customer ids (or why not), for one batch.
#[derive(Default)]
pub struct Customers(HashMap<String, Result<i64, ErrCode>>);

impl Customers {
    /// Looks up every distinct cell in one query, within `user`'s scope.
    pub async fn resolve<'a>(
        db: &Db,
        user: &CurrentUser,
        cells: impl IntoIterator<Item = &'a str>,
    ) -> Result<Customers, AppError> {
        let refs: HashMap<String, Option<Ref>> =
            cells.into_iter().map(|c| (c.trim().to_string(), parse_ref(c))).collect();
        let mut ids = HashSet::new();
        let (mut phones, mut emails, mut keys) = (HashSet::new(), HashSet::new(), HashSet::new());
        for r in refs.values().flatten() {
            match r {
                Ref::Id(i) => _ = ids.insert(*i),
                Ref::Phone(p) => _ = phones.insert(p.clone()),
                Ref::Email(e) => _ = emails.insert(e.clone()),
                Ref::Key(k) => _ = keys.insert(k.clone()),
            }
        }
        // One indexed select per way of naming a customer (see `service::existing` for why not an `OR`).
        let mut args: Vec<Arg> = Vec::new();
        let mut parts = Vec::new();
        let sqlite = !db.is_postgres();
        let lists: [(&str, &str, Vec<Arg>); 4] = [
            ("c.id", "", ids.iter().map(|i| Arg::I(*i)).collect()),
            ("c.phone", "customers_phone", phones.iter().map(|s| Arg::S(s.clone())).collect()),
            ("c.email", "customers_email", emails.iter().map(|s| Arg::S(s.clone())).collect()),
            ("c.dup_key", "customers_dup_key", keys.iter().map(|s| Arg::S(s.clone())).collect()),
        ];
        for (col, index, list) in lists {
            if list.is_empty() {
                continue;
            }
            let hint = if sqlite && !index.is_empty() { format!(" INDEXED BY {index}") } else { String::new() };
            let mut sql = format!(
                "SELECT c.id, c.phone, c.email, c.dup_key FROM customers c{hint} WHERE {col} IN ({})",
                placeholders_after(args.len(), list.len())
            );
            args.extend(list);
            scope_sql(user.scope(), &mut sql, &mut args);
            parts.push(sql);
        }
        let mut found: Vec<(i64, Option<String>, Option<String>, String)> = Vec::new();
        if !parts.is_empty() {
            let sql = parts.join(" UNION ");
            found = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
        }
        let out = refs
            .into_iter()
            .map(|(cell, r)| {
                let hits: Vec<i64> = match &r {
                    None => Vec::new(),
                    Some(Ref::Id(i)) => found.iter().filter(|f| f.0 == *i).map(|f| f.0).collect(),
                    Some(Ref::Phone(p)) => found.iter().filter(|f| f.1.as_ref() == Some(p)).map(|f| f.0).collect(),
                    Some(Ref::Email(e)) => found.iter().filter(|f| f.2.as_ref() == Some(e)).map(|f| f.0).collect(),
                    Some(Ref::Key(k)) => found.iter().filter(|f| &f.3 == k).map(|f| f.0).collect(),
                };
                let result = match hits[..] {
                    [id] => Ok(id),
                    [] => Err(ErrCode::CustomerNotFound),
                    _ => Err(ErrCode::CustomerAmbiguous),
                };
                (cell, result)
            })
            .collect();
        Ok(Customers(out))
    }

    fn get(&self, cell: &str) -> Result<i64, ErrCode> {
        self.0.get(cell.trim()).cloned().unwrap_or(Err(ErrCode::CustomerNotFound))
    }
}

/// `DD.MM.YYYY` (the usual spelling in the CIS) as `YYYY-MM-DD`; anything else as it is.
pub fn iso_date(cell: &str) -> String {
    let c = cell.trim();
    let parts: Vec<&str> = c.split(['.', '/']).collect();
    match parts[..] {
        [d, m, y] if d.len() <= 2 && m.len() <= 2 && y.len() == 4 => format!("{y}-{m:0>2}-{d:0>2}"),
        _ => c.to_string(),
    }
}

fn yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "" => None,
        "1" | "true" | "yes" | "y" | "ha" | "да" | "+" => Some(true),
        "0" | "false" | "no" | "n" | "yo'q" | "yoq" | "нет" | "-" => Some(false),
        _ => None,
    }
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split([',', ';']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn validation(e: AppError, errors: &mut Vec<FieldError>) {
    if let AppError::Validation { fields } = e {
        errors.extend(fields);
    }
}

// ---------------------------------------------------------------------------------------------- contacts

/// A contact row, checked: its customer cell, the input, its validated values.
pub struct ContactRow {
    pub customer: String,
    pub input: NewContact,
    pub values: ContactValues,
}

/// Reads a contact row (everything but the customer lookup).
pub fn contact_row(ctx: &Context, row: &[String]) -> Result<ContactRow, Vec<FieldError>> {
    let (cells, mut errors) = ctx.cells(row);
    let mut c = NewContact { custom: Some(Default::default()), ..Default::default() };
    let mut customer = String::new();
    for (target, cell) in cells {
        let text = || Some(cell.to_string()).filter(|s| !s.is_empty());
        match target {
            "customer" => customer = cell.to_string(),
            "name" => c.name = cell.to_string(),
            "position" => c.position = text(),
            "role" => c.role = text(),
            "phone" => c.phones = split_list(cell),
            "email" => c.emails = split_list(cell),
            "birthday" => c.birthday = text().map(|d| iso_date(&d)),
            "notes" => c.notes = text(),
            t => {
                if let (Some(key), Some(custom)) = (t.strip_prefix("custom."), c.custom.as_mut()) {
                    custom.insert(key.to_string(), Value::String(cell.to_string()));
                }
            }
        }
    }
    if customer.is_empty() {
        errors.push(FieldError { field: "customer".into(), code: ErrCode::Required });
    }
    match c.validate_with(&ctx.defs, true) {
        Ok(values) if errors.is_empty() => Ok(ContactRow { customer, input: c, values }),
        Ok(_) => Err(errors),
        Err(e) => {
            validation(e, &mut errors);
            Err(errors)
        }
    }
}

/// Existing contacts a batch may duplicate: by phone or e-mail anywhere, by name at the row's customer.
#[derive(Default)]
struct ContactIndex {
    by_point: HashMap<String, i64>,
    by_name: HashMap<(i64, String), i64>,
}

impl ContactIndex {
    async fn load(db: &Db, points: &[String], customers: &[i64]) -> Result<ContactIndex, AppError> {
        let mut ix = ContactIndex::default();
        if !points.is_empty() {
            let sql = format!(
                "SELECT value, contact_id FROM contact_points WHERE kind IN ('phone', 'email') AND value IN ({})",
                placeholders_after(0, points.len())
            );
            let rows: Vec<(String, i64)> = db_run!(db, p => {
                let mut q = sqlx::query_as(&sql);
                for v in points {
                    q = q.bind(v);
                }
                q.fetch_all(p).await
            })?;
            ix.by_point.extend(rows);
        }
        if !customers.is_empty() {
            let sql = format!(
                "SELECT cc.customer_id, c.name_search, c.id FROM customer_contacts cc JOIN contacts c ON c.id = cc.contact_id \
                 WHERE cc.customer_id IN ({})",
                placeholders_after(0, customers.len())
            );
            let rows: Vec<(i64, String, i64)> = db_run!(db, p => {
                let mut q = sqlx::query_as(&sql);
                for v in customers {
                    q = q.bind(v);
                }
                q.fetch_all(p).await
            })?;
            ix.by_name.extend(rows.into_iter().map(|(cu, n, id)| ((cu, n), id)));
        }
        Ok(ix)
    }

    fn find(&self, customer_id: i64, v: &ContactValues) -> Option<i64> {
        v.phones
            .iter()
            .chain(&v.emails)
            .find_map(|p| self.by_point.get(p))
            .or_else(|| self.by_name.get(&(customer_id, crate::customers::search_key(&v.name))))
            .copied()
    }
}

/// Phones, e-mails and customer + name of contacts met earlier in the file.
#[derive(Default)]
pub struct SeenContacts {
    points: HashSet<String>,
    names: HashSet<(i64, String)>,
}

impl SeenContacts {
    /// Whether the contact was met before; remembers it.
    fn check(&mut self, customer_id: i64, v: &ContactValues) -> bool {
        let name = (customer_id, crate::customers::search_key(&v.name));
        let met = v.phones.iter().chain(&v.emails).any(|p| self.points.contains(p))
            || (v.phones.is_empty() && v.emails.is_empty() && self.names.contains(&name));
        self.points.extend(v.phones.iter().chain(&v.emails).cloned());
        self.names.insert(name);
        met
    }
}

/// What reads a row (everything but the customer lookup), and where its customer cell is.
struct RowKind<T> {
    parse: fn(&Context, &[String]) -> Result<T, Vec<FieldError>>,
    customer: fn(&T) -> &str,
}

const CONTACT: RowKind<ContactRow> = RowKind { parse: contact_row, customer: |r| &r.customer };
const COUNTERPARTY: RowKind<CounterpartyRow> = RowKind { parse: counterparty_row, customer: |r| &r.customer };

/// The valid rows as `(row number, row, customer id)`, the failed ones, and the valid rows' cells as JSON by
/// row number (for failures found later).
type Checked<T> = (Vec<(i64, T, i64)>, Vec<Failed>, HashMap<i64, String>);

/// A batch's rows, read and with their customers resolved (one query); rows whose customer is not found or
/// not visible fail.
async fn checked_rows<T>(
    db: &Db,
    ctx: &Context,
    kind: RowKind<T>,
    first_row: usize,
    rows: &[Vec<String>],
) -> Result<Checked<T>, AppError> {
    let mut failed = Vec::new();
    let mut read = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let row_no = (first_row + i) as i64 + 2;
        let raw = serde_json::to_string(row).unwrap_or_default();
        match (kind.parse)(ctx, row) {
            Ok(r) => read.push((row_no, r, raw)),
            Err(errors) => failed.push(Failed::new(row_no, &errors, raw)),
        }
    }
    let customers = Customers::resolve(db, &ctx.user, read.iter().map(|(_, r, _)| (kind.customer)(r))).await?;
    let (mut valid, mut raws) = (Vec::new(), HashMap::new());
    for (row_no, r, raw) in read {
        match customers.get((kind.customer)(&r)) {
            Ok(id) => {
                raws.insert(row_no, raw);
                valid.push((row_no, r, id));
            }
            Err(code) => failed.push(Failed::new(row_no, &[FieldError { field: "customer".into(), code }], raw)),
        }
    }
    Ok((valid, failed, raws))
}

/// One row for the preview: read, with its customer, or what is wrong with it.
async fn checked_row<T>(
    db: &Db,
    ctx: &Context,
    kind: RowKind<T>,
    row: &[String],
) -> Result<Result<(T, i64), Vec<FieldError>>, AppError> {
    let r = match (kind.parse)(ctx, row) {
        Err(errors) => return Ok(Err(errors)),
        Ok(r) => r,
    };
    let customers = Customers::resolve(db, &ctx.user, [(kind.customer)(&r)]).await?;
    Ok(match customers.get((kind.customer)(&r)) {
        Ok(id) => Ok((r, id)),
        Err(code) => Err(vec![FieldError { field: "customer".into(), code }]),
    })
}

/// The preview's verdict on a contact row: its errors, or the contact it duplicates.
pub async fn preview_contact(
    db: &Db,
    ctx: &Context,
    row: &[String],
) -> Result<(Vec<FieldError>, Option<String>), AppError> {
    let (r, customer_id) = match checked_row(db, ctx, CONTACT, row).await? {
        Ok(checked) => checked,
        Err(errors) => return Ok((errors, None)),
    };
    let points: Vec<String> = r.values.phones.iter().chain(&r.values.emails).cloned().collect();
    let ix = ContactIndex::load(db, &points, &[customer_id]).await?;
    let dup = match ix.find(customer_id, &r.values) {
        Some(id) => crate::contacts::store::get(db, id).await.ok().map(|c| c.name),
        None => None,
    };
    Ok((Vec::new(), dup))
}

/// One batch of contact rows: created in one transaction with failed rows and progress; duplicates
/// updated (and linked to the row's customer) afterwards if asked.
pub async fn contacts_batch(
    db: &Db,
    ctx: &Context,
    first_row: usize,
    rows: &[Vec<String>],
    seen: &mut SeenContacts,
) -> Result<(), AppError> {
    let mut counts = BatchCounts { processed: rows.len() as i64, ..Default::default() };
    let (valid, failed, raws) = checked_rows(db, ctx, CONTACT, first_row, rows).await?;
    let points: Vec<String> =
        valid.iter().flat_map(|(_, r, _)| r.values.phones.iter().chain(&r.values.emails).cloned()).collect();
    let customer_ids: Vec<i64> = valid.iter().map(|v| v.2).collect::<HashSet<_>>().into_iter().collect();
    let ix = ContactIndex::load(db, &points, &customer_ids).await?;
    let mut create = Vec::new();
    let mut updates = Vec::new();
    for (row_no, r, customer_id) in valid {
        let in_file = seen.check(customer_id, &r.values);
        match ix.find(customer_id, &r.values) {
            Some(existing) if ctx.on_duplicate == "update" => updates.push((row_no, (existing, customer_id, r))),
            Some(_) => counts.skipped += 1,
            None if in_file => counts.skipped += 1,
            None => create.push((customer_id, r)),
        }
    }
    counts.created = create.len() as i64;
    counts.failed = failed.len() as i64;
    // Duplicates first; their counts are committed with the batch (a re-run counts every row once).
    let later = super::service::apply_updates(db, ctx, &raws, updates, |(id, customer_id, r)| async move {
        update_contact(db, ctx, id, customer_id, &r).await
    })
    .await?;
    counts.updated += later.updated;
    counts.failed += later.failed;
    let now = now_millis();
    let user_id = ctx.user.id;
    let import = ctx.import_change();
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        for (customer_id, r) in &create {
            let role = r.input.role.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let id = crate::contacts::store::insert_contact!(tx, &r.values, *customer_id, role, user_id, now);
            let mut changes = r.values.changes_from(None);
            let custom = crate::custom_fields::merged(&ctx.defs, &Default::default(), &r.values.custom);
            changes.extend(crate::custom_fields::changes(&ctx.defs, &Default::default(), &custom));
            changes.push(import.clone());
            crate::audit!(tx, *customer_id, "contact", id, "created", &changes, user_id, now)?;
        }
        super::service::record_batch!(tx, (ctx.id, &ctx.runner), &failed, counts, now);
        tx.commit().await
    })?;
    let touched: HashSet<i64> = create.iter().map(|(c, _)| *c).collect();
    crate::customers::search::refresh_all(db, touched).await
}

/// Updates a duplicate contact from a row through the ordinary rules: the values given replace the old
/// ones, phones and e-mails are added to the old ones, and the contact is linked to the row's customer.
async fn update_contact(db: &Db, ctx: &Context, id: i64, customer_id: i64, r: &ContactRow) -> Result<(), AppError> {
    let current = crate::contacts::service::get(db, &ctx.user, id).await?;
    let union = |old: &[String], new: &[String]| {
        let mut all = old.to_vec();
        all.extend(new.iter().filter(|n| !old.contains(n)).cloned());
        all
    };
    let patch = ContactPatch {
        version: current.version,
        name: Some(r.values.name.clone()),
        position: r.values.position.clone(),
        phones: Some(union(&current.phones, &r.values.phones)),
        emails: Some(union(&current.emails, &r.values.emails)),
        messengers: None,
        birthday: r.values.birthday.clone(),
        notes: r.values.notes.clone(),
        custom: r
            .input
            .custom
            .clone()
            .map(|c| c.into_iter().filter(|(_, v)| !crate::custom_fields::is_empty_value(v)).collect()),
        role: None,
    };
    crate::contacts::service::update(db, &ctx.user, id, &patch).await?;
    if !current.customers.iter().any(|l| l.customer_id == customer_id) {
        let link = crate::contacts::LinkContact { customer_id, role: r.input.role.clone() };
        crate::contacts::service::link(db, &ctx.user, id, &link).await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------- counterparties

/// A counterparty row, checked: its customer cell, values, the date it belongs from, a bank account.
pub struct CounterpartyRow {
    pub customer: String,
    pub values: CounterpartyValues,
    pub from: i64,
    pub account: Option<NewBankAccount>,
}

/// Reads a counterparty row (everything but the customer lookup).
pub fn counterparty_row(ctx: &Context, row: &[String]) -> Result<CounterpartyRow, Vec<FieldError>> {
    let (cells, mut errors) = ctx.cells(row);
    let mut c = NewCounterparty::default();
    let mut customer = String::new();
    let mut account = NewBankAccount::default();
    let mut from = None;
    for (target, cell) in cells {
        let text = || Some(cell.to_string()).filter(|s| !s.is_empty());
        match target {
            "customer" => customer = cell.to_string(),
            "legal_name" => c.legal_name = cell.to_string(),
            "tax_id" => c.tax_id = cell.to_string(),
            "country" => c.country = text(),
            "vat_payer" => match yes_no(cell) {
                Some(v) => c.vat_payer = Some(v),
                None if cell.is_empty() => {}
                None => errors.push(FieldError { field: "vat_payer".into(), code: ErrCode::InvalidChoice }),
            },
            "legal_address" => c.legal_address = text(),
            "from" => from = text().map(|d| iso_date(&d)),
            "bank_code" => account.bank_code = cell.to_string(),
            "account" => account.account = cell.to_string(),
            "bank_name" => account.bank_name = text(),
            _ => {}
        }
    }
    if customer.is_empty() {
        errors.push(FieldError { field: "customer".into(), code: ErrCode::Required });
    }
    let from = match from {
        None => crate::core::format::parse_date(&crate::core::format::date_input(now_millis())).unwrap_or(0),
        Some(d) => crate::core::format::parse_date(&d).unwrap_or_else(|| {
            errors.push(FieldError { field: "from".into(), code: ErrCode::InvalidDate });
            0
        }),
    };
    let values = match c.validate() {
        Ok(v) => Some(v),
        Err(e) => {
            validation(e, &mut errors);
            None
        }
    };
    let account = match (&values, account.bank_code.is_empty() && account.account.is_empty()) {
        (_, true) => None,
        (Some(v), false) => match account.validate(&v.country) {
            Ok(a) => Some(a),
            Err(e) => {
                validation(e, &mut errors);
                None
            }
        },
        (None, false) => None,
    };
    match values {
        Some(values) if errors.is_empty() => Ok(CounterpartyRow { customer, values, from, account }),
        _ => Err(errors),
    }
}

/// Existing counterparties with these taxpayer ids: `(country, tax id)` → id.
async fn counterparties_by_tax_id(db: &Db, tax_ids: &[String]) -> Result<HashMap<(String, String), i64>, AppError> {
    if tax_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT country, tax_id, id FROM counterparties WHERE tax_id IN ({})",
        placeholders_after(0, tax_ids.len())
    );
    let rows: Vec<(String, String, i64)> = db_run!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for t in tax_ids {
            q = q.bind(t);
        }
        q.fetch_all(p).await
    })?;
    Ok(rows.into_iter().map(|(c, t, id)| ((c, t), id)).collect())
}

/// The preview's verdict on a counterparty row.
pub async fn preview_counterparty(
    db: &Db,
    ctx: &Context,
    row: &[String],
) -> Result<(Vec<FieldError>, Option<String>), AppError> {
    let r = match checked_row(db, ctx, COUNTERPARTY, row).await? {
        Ok((r, _)) => r,
        Err(errors) => return Ok((errors, None)),
    };
    let found = counterparties_by_tax_id(db, std::slice::from_ref(&r.values.tax_id)).await?;
    let dup = match found.get(&(r.values.country.clone(), r.values.tax_id.clone())) {
        Some(id) => crate::counterparties::store::get(db, *id).await.ok().map(|c| c.legal_name),
        None => None,
    };
    Ok((Vec::new(), dup))
}

/// One batch of counterparty rows. A taxpayer id met earlier in the file adds the row's bank account to
/// the counterparty created then (one row per account is a common layout).
pub async fn counterparties_batch(
    db: &Db,
    ctx: &Context,
    first_row: usize,
    rows: &[Vec<String>],
    seen: &mut HashMap<(String, String), bool>,
) -> Result<(), AppError> {
    let mut counts = BatchCounts { processed: rows.len() as i64, ..Default::default() };
    let (valid, failed, raws) = checked_rows(db, ctx, COUNTERPARTY, first_row, rows).await?;
    let tax_ids: Vec<String> = valid.iter().map(|(_, r, _)| r.values.tax_id.clone()).collect();
    let found = counterparties_by_tax_id(db, &tax_ids).await?;
    let mut create = Vec::new();
    let mut extra_accounts = Vec::new();
    let mut updates = Vec::new();
    let update = ctx.on_duplicate == "update";
    for (row_no, r, customer_id) in valid {
        let key = (r.values.country.clone(), r.values.tax_id.clone());
        match (seen.get(&key).copied(), found.get(&key)) {
            // Met earlier in the file: its bank account goes to the counterparty this import wrote.
            (Some(true), _) if r.account.is_some() => {
                extra_accounts.push((key, r.account));
                counts.updated += 1;
            }
            (Some(_), _) => counts.skipped += 1,
            (None, Some(existing)) if update => {
                seen.insert(key, true);
                updates.push((row_no, (*existing, r)));
            }
            (None, Some(_)) => {
                seen.insert(key, false);
                counts.skipped += 1;
            }
            (None, None) => {
                seen.insert(key, true);
                create.push((customer_id, r));
            }
        }
    }
    counts.created = create.len() as i64;
    counts.failed = failed.len() as i64;
    // Duplicates first; their counts are committed with the batch (a re-run counts every row once).
    let later = super::service::apply_updates(db, ctx, &raws, updates, |(id, r)| async move {
        update_counterparty(db, ctx, id, &r).await
    })
    .await?;
    counts.updated += later.updated;
    counts.failed += later.failed;
    let now = now_millis();
    let user_id = ctx.user.id;
    let import = ctx.import_change();
    let owner = "SELECT c.id, o.customer_id FROM counterparties c JOIN counterparty_owners o \
        ON o.counterparty_id = c.id AND o.valid_to IS NULL WHERE c.country = $1 AND c.tax_id = $2";
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        for (customer_id, r) in &create {
            let accounts: Vec<&NewBankAccount> = r.account.iter().collect();
            let id = crate::counterparties::store::insert_counterparty!(
                tx, &r.values, *customer_id, r.from, accounts, user_id, now);
            let mut changes = r.values.changes_from(None);
            changes.extend(r.account.iter().map(|a| FieldChange {
                field: "bank_account".into(),
                old: None,
                new: Some(format!("{} / {}", a.bank_code, a.account)),
            }));
            changes.push(import.clone());
            crate::audit!(tx, *customer_id, "counterparty", id, "created", &changes, user_id, now)?;
        }
        for ((country, tax_id), a) in &extra_accounts {
            let Some(a) = a else { continue };
            let found: Option<(i64, i64)> = sqlx::query_as(owner).bind(country).bind(tax_id)
                .fetch_optional(&mut *tx).await?;
            let Some((cp, customer_id)) = found else { continue };
            let added = sqlx::query(crate::counterparties::store::INSERT_ACCOUNT)
                .bind(cp).bind(&a.bank_code).bind(&a.account).bind(&a.bank_name).bind(now)
                .execute(&mut *tx).await?.rows_affected();
            if added == 1 {
                let changes = [
                    FieldChange { field: "bank_account".into(), old: None, new: Some(format!("{} / {}", a.bank_code, a.account)) },
                    import.clone(),
                ];
                crate::audit!(tx, customer_id, "counterparty", cp, "changed", &changes, user_id, now)?;
            }
        }
        super::service::record_batch!(tx, (ctx.id, &ctx.runner), &failed, counts, now);
        tx.commit().await
    })?;
    let touched: HashSet<i64> = create.iter().map(|(c, _)| *c).collect();
    crate::customers::search::refresh_all(db, touched).await
}

/// Updates a duplicate counterparty from a row through the ordinary rules (it stays with its customer) and
/// adds the row's bank account if it is new.
async fn update_counterparty(db: &Db, ctx: &Context, id: i64, r: &CounterpartyRow) -> Result<(), AppError> {
    let current = crate::counterparties::service::get(db, &ctx.user, id).await?;
    let patch = CounterpartyPatch {
        version: current.version,
        legal_name: Some(r.values.legal_name.clone()),
        country: None,
        tax_id: None,
        vat_payer: Some(r.values.vat_payer),
        legal_address: r.values.legal_address.clone(),
        requisites: Default::default(),
    };
    crate::counterparties::service::update(db, &ctx.user, id, &patch).await?;
    if let Some(a) = &r.account {
        let known = current.bank_accounts.iter().any(|b| b.bank_code == a.bank_code && b.account == a.account);
        if !known {
            crate::counterparties::service::add_bank_account(db, &ctx.user, id, a).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_cells_are_read_as_number_phone_email_or_name() {
        assert_eq!(parse_ref("#42"), Some(Ref::Id(42)));
        assert_eq!(parse_ref("42"), Some(Ref::Id(42)));
        assert_eq!(parse_ref("Info@TS.uz"), Some(Ref::Email("info@ts.uz".into())));
        assert_eq!(parse_ref("+998 90 123-45-67"), Some(Ref::Phone("+998901234567".into())));
        assert_eq!(parse_ref("901234567"), Some(Ref::Phone("+998901234567".into())));
        assert!(matches!(parse_ref("OOO «Toshkent Savdo»"), Some(Ref::Key(_))));
        assert_eq!(parse_ref("  "), None);
    }

    #[test]
    fn dates_and_yes_no_in_common_spellings() {
        assert_eq!(iso_date("5.03.1990"), "1990-03-05");
        assert_eq!(iso_date("1990-03-05"), "1990-03-05");
        assert_eq!(yes_no("Да"), Some(true));
        assert_eq!(yes_no("yo'q"), Some(false));
        assert_eq!(yes_no(""), None);
    }
}
