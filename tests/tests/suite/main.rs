//! The one integration-test binary: store contract (both databases), HTTP against the real router,
//! and the WASM dependency check.

mod backup;
mod credit_notes;
mod custom_fields;
mod deals;
mod documents;
mod everyday;
mod http_api;
mod http_pages;
mod idempotency;
mod imports;
mod interactions;
mod invoices;
mod mail;
mod merge;
mod orders;
mod payments;
mod permissions;
mod records;
mod security;
mod segments;
mod sms;
mod statements;
mod stock;
mod store_auth;
mod store_customers;
mod tasks;
mod telephony;
mod wasm_deps;
mod webhooks;
