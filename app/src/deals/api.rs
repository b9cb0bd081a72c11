//! Server functions for deals and the board: thin shims over [`super::service`].

// One argument per form field: plain HTML forms post them by name.
#![allow(clippy::too_many_arguments)]

use std::collections::BTreeMap;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Board, BoardUpdate, Deal, DealFilter, DealPage, Pipeline, Reason, StageStay};
use crate::audit::TimelineEntry;
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// Everything the deal page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealView {
    pub deal: Deal,
    pub pipeline: Pipeline,
    pub history: Vec<StageStay>,
    pub reasons: Vec<Reason>,
    /// The deal's audit entries and linked interactions, newest first.
    pub events: Vec<TimelineEntry>,
    pub open_tasks: Vec<crate::tasks::Task>,
    pub managers: Vec<(i64, String)>,
    /// The customer's current counterparties (id, legal name) a deal may name.
    pub counterparties: Vec<(i64, String)>,
    /// The customer's contact persons (id, name) a deal may name.
    pub contacts: Vec<(i64, String)>,
    /// The deals' custom field definitions.
    pub fields: Vec<crate::custom_fields::CustomField>,
    /// The server's clock (tasks due before it are overdue).
    pub now: crate::core::Millis,
}

#[cfg(feature = "ssr")]
fn id_of(field: &str, v: Option<String>) -> Result<Option<i64>, AppError> {
    match v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) {
        Some(s) => s.parse::<i64>().map(Some).map_err(|_| AppError::field(field, crate::core::ErrCode::InvalidChoice)),
        None => Ok(None),
    }
}

#[cfg(feature = "ssr")]
fn amount_of_form(v: Option<String>) -> Result<Option<rust_decimal::Decimal>, AppError> {
    match v.map(|s| s.trim().replace([' ', '\u{a0}'], "").replace(',', ".")).filter(|s| !s.is_empty()) {
        Some(s) => s.parse().map(Some).map_err(|_| AppError::field("amount", crate::core::ErrCode::NotANumber)),
        None => Ok(None),
    }
}

#[cfg(feature = "ssr")]
fn date_of_form(v: Option<String>) -> Result<Option<crate::core::Millis>, AppError> {
    match v.filter(|s| !s.trim().is_empty()) {
        Some(s) => crate::core::format::parse_date(s.trim())
            .map(Some)
            .ok_or_else(|| AppError::field("expected_close", crate::core::ErrCode::InvalidDate)),
        None => Ok(None),
    }
}

/// A pipeline's board by the filter.
#[server(prefix = "/rpc", endpoint = "deals/board")]
pub async fn get_board(filter: DealFilter) -> Result<Board, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::board(&db, ctx.user()?, ctx.lang, &filter).await
    };
    run.await.inspect_err(set_status)
}

/// A changed deal's card and the new totals, for an open board.
#[server(prefix = "/rpc", endpoint = "deals/board-update")]
pub async fn get_board_update(filter: DealFilter, deal_id: i64) -> Result<BoardUpdate, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::board_update(&db, ctx.user()?, &filter, deal_id).await
    };
    run.await.inspect_err(set_status)
}

/// A page of deals (the list view).
#[server(prefix = "/rpc", endpoint = "deals/list")]
pub async fn list_deals(filter: DealFilter, cursor: Option<String>) -> Result<DealPage, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::list(&db, ctx.user()?, &filter, cursor.as_deref(), 50).await
    };
    run.await.inspect_err(set_status)
}

/// Moves a deal to a stage (from the board or the deal page).
#[server(prefix = "/rpc", endpoint = "deals/move")]
pub async fn move_deal(id: i64, stage_id: i64, version: i64) -> Result<Deal, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::move_deal(&db, ctx.user()?, id, &super::DealMove { stage_id, version }).await
    };
    run.await.inspect_err(set_status)
}

/// Closes a deal (`outcome` won or lost) or reopens it (`open`).
#[server(prefix = "/rpc", endpoint = "deals/close")]
pub async fn close_deal(
    id: i64,
    version: i64,
    outcome: String,
    loss_reason_id: Option<String>,
    unmet_reason_id: Option<String>,
    note: Option<String>,
) -> Result<Deal, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let outcome = super::DealStatus::parse(&outcome)
            .ok_or_else(|| AppError::field("outcome", crate::core::ErrCode::InvalidChoice))?;
        let input = super::DealClose {
            version,
            outcome,
            loss_reason_id: id_of("loss_reason_id", loss_reason_id)?,
            unmet_reason_id: id_of("unmet_reason_id", unmet_reason_id)?,
            note,
        };
        super::service::close(&db, ctx.user()?, id, &input).await
    };
    run.await.inspect_err(set_status)
}

/// Registers a deal from the form; the page goes to the new deal.
#[server(prefix = "/rpc", endpoint = "deals/create")]
pub async fn create_deal(
    title: String,
    customer_id: i64,
    pipeline_id: Option<String>,
    amount: Option<String>,
    currency: Option<String>,
    expected_close: Option<String>,
    interest: Option<String>,
    custom: Option<BTreeMap<String, String>>,
) -> Result<Deal, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let defs = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Deal).await?;
        let input = super::NewDeal {
            title,
            customer_id,
            pipeline_id: id_of("pipeline_id", pipeline_id)?,
            amount: amount_of_form(amount)?,
            currency,
            expected_close: date_of_form(expected_close)?,
            interest: interest.filter(|s| !s.trim().is_empty()),
            custom: Some(crate::custom_fields::from_form(&defs, &custom.unwrap_or_default())),
            ..Default::default()
        };
        let deal = super::service::create(&db, ctx.user()?, &input).await?;
        leptos_axum::redirect(&format!("/deals/{}", deal.id));
        Ok(deal)
    };
    run.await.inspect_err(set_status)
}

/// Changes a deal's fields from its page's form (empty fields are cleared).
#[server(prefix = "/rpc", endpoint = "deals/update")]
pub async fn update_deal(
    id: i64,
    version: i64,
    title: String,
    amount: Option<String>,
    currency: Option<String>,
    expected_close: Option<String>,
    interest: Option<String>,
    source: Option<String>,
    manager_id: Option<String>,
    counterparty_id: Option<String>,
    contact_on: Option<BTreeMap<String, String>>,
    contact_role: Option<BTreeMap<String, String>>,
    custom: Option<BTreeMap<String, String>>,
) -> Result<Deal, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let amount = amount_of_form(amount)?;
        let expected_close = date_of_form(expected_close)?;
        let counterparty_id = id_of("counterparty_id", counterparty_id)?;
        let keep = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
        let roles = contact_role.unwrap_or_default();
        let mut contacts = Vec::new();
        for id in contact_on.unwrap_or_default().into_keys() {
            let contact_id =
                id.parse().map_err(|_| AppError::field("contacts", crate::core::ErrCode::InvalidChoice))?;
            let role = roles.get(&id).map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
            contacts.push(super::DealContact { contact_id, name: String::new(), role });
        }
        let defs = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Deal).await?;
        let mut clear = Vec::new();
        for (f, present) in [
            ("amount", amount.is_some()),
            ("expected_close", expected_close.is_some()),
            ("counterparty_id", counterparty_id.is_some()),
            ("interest", keep(&interest)),
            ("source", keep(&source)),
        ] {
            if !present {
                clear.push(f.to_string());
            }
        }
        let patch = super::DealPatch {
            version,
            title: Some(title),
            amount,
            currency,
            expected_close,
            interest: interest.filter(|s| !s.trim().is_empty()),
            source: source.filter(|s| !s.trim().is_empty()),
            manager_id: id_of("manager_id", manager_id)?,
            counterparty_id,
            contacts: Some(contacts),
            custom: Some(crate::custom_fields::from_form(&defs, &custom.unwrap_or_default())),
            clear,
            ..Default::default()
        };
        super::service::update(&db, ctx.user()?, id, &patch).await
    };
    run.await.inspect_err(set_status)
}

/// Ticks or unticks one checklist item of the deal's current stage.
#[server(prefix = "/rpc", endpoint = "deals/tick")]
pub async fn tick_deal(id: i64, version: i64, item: String, done: bool) -> Result<Deal, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let deal = super::service::get(&db, user, id).await?;
        let mut ticked = deal.checklist_done.clone();
        ticked.retain(|i| *i != item);
        if done {
            ticked.push(item);
        }
        let patch = super::DealPatch { version, checklist_done: Some(ticked), ..Default::default() };
        super::service::update(&db, user, id, &patch).await
    };
    run.await.inspect_err(set_status)
}

/// The deal page's data.
#[server(prefix = "/rpc", endpoint = "deals/view")]
pub async fn load_deal(id: i64) -> Result<DealView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let deal = super::service::get(&db, user, id).await?;
        let pipeline = super::store::pipeline(&db, deal.pipeline_id).await?;
        let history = super::store::history(&db, id).await?;
        let reasons = super::store::reasons(&db).await?;
        let events = super::store::timeline(&db, id).await?;
        let open_tasks = super::store::open_tasks(&db, id).await?;
        let managers = crate::admin::store::staff(&db, user.scope()).await?;
        let counterparties = crate::counterparties::store::list_for_customer(&db, deal.customer_id)
            .await?
            .current
            .into_iter()
            .map(|c| (c.id, c.legal_name))
            .collect();
        let contacts = crate::contacts::store::list_for_customer(&db, deal.customer_id)
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let fields = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Deal).await?;
        Ok(DealView {
            deal,
            pipeline,
            history,
            reasons,
            events,
            open_tasks,
            managers,
            counterparties,
            contacts,
            fields,
            now: crate::core::now_millis(),
        })
    };
    run.await.inspect_err(set_status)
}

/// A customer's deals (all statuses, in the user's scope) and the pipelines a new one may go to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealsOfCustomer {
    pub deals: DealPage,
    pub pipelines: Vec<(i64, String)>,
    /// Stage names by id, in the reader's language.
    pub stages: Vec<(i64, String)>,
    /// The deals' custom field definitions (the new-deal form asks for the active ones).
    pub fields: Vec<crate::custom_fields::CustomField>,
}

/// The customer card's deals panel.
#[server(prefix = "/rpc", endpoint = "deals/of-customer")]
pub async fn customer_deals(customer_id: i64) -> Result<DealsOfCustomer, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        crate::customers::store::get(&db, user.scope(), customer_id).await?;
        let filter = DealFilter { customer_id: Some(customer_id), status: Some("all".into()), ..Default::default() };
        let deals = super::service::list(&db, user, &filter, None, 50).await?;
        let all = super::service::pipelines(&db, user).await?;
        let stages = all.iter().flat_map(|p| p.stages.iter().map(|s| (s.id, s.label(ctx.lang)))).collect();
        let fields = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Deal).await?;
        let pipelines = all.iter().map(|p| (p.id, p.label(ctx.lang))).collect();
        Ok(DealsOfCustomer { deals, pipelines, stages, fields })
    };
    run.await.inspect_err(set_status)
}

/// The sales funnel for the filter.
#[server(prefix = "/rpc", endpoint = "deals/funnel")]
pub async fn get_funnel(filter: DealFilter) -> Result<super::Funnel, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::funnel(&db, ctx.user()?, ctx.lang, &filter).await
    };
    run.await.inspect_err(set_status)
}

/// The administrator's page: every pipeline (archived too) and every reason (retired too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSettings {
    pub pipelines: Vec<Pipeline>,
    pub reasons: Vec<Reason>,
}

/// The pipelines and reasons for the administrator's page (administrators only).
#[server(prefix = "/rpc", endpoint = "deals/admin")]
pub async fn pipeline_admin() -> Result<PipelineSettings, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        if !ctx.user()?.is_admin() {
            return Err(AppError::Forbidden);
        }
        Ok(PipelineSettings {
            pipelines: super::store::pipelines(&db, true).await?,
            reasons: super::store::reasons(&db).await?,
        })
    };
    run.await.inspect_err(set_status)
}

/// Reads the stage rows of the pipeline form (`stage[rROW.FIELD]`) in the order of their `pos` field; rows
/// marked `delete` and blank new rows are left out. Returns the stages and, for each, its form row.
#[cfg(feature = "ssr")]
fn stages_of_form(form: &BTreeMap<String, String>) -> Result<Vec<(usize, super::StageInput)>, AppError> {
    use crate::core::ErrCode;
    let get = |row: usize, f: &str| form.get(&format!("r{row}.{f}")).map(|v| v.trim()).filter(|v| !v.is_empty());
    let mut rows: Vec<usize> =
        form.keys().filter_map(|k| k.split('.').next()?.strip_prefix('r')?.parse().ok()).collect();
    rows.sort_unstable();
    rows.dedup();
    let mut out = Vec::new();
    for row in rows {
        let id = match get(row, "id") {
            Some(v) => Some(
                v.parse::<i64>().map_err(|_| AppError::field(&format!("stage[{row}].id"), ErrCode::InvalidChoice))?,
            ),
            None => None,
        };
        let name = get(row, "name").map(str::to_string);
        if get(row, "delete").is_some() || (id.is_none() && name.is_none()) {
            continue;
        }
        let number = |f: &str, default: i64| match get(row, f) {
            Some(v) => v.parse::<i64>().map_err(|_| AppError::field(&format!("stage[{row}].{f}"), ErrCode::NotANumber)),
            None => Ok(default),
        };
        let probability = number("probability", 0)?;
        let pos = number("pos", row as i64)?;
        let lines = |f: &str| -> Vec<String> {
            get(row, f)
                .map(|v| v.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect())
                .unwrap_or_default()
        };
        let mut tasks = Vec::new();
        for line in lines("tasks") {
            // "2 | Call back" (due in two days) or just "Call back" (due the same day).
            let (days, title) = match line.split_once('|') {
                Some((d, t)) => (d.trim().parse::<u32>().ok(), t.trim().to_string()),
                None => (Some(0), line.clone()),
            };
            let due_days = days.ok_or_else(|| AppError::field(&format!("stage[{row}].tasks"), ErrCode::NotANumber))?;
            tasks.push(super::AutoTask { title, due_days });
        }
        let required = super::REQUIRABLE
            .iter()
            .filter(|f| get(row, &format!("req_{f}")).is_some())
            .map(|f| f.to_string())
            .collect();
        let rules = super::StageRules { required, checklist: lines("checklist"), tasks };
        out.push((pos, row, super::StageInput { id, name, probability, rules }));
    }
    out.sort_by_key(|(pos, row, _)| (*pos, *row));
    Ok(out.into_iter().map(|(_, row, s)| (row, s)).collect())
}

/// Creates (no `id`) or saves a pipeline from the administrator's form. Errors about a stage name the
/// stage's row in the form (`stage[ROW].FIELD`).
#[server(prefix = "/rpc", endpoint = "deals/save-pipeline")]
pub async fn save_pipeline_form(
    id: Option<i64>,
    version: Option<i64>,
    name: Option<String>,
    mode: String,
    archived: Option<String>,
    stage: Option<BTreeMap<String, String>>,
) -> Result<Pipeline, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let mode = super::PipelineMode::parse(&mode)
            .ok_or_else(|| AppError::field("mode", crate::core::ErrCode::InvalidChoice))?;
        let rows = stages_of_form(&stage.unwrap_or_default())?;
        let input = super::PipelineInput {
            version,
            name: name.filter(|n| !n.trim().is_empty()),
            mode,
            archived: archived.is_some_and(|a| !a.is_empty()),
            stages: rows.iter().map(|(_, s)| s.clone()).collect(),
        };
        super::service::save_pipeline(&db, ctx.user()?, id, &input).await.map_err(|e| match e {
            AppError::Validation { fields } => AppError::Validation {
                fields: fields
                    .into_iter()
                    .map(|mut f| {
                        // stages[K].x → stage[ROW].x, K counting the stages sent.
                        if let Some(rest) = f.field.strip_prefix("stages[")
                            && let Some((k, tail)) = rest.split_once(']')
                            && let Some((row, _)) = k.parse::<usize>().ok().and_then(|k| rows.get(k))
                        {
                            let tail = tail.trim_start_matches('.');
                            let tail = tail.split(['[', '.']).next().unwrap_or(tail);
                            f.field = format!("stage[{row}].{tail}");
                        }
                        f
                    })
                    .collect(),
            },
            other => other,
        })
    };
    run.await.inspect_err(set_status)
}

/// Adds a loss or unmet-demand reason (administrators only).
#[server(prefix = "/rpc", endpoint = "deals/add-reason")]
pub async fn add_deal_reason(kind: String, name: String) -> Result<Reason, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::add_reason(&db, ctx.user()?, &kind, &name).await
    };
    run.await.inspect_err(set_status)
}

/// Retires or restores a reason (administrators only); retired reasons stay on the deals that have them.
#[server(prefix = "/rpc", endpoint = "deals/retire-reason")]
pub async fn set_reason_retired(id: i64, version: i64, retired: bool) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::update_reason(&db, ctx.user()?, id, version, None, retired).await
    };
    run.await.inspect_err(set_status)
}
