//! Price-list operations with their rules: everyone signed in reads prices (a manager quotes them);
//! administrators keep the lists, their prices and which customers buy from which.

use super::price_minor;
use super::price_store as store;
use super::prices::{
    MAX_ASSIGN, MAX_PRICES, NewPrices, PriceList, PriceListAssign, PriceListInput, PriceQuote, check_date,
};
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, Checks, ErrCode, now_millis};

fn admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
}

/// Today in the reader's calendar, as prices are dated.
fn today() -> String {
    crate::core::format::date_input(now_millis())
}

/// A date given by the caller (`field`), or today.
pub fn date_or_today(field: &str, on: Option<&str>) -> Result<String, AppError> {
    match on.map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(today()),
        Some(d) => {
            let mut c = Checks::default();
            let d = check_date(&mut c, field, d);
            c.finish()?;
            Ok(d.unwrap_or_default())
        }
    }
}

/// Creates (`id: None`) or changes a price list.
pub async fn save_price_list(
    db: &Db,
    user: &CurrentUser,
    id: Option<i64>,
    input: &PriceListInput,
) -> Result<PriceList, AppError> {
    admin(user)?;
    if let Some(id) = id {
        store::price_list(db, id).await?;
    }
    let version = match (id, input.version) {
        (Some(_), None) => return Err(AppError::field("version", ErrCode::Required)),
        (_, v) => v.unwrap_or(0),
    };
    let (name, currency) = input.validate()?;
    let id = store::save_price_list(db, id, version, &name, &currency, input.is_default).await?;
    store::price_list(db, id).await
}

/// Archives or restores a price list at `version`.
pub async fn archive_price_list(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    version: i64,
    archived: bool,
) -> Result<PriceList, AppError> {
    admin(user)?;
    store::price_list(db, id).await?;
    store::set_price_list_archived(db, id, version, archived.then(now_millis)).await?;
    store::price_list(db, id).await
}

/// Sets prices in a list, all or none; a missing date means from today.
pub async fn set_prices(db: &Db, user: &CurrentUser, list_id: i64, input: &NewPrices) -> Result<(), AppError> {
    admin(user)?;
    store::price_list(db, list_id).await?;
    let mut c = Checks::default();
    if input.items.is_empty() {
        c.fail("items", ErrCode::Required);
    }
    if input.items.len() > MAX_PRICES {
        c.fail("items", ErrCode::TooMany);
        return c.finish();
    }
    let today = today();
    let mut rows = Vec::with_capacity(input.items.len());
    for (i, item) in input.items.iter().enumerate() {
        let from = match item.valid_from.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => Some(today.clone()),
            Some(d) => check_date(&mut c, &format!("items[{i}].valid_from"), d),
        };
        let price = price_minor(&mut c, &format!("items[{i}].price"), item.price);
        if let (Some(from), Some(price)) = (from, price) {
            rows.push((item.product_id, from, price));
        }
    }
    let ids: Vec<i64> = input.items.iter().map(|i| i.product_id).collect();
    let missing = store::missing_products(db, &ids).await?;
    for (i, item) in input.items.iter().enumerate() {
        if missing.contains(&item.product_id) {
            c.fail(&format!("items[{i}].product_id"), ErrCode::InvalidChoice);
        }
    }
    c.finish()?;
    store::set_prices(db, list_id, user.id, &rows).await
}

/// Puts customers on a list (or back on the default one).
pub async fn assign(db: &Db, user: &CurrentUser, input: &PriceListAssign) -> Result<u64, AppError> {
    admin(user)?;
    let mut c = Checks::default();
    if input.customer_ids.is_empty() {
        c.fail("customer_ids", ErrCode::Required);
    }
    if input.customer_ids.len() > MAX_ASSIGN {
        c.fail("customer_ids", ErrCode::TooMany);
    }
    if let Some(list) = input.price_list_id {
        match store::price_list(db, list).await {
            Ok(l) if l.archived_at.is_none() => {}
            Ok(_) | Err(AppError::NotFound) => c.fail("price_list_id", ErrCode::InvalidChoice),
            Err(e) => return Err(e),
        }
    }
    c.finish()?;
    store::assign(db, input.price_list_id, &input.customer_ids).await
}

/// The price `customer_id` (one the reader may see; none: any customer without a list) pays for a product
/// on `on` (default today): from the customer's own list when it is in `currency` (or no currency is asked
/// for) and prices the product, else from the default list of `currency` (UZS when none is asked for).
/// `None` when no list prices it.
pub async fn price_for(
    db: &Db,
    user: &CurrentUser,
    product_id: i64,
    customer_id: Option<i64>,
    currency: Option<&str>,
    on: Option<&str>,
) -> Result<Option<PriceQuote>, AppError> {
    let on = date_or_today("on", on)?;
    let mut c = Checks::default();
    let currency = currency.map(|cur| crate::deals::currency(&mut c, Some(cur)));
    c.finish()?;
    super::store::product(db, product_id).await?;
    let mut lists = Vec::new();
    if let Some(customer) = customer_id {
        crate::customers::service::get(db, user, customer).await?;
        lists.extend(store::customer_list(db, customer).await?);
    }
    if let Some(d) = store::default_list(db, currency.as_deref().unwrap_or(super::STOCK_CURRENCY)).await? {
        lists.push(d);
    }
    store::quote(db, product_id, &lists, currency.as_deref(), &on).await
}
