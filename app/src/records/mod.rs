//! Archive, restore, delete and erase, the same way for the records of every area: customers, contacts,
//! counterparties, deals, tasks and interactions (later areas add theirs to [`RecordKind`]).
//!
//! Archiving is anyone's who may edit the record and is undone by restoring; the record and everything
//! attached to it stay, it only leaves the lists. Deleting is for administrators, after a preview that names
//! what goes with the record. Erasing answers a person's request to remove their personal data: the record
//! stays (deals and payments keep their customer) with its personal fields emptied, and the values in its
//! audit rows replaced by [`ERASED`].

pub mod api;
pub mod panel;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

use crate::core::Msg;

/// What stands in the audit log for a value that was erased (the UI shows it translated).
pub const ERASED: &str = "\u{2400}erased";

/// A kind of record that can be archived, restored and deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Customer,
    Contact,
    Counterparty,
    Deal,
    Task,
    Interaction,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Customer,
        RecordKind::Contact,
        RecordKind::Counterparty,
        RecordKind::Deal,
        RecordKind::Task,
        RecordKind::Interaction,
    ];

    /// `customer`, `contact`, …: the audit log's entity and the webhook events' prefix.
    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Customer => "customer",
            RecordKind::Contact => "contact",
            RecordKind::Counterparty => "counterparty",
            RecordKind::Deal => "deal",
            RecordKind::Task => "task",
            RecordKind::Interaction => "interaction",
        }
    }

    pub fn parse(code: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Its table (and REST collection).
    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Customer => "customers",
            RecordKind::Contact => "contacts",
            RecordKind::Counterparty => "counterparties",
            RecordKind::Deal => "deals",
            RecordKind::Task => "tasks",
            RecordKind::Interaction => "interactions",
        }
    }

    /// Whether its changes are kept in the audit log (and so shown on the customer's timeline).
    pub fn audited(self) -> bool {
        matches!(self, RecordKind::Customer | RecordKind::Contact | RecordKind::Counterparty | RecordKind::Deal)
    }

    /// Whether it holds a person's personal data that can be erased on request.
    pub fn erasable(self) -> bool {
        matches!(self, RecordKind::Customer | RecordKind::Contact)
    }
}

/// A record's archive state after archiving or restoring it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArchiveState {
    pub kind: RecordKind,
    pub id: i64,
    /// Epoch milliseconds; `None` when restored.
    pub archived_at: Option<i64>,
    /// The record's version after the change (send it with the next change).
    pub version: i64,
}

/// The version a change is based on (a stale one is a conflict).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VersionInput {
    pub version: i64,
}

/// What goes with a record an administrator deletes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Deletion {
    pub kind: RecordKind,
    pub id: i64,
    /// The record's name or title, to confirm against.
    pub name: String,
    pub version: i64,
    /// How many attached rows of each kind are deleted (or, for mail, unlinked) with it; kinds with none
    /// are left out.
    pub goes: Vec<Attached>,
}

/// A kind of attached rows and how many there are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Attached {
    /// `deals`, `interactions`, `tasks`, `contacts`, `counterparties`, `bank_accounts`, `attachments`,
    /// `history` (audit rows), `mail` (messages unlinked: they stay in their mailbox).
    pub what: String,
    pub count: i64,
}

impl Attached {
    /// The UI's name for `what`.
    pub fn msg(what: &str) -> Msg {
        match what {
            "deals" => Msg::GoesDeals,
            "interactions" => Msg::GoesInteractions,
            "tasks" => Msg::GoesTasks,
            "contacts" => Msg::GoesContacts,
            "counterparties" => Msg::GoesCounterparties,
            "bank_accounts" => Msg::GoesBankAccounts,
            "attachments" => Msg::GoesAttachments,
            "mail" => Msg::GoesMail,
            "orders" => Msg::GoesDraftOrders,
            _ => Msg::GoesHistory,
        }
    }
}

/// An audit value as the UI shows it: an erased one is said to be erased.
pub fn shown_value(value: &str) -> Option<Msg> {
    (value == ERASED).then_some(Msg::ErasedValue)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_tables_are_distinct() {
        for k in RecordKind::ALL {
            assert_eq!(RecordKind::parse(k.code()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.code());
        }
        let tables: std::collections::BTreeSet<_> = RecordKind::ALL.iter().map(|k| k.table()).collect();
        assert_eq!(tables.len(), RecordKind::ALL.len());
        assert_eq!(RecordKind::parse("order"), None);
    }
}
