//! `sqlx::migrate!` (server side) embeds `../migrations` at compile time, and cargo does not watch that
//! folder by itself: without this a new migration is left out of an incremental build. The browser's
//! build embeds no migrations and is not rebuilt for them.
fn main() {
    if std::env::var_os("CARGO_FEATURE_SSR").is_some() {
        println!("cargo:rerun-if-changed=../migrations");
    } else {
        println!("cargo:rerun-if-changed=build.rs");
    }
}
