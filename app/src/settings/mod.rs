//! Settings: business modules switched on and off.

pub mod api;
pub mod page_modules;
