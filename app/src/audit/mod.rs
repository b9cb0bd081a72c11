//! The audit log: every change to a customer or counterparty (who, when, which field, old and new value).
//! Rows are only inserted, never changed; the customer's timeline is read from it.

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::Msg;
use crate::interactions::Interaction;

/// One field's change. Stage and kind values are their stored codes; the UI translates them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl FieldChange {
    /// Records `field` in `out` when `old` and `new` differ (the audit rows of every entity are built so).
    pub fn diff(out: &mut Vec<FieldChange>, field: &str, old: Option<String>, new: Option<String>) {
        if old != new {
            out.push(FieldChange { field: field.into(), old, new });
        }
    }
}

/// One event on a customer's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub id: i64,
    /// Epoch milliseconds.
    pub at: i64,
    /// Who did it; `None` for the system (imports, seeds).
    pub user_name: Option<String>,
    /// `customer` or `counterparty` (contacts follow).
    pub entity: String,
    pub entity_id: i64,
    /// `created`, `changed`, `moved_in`, `moved_out`, `linked`; for an interaction its kind.
    pub action: String,
    pub changes: Vec<FieldChange>,
    /// The interaction, when `entity` is `interaction`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interaction: Option<Interaction>,
}

impl TimelineEntry {
    /// An interaction as a timeline entry, at the time it happened.
    pub fn of_interaction(i: Interaction) -> TimelineEntry {
        TimelineEntry {
            id: i.id,
            at: i.occurred_at,
            user_name: i.author_name.clone(),
            entity: "interaction".into(),
            entity_id: i.id,
            action: i.kind.code().into(),
            changes: Vec::new(),
            interaction: Some(i),
        }
    }
}

/// Where a timeline page ends in each of its two sources: audit rows before an id, interactions before
/// `(occurred_at, id)`. Written `audit.at.id` in cursors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineCursor {
    pub audit_before: i64,
    pub interaction_before: (i64, i64),
}

impl TimelineCursor {
    /// The start: everything.
    pub const START: TimelineCursor =
        TimelineCursor { audit_before: i64::MAX, interaction_before: (i64::MAX, i64::MAX) };

    pub fn parse(s: &str) -> Option<TimelineCursor> {
        let mut it = s.split('.');
        let c = TimelineCursor {
            audit_before: it.next()?.parse().ok()?,
            interaction_before: (it.next()?.parse().ok()?, it.next()?.parse().ok()?),
        };
        it.next().is_none().then_some(c)
    }

    pub fn text(&self) -> String {
        format!("{}.{}.{}", self.audit_before, self.interaction_before.0, self.interaction_before.1)
    }
}

/// Merges the newest-first audit entries and interactions after `cursor` (each fetched `limit + 1` deep) into
/// a page of `limit`, newest first; the next cursor continues each source where the page left it.
pub fn merge_timeline(
    audit: Vec<TimelineEntry>,
    interactions: Vec<Interaction>,
    cursor: TimelineCursor,
    limit: usize,
) -> TimelinePage {
    let mut a = audit.into_iter().peekable();
    let mut i = interactions.into_iter().peekable();
    let mut next = cursor;
    let mut items = Vec::with_capacity(limit);
    while items.len() < limit {
        let take_interaction = match (a.peek(), i.peek()) {
            (None, None) => break,
            (Some(_), None) => false,
            (None, Some(_)) => true,
            (Some(e), Some(x)) => x.occurred_at >= e.at,
        };
        if take_interaction {
            let x = i.next().expect("peeked");
            next.interaction_before = (x.occurred_at, x.id);
            items.push(TimelineEntry::of_interaction(x));
        } else {
            let e = a.next().expect("peeked");
            next.audit_before = e.id;
            items.push(e);
        }
    }
    let more = a.peek().is_some() || i.peek().is_some();
    TimelinePage { items, next_cursor: more.then(|| next.text()) }
}

/// A page of the timeline, newest first; pass `next_cursor` as `cursor` for older events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelinePage {
    pub items: Vec<TimelineEntry>,
    pub next_cursor: Option<String>,
}

/// The UI names of entities, actions and fields.
pub fn entity_msg(entity: &str) -> Msg {
    match entity {
        "counterparty" => Msg::EntCounterparty,
        "contact" => Msg::EntContact,
        "deal" => Msg::Deal,
        "order" => Msg::OrderOf,
        "invoice" => Msg::InvoiceOf,
        _ => Msg::EntCustomer,
    }
}

/// The verb shown for an action.
pub fn action_msg(action: &str) -> Msg {
    match action {
        "created" => Msg::EvCreated,
        "moved_in" => Msg::EvMovedIn,
        "moved_out" => Msg::EvMovedOut,
        "linked" => Msg::EvLinked,
        "merged" => Msg::EvMerged,
        "merged_away" => Msg::EvMergedAway,
        "moved" => Msg::EvMoved,
        "closed" => Msg::EvClosed,
        "reopened" => Msg::EvReopened,
        "archived" => Msg::EvArchived,
        "restored" => Msg::EvRestored,
        "deleted" => Msg::EvDeleted,
        "erased" => Msg::EvErased,
        "confirmed" => Msg::OrderConfirmed,
        "cancelled" => Msg::OrderCancelled,
        _ => Msg::EvChanged,
    }
}

/// The label of a changed field of `entity` (a deal's `stage` is its pipeline stage, a customer's the
/// relationship stage).
pub fn entity_field_msg(entity: &str, field: &str) -> Msg {
    match (entity, field) {
        ("deal", "stage") => Msg::DealStage,
        _ => field_msg(field),
    }
}

/// The label of a changed field.
pub fn field_msg(field: &str) -> Msg {
    match field {
        "name" => Msg::Name,
        "kind" => Msg::Kind,
        "stage" => Msg::Stage,
        "phone" => Msg::Phone,
        "email" => Msg::Email,
        "notes" => Msg::Notes,
        "source" => Msg::Source,
        "tags" => Msg::Tags,
        "manager" => Msg::Manager,
        "legal_name" => Msg::LegalName,
        "tax_id" => Msg::TaxId,
        "country" => Msg::Country,
        "vat_payer" => Msg::VatPayer,
        "legal_address" => Msg::LegalAddress,
        "bank_account" => Msg::FieldBankAccount,
        "customer" => Msg::Customer,
        "from" => Msg::FieldFrom,
        "position" => Msg::Position,
        "phones" => Msg::FieldPhones,
        "emails" => Msg::FieldEmails,
        "messengers" => Msg::FieldMessengers,
        "birthday" => Msg::Birthday,
        "merged_from" => Msg::MergedFrom,
        "import" => Msg::ImportField,
        "status" => Msg::Status,
        "deal" => Msg::Deal,
        "title" => Msg::Title,
        "amount" => Msg::Amount,
        "interest" => Msg::Interest,
        "expected_close" => Msg::ExpectedClose,
        "checklist" => Msg::Checklist,
        "close_note" => Msg::Notes,
        "counterparty" => Msg::Counterparty,
        "contacts" => Msg::Contacts,
        _ => Msg::Edit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interactions::InteractionKind;

    fn audit(id: i64, at: i64) -> TimelineEntry {
        TimelineEntry {
            id,
            at,
            user_name: None,
            entity: "customer".into(),
            entity_id: 1,
            action: "changed".into(),
            changes: vec![],
            interaction: None,
        }
    }

    fn call(id: i64, at: i64) -> Interaction {
        Interaction {
            id,
            customer_id: 1,
            customer_name: "C".into(),
            contact_id: None,
            contact_name: None,
            deal_id: None,
            kind: InteractionKind::Call,
            direction: Some("out".into()),
            status: "answered".into(),
            subject: None,
            body: None,
            place: None,
            participants: None,
            duration_secs: None,
            result: None,
            occurred_at: at,
            ends_at: None,
            author_id: None,
            author_name: None,
            attachments: vec![],
            created_at: at,
            updated_at: at,
            version: 1,
            archived_at: None,
        }
    }

    #[test]
    fn pages_interleave_both_sources_by_time() {
        // Audit rows at 50, 30, 10; calls at 40, 20 (each source fetched limit + 1 = 3 deep).
        let page = merge_timeline(
            vec![audit(9, 50), audit(8, 30), audit(7, 10)],
            vec![call(5, 40), call(4, 20)],
            TimelineCursor::START,
            2,
        );
        let ids: Vec<(String, i64)> = page.items.iter().map(|e| (e.entity.clone(), e.id)).collect();
        assert_eq!(ids, vec![("customer".into(), 9), ("interaction".into(), 5)]);
        let next = TimelineCursor::parse(page.next_cursor.as_deref().unwrap()).unwrap();
        assert_eq!(next, TimelineCursor { audit_before: 9, interaction_before: (40, 5) });
        // The last page says there is nothing more.
        let last = merge_timeline(vec![audit(7, 10)], vec![], next, 2);
        assert_eq!(last.items.len(), 1);
        assert_eq!(last.next_cursor, None);
        assert_eq!(TimelineCursor::parse("1.2"), None);
        assert_eq!(TimelineCursor::parse(&TimelineCursor::START.text()), Some(TimelineCursor::START));
    }
}
