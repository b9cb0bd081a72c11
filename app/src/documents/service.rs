//! Documents: templates an administrator edits (checked by rendering them with sample data before they are
//! saved), PDFs printed from an invoice or a customer's period, the preview, filing a PDF on the timeline and
//! e-mailing it in the same step.

use std::collections::HashMap;

use serde_json::Value;

use super::markup::Node;
use super::typeset::{self, Image};
use super::{DocKind, DocSource, DocTemplate, Filed, IMAGE_NAMES, MAX_IMAGE_BYTES, MAX_TEMPLATE_CHARS, TemplateSave};
use super::{data, defaults, render, store};
use crate::core::db::Db;
use crate::core::i18n::Lang;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, ErrCode, now_millis};
use crate::db_run;

fn language(lang: &str) -> Result<Lang, AppError> {
    Lang::ALL.into_iter().find(|l| l.code() == lang).ok_or_else(|| AppError::field("lang", ErrCode::InvalidChoice))
}

fn admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// The template in force: the saved one, else the built-in one.
pub async fn template(db: &Db, kind: DocKind, lang: &str) -> Result<DocTemplate, AppError> {
    let l = language(lang)?;
    Ok(store::template(db, kind, lang).await?.unwrap_or_else(|| DocTemplate {
        kind,
        lang: lang.to_string(),
        body: defaults::body(kind, l),
        custom: false,
        version: 0,
        updated_at: None,
    }))
}

/// The template for the editor (administrators).
pub async fn template_for_editor(
    db: &Db,
    user: &CurrentUser,
    kind: DocKind,
    lang: &str,
) -> Result<DocTemplate, AppError> {
    admin(user)?;
    template(db, kind, lang).await
}

/// Saves a template (administrators) once it renders with sample data: an unknown field, a syntax error or
/// an element not allowed is refused with its line (`body.12`).
pub async fn save_template(
    db: &Db,
    user: &CurrentUser,
    kind: DocKind,
    lang: &str,
    input: &TemplateSave,
) -> Result<DocTemplate, AppError> {
    admin(user)?;
    let l = language(lang)?;
    if input.body.trim().is_empty() {
        return Err(AppError::field("body", ErrCode::Required));
    }
    if input.body.chars().count() > MAX_TEMPLATE_CHARS {
        return Err(AppError::field("body", ErrCode::TooLong));
    }
    render::render(&input.body, &sample(kind, l))?;
    store::save(db, kind, lang, &input.body, input.version, user.id).await?;
    tracing::info!(user = user.id, kind = kind.code(), lang, "document template saved");
    template(db, kind, lang).await
}

/// Brings back the built-in template (administrators).
pub async fn reset_template(db: &Db, user: &CurrentUser, kind: DocKind, lang: &str) -> Result<DocTemplate, AppError> {
    admin(user)?;
    language(lang)?;
    store::reset(db, kind, lang).await?;
    template(db, kind, lang).await
}

/// Sample fields of each kind, for checking a template before it is saved and for previewing it when there
/// is nothing real to print.
pub fn sample(kind: DocKind, lang: Lang) -> Value {
    use crate::invoices::efactura::Party;
    let seller = Party {
        tax_id: Some("301234567".into()),
        name: Some("Karvon Savdo MChJ".into()),
        address: Some("Toshkent sh., Amir Temur koʻchasi, 1".into()),
        phone: Some("+998 71 200 00 00".into()),
        account: Some("20208000900100001001".into()),
        bank_code: Some("00450".into()),
        requisites: crate::counterparties::Requisites {
            oked: Some("46900".into()),
            vat_reg_code: Some("326010012345".into()),
            director: Some("A. Karimov".into()),
            accountant: Some("D. Rahimova".into()),
        },
    };
    let buyer = Party {
        tax_id: Some("307654321".into()),
        name: Some("Samarqand Qurilish MChJ".into()),
        address: Some("Samarqand sh., Registon koʻchasi, 5".into()),
        account: Some("20208000100200002002".into()),
        bank_code: Some("00873".into()),
        ..seller.clone()
    };
    match kind {
        DocKind::Reconciliation => serde_json::json!({
            "company": sample_party(&seller), "buyer": sample_party(&buyer), "customer": {"name": "Samarqand Qurilish"},
            "currency": "UZS", "period": {"from": "01.10.2026", "to": "31.12.2026"},
            "opening": {"debit": "1\u{a0}200\u{a0}000,00", "credit": ""},
            "rows": [
                {"date": "05.10.2026", "document": "SF-2026-000001", "debit": "4\u{a0}032,00", "credit": ""},
                {"date": "06.10.2026", "document": "№ 17", "debit": "", "credit": "1\u{a0}204\u{a0}032,00"},
            ],
            "turnover": {"debit": "4\u{a0}032,00", "credit": "1\u{a0}204\u{a0}032,00"},
            "closing": {"debit": "", "credit": "", "owes": "", "amount": "0,00 UZS",
                        "words": super::words::amount_in_words(rust_decimal::Decimal::ZERO, "UZS", lang)},
        }),
        DocKind::Offer | DocKind::Contract => data::order(&sample_order(), &seller, &buyer, &sample_codes(), lang),
        DocKind::Invoice | DocKind::DeliveryNote | DocKind::Act => {
            data::invoice(&sample_invoice(), &seller, &buyer, &sample_codes(), lang)
        }
    }
}

fn sample_codes() -> HashMap<i64, String> {
    HashMap::from([(1, "10601001001000000".to_string())])
}

/// The sample order's or invoice's fields with `lines` lines (the benchmark's documents of every size).
pub fn sample_of_size(kind: DocKind, lang: Lang, lines: usize) -> Value {
    let mut v = sample(kind, lang);
    let line = v["lines"][0].clone();
    v["lines"] = Value::Array(
        (1..=lines)
            .map(|n| {
                let mut l = line.clone();
                l["no"] = n.into();
                l["name"] = format!("Sement M400, partiya {n}").into();
                l
            })
            .collect(),
    );
    v
}

fn sample_party(p: &crate::invoices::efactura::Party) -> Value {
    data::party(p, "")
}

fn sample_invoice() -> crate::invoices::Invoice {
    serde_json::from_value(serde_json::json!({
        "id": 0, "number": "SF-2026-000001", "status": "issued", "customer_id": 0,
        "customer_name": "Samarqand Qurilish", "counterparty_id": null, "counterparty_name": null,
        "order_id": null, "order_number": null, "manager_id": 0, "manager_name": "Manager",
        "currency": "UZS", "rate": "1", "invoice_date": "2026-10-05", "due_date": "2026-10-15",
        "contract_no": "12/2026", "contract_date": "2026-01-10", "note": null,
        "net": "3600", "vat": "432", "total": "4032", "paid": "0",
        "lines": [{"id": 1, "line_no": 1, "product_id": 1, "product_name": "Sement M400", "order_line_id": null,
                   "unit": "qop", "qty": "12", "price": "300", "discount": "0", "vat_rate": "12",
                   "net": "3600", "vat": "432", "total": "4032"}],
        "credit_notes": [], "created_at": 0, "created_by_name": "", "cancelled_at": null, "version": 1,
    }))
    .expect("the sample invoice")
}

fn sample_order() -> crate::orders::Order {
    serde_json::from_value(serde_json::json!({
        "id": 0, "number": "BS-2026-000001", "status": "draft", "customer_id": 0,
        "customer_name": "Samarqand Qurilish", "counterparty_id": null, "counterparty_name": null,
        "deal_id": null, "deal_title": "Sement, IV chorak", "manager_id": 0, "manager_name": "Manager",
        "currency": "UZS", "order_date": "2026-10-01", "warehouse_id": null, "warehouse_name": null, "note": null,
        "net": "3600", "vat": "432", "total": "4032",
        "lines": [{"id": 1, "line_no": 1, "product_id": 1, "product_name": "Sement M400", "kind": "goods",
                   "unit": "qop", "qty": "12", "price": "300", "list_price": "300", "price_reason": null,
                   "discount": "0", "vat_rate": "12", "net": "3600", "vat": "432", "total": "4032",
                   "reserved": "0", "shipped": "0", "invoiced": "0"}],
        "shipments": [], "created_at": 0, "updated_at": 0, "version": 1,
        "confirmed_at": null, "closed_at": null, "cancelled_at": null,
    }))
    .expect("the sample order")
}

/// A document's fields, the customer it belongs to and its file name (`SF-2026-000001.pdf`).
async fn fields(
    db: &Db,
    user: &CurrentUser,
    kind: DocKind,
    source: &DocSource,
    lang: Lang,
) -> Result<(Value, i64, String), AppError> {
    match (kind, source) {
        (DocKind::Reconciliation, DocSource::Customer { customer_id, period }) => {
            let scope = user.money_scope().ok_or(AppError::Forbidden)?;
            let customer = crate::customers::store::get(db, scope, *customer_id).await?;
            if let Some(cp) = period.counterparty_id {
                let c = crate::counterparties::store::get(db, cp)
                    .await
                    .map_err(|_| AppError::field("counterparty_id", ErrCode::InvalidChoice))?;
                if c.customer_id != *customer_id {
                    return Err(AppError::field("counterparty_id", ErrCode::InvalidChoice));
                }
            }
            let (seller, buyer) = crate::invoices::service::parties(db, period.counterparty_id).await?;
            let v = data::reconciliation(db, *customer_id, &customer.name, period, &seller, &buyer, lang).await?;
            let name = format!("akt-sverki-{}-{}.pdf", period.from.trim(), period.to.trim());
            Ok((v, *customer_id, name))
        }
        (DocKind::Reconciliation, _) | (_, DocSource::Customer { .. }) => Err(AppError::NotFound),
        (DocKind::Offer | DocKind::Contract, DocSource::Order { order_id }) => {
            // Prices and sums: for whoever sees customers' money (not a storekeeper shipping the order).
            user.money_scope().ok_or(AppError::Forbidden)?;
            let o = crate::orders::service::get(db, user, *order_id).await?;
            let (seller, buyer) = crate::invoices::service::parties(db, o.counterparty_id).await?;
            let mxik = store::order_codes(db, o.id).await?.into_iter().collect();
            let v = data::order(&o, &seller, &buyer, &mxik, lang);
            let prefix = if kind == DocKind::Offer { "taklif-" } else { "shartnoma-" };
            Ok((v, o.customer_id, format!("{prefix}{}.pdf", o.number)))
        }
        (DocKind::Offer | DocKind::Contract, _) | (_, DocSource::Order { .. }) => Err(AppError::NotFound),
        (_, DocSource::Invoice { invoice_id }) => {
            let inv = crate::invoices::service::get(db, user, *invoice_id).await?;
            let (seller, buyer) = crate::invoices::service::parties(db, inv.counterparty_id).await?;
            let mxik = crate::invoices::store::product_codes(db, inv.id)
                .await?
                .into_iter()
                .filter_map(|(id, mxik, _)| mxik.map(|m| (id, m)))
                .collect();
            let v = data::invoice(&inv, &seller, &buyer, &mxik, lang);
            let prefix = match kind {
                DocKind::DeliveryNote => "yuk-xati-",
                DocKind::Act => "dalolatnoma-",
                _ => "",
            };
            Ok((v, inv.customer_id, format!("{prefix}{}.pdf", inv.number)))
        }
    }
}

/// The company's images, for a document.
async fn images(db: &Db) -> Result<Vec<Image>, AppError> {
    Ok(store::images(db)
        .await?
        .into_iter()
        .filter_map(|(name, _, data)| IMAGE_NAMES.iter().find(|n| **n == name).map(|n| Image { name: n, data }))
        .collect())
}

/// Typesets a parsed document off the async runtime.
async fn typeset(db: &Db, nodes: Vec<Node>, lang: Lang) -> Result<Vec<u8>, AppError> {
    let images = images(db).await?;
    let today = chrono::Local::now().date_naive();
    let body = super::markup::to_typst(&nodes);
    tokio::task::spawn_blocking(move || typeset::pdf(&body, lang.code(), images, today))
        .await
        .map_err(|e| {
            let ref_id = crate::core::request::new_ref_id();
            tracing::error!(ref_id = %ref_id, error = %e, "typesetting panicked");
            AppError::Internal { ref_id }
        })?
        .map_err(|e| {
            // Generated markup that does not compile is a bug, or an image Typst cannot read.
            tracing::error!(error = %e, "a document did not typeset");
            AppError::field("body", ErrCode::TemplateSyntax)
        })
}

/// A document as PDF: `(file name, bytes, customer id)`.
pub async fn pdf(
    db: &Db,
    user: &CurrentUser,
    kind: DocKind,
    source: &DocSource,
    lang: &str,
) -> Result<(String, Vec<u8>, i64), AppError> {
    let l = language(lang)?;
    let (fields, customer_id, name) = fields(db, user, kind, source, l).await?;
    let t = template(db, kind, lang).await?;
    let nodes = render::render(&t.body, &fields)?;
    Ok((name, typeset(db, nodes, l).await?, customer_id))
}

/// The preview of `body` (or the template in force) as clean HTML, filled in from `source` or, without one,
/// the sample (administrators edit with any source; the others preview what they may print).
pub async fn preview(
    db: &Db,
    user: &CurrentUser,
    kind: DocKind,
    lang: &str,
    body: Option<&str>,
    source: Option<&DocSource>,
) -> Result<String, AppError> {
    let l = language(lang)?;
    if body.is_some() {
        admin(user)?;
    }
    let fields = match source {
        Some(s) => fields(db, user, kind, s, l).await?.0,
        None => sample(kind, l),
    };
    let body = match body {
        Some(b) => b.to_string(),
        None => template(db, kind, lang).await?.body,
    };
    let nodes = render::render(&body, &fields)?;
    let have = store::image_names(db).await?;
    let url = |name: &str| have.iter().any(|h| h == name).then(|| format!("/api/v1/company-images/{name}"));
    Ok(super::markup::to_html(&nodes, &url))
}

/// What to e-mail a document with: the mailbox, the addresses (default: the customer's), subject and text.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct EmailIt {
    pub mailbox_id: i64,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
}

/// Prints a document, keeps it on the customer's timeline (a note with the PDF attached, in one
/// transaction), and, when asked, e-mails it from one of the user's mailboxes with the PDF attached.
pub async fn file(
    db: &Db,
    user: &CurrentUser,
    kind: DocKind,
    source: &DocSource,
    lang: &str,
    email: Option<&EmailIt>,
) -> Result<Filed, AppError> {
    let (file_name, bytes, customer_id) = pdf(db, user, kind, source, lang).await?;
    let title = file_name.trim_end_matches(".pdf").to_string();
    let l = language(lang)?;
    let subject = format!("{} {}", kind.label().text(l), title);
    let sent = match email {
        None => None,
        Some(e) => {
            // An empty subject or text: the document's name, and a line saying it is attached.
            let or = |v: &str, default: String| if v.trim().is_empty() { default } else { v.to_string() };
            let attached = match l {
                Lang::Uz => "Hujjat ilova qilingan.",
                Lang::Ru => "Документ во вложении.",
                Lang::En => "Please find the document attached.",
            };
            let input = crate::mail::NewMail {
                mailbox_id: e.mailbox_id,
                customer_id,
                contact_id: None,
                to: e.to.clone(),
                subject: or(&e.subject, subject.clone()),
                body: or(&e.body, attached.to_string()),
                reply_to: None,
            };
            let attachment = crate::mail::send::OutAttachment {
                file_name: file_name.clone(),
                content_type: "application/pdf".into(),
                data: bytes.clone(),
            };
            let sent = crate::mail::service::send_mail_with(db, user, &input, &[attachment]).await;
            Some(sent.map_err(|e| prefixed(e, "email."))?.message.id)
        }
    };
    let now = now_millis();
    let size = bytes.len() as i64;
    let (interaction_id, attachment_id) = db_run!(db, p => {
        let mut tx = crate::core::db::BeginWrite::begin_write(p).await?;
        let interaction_id: i64 = sqlx::query_scalar(
            "INSERT INTO interactions (customer_id, kind, status, subject, body, occurred_at, author_id, created_at, \
             updated_at) VALUES ($1, 'note', 'done', $2, NULL, $3, $4, $3, $3) RETURNING id")
            .bind(customer_id).bind(&subject).bind(now).bind(user.id).fetch_one(&mut *tx).await?;
        let attachment_id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (interaction_id, file_name, content_type, size, data, created_by, created_at) \
             VALUES ($1, $2, 'application/pdf', $3, $4, $5, $6) RETURNING id")
            .bind(interaction_id).bind(&file_name).bind(size).bind(&bytes).bind(user.id).bind(now)
            .fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok::<(i64, i64), sqlx::Error>((interaction_id, attachment_id))
    })?;
    Ok(Filed { interaction_id, attachment_id, file_name, message_id: sent })
}

/// The error with its fields under `prefix` (the e-mail's `to` is `email.to` of a document's request).
pub fn prefixed(e: AppError, prefix: &str) -> AppError {
    match e {
        AppError::Validation { fields } => AppError::Validation {
            fields: fields
                .into_iter()
                .map(|f| crate::core::FieldError { field: format!("{prefix}{}", f.field), code: f.code })
                .collect(),
        },
        other => other,
    }
}

/// Checks an uploaded image: a known name, PNG or JPEG, at most [`MAX_IMAGE_BYTES`].
pub async fn set_image(db: &Db, user: &CurrentUser, name: &str, data: &[u8]) -> Result<(), AppError> {
    admin(user)?;
    let Some(name) = IMAGE_NAMES.iter().copied().find(|n| *n == name) else {
        return Err(AppError::NotFound);
    };
    if data.len() > MAX_IMAGE_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let content_type = if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else {
        return Err(AppError::field("file", ErrCode::NotAnImage));
    };
    // Decoded once here, by the engine that will print it, so a broken file never breaks documents.
    let image = Image { name, data: data.to_vec() };
    let body = format!("#image(image-path.at(\"{name}\"), width: 1cm)");
    let today = chrono::Local::now().date_naive();
    let decodes = tokio::task::spawn_blocking(move || typeset::pdf(&body, "en", vec![image], today).is_ok())
        .await
        .unwrap_or(false);
    if !decodes {
        return Err(AppError::field("file", ErrCode::NotAnImage));
    }
    store::set_image(db, name, content_type, data).await
}

/// An image (any signed-in user: previews show them).
pub async fn image(db: &Db, name: &str) -> Result<(String, Vec<u8>), AppError> {
    store::image(db, name).await
}

pub async fn remove_image(db: &Db, user: &CurrentUser, name: &str) -> Result<(), AppError> {
    admin(user)?;
    if !IMAGE_NAMES.contains(&name) {
        return Err(AppError::NotFound);
    }
    store::remove_image(db, name).await
}

/// Which images the company has (for the Settings page).
pub async fn image_names(db: &Db) -> Result<Vec<String>, AppError> {
    store::image_names(db).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_template_renders_with_its_sample() {
        for kind in DocKind::ALL {
            for lang in Lang::ALL {
                let nodes = render::render(&defaults::body(kind, lang), &sample(kind, lang))
                    .unwrap_or_else(|e| panic!("{kind:?} {lang:?}: {e:?}"));
                assert!(!nodes.is_empty(), "{kind:?} {lang:?}");
            }
        }
    }
}
