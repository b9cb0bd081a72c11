//! Deal operations with their rules. A deal is seen and worked by whoever's scope covers its manager (the
//! manager, their sales head, an administrator); pipelines, stages and reasons are set by administrators.
//! Every change is published as a `deal` event after it commits, so open boards follow it.

use super::store::{self, StageSave};
use super::{
    Board, BoardColumn, BoardUpdate, Deal, DealClose, DealContact, DealFilter, DealMove, DealPage, DealPatch,
    DealStatus, NewDeal, Pipeline, PipelineInput, PipelineMode, Reason, StageStay, check_close, check_move, values_of,
};
use crate::audit::FieldChange;
use crate::core::db::Db;
use crate::core::events::{self, Event};
use crate::core::identity::CurrentUser;
use crate::core::{AppError, Checks, ErrCode, Lang, now_millis};
use crate::custom_fields::FieldEntity;
use crate::custom_fields::store as fields;
use crate::customers::store as customers;
use crate::tasks::service::covers;

/// Cards a board column shows (the most recently changed); the list view pages through the rest. 50 made
/// the board's page 345 KB of HTML at 5,000 open deals and its first paint ~230 ms in Chromium here;
/// a column on a desktop shows about six cards without scrolling.
pub const COLUMN_CARDS: u32 = 20;

/// The event name open boards listen for.
pub const EVENT: &str = "deal";

/// Tells the open boards (on every app server) that a deal changed. Sent to no one user (`user_id` 0) but
/// naming the deal's manager, and the one before when it was reassigned: a board's stream passes it on only to
/// readers whose scope covers one of them, and each board fetches the card through [`board_update`], which
/// applies the reader's scope again.
async fn publish(db: &Db, deal: &Deal, previous_manager: Option<i64>) {
    let mut managers = vec![deal.manager_id];
    managers.extend(previous_manager.filter(|m| *m != deal.manager_id));
    let data = serde_json::json!({"deal_id": deal.id, "pipeline_id": deal.pipeline_id, "version": deal.version,
        "managers": managers});
    events::publish(db, &Event { user_id: 0, name: EVENT.into(), id: None, data }).await;
}

/// Tells the open boards that `deal` was archived, restored or deleted: each fetches its card again (and drops
/// it when it is no longer shown).
pub async fn announce(db: &Db, deal: &Deal) {
    publish(db, deal, None).await;
}

/// Every active pipeline with its stages.
pub async fn pipelines(db: &Db, _user: &CurrentUser) -> Result<Vec<Pipeline>, AppError> {
    store::pipelines(db, false).await
}

/// One pipeline (archived too).
pub async fn pipeline(db: &Db, _user: &CurrentUser, id: i64) -> Result<Pipeline, AppError> {
    store::pipeline(db, id).await
}

/// Creates (`id` `None`) or changes a pipeline. Administrators only.
pub async fn save_pipeline(
    db: &Db,
    user: &CurrentUser,
    id: Option<i64>,
    input: &PipelineInput,
) -> Result<Pipeline, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let current = match id {
        Some(id) => Some(store::pipeline(db, id).await?),
        None => None,
    };
    let mut checks = Checks::default();
    let name = checks.opt_text("name", input.name.as_deref(), 100);
    if current.as_ref().is_none_or(|c| c.preset.is_none()) && name.is_none() {
        checks.fail("name", ErrCode::Required);
    }
    if input.mode != PipelineMode::None && input.stages.is_empty() {
        checks.fail("stages", ErrCode::Required);
    }
    if input.stages.len() > 30 {
        checks.fail("stages", ErrCode::TooMany);
    }
    let mut stages = Vec::new();
    for (i, s) in input.stages.iter().enumerate() {
        let existing = s.id.and_then(|sid| current.as_ref().and_then(|c| c.stage(sid)));
        if s.id.is_some() && existing.is_none() {
            checks.fail(&format!("stages[{i}].id"), ErrCode::OtherPipeline);
        }
        let stage_name = checks.opt_text(&format!("stages[{i}].name"), s.name.as_deref(), 100);
        if stage_name.is_none() && existing.is_none_or(|e| e.preset.is_none()) {
            checks.fail(&format!("stages[{i}].name"), ErrCode::Required);
        }
        if !(0..=100).contains(&s.probability) {
            checks.fail(&format!("stages[{i}].probability"), ErrCode::OutOfRange);
        }
        s.rules.check(&mut checks, &format!("stages[{i}]."));
        stages.push(StageSave {
            id: s.id,
            name: stage_name,
            preset: None,
            probability: s.probability,
            rules: s.rules.clone(),
        });
    }
    if let Some(c) = &current {
        if input.version.is_none() {
            checks.fail("version", ErrCode::Required);
        }
        for gone in c.stages.iter().filter(|s| !input.stages.iter().any(|i| i.id == Some(s.id))) {
            if store::deals_at_stage(db, gone.id).await? > 0 || store::stage_has_history(db, gone.id).await? {
                checks.fail("stages", ErrCode::StageHasDeals);
                break;
            }
        }
        if c.mode != input.mode && (c.mode == PipelineMode::None || input.mode == PipelineMode::None) {
            // Deals would be left without (or with) a stage: a pipeline's kind is chosen once.
            let open = store::cards(
                db,
                crate::core::identity::Scope::All,
                &DealFilter {
                    pipeline_id: Some(c.id),
                    status: Some("all".into()),
                    archived: crate::core::archive::Archived::All,
                    ..Default::default()
                },
                None,
                1,
            )
            .await?;
            if !open.items.is_empty() {
                checks.fail("mode", ErrCode::StageHasDeals);
            }
        }
    }
    checks.finish()?;
    let version = input.version.unwrap_or(0);
    let id = store::save_pipeline(db, id, version, name.as_deref(), input.mode, input.archived, &stages).await?;
    store::pipeline(db, id).await
}

/// Loss and unmet-demand reasons.
pub async fn reasons(db: &Db, _user: &CurrentUser) -> Result<Vec<Reason>, AppError> {
    store::reasons(db).await
}

/// Adds a reason (`loss` or `unmet`). Administrators only.
pub async fn add_reason(db: &Db, user: &CurrentUser, kind: &str, name: &str) -> Result<Reason, AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let mut checks = Checks::default();
    if !["loss", "unmet"].contains(&kind) {
        checks.fail("kind", ErrCode::InvalidChoice);
    }
    let name = checks.text("name", name, 100);
    checks.finish()?;
    let id = store::add_reason(db, kind, &name).await?;
    store::reasons(db).await?.into_iter().find(|r| r.id == id).ok_or(AppError::NotFound)
}

/// Renames, retires or restores a reason. Administrators only.
pub async fn update_reason(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    version: i64,
    name: Option<&str>,
    retired: bool,
) -> Result<(), AppError> {
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let mut checks = Checks::default();
    let name = checks.opt_text("name", name, 100);
    checks.finish()?;
    store::update_reason(db, id, version, name.as_deref(), retired).await
}

/// Checks a customer's counterparty and contact persons given for a deal.
async fn check_links(db: &Db, customer_id: i64, counterparty: Option<i64>, contacts: &[i64]) -> Result<(), AppError> {
    if let Some(cp) = counterparty
        && !store::counterparty_of_customer(db, customer_id, cp).await?
    {
        return Err(AppError::field("counterparty_id", ErrCode::InvalidChoice));
    }
    if !store::contacts_of_customer(db, customer_id, contacts).await? {
        return Err(AppError::field("contacts", ErrCode::InvalidChoice));
    }
    Ok(())
}

/// Registers a deal for a customer `user` may see; it starts at the pipeline's first stage (or the one
/// given, whose entry rules must hold) and takes the customer's source unless another is given.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewDeal) -> Result<Deal, AppError> {
    let defs = fields::list(db, FieldEntity::Deal).await?;
    let mut values = input.validate(&defs)?;
    match customers::get(db, user.scope(), input.customer_id).await {
        Ok(_) => {}
        Err(AppError::NotFound | AppError::Forbidden) => {
            return Err(AppError::field("customer_id", ErrCode::InvalidChoice));
        }
        Err(e) => return Err(e),
    }
    let manager = input.manager_id.unwrap_or(user.id);
    if manager != user.id {
        customers::check_assignable(db, user, manager)
            .await
            .map_err(|_| AppError::field("manager_id", ErrCode::InvalidChoice))?;
    }
    let pipeline = match input.pipeline_id {
        Some(id) => {
            store::pipeline(db, id).await.map_err(|_| AppError::field("pipeline_id", ErrCode::InvalidChoice))?
        }
        None => store::pipelines(db, false).await?.into_iter().next().ok_or(AppError::NotFound)?,
    };
    if pipeline.archived {
        return Err(AppError::field("pipeline_id", ErrCode::InvalidChoice));
    }
    let stage = match (input.stage_id, pipeline.mode) {
        (Some(_), PipelineMode::None) => return Err(AppError::field("stage_id", ErrCode::NoStages)),
        (Some(s), _) => {
            let first = pipeline.first_stage().map(|f| f.id);
            if Some(s) != first {
                // Starting further on is a move from nowhere: the target's rules (and the order) apply.
                if pipeline.mode == PipelineMode::Enforced {
                    return Err(AppError::field("stage_id", ErrCode::StageSkipped));
                }
                check_move(&pipeline, None, s, &values, &[])?;
            }
            pipeline.stage(s)
        }
        (None, _) => pipeline.first_stage(),
    };
    if let Some(s) = stage {
        check_move(&pipeline, None, s.id, &values, &[])?;
    }
    let contact_ids: Vec<i64> = values.contacts.iter().map(|c| c.contact_id).collect();
    check_links(db, input.customer_id, values.counterparty_id, &contact_ids).await?;
    if values.source.is_none() {
        values.source = store::customer_source(db, input.customer_id).await?;
    }
    let id = store::create(db, user, input.customer_id, manager, pipeline.id, stage, &values).await?;
    let deal = store::get(db, id).await?;
    publish(db, &deal, None).await;
    Ok(deal)
}

/// One deal `user` may see.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Deal, AppError> {
    let deal = store::get(db, id).await?;
    if covers(db, user, deal.manager_id).await? { Ok(deal) } else { Err(AppError::Forbidden) }
}

/// A deal's stage history.
pub async fn history(db: &Db, user: &CurrentUser, id: i64) -> Result<Vec<StageStay>, AppError> {
    get(db, user, id).await?;
    store::history(db, id).await
}

/// Contact persons for the audit log: "Name (role); …".
fn contacts_text(contacts: &[DealContact]) -> Option<String> {
    let parts: Vec<String> = contacts
        .iter()
        .map(|c| match &c.role {
            Some(r) => format!("{} ({r})", c.name),
            None => c.name.clone(),
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn money_text(amount: Option<i64>, currency: &str) -> Option<String> {
    amount.map(|a| format!("{} {currency}", super::amount_of(a)))
}

/// Changes a deal's fields based on `patch.version` (409 when stale).
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &DealPatch) -> Result<Deal, AppError> {
    let current = get(db, user, id).await?;
    if current.version != patch.version {
        return Err(AppError::Conflict);
    }
    let defs = fields::list(db, FieldEntity::Deal).await?;
    let v = patch.apply(&current, &defs)?;
    let manager = patch.manager_id.unwrap_or(current.manager_id);
    if manager != current.manager_id {
        customers::check_assignable(db, user, manager)
            .await
            .map_err(|_| AppError::field("manager_id", ErrCode::InvalidChoice))?;
    }
    let contact_ids: Vec<i64> = v.contacts.iter().map(|c| c.contact_id).collect();
    check_links(db, current.customer_id, v.counterparty_id, &contact_ids).await?;
    let pipeline = store::pipeline(db, current.pipeline_id).await?;
    let checklist: Vec<String> = match (&patch.checklist_done, current.stage_id.and_then(|s| pipeline.stage(s))) {
        (Some(done), Some(stage)) => {
            let mut out: Vec<String> = Vec::new();
            for (i, item) in done.iter().enumerate() {
                if !stage.rules.checklist.contains(item) {
                    return Err(AppError::field(&format!("checklist_done[{i}]"), ErrCode::InvalidChoice));
                }
                if !out.contains(item) {
                    out.push(item.clone());
                }
            }
            out
        }
        (Some(done), None) if !done.is_empty() => {
            return Err(AppError::field("checklist_done", ErrCode::InvalidChoice));
        }
        _ => current.checklist_done.clone(),
    };
    let old = values_of(&current);
    let mut changes = Vec::new();
    FieldChange::diff(&mut changes, "title", Some(old.title.clone()), Some(v.title.clone()));
    FieldChange::diff(&mut changes, "amount", money_text(old.amount, &old.currency), money_text(v.amount, &v.currency));
    FieldChange::diff(&mut changes, "interest", old.interest.clone(), v.interest.clone());
    FieldChange::diff(&mut changes, "source", old.source.clone(), v.source.clone());
    FieldChange::diff(
        &mut changes,
        "expected_close",
        old.expected_close.map(|d| crate::core::format::date(Lang::En, d)),
        v.expected_close.map(|d| crate::core::format::date(Lang::En, d)),
    );
    if manager != current.manager_id {
        changes.push(FieldChange {
            field: "manager".into(),
            old: Some(current.manager_name.clone()),
            new: Some(customers::user_name(db, manager).await?),
        });
    }
    if v.counterparty_id != current.counterparty_id {
        let new = match v.counterparty_id {
            Some(id) => Some(crate::counterparties::store::get(db, id).await?.legal_name),
            None => None,
        };
        FieldChange::diff(&mut changes, "counterparty", current.counterparty_name.clone(), new);
    }
    let unnamed = |c: &DealContact| DealContact { name: String::new(), ..c.clone() };
    if v.contacts != current.contacts.iter().map(unnamed).collect::<Vec<_>>() {
        let mut names = Vec::new();
        for c in &v.contacts {
            let name = match current.contacts.iter().find(|o| o.contact_id == c.contact_id) {
                Some(o) => o.name.clone(),
                None => crate::contacts::store::get(db, c.contact_id).await?.name,
            };
            names.push(DealContact { name, ..c.clone() });
        }
        FieldChange::diff(&mut changes, "contacts", contacts_text(&current.contacts), contacts_text(&names));
    }
    if checklist != current.checklist_done {
        changes.push(FieldChange { field: "checklist".into(), old: None, new: Some(checklist.join("; ")) });
    }
    let custom = crate::custom_fields::merged(&defs, &current.custom, &v.custom);
    changes.extend(crate::custom_fields::changes(&defs, &current.custom, &custom));
    let update = store::DealUpdate {
        version: patch.version,
        manager_id: manager,
        values: &v,
        checklist_done: &checklist,
        changes: &changes,
    };
    store::update(db, user, &current, &update).await?;
    let deal = store::get(db, id).await?;
    publish(db, &deal, Some(current.manager_id)).await;
    Ok(deal)
}

/// Moves an open deal to another stage of its pipeline, if the pipeline's rules allow it: 422 naming the
/// broken rule, 409 when someone changed the deal since `mv.version`.
pub async fn move_deal(db: &Db, user: &CurrentUser, id: i64, mv: &DealMove) -> Result<Deal, AppError> {
    let deal = get(db, user, id).await?;
    if deal.version != mv.version {
        return Err(AppError::Conflict);
    }
    if deal.status != DealStatus::Open {
        return Err(AppError::field("stage_id", ErrCode::DealClosed));
    }
    if deal.stage_id == Some(mv.stage_id) {
        return Ok(deal);
    }
    let pipeline = store::pipeline(db, deal.pipeline_id).await?;
    check_move(&pipeline, deal.stage_id, mv.stage_id, &values_of(&deal), &deal.checklist_done)?;
    let from = deal.stage_id.and_then(|s| pipeline.stage(s));
    let to = pipeline.stage(mv.stage_id).ok_or(AppError::NotFound)?;
    store::move_to(db, user, &deal, mv.version, from, to).await?;
    let deal = store::get(db, id).await?;
    publish(db, &deal, None).await;
    Ok(deal)
}

/// Closes a deal as won or lost (lost needs an active loss reason; the stage is recorded), or reopens it.
pub async fn close(db: &Db, user: &CurrentUser, id: i64, input: &DealClose) -> Result<Deal, AppError> {
    let deal = get(db, user, id).await?;
    if deal.version != input.version {
        return Err(AppError::Conflict);
    }
    let reopen = input.outcome == DealStatus::Open;
    if reopen == (deal.status == DealStatus::Open) {
        return Err(AppError::field("outcome", ErrCode::InvalidChoice));
    }
    if !reopen {
        let pipeline = store::pipeline(db, deal.pipeline_id).await?;
        let stage = deal.stage_id.and_then(|s| pipeline.stage(s));
        check_close(input, stage, &values_of(&deal), &deal.checklist_done)?;
        let reasons = store::reasons(db).await?;
        let usable = |id: Option<i64>, kind: &str| {
            id.is_none_or(|id| reasons.iter().any(|r| r.id == id && r.kind == kind && !r.retired))
        };
        let mut checks = Checks::default();
        if input.outcome == DealStatus::Lost && !usable(input.loss_reason_id, "loss") {
            checks.fail("loss_reason_id", ErrCode::InvalidChoice);
        }
        if !usable(input.unmet_reason_id, "unmet") {
            checks.fail("unmet_reason_id", ErrCode::InvalidChoice);
        }
        checks.finish()?;
    }
    let checked = DealClose {
        loss_reason_id: (input.outcome == DealStatus::Lost).then_some(input.loss_reason_id).flatten(),
        note: input.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(Into::into),
        ..input.clone()
    };
    store::set_status(db, user, &deal, &checked).await?;
    let deal = store::get(db, id).await?;
    publish(db, &deal, None).await;
    Ok(deal)
}

/// The filter as the user may apply it: a manager outside the user's scope is refused.
async fn check_filter(db: &Db, user: &CurrentUser, f: &DealFilter) -> Result<(), AppError> {
    if let Some(m) = f.manager_id
        && !covers(db, user, m).await?
    {
        return Err(AppError::field("manager_id", ErrCode::InvalidChoice));
    }
    if let Some(s) = f.status.as_deref()
        && !["open", "won", "lost", "all"].contains(&s)
    {
        return Err(AppError::field("status", ErrCode::InvalidChoice));
    }
    Ok(())
}

/// A pipeline's board for `user`: open deals by stage, each column's totals and first cards.
pub async fn board(db: &Db, user: &CurrentUser, lang: Lang, filter: &DealFilter) -> Result<Board, AppError> {
    check_filter(db, user, filter).await?;
    let all = store::pipelines(db, false).await?;
    let pipeline = match filter.pipeline_id {
        Some(id) => store::pipeline(db, id).await?,
        None => all.first().cloned().ok_or(AppError::NotFound)?,
    };
    let f = DealFilter { pipeline_id: Some(pipeline.id), status: Some("open".into()), ..filter.clone() };
    let totals = store::totals(db, user.scope(), &f, &pipeline).await?;
    let mut columns = Vec::new();
    for t in totals {
        let column = DealFilter { stage_id: t.stage_id, ..f.clone() };
        let page = store::cards(db, user.scope(), &column, None, COLUMN_CARDS).await?;
        columns.push(BoardColumn { totals: t, cards: page.items, more: page.next_cursor.is_some() });
    }
    let loss_reasons = store::reasons(db)
        .await?
        .into_iter()
        .filter(|r| r.kind == "loss" && !r.retired)
        .map(|r| (r.id, r.label(lang)))
        .collect();
    Ok(Board {
        pipelines: all.iter().map(|p| (p.id, p.label(lang))).collect(),
        pipeline,
        columns,
        loss_reasons,
        managers: crate::admin::store::staff(db, user.scope()).await?,
        teams: if user.is_admin() {
            crate::admin::store::list_teams(db).await?.into_iter().map(|t| (t.id, t.name)).collect()
        } else {
            Vec::new()
        },
        now: now_millis(),
    })
}

/// What an open board needs after hearing that deal `id` changed: its card (if still on the board for this
/// user and filter) and the new totals.
pub async fn board_update(db: &Db, user: &CurrentUser, filter: &DealFilter, id: i64) -> Result<BoardUpdate, AppError> {
    check_filter(db, user, filter).await?;
    let pipeline_id = filter.pipeline_id.ok_or_else(|| AppError::field("pipeline_id", ErrCode::Required))?;
    let pipeline = store::pipeline(db, pipeline_id).await?;
    let f = DealFilter { status: Some("open".into()), stage_id: None, ..filter.clone() };
    let card = store::card(db, user.scope(), &f, id).await?;
    let totals = store::totals(db, user.scope(), &f, &pipeline).await?;
    Ok(BoardUpdate { card, totals })
}

/// A page of the deals `user` may see, by the filter (the list view, the API, a customer's deals).
pub async fn list(
    db: &Db,
    user: &CurrentUser,
    filter: &DealFilter,
    cursor: Option<&str>,
    limit: u32,
) -> Result<DealPage, AppError> {
    check_filter(db, user, filter).await?;
    store::cards(db, user.scope(), filter, cursor, limit).await
}

/// Checks that `deal_id` is a deal of `customer_id` that `user` may see (links from interactions and tasks).
pub async fn check_link(
    db: &Db,
    user: &CurrentUser,
    customer_id: Option<i64>,
    deal_id: Option<i64>,
) -> Result<(), AppError> {
    let Some(deal_id) = deal_id else { return Ok(()) };
    let refused = || AppError::field("deal_id", ErrCode::InvalidChoice);
    let deal = get(db, user, deal_id).await.map_err(|_| refused())?;
    if customer_id.is_some_and(|c| c != deal.customer_id) { Err(refused()) } else { Ok(()) }
}

/// The sales funnel of a pipeline (the first when none is given) for the filter, within `user`'s scope.
pub async fn funnel(db: &Db, user: &CurrentUser, lang: Lang, filter: &DealFilter) -> Result<super::Funnel, AppError> {
    check_filter(db, user, filter).await?;
    let pipeline = match filter.pipeline_id {
        Some(id) => {
            store::pipeline(db, id).await.map_err(|_| AppError::field("pipeline_id", ErrCode::InvalidChoice))?
        }
        None => store::pipelines(db, false).await?.into_iter().next().ok_or(AppError::NotFound)?,
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to <= from
    {
        return Err(AppError::field("to", ErrCode::EndBeforeStart));
    }
    let reasons = store::reasons(db).await?;
    store::funnel(db, user.scope(), filter, &pipeline, &reasons, lang, now_millis()).await
}
