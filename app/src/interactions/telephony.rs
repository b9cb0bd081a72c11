//! Calls from a phone system (Asterisk and the like): ringing, answered and ended events. A ringing call
//! from a known number pops up that customer's card for the manager whose extension rings (an unknown number
//! offers "create customer"); an ended call with a known customer becomes a call interaction with its
//! duration. Events may repeat or arrive out of order: each call is one row, and at most one interaction.

use serde::{Deserialize, Serialize};

use super::{InteractionKind, InteractionValues};
use crate::core::db::Db;
use crate::core::events::{self, Event};
use crate::core::{AppError, Checks, ErrCode, Millis, now_millis};
use crate::db_run;

/// One event from the phone system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CallEvent {
    /// The PBX's id of the call (Asterisk's `Uniqueid`, say); the same for all events of a call.
    pub call_id: String,
    /// `ringing`, `answered` or `ended`.
    pub event: String,
    /// `in` (a customer calls) or `out` (a manager calls); default `in`.
    #[serde(default)]
    pub direction: Option<String>,
    /// The caller: a phone number for incoming calls, an extension for outgoing ones.
    pub from: String,
    /// The callee: an extension for incoming calls, a phone number for outgoing ones.
    pub to: String,
    /// When it happened (epoch ms); now when absent.
    #[serde(default)]
    pub at: Option<Millis>,
}

/// What Karvon made of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CallOutcome {
    pub call_id: String,
    pub state: String,
    /// The user whose extension it is, if known.
    pub user_id: Option<i64>,
    /// The customer the number belongs to, if known.
    pub customer_id: Option<i64>,
    /// The call interaction, once the call ended with a known customer.
    pub interaction_id: Option<i64>,
}

/// The checked parts of an event.
struct Checked {
    state: &'static str,
    direction: &'static str,
    number: String,
    ext: String,
    at: Millis,
}

fn check(e: &CallEvent, now: Millis) -> Result<Checked, AppError> {
    let mut checks = Checks::default();
    let call_id = e.call_id.trim();
    if call_id.is_empty() {
        checks.fail("call_id", ErrCode::Required);
    } else if call_id.len() > 200 {
        checks.fail("call_id", ErrCode::TooLong);
    }
    let state = match e.event.as_str() {
        "ringing" => "ringing",
        "answered" => "answered",
        "ended" | "hangup" => "ended",
        _ => {
            checks.fail("event", ErrCode::InvalidChoice);
            "ringing"
        }
    };
    let direction = match e.direction.as_deref() {
        None | Some("in") | Some("") => "in",
        Some("out") => "out",
        Some(_) => {
            checks.fail("direction", ErrCode::InvalidChoice);
            "in"
        }
    };
    let (number, ext) = if direction == "in" { (&e.from, &e.to) } else { (&e.to, &e.from) };
    let (number_field, ext_field) = if direction == "in" { ("from", "to") } else { ("to", "from") };
    let number = checks.text(number_field, number, 50);
    let ext = checks.text(ext_field, ext, 50);
    let at = e.at.unwrap_or(now);
    if (at - now).abs() > 7 * 86_400_000 {
        checks.fail("at", ErrCode::InvalidDate);
    }
    checks.finish()?;
    // A number the phone library reads is kept in E.164, so it matches the stored phones.
    let number = crate::core::phone::normalize(&number).unwrap_or(number);
    Ok(Checked { state, direction, number, ext, at })
}

/// The customer a phone number belongs to: a customer's own phone first, then a contact person's.
pub async fn customer_by_phone(db: &Db, e164: &str) -> Result<Option<(i64, String)>, AppError> {
    let own = "SELECT id, name FROM customers WHERE phone = $1 ORDER BY id LIMIT 1";
    let via_contact = "SELECT c.id, c.name FROM contact_points p JOIN customer_contacts l ON l.contact_id = p.contact_id \
                       JOIN customers c ON c.id = l.customer_id WHERE p.kind = 'phone' AND p.value = $1 \
                       ORDER BY l.created_at DESC LIMIT 1";
    let found: Option<(i64, String)> = db_run!(db, p => sqlx::query_as(own).bind(e164).fetch_optional(p).await)?;
    if found.is_some() {
        return Ok(found);
    }
    Ok(db_run!(db, p => sqlx::query_as(via_contact).bind(e164).fetch_optional(p).await)?)
}

#[derive(sqlx::FromRow)]
struct CallRow {
    id: i64,
    direction: String,
    external_number: String,
    user_id: Option<i64>,
    customer_id: Option<i64>,
    state: String,
    started_at: i64,
    answered_at: Option<i64>,
    interaction_id: Option<i64>,
}

/// Applies one event: records the call, pops up the card on ringing, logs the interaction when it ends.
pub async fn handle(db: &Db, e: &CallEvent) -> Result<CallOutcome, AppError> {
    let c = check(e, now_millis())?;
    let call_id = e.call_id.trim();
    let user: Option<i64> = db_run!(db, p => sqlx::query_scalar("SELECT id FROM users WHERE phone_ext = $1 AND active")
        .bind(&c.ext).fetch_optional(p).await)?;
    let customer = customer_by_phone(db, &c.number).await?;
    // One row per call; the first event creates it (a lost `ringing` is fine), later ones move it on.
    let insert = "INSERT INTO calls (pbx_call_id, direction, external_number, ext, user_id, customer_id, state, started_at) \
                  VALUES ($1, $2, $3, $4, $5, $6, 'ringing', $7) ON CONFLICT (pbx_call_id) DO NOTHING";
    let inserted = db_run!(db, p => sqlx::query(insert).bind(call_id).bind(c.direction).bind(&c.number).bind(&c.ext)
        .bind(user).bind(customer.as_ref().map(|c| c.0)).bind(c.at).execute(p).await.map(|r| r.rows_affected()))?;
    let select = "SELECT id, direction, external_number, user_id, customer_id, state, started_at, answered_at, interaction_id \
                  FROM calls WHERE pbx_call_id = $1";
    let row: CallRow = db_run!(db, p => sqlx::query_as(select).bind(call_id).fetch_one(p).await)?;
    match c.state {
        "ringing" if inserted == 1 && c.direction == "in" => {
            if let Some(user_id) = row.user_id {
                pop_up(db, user_id, &row.external_number, customer.as_ref()).await?;
            }
        }
        "answered" => {
            let sql = "UPDATE calls SET state = 'answered', answered_at = COALESCE(answered_at, $1) WHERE id = $2 AND state <> 'ended'";
            db_run!(db, p => sqlx::query(sql).bind(c.at).bind(row.id).execute(p).await.map(|_| ()))?;
        }
        "ended" if row.state != "ended" => {
            return finish(db, call_id, row, c.at).await;
        }
        _ => {}
    }
    let row: CallRow = db_run!(db, p => sqlx::query_as(select).bind(call_id).fetch_one(p).await)?;
    Ok(CallOutcome {
        call_id: call_id.into(),
        state: row.state,
        user_id: row.user_id,
        customer_id: row.customer_id,
        interaction_id: row.interaction_id,
    })
}

/// The incoming call's notification for the user it rings: the customer's card, or "create customer".
async fn pop_up(db: &Db, user_id: i64, number: &str, customer: Option<&(i64, String)>) -> Result<(), AppError> {
    let shown = crate::core::phone::display(number);
    let (body, link) = match customer {
        Some((id, name)) => (name.clone(), format!("/customers/{id}")),
        None => (String::new(), format!("/customers/new?phone={}", number.replace('+', "%2B"))),
    };
    let n = crate::tasks::store::notify(
        db,
        user_id,
        "call",
        &shown,
        (!body.is_empty()).then_some(body.as_str()),
        Some(&link),
    )
    .await?;
    let event = Event {
        user_id,
        name: "notification".into(),
        id: Some(n.id),
        data: serde_json::to_value(&n).unwrap_or_default(),
    };
    events::publish(db, &event).await;
    Ok(())
}

/// Ends a call; with a known customer it becomes a call interaction (answered with its talk time, or missed).
/// The `state <> 'ended'` guard makes a repeated `ended` a no-op, so there is never a second interaction.
async fn finish(db: &Db, call_id: &str, row: CallRow, at: Millis) -> Result<CallOutcome, AppError> {
    let end = "UPDATE calls SET state = 'ended', ended_at = $1 WHERE id = $2 AND state <> 'ended'";
    let n = db_run!(db, p => sqlx::query(end).bind(at).bind(row.id).execute(p).await.map(|r| r.rows_affected()))?;
    let mut interaction_id = row.interaction_id;
    if n == 1
        && let Some(customer_id) = row.customer_id
    {
        let answered = row.answered_at.is_some();
        let values = InteractionValues {
            kind: InteractionKind::Call,
            contact_id: None,
            deal_id: None,
            direction: Some(row.direction.clone()),
            status: if answered { "answered".into() } else { "missed".into() },
            subject: None,
            body: None,
            place: None,
            participants: None,
            duration_secs: row.answered_at.map(|a| (at - a).max(0) / 1000),
            result: None,
            occurred_at: row.started_at,
            ends_at: Some(at.max(row.started_at)),
        };
        let id = super::store::create(db, row.user_id, customer_id, &values).await?;
        let link = "UPDATE calls SET interaction_id = $1 WHERE id = $2";
        db_run!(db, p => sqlx::query(link).bind(id).bind(row.id).execute(p).await.map(|_| ()))?;
        interaction_id = Some(id);
    }
    Ok(CallOutcome {
        call_id: call_id.into(),
        state: "ended".into(),
        user_id: row.user_id,
        customer_id: row.customer_id,
        interaction_id,
    })
}
