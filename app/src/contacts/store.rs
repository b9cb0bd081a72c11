//! SQL for contacts, their phones/e-mails/messengers and customer links, on both databases. Writes record
//! their audit rows (on the timelines of the linked customers) in the same transaction.

use super::{Contact, ContactLink, ContactValues, Messenger};
use crate::audit::FieldChange;
use crate::core::db::{BeginWrite, Db, is_unique_violation, placeholders};
use crate::core::{AppError, ErrCode, now_millis};
use crate::customers::search_key;
use crate::db_run;

/// Most contacts listed per customer.
pub const LIST_LIMIT: i64 = 200;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    position: Option<String>,
    birthday: Option<String>,
    notes: Option<String>,
    created_at: i64,
    updated_at: i64,
    version: i64,
    archived_at: Option<i64>,
}

/// Contacts by id (in the order of `ids`) with their points and links.
async fn load(db: &Db, ids: &[i64]) -> Result<Vec<Contact>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let m = placeholders(ids.len());
    let sql = format!(
        "SELECT id, name, position, birthday, notes, created_at, updated_at, version, archived_at FROM contacts \
         WHERE id IN ({m})"
    );
    let points_sql =
        format!("SELECT contact_id, kind, value FROM contact_points WHERE contact_id IN ({m}) ORDER BY id");
    let links_sql = format!(
        "SELECT l.contact_id, l.customer_id, c.name, l.role FROM customer_contacts l \
         JOIN customers c ON c.id = l.customer_id WHERE l.contact_id IN ({m}) ORDER BY l.created_at, l.customer_id"
    );
    type Loaded = (Vec<Row>, Vec<(i64, String, String)>, Vec<(i64, i64, String, Option<String>)>);
    let (rows, points, links): Loaded = db_run!(db, p => {
        let mut q1 = sqlx::query_as(&sql);
        let mut q2 = sqlx::query_as(&points_sql);
        let mut q3 = sqlx::query_as(&links_sql);
        for id in ids {
            q1 = q1.bind(*id);
            q2 = q2.bind(*id);
            q3 = q3.bind(*id);
        }
        Ok::<_, sqlx::Error>((q1.fetch_all(p).await?, q2.fetch_all(p).await?, q3.fetch_all(p).await?))
    })?;
    let mut out: Vec<Contact> = rows
        .into_iter()
        .map(|r| Contact {
            id: r.id,
            name: r.name,
            position: r.position,
            phones: Vec::new(),
            emails: Vec::new(),
            messengers: Vec::new(),
            birthday: r.birthday,
            notes: r.notes,
            customers: Vec::new(),
            custom: Default::default(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            version: r.version,
            archived_at: r.archived_at,
        })
        .collect();
    for (id, kind, value) in points {
        if let Some(c) = out.iter_mut().find(|c| c.id == id) {
            match kind.as_str() {
                "phone" => c.phones.push(value),
                "email" => c.emails.push(value),
                _ => c.messengers.push(Messenger { kind, handle: value }),
            }
        }
    }
    for (id, customer_id, customer_name, role) in links {
        if let Some(c) = out.iter_mut().find(|c| c.id == id) {
            c.customers.push(ContactLink { customer_id, customer_name, role });
        }
    }
    out.sort_by_key(|c| ids.iter().position(|id| *id == c.id));
    Ok(out)
}

/// One contact, or `NotFound`.
pub async fn get(db: &Db, id: i64) -> Result<Contact, AppError> {
    load(db, &[id]).await?.pop().ok_or(AppError::NotFound)
}

/// The contacts linked to a customer, newest link first.
pub async fn list_for_customer(db: &Db, customer_id: i64) -> Result<Vec<Contact>, AppError> {
    let sql = "SELECT contact_id FROM customer_contacts WHERE customer_id = $1 ORDER BY created_at DESC, contact_id DESC LIMIT $2";
    let ids: Vec<i64> =
        db_run!(db, p => sqlx::query_scalar(sql).bind(customer_id).bind(LIST_LIMIT).fetch_all(p).await)?;
    load(db, &ids).await
}

/// Replaces the points of contact `$id` on transaction `$tx`.
/// A page of the contacts linked to a customer in `scope` (any contact for `Scope::All`), oldest change
/// first from `changed.since`; the next page's cursor.
pub async fn changed(
    db: &Db,
    scope: crate::core::identity::Scope,
    read: &crate::customers::store::SyncRead,
) -> Result<(Vec<Contact>, Option<String>), AppError> {
    const VISIBLE: &str =
        "SELECT 1 FROM customer_contacts l JOIN customers c ON c.id = l.customer_id WHERE l.contact_id = k.id";
    let (ids, next) = crate::customers::store::changed_ids(db, "contacts", VISIBLE, scope, read).await?;
    Ok((load(db, &ids).await?, next))
}

macro_rules! write_points {
    ($tx:expr, $id:expr, $v:expr) => {{
        sqlx::query("DELETE FROM contact_points WHERE contact_id = $1").bind($id).execute(&mut *$tx).await?;
        let items = $v
            .phones
            .iter()
            .map(|p| ("phone", p.as_str()))
            .chain($v.emails.iter().map(|e| ("email", e.as_str())))
            .chain($v.messengers.iter().map(|m| (m.kind.as_str(), m.handle.as_str())));
        for (kind, value) in items {
            sqlx::query("INSERT INTO contact_points (contact_id, kind, value) VALUES ($1, $2, $3)")
                .bind($id)
                .bind(kind)
                .bind(value)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

pub(crate) use write_points;

/// The SQL that inserts a contact (without its points, values and links).
pub const INSERT: &str = "INSERT INTO contacts (name, name_search, position, birthday, notes, created_by, created_at, \
    updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1) RETURNING id";
/// The SQL that links a contact to a customer with a role.
pub const LINK: &str =
    "INSERT INTO customer_contacts (customer_id, contact_id, role, created_at) VALUES ($1, $2, $3, $4)";

/// Inserts a contact with its points and custom values, linked to a customer, on transaction `$tx`
/// (`?` inside); evaluates to the new id. Creating, seeding and importing all go through it.
macro_rules! insert_contact {
    ($tx:expr, $v:expr, $customer_id:expr, $role:expr, $user_id:expr, $at:expr) => {{
        let v = $v;
        let id: i64 = sqlx::query_scalar($crate::contacts::store::INSERT)
            .bind(&v.name)
            .bind($crate::customers::search_key(&v.name))
            .bind(&v.position)
            .bind(&v.birthday)
            .bind(&v.notes)
            .bind($user_id)
            .bind($at)
            .fetch_one(&mut *$tx)
            .await?;
        $crate::contacts::store::write_points!($tx, id, v);
        $crate::save_custom!($tx, id, &v.custom)?;
        sqlx::query($crate::contacts::store::LINK)
            .bind($customer_id)
            .bind(id)
            .bind($role)
            .bind($at)
            .execute(&mut *$tx)
            .await?;
        id
    }};
}
pub(crate) use insert_contact;

/// Creates a contact linked to `customer_id` with `role`, on the customer's timeline.
pub async fn create(
    db: &Db,
    user_id: i64,
    customer_id: i64,
    v: &ContactValues,
    role: Option<&str>,
    custom_changes: &[FieldChange],
) -> Result<Contact, AppError> {
    let now = now_millis();
    let mut changes = v.changes_from(None);
    changes.extend_from_slice(custom_changes);
    let id: i64 = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let id = insert_contact!(tx, v, customer_id, role, user_id, now);
        crate::audit!(tx, customer_id, "contact", id, "created", &changes, user_id, now)?;
        tx.commit().await.map(|_| id)
    })?;
    get(db, id).await
}

/// Saves new values if `version` is current (`Conflict` otherwise); every linked customer's timeline gets it.
pub async fn update(
    db: &Db,
    user_id: i64,
    c: &Contact,
    version: i64,
    v: &ContactValues,
    changes: &[FieldChange],
) -> Result<Contact, AppError> {
    let now = now_millis();
    let sql = "UPDATE contacts SET name = $1, name_search = $2, position = $3, birthday = $4, notes = $5, \
               updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8";
    let done: u64 = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let n = sqlx::query(sql)
            .bind(&v.name).bind(search_key(&v.name)).bind(&v.position).bind(&v.birthday).bind(&v.notes)
            .bind(now).bind(c.id).bind(version)
            .execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            write_points!(tx, c.id, v);
            crate::save_custom!(tx, c.id, &v.custom)?;
            if let Some((customer, role)) = &v.role {
                sqlx::query("UPDATE customer_contacts SET role = $1 WHERE customer_id = $2 AND contact_id = $3")
                    .bind(role).bind(customer).bind(c.id).execute(&mut *tx).await?;
            }
            if !changes.is_empty() {
                for link in &c.customers {
                    crate::audit!(tx, link.customer_id, "contact", c.id, "changed", changes, user_id, now)?;
                }
            }
        }
        tx.commit().await.map(|_| n)
    })?;
    if done == 0 {
        return Err(AppError::Conflict);
    }
    get(db, c.id).await
}

/// Links the contact to another customer with a role; linking twice is refused.
pub async fn link(
    db: &Db,
    user_id: i64,
    c: &Contact,
    customer_id: i64,
    role: Option<&str>,
) -> Result<Contact, AppError> {
    let now = now_millis();
    let changes = vec![FieldChange { field: "name".into(), old: None, new: Some(c.name.clone()) }];
    db_run!(db, p => async {
        let mut tx = p.begin_write().await?;
        sqlx::query("INSERT INTO customer_contacts (customer_id, contact_id, role, created_at) VALUES ($1, $2, $3, $4)")
            .bind(customer_id).bind(c.id).bind(role).bind(now).execute(&mut *tx).await?;
        crate::audit!(tx, customer_id, "contact", c.id, "linked", &changes, user_id, now)?;
        tx.commit().await
    }.await)
    .map_err(
        |e| if is_unique_violation(&e) { AppError::field("customer_id", ErrCode::AlreadyThere) } else { e.into() },
    )?;
    get(db, c.id).await
}
