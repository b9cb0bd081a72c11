//! SQL for pipelines, deals, their stage history and the board, on both databases.

use super::{
    AutoTask, BoardCard, ColumnTotals, CurrencySum, Deal, DealClose, DealContact, DealFilter, DealPage, DealStatus,
    DealValues, Pipeline, PipelineMode, Reason, Stage, StageRules, StageStay, amount_of,
};
use crate::audit::FieldChange;
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::{CurrentUser, Scope};
use crate::core::{AppError, Millis, now_millis};
use crate::custom_fields::FieldEntity;
use crate::custom_fields::store as fields;
use crate::customers::store::{Arg, ChangedSince, bind_args, push_cond, scope_sql_on};
use crate::db_run;

/// How an audit row names a stage: its name, else `@preset` (translated when shown).
pub fn stage_ref(s: &Stage) -> String {
    match (&s.name, &s.preset) {
        (Some(n), _) if !n.is_empty() => n.clone(),
        (_, Some(p)) => format!("@{p}"),
        _ => format!("#{}", s.id),
    }
}

#[derive(sqlx::FromRow)]
struct PipelineRow {
    id: i64,
    name: Option<String>,
    preset: Option<String>,
    mode: String,
    position: i64,
    archived_at: Option<i64>,
    version: i64,
}

impl PipelineRow {
    fn into_pipeline(self, stages: Vec<Stage>) -> Pipeline {
        Pipeline {
            id: self.id,
            name: self.name,
            preset: self.preset,
            mode: PipelineMode::parse(&self.mode).unwrap_or_default(),
            position: self.position,
            archived: self.archived_at.is_some(),
            stages,
            version: self.version,
        }
    }
}

#[derive(sqlx::FromRow)]
struct StageRow {
    id: i64,
    pipeline_id: i64,
    name: Option<String>,
    preset: Option<String>,
    position: i64,
    probability: i64,
    rules: String,
}

impl StageRow {
    fn into_stage(self) -> Stage {
        Stage {
            id: self.id,
            pipeline_id: self.pipeline_id,
            name: self.name,
            preset: self.preset,
            position: self.position,
            probability: self.probability,
            rules: serde_json::from_str(&self.rules).unwrap_or_default(),
        }
    }
}

/// Every pipeline (archived ones too when `archived`), in order, with their stages.
pub async fn pipelines(db: &Db, archived: bool) -> Result<Vec<Pipeline>, AppError> {
    let sql = format!(
        "SELECT id, name, preset, mode, position, archived_at, version FROM pipelines {} ORDER BY position, id",
        if archived { "" } else { "WHERE archived_at IS NULL" }
    );
    let rows: Vec<PipelineRow> = db_run!(db, p => sqlx::query_as(&sql).fetch_all(p).await)?;
    let stages: Vec<StageRow> = db_run!(db, p => sqlx::query_as(
        "SELECT id, pipeline_id, name, preset, position, probability, rules FROM pipeline_stages ORDER BY pipeline_id, position, id")
        .fetch_all(p).await)?;
    let mut stages: Vec<Stage> = stages.into_iter().map(StageRow::into_stage).collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let (mine, rest): (Vec<Stage>, Vec<Stage>) = stages.drain(..).partition(|s| s.pipeline_id == r.id);
            stages = rest;
            r.into_pipeline(mine)
        })
        .collect())
}

/// One pipeline with its stages.
pub async fn pipeline(db: &Db, id: i64) -> Result<Pipeline, AppError> {
    let row: Option<PipelineRow> = db_run!(db, p => sqlx::query_as(
        "SELECT id, name, preset, mode, position, archived_at, version FROM pipelines WHERE id = $1")
        .bind(id).fetch_optional(p).await)?;
    let r = row.ok_or(AppError::NotFound)?;
    let stages: Vec<StageRow> = db_run!(db, p => sqlx::query_as(
        "SELECT id, pipeline_id, name, preset, position, probability, rules FROM pipeline_stages \
         WHERE pipeline_id = $1 ORDER BY position, id")
        .bind(id).fetch_all(p).await)?;
    Ok(r.into_pipeline(stages.into_iter().map(StageRow::into_stage).collect()))
}

/// A stage to keep, change or add when a pipeline is saved.
pub struct StageSave {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub preset: Option<String>,
    pub probability: i64,
    pub rules: StageRules,
}

/// Creates (`id` `None`) or changes a pipeline and its stages in one transaction: stages are positioned as
/// listed, new ones added, missing ones deleted (the caller checked they hold no deals). A stale `version`
/// is a `Conflict`.
pub async fn save_pipeline(
    db: &Db,
    id: Option<i64>,
    version: i64,
    name: Option<&str>,
    mode: PipelineMode,
    archived: bool,
    stages: &[StageSave],
) -> Result<i64, AppError> {
    let now = now_millis();
    let archived_at = archived.then_some(now);
    let id = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: Option<i64> = match id {
            None => Some(sqlx::query_scalar(
                "INSERT INTO pipelines (name, mode, position, archived_at, created_at, updated_at) \
                 VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM pipelines), $3, $4, $4) RETURNING id")
                .bind(name).bind(mode.code()).bind(archived_at).bind(now).fetch_one(&mut *tx).await?),
            Some(id) => sqlx::query_scalar(
                "UPDATE pipelines SET name = COALESCE($1, name), mode = $2, \
                 archived_at = CASE WHEN $3 THEN COALESCE(archived_at, $4) END, updated_at = $4, version = version + 1 \
                 WHERE id = $5 AND version = $6 RETURNING id")
                .bind(name).bind(mode.code()).bind(archived).bind(now).bind(id).bind(version)
                .fetch_optional(&mut *tx).await?,
        };
        if let Some(id) = id {
            let keep: Vec<i64> = stages.iter().filter_map(|s| s.id).collect();
            let existing: Vec<i64> = sqlx::query_scalar("SELECT id FROM pipeline_stages WHERE pipeline_id = $1")
                .bind(id).fetch_all(&mut *tx).await?;
            for gone in existing.iter().filter(|e| !keep.contains(e)) {
                sqlx::query("DELETE FROM pipeline_stages WHERE id = $1").bind(gone).execute(&mut *tx).await?;
            }
            for (i, s) in stages.iter().enumerate() {
                let rules = serde_json::to_string(&s.rules).unwrap_or_else(|_| "{}".into());
                let position = i as i64 + 1;
                match s.id {
                    Some(sid) => sqlx::query(
                        "UPDATE pipeline_stages SET name = $1, position = $2, probability = $3, rules = $4, \
                         updated_at = $5 WHERE id = $6 AND pipeline_id = $7")
                        .bind(&s.name).bind(position).bind(s.probability).bind(&rules).bind(now).bind(sid).bind(id)
                        .execute(&mut *tx).await.map(|_| ())?,
                    None => sqlx::query(
                        "INSERT INTO pipeline_stages (pipeline_id, name, preset, position, probability, rules, \
                         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
                        .bind(id).bind(&s.name).bind(&s.preset).bind(position).bind(s.probability).bind(&rules).bind(now)
                        .execute(&mut *tx).await.map(|_| ())?,
                }
            }
        }
        tx.commit().await.map(|_| id)
    })?;
    id.ok_or(AppError::Conflict)
}

/// How many deals (open or closed) are at, or were lost at, a stage.
pub async fn deals_at_stage(db: &Db, stage_id: i64) -> Result<i64, AppError> {
    Ok(db_run!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM deals WHERE stage_id = $1 OR lost_stage_id = $1").bind(stage_id).fetch_one(p).await)?)
}

/// Whether any stage history mentions a stage (its stays stay in the funnel, so it cannot be deleted).
pub async fn stage_has_history(db: &Db, stage_id: i64) -> Result<bool, AppError> {
    let n: Option<i64> = db_run!(db, p => sqlx::query_scalar(
        "SELECT 1 FROM deal_stage_history WHERE stage_id = $1 LIMIT 1").bind(stage_id).fetch_optional(p).await)?;
    Ok(n.is_some())
}

/// Loss and unmet-demand reasons (retired ones too), in order.
pub async fn reasons(db: &Db) -> Result<Vec<Reason>, AppError> {
    type ReasonRow = (i64, String, Option<String>, Option<String>, Option<i64>, i64);
    let rows: Vec<ReasonRow> = db_run!(db, p => sqlx::query_as(
        "SELECT id, kind, name, preset, retired_at, version FROM deal_reasons ORDER BY kind, position, id").fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, name, preset, retired, version)| Reason {
            id,
            kind,
            name,
            preset,
            retired: retired.is_some(),
            version,
        })
        .collect())
}

/// Adds a reason.
pub async fn add_reason(db: &Db, kind: &str, name: &str) -> Result<i64, AppError> {
    Ok(db_run!(db, p => sqlx::query_scalar(
        "INSERT INTO deal_reasons (kind, name, position, created_at) VALUES ($1, $2, \
         (SELECT COALESCE(MAX(position), 0) + 1 FROM deal_reasons WHERE kind = $1), $3) RETURNING id")
        .bind(kind).bind(name).bind(now_millis()).fetch_one(p).await)?)
}

/// Renames or retires (or brings back) a reason read at `version` (`Conflict` when it changed since).
pub async fn update_reason(db: &Db, id: i64, version: i64, name: Option<&str>, retired: bool) -> Result<(), AppError> {
    let n = db_run!(db, p => sqlx::query(
        "UPDATE deal_reasons SET name = COALESCE($1, name), retired_at = CASE WHEN $2 THEN COALESCE(retired_at, $3) END, \
         version = version + 1 WHERE id = $4 AND version = $5")
        .bind(name).bind(retired).bind(now_millis()).bind(id).bind(version).execute(p).await.map(|r| r.rows_affected()))?;
    if n == 1 {
        return Ok(());
    }
    let exists: Option<i64> = db_run!(db, p => sqlx::query_scalar("SELECT id FROM deal_reasons WHERE id = $1")
        .bind(id).fetch_optional(p).await)?;
    Err(if exists.is_some() { AppError::Conflict } else { AppError::NotFound })
}

const SELECT: &str = "SELECT d.id, d.title, d.pipeline_id, d.stage_id, d.customer_id, c.name AS customer_name, \
    d.counterparty_id, cp.legal_name AS counterparty_name, d.manager_id, u.name AS manager_name, d.amount, d.currency, \
    d.expected_close, d.interest, d.source, d.status, d.lost_stage_id, d.loss_reason_id, d.unmet_reason_id, \
    d.close_note, d.closed_at, d.stage_entered_at, d.checklist_done, d.created_by, d.created_at, d.updated_at, \
    d.version, d.archived_at FROM deals d JOIN customers c ON c.id = d.customer_id JOIN users u ON u.id = d.manager_id \
    LEFT JOIN counterparties cp ON cp.id = d.counterparty_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    title: String,
    pipeline_id: i64,
    stage_id: Option<i64>,
    customer_id: i64,
    customer_name: String,
    counterparty_id: Option<i64>,
    counterparty_name: Option<String>,
    manager_id: i64,
    manager_name: String,
    amount: Option<i64>,
    currency: String,
    expected_close: Option<i64>,
    interest: Option<String>,
    source: Option<String>,
    status: String,
    lost_stage_id: Option<i64>,
    loss_reason_id: Option<i64>,
    unmet_reason_id: Option<i64>,
    close_note: Option<String>,
    closed_at: Option<i64>,
    stage_entered_at: i64,
    checklist_done: String,
    created_by: i64,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
}

/// One deal with its contact persons, or `NotFound`. The caller checks access.
pub async fn get(db: &Db, id: i64) -> Result<Deal, AppError> {
    let sql = format!("{SELECT} WHERE d.id = $1");
    let r: Row = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?.ok_or(AppError::NotFound)?;
    let contacts: Vec<(i64, String, Option<String>)> = db_run!(db, p => sqlx::query_as(
        "SELECT dc.contact_id, ct.name, dc.role FROM deal_contacts dc JOIN contacts ct ON ct.id = dc.contact_id \
         WHERE dc.deal_id = $1 ORDER BY ct.name")
        .bind(id).fetch_all(p).await)?;
    let defs = fields::list(db, FieldEntity::Deal).await?;
    let custom = fields::values_of(db, &defs, id).await?;
    Ok(Deal {
        id: r.id,
        title: r.title,
        pipeline_id: r.pipeline_id,
        stage_id: r.stage_id,
        customer_id: r.customer_id,
        customer_name: r.customer_name,
        counterparty_id: r.counterparty_id,
        counterparty_name: r.counterparty_name,
        manager_id: r.manager_id,
        manager_name: r.manager_name,
        amount: r.amount.map(amount_of),
        currency: r.currency,
        expected_close: r.expected_close,
        interest: r.interest,
        source: r.source,
        status: DealStatus::parse(&r.status).unwrap_or_default(),
        lost_stage_id: r.lost_stage_id,
        loss_reason_id: r.loss_reason_id,
        unmet_reason_id: r.unmet_reason_id,
        close_note: r.close_note,
        closed_at: r.closed_at,
        stage_entered_at: r.stage_entered_at,
        checklist_done: serde_json::from_str(&r.checklist_done).unwrap_or_default(),
        contacts: contacts.into_iter().map(|(contact_id, name, role)| DealContact { contact_id, name, role }).collect(),
        custom,
        created_by: r.created_by,
        created_at: r.created_at,
        updated_at: r.updated_at,
        version: r.version,
        archived_at: r.archived_at,
    })
}

/// The stage history of a deal, oldest first.
pub async fn history(db: &Db, deal_id: i64) -> Result<Vec<StageStay>, AppError> {
    let rows: Vec<(i64, i64, Option<i64>, Option<String>)> = db_run!(db, p => sqlx::query_as(
        "SELECT h.stage_id, h.entered_at, h.left_at, u.name FROM deal_stage_history h \
         LEFT JOIN users u ON u.id = h.moved_by WHERE h.deal_id = $1 ORDER BY h.id")
        .bind(deal_id).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(stage_id, entered_at, left_at, moved_by_name)| StageStay {
            stage_id,
            entered_at,
            left_at,
            moved_by_name,
        })
        .collect())
}

/// The SQL that makes a stage's automatic tasks for the deal's manager.
const AUTO_TASK: &str = "INSERT INTO tasks (title, due_at, assignee_id, customer_id, deal_id, created_by, created_at, \
    updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";

/// Due time of an automatic task made at `now`.
fn due(t: &AutoTask, now: Millis) -> Millis {
    now + i64::from(t.due_days) * 86_400_000 + if t.due_days == 0 { 3_600_000 } else { 0 }
}

/// Stores a new deal (at `stage`, if the pipeline has stages) with its contacts, first stage stay, the
/// stage's automatic tasks and an audit row, in one transaction; returns its id.
pub async fn create(
    db: &Db,
    user: &CurrentUser,
    customer_id: i64,
    manager_id: i64,
    pipeline_id: i64,
    stage: Option<&Stage>,
    v: &DealValues,
) -> Result<i64, AppError> {
    let now = now_millis();
    let changes = vec![FieldChange { field: "deal".into(), old: None, new: Some(v.title.clone()) }];
    let sql = "INSERT INTO deals (title, pipeline_id, stage_id, customer_id, counterparty_id, manager_id, amount, \
               currency, expected_close, interest, source, max_position, stage_entered_at, created_by, created_at, \
               updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $13) RETURNING id";
    let id: i64 = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id: i64 = sqlx::query_scalar(sql)
            .bind(&v.title).bind(pipeline_id).bind(stage.map(|s| s.id)).bind(customer_id).bind(v.counterparty_id)
            .bind(manager_id).bind(v.amount).bind(&v.currency).bind(v.expected_close).bind(&v.interest)
            .bind(&v.source).bind(stage.map_or(0, |s| s.position)).bind(now).bind(user.id)
            .fetch_one(&mut *tx).await?;
        for c in &v.contacts {
            sqlx::query("INSERT INTO deal_contacts (deal_id, contact_id, role) VALUES ($1, $2, $3)")
                .bind(id).bind(c.contact_id).bind(&c.role).execute(&mut *tx).await?;
        }
        crate::save_custom!(tx, id, &v.custom)?;
        if let Some(s) = stage {
            sqlx::query("INSERT INTO deal_stage_history (deal_id, pipeline_id, stage_id, deal_created_at, entered_at, \
                         moved_by) VALUES ($1, $2, $3, $4, $4, $5)")
                .bind(id).bind(pipeline_id).bind(s.id).bind(now).bind(user.id).execute(&mut *tx).await?;
            for t in &s.rules.tasks {
                sqlx::query(AUTO_TASK).bind(&t.title).bind(due(t, now)).bind(manager_id).bind(customer_id).bind(id)
                    .bind(user.id).bind(now).execute(&mut *tx).await?;
            }
        }
        crate::audit!(tx, customer_id, "deal", id, "created", &changes, user.id, now)?;
        tx.commit().await.map(|_| id)
    })?;
    Ok(id)
}

/// A validated change of a deal's fields, as `update` saves it.
pub struct DealUpdate<'a> {
    /// The version the change was made on.
    pub version: i64,
    pub manager_id: i64,
    pub values: &'a DealValues,
    pub checklist_done: &'a [String],
    /// What changed, for the audit row.
    pub changes: &'a [FieldChange],
}

/// Saves a deal's fields (and ticked checklist items) if `version` is current, with an audit row.
pub async fn update(db: &Db, user: &CurrentUser, current: &Deal, u: &DealUpdate<'_>) -> Result<(), AppError> {
    let DealUpdate { version, manager_id, values: v, checklist_done, changes } = *u;
    let now = now_millis();
    let checklist = serde_json::to_string(checklist_done).unwrap_or_else(|_| "[]".into());
    let sql = "UPDATE deals SET title = $1, counterparty_id = $2, manager_id = $3, amount = $4, currency = $5, \
               expected_close = $6, interest = $7, source = $8, checklist_done = $9, updated_at = $10, \
               version = version + 1 WHERE id = $11 AND version = $12";
    let n = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(sql)
            .bind(&v.title).bind(v.counterparty_id).bind(manager_id).bind(v.amount).bind(&v.currency)
            .bind(v.expected_close).bind(&v.interest).bind(&v.source).bind(&checklist).bind(now)
            .bind(current.id).bind(version)
            .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            if v.contacts != current.contacts.iter().map(|c| DealContact { name: String::new(), ..c.clone() }).collect::<Vec<_>>() {
                sqlx::query("DELETE FROM deal_contacts WHERE deal_id = $1").bind(current.id).execute(&mut *tx).await?;
                for c in &v.contacts {
                    sqlx::query("INSERT INTO deal_contacts (deal_id, contact_id, role) VALUES ($1, $2, $3)")
                        .bind(current.id).bind(c.contact_id).bind(&c.role).execute(&mut *tx).await?;
                }
            }
            crate::save_custom!(tx, current.id, &v.custom)?;
            if !changes.is_empty() {
                crate::audit!(tx, current.customer_id, "deal", current.id, "changed", changes, user.id, now)?;
            }
        }
        tx.commit().await.map(|_| n)
    })?;
    if n == 0 { Err(AppError::Conflict) } else { Ok(()) }
}

/// Moves an open deal from `from` to `to` if `version` is current: closes the stay in the old stage, opens
/// one in the new, makes the new stage's tasks and an audit row, all in one transaction.
pub async fn move_to(
    db: &Db,
    user: &CurrentUser,
    deal: &Deal,
    version: i64,
    from: Option<&Stage>,
    to: &Stage,
) -> Result<(), AppError> {
    let now = now_millis();
    let changes = vec![FieldChange { field: "stage".into(), old: from.map(stage_ref), new: Some(stage_ref(to)) }];
    let n = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(
            "UPDATE deals SET stage_id = $1, stage_entered_at = $2, checklist_done = '[]', \
             max_position = CASE WHEN max_position < $3 THEN $3 ELSE max_position END, updated_at = $2, \
             version = version + 1 WHERE id = $4 AND version = $5 AND status = 'open'")
            .bind(to.id).bind(now).bind(to.position).bind(deal.id).bind(version)
            .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            sqlx::query("UPDATE deal_stage_history SET left_at = $1 WHERE deal_id = $2 AND left_at IS NULL")
                .bind(now).bind(deal.id).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO deal_stage_history (deal_id, pipeline_id, stage_id, deal_created_at, entered_at, \
                         moved_by) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(deal.id).bind(deal.pipeline_id).bind(to.id).bind(deal.created_at).bind(now).bind(user.id)
                .execute(&mut *tx).await?;
            for t in &to.rules.tasks {
                sqlx::query(AUTO_TASK).bind(&t.title).bind(due(t, now)).bind(deal.manager_id).bind(deal.customer_id)
                    .bind(deal.id).bind(user.id).bind(now).execute(&mut *tx).await?;
            }
            crate::audit!(tx, deal.customer_id, "deal", deal.id, "moved", &changes, user.id, now)?;
        }
        tx.commit().await.map(|_| n)
    })?;
    if n == 0 { Err(AppError::Conflict) } else { Ok(()) }
}

/// Closes a deal as won or lost (recording the stage it was lost at), or reopens a closed one in the stage
/// it left (a new stay), if `version` is current; audited. `close` is already checked: a loss reason only when
/// lost, the note trimmed and `None` when blank.
pub async fn set_status(db: &Db, user: &CurrentUser, deal: &Deal, close: &DealClose) -> Result<(), AppError> {
    let DealClose { version, outcome: status, loss_reason_id, unmet_reason_id, ref note } = *close;
    let note = note.as_deref();
    let now = now_millis();
    let reopen = status == DealStatus::Open;
    let lost_stage = (status == DealStatus::Lost).then_some(deal.stage_id).flatten();
    let mut changes = Vec::new();
    FieldChange::diff(&mut changes, "status", Some(deal.status.code().into()), Some(status.code().into()));
    if let Some(n) = note.filter(|n| !n.is_empty()) {
        changes.push(FieldChange { field: "close_note".into(), old: None, new: Some(n.into()) });
    }
    let action = if reopen { "reopened" } else { "closed" };
    let n = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = if reopen {
            sqlx::query(
                "UPDATE deals SET status = 'open', closed_at = NULL, lost_stage_id = NULL, loss_reason_id = NULL, \
                 unmet_reason_id = NULL, close_note = NULL, stage_entered_at = $1, updated_at = $1, \
                 version = version + 1 WHERE id = $2 AND version = $3 AND status <> 'open'")
                .bind(now).bind(deal.id).bind(version).execute(&mut *tx).await?.rows_affected()
        } else {
            sqlx::query(
                "UPDATE deals SET status = $1, closed_at = $2, lost_stage_id = $3, loss_reason_id = $4, \
                 unmet_reason_id = $5, close_note = $6, updated_at = $2, version = version + 1 \
                 WHERE id = $7 AND version = $8 AND status = 'open'")
                .bind(status.code()).bind(now).bind(lost_stage).bind(loss_reason_id).bind(unmet_reason_id).bind(note)
                .bind(deal.id).bind(version).execute(&mut *tx).await?.rows_affected()
        };
        if n == 1 {
            if reopen {
                if let Some(stage) = deal.stage_id {
                    sqlx::query("INSERT INTO deal_stage_history (deal_id, pipeline_id, stage_id, deal_created_at, \
                                 entered_at, moved_by) VALUES ($1, $2, $3, $4, $5, $6)")
                        .bind(deal.id).bind(deal.pipeline_id).bind(stage).bind(deal.created_at).bind(now).bind(user.id)
                        .execute(&mut *tx).await?;
                }
            } else {
                sqlx::query("UPDATE deal_stage_history SET left_at = $1 WHERE deal_id = $2 AND left_at IS NULL")
                    .bind(now).bind(deal.id).execute(&mut *tx).await?;
            }
            crate::audit!(tx, deal.customer_id, "deal", deal.id, action, &changes, user.id, now)?;
        }
        tx.commit().await.map(|_| n)
    })?;
    if n == 0 { Err(AppError::Conflict) } else { Ok(()) }
}

/// Appends the filter's conditions on `d` (deals) to `sql`.
fn filter_sql(scope: Scope, f: &DealFilter, sql: &mut String, args: &mut Vec<Arg>) {
    scope_sql_on(scope, "d.manager_id", sql, args);
    sql.push_str(&f.archived.sql("d"));
    if let Some(p) = f.pipeline_id {
        push_cond(sql, args, " AND d.pipeline_id = #", Arg::I(p));
    }
    match f.status.as_deref() {
        Some("all") => {}
        Some(s @ ("won" | "lost")) => push_cond(sql, args, " AND d.status = #", Arg::S(s.into())),
        _ => sql.push_str(" AND d.status = 'open'"),
    }
    if let Some(m) = f.manager_id {
        push_cond(sql, args, " AND d.manager_id = #", Arg::I(m));
    }
    if let Some(t) = f.team_id {
        push_cond(sql, args, " AND d.manager_id IN (SELECT id FROM users WHERE team_id = #)", Arg::I(t));
    }
    if let Some(s) = f.source.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        push_cond(sql, args, " AND d.source = #", Arg::S(s.into()));
    }
    if let Some(from) = f.from {
        push_cond(sql, args, " AND d.created_at >= #", Arg::I(from));
    }
    if let Some(to) = f.to {
        push_cond(sql, args, " AND d.created_at < #", Arg::I(to));
    }
    if let Some(s) = f.stage_id {
        push_cond(sql, args, " AND d.stage_id = #", Arg::I(s));
    }
    if let Some(c) = f.customer_id {
        push_cond(sql, args, " AND d.customer_id = #", Arg::I(c));
    }
}

/// Counts and sums of the filtered deals per stage and currency (weighted by `pipeline`'s probabilities).
pub async fn totals(db: &Db, scope: Scope, f: &DealFilter, pipeline: &Pipeline) -> Result<Vec<ColumnTotals>, AppError> {
    let mut sql =
        "SELECT d.stage_id, d.currency, COUNT(*), CAST(SUM(d.amount) AS BIGINT) FROM deals d WHERE 1 = 1".to_string();
    let mut args = Vec::new();
    filter_sql(scope, f, &mut sql, &mut args);
    sql.push_str(" GROUP BY d.stage_id, d.currency");
    let rows: Vec<(Option<i64>, String, i64, Option<i64>)> =
        db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let columns: Vec<(Option<i64>, i64)> = if pipeline.mode == PipelineMode::None {
        vec![(None, 0)]
    } else {
        pipeline.stages.iter().map(|s| (Some(s.id), s.probability)).collect()
    };
    Ok(columns
        .into_iter()
        .map(|(stage_id, probability)| {
            let mut t = ColumnTotals { stage_id, count: 0, sums: Vec::new() };
            for (_, currency, n, sum) in rows.iter().filter(|r| pipeline.mode == PipelineMode::None || r.0 == stage_id)
            {
                t.count += n;
                let amount = amount_of(sum.unwrap_or(0));
                let weighted = (amount * rust_decimal::Decimal::from(probability) / rust_decimal::Decimal::from(100))
                    .round_dp(2)
                    .normalize();
                match t.sums.iter_mut().find(|s| &s.currency == currency) {
                    Some(s) => {
                        s.amount += amount;
                        s.weighted += weighted;
                    }
                    None => t.sums.push(CurrencySum { currency: currency.clone(), amount, weighted }),
                }
            }
            t.sums.retain(|s| !s.amount.is_zero());
            t.sums.sort_by(|a, b| (a.currency != "UZS", &a.currency).cmp(&(b.currency != "UZS", &b.currency)));
            t
        })
        .collect())
}

const CARD: &str = "SELECT d.id, d.title, d.stage_id, d.customer_id, c.name AS customer_name, d.manager_id, \
    u.name AS manager_name, d.amount, d.currency, d.stage_entered_at, d.updated_at, d.version, \
    (SELECT t.title FROM tasks t WHERE t.deal_id = d.id AND t.done_at IS NULL AND t.archived_at IS NULL ORDER BY t.due_at, t.id LIMIT 1) \
    AS next_task_title, \
    (SELECT MIN(t.due_at) FROM tasks t WHERE t.deal_id = d.id AND t.done_at IS NULL AND t.archived_at IS NULL) AS next_task_due \
    FROM deals d JOIN customers c ON c.id = d.customer_id JOIN users u ON u.id = d.manager_id WHERE 1 = 1";

#[derive(sqlx::FromRow)]
struct CardRow {
    id: i64,
    title: String,
    stage_id: Option<i64>,
    customer_id: i64,
    customer_name: String,
    manager_id: i64,
    manager_name: String,
    amount: Option<i64>,
    currency: String,
    stage_entered_at: i64,
    updated_at: i64,
    version: i64,
    next_task_title: Option<String>,
    next_task_due: Option<i64>,
}

impl CardRow {
    fn into_card(self) -> BoardCard {
        BoardCard {
            id: self.id,
            title: self.title,
            stage_id: self.stage_id,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            manager_id: self.manager_id,
            manager_name: self.manager_name,
            amount: self.amount.map(amount_of),
            currency: self.currency,
            stage_entered_at: self.stage_entered_at,
            next_task_title: self.next_task_title,
            next_task_due: self.next_task_due,
            updated_at: self.updated_at,
            version: self.version,
        }
    }
}

/// A page of the filtered deals, most recently changed first (keyset on `(updated_at, id)`).
pub async fn cards(
    db: &Db,
    scope: Scope,
    f: &DealFilter,
    cursor: Option<&str>,
    limit: u32,
) -> Result<DealPage, AppError> {
    let limit = limit.clamp(1, crate::core::MAX_PAGE);
    let mut sql = CARD.to_string();
    let mut args = Vec::new();
    filter_sql(scope, f, &mut sql, &mut args);
    let changed = match f.updated_since {
        Some(since) => Some(ChangedSince::new(since, cursor)?),
        None => None,
    };
    if let Some(changed) = &changed {
        changed.push("d", &mut sql, &mut args);
        sql.push_str(&ChangedSince::order("d"));
    } else {
        if let Some((at, id)) = cursor
            .and_then(|c| c.split_once('.'))
            .and_then(|(a, i)| Some((a.parse::<i64>().ok()?, i.parse::<i64>().ok()?)))
        {
            args.push(Arg::I(at));
            args.push(Arg::I(id));
            let (a, b) = (args.len() - 1, args.len());
            sql.push_str(&format!(" AND (d.updated_at < ${a} OR (d.updated_at = ${a} AND d.id < ${b}))"));
        }
        sql.push_str(" ORDER BY d.updated_at DESC, d.id DESC");
    }
    sql.push_str(&format!(" LIMIT {}", limit + 1));
    let rows: Vec<CardRow> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let mut items: Vec<BoardCard> = rows.into_iter().map(CardRow::into_card).collect();
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|c| match changed {
            Some(_) => ChangedSince::cursor(c.updated_at, c.id),
            None => format!("{}.{}", c.updated_at, c.id),
        })
    } else {
        None
    };
    Ok(DealPage { items, next_cursor })
}

/// One deal as a card, if it passes the filter and scope.
pub async fn card(db: &Db, scope: Scope, f: &DealFilter, id: i64) -> Result<Option<BoardCard>, AppError> {
    let mut sql = CARD.to_string();
    let mut args = Vec::new();
    filter_sql(scope, f, &mut sql, &mut args);
    push_cond(&mut sql, &mut args, " AND d.id = #", Arg::I(id));
    let row: Option<CardRow> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_optional(p).await)?;
    Ok(row.map(CardRow::into_card))
}

/// Whether contacts `ids` are all linked to customer `customer_id`.
pub async fn contacts_of_customer(db: &Db, customer_id: i64, ids: &[i64]) -> Result<bool, AppError> {
    if ids.is_empty() {
        return Ok(true);
    }
    let sql = format!(
        "SELECT COUNT(DISTINCT contact_id) FROM customer_contacts WHERE customer_id = $1 AND contact_id IN ({})",
        crate::core::db::placeholders_after(1, ids.len())
    );
    let n: i64 = db_run!(db, p => {
        let mut q = sqlx::query_scalar(&sql).bind(customer_id);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_one(p).await
    })?;
    Ok(n == ids.len() as i64)
}

/// Whether counterparty `id` belongs to customer `customer_id` now.
pub async fn counterparty_of_customer(db: &Db, customer_id: i64, id: i64) -> Result<bool, AppError> {
    let n: Option<i64> = db_run!(db, p => sqlx::query_scalar(
        "SELECT counterparty_id FROM counterparty_owners WHERE counterparty_id = $1 AND customer_id = $2 AND valid_to IS NULL")
        .bind(id).bind(customer_id).fetch_optional(p).await)?;
    Ok(n.is_some())
}

/// A customer's source (a new deal's default).
pub async fn customer_source(db: &Db, customer_id: i64) -> Result<Option<String>, AppError> {
    let s: Option<Option<String>> = db_run!(db, p => sqlx::query_scalar("SELECT source FROM customers WHERE id = $1")
        .bind(customer_id).fetch_optional(p).await)?;
    Ok(s.flatten())
}

/// A deal's customer (for checking links from interactions and tasks).
pub async fn customer_of(db: &Db, deal_id: i64) -> Result<Option<i64>, AppError> {
    Ok(db_run!(db, p => sqlx::query_scalar("SELECT customer_id FROM deals WHERE id = $1")
        .bind(deal_id).fetch_optional(p).await)?)
}

/// A deal's timeline: its audit entries and the interactions linked to it, newest first (the last 200).
pub async fn timeline(db: &Db, deal_id: i64) -> Result<Vec<crate::audit::TimelineEntry>, AppError> {
    let mut out = crate::audit::store::for_entity(db, "deal", deal_id, 200).await?;
    out.extend(
        crate::interactions::store::for_deal(db, deal_id, 200)
            .await?
            .into_iter()
            .map(crate::audit::TimelineEntry::of_interaction),
    );
    out.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    out.truncate(200);
    Ok(out)
}

/// A deal's open tasks, soonest first.
pub async fn open_tasks(db: &Db, deal_id: i64) -> Result<Vec<crate::tasks::Task>, AppError> {
    crate::tasks::store::open_for_deal(db, deal_id).await
}

/// The sales funnel of `pipeline` over the deals the filter and scope select (created in its period):
/// how far deals got (`max_position`), how many closed how, where and why they were lost, and the average
/// stay in each stage from the stage history. Two queries; the history one reads only its covering index
/// when no manager, team, source or scope narrows it.
pub async fn funnel(
    db: &Db,
    scope: Scope,
    f: &DealFilter,
    pipeline: &Pipeline,
    reasons: &[Reason],
    lang: crate::core::Lang,
    now: Millis,
) -> Result<super::Funnel, AppError> {
    use rust_decimal::Decimal;
    let f = DealFilter { pipeline_id: Some(pipeline.id), status: Some("all".into()), stage_id: None, ..f.clone() };
    let mut sql = "SELECT d.max_position, d.status, d.currency, d.lost_stage_id, d.loss_reason_id, COUNT(*), \
                   CAST(SUM(d.amount) AS BIGINT) FROM deals d WHERE 1 = 1"
        .to_string();
    let mut args = Vec::new();
    filter_sql(scope, &f, &mut sql, &mut args);
    sql.push_str(" GROUP BY d.max_position, d.status, d.currency, d.lost_stage_id, d.loss_reason_id");
    type Group = (i64, String, String, Option<i64>, Option<i64>, i64, Option<i64>);
    let groups: Vec<Group> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;

    let narrowed = !matches!(scope, Scope::All)
        || f.manager_id.is_some()
        || f.team_id.is_some()
        || f.source.as_deref().is_some_and(|s| !s.trim().is_empty())
        || f.customer_id.is_some();
    let mut hsql =
        String::from("SELECT h.stage_id, COUNT(*), CAST(SUM(COALESCE(h.left_at, $1) - h.entered_at) AS BIGINT) ");
    let mut hargs = vec![Arg::I(now)];
    if narrowed {
        // Deals first (SQLite keeps a CROSS JOIN's order; PostgreSQL plans it as any join): scanning the
        // whole history for a few managers' deals cost 2 s on SQLite at a million rows.
        hsql.push_str("FROM deals d CROSS JOIN deal_stage_history h WHERE h.deal_id = d.id");
        filter_sql(scope, &f, &mut hsql, &mut hargs);
        push_cond(&mut hsql, &mut hargs, " AND h.pipeline_id = #", Arg::I(pipeline.id));
    } else {
        hsql.push_str("FROM deal_stage_history h WHERE 1 = 1");
        push_cond(&mut hsql, &mut hargs, " AND h.pipeline_id = #", Arg::I(pipeline.id));
        if let Some(from) = f.from {
            push_cond(&mut hsql, &mut hargs, " AND h.deal_created_at >= #", Arg::I(from));
        }
        if let Some(to) = f.to {
            push_cond(&mut hsql, &mut hargs, " AND h.deal_created_at < #", Arg::I(to));
        }
    }
    hsql.push_str(" GROUP BY h.stage_id");
    let stays: Vec<(i64, i64, Option<i64>)> =
        db_run!(db, p => bind_args!(sqlx::query_as(&hsql), &hargs).fetch_all(p).await)?;

    let add = |sums: &mut Vec<CurrencySum>, currency: &str, minor: Option<i64>| {
        let amount = amount_of(minor.unwrap_or(0));
        match sums.iter_mut().find(|s| s.currency == currency) {
            Some(s) => s.amount += amount,
            None => sums.push(CurrencySum { currency: currency.into(), amount, weighted: Decimal::ZERO }),
        }
    };
    let reason_name = |id: Option<i64>| {
        id.and_then(|id| reasons.iter().find(|r| r.id == id)).map(|r| r.label(lang)).unwrap_or_else(|| "—".into())
    };
    let mut stages = Vec::new();
    let mut previous: Option<i64> = None;
    for s in &pipeline.stages {
        let mut reached = 0;
        let mut amounts = Vec::new();
        let mut lost = 0;
        let mut lost_reasons: Vec<(String, i64)> = Vec::new();
        for (max_position, status, currency, lost_stage, reason, n, sum) in &groups {
            if *max_position >= s.position {
                reached += n;
                add(&mut amounts, currency, *sum);
            }
            if status == "lost" && *lost_stage == Some(s.id) {
                lost += n;
                let name = reason_name(*reason);
                match lost_reasons.iter_mut().find(|(r, _)| *r == name) {
                    Some((_, c)) => *c += n,
                    None => lost_reasons.push((name, *n)),
                }
            }
        }
        amounts.retain(|a| !a.amount.is_zero());
        lost_reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let avg_days = stays.iter().find(|(id, _, _)| *id == s.id).and_then(|(_, n, total)| {
            (*n > 0).then(|| {
                (Decimal::from(total.unwrap_or(0)) / Decimal::from(*n) / Decimal::from(86_400_000))
                    .round_dp(1)
                    .normalize()
            })
        });
        stages.push(super::FunnelStage {
            stage_id: s.id,
            name: s.label(lang),
            reached,
            amounts,
            conversion: previous.and_then(|p| super::percent(reached, p)),
            lost,
            lost_reasons,
            avg_days,
        });
        previous = Some(reached);
    }
    let count = |st: &str| groups.iter().filter(|g| g.1 == st).map(|g| g.5).sum::<i64>();
    let (open, won, lost) = (count("open"), count("won"), count("lost"));
    let mut avg_won: Vec<CurrencySum> = Vec::new();
    let mut won_by_currency: Vec<(String, i64)> = Vec::new();
    for (_, status, currency, _, _, n, sum) in groups.iter().filter(|g| g.1 == "won") {
        let _ = status;
        add(&mut avg_won, currency, *sum);
        match won_by_currency.iter_mut().find(|(c, _)| c == currency) {
            Some((_, c)) => *c += n,
            None => won_by_currency.push((currency.clone(), *n)),
        }
    }
    for a in avg_won.iter_mut() {
        let n = won_by_currency.iter().find(|(c, _)| *c == a.currency).map_or(1, |(_, n)| (*n).max(1));
        a.amount = (a.amount / Decimal::from(n)).round_dp(2).normalize();
    }
    Ok(super::Funnel {
        pipeline_id: pipeline.id,
        pipeline_name: pipeline.label(lang),
        stages,
        total: open + won + lost,
        open,
        won,
        lost,
        win_rate: super::percent(won, won + lost),
        avg_won,
    })
}
