//! The audit log: every change to a customer or counterparty (who, when, which field, old and new value).
//! Rows are only inserted, never changed; the customer's timeline is read from it.

#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::Msg;

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
    /// `created`, `changed`, `moved_in`, `moved_out`, `linked`.
    pub action: String,
    pub changes: Vec<FieldChange>,
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
        _ => Msg::EvChanged,
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
        _ => Msg::Edit,
    }
}
