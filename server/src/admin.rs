//! `karvon admin …`: accounts managed from the command line (the first administrator, scripted recovery of a
//! password).

use app::auth::store;
use app::core::db::Db;
use app::core::identity::Role;
use app::core::{AppError, Checks};

/// Creates an administrator; returns the id.
pub async fn create_admin(db: &Db, name: &str, email: &str, password: &str) -> Result<i64, AppError> {
    let (email, name) = app::auth::validate_new_account(name, email, password, password)?;
    let hash = store::hash_password_async(password.to_string()).await?;
    store::create_user(
        db,
        store::NewUserRow { email: &email, name: &name, password_hash: &hash, role: Role::Admin, team_id: None },
    )
    .await
}

/// Gives the user with this e-mail a new password, ends all their sessions and revokes all their API tokens
/// (a reset after a lost or leaked password); returns the user's id. Deactivated users keep their state. With
/// `temporary`, the user must choose their own password at their next sign-in.
pub async fn set_password(db: &Db, email: &str, password: &str, temporary: bool) -> Result<i64, AppError> {
    let mut checks = Checks::default();
    app::auth::check_new_password(&mut checks, password, password);
    checks.finish()?;
    let Some((id, _, _)) = store::find_login(db, email).await? else { return Err(AppError::NotFound) };
    let hash = store::hash_password_async(password.to_string()).await?;
    store::reset_password(db, id, &hash, temporary).await?;
    Ok(id)
}

/// The password given on standard input: its first line without the line break (never the command line,
/// where other users of the machine and the shell's history would see it).
pub fn password_from(input: &mut impl std::io::BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    input.read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
