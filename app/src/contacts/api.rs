//! Server functions for contacts: thin shims over [`super::service`].

// One argument per form field: plain HTML forms post them by name.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::Contact;
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// The customer's contacts.
#[server(prefix = "/rpc", endpoint = "contacts/list")]
pub async fn list_contacts(customer_id: i64) -> Result<Vec<Contact>, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        super::service::list_for_customer(&db, ctx.user()?, customer_id).await
    };
    run.await.inspect_err(set_status)
}

/// Adds a contact to a customer from the card's form (one phone, e-mail and Telegram handle; the API
/// takes lists).
#[server(prefix = "/rpc", endpoint = "contacts/create")]
pub async fn create_contact(
    customer_id: i64,
    name: String,
    position: Option<String>,
    role: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    telegram: Option<String>,
    birthday: Option<String>,
    custom: Option<std::collections::BTreeMap<String, String>>,
) -> Result<Contact, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let defs = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Contact).await?;
        let input = super::NewContact {
            name,
            position,
            role,
            phones: phone.into_iter().collect(),
            emails: email.into_iter().collect(),
            messengers: telegram.map(|h| super::Messenger { kind: "telegram".into(), handle: h }).into_iter().collect(),
            birthday,
            notes: None,
            custom: Some(crate::custom_fields::from_form(&defs, &custom.unwrap_or_default())),
        };
        super::service::create(&db, ctx.user()?, customer_id, &input).await
    };
    run.await.inspect_err(set_status)
}

/// Saves the card's edit form of a contact: phones and e-mails as comma-separated lists, the Telegram handle
/// (other messengers stay), the role at `customer_id`. A form sends every field: an empty one clears it.
#[server(prefix = "/rpc", endpoint = "contacts/update")]
pub async fn update_contact(
    id: i64,
    version: i64,
    customer_id: i64,
    name: String,
    position: Option<String>,
    role: Option<String>,
    phones: Option<String>,
    emails: Option<String>,
    telegram: Option<String>,
    birthday: Option<String>,
    notes: Option<String>,
    custom: Option<std::collections::BTreeMap<String, String>>,
) -> Result<Contact, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(crate::customers::MODULE.key)?;
        let user = ctx.user()?;
        let current = super::service::get(&db, user, id).await?;
        let defs = crate::custom_fields::store::list(&db, crate::custom_fields::FieldEntity::Contact).await?;
        let list = |v: Option<String>| -> Vec<String> {
            v.unwrap_or_default()
                .split([',', ';', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        };
        let mut messengers: Vec<super::Messenger> =
            current.messengers.into_iter().filter(|m| m.kind != "telegram").collect();
        if let Some(h) = telegram.filter(|h| !h.trim().is_empty()) {
            messengers.insert(0, super::Messenger { kind: "telegram".into(), handle: h });
        }
        let patch = super::ContactPatch {
            version,
            name: Some(name),
            position: Some(position.unwrap_or_default()),
            phones: Some(list(phones)),
            emails: Some(list(emails)),
            messengers: Some(messengers),
            birthday: Some(birthday.unwrap_or_default()),
            notes: Some(notes.unwrap_or_default()),
            custom: Some(crate::custom_fields::from_form(&defs, &custom.unwrap_or_default())),
            role: Some(super::RoleAt { customer_id, role }),
        };
        super::service::update(&db, user, id, &patch).await
    };
    run.await.inspect_err(set_status)
}
