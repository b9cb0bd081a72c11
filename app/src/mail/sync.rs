//! Mailbox sync: INBOX and the Sent folder, incremental by UIDVALIDITY/UID. Each batch of messages and the
//! folder's new high-water UID are stored in one transaction, so a sync stopped anywhere (a crash, a lost
//! connection, a restart) resumes after the last committed batch, imports nothing twice and skips nothing.
//! A job on every app server claims due mailboxes with a lease, so two servers never sync one at once.

use std::time::Duration;

use futures_util::TryStreamExt;

use super::Folder;
use super::imap::{self, MailError, Session, step};
use super::parse;
use super::store::{self, Fetched, MailboxRow, OwnerCache, Target};
use crate::core::AppError;
use crate::core::db::Db;

/// How long a sync holds its mailbox before another server may take over (renewed after every batch).
const LEASE_MS: i64 = 10 * 60_000;
/// Messages per fetch and transaction.
const BATCH: usize = 250;
/// Bytes per fetch (a larger message goes alone).
const BATCH_BYTES: i64 = 20 * 1024 * 1024;

/// What a sync brought.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// New messages stored.
    pub new: u64,
    /// Messages looked at on the server (new UIDs).
    pub seen: u64,
}

/// Why a sync stopped.
#[derive(Debug)]
enum Stop {
    Mail(MailError),
    Store(AppError),
}

impl From<MailError> for Stop {
    fn from(e: MailError) -> Stop {
        Stop::Mail(e)
    }
}

impl From<AppError> for Stop {
    fn from(e: AppError) -> Stop {
        Stop::Store(e)
    }
}

/// `1:5,7,9:12`: a UID set in as few ranges as the sorted `uids` allow.
pub fn uid_set(uids: &[i64]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end + 1 {
            i += 1;
            end = uids[i];
        }
        out.push(if start == end { start.to_string() } else { format!("{start}:{end}") });
        i += 1;
    }
    out.join(",")
}

/// Cuts `(uid, size)` pairs into fetch batches of at most [`BATCH`] messages and [`BATCH_BYTES`].
fn batches(items: &[(i64, i64)]) -> Vec<&[(i64, i64)]> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, (_, size)) in items.iter().enumerate() {
        let size = (*size).min(super::MAX_MESSAGE_BYTES);
        if i > start && (i - start >= BATCH || bytes + size > BATCH_BYTES) {
            out.push(&items[start..i]);
            start = i;
            bytes = 0;
        }
        bytes += size;
    }
    if start < items.len() {
        out.push(&items[start..]);
    }
    out
}

/// Syncs one mailbox now, unless another sync holds it (`Conflict`). The outcome is recorded on the
/// mailbox (status and last error); a mail server's failure is returned as `Ok(Err(…))`.
pub async fn sync_now(db: &Db, id: i64) -> Result<Result<SyncReport, MailError>, AppError> {
    if !store::claim_now(db, id, LEASE_MS).await? {
        return Err(AppError::Conflict);
    }
    sync_claimed(db, id).await
}

/// Syncs a mailbox whose lease this server holds, and releases it.
async fn sync_claimed(db: &Db, id: i64) -> Result<Result<SyncReport, MailError>, AppError> {
    let mb = match store::mailbox_row(db, id).await {
        Ok(mb) => mb,
        Err(e) => {
            store::finish_sync(db, id, Some("store: the mailbox could not be read")).await?;
            return Err(e);
        }
    };
    match sync(db, &mb).await {
        Ok(report) => {
            store::finish_sync(db, id, None).await?;
            Ok(Ok(report))
        }
        Err(Stop::Mail(e)) => {
            tracing::info!(mailbox = id, error = %e, "mail sync failed");
            store::finish_sync(db, id, Some(&e.to_string())).await?;
            Ok(Err(e))
        }
        Err(Stop::Store(e)) => {
            tracing::error!(mailbox = id, error = ?e, "mail sync could not store messages");
            store::finish_sync(db, id, Some("store: the messages could not be saved; the sync will retry")).await?;
            Err(e)
        }
    }
}

async fn sync(db: &Db, mb: &MailboxRow) -> Result<SyncReport, Stop> {
    let password = super::crypto::key().and_then(|k| k.decrypt(&mb.password_enc)).ok_or(MailError::Key)?;
    let port = u16::try_from(mb.imap_port).map_err(|_| MailError::Connect("bad port".into()))?;
    let mut session = imap::login(&mb.imap_host, port, mb.imap_security(), &mb.login, &password).await?;
    let mut owners = OwnerCache::default();
    let mut report = SyncReport::default();
    sync_folder(db, mb, &mut session, Folder::Inbox, "INBOX", &mut owners, &mut report).await?;
    if let Some(sent) = imap::find_sent_folder(&mut session).await? {
        sync_folder(db, mb, &mut session, Folder::Sent, &sent, &mut owners, &mut report).await?;
    }
    let _ = tokio::time::timeout(Duration::from_secs(5), session.logout()).await;
    Ok(report)
}

async fn sync_folder(
    db: &Db,
    mb: &MailboxRow,
    session: &mut Session,
    folder: Folder,
    name: &str,
    owners: &mut OwnerCache,
    report: &mut SyncReport,
) -> Result<(), Stop> {
    let info = step(session.examine(name)).await?;
    let uidvalidity = i64::from(info.uid_validity.unwrap_or(0));
    let last_uid = match store::folder_state(db, mb.id, folder).await? {
        Some((stored_name, v, last)) if v == uidvalidity && stored_name == name => last,
        // New, or the server renumbered the folder: start over (Message-IDs keep the copies single).
        _ => {
            store::reset_folder(db, mb.id, folder, name, uidvalidity).await?;
            0
        }
    };
    if info.exists == 0 || info.uid_next.is_some_and(|next| i64::from(next) <= last_uid + 1) {
        return Ok(());
    }
    // The new UIDs and their sizes; `n:*` also answers with the last message when nothing is newer.
    let listed: Vec<async_imap::types::Fetch> = step(async {
        let stream = session.uid_fetch(format!("{}:*", last_uid + 1), "(UID RFC822.SIZE)").await?;
        stream.try_collect::<Vec<_>>().await
    })
    .await?;
    let mut items: Vec<(i64, i64)> = listed
        .iter()
        .filter_map(|f| Some((i64::from(f.uid?), i64::from(f.size.unwrap_or(0)))))
        .filter(|(uid, _)| *uid > last_uid)
        .collect();
    items.sort_unstable();
    items.dedup_by_key(|(uid, _)| *uid);
    let own = mb.address.to_lowercase();
    let target = Target { mailbox: mb, folder, uidvalidity };
    for chunk in batches(&items) {
        let whole: Vec<i64> = chunk.iter().filter(|(_, s)| *s <= super::MAX_MESSAGE_BYTES).map(|(u, _)| *u).collect();
        let heads: Vec<i64> = chunk.iter().filter(|(_, s)| *s > super::MAX_MESSAGE_BYTES).map(|(u, _)| *u).collect();
        let mut fetched: Vec<Fetched> = Vec::with_capacity(chunk.len());
        for (uids, headers_only) in [(whole, false), (heads, true)] {
            if uids.is_empty() {
                continue;
            }
            let query =
                if headers_only { "(UID RFC822.SIZE BODY.PEEK[HEADER])" } else { "(UID RFC822.SIZE BODY.PEEK[])" };
            let got: Vec<async_imap::types::Fetch> = step(async {
                let stream = session.uid_fetch(uid_set(&uids), query).await?;
                stream.try_collect::<Vec<_>>().await
            })
            .await?;
            for f in got {
                let Some(uid) = f.uid.map(i64::from).filter(|u| uids.contains(u)) else { continue };
                let raw = if headers_only { f.header() } else { f.body() }.unwrap_or_default();
                fetched.push(Fetched {
                    uid,
                    size: i64::from(f.size.unwrap_or(raw.len() as u32)),
                    parsed: parse::parse(raw, super::MAX_ATTACHMENT_BYTES, headers_only),
                    problem: headers_only.then_some("too_large"),
                });
            }
        }
        fetched.sort_by_key(|f| f.uid);
        let mut matched = Vec::with_capacity(fetched.len());
        for f in &fetched {
            let p = &f.parsed;
            let addresses: Vec<String> = match folder {
                Folder::Inbox => p.from_addr.iter().cloned().collect(),
                Folder::Sent => p.to.iter().chain(p.cc.iter()).cloned().collect(),
            };
            let addresses: Vec<String> = addresses.into_iter().filter(|a| *a != own).collect();
            matched.push(owners.first(db, &addresses).await?);
        }
        let high = chunk.last().map(|(u, _)| *u).unwrap_or(last_uid);
        report.new += store::import_batch(db, &target, &fetched, &matched, high).await?;
        report.seen += chunk.len() as u64;
        store::renew_lease(db, mb.id, LEASE_MS).await?;
    }
    Ok(())
}

/// The sync job: every few seconds, syncs whatever mailbox is due (asked for, or not synced for `every`).
pub async fn run(db: Db, every: Duration) {
    let every_ms = every.as_millis() as i64;
    loop {
        loop {
            match store::claim_due(&db, every_ms, LEASE_MS).await {
                Ok(Some(id)) => {
                    let _ = sync_claimed(&db, id).await;
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = ?e, "mail sync job: cannot read mailboxes");
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::{batches, uid_set};

    #[test]
    fn uid_sets_use_ranges() {
        assert_eq!(uid_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
        assert_eq!(uid_set(&[42]), "42");
        assert_eq!(uid_set(&[]), "");
    }

    #[test]
    fn batches_respect_count_and_bytes() {
        let items: Vec<(i64, i64)> = (1..=600).map(|u| (u, 1000)).collect();
        let b = batches(&items);
        assert_eq!(b.iter().map(|c| c.len()).collect::<Vec<_>>(), [250, 250, 100]);
        let big = [(1, 15 << 20), (2, 15 << 20), (3, 100 << 20), (4, 1)];
        let b = batches(&big);
        assert_eq!(b.iter().map(|c| c.len()).collect::<Vec<_>>(), [1, 1, 1, 1]);
    }
}
