//! Karvon's shared application: domain types, server functions, stores (under `ssr`) and the Leptos UI.
#![recursion_limit = "256"]

pub mod admin;
pub mod audit;
pub mod auth;
pub mod contacts;
pub mod core;
pub mod counterparties;
pub mod custom_fields;
pub mod customers;
pub mod deals;
pub mod documents;
pub mod imports;
pub mod interactions;
pub mod invoices;
pub mod mail;
pub mod orders;
pub mod payments;
pub mod records;
pub mod segments;
pub mod settings;
pub mod shell;
pub mod stock;
pub mod tasks;
pub mod ui;
pub mod webhooks;

#[cfg(feature = "ssr")]
pub use shell::shell;
pub use shell::{App, MODULES};
