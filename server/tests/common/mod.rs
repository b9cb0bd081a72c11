//! What the binary's tests share: the real `karvon` with a database and a directory of its own.

use std::process::Command;

/// `karvon` against `url`, its site root and mail key in `dir`, quiet, ignoring any `karvon.toml`.
pub fn karvon(url: &str, dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_karvon"));
    cmd.env("DATABASE_URL", url)
        .env("KARVON_SITE_ROOT", dir.join("site"))
        .env("KARVON_MAIL_KEY_FILE", dir.join("mail.key"))
        .env("KARVON_LOG", "warn")
        .env_remove("KARVON_CONFIG");
    cmd
}
