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
