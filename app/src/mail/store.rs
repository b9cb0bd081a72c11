//! SQL for mailboxes, their folders' sync state, messages, attachments and templates, on both databases.

use std::collections::HashMap;

use super::parse::Parsed;
use super::{Folder, MailAttachment, Mailbox, MailboxValues, MessagePage, MessageSummary, Security, Template};
use crate::core::db::{BeginWrite, Db};
use crate::core::identity::CurrentUser;
use crate::core::{AppError, ErrCode, Millis, now_millis};
use crate::customers::store::{Arg, bind_args, push_cond};
use crate::db_run;

/// A mailbox with what only the server sees.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailboxRow {
    pub id: i64,
    pub owner_id: Option<i64>,
    pub name: String,
    pub address: String,
    pub login: String,
    pub password_enc: String,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_security: String,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: String,
    pub active: bool,
    pub version: i64,
}

impl MailboxRow {
    pub fn imap_security(&self) -> Security {
        Security::parse(&self.imap_security).unwrap_or(Security::Tls)
    }

    pub fn smtp_security(&self) -> Security {
        Security::parse(&self.smtp_security).unwrap_or(Security::Tls)
    }

    /// Whether `user` may read and send from it: its owner, anyone for a shared one, administrators.
    pub fn usable_by(&self, user: &CurrentUser) -> bool {
        self.owner_id.is_none_or(|o| o == user.id) || user.is_admin()
    }
}

const ROW: &str = "SELECT id, owner_id, name, address, login, password_enc, imap_host, imap_port, imap_security, \
    smtp_host, smtp_port, smtp_security, active, version FROM mailboxes";

pub async fn mailbox_row(db: &Db, id: i64) -> Result<MailboxRow, AppError> {
    let sql = format!("{ROW} WHERE id = $1");
    let row: Option<MailboxRow> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    row.ok_or(AppError::NotFound)
}

#[derive(sqlx::FromRow)]
struct ListRow {
    id: i64,
    owner_id: Option<i64>,
    owner_name: Option<String>,
    name: String,
    address: String,
    login: String,
    imap_host: String,
    imap_port: i64,
    imap_security: String,
    smtp_host: String,
    smtp_port: i64,
    smtp_security: String,
    status: String,
    last_error: Option<String>,
    last_sync_at: Option<i64>,
    locked_until: Option<i64>,
    messages: i64,
    unsorted: i64,
    version: i64,
}

const LIST: &str = "SELECT m.id, m.owner_id, u.name AS owner_name, m.name, m.address, m.login, m.imap_host, \
    m.imap_port, m.imap_security, m.smtp_host, m.smtp_port, m.smtp_security, m.status, m.last_error, \
    m.last_sync_at, m.locked_until, \
    (SELECT COUNT(*) FROM mail_messages x WHERE x.mailbox_id = m.id) AS messages, \
    (SELECT COUNT(*) FROM mail_messages x WHERE x.mailbox_id = m.id AND x.customer_id IS NULL) AS unsorted, \
    m.version FROM mailboxes m LEFT JOIN users u ON u.id = m.owner_id WHERE m.active";

fn to_mailbox(r: ListRow, now: Millis) -> Mailbox {
    Mailbox {
        id: r.id,
        owner_id: r.owner_id,
        owner_name: r.owner_name,
        name: r.name,
        address: r.address,
        login: r.login,
        imap_host: r.imap_host,
        imap_port: r.imap_port,
        imap_security: Security::parse(&r.imap_security).unwrap_or(Security::Tls),
        smtp_host: r.smtp_host,
        smtp_port: r.smtp_port,
        smtp_security: Security::parse(&r.smtp_security).unwrap_or(Security::Tls),
        status: r.status,
        syncing: r.locked_until.is_some_and(|l| l > now),
        last_error: r.last_error,
        last_sync_at: r.last_sync_at,
        messages: r.messages,
        unsorted: r.unsorted,
        version: r.version,
    }
}

/// The mailboxes `user` may use (administrators: all), shared ones first.
pub async fn list_mailboxes(db: &Db, user: &CurrentUser) -> Result<Vec<Mailbox>, AppError> {
    let mut sql = LIST.to_string();
    if !user.is_admin() {
        sql.push_str(" AND (m.owner_id IS NULL OR m.owner_id = $1)");
    }
    sql.push_str(" ORDER BY m.owner_id IS NOT NULL, m.name, m.id");
    let rows: Vec<ListRow> = db_run!(db, p => {
        let q = sqlx::query_as(&sql);
        let q = if user.is_admin() { q } else { q.bind(user.id) };
        q.fetch_all(p).await
    })?;
    let now = now_millis();
    Ok(rows.into_iter().map(|r| to_mailbox(r, now)).collect())
}

/// The ids of the active mailboxes `user` may use (what [`list_mailboxes`] lists, without its counts).
pub async fn usable_ids(db: &Db, user: &CurrentUser) -> Result<Vec<i64>, AppError> {
    let sql = if user.is_admin() {
        "SELECT id FROM mailboxes WHERE active ORDER BY id"
    } else {
        "SELECT id FROM mailboxes WHERE active AND (owner_id IS NULL OR owner_id = $1) ORDER BY id"
    };
    Ok(db_run!(db, p => {
        let q = sqlx::query_scalar(sql);
        let q = if user.is_admin() { q } else { q.bind(user.id) };
        q.fetch_all(p).await
    })?)
}

/// One mailbox as users see it.
pub async fn mailbox(db: &Db, id: i64) -> Result<Mailbox, AppError> {
    let sql = format!("{LIST} AND m.id = $1");
    let row: Option<ListRow> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    row.map(|r| to_mailbox(r, now_millis())).ok_or(AppError::NotFound)
}

pub async fn insert_mailbox(
    db: &Db,
    owner: Option<i64>,
    v: &MailboxValues,
    password_enc: &str,
) -> Result<i64, AppError> {
    let sql = "INSERT INTO mailboxes (owner_id, name, address, login, password_enc, imap_host, imap_port, imap_security, \
               smtp_host, smtp_port, smtp_security, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id";
    let id: i64 = db_run!(db, p => sqlx::query_scalar(sql).bind(owner).bind(&v.name).bind(&v.address).bind(&v.login)
        .bind(password_enc).bind(&v.imap_host).bind(v.imap_port).bind(v.imap_security.code()).bind(&v.smtp_host)
        .bind(v.smtp_port).bind(v.smtp_security.code()).bind(now_millis()).fetch_one(p).await)?;
    Ok(id)
}

/// Saves changed settings if `version` is current; a new sync is asked for (the server may have changed).
pub async fn update_mailbox(
    db: &Db,
    id: i64,
    version: i64,
    v: &MailboxValues,
    password_enc: &str,
) -> Result<(), AppError> {
    let sql = "UPDATE mailboxes SET name = $1, address = $2, login = $3, password_enc = $4, imap_host = $5, \
               imap_port = $6, imap_security = $7, smtp_host = $8, smtp_port = $9, smtp_security = $10, \
               sync_requested = TRUE, updated_at = $11, version = version + 1 WHERE id = $12 AND version = $13 AND active";
    let n = db_run!(db, p => sqlx::query(sql).bind(&v.name).bind(&v.address).bind(&v.login).bind(password_enc)
        .bind(&v.imap_host).bind(v.imap_port).bind(v.imap_security.code()).bind(&v.smtp_host).bind(v.smtp_port)
        .bind(v.smtp_security.code()).bind(now_millis()).bind(id).bind(version)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if n == 1 { Ok(()) } else { Err(AppError::Conflict) }
}

/// Disconnects a mailbox: no more syncing or sending; its messages stay (on customers' timelines too).
pub async fn deactivate_mailbox(db: &Db, id: i64) -> Result<(), AppError> {
    let sql = "UPDATE mailboxes SET active = FALSE, updated_at = $1, version = version + 1 WHERE id = $2";
    db_run!(db, p => sqlx::query(sql).bind(now_millis()).bind(id).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// Asks for a sync as soon as a server is free.
pub async fn request_sync(db: &Db, id: i64) -> Result<(), AppError> {
    let sql = "UPDATE mailboxes SET sync_requested = TRUE WHERE id = $1 AND active";
    db_run!(db, p => sqlx::query(sql).bind(id).execute(p).await.map(|_| ()))?;
    Ok(())
}

const DUE: &str = "active AND (locked_until IS NULL OR locked_until < $1) \
    AND (sync_requested OR last_sync_at IS NULL OR last_sync_at < $2)";

/// Claims the mailbox most in need of a sync (asked for first, then the longest waiting) for `lease_ms`;
/// `None` when none is due. A cheap read comes first, so an idle server writes nothing.
pub async fn claim_due(db: &Db, every_ms: i64, lease_ms: i64) -> Result<Option<i64>, AppError> {
    let now = now_millis();
    let probe = format!(
        "SELECT id FROM mailboxes WHERE {DUE} ORDER BY sync_requested DESC, COALESCE(last_sync_at, 0), id LIMIT 1"
    );
    let Some(id) = db_run!(db, p => sqlx::query_scalar::<_, i64>(&probe).bind(now).bind(now - every_ms)
        .fetch_optional(p).await)?
    else {
        return Ok(None);
    };
    Ok(claim(db, id, now, every_ms, lease_ms).await?.then_some(id))
}

/// Takes the lease of one mailbox if it is due (another server may have taken it first).
async fn claim(db: &Db, id: i64, now: Millis, every_ms: i64, lease_ms: i64) -> Result<bool, AppError> {
    let sql = format!("UPDATE mailboxes SET locked_until = $3 WHERE id = $4 AND {DUE}");
    let n = db_run!(db, p => sqlx::query(&sql).bind(now).bind(now - every_ms).bind(now + lease_ms).bind(id)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Takes the lease of one mailbox now, whether or not it is due (a sync run by hand or by a test); false
/// while another sync holds it.
pub async fn claim_now(db: &Db, id: i64, lease_ms: i64) -> Result<bool, AppError> {
    let now = now_millis();
    let sql = "UPDATE mailboxes SET locked_until = $1 WHERE id = $2 AND active \
               AND (locked_until IS NULL OR locked_until < $3)";
    let n = db_run!(db, p => sqlx::query(sql).bind(now + lease_ms).bind(id).bind(now)
        .execute(p).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Records how a sync ended and releases the lease.
pub async fn finish_sync(db: &Db, id: i64, error: Option<&str>) -> Result<(), AppError> {
    let sql = "UPDATE mailboxes SET status = $1, last_error = $2, last_sync_at = $3, sync_requested = FALSE, \
               locked_until = NULL WHERE id = $4";
    let status = if error.is_some() { "error" } else { "ok" };
    db_run!(db, p => sqlx::query(sql).bind(status).bind(error).bind(now_millis()).bind(id).execute(p).await.map(|_| ()))?;
    Ok(())
}

/// Where a folder's sync stands: `(name, uidvalidity, last_uid)`.
pub async fn folder_state(db: &Db, mailbox_id: i64, folder: Folder) -> Result<Option<(String, i64, i64)>, AppError> {
    let sql = "SELECT name, uidvalidity, last_uid FROM mail_folders WHERE mailbox_id = $1 AND role = $2";
    Ok(db_run!(db, p => sqlx::query_as(sql).bind(mailbox_id).bind(folder.code()).fetch_optional(p).await)?)
}

/// Starts (or restarts, after a UIDVALIDITY change) a folder's sync from the beginning.
pub async fn reset_folder(
    db: &Db,
    mailbox_id: i64,
    folder: Folder,
    name: &str,
    uidvalidity: i64,
) -> Result<(), AppError> {
    let sql = "INSERT INTO mail_folders (mailbox_id, role, name, uidvalidity, last_uid) VALUES ($1, $2, $3, $4, 0) \
               ON CONFLICT (mailbox_id, role) DO UPDATE SET name = $3, uidvalidity = $4, last_uid = 0";
    db_run!(db, p => sqlx::query(sql).bind(mailbox_id).bind(folder.code()).bind(name).bind(uidvalidity)
        .execute(p).await.map(|_| ()))?;
    Ok(())
}

/// A message fetched from a folder, ready to store.
#[derive(Debug)]
pub struct Fetched {
    pub uid: i64,
    pub size: i64,
    pub parsed: Parsed,
    /// `too_large` when only the headers were fetched.
    pub problem: Option<&'static str>,
}

/// Who an address belongs to: `(customer, contact)`.
pub type Owner = (i64, Option<i64>);

/// The customer an e-mail address belongs to: a contact person's address first, then a customer's own.
pub async fn owner_of(db: &Db, address: &str) -> Result<Option<Owner>, AppError> {
    let via_contact = "SELECT l.customer_id, p.contact_id FROM contact_points p \
                       JOIN customer_contacts l ON l.contact_id = p.contact_id \
                       WHERE p.kind = 'email' AND p.value = $1 ORDER BY l.created_at DESC LIMIT 1";
    let found: Option<(i64, i64)> =
        db_run!(db, p => sqlx::query_as(via_contact).bind(address).fetch_optional(p).await)?;
    if let Some((customer, contact)) = found {
        return Ok(Some((customer, Some(contact))));
    }
    let own = "SELECT id FROM customers WHERE email = $1 ORDER BY id LIMIT 1";
    let found: Option<i64> = db_run!(db, p => sqlx::query_scalar(own).bind(address).fetch_optional(p).await)?;
    Ok(found.map(|c| (c, None)))
}

/// Finds owners of addresses, remembering answers (a sync meets the same addresses again and again).
#[derive(Default)]
pub struct OwnerCache(HashMap<String, Option<Owner>>);

impl OwnerCache {
    /// The first of `addresses` that belongs to a customer.
    pub async fn first(&mut self, db: &Db, addresses: &[String]) -> Result<Option<Owner>, AppError> {
        for a in addresses {
            let found = match self.0.get(a) {
                Some(f) => *f,
                None => {
                    let f = owner_of(db, a).await?;
                    self.0.insert(a.clone(), f);
                    f
                }
            };
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }
}

/// Longest text an interaction keeps of a message (the whole message stays in the mail store).
const INTERACTION_BODY_CHARS: usize = 20_000;

/// What the import of one batch needs to know of the mailbox.
pub struct Target<'a> {
    pub mailbox: &'a MailboxRow,
    pub folder: Folder,
    pub uidvalidity: i64,
}

/// Stores a batch of fetched messages and moves the folder's `last_uid` to `last_uid`, in one transaction:
/// a crash leaves either all of the batch or none, so the next sync starts where this one committed.
/// A message already stored under its UID is skipped; one sent from Karvon (no UID yet) or stored under an
/// older UIDVALIDITY is matched by Message-ID and given its new UID instead of a second copy.
/// `owners[i]` is the customer matched to `batch[i]` by address. Returns how many messages were new.
pub async fn import_batch(
    db: &Db,
    t: &Target<'_>,
    batch: &[Fetched],
    owners: &[Option<Owner>],
    last_uid: i64,
) -> Result<u64, AppError> {
    let mb = t.mailbox;
    let folder = t.folder.code();
    let direction = if t.folder == Folder::Sent { "out" } else { "in" };
    let now = now_millis();
    let adopt = "UPDATE mail_messages SET uidvalidity = $1, uid = $2 WHERE mailbox_id = $3 AND folder = $4 \
                 AND message_id = $5 AND (uid IS NULL OR uidvalidity <> $1)";
    let parent_sql = "SELECT thread_id, customer_id, contact_id FROM mail_messages WHERE mailbox_id = $1 \
                      AND message_id = $2 ORDER BY id LIMIT 1";
    let insert = "INSERT INTO mail_messages (mailbox_id, folder, uidvalidity, uid, message_id, in_reply_to, direction, \
                  from_addr, from_name, to_addrs, cc_addrs, subject, sent_at, body_text, body_html, size, problem, \
                  customer_id, contact_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                  $14, $15, $16, $17, $18, $19, $20) ON CONFLICT DO NOTHING RETURNING id";
    let interaction = "INSERT INTO interactions (customer_id, contact_id, kind, direction, status, subject, body, \
                       occurred_at, author_id, created_at, updated_at) \
                       VALUES ($1, $2, 'email', $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
    let finish_msg = "UPDATE mail_messages SET thread_id = $1, interaction_id = $2 WHERE id = $3";
    let adopt_children = "UPDATE mail_messages SET thread_id = $1 WHERE mailbox_id = $2 AND in_reply_to = $3 \
                          AND thread_id = id AND id <> $4";
    let attach =
        "INSERT INTO mail_attachments (message_id, file_name, content_type, size, data) VALUES ($1, $2, $3, $4, $5)";
    let folder_sql = "UPDATE mail_folders SET last_uid = $1 WHERE mailbox_id = $2 AND role = $3 AND last_uid < $1";
    let new = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let mut new = 0u64;
        for (m, owner) in batch.iter().zip(owners) {
            let pm = &m.parsed;
            if let Some(mid) = &pm.message_id {
                let n = sqlx::query(adopt).bind(t.uidvalidity).bind(m.uid).bind(mb.id).bind(folder).bind(mid)
                    .execute(&mut *tx).await?.rows_affected();
                if n > 0 {
                    continue;
                }
            }
            // The thread: the nearest parent known here (In-Reply-To, then References from the newest).
            let mut parent: Option<(Option<i64>, Option<i64>, Option<i64>)> = None;
            for r in pm.in_reply_to.iter().chain(pm.references.iter().rev()) {
                parent = sqlx::query_as(parent_sql).bind(mb.id).bind(r).fetch_optional(&mut *tx).await?;
                if parent.is_some() {
                    break;
                }
            }
            // A reply belongs to the customer its thread belongs to, even from an address not on file.
            let owner = (*owner).or_else(|| parent.and_then(|(_, c, ct)| c.map(|c| (c, ct))));
            let sent_at = pm.date.filter(|d| *d > 0 && *d < now + 86_400_000).unwrap_or(now);
            let problem = m.problem.or(pm.problem);
            let id: Option<i64> = sqlx::query_scalar(insert)
                .bind(mb.id).bind(folder).bind(t.uidvalidity).bind(m.uid).bind(&pm.message_id)
                .bind(&pm.in_reply_to).bind(direction).bind(&pm.from_addr).bind(&pm.from_name)
                .bind(pm.to.join(", ")).bind(pm.cc.join(", ")).bind(&pm.subject).bind(sent_at)
                .bind(&pm.body_text).bind(&pm.body_html).bind(m.size).bind(problem)
                .bind(owner.map(|o| o.0)).bind(owner.and_then(|o| o.1)).bind(now)
                .fetch_optional(&mut *tx).await?;
            let Some(id) = id else { continue };
            new += 1;
            let thread = parent.and_then(|p| p.0).unwrap_or(id);
            let interaction_id: Option<i64> = match owner {
                Some((customer, contact)) => {
                    let (status, author) = if direction == "out" { ("sent", mb.owner_id) } else { ("received", None) };
                    let body = pm.body_text.as_deref().map(|b| b.chars().take(INTERACTION_BODY_CHARS).collect::<String>());
                    Some(sqlx::query_scalar(interaction).bind(customer).bind(contact).bind(direction).bind(status)
                        .bind(&pm.subject).bind(body).bind(sent_at).bind(author).bind(now)
                        .fetch_one(&mut *tx).await?)
                }
                None => None,
            };
            sqlx::query(finish_msg).bind(thread).bind(interaction_id).bind(id).execute(&mut *tx).await?;
            if let Some(mid) = &pm.message_id {
                sqlx::query(adopt_children).bind(thread).bind(mb.id).bind(mid).bind(id).execute(&mut *tx).await?;
            }
            for a in &pm.attachments {
                sqlx::query(attach).bind(id).bind(&a.file_name).bind(&a.content_type).bind(a.size as i64)
                    .bind(a.data.as_deref()).execute(&mut *tx).await?;
            }
        }
        sqlx::query(folder_sql).bind(last_uid).bind(mb.id).bind(folder).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok::<u64, sqlx::Error>(new)
    })?;
    Ok(new)
}

/// A message sent from Karvon, stored before the Sent folder's sync sees it (then it gets its UID).
pub struct Outgoing<'a> {
    pub mailbox_id: i64,
    pub message_id: &'a str,
    pub in_reply_to: Option<&'a str>,
    pub thread_id: Option<i64>,
    pub from: &'a str,
    pub from_name: &'a str,
    pub to: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    pub size: i64,
    pub customer_id: i64,
    pub contact_id: Option<i64>,
    pub author: i64,
    pub attachments: &'a [super::send::OutAttachment],
}

/// Stores a sent message and its interaction in one transaction; returns the message's id.
pub async fn record_sent(db: &Db, o: &Outgoing<'_>) -> Result<i64, AppError> {
    let now = now_millis();
    let interaction = "INSERT INTO interactions (customer_id, contact_id, kind, direction, status, subject, body, \
                       occurred_at, author_id, created_at, updated_at) \
                       VALUES ($1, $2, 'email', 'out', 'sent', $3, $4, $5, $6, $5, $5) RETURNING id";
    let insert = "INSERT INTO mail_messages (mailbox_id, folder, message_id, in_reply_to, direction, from_addr, \
                  from_name, to_addrs, subject, sent_at, body_text, size, customer_id, contact_id, interaction_id, \
                  created_at) VALUES ($1, 'sent', $2, $3, 'out', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $8) \
                  RETURNING id";
    let thread = "UPDATE mail_messages SET thread_id = COALESCE($1, id) WHERE id = $2";
    let id = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        let body: String = o.body.chars().take(INTERACTION_BODY_CHARS).collect();
        let interaction_id: i64 = sqlx::query_scalar(interaction).bind(o.customer_id).bind(o.contact_id)
            .bind(o.subject).bind(body).bind(now).bind(o.author).fetch_one(&mut *tx).await?;
        let id: i64 = sqlx::query_scalar(insert).bind(o.mailbox_id).bind(o.message_id).bind(o.in_reply_to)
            .bind(o.from).bind(o.from_name).bind(o.to.join(", ")).bind(o.subject).bind(now).bind(o.body).bind(o.size)
            .bind(o.customer_id).bind(o.contact_id).bind(interaction_id).fetch_one(&mut *tx).await?;
        sqlx::query(thread).bind(o.thread_id).bind(id).execute(&mut *tx).await?;
        for a in o.attachments {
            sqlx::query("INSERT INTO mail_attachments (message_id, file_name, content_type, size, data) \
                         VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(&a.file_name).bind(&a.content_type).bind(a.data.len() as i64).bind(&a.data)
                .execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<i64, sqlx::Error>(id)
    })?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    mailbox_id: i64,
    folder: String,
    direction: String,
    from_addr: Option<String>,
    from_name: Option<String>,
    to_addrs: String,
    subject: Option<String>,
    sent_at: i64,
    thread_id: Option<i64>,
    problem: Option<String>,
    customer_id: Option<i64>,
    customer_name: Option<String>,
    attachment_count: i64,
}

impl SummaryRow {
    fn into_summary(self) -> MessageSummary {
        MessageSummary {
            id: self.id,
            mailbox_id: self.mailbox_id,
            folder: Folder::parse(&self.folder).unwrap_or(Folder::Inbox),
            direction: self.direction,
            from_addr: self.from_addr,
            from_name: self.from_name,
            to_addrs: self.to_addrs,
            subject: self.subject,
            sent_at: self.sent_at,
            thread_id: self.thread_id,
            problem: self.problem,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            attachment_count: self.attachment_count,
        }
    }
}

const SUMMARY: &str = "SELECT m.id, m.mailbox_id, m.folder, m.direction, m.from_addr, m.from_name, m.to_addrs, \
    m.subject, m.sent_at, m.thread_id, m.problem, m.customer_id, c.name AS customer_name, \
    (SELECT COUNT(*) FROM mail_attachments a WHERE a.message_id = m.id) AS attachment_count \
    FROM mail_messages m LEFT JOIN customers c ON c.id = m.customer_id";

/// A page of messages, newest first: of the given mailboxes (all of them unless `customer_id`), or of one
/// customer. `mailboxes` limits what is listed to what the user may read.
pub async fn list_messages(
    db: &Db,
    mailboxes: &[i64],
    customer_id: Option<i64>,
    unsorted: bool,
    cursor: Option<&str>,
    limit: i64,
) -> Result<MessagePage, AppError> {
    let mut sql = format!("{SUMMARY} WHERE 1 = 1");
    let mut args: Vec<Arg> = Vec::new();
    if let Some(c) = customer_id {
        push_cond(&mut sql, &mut args, " AND m.customer_id = #", Arg::I(c));
    } else {
        if mailboxes.is_empty() {
            return Ok(MessagePage { items: Vec::new(), next_cursor: None });
        }
        let start = args.len();
        args.extend(mailboxes.iter().map(|m| Arg::I(*m)));
        sql.push_str(&format!(
            " AND m.mailbox_id IN ({})",
            crate::core::db::placeholders_after(start, mailboxes.len())
        ));
    }
    if unsorted {
        sql.push_str(" AND m.customer_id IS NULL");
    }
    if let Some(c) = cursor.filter(|c| !c.is_empty()) {
        let (at, id) = crate::interactions::store::parse_position(c)
            .ok_or_else(|| AppError::field("cursor", ErrCode::InvalidChoice))?;
        args.push(Arg::I(at));
        args.push(Arg::I(id));
        let (a, b) = (args.len() - 1, args.len());
        sql.push_str(&format!(" AND (m.sent_at, m.id) < (${a}, ${b})"));
    }
    args.push(Arg::I(limit + 1));
    sql.push_str(&format!(" ORDER BY m.sent_at DESC, m.id DESC LIMIT ${}", args.len()));
    let rows: Vec<SummaryRow> = db_run!(db, p => bind_args!(sqlx::query_as(&sql), &args).fetch_all(p).await)?;
    let mut items: Vec<MessageSummary> = rows.into_iter().map(SummaryRow::into_summary).collect();
    let next_cursor = if items.len() as i64 > limit {
        items.truncate(limit as usize);
        items.last().map(|m| format!("{}_{}", m.sent_at, m.id))
    } else {
        None
    };
    Ok(MessagePage { items, next_cursor })
}

/// One message's summary.
pub async fn summary(db: &Db, id: i64) -> Result<MessageSummary, AppError> {
    let sql = format!("{SUMMARY} WHERE m.id = $1");
    let row: Option<SummaryRow> = db_run!(db, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
    row.map(SummaryRow::into_summary).ok_or(AppError::NotFound)
}

/// The rest of a message: `(message_id, cc, text, html, contact_id, interaction_id)`.
pub type Details = (Option<String>, String, Option<String>, Option<String>, Option<i64>, Option<i64>);

pub async fn details(db: &Db, id: i64) -> Result<Details, AppError> {
    let sql = "SELECT message_id, cc_addrs, body_text, body_html, contact_id, interaction_id FROM mail_messages WHERE id = $1";
    let row: Option<Details> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    row.ok_or(AppError::NotFound)
}

/// The messages of a thread, oldest first (at most 200).
pub async fn thread(db: &Db, thread_id: i64) -> Result<Vec<MessageSummary>, AppError> {
    let sql = format!("{SUMMARY} WHERE m.thread_id = $1 ORDER BY m.sent_at, m.id LIMIT 200");
    let rows: Vec<SummaryRow> = db_run!(db, p => sqlx::query_as(&sql).bind(thread_id).fetch_all(p).await)?;
    Ok(rows.into_iter().map(SummaryRow::into_summary).collect())
}

pub async fn attachments(db: &Db, message_id: i64) -> Result<Vec<MailAttachment>, AppError> {
    let sql = "SELECT id, file_name, content_type, size, data IS NOT NULL AS stored FROM mail_attachments \
               WHERE message_id = $1 ORDER BY id";
    let rows: Vec<(i64, String, String, i64, bool)> =
        db_run!(db, p => sqlx::query_as(sql).bind(message_id).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, file_name, content_type, size, stored)| MailAttachment { id, file_name, content_type, size, stored })
        .collect())
}

/// A stored attachment: its description, message and bytes (`NotFound` when it was over the limit).
pub async fn attachment(db: &Db, id: i64) -> Result<(MailAttachment, i64, Vec<u8>), AppError> {
    let sql = "SELECT id, file_name, content_type, size, message_id, data FROM mail_attachments WHERE id = $1";
    type R = (i64, String, String, i64, i64, Option<Vec<u8>>);
    let row: Option<R> = db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let (id, file_name, content_type, size, message_id, data) = row.ok_or(AppError::NotFound)?;
    let data = data.ok_or(AppError::NotFound)?;
    Ok((MailAttachment { id, file_name, content_type, size, stored: true }, message_id, data))
}

/// Links a message not yet linked, and the unlinked rest of its thread, to a customer, putting each on the
/// timeline. Returns how many messages were linked.
pub async fn link(
    db: &Db,
    message_id: i64,
    customer_id: i64,
    contact_id: Option<i64>,
    author: Option<i64>,
) -> Result<u64, AppError> {
    let pick = "SELECT m.id, m.direction, m.subject, m.body_text, m.sent_at, b.owner_id FROM mail_messages m \
                JOIN mailboxes b ON b.id = m.mailbox_id WHERE m.customer_id IS NULL AND (m.id = $1 OR \
                (m.thread_id = (SELECT thread_id FROM mail_messages WHERE id = $1))) ORDER BY m.id LIMIT 500";
    let interaction = "INSERT INTO interactions (customer_id, contact_id, kind, direction, status, subject, body, \
                       occurred_at, author_id, created_at, updated_at) \
                       VALUES ($1, $2, 'email', $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
    let set = "UPDATE mail_messages SET customer_id = $1, contact_id = $2, interaction_id = $3 \
               WHERE id = $4 AND customer_id IS NULL";
    let now = now_millis();
    let n = db_run!(db, p => {
        let mut tx = p.begin_write().await?;
        type R = (i64, String, Option<String>, Option<String>, i64, Option<i64>);
        let rows: Vec<R> = sqlx::query_as(pick).bind(message_id).fetch_all(&mut *tx).await?;
        let mut n = 0u64;
        for (id, direction, subject, body, sent_at, owner) in rows {
            let (status, by) = if direction == "out" { ("sent", owner.or(author)) } else { ("received", None) };
            let body = body.map(|b| b.chars().take(INTERACTION_BODY_CHARS).collect::<String>());
            let iid: i64 = sqlx::query_scalar(interaction).bind(customer_id).bind(contact_id).bind(&direction)
                .bind(status).bind(&subject).bind(body).bind(sent_at).bind(by).bind(now).fetch_one(&mut *tx).await?;
            n += sqlx::query(set).bind(customer_id).bind(contact_id).bind(iid).bind(id)
                .execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok::<u64, sqlx::Error>(n)
    })?;
    Ok(n)
}

/// The message an interaction came from, if any.
pub async fn by_interaction(db: &Db, interaction_id: i64) -> Result<Option<i64>, AppError> {
    let sql = "SELECT id FROM mail_messages WHERE interaction_id = $1";
    Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(interaction_id).fetch_optional(p).await)?)
}

pub async fn templates(db: &Db) -> Result<Vec<Template>, AppError> {
    let sql = "SELECT id, name, subject, body, version FROM mail_templates ORDER BY name, id LIMIT 500";
    let rows: Vec<(i64, String, String, String, i64)> = db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, subject, body, version)| Template { id, name, subject, body, version })
        .collect())
}

pub async fn template(db: &Db, id: i64) -> Result<Template, AppError> {
    let sql = "SELECT id, name, subject, body, version FROM mail_templates WHERE id = $1";
    let row: Option<(i64, String, String, String, i64)> =
        db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
    let (id, name, subject, body, version) = row.ok_or(AppError::NotFound)?;
    Ok(Template { id, name, subject, body, version })
}

/// The author of a template (`None` for one whose author is unknown), or `NotFound`.
pub async fn template_author(db: &Db, id: i64) -> Result<Option<i64>, AppError> {
    let author: Option<Option<i64>> = db_run!(db, p => sqlx::query_scalar("SELECT created_by FROM mail_templates WHERE id = $1")
        .bind(id).fetch_optional(p).await)?;
    author.ok_or(AppError::NotFound)
}

/// Inserts a template, or with `id` (and the version it was read at) changes one (`Conflict` when stale).
pub async fn save_template(
    db: &Db,
    id: Option<(i64, i64)>,
    author: i64,
    name: &str,
    subject: &str,
    body: &str,
) -> Result<i64, AppError> {
    let now = now_millis();
    match id {
        Some((id, version)) => {
            let sql = "UPDATE mail_templates SET name = $1, subject = $2, body = $3, updated_at = $4, \
                       version = version + 1 WHERE id = $5 AND version = $6";
            let n = db_run!(db, p => sqlx::query(sql).bind(name).bind(subject).bind(body).bind(now).bind(id)
                .bind(version).execute(p).await.map(|r| r.rows_affected()))?;
            if n == 1 { Ok(id) } else { Err(AppError::Conflict) }
        }
        None => {
            let sql = "INSERT INTO mail_templates (name, subject, body, created_by, created_at, updated_at) \
                       VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
            Ok(db_run!(db, p => sqlx::query_scalar(sql).bind(name).bind(subject).bind(body).bind(author).bind(now)
                .fetch_one(p).await)?)
        }
    }
}

pub async fn delete_template(db: &Db, id: i64) -> Result<(), AppError> {
    let n = db_run!(db, p => sqlx::query("DELETE FROM mail_templates WHERE id = $1").bind(id)
        .execute(p).await.map(|r| r.rows_affected()))?;
    if n == 1 { Ok(()) } else { Err(AppError::NotFound) }
}

/// Extends a running sync's lease.
pub async fn renew_lease(db: &Db, id: i64, lease_ms: i64) -> Result<(), AppError> {
    let sql = "UPDATE mailboxes SET locked_until = $1 WHERE id = $2";
    db_run!(db, p => sqlx::query(sql).bind(now_millis() + lease_ms).bind(id).execute(p).await.map(|_| ()))?;
    Ok(())
}
