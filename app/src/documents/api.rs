//! Server functions for the documents panels (an invoice's, a customer's reconciliation act) and the
//! template editor: thin shims over the service. Each form works as a plain form post too.
// A server function takes a form's fields as its arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::DocKind;
use super::{DocTemplate, Filed};
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// What the documents panels offer: the mailboxes the user may send from (`(id, address)`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocOptions {
    pub mailboxes: Vec<(i64, String)>,
    /// Today in the company's time zone, `YYYY-MM-DD` (a reconciliation act's default end).
    pub today: String,
}

#[cfg(feature = "ssr")]
fn kind_of(kind: &str) -> Result<DocKind, AppError> {
    DocKind::parse(kind).ok_or_else(|| AppError::field("kind", crate::core::ErrCode::InvalidChoice))
}

#[cfg(feature = "ssr")]
fn id_of(field: &str, v: Option<&str>) -> Result<Option<i64>, AppError> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| AppError::field(field, crate::core::ErrCode::InvalidChoice)),
    }
}

/// The mailboxes for the e-mail step.
#[server(prefix = "/rpc", endpoint = "documents/options")]
pub async fn document_options() -> Result<DocOptions, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let user = ctx.user()?;
        let mailboxes = crate::mail::service::list(&db, user).await?.into_iter().map(|m| (m.id, m.address)).collect();
        let today = crate::core::format::date_input(crate::core::now_millis());
        Ok(DocOptions { mailboxes, today })
    };
    run.await.inspect_err(set_status)
}

/// Prints a document onto the customer's timeline and, with a mailbox chosen, e-mails it: of an order
/// (`order_id`), of an invoice (`invoice_id`), or a customer's reconciliation act (`customer_id`, `from`, `to`, `counterparty_id`).
#[server(prefix = "/rpc", endpoint = "documents/file")]
pub async fn file_document(
    kind: String,
    lang: String,
    order_id: Option<String>,
    invoice_id: Option<String>,
    customer_id: Option<String>,
    from: Option<String>,
    to: Option<String>,
    counterparty_id: Option<String>,
    mailbox_id: Option<String>,
    to_addr: Option<String>,
    subject: Option<String>,
    body: Option<String>,
) -> Result<Filed, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let kind = kind_of(&kind)?;
        let order_id = id_of("order_id", order_id.as_deref())?;
        let source = match (
            order_id,
            id_of("invoice_id", invoice_id.as_deref())?,
            id_of("customer_id", customer_id.as_deref())?,
        ) {
            (Some(order_id), _, _) => super::DocSource::Order { order_id },
            (None, Some(invoice_id), _) => super::DocSource::Invoice { invoice_id },
            (None, None, Some(customer_id)) => super::DocSource::Customer {
                customer_id,
                period: super::ReconciliationQuery {
                    from: from.unwrap_or_default(),
                    to: to.unwrap_or_default(),
                    counterparty_id: id_of("counterparty_id", counterparty_id.as_deref())?,
                    currency: None,
                },
            },
            (None, None, None) => return Err(AppError::NotFound),
        };
        let email = id_of("mailbox_id", mailbox_id.as_deref())?.map(|mailbox_id| super::service::EmailIt {
            mailbox_id,
            to: to_addr,
            subject: subject.unwrap_or_default(),
            body: body.unwrap_or_default(),
        });
        // The form's fields: the e-mail's address is `to_addr` (`to` is the period's end).
        super::service::file(&db, ctx.user()?, kind, &source, &lang, email.as_ref()).await.map_err(|e| match e {
            AppError::Validation { fields } => AppError::Validation {
                fields: fields
                    .into_iter()
                    .map(|mut f| {
                        if let Some(rest) = f.field.strip_prefix("email.") {
                            f.field = if rest == "to" { "to_addr".into() } else { rest.to_string() };
                        }
                        f
                    })
                    .collect(),
            },
            other => other,
        })
    };
    run.await.inspect_err(set_status)
}

/// The template of a kind in a language, for the editor (administrators).
#[server(prefix = "/rpc", endpoint = "documents/template")]
pub async fn load_document_template(kind: String, lang: String) -> Result<DocTemplate, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        super::service::template_for_editor(&db, ctx.user()?, kind_of(&kind)?, &lang).await
    };
    run.await.inspect_err(set_status)
}

/// Saves the editor's template (administrators); `reset` brings back the built-in one instead.
#[server(prefix = "/rpc", endpoint = "documents/template/save")]
pub async fn save_document_template(
    kind: String,
    lang: String,
    body: String,
    version: i64,
    reset: Option<String>,
) -> Result<DocTemplate, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        let (user, kind) = (ctx.user()?, kind_of(&kind)?);
        if reset.is_some() {
            return super::service::reset_template(&db, user, kind, &lang).await;
        }
        super::service::save_template(&db, user, kind, &lang, &super::TemplateSave { body, version }).await
    };
    run.await.inspect_err(set_status)
}

/// The preview of a template being edited (administrators), filled in with sample data: clean HTML.
#[server(prefix = "/rpc", endpoint = "documents/preview")]
pub async fn preview_document(kind: String, lang: String, body: String) -> Result<String, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        super::service::preview(&db, ctx.user()?, kind_of(&kind)?, &lang, Some(&body), None).await
    };
    run.await.inspect_err(set_status)
}

/// Which of the company's images are uploaded (administrators).
#[server(prefix = "/rpc", endpoint = "documents/images")]
pub async fn company_image_names() -> Result<Vec<String>, AppError> {
    let run = async {
        let (_ctx, db) = crate::admin::api::admin_session()?;
        super::service::image_names(&db).await
    };
    run.await.inspect_err(set_status)
}
