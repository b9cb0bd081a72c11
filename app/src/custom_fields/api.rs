//! Server functions for custom fields: thin shims over [`super::service`].

use leptos::prelude::*;

use super::CustomField;
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// The fields of `entity` (`customer`, `contact`, `deal` or `product`; all, for administrators, when absent), retired ones
/// included.
#[server(prefix = "/rpc", endpoint = "custom-fields/list")]
pub async fn list_custom_fields(entity: Option<String>) -> Result<Vec<CustomField>, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let user = ctx.user()?;
        match entity {
            Some(e) => {
                let entity = super::FieldEntity::parse(&e).ok_or(AppError::NotFound)?;
                super::service::list(&db, user, entity).await
            }
            None => {
                // The whole list is the administrator's page.
                if !user.is_admin() {
                    return Err(AppError::Forbidden);
                }
                let mut all = Vec::new();
                for entity in super::FieldEntity::ALL {
                    all.extend(super::service::list(&db, user, entity).await?);
                }
                Ok(all)
            }
        }
    };
    run.await.inspect_err(set_status)
}

/// Splits the form's choices: one per line (commas inside a choice are kept).
pub fn split_options(s: &str) -> Vec<String> {
    s.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// Defines a field from the administrator's form.
#[server(prefix = "/rpc", endpoint = "custom-fields/create")]
pub async fn create_custom_field(
    entity: String,
    label: String,
    key: Option<String>,
    kind: String,
    options: Option<String>,
    currency: Option<String>,
    required: Option<String>,
) -> Result<CustomField, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let input = super::NewCustomField {
            entity: Some(entity),
            key,
            label,
            kind,
            options: Some(split_options(&options.unwrap_or_default())),
            currency,
            required: Some(required.is_some_and(|r| !r.is_empty())),
            position: None,
        };
        super::service::create(&db, ctx.user()?, &input).await
    };
    run.await.inspect_err(set_status)
}

/// Retires a field (hidden from forms, values kept) or brings it back.
#[server(prefix = "/rpc", endpoint = "custom-fields/retire")]
pub async fn set_custom_field_retired(id: i64, version: i64, retired: bool) -> Result<CustomField, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let patch = super::CustomFieldPatch { version, retired: Some(retired), ..Default::default() };
        super::service::update(&db, ctx.user()?, id, &patch).await
    };
    run.await.inspect_err(set_status)
}
