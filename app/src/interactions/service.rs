//! Interaction operations with their rules: whoever may see a customer may see, log and update its
//! interactions (the customers' role rules).

use super::store;
use super::{AttachmentInfo, Interaction, InteractionFilter, InteractionPage, InteractionPatch, NewInteraction};
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, ErrCode, now_millis};
use crate::customers::store as customers;
use crate::db_run;

/// Checks that `contact_id` is linked to `customer_id` (a 422 on `contact_id` otherwise).
pub async fn check_contact(db: &Db, customer_id: i64, contact_id: Option<i64>) -> Result<(), AppError> {
    let Some(contact_id) = contact_id else { return Ok(()) };
    let sql = "SELECT 1 FROM customer_contacts WHERE customer_id = $1 AND contact_id = $2";
    let found: Option<i32> =
        db_run!(db, p => sqlx::query_scalar(sql).bind(customer_id).bind(contact_id).fetch_optional(p).await)?;
    found.map(|_| ()).ok_or_else(|| AppError::field("contact_id", ErrCode::InvalidChoice))
}

/// Logs an interaction with a customer `user` may see.
pub async fn create(db: &Db, user: &CurrentUser, input: &NewInteraction) -> Result<Interaction, AppError> {
    customers::get(db, user.scope(), input.customer_id).await?;
    let values = input.validate(now_millis())?;
    check_contact(db, input.customer_id, values.contact_id).await?;
    crate::deals::service::check_link(db, user, Some(input.customer_id), values.deal_id).await?;
    let id = store::create(db, Some(user.id), input.customer_id, &values).await?;
    store::get(db, id).await
}

/// One interaction, if `user` may see its customer.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> Result<Interaction, AppError> {
    let i = store::get(db, id).await?;
    customers::get(db, user.scope(), i.customer_id).await?;
    Ok(i)
}

/// Applies a patch based on `patch.version`; a stale version is a `Conflict`, never an overwrite. Only the
/// author and administrators change an interaction (see [`super::InteractionPatch::apply`] for what stays).
pub async fn update(db: &Db, user: &CurrentUser, id: i64, patch: &InteractionPatch) -> Result<Interaction, AppError> {
    let current = get(db, user, id).await?;
    // The author's record: only they (or an administrator) change it.
    if !user.is_admin() && current.author_id != Some(user.id) {
        return Err(AppError::Forbidden);
    }
    if current.version != patch.version {
        return Err(AppError::Conflict);
    }
    let values = patch.apply(&current, now_millis())?;
    store::update(db, id, patch.version, &values).await?;
    store::get(db, id).await
}

/// A page of the interactions `user` may see, filtered.
pub async fn list(db: &Db, user: &CurrentUser, filter: &InteractionFilter) -> Result<InteractionPage, AppError> {
    if let Some(c) = filter.customer_id {
        customers::get(db, user.scope(), c).await?;
    }
    store::list(db, user.scope(), filter).await
}

/// Attaches a file (at most [`super::MAX_ATTACHMENT_BYTES`]) to an interaction `user` may see.
pub async fn attach(
    db: &Db,
    user: &CurrentUser,
    interaction_id: i64,
    file_name: &str,
    content_type: Option<&str>,
    data: &[u8],
) -> Result<AttachmentInfo, AppError> {
    get(db, user, interaction_id).await?;
    if data.is_empty() {
        return Err(AppError::field("file", ErrCode::EmptyFile));
    }
    if data.len() > super::MAX_ATTACHMENT_BYTES {
        return Err(AppError::PayloadTooLarge);
    }
    let name = safe_file_name(file_name);
    let content_type = content_type
        .filter(|c| !c.is_empty() && c.len() <= 100 && c.bytes().all(|b| b.is_ascii_graphic() || b == b' '))
        .unwrap_or("application/octet-stream");
    store::add_attachment(db, interaction_id, user.id, &name, content_type, data).await
}

/// A file, if `user` may see the interaction it belongs to.
pub async fn attachment(db: &Db, user: &CurrentUser, id: i64) -> Result<(AttachmentInfo, Vec<u8>), AppError> {
    let (info, interaction_id, data) = store::attachment(db, id).await?;
    get(db, user, interaction_id.ok_or(AppError::NotFound)?).await?;
    Ok((info, data))
}

/// Queues an SMS to a customer (or its contact person) `user` may see; it goes out through the gateway.
pub async fn send_sms(db: &Db, user: &CurrentUser, input: &super::sms::NewSms) -> Result<Interaction, AppError> {
    let customer = customers::get(db, user.scope(), input.customer_id).await?;
    let (phone, text) = super::sms::check(input.phone.as_deref(), &input.text)?;
    if !super::sms::ENABLED.load(std::sync::atomic::Ordering::Relaxed) {
        return Err(AppError::field("text", ErrCode::SmsNotConfigured));
    }
    check_contact(db, input.customer_id, input.contact_id).await?;
    let phone = match (phone, input.contact_id) {
        (Some(p), _) => p,
        (None, Some(contact)) => {
            let sql = "SELECT value FROM contact_points WHERE contact_id = $1 AND kind = 'phone' ORDER BY id LIMIT 1";
            let found: Option<String> =
                db_run!(db, p => sqlx::query_scalar(sql).bind(contact).fetch_optional(p).await)?;
            found.ok_or_else(|| AppError::field("phone", ErrCode::Required))?
        }
        (None, None) => customer.phone.clone().ok_or_else(|| AppError::field("phone", ErrCode::Required))?,
    };
    let id = super::sms::queue(db, user.id, input.customer_id, input.contact_id, &phone, &text).await?;
    store::get(db, id).await
}

/// A file name without directories or control characters, at most 200 characters.
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() { "file".into() } else { clean }
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_names_lose_paths_and_controls() {
        assert_eq!(super::safe_file_name("C:\\Users\\a\\offer.pdf"), "offer.pdf");
        assert_eq!(super::safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(super::safe_file_name("a\"b\r\n.txt"), "ab.txt");
        assert_eq!(super::safe_file_name(".."), "file");
    }
}
