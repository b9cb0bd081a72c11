//! The permission matrix: every operation of the OpenAPI document × {anonymous, manager A, manager B, a sales
//! head of another team, administrator, deactivated user, revoked token, storekeeper, accountant} on records
//! owned by manager A, and the status each must get. It fails when the document has an operation without a
//! row here, and when a server function exists without a row in [`SERVER_FNS`]. Writes are sent so that they change nothing when
//! allowed (a stale version, an invalid body): the status still tells whether the permission check let the
//! caller through (409/422) or not (401/403/404).

use std::collections::BTreeSet;

use app::core::identity::Role;
use serde_json::{Value, json};
use tests::TestApp;

/// Callers, in the order of each row's statuses.
const WHO: [&str; 9] = [
    "anonymous",
    "manager A",
    "manager B",
    "other head",
    "admin",
    "deactivated",
    "revoked",
    "storekeeper",
    "accountant",
];

/// `(method, path, body, statuses for WHO)`. Paths name the records of [`World`] by `{id}`; bodies are JSON.
#[rustfmt::skip]
const REST: &[(&str, &str, &str, [u16; 9])] = &[
    // anonymous, A, B, other head, admin, deactivated, revoked, storekeeper (of {warehouse}; no customers),
    // accountant (all customers' money; in the CRM scoped like a manager, owning nothing)
    ("GET", "/api/openapi.json", "", [200, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/docs", "", [200, 200, 200, 200, 200, 401, 401, 200, 200]),
    // The eighth wrong password for one account in a row meets the sign-in throttle.
    ("POST", "/api/v1/auth/token", r#"{"email":"a@k.uz","password":"wrong"}"#, [401, 401, 401, 401, 401, 401, 401, 429, 429]),
    ("GET", "/api/v1/me", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/customers", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/customers", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("GET", "/api/v1/customers/duplicates?name=Alfa", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/customers/merge", r#"{"survivor_id":{customer},"merged_id":{customer2},"survivor_version":0,"merged_version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/customers/bulk", r#"{"ids":[{customer}],"action":"tag","tag":""}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/customers/{customer}", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("PATCH", "/api/v1/customers/{customer}", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/customers/{customer}/timeline", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("GET", "/api/v1/customers/{customer}/counterparties", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("POST", "/api/v1/customers/{customer}/counterparties", r#"{"legal_name":"","tax_id":""}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/customers/{customer}/contacts", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("POST", "/api/v1/customers/{customer}/contacts", r#"{"name":""}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/contacts", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/counterparties", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/contacts/{contact}", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("PATCH", "/api/v1/contacts/{contact}", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/contacts/{contact}/links", r#"{"customer_id":{customer}}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/counterparties/{counterparty}", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("PATCH", "/api/v1/counterparties/{counterparty}", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/counterparties/{counterparty}/move", r#"{"customer_id":{customer2},"from":"2026-01-01","version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/counterparties/{counterparty}/bank-accounts", r#"{"bank_code":"","account":""}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/counterparties/{counterparty}/bank-accounts/{account}?version=0", "", [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/custom-fields?entity=customer", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    // An unknown entity is a field error, and anonymous callers learn nothing of it (it was a 404 to them).
    ("GET", "/api/v1/custom-fields?entity=order", "", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("POST", "/api/v1/custom-fields", r#"{"label":"","kind":"text"}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("PATCH", "/api/v1/custom-fields/{field}", r#"{"version":0,"label":""}"#, [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/webhooks", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("POST", "/api/v1/webhooks", r#"{"url":""}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/webhooks/{webhook}", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("PATCH", "/api/v1/webhooks/{webhook}", r#"{"url":"ftp://x"}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/webhooks/{missing}", "", [401, 403, 403, 403, 404, 401, 401, 403, 403]),
    ("GET", "/api/v1/webhooks/{webhook}/deliveries", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("POST", "/api/v1/webhooks/deliveries/{missing}/replay", "", [401, 403, 403, 403, 404, 401, 401, 403, 403]),
    ("GET", "/api/v1/segments", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/segments", r#"{"name":""}"#, [401, 403, 403, 422, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/segments/{segment}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("PATCH", "/api/v1/segments/{segment}", r#"{"version":0}"#, [401, 403, 403, 409, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/segments/{segment}/members", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/imports?file_name=x.csv&kind=customers", "", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("GET", "/api/v1/imports/{import}", "", [401, 200, 404, 404, 404, 401, 401, 404, 404]),
    ("GET", "/api/v1/imports/{import}/preview", "", [401, 200, 404, 404, 404, 401, 401, 404, 404]),
    ("PUT", "/api/v1/imports/{import}/mapping", r#"{"mapping":[]}"#, [401, 422, 404, 404, 404, 401, 401, 404, 404]),
    ("POST", "/api/v1/imports/{import}/start", "", [401, 422, 404, 404, 404, 401, 401, 404, 404]),
    ("GET", "/api/v1/imports/{import}/errors", "", [401, 200, 404, 404, 404, 401, 401, 404, 404]),
    ("GET", "/api/v1/exports/customers?format=csv", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    // The catalog: everyone reads and exports it; administrators and storekeepers import it.
    ("GET", "/api/v1/exports/products?format=csv", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/imports?file_name=x.csv&kind=products", "", [401, 403, 403, 403, 422, 401, 401, 422, 403]),
    ("GET", "/api/v1/interactions", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/interactions", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("GET", "/api/v1/interactions/{interaction}", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("PATCH", "/api/v1/interactions/{interaction}", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/interactions/{interaction}/attachments?file_name=a.txt", "", [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/attachments/{attachment}", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("POST", "/api/v1/telephony/events", "{}", [401, 401, 401, 401, 401, 401, 401, 401, 401]),
    ("POST", "/api/v1/sms", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    // A bad bearer token is refused wherever it is sent; the gateway sends none.
    ("POST", "/api/v1/sms/callback/{secret}", "", [404, 404, 404, 404, 404, 401, 401, 404, 404]),
    ("GET", "/api/v1/tasks", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/tasks", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("GET", "/api/v1/tasks/my-day", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/tasks/{task}", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("PATCH", "/api/v1/tasks/{task}", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/notifications", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/notifications/{notification}/read", "", [401, 204, 404, 404, 404, 401, 401, 404, 404]),
    ("GET", "/api/v1/events", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/mailboxes", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/mailboxes", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("GET", "/api/v1/mailboxes/{mailbox}", "", [401, 200, 404, 404, 200, 401, 401, 404, 404]),
    ("PATCH", "/api/v1/mailboxes/{mailbox}", MAILBOX, [401, 409, 404, 404, 409, 401, 401, 404, 404]),
    ("GET", "/api/v1/messages", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/messages", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("GET", "/api/v1/messages/{message}", "", [401, 200, 404, 404, 200, 401, 401, 404, 404]),
    ("GET", "/api/v1/messages/{message}/attachments/{file}", "", [401, 404, 404, 404, 404, 401, 401, 404, 404]),
    ("GET", "/api/v1/mail-templates", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/mail-templates", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("GET", "/api/v1/pipelines", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/pipelines", "{}", [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/pipelines/{pipeline}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("PUT", "/api/v1/pipelines/{pipeline}", r#"{"version":0,"name":"x","mode":"manual","stages":[]}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/pipelines/{pipeline}/events", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/deal-reasons", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/deal-reasons", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("PATCH", "/api/v1/deal-reasons/{reason}", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/deals", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/deals", "{}", [401, 422, 422, 422, 422, 401, 401, 422, 422]),
    ("GET", "/api/v1/deals/{deal}", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("PATCH", "/api/v1/deals/{deal}", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/deals/{deal}/history", "", [401, 200, 403, 403, 200, 401, 401, 403, 403]),
    ("POST", "/api/v1/deals/{deal}/move", r#"{"stage_id":{stage},"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/deals/{deal}/close", r#"{"version":0,"outcome":"won"}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/reports/funnel?pipeline_id={pipeline}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/products", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/products", r#"{"name":""}"#, [401, 403, 403, 403, 422, 401, 401, 422, 403]),
    ("GET", "/api/v1/products/{product}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("PUT", "/api/v1/products/{product}", r#"{"version":0,"name":"x"}"#, [401, 403, 403, 403, 409, 401, 401, 409, 403]),
    ("GET", "/api/v1/products/{product}/photo", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    // An empty body is no image: those who keep the catalog are told so by the field.
    ("PUT", "/api/v1/products/{product}/photo", "", [401, 403, 403, 403, 422, 401, 401, 422, 403]),
    ("DELETE", "/api/v1/products/{missing}/photo", "", [401, 403, 403, 403, 404, 401, 401, 404, 403]),
    // The product page's photo form (not in the document): taking away a missing product's photo.
    ("POST", "/stock/products/{missing}/photo", "--XB\r\nContent-Disposition: form-data; name=\"remove\"\r\n\r\n1\r\n--XB--\r\n", [401, 403, 403, 403, 404, 401, 401, 404, 403]),
    ("GET", "/api/v1/stock/closed-period", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    // Closing the period before 1970 is refused by the field: nothing changes.
    ("PUT", "/api/v1/stock/closed-period", r#"{"closed_until":1}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("POST", "/api/v1/products/{product}/archive", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 409, 403]),
    ("POST", "/api/v1/products/{product}/restore", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 409, 403]),
    ("GET", "/api/v1/product-groups", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/product-groups", r#"{"name":""}"#, [401, 403, 403, 403, 422, 401, 401, 422, 403]),
    ("GET", "/api/v1/product-groups/{group}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("PUT", "/api/v1/product-groups/{group}", r#"{"version":0,"name":"x"}"#, [401, 403, 403, 403, 409, 401, 401, 409, 403]),
    ("DELETE", "/api/v1/product-groups/{group}?version=0", "", [401, 403, 403, 403, 409, 401, 401, 409, 403]),
    ("GET", "/api/v1/warehouses", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/warehouses", r#"{"name":""}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/warehouses/{warehouse}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("PUT", "/api/v1/warehouses/{warehouse}", r#"{"version":0,"name":"x"}"#, [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/stock-documents", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    // Managers see stock but do not post; the storekeeper posts at the warehouse they keep.
    ("POST", "/api/v1/stock-documents", r#"{"kind":"receipt","warehouse_id":{warehouse},"lines":[]}"#, [401, 403, 403, 403, 422, 401, 401, 422, 403]),
    ("GET", "/api/v1/stock-documents/{stockdoc}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/stock-documents/{stockdoc}/post", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 409, 403]),
    ("POST", "/api/v1/stock-documents/{stockdoc}/receive", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 409, 403]),
    ("POST", "/api/v1/stock-documents/{stockdoc}/cancel", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 409, 403]),
    // Orders: whoever sees the customer sees and changes them (the World's draft, made from A's deal, has no
    // lines); a storekeeper sees only those confirmed at their warehouse; only administrators and keepers ship.
    ("GET", "/api/v1/orders", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/orders", r#"{"customer_id":{customer},"currency":"XXX"}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("POST", "/api/v1/orders/from-deal", r#"{"deal_id":{deal}}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/orders/{order}", "", [401, 200, 403, 403, 200, 401, 401, 403, 200]),
    ("PUT", "/api/v1/orders/{order}", r#"{"version":0,"lines":[]}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/orders/{order}/confirm", r#"{"version":0,"warehouse_id":{warehouse}}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    ("POST", "/api/v1/orders/{order}/ship", r#"{"version":0}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("POST", "/api/v1/orders/{order}/cancel", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/orders/{order}/close", r#"{"version":0}"#, [401, 422, 403, 403, 422, 401, 401, 403, 403]),
    // A draft is not invoiced (422); a storekeeper sees no invoices.
    ("POST", "/api/v1/orders/{order}/invoice", "{}", [401, 422, 403, 403, 422, 401, 401, 403, 422]),
    ("GET", "/api/v1/invoices", "", [401, 200, 200, 200, 200, 401, 401, 403, 200]),
    ("POST", "/api/v1/invoices", r#"{"customer_id":{customer},"currency":"XXX","lines":[]}"#, [401, 422, 403, 403, 422, 401, 401, 403, 422]),
    ("GET", "/api/v1/invoices/{invoice}", "", [401, 200, 403, 403, 200, 401, 401, 403, 200]),
    ("POST", "/api/v1/invoices/{invoice}/cancel", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 409]),
    ("GET", "/api/v1/invoices/settings", "", [401, 200, 200, 200, 200, 401, 401, 403, 200]),
    ("PUT", "/api/v1/invoices/settings", r#"{"prefix":"s f","payment_days":10}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    // The World's invoice has no contract and the company no details yet: what is missing is listed (422).
    ("GET", "/api/v1/invoices/{invoice}/e-invoice", "", [401, 422, 403, 403, 422, 401, 401, 403, 422]),
    ("POST", "/api/v1/invoices/{invoice}/credit-note", r#"{"version":0,"reason":""}"#, [401, 422, 403, 403, 422, 401, 401, 403, 422]),
    ("GET", "/api/v1/company-details", "", [401, 403, 403, 403, 200, 401, 401, 403, 200]),
    ("PUT", "/api/v1/company-details", r#"{"tax_id":"1"}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    // Documents: whoever reads the invoice (or sees the customer's money) prints it; filing it with an e-mail
    // from no mailbox is refused after the permission check (422) and files nothing. Templates and the
    // company's images are the administrators'; every user sees the images (none uploaded: 404).
    ("GET", "/api/v1/invoices/{invoice}/document?kind=act&lang=ru", "", [401, 200, 403, 403, 200, 401, 401, 403, 200]),
    ("GET", "/api/v1/orders/{order}/document?kind=contract&lang=uz", "", [401, 200, 403, 403, 200, 401, 401, 403, 200]),
    ("GET", "/api/v1/customers/{customer}/reconciliation?from=2026-01-01&to=2026-12-31", "", [401, 200, 403, 403, 200, 401, 401, 403, 200]),
    ("POST", "/api/v1/documents", r#"{"kind":"invoice","invoice_id":{invoice},"email":{"mailbox_id":0,"subject":"x"}}"#, [401, 422, 403, 403, 422, 401, 401, 403, 422]),
    ("GET", "/api/v1/document-templates/{kind}/{lang}", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("PUT", "/api/v1/document-templates/{kind}/{lang}", r#"{"body":"<script>","version":0}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/document-templates/{kind}/{lang}", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("GET", "/api/v1/company-images/{name}", "", [401, 404, 404, 404, 404, 401, 401, 404, 404]),
    ("PUT", "/api/v1/company-images/{name}", "{}", [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/company-images/{name}", "", [401, 403, 403, 403, 204, 401, 401, 403, 403]),
    // Payments: administrators and accountants keep the accounts and post, allocate and reverse payments;
    // whoever sees a customer's money reads its payments and debts; a storekeeper none. The World's payment is
    // A's customer's advance.
    ("GET", "/api/v1/money-accounts", "", [401, 200, 200, 200, 200, 401, 401, 403, 200]),
    ("POST", "/api/v1/money-accounts", r#"{"name":""}"#, [401, 403, 403, 403, 422, 401, 401, 403, 422]),
    ("POST", "/api/v1/money-accounts/{moneyaccount}/archive", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 403, 409]),
    ("GET", "/api/v1/payments", "", [401, 200, 200, 200, 200, 401, 401, 403, 200]),
    ("POST", "/api/v1/payments", r#"{"account_id":0,"amount":"1"}"#, [401, 403, 403, 403, 422, 401, 401, 403, 422]),
    ("GET", "/api/v1/payments/dynamics", "", [401, 403, 403, 403, 200, 401, 401, 403, 200]),
    ("GET", "/api/v1/payments/{payment}", "", [401, 200, 403, 403, 200, 401, 401, 403, 200]),
    ("POST", "/api/v1/payments/{payment}/allocate", r#"{"allocations":[{"invoice_id":{invoice},"amount":"-1"}]}"#, [401, 403, 403, 403, 422, 401, 401, 403, 422]),
    ("POST", "/api/v1/payments/{payment}/reverse", r#"{"pay_date":"2026-02-30"}"#, [401, 403, 403, 403, 422, 401, 401, 403, 422]),
    ("GET", "/api/v1/receivables", "", [401, 200, 200, 200, 200, 401, 401, 403, 200]),
    ("GET", "/api/v1/receivables/{customer}", "", [401, 200, 403, 403, 200, 401, 401, 403, 200]),
    ("GET", "/api/v1/receivables/settings", "", [401, 200, 200, 200, 200, 401, 401, 403, 200]),
    ("PUT", "/api/v1/receivables/settings", r#"{"aging_days":[]}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/money/events", "", [401, 200, 200, 200, 200, 401, 401, 403, 200]),
    // Everyone reads prices (a manager quotes them); administrators keep the lists.
    ("GET", "/api/v1/price-lists", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/price-lists", r#"{"name":""}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("POST", "/api/v1/price-lists/assign", r#"{"customer_ids":[]}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/price-lists/{pricelist}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("PUT", "/api/v1/price-lists/{pricelist}", r#"{"version":0,"name":"x"}"#, [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/price-lists/{pricelist}/archive", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/price-lists/{pricelist}/restore", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/price-lists/{pricelist}/prices", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("POST", "/api/v1/price-lists/{pricelist}/prices", r#"{"items":[]}"#, [401, 403, 403, 403, 422, 401, 401, 403, 403]),
    ("GET", "/api/v1/prices/quote?product_id={product}", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/stock/balances", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/stock/movements", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/stock/turnover", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    ("GET", "/api/v1/stock/events", "", [401, 200, 200, 200, 200, 401, 401, 200, 200]),
    // Administrators and the warehouse's storekeeper set an item's minimum.
    ("PUT", "/api/v1/stock/limits", r#"{"warehouse_id":{warehouse},"product_id":{product},"min":"-1"}"#, [401, 403, 403, 403, 422, 401, 401, 422, 403]),
    // Last, as they change what the rows above read: a sync request, a link, a disconnection (which the
    // first caller allowed to make it makes; the later ones find no mailbox).
    ("POST", "/api/v1/mailboxes/{mailbox}/sync", "", [401, 202, 404, 404, 202, 401, 401, 404, 404]),
    // The administrator finds it linked already (by A, just before): 409, past the permission check.
    ("POST", "/api/v1/messages/{message}/link", r#"{"customer_id":{customer2}}"#, [401, 200, 404, 404, 409, 401, 401, 404, 404]),
    ("DELETE", "/api/v1/mailboxes/{mailbox}", "", [401, 204, 404, 404, 404, 401, 401, 404, 404]),
    ("POST", "/api/v1/customers/{customer}/archive", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/customers/{customer}/restore", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/customers/{customer}/deletion", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/customers/{customer}?version=0", "", [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/contacts/{contact}/archive", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/contacts/{contact}/restore", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/contacts/{contact}/deletion", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/contacts/{contact}?version=0", "", [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/counterparties/{counterparty}/archive", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/counterparties/{counterparty}/restore", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/counterparties/{counterparty}/deletion", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/counterparties/{counterparty}?version=0", "", [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/deals/{deal}/archive", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/deals/{deal}/restore", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/deals/{deal}/deletion", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/deals/{deal}?version=0", "", [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/tasks/{task}/archive", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/tasks/{task}/restore", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/tasks/{task}/deletion", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/tasks/{task}?version=0", "", [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/interactions/{interaction}/archive", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/interactions/{interaction}/restore", r#"{"version":0}"#, [401, 409, 403, 403, 409, 401, 401, 403, 403]),
    ("GET", "/api/v1/interactions/{interaction}/deletion", "", [401, 403, 403, 403, 200, 401, 401, 403, 403]),
    ("DELETE", "/api/v1/interactions/{interaction}?version=0", "", [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/customers/{customer}/erase", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 403, 403]),
    ("POST", "/api/v1/contacts/{contact}/erase", r#"{"version":0}"#, [401, 403, 403, 403, 409, 401, 401, 403, 403]),
];

/// A whole mailbox body, read at a stale version.
const MAILBOX: &str = r#"{"version":0,"address":"a@k.uz","imap_host":"imap.k.uz","imap_port":993,"imap_security":"tls","smtp_host":"smtp.k.uz","smtp_port":465,"smtp_security":"tls"}"#;

/// The records the rows name, all owned by manager A (or, for shared ones, made by an administrator).
struct World {
    app: TestApp,
    ids: Vec<(&'static str, String)>,
    tokens: [Option<String>; 9],
}

impl World {
    async fn new(app: TestApp) -> World {
        let db = app.db.clone();
        let t1 = app::admin::store::create_team(&db, "Sharq").await.unwrap();
        let t2 = app::admin::store::create_team(&db, "G'arb").await.unwrap();
        let (a_id, a) = app.user_token("a@k.uz", Role::Manager, Some(t1)).await;
        let (_, b) = app.user_token("b@k.uz", Role::Manager, None).await;
        let (_, head) = app.user_token("head@k.uz", Role::SalesHead, Some(t2)).await;
        let (_, admin) = app.user_token("admin@k.uz", Role::Admin, None).await;
        let (keeper_id, keeper) = app.user_token("keeper@k.uz", Role::Storekeeper, None).await;
        let (_, accountant) = app.user_token("acc@k.uz", Role::Accountant, None).await;
        let (d_id, d) = app.user_token("gone@k.uz", Role::Manager, Some(t1)).await;
        let (revoked_id, revoked) = app::auth::store::create_api_token(&db, a_id, "old").await.unwrap();
        app::auth::store::revoke_api_token(&db, Some(a_id), revoked_id).await.unwrap();
        tests::set_user(&db, d_id, Role::Manager, Some(t1), false, None).await.unwrap();
        let post = |path: &str, token: &str, body: Value| {
            let (app, path, token) = (&app, path.to_string(), token.to_string());
            async move {
                let r = app.api("POST", &path, Some(&token), Some(body)).await;
                assert!(r.status.is_success(), "{path}: {} {}", r.status, r.body);
                r.json()
            }
        };
        let customer = post("/api/v1/customers", &a, json!({"name": "Alfa Savdo"})).await["id"].as_i64().unwrap();
        let customer2 = post("/api/v1/customers", &a, json!({"name": "Alfa Savdo XK"})).await["id"].as_i64().unwrap();
        let contact = post(&format!("/api/v1/customers/{customer}/contacts"), &a, json!({"name": "Aziz"})).await["id"]
            .as_i64()
            .unwrap();
        let cp = json!({"legal_name": "Alfa Savdo MChJ", "tax_id": "301234567"});
        let counterparty =
            post(&format!("/api/v1/customers/{customer}/counterparties"), &a, cp).await["id"].as_i64().unwrap();
        let field = post("/api/v1/custom-fields", &admin, json!({"label": "Region", "kind": "text"})).await["id"]
            .as_i64()
            .unwrap();
        let segment = post("/api/v1/segments", &admin, json!({"name": "Hammasi", "rules": {"rules": []}})).await["id"]
            .as_i64()
            .unwrap();
        let webhook = post("/api/v1/webhooks", &admin, json!({"url": "https://hooks.example.uz/karvon"})).await["id"]
            .as_i64()
            .unwrap();
        let up = app
            .send(
                http::Request::builder()
                    .method("POST")
                    .uri("/api/v1/imports?file_name=a.csv&kind=customers")
                    .header("authorization", format!("Bearer {a}"))
                    // Columns nothing maps to: its start is refused (422) instead of running.
                    .body(axum::body::Body::from("Foo;Bar\n1;2\n"))
                    .unwrap(),
            )
            .await;
        assert_eq!(up.status, 201, "{}", up.body);
        let import = up.json()["id"].as_i64().unwrap();
        let note = json!({"customer_id": customer, "kind": "note", "body": "Salom"});
        let interaction = post("/api/v1/interactions", &a, note).await["id"].as_i64().unwrap();
        let file = app.attach_pdf(&a, interaction).await;
        assert_eq!(file.status, 201, "{}", file.body);
        let attachment = file.json()["id"].as_i64().unwrap();
        let due = app::core::now_millis() + 3_600_000;
        let task = post("/api/v1/tasks", &a, json!({"title": "Qo'ng'iroq", "due_at": due, "customer_id": customer}))
            .await["id"]
            .as_i64()
            .unwrap();
        let notification = app::tasks::store::notify(&db, a_id, "call", "Salom", None, None).await.unwrap().id;
        let now = app::core::now_millis();
        let mailbox: i64 = app::db_run!(&db, p => sqlx::query_scalar(
            "INSERT INTO mailboxes (owner_id, name, address, login, password_enc, imap_host, imap_port, imap_security, \
             smtp_host, smtp_port, smtp_security, created_at, updated_at) \
             VALUES ($1, 'a', 'a@k.uz', 'a', 'x', 'imap.k.uz', 993, 'tls', 'smtp.k.uz', 465, 'tls', $2, $2) RETURNING id")
            .bind(a_id).bind(now).fetch_one(p).await)
        .unwrap();
        let message: i64 = app::db_run!(&db, p => sqlx::query_scalar(
            "INSERT INTO mail_messages (mailbox_id, folder, uidvalidity, uid, direction, subject, sent_at, size, created_at) \
             VALUES ($1, 'inbox', 1, 1, 'in', 'Narxlar', $2, 10, $2) RETURNING id")
            .bind(mailbox).bind(now).fetch_one(p).await)
        .unwrap();
        let deal = post("/api/v1/deals", &a, json!({"title": "Mebel", "customer_id": customer})).await;
        let pipeline = deal["pipeline_id"].as_i64().unwrap();
        let p = app.api("GET", &format!("/api/v1/pipelines/{pipeline}"), Some(&a), None).await.json();
        let stage = p["stages"][1]["id"].as_i64().unwrap();
        let reasons = app.api("GET", "/api/v1/deal-reasons", Some(&a), None).await.json();
        let reason = reasons[0]["id"].as_i64().unwrap();
        let warehouse =
            post("/api/v1/warehouses", &admin, json!({"name": "Ombor", "keepers": [keeper_id]})).await["id"]
                .as_i64()
                .unwrap();
        let product = post("/api/v1/products", &admin, json!({"name": "Stul"})).await["id"].as_i64().unwrap();
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        let photo = app
            .send(
                http::Request::builder()
                    .method("PUT")
                    .uri(format!("/api/v1/products/{product}/photo"))
                    .header("authorization", format!("Bearer {admin}"))
                    .body(axum::body::Body::from(png))
                    .unwrap(),
            )
            .await;
        assert_eq!(photo.status, 200, "{}", photo.body);
        let line = json!([{"product_id": product, "qty": "1", "unit_cost": "1000"}]);
        let stockdoc = post(
            "/api/v1/stock-documents",
            &admin,
            json!({"kind": "receipt", "warehouse_id": warehouse, "lines": line}),
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let order = post("/api/v1/orders/from-deal", &a, json!({"deal_id": deal["id"]})).await["id"].as_i64().unwrap();
        let invoice = post(
            "/api/v1/invoices",
            &a,
            json!({"customer_id": customer, "lines": [{"product_id": product, "qty": "1", "price": "1000", "price_reason": "Sinov"}]}),
        )
        .await["id"]
            .as_i64()
            .unwrap();
        let moneyaccount = post("/api/v1/money-accounts", &admin, json!({"name": "Kassa", "kind": "cash"})).await["id"]
            .as_i64()
            .unwrap();
        let advance = json!({"account_id": moneyaccount, "customer_id": customer, "amount": "500", "allocations": []});
        let payment = post("/api/v1/payments", &admin, advance).await["id"].as_i64().unwrap();
        let pricelist = post("/api/v1/price-lists", &admin, json!({"name": "Chakana"})).await["id"].as_i64().unwrap();
        let group = post("/api/v1/product-groups", &admin, json!({"name": "Mebel"})).await["id"].as_i64().unwrap();
        let ids = vec![
            ("pricelist", pricelist.to_string()),
            ("group", group.to_string()),
            ("warehouse", warehouse.to_string()),
            ("product", product.to_string()),
            ("stockdoc", stockdoc.to_string()),
            ("customer2", customer2.to_string()),
            ("customer", customer.to_string()),
            ("contact", contact.to_string()),
            ("counterparty", counterparty.to_string()),
            ("field", field.to_string()),
            ("segment", segment.to_string()),
            ("webhook", webhook.to_string()),
            ("missing", "999999".into()),
            ("import", import.to_string()),
            ("interaction", interaction.to_string()),
            ("attachment", attachment.to_string()),
            ("task", task.to_string()),
            ("notification", notification.to_string()),
            ("mailbox", mailbox.to_string()),
            ("message", message.to_string()),
            ("file", "1".into()),
            ("account", "1".into()),
            ("pipeline", pipeline.to_string()),
            ("stage", stage.to_string()),
            ("reason", reason.to_string()),
            ("deal", deal["id"].to_string()),
            ("order", order.to_string()),
            ("invoice", invoice.to_string()),
            ("moneyaccount", moneyaccount.to_string()),
            ("payment", payment.to_string()),
            ("secret", "not-the-secret-0123456789".into()),
            ("kind", "invoice".into()),
            ("lang", "uz".into()),
            ("name", "stamp".into()),
        ];
        let tokens =
            [None, Some(a), Some(b), Some(head), Some(admin), Some(d), Some(revoked), Some(keeper), Some(accountant)];
        World { app, ids, tokens }
    }

    fn fill(&self, text: &str) -> String {
        self.ids.iter().fold(text.to_string(), |t, (k, v)| t.replace(&format!("{{{k}}}"), v))
    }

    /// The status `who` gets for one row.
    async fn status(&self, who: usize, method: &str, path: &str, body: &str) -> u16 {
        let mut req = http::Request::builder()
            .method(method)
            .uri(self.fill(path))
            .header("x-forwarded-for", "10.9.9.9")
            .header("host", "127.0.0.1:3000");
        if let Some(t) = &self.tokens[who] {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = if body.is_empty() {
            axum::body::Body::empty()
        } else if body.starts_with("--XB") {
            // A plain form's multipart post.
            req = req.header("content-type", "multipart/form-data; boundary=XB");
            axum::body::Body::from(self.fill(body))
        } else {
            req = req.header("content-type", "application/json");
            axum::body::Body::from(self.fill(body))
        };
        // Streams answer at once with their headers; the body is not awaited.
        let res = tower::ServiceExt::oneshot(self.app.router.clone(), req.body(body).unwrap()).await.unwrap();
        res.status().as_u16()
    }
}

/// Every operation the OpenAPI document lists, as `METHOD /path`.
async fn documented(app: &TestApp) -> BTreeSet<String> {
    let doc = app.api("GET", "/api/openapi.json", None, None).await.json();
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.insert(format!("{} /api{}", method.to_uppercase(), path.trim_start_matches("/api")));
        }
    }
    ops
}

/// The template of a row's path (`/api/v1/customers/{id}`), to compare with the document's.
fn template(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    path.split('/')
        .map(|part| {
            if part.starts_with('{') && part.ends_with('}') {
                match part {
                    "{file}" => "{file}",
                    "{account}" => "{account}",
                    "{secret}" => "{secret}",
                    "{kind}" => "{kind}",
                    "{lang}" => "{lang}",
                    "{name}" => "{name}",
                    _ => "{id}",
                }
                .to_string()
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn rest_matrix(app: TestApp) {
    let documented = documented(&app).await;
    let rows: BTreeSet<String> = REST.iter().map(|(m, p, _, _)| format!("{m} {}", template(p))).collect();
    let missing: Vec<&String> = documented.difference(&rows).filter(|op| !op.ends_with(" /api/openapi.json")).collect();
    assert!(missing.is_empty(), "operations without a row in the permission matrix: {missing:#?}");
    let world = World::new(app).await;
    let mut wrong = Vec::new();
    for (method, path, body, want) in REST {
        for (who, expected) in want.iter().enumerate() {
            let got = world.status(who, method, path, body).await;
            if got != *expected {
                wrong.push(format!("{method} {path} as {}: {got}, expected {expected}", WHO[who]));
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from the matrix:\n{}", wrong.len(), wrong.join("\n"));
}
tests::both_apps!(rest, rest_matrix);

/// Who may call a server function at all: `Public` without an account; `User` any signed-in user (what
/// each may touch is decided by the same services the REST rows above exercise); `Admin` administrators only,
/// with the arguments of a call that passes the function's own parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Public,
    User,
    Admin(&'static str),
}

/// Every server function (`/rpc/<endpoint>`) and its gate; a function without a row fails the test.
#[rustfmt::skip]
const SERVER_FNS: &[(&str, Gate)] = &[
    ("setup", Gate::Public), ("login", Gate::Public), ("logout", Gate::Public), ("language", Gate::Public),
    ("password/forgot", Gate::Public), ("password/reset", Gate::Public),
    ("settings/time-zones", Gate::User), ("profile/time-zone", Gate::User),
    ("settings/time-zone", Gate::Admin("time_zone=Mars%2FOlympus")),
    ("password", Gate::User), ("tokens/create", Gate::User), ("tokens/list", Gate::User), ("tokens/revoke", Gate::User),
    ("admin/users", Gate::Admin("")),
    ("admin/users-and-teams", Gate::Admin("")),
    ("admin/users/create", Gate::Admin("name=&email=&password=&password_repeat=&role=manager")),
    ("admin/users/update", Gate::Admin("id=999999&version=0&role=manager")),
    ("admin/users/password", Gate::Admin("id=999999&new_password=short&password_repeat=other")),
    ("admin/tokens", Gate::Admin("")),
    ("admin/webhooks", Gate::Admin("")),
    ("admin/webhooks/create", Gate::Admin("url=")),
    ("admin/webhooks/active", Gate::Admin("id=999999&active=true")),
    ("admin/webhooks/replay", Gate::Admin("id=999999")),
    ("admin/tokens/revoke", Gate::Admin("id=999999")),
    ("admin/teams", Gate::Admin("")),
    ("admin/teams/create", Gate::Admin("name=")),
    ("settings/modules", Gate::Admin("key=nope&enabled=true")),
    ("settings/system-mailbox", Gate::Admin("")),
    ("settings/system-mailbox/set", Gate::Admin("mailbox_id=999999")),
    ("settings/company", Gate::Admin("")),
    ("settings/company/set", Gate::Admin("tax_id=1")),
    ("settings/sales", Gate::Admin("")),
    ("settings/sales/set", Gate::Admin("prefix=a%20b&payment_days=x&aging_days=90%2C30")),
    ("documents/template", Gate::Admin("kind=invoice&lang=uz")),
    ("documents/template/save", Gate::Admin("kind=invoice&lang=uz&body=%3Cscript%3E&version=0")),
    ("documents/preview", Gate::Admin("kind=invoice&lang=uz&body=%3Cp%3Ex%3C%2Fp%3E")),
    ("documents/images", Gate::Admin("")),
    ("documents/options", Gate::User), ("documents/file", Gate::User),
    ("custom-fields/create", Gate::Admin("entity=customer&label=&kind=text")),
    ("custom-fields/retire", Gate::Admin("id=999999&version=0&retired=true")),
    ("deals/admin", Gate::Admin("")),
    ("deals/add-reason", Gate::Admin("kind=loss&name=")),
    ("deals/retire-reason", Gate::Admin("id=999999&version=0&retired=true")),
    ("deals/save-pipeline", Gate::Admin("mode=manual")),
    ("records/deletion", Gate::Admin("kind=customer&id=999999")),
    ("records/delete", Gate::Admin("kind=customer&id=999999&version=0")),
    ("records/erase", Gate::Admin("kind=customer&id=999999&version=0")),
    ("calendar/feed", Gate::User), ("calendar/feed-off", Gate::User), ("calendar/view", Gate::User),
    ("contacts/create", Gate::User), ("contacts/list", Gate::User),
    ("counterparties/bank-account", Gate::User), ("counterparties/create", Gate::User),
    ("counterparties/list", Gate::User), ("counterparties/move", Gate::User),
    ("counterparties/remove-bank-account", Gate::User), ("counterparties/update", Gate::User),
    ("contacts/update", Gate::User),
    ("custom-fields/list", Gate::User),
    ("customers/bulk", Gate::User), ("customers/counts", Gate::User), ("customers/create", Gate::User), ("customers/duplicates", Gate::User),
    ("customers/get", Gate::User), ("customers/list", Gate::User), ("customers/merge", Gate::User),
    ("customers/merge-preview", Gate::User), ("customers/quick-search", Gate::User),
    ("customers/timeline", Gate::User), ("customers/update", Gate::User),
    ("deals/board", Gate::User), ("deals/board-update", Gate::User), ("deals/close", Gate::User),
    ("deals/create", Gate::User), ("deals/funnel", Gate::User), ("deals/list", Gate::User), ("deals/move", Gate::User),
    ("deals/of-customer", Gate::User), ("deals/tick", Gate::User), ("deals/update", Gate::User), ("deals/view", Gate::User),
    ("imports/get", Gate::User), ("imports/list", Gate::User), ("imports/mapping", Gate::User),
    ("imports/start", Gate::User), ("imports/status", Gate::User),
    ("interactions/list", Gate::User), ("interactions/log", Gate::User), ("interactions/status", Gate::User),
    ("interactions/update", Gate::User),
    ("mail/customer", Gate::User), ("mail/disconnect", Gate::User), ("mail/fill", Gate::User), ("mail/link", Gate::User),
    ("mail/mailbox", Gate::User), ("mail/message", Gate::User), ("mail/new-customer", Gate::User),
    ("mail/overview", Gate::User), ("mail/send", Gate::User), ("mail/sync", Gate::User), ("mail/template", Gate::User),
    ("mail/template-delete", Gate::User),
    ("orders/list", Gate::User), ("orders/get", Gate::User), ("orders/create", Gate::User),
    ("orders/add-line", Gate::User), ("orders/remove-line", Gate::User), ("orders/save-head", Gate::User),
    ("orders/act", Gate::User), ("orders/ship", Gate::User), ("orders/of-customer", Gate::User),
    ("orders/of-deal", Gate::User),
    ("invoices/list", Gate::User), ("invoices/get", Gate::User), ("invoices/from-order", Gate::User),
    ("invoices/cancel", Gate::User), ("invoices/credit-note", Gate::User), ("invoices/of-customer", Gate::User), ("invoices/of-order", Gate::User),
    ("invoices/new-form", Gate::User), ("invoices/create", Gate::User),
    ("payments/list", Gate::User), ("payments/get", Gate::User), ("payments/create", Gate::User),
    ("payments/allocate", Gate::User), ("payments/reverse", Gate::User), ("payments/create-account", Gate::User),
    ("payments/receivables", Gate::User), ("payments/of-customer", Gate::User), ("payments/accounts", Gate::User),
    ("payments/dynamics", Gate::User),
    ("records/archive", Gate::User), ("stock/dashboard", Gate::User),
    ("stock/documents", Gate::User), ("stock/document", Gate::User), ("stock/create-document", Gate::User),
    ("stock/document-act", Gate::User), ("stock/products", Gate::User), ("stock/product", Gate::User),
    ("stock/save-product", Gate::User), ("stock/warehouses", Gate::User),
    ("stock/groups", Gate::User), ("stock/save-group", Gate::User), ("stock/delete-group", Gate::User),
    ("stock/prices", Gate::User), ("stock/save-price-list", Gate::Admin("name=")),
    ("stock/set-price", Gate::Admin("list_id=0&product=&price=")),
    ("stock/save-warehouse", Gate::Admin("name=")), ("stock/close-period", Gate::Admin("closed_through=")),
    ("segments/create", Gate::User), ("segments/get", Gate::User), ("segments/list", Gate::User),
    ("segments/refresh", Gate::User), ("segments/update", Gate::User),
    ("tasks/create", Gate::User), ("tasks/customer", Gate::User), ("tasks/day", Gate::User), ("tasks/done", Gate::User),
    ("tasks/update", Gate::User),
];

async fn server_fn_matrix(app: TestApp) {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/rpc/").to_string())
        .collect();
    let listed: BTreeSet<String> = SERVER_FNS.iter().map(|(p, _)| p.to_string()).collect();
    let missing: Vec<&String> = registered.difference(&listed).collect();
    assert!(missing.is_empty(), "server functions without a row in SERVER_FNS: {missing:#?}");
    assert!(
        listed.is_subset(&registered),
        "rows for server functions that are gone: {:?}",
        listed.difference(&registered)
    );

    let db = app.db.clone();
    let manager = tests::make_user(&db, "m@k.uz", Role::Manager, None).await;
    let admin = tests::make_user(&db, "admin@k.uz", Role::Admin, None).await;
    let session = |id: i64| {
        let db = db.clone();
        async move { format!("karvon_session={}", app::auth::store::create_session(&db, id).await.unwrap()) }
    };
    let (manager, admin) = (session(manager).await, session(admin).await);
    let gone = session(tests::make_user(&db, "out@k.uz", Role::Manager, None).await).await;
    app::auth::store::delete_session(&db, gone.trim_start_matches("karvon_session=")).await.unwrap();
    let call = |path: &str, cookie: Option<&str>, args: &str| {
        let mut req = http::Request::builder()
            .method("POST")
            .uri(format!("/rpc/{path}"))
            .header("host", "127.0.0.1:3000")
            .header("origin", "http://127.0.0.1:3000")
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let (app, req) = (&app, req.body(axum::body::Body::from(args.to_string())).unwrap());
        async move { app.send(req).await }
    };
    let mut wrong = Vec::new();
    for (path, gate) in SERVER_FNS {
        if *gate == Gate::Public {
            continue;
        }
        for (who, cookie) in [("anonymous", None), ("signed out", Some(gone.as_str()))] {
            let res = call(path, cookie, "").await;
            if res.status != 401 {
                wrong.push(format!("{path} as {who}: {}", res.status));
            }
        }
        if let Gate::Admin(args) = gate {
            let res = call(path, Some(&manager), args).await;
            if res.status != 403 {
                wrong.push(format!("{path} as a manager: {} {}", res.status, res.body));
            }
            let res = call(path, Some(&admin), args).await;
            if matches!(res.status.as_u16(), 400 | 401 | 403) || res.status.is_server_error() {
                wrong.push(format!("{path} as the administrator: {} {}", res.status, res.body));
            }
        }
    }
    assert!(wrong.is_empty(), "{} server function answers are wrong:\n{}", wrong.len(), wrong.join("\n"));
}
tests::both_apps!(server_fns, server_fn_matrix);
