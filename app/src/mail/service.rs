//! Mail operations with their rules. A mailbox is used by its owner (a shared one by everyone); an
//! administrator manages all of them. A message is readable by whoever may use its mailbox, and, once it
//! is linked to a customer, by whoever may see that customer: correspondence stays with the customer when
//! a manager leaves.

use super::crypto;
use super::imap::MailError;
use super::send::{self, Draft};
use super::store::{self, MailboxRow};
use super::{Mailbox, MailboxInput, Message, MessageFilter, MessagePage, MessageSummary, NewMail, Sent, Template};
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, Checks, ErrCode};
use crate::customers::store as customers;
use crate::db_run;

/// The error shown next to a field for a mail server's failure.
fn field_error(field: &str, e: &MailError) -> AppError {
    let code = match e {
        MailError::Auth(_) => ErrCode::MailLoginFailed,
        MailError::Key => ErrCode::MailKeyMissing,
        MailError::Protocol(_) => ErrCode::MailRefused,
        MailError::PrivateHost(_) => ErrCode::MailPrivateHost,
        _ => ErrCode::MailUnreachable,
    };
    AppError::field(field, code)
}

fn key() -> Result<&'static crypto::MailKey, AppError> {
    crypto::key().ok_or_else(|| AppError::field("password", ErrCode::MailKeyMissing))
}

/// A mailbox `user` may use.
pub async fn usable(db: &Db, user: &CurrentUser, id: i64) -> Result<MailboxRow, AppError> {
    let mb = store::mailbox_row(db, id).await?;
    if !mb.active || !mb.usable_by(user) {
        return Err(AppError::NotFound);
    }
    Ok(mb)
}

pub async fn list(db: &Db, user: &CurrentUser) -> Result<Vec<Mailbox>, AppError> {
    store::list_mailboxes(db, user).await
}

pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Mailbox, AppError> {
    usable(db, user, id).await?;
    store::mailbox(db, id).await
}

/// Checks the settings by logging in (IMAP and SMTP); a failure is reported on the field it concerns.
async fn check_servers(row: &MailboxRow, password: &str) -> Result<(), AppError> {
    send::check_login(row, password).await.map_err(|(which, e)| {
        let field = match (&e, which) {
            (MailError::Auth(_), _) => "password",
            (_, "smtp") => "smtp_host",
            _ => "imap_host",
        };
        field_error(field, &e)
    })
}

fn row_of(v: &super::MailboxValues, owner: Option<i64>, password_enc: String) -> MailboxRow {
    MailboxRow {
        id: 0,
        owner_id: owner,
        name: v.name.clone(),
        address: v.address.clone(),
        login: v.login.clone(),
        password_enc,
        imap_host: v.imap_host.clone(),
        imap_port: v.imap_port,
        imap_security: v.imap_security.code().into(),
        smtp_host: v.smtp_host.clone(),
        smtp_port: v.smtp_port,
        smtp_security: v.smtp_security.code().into(),
        active: true,
        version: 1,
    }
}

/// Connects a mailbox after logging in to both servers with it; the first sync follows at once.
pub async fn create(db: &Db, user: &CurrentUser, input: &MailboxInput) -> Result<Mailbox, AppError> {
    let v = input.validate(true)?;
    if v.shared && !user.is_admin() {
        return Err(AppError::field("shared", ErrCode::NotYours));
    }
    let key = key()?;
    let password = v.password.clone().unwrap_or_default();
    let owner = if v.shared { None } else { Some(user.id) };
    check_servers(&row_of(&v, owner, String::new()), &password).await?;
    let id = store::insert_mailbox(db, owner, &v, &key.encrypt(&password)).await?;
    store::mailbox(db, id).await
}

/// Changes a mailbox's settings (its owner or an administrator); they are checked like new ones.
pub async fn update(db: &Db, user: &CurrentUser, id: i64, input: &MailboxInput) -> Result<Mailbox, AppError> {
    let current = usable(db, user, id).await?;
    if current.owner_id.is_none() && !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    let v = input.validate(false)?;
    let version = input.version.ok_or_else(|| AppError::field("version", ErrCode::Required))?;
    if version != current.version {
        return Err(AppError::Conflict);
    }
    let key = key()?;
    let password = match &v.password {
        Some(p) => p.clone(),
        None => key.decrypt(&current.password_enc).ok_or_else(|| AppError::field("password", ErrCode::Required))?,
    };
    check_servers(&row_of(&v, current.owner_id, String::new()), &password).await?;
    store::update_mailbox(db, id, version, &v, &key.encrypt(&password)).await?;
    store::mailbox(db, id).await
}

pub async fn disconnect(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let current = usable(db, user, id).await?;
    if current.owner_id.is_none() && !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    store::deactivate_mailbox(db, id).await
}

/// Asks for a sync as soon as possible (the job picks it up within seconds).
pub async fn request_sync(db: &Db, user: &CurrentUser, id: i64) -> Result<Mailbox, AppError> {
    usable(db, user, id).await?;
    store::request_sync(db, id).await?;
    store::mailbox(db, id).await
}

/// A page of messages: of a customer `user` may see, or of `user`'s mailboxes (one, or all).
pub async fn messages(db: &Db, user: &CurrentUser, f: &MessageFilter) -> Result<MessagePage, AppError> {
    let limit = f.limit.unwrap_or(50).clamp(1, i64::from(crate::core::MAX_PAGE));
    if let Some(c) = f.customer_id {
        customers::get(db, user.scope(), c).await?;
        return store::list_messages(db, &[], Some(c), false, f.cursor.as_deref(), limit).await;
    }
    let mut boxes = store::usable_ids(db, user).await?;
    if let Some(m) = f.mailbox_id {
        if !boxes.contains(&m) {
            return Err(AppError::NotFound);
        }
        boxes = vec![m];
    }
    store::list_messages(db, &boxes, None, f.unsorted, f.cursor.as_deref(), limit).await
}

/// Whether `user` may read a message: through its mailbox, or its customer.
async fn may_read(db: &Db, user: &CurrentUser, m: &MessageSummary) -> Result<bool, AppError> {
    let mb = store::mailbox_row(db, m.mailbox_id).await?;
    if mb.usable_by(user) {
        return Ok(true);
    }
    Ok(match m.customer_id {
        Some(c) => customers::get(db, user.scope(), c).await.is_ok(),
        None => false,
    })
}

/// A whole message with its thread (the messages of it `user` may read).
pub async fn message(db: &Db, user: &CurrentUser, id: i64) -> Result<Message, AppError> {
    let summary = store::summary(db, id).await?;
    if !may_read(db, user, &summary).await? {
        return Err(AppError::NotFound);
    }
    let (message_id, cc_addrs, body_text, body_html, _, _) = store::details(db, id).await?;
    // A thread's messages mostly share one mailbox: each mailbox is looked at once.
    let mut usable: std::collections::HashMap<i64, bool> = std::collections::HashMap::new();
    let mut thread = Vec::new();
    for m in store::thread(db, summary.thread_id.unwrap_or(id)).await? {
        let through_mailbox = match usable.get(&m.mailbox_id) {
            Some(u) => *u,
            None => {
                let u = store::mailbox_row(db, m.mailbox_id).await?.usable_by(user);
                usable.insert(m.mailbox_id, u);
                u
            }
        };
        let readable = m.id == id
            || through_mailbox
            || match m.customer_id {
                Some(c) => customers::get(db, user.scope(), c).await.is_ok(),
                None => false,
            };
        if readable {
            thread.push(m);
        }
    }
    Ok(Message {
        attachments: store::attachments(db, id).await?,
        summary,
        message_id,
        cc_addrs,
        body_text,
        body_html,
        thread,
    })
}

/// A file of message `message_id`, if `user` may read the message.
pub async fn attachment(
    db: &Db,
    user: &CurrentUser,
    message_id: i64,
    id: i64,
) -> Result<(super::MailAttachment, Vec<u8>), AppError> {
    let (info, of, data) = store::attachment(db, id).await?;
    if of != message_id || !may_read(db, user, &store::summary(db, message_id).await?).await? {
        return Err(AppError::NotFound);
    }
    Ok((info, data))
}

/// Links an unsorted message (and the rest of its thread) to a customer `user` may see.
pub async fn link(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    customer_id: i64,
    contact_id: Option<i64>,
) -> Result<Message, AppError> {
    let m = store::summary(db, id).await?;
    let mb = store::mailbox_row(db, m.mailbox_id).await?;
    if !mb.usable_by(user) {
        return Err(AppError::NotFound);
    }
    customers::get(db, user.scope(), customer_id)
        .await
        .map_err(|_| AppError::field("customer_id", ErrCode::CustomerNotFound))?;
    crate::interactions::service::check_contact(db, customer_id, contact_id).await?;
    if m.customer_id.is_some() {
        return Err(AppError::Conflict);
    }
    store::link(db, id, customer_id, contact_id, Some(user.id)).await?;
    message(db, user, id).await
}

/// Creates a customer from an unsorted message's sender (name and address) and links the message to it.
pub async fn create_customer_from(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    name: Option<&str>,
) -> Result<Message, AppError> {
    let m = store::summary(db, id).await?;
    let mb = store::mailbox_row(db, m.mailbox_id).await?;
    if !mb.usable_by(user) {
        return Err(AppError::NotFound);
    }
    if m.customer_id.is_some() {
        return Err(AppError::Conflict);
    }
    // The other party: the sender of an incoming message, the first recipient of a sent one.
    let address = if m.direction == "in" {
        m.from_addr.clone()
    } else {
        m.to_addrs.split(',').next().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    };
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .or_else(|| m.from_name.clone().filter(|_| m.direction == "in"))
        .or_else(|| address.clone())
        .unwrap_or_default();
    let input =
        crate::customers::NewCustomer { name, email: address, source: Some("email".into()), ..Default::default() };
    let customer = crate::customers::service::create(db, user, &input).await?;
    store::link(db, id, customer.id, None, Some(user.id)).await?;
    message(db, user, id).await
}

/// The values templates fill in for a customer (and contact) `user` may see.
pub async fn template_values(
    db: &Db,
    user: &CurrentUser,
    customer_id: i64,
    contact_id: Option<i64>,
) -> Result<Vec<(&'static str, String)>, AppError> {
    let c = customers::get(db, user.scope(), customer_id).await?;
    // Only a contact person of this customer: any other id fills in nothing.
    let contact: Option<String> = match contact_id {
        Some(id) => db_run!(db, p => sqlx::query_scalar(
            "SELECT c.name FROM contacts c JOIN customer_contacts cc ON cc.contact_id = c.id AND cc.customer_id = $2 \
             WHERE c.id = $1").bind(id).bind(customer_id)
            .fetch_optional(p).await)?,
        None => None,
    };
    Ok(vec![
        ("customer.name", c.name.clone()),
        ("customer.email", c.email.clone().unwrap_or_default()),
        ("customer.phone", c.phone.clone().unwrap_or_default()),
        ("contact.name", contact.unwrap_or_default()),
        ("manager.name", c.manager_name.clone()),
        ("me.name", user.name.clone()),
        ("me.email", user.email.clone()),
    ])
}

/// A template filled in for a customer: `(subject, body)`.
pub async fn fill(
    db: &Db,
    user: &CurrentUser,
    template_id: i64,
    customer_id: i64,
    contact_id: Option<i64>,
) -> Result<(String, String), AppError> {
    let t = store::template(db, template_id).await?;
    let values = template_values(db, user, customer_id, contact_id).await?;
    let refs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Ok((super::fill_template(&t.subject, &refs), super::fill_template(&t.body, &refs)))
}

pub async fn templates(db: &Db) -> Result<Vec<Template>, AppError> {
    store::templates(db).await
}

/// Saves a template: anyone writes new ones (shared by the company); an existing one (`id` with the
/// version it was read at) is changed by its author or an administrator only.
pub async fn save_template(
    db: &Db,
    user: &CurrentUser,
    id: Option<(i64, i64)>,
    name: &str,
    subject: &str,
    body: &str,
) -> Result<Template, AppError> {
    if let Some((id, _)) = id {
        may_change_template(db, user, id).await?;
    }
    let (name, subject, body) = super::check_template(name, subject, body)?;
    let id = store::save_template(db, id, user.id, &name, &subject, &body).await?;
    store::template(db, id).await
}

/// A template is changed or deleted by its author or an administrator.
async fn may_change_template(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let author = store::template_author(db, id).await?;
    if author != Some(user.id) && !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

/// Deletes a template: its author or an administrator.
pub async fn delete_template(db: &Db, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    may_change_template(db, user, id).await?;
    store::delete_template(db, id).await
}

/// Writes to a customer: sends over SMTP, stores the message on the customer's timeline, appends it to the
/// Sent folder. Nothing is stored when sending fails.
pub async fn send_mail(db: &Db, user: &CurrentUser, input: &NewMail) -> Result<Sent, AppError> {
    send_mail_with(db, user, input, &[]).await
}

/// [`send_mail`] with files attached (a printed document), kept with the stored message.
pub async fn send_mail_with(
    db: &Db,
    user: &CurrentUser,
    input: &NewMail,
    attachments: &[send::OutAttachment],
) -> Result<Sent, AppError> {
    let mb =
        usable(db, user, input.mailbox_id).await.map_err(|_| AppError::field("mailbox_id", ErrCode::InvalidChoice))?;
    let customer = customers::get(db, user.scope(), input.customer_id).await?;
    crate::interactions::service::check_contact(db, input.customer_id, input.contact_id).await?;
    let mut checks = Checks::default();
    let subject = checks.text("subject", &input.subject, 300);
    let body = checks.text("body", &input.body, super::MAX_BODY_CHARS);
    checks.finish()?;
    let to = match input.to.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => super::parse_addresses("to", t)?,
        None => {
            let contact_email: Option<String> = match input.contact_id {
                Some(c) => db_run!(db, p => sqlx::query_scalar(
                    "SELECT value FROM contact_points WHERE contact_id = $1 AND kind = 'email' ORDER BY id LIMIT 1")
                    .bind(c).fetch_optional(p).await)?,
                None => None,
            };
            vec![contact_email.or(customer.email.clone()).ok_or_else(|| AppError::field("to", ErrCode::Required))?]
        }
    };
    // A reply carries the thread's headers.
    let (in_reply_to, references, thread_id) = match input.reply_to {
        Some(r) => {
            let parent = message(db, user, r).await.map_err(|_| AppError::field("reply_to", ErrCode::InvalidChoice))?;
            let parent_reply: Option<String> = db_run!(db, p => sqlx::query_scalar(
                "SELECT in_reply_to FROM mail_messages WHERE id = $1").bind(r).fetch_one(p).await)?;
            let refs: Vec<String> = parent_reply.into_iter().chain(parent.message_id.clone()).collect();
            (parent.message_id.clone(), refs, parent.summary.thread_id)
        }
        None => (None, Vec::new(), None),
    };
    let password =
        key()?.decrypt(&mb.password_enc).ok_or_else(|| AppError::field("mailbox_id", ErrCode::MailKeyMissing))?;
    let message_id = send::new_message_id(&mb.address);
    let draft = Draft {
        from_name: &user.name,
        to: &to,
        subject: &subject,
        body: &body,
        in_reply_to: in_reply_to.as_deref(),
        references: &references,
        attachments,
    };
    let built = send::build(&mb, &message_id, &draft).map_err(|_| AppError::field("to", ErrCode::InvalidEmail))?;
    let raw = built.formatted();
    send::smtp(&mb, &password, built).await.map_err(|e| match e {
        MailError::Protocol(_) => AppError::field("to", ErrCode::MailRefused),
        other => field_error("mailbox_id", &other),
    })?;
    let id = store::record_sent(
        db,
        &store::Outgoing {
            mailbox_id: mb.id,
            message_id: &message_id,
            in_reply_to: in_reply_to.as_deref(),
            thread_id,
            from: &mb.address,
            from_name: &user.name,
            to: &to,
            subject: &subject,
            body: &body,
            size: raw.len() as i64,
            customer_id: input.customer_id,
            contact_id: input.contact_id,
            author: user.id,
            attachments,
        },
    )
    .await?;
    let in_sent_folder = match send::append_to_sent(&mb, &password, &raw).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(mailbox = mb.id, error = %e, "sent mail could not be appended to the Sent folder");
            false
        }
    };
    Ok(Sent { message: store::summary(db, id).await?, in_sent_folder })
}

/// The shared mailboxes (no owner) an administrator may choose for the company's own letters (password
/// links): `(id, address)`.
pub async fn shared_mailboxes(db: &Db) -> Result<Vec<(i64, String)>, AppError> {
    let sql =
        "SELECT id, address FROM mailboxes WHERE owner_id IS NULL AND active = TRUE ORDER BY address, id LIMIT 200";
    Ok(db_run!(db, p => sqlx::query_as(sql).fetch_all(p).await)?)
}

/// Sends a letter of the company's own (not to a customer: it stays off every timeline) through a mailbox.
pub async fn send_system(db: &Db, mailbox_id: i64, to: &str, subject: &str, body: &str) -> Result<(), AppError> {
    let mb = store::mailbox_row(db, mailbox_id).await?;
    let password =
        key()?.decrypt(&mb.password_enc).ok_or_else(|| AppError::field("mailbox_id", ErrCode::MailKeyMissing))?;
    let to = [to.to_string()];
    let draft =
        Draft { from_name: "Karvon", to: &to, subject, body, in_reply_to: None, references: &[], attachments: &[] };
    let message_id = send::new_message_id(&mb.address);
    let built = send::build(&mb, &message_id, &draft).map_err(|_| AppError::field("to", ErrCode::InvalidEmail))?;
    send::smtp(&mb, &password, built).await.map_err(|e| field_error("mailbox_id", &e))
}
