//! Import operations: upload, mapping, preview, and the background run (customers here, contacts and
//! counterparties in [`super::linked`]). A run works in batches of
//! [`BATCH`] rows, each committed in one transaction together with its progress, yielding between batches so
//! the server keeps answering other users. A run left by a stopped server is resumed (see [`resume_stale`]).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::file::{self, Table};
use super::linked;
use super::store::{self, BatchCounts};
use super::{Import, ImportKind, ImportStatus, PreviewRow};
use crate::core::db::{BeginWrite, Db, Rows, V, placeholders_after};
use crate::core::identity::{CurrentUser, Scope};
use crate::core::{AppError, Checks, ErrCode, FieldError, Lang, now_millis};
use crate::custom_fields::{CustomField, store as fields};
use crate::customers::dupes::name_key;
use crate::customers::{CustomerKind, CustomerStage, CustomerValues, NewCustomer, search};
use crate::db_run;

/// Rows per committed batch.
pub const BATCH: usize = 500;
/// A running import without a heartbeat for this long belongs to a stopped server: any live server takes it
/// over (every batch, a few hundred milliseconds, renews the heartbeat). `KARVON_IMPORT_LEASE_SECONDS`.
pub const STALE_MS: i64 = 60_000;
static LEASE_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(STALE_MS);

/// Sets the import lease (at start, from the configuration); servers look for lapsed ones four times as often.
pub fn set_lease(ms: i64) {
    LEASE_MS.store(ms.max(1000), std::sync::atomic::Ordering::Relaxed);
}

fn lease_ms() -> i64 {
    LEASE_MS.load(std::sync::atomic::Ordering::Relaxed)
}
/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 20;

/// The key under which a mapping is remembered: the header row, lower-cased.
fn signature(headers: &[String]) -> String {
    headers.iter().map(|h| h.trim().to_lowercase()).collect::<Vec<_>>().join("\u{1f}")
}

/// A first mapping: what the user chose last time for these headers, else a guess per header (custom fields
/// by their label or key).
fn first_mapping(
    kind: ImportKind,
    headers: &[String],
    defs: &[CustomField],
    remembered: Option<Vec<String>>,
) -> Vec<String> {
    if let Some(m) = remembered.filter(|m| m.len() == headers.len()) {
        return m;
    }
    let mut used = HashSet::new();
    headers
        .iter()
        .map(|h| {
            let lower = h.trim().to_lowercase();
            let custom = defs
                .iter()
                .filter(|d| !d.retired)
                .find(|d| d.label.to_lowercase() == lower || d.key == lower)
                .map(|d| format!("custom.{}", d.key));
            let target = custom.unwrap_or_else(|| super::guess_target(kind, h).to_string());
            if target.is_empty() || !used.insert(target.clone()) { String::new() } else { target }
        })
        .collect()
}

/// The custom fields a column of this kind of import can go to.
async fn defs_for(db: &Db, kind: ImportKind) -> Result<Vec<CustomField>, AppError> {
    match kind.custom_fields() {
        Some(entity) => fields::list(db, entity).await,
        None => Ok(Vec::new()),
    }
}

/// Reads and stores an uploaded file with a first mapping (no account: see [`upload_to`]).
pub async fn upload(
    db: &Db,
    user: &CurrentUser,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
) -> Result<Import, AppError> {
    upload_to(db, user, kind, file_name, bytes, None).await
}

/// Reads and stores an uploaded file with a first mapping. Products are imported by those who keep the
/// catalog; a bank statement of `account_id` (one of the company's accounts in use) by those who keep the money.
pub async fn upload_to(
    db: &Db,
    user: &CurrentUser,
    kind: ImportKind,
    file_name: &str,
    bytes: &[u8],
    account_id: Option<i64>,
) -> Result<Import, AppError> {
    if kind == ImportKind::Products {
        crate::stock::service::catalog_keeper(user)?;
    }
    let account_id = match kind {
        ImportKind::Payments => Some(super::statement::account_for(db, user, account_id).await?),
        _ => None,
    };
    let table = file::read(file_name, bytes)?;
    let defs = defs_for(db, kind).await?;
    let remembered = store::remembered_mapping(db, user.id, kind, &signature(&table.headers)).await?;
    let mapping = first_mapping(kind, &table.headers, &defs, remembered);
    let name: String = file_name.chars().take(200).collect();
    let id = store::create(
        db,
        user.id,
        kind,
        &name,
        table.format,
        table.encoding,
        bytes,
        &table.headers,
        &mapping,
        table.rows.len() as i64,
        account_id,
    )
    .await?;
    store::get(db, Some(user.id), id).await
}

/// One of the user's imports.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Import, AppError> {
    store::get(db, Some(user.id), id).await
}

/// The user's latest imports.
pub async fn list(db: &Db, user: &CurrentUser) -> Result<Vec<Import>, AppError> {
    store::list(db, user.id).await
}

/// Why a run cannot start with this mapping: a required field without a column.
fn missing_required(kind: ImportKind, mapping: &[String]) -> Option<ErrCode> {
    kind.required().iter().find(|r| !mapping.iter().any(|m| m == *r)).map(|r| match *r {
        "customer" => ErrCode::CustomerNotMapped,
        "tax_id" => ErrCode::TaxIdNotMapped,
        _ => ErrCode::NameNotMapped,
    })
}

/// Checks and saves a mapping (the kind's required fields mapped, each field at most once) and the duplicate rule
/// (`skip` or `update`); remembers the mapping for files with the same headers.
pub async fn set_mapping(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    mapping: &[String],
    on_duplicate: &str,
) -> Result<Import, AppError> {
    let import = store::get(db, Some(user.id), id).await?;
    if import.status != ImportStatus::Uploaded {
        return Err(AppError::Conflict);
    }
    let defs = defs_for(db, import.kind).await?;
    let mut checks = Checks::default();
    if mapping.len() != import.headers.len() {
        checks.fail("mapping", ErrCode::InvalidChoice);
    }
    let mut seen = HashSet::new();
    for (i, m) in mapping.iter().enumerate().filter(|(_, m)| !m.is_empty()) {
        let known = import.kind.targets().contains(&m.as_str())
            || m.strip_prefix("custom.").is_some_and(|k| defs.iter().any(|d| d.key == k && !d.retired));
        if !known || !seen.insert(m.as_str()) {
            checks.fail(&format!("mapping[{i}]"), ErrCode::InvalidChoice);
        }
    }
    if let Some(code) = missing_required(import.kind, mapping) {
        checks.fail("mapping", code);
    }
    if import.kind == ImportKind::Payments
        && !mapping.iter().any(|m| matches!(m.as_str(), "credit" | "debit" | "amount"))
    {
        checks.fail("mapping", ErrCode::AmountNotMapped);
    }
    if !matches!(on_duplicate, "skip" | "update") {
        checks.fail("on_duplicate", ErrCode::InvalidChoice);
    }
    checks.finish()?;
    store::set_mapping(db, user.id, import.kind, id, &signature(&import.headers), mapping, on_duplicate).await?;
    store::get(db, Some(user.id), id).await
}

/// What a run needs besides the rows: the import, field definitions, users by e-mail, who runs it.
pub struct Context {
    pub id: i64,
    /// The token of this server's lease on the run (empty for a preview, which writes nothing).
    pub runner: String,
    pub user: CurrentUser,
    pub defs: Vec<CustomField>,
    /// Active users by e-mail: id and team.
    managers: HashMap<String, (i64, Option<i64>)>,
    mapping: Vec<String>,
    header_len: usize,
    /// `skip` or `update`.
    pub on_duplicate: String,
}

impl Context {
    async fn load(db: &Db, user: CurrentUser, import: &Import) -> Result<Context, AppError> {
        let defs = defs_for(db, import.kind).await?;
        let users = crate::admin::store::list_users(db).await?;
        let managers =
            users.into_iter().filter(|u| u.active).map(|u| (u.email.to_lowercase(), (u.id, u.team_id))).collect();
        Ok(Context {
            id: import.id,
            runner: String::new(),
            user,
            defs,
            managers,
            mapping: import.mapping.clone(),
            header_len: import.headers.len(),
            on_duplicate: import.on_duplicate.clone(),
        })
    }

    /// The audit entry's mark on records this import writes.
    pub fn import_change(&self) -> crate::audit::FieldChange {
        crate::audit::FieldChange { field: "import".into(), old: None, new: Some(format!("#{}", self.id)) }
    }

    /// The mapped cells of a row (trimmed) with their targets, and what is wrong with the row as a whole:
    /// more cells than headers, formulas.
    pub fn cells<'a>(&'a self, row: &'a [String]) -> (Vec<(&'a str, &'a str)>, Vec<FieldError>) {
        let mut errors = Vec::new();
        if row.len() > self.header_len && row[self.header_len..].iter().any(|c| !c.trim().is_empty()) {
            errors.push(FieldError { field: "row".into(), code: ErrCode::RaggedRow });
        }
        let mut cells = Vec::new();
        for (i, target) in self.mapping.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
            let cell = row.get(i).map(|c| c.trim()).unwrap_or_default();
            if file::is_formula(cell) {
                errors.push(FieldError { field: target.clone(), code: ErrCode::FormulaNotAllowed });
            }
            cells.push((target.as_str(), cell));
        }
        (cells, errors)
    }

    /// A row as a customer to create (as given, validated, and its manager), or why not.
    fn customer(&self, row: &[String]) -> Result<(NewCustomer, CustomerValues, i64), Vec<FieldError>> {
        let (cells, mut errors) = self.cells(row);
        let mut fail = |field: &str, code| errors.push(FieldError { field: field.into(), code });
        let mut c = NewCustomer { custom: Some(Default::default()), ..Default::default() };
        let mut manager_id = self.user.id;
        for (target, cell) in cells {
            let text = || Some(cell.to_string()).filter(|s| !s.is_empty());
            match target {
                "name" => c.name = cell.to_string(),
                "kind" => c.kind = text().map(|k| choice(&k, &kind_names())),
                "stage" => c.stage = text().map(|s| choice(&s, &stage_names())),
                "phone" => c.phone = text(),
                "email" => c.email = text(),
                "source" => c.source = text(),
                "notes" => c.notes = text(),
                "tags" => c.tags = Some(cell.split([',', ';']).map(|t| t.trim().to_string()).collect()),
                "manager" if !cell.is_empty() => {
                    // The role rules of assigning: oneself always, one's team as a sales head, anyone as admin.
                    let allowed = |(id, team): (i64, Option<i64>)| match self.user.scope() {
                        Scope::All => true,
                        Scope::Team { team_id, .. } => id == self.user.id || team == Some(team_id),
                        Scope::Own { .. } => id == self.user.id,
                    };
                    match self.managers.get(&cell.to_lowercase()).copied() {
                        Some(m) if allowed(m) => manager_id = m.0,
                        _ => fail("manager", ErrCode::InvalidChoice),
                    }
                }
                t => {
                    if let (Some(key), Some(custom)) = (t.strip_prefix("custom."), c.custom.as_mut()) {
                        custom.insert(key.to_string(), Value::String(cell.to_string()));
                    }
                }
            }
        }
        match c.validate_with(&self.defs, true) {
            Ok(values) if errors.is_empty() => Ok((c, values, manager_id)),
            Ok(_) => Err(errors),
            Err(AppError::Validation { fields }) => {
                errors.extend(fields);
                Err(errors)
            }
            Err(_) => Err(errors),
        }
    }
}

/// Stored code for a value given as a code or a translated name.
fn choice(value: &str, names: &[(&'static str, Vec<String>)]) -> String {
    let v = value.trim().to_lowercase();
    names.iter().find(|(code, texts)| *code == v || texts.contains(&v)).map(|(c, _)| c.to_string()).unwrap_or(v)
}

fn translations(msg: crate::core::Msg) -> Vec<String> {
    Lang::ALL.iter().map(|l| msg.text(*l).to_lowercase()).collect()
}

fn kind_names() -> Vec<(&'static str, Vec<String>)> {
    [CustomerKind::Company, CustomerKind::Person].into_iter().map(|k| (k.as_str(), translations(k.msg()))).collect()
}

fn stage_names() -> Vec<(&'static str, Vec<String>)> {
    CustomerStage::ALL.into_iter().map(|k| (k.as_str(), translations(k.msg()))).collect()
}

/// The first rows as they would be imported, with their errors and likely duplicates.
pub async fn preview(db: &Db, user: &CurrentUser, id: i64) -> Result<(Import, Vec<PreviewRow>), AppError> {
    let import = store::get(db, Some(user.id), id).await?;
    let (bytes, _) = store::content(db, id).await?;
    let table = file::read(&import.file_name, &bytes)?;
    let ctx = Context::load(db, user.clone(), &import).await?;
    let statement = super::statement::Statement::load(db, &ctx, &import).await?;
    let mut out = Vec::new();
    for (i, row) in table.rows.iter().take(PREVIEW_ROWS).enumerate() {
        let cells: Vec<String> = (0..import.headers.len()).map(|c| row.get(c).cloned().unwrap_or_default()).collect();
        let (errors, duplicate_of) = match import.kind {
            ImportKind::Contacts => linked::preview_contact(db, &ctx, row).await?,
            ImportKind::Counterparties => linked::preview_counterparty(db, &ctx, row).await?,
            ImportKind::Customers => preview_customer(db, user, &ctx, row).await?,
            ImportKind::Products => super::products::preview_product(db, &ctx, row).await?,
            ImportKind::Payments => {
                let (errors, duplicate_of, matched) = super::statement::preview_line(db, &ctx, &statement, row).await?;
                out.push(PreviewRow { row_no: i as i64 + 2, cells, errors, duplicate_of, matched });
                continue;
            }
        };
        out.push(PreviewRow { row_no: i as i64 + 2, cells, errors, duplicate_of, matched: None });
    }
    Ok((import, out))
}

/// The preview's verdict on a customer row: its errors, or the customer it duplicates.
async fn preview_customer(
    db: &Db,
    user: &CurrentUser,
    ctx: &Context,
    row: &[String],
) -> Result<(Vec<FieldError>, Option<String>), AppError> {
    Ok({
        match ctx.customer(row) {
            Err(errors) => (errors, None),
            Ok((c, _, _)) => {
                let probe = crate::customers::DuplicateProbe {
                    name: c.name.clone(),
                    phone: c.phone.clone(),
                    email: c.email.clone(),
                    exclude: None,
                };
                let hits = crate::customers::service::duplicates(db, user, &probe).await?;
                (Vec::new(), hits.first().map(|h| h.name.clone()))
            }
        }
    })
}

/// Starts the run of a mapped import in the background.
pub async fn start(db: &Db, user: &CurrentUser, id: i64) -> Result<Import, AppError> {
    let import = store::get(db, Some(user.id), id).await?;
    if import.status != ImportStatus::Uploaded {
        return Err(AppError::Conflict);
    }
    if let Some(code) = missing_required(import.kind, &import.mapping) {
        return Err(AppError::field("mapping", code));
    }
    let Some(runner) = store::claim(db, id, now_millis() - lease_ms()).await? else {
        return Err(AppError::Conflict);
    };
    spawn(db.clone(), id, runner);
    store::get(db, Some(user.id), id).await
}

/// Takes over the runs whose lease lapsed (their server stopped): `stale_before` is the oldest heartbeat
/// still counted as alive. Returns how many this server took.
pub async fn resume_stale(db: &Db, stale_before: i64) -> Result<usize, AppError> {
    let mut n = 0;
    for id in store::stale(db, stale_before).await? {
        if let Some(runner) = store::claim(db, id, stale_before).await? {
            tracing::info!(import = id, "taking over an import whose server stopped");
            spawn(db.clone(), id, runner);
            n += 1;
        }
    }
    Ok(n)
}

/// Runs on every app server: every quarter of the lease (15 s by default), takes over imports whose lease
/// lapsed, so an import whose server died finishes on another one (or on the same one once it is back).
pub async fn watch(db: Db) {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(lease_ms() as u64 / 4));
    loop {
        tick.tick().await;
        if let Err(e) = resume_stale(&db, now_millis() - lease_ms()).await {
            tracing::warn!(error = %e, "cannot look for imports to take over");
        }
    }
}

fn spawn(db: Db, id: i64, runner: String) {
    tokio::spawn(async move {
        if let Err(e) = run(&db, id, &runner).await {
            // A run that lost its lease stops quietly: the server that took it over finishes it.
            if store::renew(&db, id, &runner).await.unwrap_or(false) {
                tracing::error!(import = id, error = ?e, "import failed");
                let stored = serde_json::to_string(&e).unwrap_or_else(|_| e.to_string());
                let _ = store::finish(&db, id, &runner, ImportStatus::Failed, Some(&stored)).await;
            } else {
                tracing::info!(import = id, "import taken over by another server");
            }
        }
    });
}

/// Runs (or resumes) an import to its end, holding the lease `runner`.
pub async fn run(db: &Db, id: i64, runner: &str) -> Result<(), AppError> {
    let import = store::get(db, None, id).await?;
    let (bytes, user_id) = store::content(db, id).await?;
    let user = crate::auth::store::load_user(db, user_id).await?.ok_or(AppError::NotFound)?;
    let table: Table = file::read(&import.file_name, &bytes)?;
    drop(bytes);
    let mut ctx = Context::load(db, user, &import).await?;
    ctx.runner = runner.to_string();
    let mut seen = Seen::default();
    let mut seen_contacts = linked::SeenContacts::default();
    let mut seen_counterparties = HashMap::new();
    let mut seen_products = super::products::SeenProducts::default();
    let statement = super::statement::Statement::load(db, &ctx, &import).await?;
    let start = import.processed.max(0) as usize;
    for (n, chunk) in table.rows.chunks(BATCH).enumerate().skip(start / BATCH) {
        let first_row = n * BATCH;
        match import.kind {
            ImportKind::Customers => batch(db, id, &ctx, &import.on_duplicate, first_row, chunk, &mut seen).await?,
            ImportKind::Contacts => linked::contacts_batch(db, &ctx, first_row, chunk, &mut seen_contacts).await?,
            ImportKind::Counterparties => {
                linked::counterparties_batch(db, &ctx, first_row, chunk, &mut seen_counterparties).await?
            }
            ImportKind::Products => {
                super::products::products_batch(db, &ctx, first_row, chunk, &mut seen_products).await?
            }
            ImportKind::Payments => super::statement::batch(db, &ctx, &statement, first_row, chunk).await?,
        }
        // A moment between batches for other writers: SQLite's single write lock would otherwise pass from
        // batch to batch while a user's save waits out its busy timeout.
        if db.is_postgres() {
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
    if import.kind == ImportKind::Payments {
        super::statement::after_run(db).await;
    }
    store::finish(db, id, runner, ImportStatus::Done, None).await
}

/// Phones, e-mails and name keys met earlier in this file.
#[derive(Default)]
struct Seen {
    phones: HashSet<String>,
    emails: HashSet<String>,
    keys: HashSet<String>,
}

/// An existing customer a row duplicates: id and version.
type Existing = (i64, i64);

/// Existing customers with any of these phones, e-mails or name keys: one indexed select per column (an
/// `OR` of three long `IN` lists made SQLite scan every customer, 0.4 s a batch at a million customers; and
/// where demo names repeat, its statistics expect thousands of rows per name key, so the index is named).
async fn existing(
    db: &Db,
    phones: &[String],
    emails: &[String],
    keys: &[String],
) -> Result<Vec<(i64, i64, Option<String>, Option<String>, String)>, AppError> {
    let mut parts = Vec::new();
    let mut args: Vec<&String> = Vec::new();
    let sqlite = !db.is_postgres();
    for (col, index, list) in [
        ("phone", "customers_phone", phones),
        ("email", "customers_email", emails),
        ("dup_key", "customers_dup_key", keys),
    ] {
        if !list.is_empty() {
            let hint = if sqlite { format!(" INDEXED BY {index}") } else { String::new() };
            parts.push(format!(
                "SELECT id, version, phone, email, dup_key FROM customers{hint} WHERE {col} IN ({})",
                placeholders_after(args.len(), list.len())
            ));
            args.extend(list.iter());
        }
    }
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let sql = parts.join(" UNION ");
    Ok(db_run!(db, p => {
        let mut q = sqlx::query_as(&sql);
        for a in &args {
            q = q.bind(*a);
        }
        q.fetch_all(p).await
    })?)
}

/// One batch: validate, find duplicates, create the new customers (with tags, custom values, audit rows and
/// search documents) and record failed rows and progress, in one transaction; then update duplicates if asked.
#[allow(clippy::too_many_arguments)]
async fn batch(
    db: &Db,
    id: i64,
    ctx: &Context,
    on_duplicate: &str,
    first_row: usize,
    rows: &[Vec<String>],
    seen: &mut Seen,
) -> Result<(), AppError> {
    let mut counts = BatchCounts { processed: rows.len() as i64, ..Default::default() };
    let mut failed: Vec<Failed> = Vec::new();
    let mut valid: Vec<(i64, CustomerValues, i64, NewCustomer)> = Vec::new();
    let mut raws: HashMap<i64, String> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let row_no = (first_row + i) as i64 + 2;
        let raw = serde_json::to_string(row).unwrap_or_default();
        match ctx.customer(row) {
            Ok((input, values, manager_id)) => {
                raws.insert(row_no, raw);
                valid.push((row_no, values, manager_id, input))
            }
            Err(errors) => failed.push(Failed::new(row_no, &errors, raw)),
        }
    }
    let phones: Vec<String> = valid.iter().filter_map(|v| v.1.phone.clone()).collect();
    let emails: Vec<String> = valid.iter().filter_map(|v| v.1.email.clone()).collect();
    let keys: Vec<String> = valid.iter().map(|v| name_key(&v.1.name)).filter(|k| k.chars().count() >= 3).collect();
    let found = existing(db, &phones, &emails, &keys).await?;
    let mut by_phone: HashMap<String, Existing> = HashMap::new();
    let mut by_email: HashMap<String, Existing> = HashMap::new();
    let mut by_key: HashMap<String, Existing> = HashMap::new();
    for (cid, version, phone, email, key) in found {
        phone.map(|p| by_phone.insert(p, (cid, version)));
        email.map(|e| by_email.insert(e, (cid, version)));
        by_key.insert(key, (cid, version));
    }
    let mut create: Vec<(CustomerValues, i64)> = Vec::new();
    let mut updates: Vec<(i64, (Existing, NewCustomer))> = Vec::new();
    for (row_no, values, manager_id, input) in valid {
        let key = name_key(&values.name);
        let key = (key.chars().count() >= 3).then_some(key);
        let dup = values
            .phone
            .as_ref()
            .and_then(|p| by_phone.get(p))
            .or_else(|| values.email.as_ref().and_then(|e| by_email.get(e)))
            .or_else(|| key.as_ref().and_then(|k| by_key.get(k)))
            .copied();
        let in_file = values.phone.as_ref().is_some_and(|p| seen.phones.contains(p))
            || values.email.as_ref().is_some_and(|e| seen.emails.contains(e))
            || key.as_ref().is_some_and(|k| seen.keys.contains(k));
        values.phone.iter().for_each(|p| _ = seen.phones.insert(p.clone()));
        values.email.iter().for_each(|e| _ = seen.emails.insert(e.clone()));
        key.iter().for_each(|k| _ = seen.keys.insert(k.clone()));
        match dup {
            Some(existing) if on_duplicate == "update" => updates.push((row_no, (existing, input))),
            Some(_) => counts.skipped += 1,
            None if in_file => counts.skipped += 1,
            None => create.push((values, manager_id)),
        }
    }
    counts.created = create.len() as i64;
    counts.failed = failed.len() as i64;
    // Duplicates are updated first (each through the ordinary service, its own transaction); their counts
    // are committed with the batch, so a batch re-run after a crash counts every row once.
    let later = apply_updates(db, ctx, &raws, updates, |((cid, version), input): (Existing, NewCustomer)| async move {
        let patch = crate::customers::CustomerPatch {
            version,
            name: Some(input.name.clone()),
            kind: input.kind.clone(),
            stage: input.stage.clone(),
            phone: input.phone.clone(),
            email: input.email.clone(),
            notes: input.notes.clone(),
            source: input.source.clone(),
            tags: input.tags.clone().filter(|t| t.iter().any(|x| !x.is_empty())),
            custom: input
                .custom
                .clone()
                .map(|c| c.into_iter().filter(|(_, v)| !crate::custom_fields::is_empty_value(v)).collect()),
            manager_id: None,
        };
        crate::customers::service::update(db, &ctx.user, cid, &patch).await.map(|_| ())
    })
    .await?;
    counts.updated += later.updated;
    counts.failed += later.failed;
    write_batch(db, id, ctx, &create, &failed, counts).await
}

/// Updates the duplicates of a batch one by one through the ordinary services (scope, versions, audit; each
/// its own transaction): a refusal is recorded with its row (out of scope or changed meanwhile as
/// "not yours"), anything else stops the run. Returns their counts, which the batch's transaction commits.
/// Run again after a crash, an update writes the same values and a refusal is recorded once.
pub async fn apply_updates<T, F, Fut>(
    db: &Db,
    ctx: &Context,
    raws: &HashMap<i64, String>,
    updates: Vec<(i64, T)>,
    update: F,
) -> Result<BatchCounts, AppError>
where
    F: Fn(T) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    if !updates.is_empty() && !store::renew(db, ctx.id, &ctx.runner).await? {
        return Err(AppError::Conflict);
    }
    let mut later = BatchCounts::default();
    for (row_no, u) in updates {
        let fields = match update(u).await {
            Ok(()) => {
                later.updated += 1;
                continue;
            }
            Err(AppError::Validation { fields }) => fields,
            Err(AppError::Forbidden | AppError::Conflict | AppError::NotFound) => {
                vec![FieldError { field: "row".into(), code: ErrCode::NotYours }]
            }
            Err(e) => return Err(e),
        };
        later.failed += 1;
        let raw = raws.get(&row_no).map(String::as_str).unwrap_or("[]");
        record_failure(db, ctx.id, row_no, &fields, raw).await?;
    }
    Ok(later)
}

/// Records a batch's failed rows and adds its counts, on its open transaction `$tx` (`?` inside): in the
/// batch's transaction, so a resumed run starts after the last committed batch.
macro_rules! record_batch {
    ($tx:expr, $import:expr, $failed:expr, $counts:expr, $now:expr) => {{
        for f in $failed {
            sqlx::query($crate::imports::store::INSERT_ERROR)
                .bind($import.0)
                .bind(f.row_no)
                .bind(&f.errors)
                .bind(&f.raw)
                .execute(&mut *$tx)
                .await?;
        }
        let c: &$crate::imports::store::BatchCounts = &$counts;
        let held = sqlx::query($crate::imports::store::ADD_COUNTS)
            .bind(c.processed)
            .bind(c.created)
            .bind(c.updated)
            .bind(c.skipped)
            .bind(c.failed)
            .bind($now)
            .bind($import.0)
            .bind($import.1)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
        if held != 1 {
            // The lease was taken over: nothing of this batch is committed (the transaction is dropped).
            return Err($crate::core::AppError::Conflict);
        }
    }};
}
pub(crate) use record_batch;

/// A row that failed: its number, its errors and its cells as JSON.
pub struct Failed {
    pub row_no: i64,
    pub errors: String,
    pub raw: String,
}

impl Failed {
    pub fn new(row_no: i64, errors: &[FieldError], raw: String) -> Failed {
        Failed { row_no, errors: serde_json::to_string(errors).unwrap_or_default(), raw }
    }
}

/// Records a row that failed outside a batch transaction (an update of a duplicate).
pub async fn record_failure(db: &Db, id: i64, row_no: i64, fields: &[FieldError], raw: &str) -> Result<(), AppError> {
    let errors = serde_json::to_string(fields).unwrap_or_default();
    db_run!(db, p => sqlx::query(store::INSERT_ERROR).bind(id).bind(row_no).bind(&errors).bind(raw)
        .execute(p).await.map(|_| ()))?;
    Ok(())
}

/// The transaction of one batch: progress first (on SQLite that takes the write lock, so the ids read next
/// stay free until commit; PostgreSQL hands them out from the sequence), then every table's new rows in a
/// few multi-row statements.
async fn write_batch(
    db: &Db,
    id: i64,
    ctx: &Context,
    create: &[(CustomerValues, i64)],
    failed: &[Failed],
    counts: BatchCounts,
) -> Result<(), AppError> {
    let now = now_millis();
    let user_id = ctx.user.id;
    let n = create.len() as i64;
    let pg = db.is_postgres();
    let mut customers = Rows::new(
        db,
        "INSERT INTO customers (id, name, name_search, kind, stage, source, phone, email, notes, manager_id, \
         created_by, updated_by, created_at, updated_at, version, tags, dup_key)",
        17,
    );
    let mut tags = Rows::new(db, "INSERT INTO customer_tags (customer_id, tag)", 2);
    let mut values = Rows::new(db, "INSERT INTO custom_values (field_id, record_id, seq, value, sort_key, num)", 6);
    let mut audit =
        Rows::new(db, "INSERT INTO audit_log (customer_id, entity, entity_id, action, changes, user_id, at)", 7);
    let mut docs = Rows::new(db, search::insert_head(db), 2);
    // A batch re-run after a restart meets the failed rows its updates recorded.
    let mut errors = Rows::new(db, "INSERT INTO import_errors (import_id, row_no, errors, raw)", 4)
        .tail(" ON CONFLICT (import_id, row_no) DO NOTHING");
    for f in failed {
        errors.push([V::I(id), V::I(f.row_no), V::S(f.errors.clone()), V::S(f.raw.clone())]);
    }
    let empty = crate::customers::Customer::empty();
    let import = ctx.import_change();
    let fill =
        |ids: &[i64], customers: &mut Rows, tags: &mut Rows, values: &mut Rows, audit: &mut Rows, docs: &mut Rows| {
            for (cid, (v, manager_id)) in ids.iter().copied().zip(create) {
                customers.push([
                    V::I(cid),
                    V::S(v.name.clone()),
                    V::S(crate::customers::search_key(&v.name)),
                    V::S(v.kind.as_str().into()),
                    V::S(v.stage.as_str().into()),
                    v.source.clone().into(),
                    v.phone.clone().into(),
                    v.email.clone().into(),
                    v.notes.clone().into(),
                    V::I(*manager_id),
                    V::I(user_id),
                    V::I(user_id),
                    V::I(now),
                    V::I(now),
                    V::I(1),
                    V::S(v.tags.join("\u{1f}")),
                    V::S(name_key(&v.name)),
                ]);
                for tag in &v.tags {
                    tags.push([V::I(cid), V::S(tag.clone())]);
                }
                for (field_id, rows) in &v.custom {
                    for (seq, r) in rows.iter().enumerate() {
                        values.push([
                            V::I(*field_id),
                            V::I(cid),
                            V::I(seq as i64),
                            V::S(r.value.clone()),
                            V::S(r.sort_key()),
                            r.num.into(),
                        ]);
                    }
                }
                let mut changes = v.changes_from(&empty);
                let custom = crate::custom_fields::merged(&ctx.defs, &Default::default(), &v.custom);
                changes.extend(crate::custom_fields::changes(&ctx.defs, &Default::default(), &custom));
                changes.push(import.clone());
                audit.push([
                    V::I(cid),
                    V::S("customer".into()),
                    V::I(cid),
                    V::S("created".into()),
                    V::S(crate::audit::store::changes_json(&changes)),
                    V::I(user_id),
                    V::I(now),
                ]);
                let doc = search::document([v.name.as_str()].into_iter().chain(v.email.as_deref()), v.phone.as_deref());
                docs.push([V::I(cid), V::S(doc)]);
            }
        };
    db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let held = sqlx::query(store::ADD_COUNTS).bind(counts.processed).bind(counts.created).bind(counts.updated)
            .bind(counts.skipped).bind(counts.failed).bind(now).bind(id).bind(&ctx.runner).execute(&mut *tx).await?
            .rows_affected();
        if held != 1 {
            // The lease was taken over: nothing of this batch is committed (the transaction is dropped).
            return Err(AppError::Conflict);
        }
        if n > 0 {
            let ids: Vec<i64> = if pg {
                sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('customers', 'id')) FROM generate_series(1, $1)")
                    .bind(n).fetch_all(&mut *tx).await?
            } else {
                let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM customers")
                    .fetch_one(&mut *tx).await?;
                (first..first + n).collect()
            };
            fill(&ids, &mut customers, &mut tags, &mut values, &mut audit, &mut docs);
            crate::insert_rows!(tx, customers);
            crate::insert_rows!(tx, tags);
            crate::insert_rows!(tx, values);
            crate::insert_rows!(tx, audit);
            crate::insert_rows!(tx, docs);
            // The documents are written here, in the batch: the triggers' stale marks are not needed.
            let clear = format!("DELETE FROM search_stale WHERE customer_id IN ({})", crate::core::db::placeholders(ids.len()));
            let mut q = sqlx::query(&clear);
            for id in &ids {
                q = q.bind(*id);
            }
            q.execute(&mut *tx).await?;
        }
        crate::insert_rows!(tx, errors);
        tx.commit().await
    })?;
    Ok(())
}
