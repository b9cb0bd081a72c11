//! Server functions for the mail client: thin shims over [`super::service`], one argument per form field.

#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Mailbox, Message, MessagePage, MessageSummary, Template};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

#[cfg(feature = "ssr")]
use crate::interactions::api::given;

#[cfg(feature = "ssr")]
fn number(field: &str, s: Option<String>) -> Result<Option<i64>, AppError> {
    match given(s) {
        Some(v) => v.parse().map(Some).map_err(|_| AppError::field(field, crate::core::ErrCode::NotANumber)),
        None => Ok(None),
    }
}

/// The mail page: mailboxes with their sync status, the unsorted messages, the templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailOverview {
    pub mailboxes: Vec<Mailbox>,
    pub unsorted: MessagePage,
    pub recent: MessagePage,
    pub templates: Vec<Template>,
    pub is_admin: bool,
    pub me: i64,
}

#[server(prefix = "/rpc", endpoint = "mail/overview")]
pub async fn get_mail_overview(cursor: Option<String>) -> Result<MailOverview, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let unsorted = super::MessageFilter { unsorted: true, cursor, limit: Some(30), ..Default::default() };
        let recent = super::MessageFilter { limit: Some(15), ..Default::default() };
        Ok(MailOverview {
            mailboxes: super::service::list(&db, user).await?,
            unsorted: super::service::messages(&db, user, &unsorted).await?,
            recent: super::service::messages(&db, user, &recent).await?,
            templates: super::service::templates(&db).await?,
            is_admin: user.is_admin(),
            me: user.id,
        })
    };
    run.await.inspect_err(set_status)
}

/// Connects a mailbox (or, with `id`, changes one). Ports are numbers; an empty password keeps the old one.
#[server(prefix = "/rpc", endpoint = "mail/mailbox")]
pub async fn save_mailbox(
    id: Option<String>,
    version: Option<String>,
    name: Option<String>,
    address: String,
    login: Option<String>,
    password: Option<String>,
    imap_host: String,
    imap_port: Option<String>,
    imap_security: Option<String>,
    smtp_host: String,
    smtp_port: Option<String>,
    smtp_security: Option<String>,
    shared: Option<String>,
) -> Result<Mailbox, AppError> {
    use crate::core::ErrCode;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let security = |field: &str, v: Option<String>| match given(v) {
            Some(s) => {
                super::Security::parse(&s).map(Some).ok_or_else(|| AppError::field(field, ErrCode::InvalidChoice))
            }
            None => Ok(None),
        };
        let input = super::MailboxInput {
            name: name.unwrap_or_default(),
            address,
            login: given(login),
            password,
            imap_host,
            imap_port: number("imap_port", imap_port)?,
            imap_security: security("imap_security", imap_security)?,
            smtp_host,
            smtp_port: number("smtp_port", smtp_port)?,
            smtp_security: security("smtp_security", smtp_security)?,
            shared: shared.is_some_and(|s| s == "true" || s == "on"),
            version: number("version", version)?,
        };
        let user = ctx.user()?;
        match number("id", id)? {
            Some(id) => super::service::update(&db, user, id, &input).await,
            None => super::service::create(&db, user, &input).await,
        }
    };
    run.await.inspect_err(set_status)
}

/// Asks for a sync now.
#[server(prefix = "/rpc", endpoint = "mail/sync")]
pub async fn sync_mailbox(id: i64) -> Result<Mailbox, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::request_sync(&db, ctx.user()?, id).await
    };
    run.await.inspect_err(set_status)
}

#[server(prefix = "/rpc", endpoint = "mail/disconnect")]
pub async fn disconnect_mailbox(id: i64) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::disconnect(&db, ctx.user()?, id).await
    };
    run.await.inspect_err(set_status)
}

#[server(prefix = "/rpc", endpoint = "mail/message")]
pub async fn load_message(id: i64) -> Result<Message, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::message(&db, ctx.user()?, id).await
    };
    run.await.inspect_err(set_status)
}

/// Links an unsorted message (and its thread) to a customer.
#[server(prefix = "/rpc", endpoint = "mail/link")]
pub async fn link_message(id: i64, customer_id: i64) -> Result<Message, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::link(&db, ctx.user()?, id, customer_id, None).await
    };
    run.await.inspect_err(set_status)
}

/// Creates a customer from an unsorted message and links the message to it.
#[server(prefix = "/rpc", endpoint = "mail/new-customer")]
pub async fn customer_from_message(id: i64, name: Option<String>) -> Result<Message, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::create_customer_from(&db, ctx.user()?, id, name.as_deref()).await
    };
    run.await.inspect_err(set_status)
}

#[server(prefix = "/rpc", endpoint = "mail/template")]
pub async fn save_template(
    id: Option<String>,
    version: Option<String>,
    name: String,
    subject: String,
    body: String,
) -> Result<Template, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let existing = match number("id", id)? {
            Some(id) => Some((
                id,
                number("version", version)?
                    .ok_or_else(|| AppError::field("version", crate::core::ErrCode::Required))?,
            )),
            None => None,
        };
        super::service::save_template(&db, ctx.user()?, existing, &name, &subject, &body).await
    };
    run.await.inspect_err(set_status)
}

#[server(prefix = "/rpc", endpoint = "mail/template-delete")]
pub async fn delete_template(id: i64) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::delete_template(&db, ctx.user()?, id).await
    };
    run.await.inspect_err(set_status)
}

/// What the card's mail panel offers: the mailboxes to send from, templates, the customer's messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerMail {
    pub mailboxes: Vec<(i64, String)>,
    pub templates: Vec<(i64, String)>,
    pub messages: Vec<MessageSummary>,
}

#[server(prefix = "/rpc", endpoint = "mail/customer")]
pub async fn load_customer_mail(customer_id: i64) -> Result<CustomerMail, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let filter = super::MessageFilter { customer_id: Some(customer_id), limit: Some(10), ..Default::default() };
        let messages = super::service::messages(&db, user, &filter).await?.items;
        let mailboxes = super::service::list(&db, user)
            .await?
            .into_iter()
            .filter(|m| m.owner_id.is_none() || m.owner_id == Some(user.id))
            .map(|m| (m.id, format!("{} <{}>", m.name, m.address)))
            .collect();
        let templates = super::service::templates(&db).await?.into_iter().map(|t| (t.id, t.name)).collect();
        Ok(CustomerMail { mailboxes, templates, messages })
    };
    run.await.inspect_err(set_status)
}

/// A template filled in for a customer: `(subject, body)`.
#[server(prefix = "/rpc", endpoint = "mail/fill")]
pub async fn fill_template(
    template_id: i64,
    customer_id: i64,
    contact_id: Option<String>,
) -> Result<(String, String), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        super::service::fill(&db, ctx.user()?, template_id, customer_id, number("contact_id", contact_id)?).await
    };
    run.await.inspect_err(set_status)
}

/// Writes to a customer from the card (or answers a message).
#[server(prefix = "/rpc", endpoint = "mail/send")]
pub async fn send_mail(
    mailbox_id: String,
    customer_id: i64,
    contact_id: Option<String>,
    to: Option<String>,
    subject: String,
    body: String,
    reply_to: Option<String>,
) -> Result<super::Sent, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let mailbox_id = number("mailbox_id", Some(mailbox_id))?
            .ok_or_else(|| AppError::field("mailbox_id", crate::core::ErrCode::Required))?;
        let input = super::NewMail {
            mailbox_id,
            customer_id,
            contact_id: number("contact_id", contact_id)?,
            to: given(to),
            subject,
            body,
            reply_to: number("reply_to", reply_to)?,
        };
        super::service::send_mail(&db, ctx.user()?, &input).await
    };
    run.await.inspect_err(set_status)
}
