//! Server functions for interactions: thin shims over [`super::service`].

// One argument per form field: plain HTML forms post them by name.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Interaction, InteractionPage};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// A form's optional text, empty as absent.
#[cfg(feature = "ssr")]
pub(crate) fn given(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Logs an interaction from the card's quick form. `when` is a company-local `YYYY-MM-DDTHH:MM` (empty:
/// now); `duration_min` is minutes. The form has a status choice for calls and one for meetings.
#[server(prefix = "/rpc", endpoint = "interactions/log")]
pub async fn log_interaction(
    customer_id: i64,
    kind: String,
    contact_id: Option<String>,
    direction: Option<String>,
    call_status: Option<String>,
    meeting_status: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    place: Option<String>,
    participants: Option<String>,
    duration_min: Option<String>,
    result: Option<String>,
    when: Option<String>,
    send: Option<String>,
    deal_id: Option<String>,
) -> Result<Interaction, AppError> {
    use crate::core::ErrCode;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let kind =
            super::InteractionKind::parse(&kind).ok_or_else(|| AppError::field("kind", ErrCode::InvalidChoice))?;
        let occurred_at = form_when(when)?;
        let duration_secs = form_duration(duration_min)?;
        let contact_id = match given(contact_id) {
            Some(c) => Some(c.parse().map_err(|_| AppError::field("contact_id", ErrCode::InvalidChoice))?),
            None => None,
        };
        // An outgoing SMS may go out through the gateway instead of being only recorded.
        let outgoing = given(direction.clone()).is_none_or(|d| d == "out");
        if kind == super::InteractionKind::Sms && outgoing && send.is_some_and(|s| s == "true" || s == "on") {
            let sms = super::sms::NewSms { customer_id, contact_id, phone: None, text: body.unwrap_or_default() };
            return super::service::send_sms(&db, ctx.user()?, &sms)
                .await
                .map_err(|e| e.renamed(&[("text", "body"), ("phone", "send")]));
        }
        // Only the fields of the chosen kind count: the form has them all, hidden by kind.
        let meeting = kind == super::InteractionKind::Meeting;
        let deal_id = match given(deal_id) {
            Some(d) => Some(d.parse().map_err(|_| AppError::field("deal_id", ErrCode::InvalidChoice))?),
            None => None,
        };
        let input = super::NewInteraction {
            customer_id,
            kind,
            contact_id,
            deal_id,
            direction: given(direction).filter(|_| kind.directed()),
            status: match kind {
                super::InteractionKind::Call => given(call_status),
                super::InteractionKind::Meeting => given(meeting_status),
                _ => None,
            },
            subject: given(subject),
            body: given(body),
            place: given(place).filter(|_| meeting),
            participants: given(participants).filter(|_| meeting),
            duration_secs: duration_secs.filter(|_| meeting || kind == super::InteractionKind::Call),
            result: given(result),
            occurred_at,
            ends_at: None,
        };
        // The form names the time `when` and the duration in minutes.
        super::service::create(&db, ctx.user()?, &input)
            .await
            .map_err(|e| e.renamed(&[("occurred_at", "when"), ("duration_secs", "duration_min")]))
    };
    run.await.inspect_err(set_status)
}

/// A form's `when` (company-local `YYYY-MM-DDTHH:MM`; empty: none).
#[cfg(feature = "ssr")]
fn form_when(when: Option<String>) -> Result<Option<crate::core::Millis>, AppError> {
    given(when)
        .map(|w| {
            crate::core::format::parse_date_time(&w)
                .ok_or_else(|| AppError::field("when", crate::core::ErrCode::InvalidDate))
        })
        .transpose()
}

/// A form's `duration_min` in seconds (empty: none; up to a day).
#[cfg(feature = "ssr")]
fn form_duration(duration_min: Option<String>) -> Result<Option<i64>, AppError> {
    use crate::core::ErrCode;
    use rust_decimal::prelude::ToPrimitive;
    let Some(d) = given(duration_min) else { return Ok(None) };
    let minutes: rust_decimal::Decimal =
        d.replace(',', ".").parse().map_err(|_| AppError::field("duration_min", ErrCode::NotANumber))?;
    if minutes.is_sign_negative() || minutes > rust_decimal::Decimal::from(1440) {
        return Err(AppError::field("duration_min", ErrCode::OutOfRange));
    }
    Ok((minutes * rust_decimal::Decimal::from(60)).round().to_i64())
}

/// Saves an interaction's edit form (its author's or an administrator's). Only the fields the form has for
/// the interaction's kind are sent; an empty one clears it.
#[server(prefix = "/rpc", endpoint = "interactions/update")]
pub async fn update_interaction(
    id: i64,
    version: i64,
    status: Option<String>,
    when: Option<String>,
    duration_min: Option<String>,
    place: Option<String>,
    participants: Option<String>,
    subject: Option<String>,
    body: Option<String>,
    result: Option<String>,
) -> Result<Interaction, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let duration_given = duration_min.is_some();
        let patch = super::InteractionPatch {
            version,
            status: given(status),
            occurred_at: form_when(when)?,
            duration_secs: if duration_given { Some(form_duration(duration_min)?.unwrap_or(0)) } else { None },
            place,
            participants,
            subject,
            body,
            result,
            ends_at: None,
        };
        super::service::update(&db, ctx.user()?, id, &patch)
            .await
            .map_err(|e| e.renamed(&[("occurred_at", "when"), ("duration_secs", "duration_min")]))
    };
    run.await.inspect_err(set_status)
}

/// Marks a planned meeting held or cancelled (or changes any status the kind allows), with a result.
#[server(prefix = "/rpc", endpoint = "interactions/status")]
pub async fn set_interaction_status(
    id: i64,
    version: i64,
    status: String,
    result: Option<String>,
) -> Result<Interaction, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let patch = super::InteractionPatch { version, status: Some(status), result, ..Default::default() };
        super::service::update(&db, ctx.user()?, id, &patch).await
    };
    run.await.inspect_err(set_status)
}

/// The interactions list page's data: a page and the people it may be filtered by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionListView {
    pub page: InteractionPage,
    pub people: Vec<(i64, String)>,
}

/// A page of interactions across customers. `from` and `to` are `YYYY-MM-DD` (both days included).
#[server(prefix = "/rpc", endpoint = "interactions/list")]
pub async fn list_interactions(
    kind: Option<String>,
    author: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    archived: Option<String>,
    cursor: Option<String>,
) -> Result<InteractionListView, AppError> {
    use crate::core::ErrCode;
    use crate::core::format::parse_date;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let day = |field: &str, v: Option<String>| match given(v) {
            Some(d) => parse_date(&d).map(Some).ok_or_else(|| AppError::field(field, ErrCode::InvalidDate)),
            None => Ok(None),
        };
        let filter = super::InteractionFilter {
            kind: match given(kind) {
                Some(k) => Some(
                    super::InteractionKind::parse(&k).ok_or_else(|| AppError::field("kind", ErrCode::InvalidChoice))?,
                ),
                None => None,
            },
            author_id: match given(author) {
                Some(a) => Some(a.parse().map_err(|_| AppError::field("author", ErrCode::InvalidChoice))?),
                None => None,
            },
            customer_id: None,
            status: given(status),
            from: day("from", from)?,
            to: day("to", to)?.map(|d| d + 86_400_000),
            cursor,
            limit: Some(50),
            archived: crate::core::archive::Archived::parse(archived.as_deref())?,
            updated_since: None,
        };
        let page = super::service::list(&db, user, &filter).await?;
        let people = crate::admin::store::staff(&db, user.scope()).await?;
        Ok(InteractionListView { page, people })
    };
    run.await.inspect_err(set_status)
}
