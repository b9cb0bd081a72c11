//! SQL for archiving, deleting and erasing records, written once for SQLite and PostgreSQL.
//!
//! A deletion runs in one transaction in the order the foreign keys ask: what hangs on the record first,
//! the record last. Contacts and counterparties that belong to a deleted customer alone go with it; shared
//! ones stay with their other customers. Mail is never deleted with a record (it stays in its mailbox,
//! unlinked). Every table that refers to a deleted kind is named in [`REFERENCES`]; a test reads both
//! schemas and fails for a foreign key missing there, so a new area cannot leave a deletion half done.

use super::{ArchiveState, Attached, ERASED, RecordKind};
use crate::audit::FieldChange;
use crate::core::db::{BeginWrite, Db};
use crate::core::{AppError, now_millis};
use crate::db_run;

/// Every `(table, column)` with a foreign key to a deletable record, as the deletion handles it.
pub const REFERENCES: &[(&str, &str)] = &[
    ("attachments", "interaction_id"),
    ("audit_log", "customer_id"),
    ("bank_accounts", "counterparty_id"),
    ("calls", "customer_id"),
    ("calls", "interaction_id"),
    ("contact_points", "contact_id"),
    ("counterparty_owners", "counterparty_id"),
    ("counterparty_owners", "customer_id"),
    ("customer_contacts", "contact_id"),
    ("customer_contacts", "customer_id"),
    ("customer_search", "customer_id"),
    ("customer_tags", "customer_id"),
    ("deal_contacts", "contact_id"),
    ("deal_contacts", "deal_id"),
    ("deal_stage_history", "deal_id"),
    // Refused: a record that issued invoices or made payments is not deleted (see `issued_documents`).
    ("invoices", "counterparty_id"),
    ("invoices", "customer_id"),
    ("payments", "counterparty_id"),
    ("payments", "customer_id"),
    ("deals", "counterparty_id"),
    ("deals", "customer_id"),
    ("interactions", "contact_id"),
    ("interactions", "customer_id"),
    ("interactions", "deal_id"),
    ("mail_messages", "contact_id"),
    ("mail_messages", "customer_id"),
    ("mail_messages", "interaction_id"),
    ("notifications", "task_id"),
    ("sales_orders", "counterparty_id"),
    ("sales_orders", "customer_id"),
    ("sales_orders", "deal_id"),
    ("segment_members", "customer_id"),
    ("stock_documents", "customer_id"),
    ("sms_messages", "interaction_id"),
    ("tasks", "contact_id"),
    ("tasks", "customer_id"),
    ("tasks", "deal_id"),
];

/// Archives (`archived`) or restores a record based on `version`; a stale version is a `Conflict`. Audited
/// kinds get an `archived` / `restored` row on `customer_id`'s timeline in the same transaction.
pub async fn set_archived(
    db: &Db,
    kind: RecordKind,
    id: i64,
    version: i64,
    archived: bool,
    user_id: i64,
    customer_id: Option<i64>,
) -> Result<ArchiveState, AppError> {
    let now = now_millis();
    let sql = format!(
        "UPDATE {} SET archived_at = $1, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4 \
         RETURNING archived_at, version",
        kind.table()
    );
    let action = if archived { "archived" } else { "restored" };
    let row: Option<(Option<i64>, i64)> = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        let row: Option<(Option<i64>, i64)> = sqlx::query_as(&sql)
            .bind(archived.then_some(now)).bind(now).bind(id).bind(version).fetch_optional(&mut *tx).await?;
        if row.is_some() && kind.audited() {
            crate::audit!(tx, customer_id, kind.code(), id, action, &[] as &[FieldChange], user_id, now)?;
        }
        tx.commit().await.map(|()| row)
    }.await)?;
    let (archived_at, version) = row.ok_or(AppError::Conflict)?;
    Ok(ArchiveState { kind, id, archived_at, version })
}

/// A deleted customer's own contacts (linked to no other customer) go with it (`$1` the customer).
macro_rules! own_contacts {
    () => {
        "SELECT l.contact_id FROM customer_contacts l WHERE l.customer_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM customer_contacts o WHERE o.contact_id = l.contact_id AND o.customer_id <> $1)"
    };
}
/// And its own counterparties (never owned by another customer).
macro_rules! own_counterparties {
    () => {
        "SELECT DISTINCT o.counterparty_id FROM counterparty_owners o WHERE o.customer_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM counterparty_owners x WHERE x.counterparty_id = o.counterparty_id AND x.customer_id <> $1)"
    };
}

/// The count queries of a deletion's preview (`$1` the record's id), by what they count.
fn counts(kind: RecordKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        RecordKind::Customer => &[
            ("deals", "SELECT COUNT(*) FROM deals WHERE customer_id = $1"),
            ("interactions", "SELECT COUNT(*) FROM interactions WHERE customer_id = $1"),
            (
                "tasks",
                "SELECT COUNT(*) FROM tasks WHERE customer_id = $1 OR deal_id IN (SELECT id FROM deals WHERE customer_id = $1)",
            ),
            ("contacts", concat!("SELECT COUNT(*) FROM (", own_contacts!(), ") own")),
            ("counterparties", concat!("SELECT COUNT(*) FROM (", own_counterparties!(), ") own")),
            (
                "attachments",
                "SELECT COUNT(*) FROM attachments WHERE interaction_id IN (SELECT id FROM interactions WHERE customer_id = $1)",
            ),
            ("history", "SELECT COUNT(*) FROM audit_log WHERE customer_id = $1"),
            ("mail", "SELECT COUNT(*) FROM mail_messages WHERE customer_id = $1"),
            ("orders", "SELECT COUNT(*) FROM sales_orders WHERE customer_id = $1 AND status = 'draft'"),
        ],
        RecordKind::Contact => {
            &[("history", "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact' AND entity_id = $1")]
        }
        RecordKind::Counterparty => &[
            ("bank_accounts", "SELECT COUNT(*) FROM bank_accounts WHERE counterparty_id = $1"),
            ("history", "SELECT COUNT(*) FROM audit_log WHERE entity = 'counterparty' AND entity_id = $1"),
        ],
        RecordKind::Deal => &[
            ("tasks", "SELECT COUNT(*) FROM tasks WHERE deal_id = $1"),
            ("history", "SELECT COUNT(*) FROM deal_stage_history WHERE deal_id = $1"),
        ],
        RecordKind::Task => &[],
        RecordKind::Interaction => &[("attachments", "SELECT COUNT(*) FROM attachments WHERE interaction_id = $1")],
    }
}

/// What goes with the record (kinds with nothing left out).
pub async fn deletion(db: &Db, kind: RecordKind, id: i64) -> Result<Vec<Attached>, AppError> {
    let mut goes = Vec::new();
    for (what, sql) in counts(kind) {
        let count: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(id).fetch_one(p).await)?;
        if count > 0 {
            goes.push(Attached { what: (*what).to_string(), count });
        }
    }
    Ok(goes)
}

/// How many documents past their draft (orders, invoices, payments) name a customer or counterparty: such a
/// record is not deleted (the documents are the company's records); it is archived, or its personal data
/// erased. Other kinds have none.
pub async fn issued_documents(db: &Db, kind: RecordKind, id: i64) -> Result<i64, AppError> {
    let column = match kind {
        RecordKind::Customer => "customer_id",
        RecordKind::Counterparty => "counterparty_id",
        _ => return Ok(0),
    };
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM sales_orders WHERE {column} = $1 AND status <> 'draft') + \
         (SELECT COUNT(*) FROM invoices WHERE {column} = $1) + \
         (SELECT COUNT(*) FROM payments WHERE {column} = $1)"
    );
    Ok(db_run!(db, p => sqlx::query_scalar(&sql).bind(id).fetch_one(p).await)?)
}

/// The statements that delete one record of `kind` and what hangs on it, in order (`$1` the record's id).
fn steps(kind: RecordKind, postgres: bool) -> Vec<&'static str> {
    const TASK: &[&str] = &["DELETE FROM notifications WHERE task_id = $1", "DELETE FROM tasks WHERE id = $1"];
    const INTERACTION: &[&str] = &[
        "UPDATE mail_messages SET interaction_id = NULL WHERE interaction_id = $1",
        "DELETE FROM attachments WHERE interaction_id = $1",
        "DELETE FROM calls WHERE interaction_id = $1",
        "DELETE FROM sms_messages WHERE interaction_id = $1",
        "DELETE FROM interactions WHERE id = $1",
    ];
    const CONTACT: &[&str] = &[
        "UPDATE interactions SET contact_id = NULL WHERE contact_id = $1",
        "UPDATE tasks SET contact_id = NULL WHERE contact_id = $1",
        "UPDATE mail_messages SET contact_id = NULL WHERE contact_id = $1",
        "DELETE FROM deal_contacts WHERE contact_id = $1",
        "DELETE FROM contact_points WHERE contact_id = $1",
        "DELETE FROM customer_contacts WHERE contact_id = $1",
        "DELETE FROM custom_values WHERE record_id = $1 AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'contact')",
        "DELETE FROM contacts WHERE id = $1",
    ];
    const COUNTERPARTY: &[&str] = &[
        "UPDATE deals SET counterparty_id = NULL WHERE counterparty_id = $1",
        "UPDATE sales_orders SET counterparty_id = NULL WHERE counterparty_id = $1",
        "DELETE FROM bank_accounts WHERE counterparty_id = $1",
        "DELETE FROM counterparty_owners WHERE counterparty_id = $1",
        "DELETE FROM counterparties WHERE id = $1",
    ];
    const DEAL: &[&str] = &[
        "DELETE FROM notifications WHERE task_id IN (SELECT id FROM tasks WHERE deal_id = $1)",
        "DELETE FROM tasks WHERE deal_id = $1",
        "UPDATE interactions SET deal_id = NULL WHERE deal_id = $1",
        // An order made from the deal stays the customer's.
        "UPDATE sales_orders SET deal_id = NULL WHERE deal_id = $1",
        "DELETE FROM deal_contacts WHERE deal_id = $1",
        "DELETE FROM deal_stage_history WHERE deal_id = $1",
        "DELETE FROM deals WHERE id = $1",
    ];
    const CUSTOMER: &[&str] = &[
        "DELETE FROM notifications WHERE task_id IN (SELECT id FROM tasks WHERE customer_id = $1)",
        "DELETE FROM tasks WHERE customer_id = $1",
        "UPDATE mail_messages SET customer_id = NULL, interaction_id = NULL WHERE customer_id = $1",
        "UPDATE mail_messages SET interaction_id = NULL \
         WHERE interaction_id IN (SELECT id FROM interactions WHERE customer_id = $1)",
        "DELETE FROM attachments WHERE interaction_id IN (SELECT id FROM interactions WHERE customer_id = $1)",
        "DELETE FROM calls WHERE customer_id = $1 OR interaction_id IN (SELECT id FROM interactions WHERE customer_id = $1)",
        "DELETE FROM sms_messages WHERE interaction_id IN (SELECT id FROM interactions WHERE customer_id = $1)",
        "DELETE FROM interactions WHERE customer_id = $1",
        "DELETE FROM counterparty_owners WHERE customer_id = $1",
        "DELETE FROM customer_contacts WHERE customer_id = $1",
        "DELETE FROM customer_tags WHERE customer_id = $1",
        "DELETE FROM segment_members WHERE customer_id = $1",
        "DELETE FROM custom_values WHERE record_id = $1 AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'customer')",
        "DELETE FROM audit_log WHERE customer_id = $1",
        // Stock documents are the warehouse's records and their movements the ledger's: they stay, unnamed.
        "UPDATE stock_documents SET customer_id = NULL WHERE customer_id = $1",
        // Only drafts can be here: a customer with an order past its draft is not deleted (`issued_documents`).
        "DELETE FROM sales_orders WHERE customer_id = $1 AND status = 'draft'",
    ];
    let mut out: Vec<&'static str> = match kind {
        RecordKind::Task => TASK.to_vec(),
        RecordKind::Interaction => INTERACTION.to_vec(),
        RecordKind::Contact => CONTACT.to_vec(),
        RecordKind::Counterparty => COUNTERPARTY.to_vec(),
        RecordKind::Deal => DEAL.to_vec(),
        RecordKind::Customer => CUSTOMER.to_vec(),
    };
    if kind == RecordKind::Customer {
        out.push(if postgres {
            "DELETE FROM customer_search WHERE customer_id = $1"
        } else {
            "DELETE FROM customer_search WHERE rowid = $1"
        });
        out.push("DELETE FROM customers WHERE id = $1");
        // Unlinking its contacts marked its search document stale; it has none now.
        out.push("DELETE FROM search_stale WHERE customer_id = $1");
    }
    out
}

/// Deletes a record and what goes with it (see [`deletion`]) in one transaction, if it is still at `version`
/// (else `Conflict`, nothing changed). One audit row stays, naming what was deleted, by whom and when (on
/// `customer_id`'s timeline, or on none when the customer itself went).
pub async fn delete(
    db: &Db,
    kind: RecordKind,
    id: i64,
    version: i64,
    name: &str,
    user_id: i64,
    customer_id: Option<i64>,
) -> Result<(), AppError> {
    let now = now_millis();
    let postgres = db.is_postgres();
    let check = format!("SELECT version FROM {} WHERE id = $1", kind.table());
    let note = [FieldChange { field: "name".into(), old: Some(name.to_string()), new: None }];
    let ok = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        let now_version: Option<i64> = sqlx::query_scalar(&check).bind(id).fetch_optional(&mut *tx).await?;
        if now_version != Some(version) {
            tx.rollback().await?;
            return Ok::<bool, sqlx::Error>(false);
        }
        if kind == RecordKind::Customer {
            // Deals first (with their tasks and history), then its own contacts and counterparties.
            let deals: Vec<i64> = sqlx::query_scalar("SELECT id FROM deals WHERE customer_id = $1")
                .bind(id).fetch_all(&mut *tx).await?;
            let contacts: Vec<i64> = sqlx::query_scalar(own_contacts!()).bind(id).fetch_all(&mut *tx).await?;
            let cps: Vec<i64> = sqlx::query_scalar(own_counterparties!()).bind(id).fetch_all(&mut *tx).await?;
            for (sub, ids) in [(RecordKind::Deal, deals), (RecordKind::Contact, contacts), (RecordKind::Counterparty, cps)] {
                for sub_id in ids {
                    for sql in steps(sub, postgres) {
                        sqlx::query(sql).bind(sub_id).execute(&mut *tx).await?;
                    }
                }
            }
        }
        for sql in steps(kind, postgres) {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        let on = if kind == RecordKind::Customer { None } else { customer_id };
        if kind.audited() {
            crate::audit!(tx, on, kind.code(), id, "deleted", &note, user_id, now)?;
        }
        tx.commit().await.map(|()| true)
    }.await)?;
    if ok { Ok(()) } else { Err(AppError::Conflict) }
}

/// Erases the personal data of a customer or contact at `version` (else `Conflict`): its name becomes
/// `#<id>`, phones, e-mails, messengers, notes, birthday, position, tags and custom values are removed, and the
/// values in its audit rows are replaced by [`ERASED`]. One audit row `erased` records who did it.
pub async fn erase(
    db: &Db,
    kind: RecordKind,
    id: i64,
    version: i64,
    user_id: i64,
    customer_id: Option<i64>,
) -> Result<(), AppError> {
    let now = now_millis();
    let name = format!("#{id}");
    let update = match kind {
        RecordKind::Customer => {
            "UPDATE customers SET name = $1, name_search = $1, dup_key = $1, phone = NULL, email = NULL, notes = NULL, \
             tags = '', updated_by = $4, updated_at = $2, version = version + 1 WHERE id = $3 AND version = $5"
        }
        RecordKind::Contact => {
            "UPDATE contacts SET name = $1, name_search = $1, position = NULL, birthday = NULL, notes = NULL, \
             updated_at = $2, version = version + 1 WHERE id = $3 AND version = $4"
        }
        _ => return Err(AppError::NotFound),
    };
    let customer = kind == RecordKind::Customer;
    let entity = kind.code();
    let ok = db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        let q = sqlx::query(update).bind(&name).bind(now).bind(id);
        let q = if customer { q.bind(user_id).bind(version) } else { q.bind(version) };
        let n = q.execute(&mut *tx).await?.rows_affected();
        if n != 1 {
            tx.rollback().await?;
            return Ok::<bool, sqlx::Error>(false);
        }
        let cleanup: &[&str] = match kind {
            RecordKind::Customer => &[
                "DELETE FROM customer_tags WHERE customer_id = $1",
                "DELETE FROM custom_values WHERE record_id = $1 AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'customer')",
            ],
            _ => &[
                "DELETE FROM contact_points WHERE contact_id = $1",
                "DELETE FROM custom_values WHERE record_id = $1 AND field_id IN (SELECT id FROM custom_fields WHERE entity = 'contact')",
            ],
        };
        for sql in cleanup {
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, changes FROM audit_log WHERE entity = $1 AND entity_id = $2")
            .bind(entity).bind(id).fetch_all(&mut *tx).await?;
        for (row, changes) in rows {
            sqlx::query("UPDATE audit_log SET changes = $1 WHERE id = $2")
                .bind(erased_changes(&changes)).bind(row).execute(&mut *tx).await?;
        }
        crate::audit!(tx, customer_id, entity, id, "erased", &[] as &[FieldChange], user_id, now)?;
        tx.commit().await.map(|()| true)
    }.await)?;
    if ok { Ok(()) } else { Err(AppError::Conflict) }
}

/// An audit row's changes with every value replaced by [`ERASED`] (the fields stay: the history still says
/// what changed when).
fn erased_changes(json: &str) -> String {
    let mut changes: Vec<FieldChange> = serde_json::from_str(json).unwrap_or_default();
    for c in &mut changes {
        c.old = c.old.as_ref().map(|_| ERASED.to_string());
        c.new = c.new.as_ref().map(|_| ERASED.to_string());
    }
    serde_json::to_string(&changes).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erased_changes_keep_fields_and_drop_values() {
        let json = r#"[{"field":"phone","old":null,"new":"+998901234567"},{"field":"name","old":"Ali","new":"Vali"}]"#;
        let out: Vec<FieldChange> = serde_json::from_str(&erased_changes(json)).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(
            (out[0].field.as_str(), out[0].old.as_deref(), out[0].new.as_deref()),
            ("phone", None, Some(ERASED))
        );
        assert_eq!((out[1].old.as_deref(), out[1].new.as_deref()), (Some(ERASED), Some(ERASED)));
        assert!(!erased_changes(json).contains("Ali"));
    }

    #[test]
    fn every_step_refers_to_tables_in_the_reference_list_or_the_record_itself() {
        let known: std::collections::BTreeSet<&str> = REFERENCES.iter().map(|(t, _)| *t).collect();
        for kind in RecordKind::ALL {
            for sql in steps(kind, false) {
                let table = sql.split_whitespace().nth(if sql.starts_with("UPDATE") { 1 } else { 2 }).unwrap();
                assert!(
                    known.contains(table) || ["custom_values", "search_stale", kind.table()].contains(&table),
                    "{sql}"
                );
            }
        }
    }
}
