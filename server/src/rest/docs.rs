//! The OpenAPI 3.1 document, generated from the handlers' annotations, and a readable page made from it.

use axum::Json;
use axum::response::Html;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The API description; every REST handler is listed here.
#[derive(OpenApi)]
#[openapi(
    info(title = "Karvon API", description = "Karvon CRM REST API for integrations. Authenticate with \
        `POST /api/v1/auth/token`, then send `Authorization: Bearer <token>`. Errors are \
        `{\"error\": tag, \"message\", \"fields\"}`. Any POST may carry `Idempotency-Key`: a retry with the \
        same key (per user, 24 hours) gets the first answer (`Idempotent-Replayed: true`) and acts only once; \
        the key on a different request gets 422, a retry while the first runs 409."),
    paths(
        super::auth::create_token,
        super::auth::me,
        super::customers::list,
        super::customers::create,
        super::customers::get,
        super::customers::update,
        super::customers::timeline,
        super::customers::duplicates,
        super::customers::merge,
        super::customers::bulk,
        super::records::customers::archive,
        super::records::customers::restore,
        super::records::customers::deletion,
        super::records::customers::delete,
        super::records::contacts::archive,
        super::records::contacts::restore,
        super::records::contacts::deletion,
        super::records::contacts::delete,
        super::records::counterparties::archive,
        super::records::counterparties::restore,
        super::records::counterparties::deletion,
        super::records::counterparties::delete,
        super::records::deals::archive,
        super::records::deals::restore,
        super::records::deals::deletion,
        super::records::deals::delete,
        super::records::tasks::archive,
        super::records::tasks::restore,
        super::records::tasks::deletion,
        super::records::tasks::delete,
        super::records::interactions::archive,
        super::records::interactions::restore,
        super::records::interactions::deletion,
        super::records::interactions::delete,
        super::records::erase_customer,
        super::records::erase_contact,
        super::contacts::list_all,
        super::counterparties::list_all,
        super::contacts::list,
        super::contacts::create,
        super::contacts::get,
        super::contacts::update,
        super::contacts::link,
        super::counterparties::list,
        super::counterparties::create,
        super::counterparties::get,
        super::counterparties::update,
        super::counterparties::move_to,
        super::counterparties::add_bank_account,
        super::counterparties::remove_bank_account,
        super::custom_fields::list,
        super::custom_fields::create,
        super::custom_fields::update,
        super::imports::upload,
        super::imports::get,
        super::imports::preview,
        super::imports::set_mapping,
        super::imports::start,
        super::imports::errors,
        super::imports::export_customers,
        super::imports::export_products,
        super::webhooks::list,
        super::webhooks::create,
        super::webhooks::get,
        super::webhooks::update,
        super::webhooks::delete,
        super::webhooks::deliveries,
        super::webhooks::replay,
        super::segments::list,
        super::segments::create,
        super::segments::get,
        super::segments::update,
        super::segments::members,
        super::interactions::list,
        super::interactions::create,
        super::interactions::get,
        super::interactions::update,
        super::interactions::attach,
        super::interactions::download,
        super::interactions::telephony_event,
        super::interactions::send_sms,
        super::tasks::list,
        super::tasks::create,
        super::tasks::get,
        super::tasks::update,
        super::tasks::my_day,
        super::tasks::notifications,
        super::tasks::read,
        super::mail::list_mailboxes,
        super::mail::create_mailbox,
        super::mail::get_mailbox,
        super::mail::update_mailbox,
        super::mail::delete_mailbox,
        super::mail::sync_mailbox,
        super::mail::list_messages,
        super::mail::send,
        super::mail::get_message,
        super::mail::link,
        super::mail::attachment,
        super::mail::templates,
        super::mail::create_template,
        super::events::stream,
        super::events::board_stream,
        super::deals::pipelines,
        super::deals::pipeline,
        super::deals::create_pipeline,
        super::deals::update_pipeline,
        super::deals::reasons,
        super::deals::add_reason,
        super::deals::update_reason,
        super::deals::list,
        super::deals::create,
        super::deals::get,
        super::deals::history,
        super::deals::update,
        super::deals::move_deal,
        super::deals::close,
        super::deals::funnel,
        super::orders::list,
        super::orders::create,
        super::orders::from_deal,
        super::orders::get,
        super::orders::update,
        super::orders::confirm,
        super::orders::ship,
        super::orders::cancel,
        super::orders::close,
        super::invoices::list,
        super::invoices::create,
        super::invoices::from_order,
        super::invoices::get,
        super::invoices::cancel,
        super::invoices::e_invoice,
        super::invoices::credit_note,
        super::company::get,
        super::company::save,
        super::documents::invoice_document,
        super::documents::order_document,
        super::documents::reconciliation,
        super::documents::file,
        super::documents::template,
        super::documents::save_template,
        super::documents::reset_template,
        super::documents::image,
        super::documents::set_image,
        super::documents::remove_image,
        super::invoices::settings,
        super::invoices::save_settings,
        super::payments::accounts,
        super::payments::create_account,
        super::payments::archive_account,
        super::payments::list,
        super::payments::create,
        super::payments::get,
        super::payments::allocate,
        super::payments::reverse,
        super::payments::receivables,
        super::payments::settings,
        super::payments::save_settings,
        super::payments::customer_money,
        super::payments::dynamics,
        super::events::money_stream,
        super::stock::products,
        super::stock::create_product,
        super::stock::product,
        super::stock::update_product,
        super::stock::product_photo,
        super::stock::closed_period,
        super::stock::set_closed_period,
        super::stock::set_product_photo,
        super::stock::remove_product_photo,
        super::stock::archive_product,
        super::stock::restore_product,
        super::stock::warehouses,
        super::stock::create_warehouse,
        super::stock::warehouse,
        super::stock::update_warehouse,
        super::stock::documents,
        super::stock::create_document,
        super::stock::document,
        super::stock::post_document,
        super::stock::receive_document,
        super::stock::cancel_document,
        super::product_groups::list,
        super::product_groups::create,
        super::product_groups::get,
        super::product_groups::update,
        super::product_groups::delete,
        super::prices::price_lists,
        super::prices::create_price_list,
        super::prices::price_list,
        super::prices::update_price_list,
        super::prices::archive_price_list,
        super::prices::restore_price_list,
        super::prices::prices,
        super::prices::set_prices,
        super::prices::assign,
        super::prices::quote,
        super::stock::balances,
        super::stock::movements,
        super::stock::turnover,
        super::stock::set_limits,
        super::events::stock_stream,
    ),
    components(schemas(super::ErrorBody, app::customers::CustomerKind, app::customers::CustomerStage,
        app::custom_fields::FieldKind, app::custom_fields::FieldEntity,
        app::segments::Op, app::segments::Rule, app::segments::Rules, app::segments::SegmentKind,
        app::interactions::InteractionKind, app::mail::Security, app::mail::Folder, app::mail::MailAttachment,
        app::mail::MessageSummary, super::mail::LinkInput, super::mail::TemplateInput,
        app::deals::PipelineMode, app::deals::DealStatus, app::deals::StageRules, app::deals::AutoTask,
        app::deals::Stage, app::deals::StageInput, app::deals::DealContact, app::deals::BoardCard,
        super::deals::ReasonInput, super::deals::ReasonPatch, app::records::RecordKind, app::records::Attached,
        app::core::archive::Archived, app::stock::ProductKind, app::stock::ProductUnit, app::stock::DocKind,
        app::stock::DocStatus, app::stock::DocLine, app::stock::DocSummary, app::stock::NewDocLine, app::stock::Balance,
        app::stock::Movement, app::core::error::Shortage)),
    modifiers(&BearerAuth, &SharedResponses),
    tags(
        (name = "auth", description = "Tokens"),
        (name = "customers", description = "Customers"),
        (name = "contacts", description = "Contact persons, linked to one or more customers"),
        (name = "counterparties", description = "Legal entities of customers, their moves and bank accounts"),
        (name = "tasks", description = "Tasks, \"My day\", notifications and the live event stream"),
        (name = "deals", description = "Pipelines with stages and rules, deals, moves, closing, a board's live events"),
        (name = "mail", description = "Mailboxes (IMAP/SMTP) with their sync status, messages, templates"),
        (name = "interactions", description = "Meetings, calls, SMS, e-mail and notes on customers' timelines, with files"),
        (name = "orders", description = "Sales orders: lines priced from price lists, confirmation with a reservation, shipments, cancel and close"),
        (name = "invoices", description = "Invoices from orders or standalone, in UZS or another currency with its rate; cancellation; numbering"),
        (name = "documents", description = "Documents from templates as PDF (invoice, delivery note, act of work done, reconciliation act), filed on the timeline and e-mailed; the templates and the company's images"),
        (name = "company", description = "The company's own details: what invoices and e-invoices state of the seller"),
        (name = "payments", description = "Bank accounts and cash desks, payments in and out allocated to invoices (append-only, reversed by storno), receivables aged by due date"),
        (name = "stock", description = "The catalog, warehouses, stock documents (draft, post, receive, cancel), balances and the ledger"),
        (name = "webhooks", description = "Subscriptions of URLs to events, their deliveries and replays (administrators)")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The answers every operation can get from the shared machinery, whatever its handler declares: the
/// middleware (401 without valid credentials, 403 for a cookie call from another origin or a role that may
/// not, 404 when the operation's module is switched off), the body and query extractors
/// (400 malformed JSON or a wrong content type, 413 too large, 422 a value of the wrong type or shape), a
/// path id that names nothing (404), and a stale `version` in a body that carries one (409). The document
/// lists them all, so that a client (and the fuzzer in CI) can rely on it.
struct SharedResponses;

impl utoipa::Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |text: &str| {
            ResponseBuilder::new()
                .description(text)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build()
        };
        // Bodies that carry a `version`: a stale one is a 409.
        let versioned: Vec<String> = openapi
            .components
            .as_ref()
            .map(|c| {
                c.schemas
                    .iter()
                    .filter(|(_, s)| match s {
                        utoipa::openapi::RefOr::T(utoipa::openapi::Schema::Object(o)) => {
                            o.properties.contains_key("version")
                        }
                        _ => false,
                    })
                    .map(|(name, _)| format!("#/components/schemas/{name}"))
                    .collect()
            })
            .unwrap_or_default();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let with_id = path.contains('{');
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let has_query = op.parameters.as_ref().is_some_and(|ps| {
                    ps.iter().any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query))
                });
                let has_body = op.request_body.is_some();
                let json_body = op.request_body.as_ref().and_then(|b| b.content.get("application/json"));
                let with_version = json_body.and_then(|c| c.schema.as_ref()).is_some_and(
                    |s| matches!(s, utoipa::openapi::RefOr::Ref(r) if versioned.contains(&r.ref_location)),
                );
                let json_body = json_body.is_some();
                // An empty query parameter counts as absent (`ApiQuery`), numbers included: say so.
                for param in op.parameters.iter_mut().flatten() {
                    if !matches!(param.parameter_in, utoipa::openapi::path::ParameterIn::Query) {
                        continue;
                    }
                    let Some(schema) = param.schema.as_ref().and_then(|s| serde_json::to_value(s).ok()) else {
                        continue;
                    };
                    let numeric = match &schema["type"] {
                        serde_json::Value::String(t) => t == "integer" || t == "number",
                        serde_json::Value::Array(ts) => ts.iter().any(|t| t == "integer" || t == "number"),
                        _ => false,
                    };
                    let either = serde_json::json!({"anyOf": [schema, {"type": "string", "enum": [""]}]});
                    if numeric && let Ok(s) = serde_json::from_value(either) {
                        param.schema = Some(s);
                    }
                }
                let mut add = |code: &str, text: &str| {
                    op.responses.responses.entry(code.to_string()).or_insert_with(|| error(text).into());
                };
                if secured {
                    add("401", "No credentials, or unknown, expired or revoked ones");
                    add("403", "Not allowed for the caller's role, or a cookie call from another origin");
                }
                if secured || with_id {
                    add("404", "Not found, or the operation's module is switched off");
                }
                if has_query || has_body || with_id {
                    add("422", "A parameter or field of the wrong type or value (see `fields`)");
                }
                if json_body {
                    add("400", "The body is not JSON, or not sent as `application/json`");
                }
                if has_body {
                    add("413", "The body is too large");
                }
                if with_version {
                    add("409", "The `version` is stale: someone changed the record since it was read");
                }
            }
        }
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn schema_name(v: &serde_json::Value) -> String {
    v.get("$ref")
        .and_then(|r| r.as_str())
        .map(|r| r.rsplit('/').next().unwrap_or(r).to_string())
        .or_else(|| v.get("type").map(|t| t.to_string().replace('"', "")))
        .unwrap_or_default()
}

/// `GET /api/docs`: every endpoint with its parameters, body and responses; every schema with its fields.
pub async fn docs_page() -> Html<String> {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let mut out = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>Karvon API</title><link rel=\"stylesheet\" \
         href=\"/pkg/karvon.css\"></head><body class=\"docs\"><main class=\"content\">",
    );
    let info = &doc["info"];
    out.push_str(&format!(
        "<h1>{} <small class=\"muted\">{}</small></h1><p>{}</p><p><a href=\"/api/openapi.json\">openapi.json</a> (OpenAPI {})</p>",
        esc(info["title"].as_str().unwrap_or("")),
        esc(info["version"].as_str().unwrap_or("")),
        esc(info["description"].as_str().unwrap_or("")),
        esc(doc["openapi"].as_str().unwrap_or("")),
    ));
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            let Some(ops) = item.as_object() else { continue };
            for (method, op) in ops {
                out.push_str(&format!(
                    "<section class=\"panel endpoint\"><h2><code class=\"method\">{}</code> <code>{}</code></h2><p>{}</p>",
                    method.to_uppercase(),
                    esc(path),
                    esc(op["summary"].as_str().or(op["description"].as_str()).unwrap_or("")),
                ));
                if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
                    out.push_str("<h3>Parameters</h3><ul>");
                    for p in params {
                        out.push_str(&format!(
                            "<li><code>{}</code> ({}, {}) {}</li>",
                            esc(p["name"].as_str().unwrap_or("")),
                            esc(p["in"].as_str().unwrap_or("")),
                            esc(&schema_name(&p["schema"])),
                            esc(p["description"].as_str().unwrap_or("")),
                        ));
                    }
                    out.push_str("</ul>");
                }
                if let Some(body) = op["requestBody"]["content"]["application/json"]["schema"].as_object() {
                    let name = schema_name(&serde_json::Value::Object(body.clone()));
                    out.push_str(&format!("<h3>Body</h3><p><a href=\"#schema-{0}\">{0}</a></p>", esc(&name)));
                }
                if let Some(responses) = op["responses"].as_object() {
                    out.push_str("<h3>Responses</h3><ul>");
                    for (status, r) in responses {
                        let name = schema_name(&r["content"]["application/json"]["schema"]);
                        out.push_str(&format!(
                            "<li><code>{}</code> {} <a href=\"#schema-{2}\">{2}</a></li>",
                            esc(status),
                            esc(r["description"].as_str().unwrap_or("")),
                            esc(&name)
                        ));
                    }
                    out.push_str("</ul>");
                }
                out.push_str("</section>");
            }
        }
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        out.push_str("<h2>Schemas</h2>");
        for (name, schema) in schemas {
            out.push_str(&format!("<section class=\"panel\" id=\"schema-{0}\"><h3>{0}</h3>", esc(name)));
            if let Some(desc) = schema["description"].as_str() {
                out.push_str(&format!("<p>{}</p>", esc(desc)));
            }
            let required: Vec<&str> = schema["required"]
                .as_array()
                .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            if let Some(props) = schema["properties"].as_object() {
                out.push_str("<table class=\"table\"><tbody>");
                for (field, p) in props {
                    let ty = p["type"].to_string().replace('"', "");
                    let ty = if ty == "null" { schema_name(p) } else { ty };
                    out.push_str(&format!(
                        "<tr><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>",
                        esc(field),
                        if required.contains(&field.as_str()) { " *" } else { "" },
                        esc(&ty),
                        esc(p["description"].as_str().unwrap_or("")),
                    ));
                }
                out.push_str("</tbody></table>");
            } else if let Some(values) = schema["enum"].as_array() {
                let list: Vec<String> = values.iter().map(|v| esc(&v.to_string())).collect();
                out.push_str(&format!("<p>One of: {}</p>", list.join(", ")));
            }
            out.push_str("</section>");
        }
    }
    out.push_str("</main></body></html>");
    Html(out)
}

/// Schemas of query parameters the derive cannot tell (`#[param(schema_with = …)]`): strings with a fixed
/// set of values, and page sizes (any `u32`: 0 gives 1, above 200 gives 200).
pub mod param {
    use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

    /// One of `values`, or empty: an empty parameter counts as absent (the default).
    fn one_of(values: &[&str]) -> Object {
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some([""].iter().chain(values).copied())).build()
    }

    pub fn json_or_csv() -> Object {
        one_of(&["json", "csv"])
    }

    pub fn csv_or_xlsx() -> Object {
        one_of(&["csv", "xlsx"])
    }

    pub fn field_entity() -> Object {
        one_of(&["customer", "contact", "deal"])
    }

    pub fn import_kind() -> Object {
        one_of(&["customers", "contacts", "counterparties", "products", "payments"])
    }

    pub fn deal_status() -> Object {
        one_of(&["open", "won", "lost", "all"])
    }

    pub fn interaction_kind() -> Object {
        one_of(&["meeting", "call", "sms", "email", "note"])
    }

    pub fn customer_stage() -> Object {
        one_of(&["potential", "one_time", "regular", "lost"])
    }

    pub fn page_limit() -> Object {
        ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)).maximum(Some(u32::MAX)).build()
    }
}
