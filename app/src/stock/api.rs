//! Server functions for the stock pages: thin shims over the services.
// A server function takes a form's fields as its arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::dashboard::Dashboard;
use crate::core::AppError;
#[cfg(feature = "ssr")]
use crate::core::request::{session, set_status};

/// The warehouse dashboard of one warehouse (`warehouse`: its id) or of all of them.
#[server(prefix = "/rpc", endpoint = "stock/dashboard")]
pub async fn stock_dashboard(warehouse: Option<String>) -> Result<Dashboard, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let warehouse = match warehouse.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
            Some(w) => Some(w.parse::<i64>().map_err(|_| AppError::NotFound)?),
            None => None,
        };
        super::dashboard_store::dashboard(&db, ctx.user()?, warehouse).await
    };
    run.await.inspect_err(set_status)
}

/// The documents page: a page of documents, the warehouses to filter by and those the reader may post in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocsView {
    pub page: super::DocPage,
    pub warehouses: Vec<super::dashboard::WarehouseChoice>,
    /// Where the reader may make documents (empty: nowhere).
    pub postable: Vec<super::dashboard::WarehouseChoice>,
}

/// A document with what the reader may do to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocView {
    pub doc: super::StockDocument,
    pub may_post: bool,
    pub may_receive: bool,
    pub may_cancel: bool,
}

/// A form's id choice, trimmed.
#[cfg(feature = "ssr")]
fn opt_id(field: &str, v: Option<&str>) -> Result<Option<i64>, AppError> {
    super::store::opt_id(field, v.map(str::trim))
}

/// A page of stock documents (newest first), filtered by warehouse, kind and status.
#[server(prefix = "/rpc", endpoint = "stock/documents")]
pub async fn stock_documents(
    warehouse: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    cursor: Option<String>,
) -> Result<DocsView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let q = super::store::DocQuery {
            warehouse_id: opt_id("warehouse", warehouse.as_deref())?,
            kind: kind.as_deref().and_then(super::DocKind::parse),
            status: status.as_deref().and_then(super::DocStatus::parse),
            cursor,
            limit: 30,
            ..Default::default()
        };
        let page = super::service::documents(&db, user, q).await?;
        let (all, _) = super::store::warehouses(&db, None, Default::default(), None, 200).await?;
        let may = super::service::postable(&db, user).await?;
        let choice = |w: &super::Warehouse| super::dashboard::WarehouseChoice { id: w.id, name: w.name.clone() };
        let postable = all.iter().filter(|w| may.as_ref().is_none_or(|m| m.contains(&w.id))).map(choice).collect();
        Ok(DocsView { page, warehouses: all.iter().map(choice).collect(), postable })
    };
    run.await.inspect_err(set_status)
}

/// Makes a document from the form (lines `line[product.N]`, `line[qty.N]`, `line[unit.N]`, `line[cost.N]`,
/// the product by barcode, SKU or name), posts it at once when asked, and opens it.
#[server(prefix = "/rpc", endpoint = "stock/create-document")]
pub async fn create_stock_document(
    kind: String,
    warehouse: String,
    to_warehouse: Option<String>,
    reason: Option<String>,
    note: Option<String>,
    post: Option<String>,
    line: Option<std::collections::BTreeMap<String, String>>,
) -> Result<i64, AppError> {
    use crate::core::{Checks, ErrCode};
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let mut c = Checks::default();
        let kind = super::DocKind::parse(&kind);
        if kind.is_none() {
            c.fail("kind", ErrCode::InvalidChoice);
        }
        let warehouse_id = opt_id("warehouse", Some(&warehouse))?;
        if warehouse_id.is_none() {
            c.fail("warehouse", ErrCode::Required);
        }
        let to_warehouse_id = opt_id("to_warehouse", to_warehouse.as_deref())?;
        let form = line.unwrap_or_default();
        let mut rows: Vec<usize> =
            form.keys().filter_map(|k| k.split_once('.').and_then(|(_, n)| n.parse().ok())).collect();
        rows.sort_unstable();
        rows.dedup();
        let mut lines = Vec::new();
        // Where each line came from on the form, to put its errors back beside it.
        let mut names: Vec<(String, String)> = Vec::new();
        for n in rows {
            let get = |k: &str| form.get(&format!("{k}.{n}")).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
            let (product, qty) = (get("product"), get("qty"));
            if product.is_none() && qty.is_none() {
                continue;
            }
            let product_id = match product {
                None => {
                    c.fail(&format!("lines[{n}].product"), ErrCode::Required);
                    0
                }
                Some(code) => match super::service::product_by_code(&db, &code).await? {
                    Ok(id) => id,
                    Err(code) => {
                        c.fail(&format!("lines[{n}].product"), code);
                        0
                    }
                },
            };
            let number = |field: &str, v: Option<String>, c: &mut Checks| match v
                .map(|v| v.replace([' ', '\u{a0}'], "").replace(',', "."))
            {
                None => None,
                Some(v) => match v.parse::<rust_decimal::Decimal>() {
                    Ok(d) => Some(d),
                    Err(_) => {
                        c.fail(&format!("lines[{n}].{field}"), ErrCode::NotANumber);
                        None
                    }
                },
            };
            if qty.is_none() {
                c.fail(&format!("lines[{n}].qty"), ErrCode::Required);
            }
            let qty = number("qty", qty, &mut c);
            let unit_cost = number("cost", get("cost"), &mut c);
            let j = lines.len();
            for (from, to) in [("qty", "qty"), ("unit", "unit"), ("unit_cost", "cost"), ("product_id", "product")] {
                names.push((format!("lines[{j}].{from}"), format!("lines[{n}].{to}")));
            }
            lines.push(super::NewDocLine { product_id, unit: get("unit"), qty: qty.unwrap_or_default(), unit_cost });
        }
        if lines.is_empty() {
            c.fail("lines[0].product", ErrCode::Required);
        }
        c.finish()?;
        let input = super::NewStockDocument {
            kind: kind.unwrap_or(super::DocKind::Receipt),
            warehouse_id: warehouse_id.unwrap_or_default(),
            to_warehouse_id,
            customer_id: None,
            reason,
            note,
            doc_at: None,
            lines,
            post: post.is_some(),
        };
        let pairs: Vec<(&str, &str)> = names.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let doc = super::service::create_document(&db, user, &input).await.map_err(|e| {
            e.renamed(&pairs).renamed(&[("warehouse_id", "warehouse"), ("to_warehouse_id", "to_warehouse")])
        })?;
        leptos_axum::redirect(&format!("/stock/documents/{}", doc.id));
        Ok(doc.id)
    };
    run.await.inspect_err(set_status)
}

/// One document with what the reader may do to it.
#[server(prefix = "/rpc", endpoint = "stock/document")]
pub async fn stock_document(id: i64) -> Result<DocView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let doc = super::service::document(&db, user, id).await?;
        let may = super::service::postable(&db, user).await?;
        let at = |w: i64| may.as_ref().is_none_or(|m| m.contains(&w));
        use super::DocStatus::*;
        let may_post = doc.status == Draft && at(doc.warehouse_id);
        let may_receive = doc.status == InTransit && at(doc.to_warehouse_id.unwrap_or(doc.warehouse_id));
        let may_cancel = matches!(doc.status, Posted | InTransit)
            && at(doc.warehouse_id)
            && (doc.status != Posted || doc.to_warehouse_id.is_none_or(at));
        Ok(DocView { doc, may_post, may_receive, may_cancel })
    };
    run.await.inspect_err(set_status)
}

/// Posts, receives or cancels a document (`act`: `post`, `receive`, `cancel`) at `version`, and shows it again.
#[server(prefix = "/rpc", endpoint = "stock/document-act")]
pub async fn act_on_stock_document(id: i64, version: i64, act: String) -> Result<(), AppError> {
    use super::store::Transition;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let what = match act.as_str() {
            "post" => Transition::Post,
            "receive" => Transition::Receive,
            "cancel" => Transition::Cancel,
            _ => return Err(AppError::field("act", crate::core::ErrCode::InvalidChoice)),
        };
        super::service::transition(&db, ctx.user()?, id, version, what).await?;
        leptos_axum::redirect(&format!("/stock/documents/{id}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// A group to filter by: its id and path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroupChoice {
    pub id: i64,
    pub path: String,
    pub depth: i64,
}

/// The catalog page: a page of products (with their group's path) and the groups to filter by.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CatalogView {
    pub items: Vec<(super::Product, Option<String>)>,
    pub next_cursor: Option<String>,
    pub groups: Vec<GroupChoice>,
    /// Whether the reader keeps the catalog (adds, changes and imports products).
    pub keeps_catalog: bool,
    /// The products' custom field definitions (the new-product form asks for the active ones).
    pub fields: Vec<crate::custom_fields::CustomField>,
}

/// A page of the catalog by name, searched (name, SKU or barcode) and filtered by a group with its subgroups.
#[server(prefix = "/rpc", endpoint = "stock/products")]
pub async fn stock_products(
    q: Option<String>,
    group: Option<String>,
    cursor: Option<String>,
) -> Result<CatalogView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let query = super::store::ProductQuery {
            search: q,
            group_id: opt_id("group", group.as_deref())?,
            cursor,
            limit: 50,
            ..Default::default()
        };
        let page = super::store::products(&db, &query).await?;
        let tree = super::groups::Tree::load(&db).await?;
        let path = |g: Option<i64>| g.and_then(|g| tree.get(g)).map(|g| g.path.clone());
        let items = page
            .items
            .into_iter()
            .map(|p| {
                let g = path(p.group_id);
                (p, g)
            })
            .collect();
        let groups = group_choices(&tree);
        let keeps_catalog = user.role.keeps_catalog();
        let fields = if keeps_catalog { super::store::product_fields(&db).await? } else { Vec::new() };
        Ok(CatalogView { items, next_cursor: page.next_cursor, groups, keeps_catalog, fields })
    };
    run.await.inspect_err(set_status)
}

/// A product's page: the product, its group's path, its stock in each warehouse and a page of its
/// movements (newest first) with their documents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProductView {
    pub product: super::Product,
    pub group_path: Option<String>,
    pub balances: Vec<super::Balance>,
    pub movements: super::MovementPage,
    pub warehouses: Vec<super::dashboard::WarehouseChoice>,
    /// For the edit form: the groups, and whether the reader keeps the catalog.
    pub groups: Vec<GroupChoice>,
    pub keeps_catalog: bool,
    /// The products' custom field definitions (the card shows the values; the form asks for the active ones).
    pub fields: Vec<crate::custom_fields::CustomField>,
}

#[cfg(feature = "ssr")]
fn group_choices(tree: &super::groups::Tree) -> Vec<GroupChoice> {
    tree.groups.iter().map(|g| GroupChoice { id: g.id, path: g.path.clone(), depth: g.depth }).collect()
}

/// One product with its stock and its movement history (`cursor`: the history's next page).
#[server(prefix = "/rpc", endpoint = "stock/product")]
pub async fn stock_product(id: String, cursor: Option<String>) -> Result<ProductView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let keeps_catalog = ctx.user()?.role.keeps_catalog();
        let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
        let product = super::store::product(&db, id).await?;
        let tree = super::groups::Tree::load(&db).await?;
        let group_path = product.group_id.and_then(|g| tree.get(g)).map(|g| g.path.clone());
        let q = super::store::BalanceQuery { product_id: Some(id), limit: 200, ..Default::default() };
        let balances = super::store::balances(&db, &q).await?.items;
        let q = super::store::MovementQuery { product_id: Some(id), cursor, limit: 30, ..Default::default() };
        let movements = super::store::movements(&db, &q).await?;
        let (all, _) = super::store::warehouses(&db, None, Default::default(), None, 200).await?;
        let warehouses =
            all.iter().map(|w| super::dashboard::WarehouseChoice { id: w.id, name: w.name.clone() }).collect();
        Ok(ProductView {
            product,
            group_path,
            balances,
            movements,
            warehouses,
            groups: group_choices(&tree),
            keeps_catalog,
            fields: super::store::product_fields(&db).await?,
        })
    };
    run.await.inspect_err(set_status)
}

/// Makes a product (`id` empty) or changes one at `version` from the catalog's form, and opens it. Fields the
/// form has no input for (other names, extra units, package code) keep their values; barcodes are given
/// separated by commas or spaces; custom fields as `custom[key]`.
#[server(prefix = "/rpc", endpoint = "stock/save-product")]
pub async fn save_product(
    id: Option<String>,
    version: Option<String>,
    name: String,
    kind: Option<String>,
    sku: Option<String>,
    barcodes: Option<String>,
    base_unit: Option<String>,
    group_id: Option<String>,
    vat: Option<String>,
    mxik: Option<String>,
    weight_kg: Option<String>,
    custom: Option<std::collections::BTreeMap<String, String>>,
) -> Result<i64, AppError> {
    use crate::core::ErrCode;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let id = opt_id("id", id.as_deref())?;
        let current = match id {
            Some(id) => Some(super::store::product(&db, id).await?),
            None => None,
        };
        let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let weight_kg = match text(weight_kg) {
            None => None,
            Some(w) => Some(
                w.replace([' ', '\u{a0}'], "")
                    .replace(',', ".")
                    .parse()
                    .map_err(|_| AppError::field("weight_kg", ErrCode::NotANumber))?,
            ),
        };
        let kind = match text(kind) {
            None => super::ProductKind::Goods,
            Some(k) => super::ProductKind::parse(&k).ok_or_else(|| AppError::field("kind", ErrCode::InvalidChoice))?,
        };
        let input = super::ProductInput {
            version: text(version).and_then(|v| v.parse().ok()),
            kind,
            name,
            name_ru: current.as_ref().and_then(|p| p.name_ru.clone()),
            name_en: current.as_ref().and_then(|p| p.name_en.clone()),
            sku: text(sku),
            group_id: opt_id("group_id", group_id.as_deref())?,
            base_unit: text(base_unit),
            units: current.as_ref().map(|p| p.units.clone()).unwrap_or_default(),
            barcodes: text(barcodes)
                .map(|b| b.split([',', ';', ' ']).filter(|c| !c.is_empty()).map(str::to_string).collect())
                .unwrap_or_default(),
            mxik: text(mxik).map(|m| m.replace(' ', "")),
            package_code: current.as_ref().and_then(|p| p.package_code.clone()),
            vat: text(vat),
            weight_kg,
            custom: Some(crate::custom_fields::from_form(
                &super::store::product_fields(&db).await?,
                &custom.unwrap_or_default(),
            )),
        };
        let saved = match id {
            None => super::service::create_product(&db, user, &input).await?,
            Some(id) => super::service::update_product(&db, user, id, &input).await?,
        };
        leptos_axum::redirect(&format!("/stock/products/{}", saved.id));
        Ok(saved.id)
    };
    run.await.inspect_err(set_status)
}

/// A person a warehouse may name: its responsible or one of its storekeepers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StaffChoice {
    pub id: i64,
    pub name: String,
    pub storekeeper: bool,
}

/// The warehouses page: a page of warehouses, the active staff by name, whether the reader administers
/// them, and the closed period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct WarehousesView {
    pub items: Vec<super::Warehouse>,
    pub next_cursor: Option<String>,
    pub staff: Vec<StaffChoice>,
    pub is_admin: bool,
    pub closed_until: Option<crate::core::Millis>,
}

/// A page of warehouses by id (`cursor`: the last id shown).
#[server(prefix = "/rpc", endpoint = "stock/warehouses")]
pub async fn stock_warehouses(cursor: Option<String>) -> Result<WarehousesView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        let after = opt_id("cursor", cursor.as_deref())?;
        let (items, next_cursor) = super::store::warehouses(&db, None, Default::default(), after, 50).await?;
        let staff = crate::admin::store::list_users(&db)
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| StaffChoice {
                id: u.id,
                name: u.name,
                storekeeper: u.role == crate::core::identity::Role::Storekeeper,
            })
            .collect();
        let closed_until = super::store::closed_until(&db).await?;
        Ok(WarehousesView { items, next_cursor, staff, is_admin: user.is_admin(), closed_until })
    };
    run.await.inspect_err(set_status)
}

/// Adds a warehouse (`id` empty) or changes one at `version` from the warehouses page; storekeepers come
/// as `keepers[<user id>]` ticks. Back to the page.
#[server(prefix = "/rpc", endpoint = "stock/save-warehouse")]
pub async fn save_warehouse(
    id: Option<String>,
    version: Option<String>,
    name: String,
    address: Option<String>,
    responsible_id: Option<String>,
    allow_negative: Option<String>,
    keepers: Option<std::collections::BTreeMap<String, String>>,
) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let keepers = keepers
            .unwrap_or_default()
            .keys()
            .map(|k| k.parse::<i64>().map_err(|_| AppError::field("keepers", crate::core::ErrCode::InvalidChoice)))
            .collect::<Result<Vec<_>, _>>()?;
        let input = super::WarehouseInput {
            version: version.as_deref().map(str::trim).and_then(|v| v.parse().ok()),
            name,
            address: address.map(|a| a.trim().to_string()).filter(|a| !a.is_empty()),
            responsible_id: opt_id("responsible_id", responsible_id.as_deref())?,
            allow_negative: allow_negative.is_some_and(|v| v == "true"),
            keepers,
        };
        let id = opt_id("id", id.as_deref())?;
        let saved = super::service::save_warehouse(&db, ctx.user()?, id, &input).await?;
        leptos_axum::redirect("/stock/warehouses");
        Ok(saved.id)
    };
    run.await.inspect_err(set_status)
}

/// Closes the stock period through the day `closed_through` (`YYYY-MM-DD`, the reader's time; that day
/// included), or opens it when empty; administrators. Back to the warehouses page.
#[server(prefix = "/rpc", endpoint = "stock/close-period")]
pub async fn close_period(closed_through: Option<String>) -> Result<Option<crate::core::Millis>, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let until = match closed_through.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => {
                let day = crate::core::format::parse_date(d)
                    .ok_or_else(|| AppError::field("closed_through", crate::core::ErrCode::InvalidDate))?;
                // The next day's midnight (36 hours on lands in it whatever the clock does).
                Some(crate::core::format::day_start(day + 36 * 3_600_000))
            }
        };
        let closed = super::service::set_closed_until(&db, ctx.user()?, until)
            .await
            .map_err(|e| e.renamed(&[("closed_until", "closed_through")]))?;
        leptos_axum::redirect("/stock/warehouses");
        Ok(closed)
    };
    run.await.inspect_err(set_status)
}

/// The groups page: a page of the tree in path order, every group for the parent choice, and whether the
/// reader keeps the catalog.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GroupsView {
    pub items: Vec<super::groups::ProductGroup>,
    pub next_cursor: Option<String>,
    pub all: Vec<GroupChoice>,
    pub keeps_catalog: bool,
}

/// A page of the catalog's groups (`cursor`: the last id shown).
#[server(prefix = "/rpc", endpoint = "stock/groups")]
pub async fn stock_groups(cursor: Option<String>) -> Result<GroupsView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let keeps_catalog = ctx.user()?.role.keeps_catalog();
        let after = opt_id("cursor", cursor.as_deref())?;
        let tree = super::groups::Tree::load(&db).await?;
        let all = group_choices(&tree);
        let (items, next_cursor) = tree.page(after, 200);
        Ok(GroupsView { items, next_cursor, all, keeps_catalog })
    };
    run.await.inspect_err(set_status)
}

/// Adds a group (`id` empty) or renames or moves one at `version`; back to the groups page.
#[server(prefix = "/rpc", endpoint = "stock/save-group")]
pub async fn save_group(
    id: Option<String>,
    version: Option<String>,
    name: String,
    parent_id: Option<String>,
) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let input = super::groups::GroupInput {
            version: version.as_deref().map(str::trim).and_then(|v| v.parse().ok()),
            parent_id: opt_id("parent_id", parent_id.as_deref())?,
            name,
        };
        let id = opt_id("id", id.as_deref())?;
        let saved = super::groups::save(&db, ctx.user()?, id, &input).await?;
        leptos_axum::redirect("/stock/groups");
        Ok(saved.id)
    };
    run.await.inspect_err(set_status)
}

/// Deletes an empty group at `version`; back to the groups page.
#[server(prefix = "/rpc", endpoint = "stock/delete-group")]
pub async fn delete_group(id: String, version: Option<String>) -> Result<(), AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let id = opt_id("id", Some(&id))?.ok_or(AppError::NotFound)?;
        let version = version.as_deref().map(str::trim).and_then(|v| v.parse().ok());
        super::groups::delete(&db, ctx.user()?, id, version).await?;
        leptos_axum::redirect("/stock/groups");
        Ok(())
    };
    run.await.inspect_err(set_status)
}

/// The price lists page: the lists, the one opened (its prices in force on a day, a page by product), and
/// whether the reader keeps them (administrators).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PricesView {
    pub lists: Vec<super::prices::PriceList>,
    pub open: Option<super::prices::PriceList>,
    pub prices: Option<super::prices::PricePage>,
    /// The day the prices are in force on (`YYYY-MM-DD`).
    pub on: String,
    pub is_admin: bool,
}

/// The price lists, and the prices of list `list` (its id; none opened when empty) in force on `on`
/// (today when empty; `cursor`: the last product id shown).
#[server(prefix = "/rpc", endpoint = "stock/prices")]
pub async fn stock_prices(
    list: Option<String>,
    on: Option<String>,
    cursor: Option<String>,
) -> Result<PricesView, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let is_admin = ctx.user()?.is_admin();
        let on = super::price_service::date_or_today("on", on.as_deref())?;
        let (lists, _) = super::price_store::price_lists(&db, Default::default(), None, 200).await?;
        let (open, prices) = match opt_id("list", list.as_deref())? {
            None => (None, None),
            Some(id) => {
                let open = super::price_store::price_list(&db, id).await?;
                let after = opt_id("cursor", cursor.as_deref())?;
                let page = super::price_store::prices(&db, id, &on, None, after, 50).await?;
                (Some(open), Some(page))
            }
        };
        Ok(PricesView { lists, open, prices, on, is_admin })
    };
    run.await.inspect_err(set_status)
}

/// Adds a price list (`id` empty) or changes one at `version`; back to the list's prices.
#[server(prefix = "/rpc", endpoint = "stock/save-price-list")]
pub async fn save_price_list(
    id: Option<String>,
    version: Option<String>,
    name: String,
    currency: Option<String>,
    is_default: Option<String>,
) -> Result<i64, AppError> {
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let input = super::prices::PriceListInput {
            version: version.as_deref().map(str::trim).and_then(|v| v.parse().ok()),
            name,
            currency: currency.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()),
            is_default: is_default.is_some_and(|v| v == "true"),
        };
        let id = opt_id("id", id.as_deref())?;
        let saved = super::price_service::save_price_list(&db, ctx.user()?, id, &input).await?;
        leptos_axum::redirect(&format!("/stock/prices?list={}", saved.id));
        Ok(saved.id)
    };
    run.await.inspect_err(set_status)
}

/// Sets the price of a product (`product`: its barcode, SKU or name, as typed or scanned) in list
/// `list_id` from `valid_from` (today when empty); administrators. Back to the list on that day.
#[server(prefix = "/rpc", endpoint = "stock/set-price")]
pub async fn set_price(
    list_id: String,
    product: String,
    price: String,
    valid_from: Option<String>,
) -> Result<(), AppError> {
    use crate::core::ErrCode;
    let run = async {
        let (ctx, db) = session()?;
        ctx.require_module(super::MODULE.key)?;
        let user = ctx.user()?;
        if !user.is_admin() {
            return Err(AppError::Forbidden);
        }
        let list_id = opt_id("list_id", Some(&list_id))?.ok_or(AppError::NotFound)?;
        let product_id = match product.trim() {
            "" => return Err(AppError::field("product", ErrCode::Required)),
            code => super::service::product_by_code(&db, code).await?.map_err(|c| AppError::field("product", c))?,
        };
        let price = price
            .replace([' ', '\u{a0}'], "")
            .replace(',', ".")
            .parse()
            .map_err(|_| AppError::field("price", ErrCode::NotANumber))?;
        let valid_from = valid_from.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
        let on = valid_from.clone();
        let item = super::prices::NewPrice { product_id, valid_from, price };
        super::price_service::set_prices(&db, user, list_id, &super::prices::NewPrices { items: vec![item] })
            .await
            .map_err(|e| e.renamed(&[("items[0].valid_from", "valid_from"), ("items[0].price", "price")]))?;
        let on = on.map(|d| format!("&on={d}")).unwrap_or_default();
        leptos_axum::redirect(&format!("/stock/prices?list={list_id}{on}"));
        Ok(())
    };
    run.await.inspect_err(set_status)
}
