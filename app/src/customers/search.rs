//! Global customer search: one lower-cased document per customer, indexed by the database's own text search
//! (SQLite FTS5 with trigrams, PostgreSQL pg_trgm), matching any part of a name, a phone in any format, an
//! e-mail, a taxpayer id or a contact person. The document is derived data: every write that touches it
//! marks it stale in its own transaction (triggers fill `search_stale`), the services rebuild it right after
//! the commit, and [`watch`] rebuilds on every server what a crash left marked.

use crate::core::AppError;
use crate::core::db::{BeginWrite, Db, like_escape};
use crate::core::identity::Scope;

/// The document of a customer from its parts: text lower-cased, phones also as bare digits.
pub fn document<'a>(texts: impl IntoIterator<Item = &'a str>, phones: impl IntoIterator<Item = &'a str>) -> String {
    let mut doc: Vec<String> = texts.into_iter().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect();
    doc.extend(phones.into_iter().map(|p| p.chars().filter(char::is_ascii_digit).collect::<String>()));
    doc.join(" ")
}

/// Rebuilds and stores the document of `customer_id` from what is in the database now. The stale mark is
/// taken away first: a write that lands meanwhile marks it again, so no change is ever left unindexed.
pub async fn refresh(db: &Db, customer_id: i64) -> Result<(), AppError> {
    crate::db_run!(db, p => sqlx::query("DELETE FROM search_stale WHERE customer_id = $1").bind(customer_id)
        .execute(p).await.map(|r| r.rows_affected()))?;
    let c = match super::store::get(db, Scope::All, customer_id).await {
        Ok(c) => c,
        // Merged away: its document went with it.
        Err(AppError::NotFound) => return Ok(()),
        Err(e) => return Err(e),
    };
    let cps = crate::counterparties::store::list_for_customer(db, customer_id).await?.current;
    let contacts = crate::contacts::store::list_for_customer(db, customer_id).await?;
    let mut texts: Vec<&str> = vec![&c.name];
    texts.extend(c.email.as_deref());
    let mut phones: Vec<&str> = c.phone.as_deref().into_iter().collect();
    for cp in &cps {
        texts.push(&cp.legal_name);
        texts.push(&cp.tax_id);
    }
    for ct in &contacts {
        texts.push(&ct.name);
        texts.extend(ct.emails.iter().map(String::as_str));
        phones.extend(ct.phones.iter().map(String::as_str));
    }
    write(db, &[(customer_id, document(texts, phones))]).await
}

/// Rebuilds the documents of several customers (after a change that touches all of them).
pub async fn refresh_all(db: &Db, customer_ids: impl IntoIterator<Item = i64>) -> Result<(), AppError> {
    for id in customer_ids {
        refresh(db, id).await?;
    }
    Ok(())
}

/// Rebuilds up to `limit` documents marked stale and not rebuilt (a server stopped between a write's commit
/// and its rebuild); returns how many.
pub async fn sweep(db: &Db, limit: i64) -> Result<usize, AppError> {
    let ids: Vec<i64> = crate::db_run!(db, p => sqlx::query_scalar(
        "SELECT customer_id FROM search_stale ORDER BY customer_id LIMIT $1").bind(limit).fetch_all(p).await)?;
    let n = ids.len();
    refresh_all(db, ids).await?;
    Ok(n)
}

/// Runs on every app server: every few seconds, rebuilds the documents a crash left stale. A document being
/// rebuilt right after its write is usually gone from the list before this looks.
pub async fn watch(db: Db) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        loop {
            match sweep(&db, 500).await {
                Ok(500) => tokio::task::yield_now().await,
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot rebuild stale search documents");
                    break;
                }
            }
        }
    }
}

/// `INSERT INTO customer_search (<key>, doc)` for new documents in bulk (`core::db::Rows`): the key column
/// is FTS5's `rowid` on SQLite, `customer_id` on PostgreSQL.
pub fn insert_head(db: &Db) -> &'static str {
    if db.is_postgres() {
        "INSERT INTO customer_search (customer_id, doc)"
    } else {
        "INSERT INTO customer_search (rowid, doc)"
    }
}

/// Stores documents, replacing older ones, in one transaction.
pub async fn write(db: &Db, docs: &[(i64, String)]) -> Result<(), AppError> {
    match db {
        Db::Sqlite(p) => {
            let mut tx = p.begin_write().await?;
            for (id, doc) in docs {
                sqlx::query("DELETE FROM customer_search WHERE rowid = $1").bind(id).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO customer_search (rowid, doc) VALUES ($1, $2)")
                    .bind(id)
                    .bind(doc)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        Db::Postgres(p) => {
            let mut tx = p.begin_write().await?;
            for (id, doc) in docs {
                sqlx::query(
                    "INSERT INTO customer_search (customer_id, doc) VALUES ($1, $2) \
                     ON CONFLICT (customer_id) DO UPDATE SET doc = EXCLUDED.doc",
                )
                .bind(id)
                .bind(doc)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        }
    }
    Ok(())
}

/// The normalised query: lower-cased; a phone-like query (digits and `+ -()` only) becomes its digits.
pub fn normalise(q: &str) -> String {
    let q = q.trim();
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let phone_like = digits.len() >= 3 && q.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if phone_like { digits } else { q.to_lowercase() }
}

/// The SQL condition restricting `c.id` to the customers matching `q` (already normalised), with its
/// parameter at `$n`. SQLite uses the trigram index for three characters or more (`MATCH`), a scan of the
/// documents below that; PostgreSQL's trigram index serves `LIKE` directly.
pub fn condition(db: &Db, q: &str, n: usize) -> (String, String) {
    let like = format!("%{}%", like_escape(q));
    match db {
        Db::Sqlite(_) if q.chars().count() >= 3 => (
            format!("c.id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ${n})"),
            format!("\"{}\"", q.replace('"', "\"\"")),
        ),
        Db::Sqlite(_) => (format!("c.id IN (SELECT rowid FROM customer_search WHERE doc LIKE ${n} ESCAPE '\\')"), like),
        Db::Postgres(_) => {
            (format!("c.id IN (SELECT customer_id FROM customer_search WHERE doc LIKE ${n} ESCAPE '\\')"), like)
        }
    }
}

/// Whether a search for `q` (normalised) can drive a page in id order from the index itself (SQLite's FTS5,
/// three characters or more): [`match_on_driver`] is then its condition, on `customer_search s`.
pub fn drives_order(db: &Db, q: &str) -> bool {
    !db.is_postgres() && q.chars().count() >= 3
}

/// The FTS5 condition on the driving `customer_search s`, with its parameter at `$n`.
pub fn match_on_driver(q: &str, n: usize) -> (String, String) {
    (format!("customer_search MATCH ${n}"), format!("\"{}\"", q.replace('"', "\"\"")))
}

/// Search for customers in `scope` (for the type-ahead): up to `limit` of them, newest first.
pub async fn quick(db: &Db, scope: Scope, q: &str, limit: u32) -> Result<Vec<super::Customer>, AppError> {
    let query = super::store::ListQuery { q: Some(q.to_string()), limit, ..Default::default() };
    Ok(super::store::list(db, scope, &query, &Default::default()).await?.items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_queries() {
        let d = document(["Toshkent Savdo MChJ", " ", "ООО Ромашка"], ["+998901234567"]);
        assert_eq!(d, "toshkent savdo mchj ооо ромашка 998901234567");
        assert_eq!(normalise("+998 (90) 123-45"), "9989012345");
        assert_eq!(normalise("РОМАШ"), "ромаш");
        assert_eq!(normalise("100%"), "100%");
    }
}
