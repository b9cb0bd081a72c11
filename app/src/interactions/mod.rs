//! Interactions: every contact with a customer (meeting, call, SMS, e-mail, note), on the customer's timeline.
//! Shared model and validation rules.

pub mod api;
pub mod page_list;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sms;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod telephony;

use serde::{Deserialize, Serialize};

use crate::core::modules::ModuleDef;
use crate::core::{AppError, Checks, ErrCode, Millis, Msg};

/// The interactions module (switchable in Settings > Modules).
pub const MODULE: ModuleDef = ModuleDef {
    key: "interactions",
    name: Msg::ModuleInteractions,
    paths: &["/interactions", "/api/v1/interactions", "/api/v1/attachments", "/api/v1/telephony", "/api/v1/sms"],
};

/// Largest attachment accepted (413 above it).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// What kind of contact it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum InteractionKind {
    Meeting,
    Call,
    Sms,
    Email,
    Note,
}

impl InteractionKind {
    pub const ALL: [InteractionKind; 5] = [
        InteractionKind::Call,
        InteractionKind::Meeting,
        InteractionKind::Note,
        InteractionKind::Sms,
        InteractionKind::Email,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            InteractionKind::Meeting => "meeting",
            InteractionKind::Call => "call",
            InteractionKind::Sms => "sms",
            InteractionKind::Email => "email",
            InteractionKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<InteractionKind> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn msg(self) -> Msg {
        match self {
            InteractionKind::Meeting => Msg::IntMeeting,
            InteractionKind::Call => Msg::IntCall,
            InteractionKind::Sms => Msg::IntSms,
            InteractionKind::Email => Msg::IntEmail,
            InteractionKind::Note => Msg::IntNote,
        }
    }

    /// The statuses this kind may have; the first is the default for a new record logged by hand.
    pub fn statuses(self) -> &'static [&'static str] {
        match self {
            InteractionKind::Meeting => &["held", "planned", "cancelled"],
            InteractionKind::Call => &["answered", "missed"],
            InteractionKind::Sms => &["sent", "received", "queued", "delivered", "failed"],
            InteractionKind::Email => &["sent", "received"],
            InteractionKind::Note => &["done"],
        }
    }

    /// Whether it has a direction (in or out).
    pub fn directed(self) -> bool {
        matches!(self, InteractionKind::Call | InteractionKind::Sms | InteractionKind::Email)
    }
}

/// The UI name of a status code.
pub fn status_msg(status: &str) -> Msg {
    match status {
        "planned" => Msg::StPlanned,
        "held" => Msg::StHeld,
        "cancelled" => Msg::StCancelled,
        "answered" => Msg::StAnswered,
        "missed" => Msg::StMissed,
        "queued" => Msg::StQueued,
        "sent" => Msg::StSent,
        "delivered" => Msg::StDelivered,
        "failed" => Msg::StFailed,
        "received" => Msg::StReceived,
        _ => Msg::StDone,
    }
}

/// The UI name of a direction code.
pub fn direction_msg(direction: &str) -> Msg {
    if direction == "in" { Msg::DirIn } else { Msg::DirOut }
}

/// A stored file, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// One interaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Interaction {
    pub id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub contact_id: Option<i64>,
    pub contact_name: Option<String>,
    pub deal_id: Option<i64>,
    pub kind: InteractionKind,
    /// `in` or `out` (calls, SMS, e-mail).
    pub direction: Option<String>,
    /// See [`InteractionKind::statuses`].
    pub status: String,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub place: Option<String>,
    pub participants: Option<String>,
    pub duration_secs: Option<i64>,
    pub result: Option<String>,
    /// When it happened or is planned (epoch ms).
    pub occurred_at: Millis,
    pub ends_at: Option<Millis>,
    pub author_id: Option<i64>,
    pub author_name: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub version: i64,
    /// When it was archived (epoch milliseconds).
    #[serde(default)]
    pub archived_at: Option<i64>,
}

/// Input for a new interaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewInteraction {
    pub customer_id: i64,
    pub kind: InteractionKind,
    #[serde(default)]
    pub contact_id: Option<i64>,
    /// A deal of the same customer it belongs to.
    #[serde(default)]
    pub deal_id: Option<i64>,
    #[serde(default)]
    pub direction: Option<String>,
    /// Defaults to the kind's first status (a meeting in the future: `planned`).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub participants: Option<String>,
    #[serde(default)]
    pub duration_secs: Option<i64>,
    #[serde(default)]
    pub result: Option<String>,
    /// Epoch ms; now when absent.
    #[serde(default)]
    pub occurred_at: Option<Millis>,
    #[serde(default)]
    pub ends_at: Option<Millis>,
}

/// A change to an interaction (a planned meeting held or cancelled, a result written down); absent fields stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InteractionPatch {
    pub version: i64,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub participants: Option<String>,
    #[serde(default)]
    pub duration_secs: Option<i64>,
    #[serde(default)]
    pub result: Option<String>,
    #[serde(default)]
    pub occurred_at: Option<Millis>,
    #[serde(default)]
    pub ends_at: Option<Millis>,
}

/// Validated values of an interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionValues {
    pub kind: InteractionKind,
    pub contact_id: Option<i64>,
    pub deal_id: Option<i64>,
    pub direction: Option<String>,
    pub status: String,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub place: Option<String>,
    pub participants: Option<String>,
    pub duration_secs: Option<i64>,
    pub result: Option<String>,
    pub occurred_at: Millis,
    pub ends_at: Option<Millis>,
}

/// Earliest and latest acceptable times of anything planned or logged (interactions, tasks): 2000-01-01 and
/// ten years from `now`.
pub fn time_ok(at: Millis, now: Millis) -> bool {
    (946_684_800_000..=now + 10 * 366 * 86_400_000).contains(&at)
}

impl NewInteraction {
    /// An interaction of `kind` about `customer_id` with nothing else said (the rest defaults on creation).
    pub fn new(customer_id: i64, kind: InteractionKind) -> NewInteraction {
        NewInteraction {
            customer_id,
            kind,
            contact_id: None,
            deal_id: None,
            direction: None,
            status: None,
            subject: None,
            body: None,
            place: None,
            participants: None,
            duration_secs: None,
            result: None,
            occurred_at: None,
            ends_at: None,
        }
    }

    /// Checks every field at once; `now` fills in the time and picks a planned or held meeting.
    pub fn validate(&self, now: Millis) -> Result<InteractionValues, AppError> {
        let mut checks = Checks::default();
        let kind = self.kind;
        let occurred_at = self.occurred_at.unwrap_or(now);
        if !time_ok(occurred_at, now) {
            checks.fail("occurred_at", ErrCode::InvalidDate);
        }
        let direction = self.direction.as_deref().map(str::trim).filter(|d| !d.is_empty());
        let direction = match (kind.directed(), direction) {
            (true, None) => Some("out".to_string()),
            (true, Some(d @ ("in" | "out"))) => Some(d.to_string()),
            (false, None) => None,
            (_, Some(_)) => {
                checks.fail("direction", ErrCode::InvalidChoice);
                None
            }
        };
        let status = match self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) if kind.statuses().contains(&s) => s.to_string(),
            Some(_) => {
                checks.fail("status", ErrCode::InvalidChoice);
                String::new()
            }
            None if kind == InteractionKind::Meeting && occurred_at > now => "planned".into(),
            None if direction.as_deref() == Some("in")
                && matches!(kind, InteractionKind::Sms | InteractionKind::Email) =>
            {
                "received".into()
            }
            None => kind.statuses()[0].to_string(),
        };
        let values = InteractionValues {
            kind,
            contact_id: self.contact_id,
            deal_id: self.deal_id,
            direction,
            status,
            subject: checks.opt_text("subject", self.subject.as_deref(), 300),
            body: checks.opt_text("body", self.body.as_deref(), 20_000),
            place: checks.opt_text("place", self.place.as_deref(), 300),
            participants: checks.opt_text("participants", self.participants.as_deref(), 1000),
            duration_secs: self.duration_secs,
            result: checks.opt_text("result", self.result.as_deref(), 2000),
            occurred_at,
            ends_at: self.ends_at,
        };
        check_values(&mut checks, &values);
        checks.finish()?;
        Ok(values)
    }
}

/// The rules that tie fields to the kind.
fn check_values(checks: &mut Checks, v: &InteractionValues) {
    if v.kind != InteractionKind::Meeting {
        for (field, value) in [("place", &v.place), ("participants", &v.participants)] {
            if value.is_some() {
                checks.fail(field, ErrCode::InvalidChoice);
            }
        }
    }
    match v.duration_secs {
        Some(_) if v.kind != InteractionKind::Call && v.kind != InteractionKind::Meeting => {
            checks.fail("duration_secs", ErrCode::InvalidChoice)
        }
        Some(d) if !(0..=86_400).contains(&d) => checks.fail("duration_secs", ErrCode::OutOfRange),
        _ => {}
    }
    if let Some(end) = v.ends_at
        && end < v.occurred_at
    {
        checks.fail("ends_at", ErrCode::EndBeforeStart);
    }
    // A note, an SMS and an e-mail are their text.
    if matches!(v.kind, InteractionKind::Note | InteractionKind::Sms | InteractionKind::Email) && v.body.is_none() {
        checks.fail("body", ErrCode::Required);
    }
}

impl InteractionPatch {
    /// The current values with the patch applied, validated. An e-mail's or SMS's subject, text and time are
    /// what was sent or received and are refused (`kept_as_sent`); notes, result and status stay editable.
    pub fn apply(&self, i: &Interaction, now: Millis) -> Result<InteractionValues, AppError> {
        let mut checks = Checks::default();
        let pick = |checks: &mut Checks, field: &str, new: &Option<String>, old: &Option<String>, max: usize| match new
        {
            Some(v) => checks.opt_text(field, Some(v), max),
            None => old.clone(),
        };
        let status = match self.status.as_deref() {
            Some(s) if i.kind.statuses().contains(&s) => s.to_string(),
            Some(_) => {
                checks.fail("status", ErrCode::InvalidChoice);
                i.status.clone()
            }
            None => i.status.clone(),
        };
        // What was sent or received (an e-mail, an SMS) stays as it was: its text, subject and time.
        if matches!(i.kind, InteractionKind::Email | InteractionKind::Sms) {
            let changed = |new: &Option<String>, old: &Option<String>| {
                new.as_ref().is_some_and(|n| n.trim() != old.as_deref().unwrap_or_default().trim())
            };
            if changed(&self.subject, &i.subject) {
                checks.fail("subject", ErrCode::KeptAsSent);
            }
            if changed(&self.body, &i.body) {
                checks.fail("body", ErrCode::KeptAsSent);
            }
            if self.occurred_at.is_some_and(|t| t != i.occurred_at) {
                checks.fail("occurred_at", ErrCode::KeptAsSent);
            }
        }
        let occurred_at = self.occurred_at.unwrap_or(i.occurred_at);
        if self.occurred_at.is_some() && !time_ok(occurred_at, now) {
            checks.fail("occurred_at", ErrCode::InvalidDate);
        }
        let values = InteractionValues {
            kind: i.kind,
            contact_id: i.contact_id,
            deal_id: i.deal_id,
            direction: i.direction.clone(),
            status,
            subject: pick(&mut checks, "subject", &self.subject, &i.subject, 300),
            body: pick(&mut checks, "body", &self.body, &i.body, 20_000),
            place: pick(&mut checks, "place", &self.place, &i.place, 300),
            participants: pick(&mut checks, "participants", &self.participants, &i.participants, 1000),
            duration_secs: self.duration_secs.or(i.duration_secs),
            result: pick(&mut checks, "result", &self.result, &i.result, 2000),
            occurred_at,
            ends_at: self.ends_at.or(i.ends_at),
        };
        check_values(&mut checks, &values);
        checks.finish()?;
        Ok(values)
    }
}

/// What to list across customers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InteractionFilter {
    pub kind: Option<InteractionKind>,
    /// Who logged or had it.
    pub author_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub status: Option<String>,
    /// Epoch ms, inclusive.
    pub from: Option<Millis>,
    /// Epoch ms, exclusive.
    pub to: Option<Millis>,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
    /// Living interactions (default), archived ones, or both.
    #[serde(default)]
    pub archived: crate::core::archive::Archived,
    /// A sync job's read: changed at or after this, oldest change first.
    #[serde(default)]
    pub updated_since: Option<Millis>,
}

/// A page of interactions, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InteractionPage {
    pub items: Vec<Interaction>,
    pub next_cursor: Option<String>,
}

/// `3 min 20 s`-style durations are shown as minutes and seconds: `3:20`.
pub fn duration_text(secs: i64) -> String {
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Millis = 1_795_749_900_000;

    fn new(kind: InteractionKind) -> NewInteraction {
        NewInteraction::new(1, kind)
    }

    #[test]
    fn defaults_follow_the_kind() {
        let call = new(InteractionKind::Call).validate(NOW).unwrap();
        assert_eq!((call.direction.as_deref(), call.status.as_str()), (Some("out"), "answered"));
        let later = NewInteraction { occurred_at: Some(NOW + 3_600_000), ..new(InteractionKind::Meeting) };
        let meeting = later.validate(NOW).unwrap();
        assert_eq!((meeting.direction, meeting.status.as_str()), (None, "planned"));
        assert_eq!(new(InteractionKind::Meeting).validate(NOW).unwrap().status, "held");
        let sms_in =
            NewInteraction { direction: Some("in".into()), body: Some("ok".into()), ..new(InteractionKind::Sms) };
        assert_eq!(sms_in.validate(NOW).unwrap().status, "received");
    }

    #[test]
    fn fields_must_fit_the_kind() {
        let err = new(InteractionKind::Note).validate(NOW).unwrap_err();
        assert_eq!(err.field_codes("body"), vec![ErrCode::Required]);
        let bad = NewInteraction {
            direction: Some("sideways".into()),
            status: Some("held".into()),
            duration_secs: Some(-5),
            place: Some("Office".into()),
            occurred_at: Some(0),
            ..new(InteractionKind::Call)
        };
        let err = bad.validate(NOW).unwrap_err();
        assert_eq!(err.field_codes("direction"), vec![ErrCode::InvalidChoice]);
        assert_eq!(err.field_codes("status"), vec![ErrCode::InvalidChoice]);
        assert_eq!(err.field_codes("duration_secs"), vec![ErrCode::OutOfRange]);
        assert_eq!(err.field_codes("place"), vec![ErrCode::InvalidChoice]);
        assert_eq!(err.field_codes("occurred_at"), vec![ErrCode::InvalidDate]);
        let direction_on_note =
            NewInteraction { direction: Some("in".into()), body: Some("x".into()), ..new(InteractionKind::Note) };
        assert_eq!(direction_on_note.validate(NOW).unwrap_err().field_codes("direction"), vec![ErrCode::InvalidChoice]);
    }

    #[test]
    fn durations_read_as_clock_times() {
        assert_eq!(duration_text(200), "3:20");
        assert_eq!(duration_text(3725), "1:02:05");
        assert_eq!(duration_text(0), "0:00");
    }
}
