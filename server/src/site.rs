//! The built site's files, precompressed at build time: `karvon compress-site` writes a brotli (`.br`) and a
//! gzip (`.gz`) copy beside every WASM, JS, CSS and JSON file of `pkg/` (run by `scripts/run.sh` and
//! `scripts/test.sh` after `cargo leptos build`). `/pkg` serves the copy the browser accepts; a copy older
//! than its file (a build without the step) is dropped at start, so a stale one is never served. Pages and
//! JSON answers are compressed on the fly (`router`).

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Whether a file of `pkg/` is worth compressing.
fn compressible(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css" | "json"))
}

/// What [`compress_site`] did: files, their bytes, and the bytes of their brotli and gzip copies.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Compressed {
    pub files: usize,
    pub raw: u64,
    pub brotli: u64,
    pub gzip: u64,
}

/// Writes the `.br` (quality 11) and `.gz` (zopfli) copy of every compressible file in `pkg` whose copies
/// are missing or older than it, one file per core (largest first, so the shell module does not come last).
pub fn compress_site(pkg: &Path) -> std::io::Result<Compressed> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(pkg)? {
        let path = entry?.path();
        if path.is_file() && compressible(&path) {
            files.push(path);
        }
    }
    files.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).map_or(0, |m| m.len())));
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, files.len().max(1));
    let parts: Vec<std::io::Result<Compressed>> = std::thread::scope(|s| {
        let worker = || {
            let mut done = Compressed::default();
            while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                let (raw, brotli, gzip) = compress_file(path)?;
                done.files += 1;
                done.raw += raw;
                done.brotli += brotli;
                done.gzip += gzip;
            }
            Ok(done)
        };
        let handles: Vec<_> = (0..workers).map(|_| s.spawn(worker)).collect();
        handles.into_iter().map(|h| h.join().expect("a compressing thread panicked")).collect()
    });
    let mut done = Compressed::default();
    for part in parts {
        let part = part?;
        done.files += part.files;
        done.raw += part.raw;
        done.brotli += part.brotli;
        done.gzip += part.gzip;
    }
    Ok(done)
}

/// One file's copies, made unless fresh: `(its bytes, the brotli copy's, the gzip copy's)`.
fn compress_file(path: &Path) -> std::io::Result<(u64, u64, u64)> {
    let bytes = std::fs::read(path)?;
    let br = path.with_extension(format!("{}.br", ext(path)));
    let gz = path.with_extension(format!("{}.gz", ext(path)));
    if !fresh(path, &br) {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        {
            let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
            w.write_all(&bytes)?;
        }
        std::fs::write(&br, &out)?;
    }
    if !fresh(path, &gz) {
        // Zopfli: gzip that every browser reads, about 5 % smaller than zlib's best level (the shell
        // module 240 KB instead of 252 KB), at build time only.
        let mut out = Vec::with_capacity(bytes.len() / 3);
        let options =
            zopfli::Options { iteration_count: std::num::NonZeroU64::new(5).expect("non-zero"), ..Default::default() };
        zopfli::compress(options, zopfli::Format::Gzip, &bytes[..], &mut out)?;
        std::fs::write(&gz, &out)?;
    }
    Ok((bytes.len() as u64, std::fs::metadata(&br)?.len(), std::fs::metadata(&gz)?.len()))
}

fn ext(path: &Path) -> &str {
    path.extension().and_then(|e| e.to_str()).unwrap_or_default()
}

/// Whether `copy` exists and is at least as new as `file`.
fn fresh(file: &Path, copy: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(file), modified(copy)), (Some(f), Some(c)) if c >= f)
}

/// Removes compressed copies older than their file (or without one); returns how many.
pub fn drop_stale(pkg: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(pkg) else { return 0 };
    let mut n = 0;
    for entry in entries.flatten() {
        let copy = entry.path();
        let Some(kind) = copy.extension().and_then(|e| e.to_str()).filter(|e| matches!(*e, "br" | "gz")) else {
            continue;
        };
        let file = copy.with_extension("");
        if !fresh(&file, &copy) && std::fs::remove_file(&copy).is_ok() {
            tracing::warn!(file = %file.display(), kind, "dropped a compressed copy older than its file");
            n += 1;
        }
    }
    n
}

/// `/pkg`: the built files, their precompressed copies to browsers that accept them.
pub fn service(pkg: &Path) -> tower_http::services::ServeDir {
    tower_http::services::ServeDir::new(pkg).precompressed_br().precompressed_gzip()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_are_made_once_and_dropped_when_stale() {
        let dir = std::env::temp_dir().join(format!("karvon-site-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let js = "export function hydrate() { return 1; }\n".repeat(200);
        std::fs::write(dir.join("karvon.js"), &js).unwrap();
        std::fs::write(dir.join("icon.png"), b"png").unwrap();
        let done = compress_site(&dir).unwrap();
        assert_eq!((done.files, done.raw), (1, js.len() as u64));
        assert!(done.brotli < done.raw / 10 && done.gzip < done.raw / 5, "{done:?}");
        let mut unpacked = String::new();
        std::io::Read::read_to_string(
            &mut brotli::Decompressor::new(&std::fs::read(dir.join("karvon.js.br")).unwrap()[..], 4096),
            &mut unpacked,
        )
        .unwrap();
        assert_eq!(unpacked, js);
        assert!(!dir.join("icon.png.br").exists());
        assert_eq!(drop_stale(&dir), 0);
        // Served to a browser that takes brotli as the brotli copy, to one that does not as the file.
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let get = |accept: &'static str| {
            let req = axum::http::Request::builder()
                .uri("/karvon.js")
                .header("accept-encoding", accept)
                .body(axum::body::Body::empty())
                .unwrap();
            rt.block_on(async {
                let res = tower::ServiceExt::oneshot(service(&dir), req).await.unwrap();
                let enc = res.headers().get("content-encoding").map(|v| v.to_str().unwrap().to_string());
                let len = axum::body::to_bytes(axum::body::Body::new(res.into_body()), usize::MAX).await.unwrap().len();
                (enc, len as u64)
            })
        };
        assert_eq!(get("gzip, deflate, br"), (Some("br".into()), done.brotli));
        assert_eq!(get("gzip"), (Some("gzip".into()), done.gzip));
        assert_eq!(get("identity"), (None, done.raw));
        // A new build without the step: its old copies go.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.join("karvon.js"), "changed").unwrap();
        assert_eq!(drop_stale(&dir), 2);
        assert!(!dir.join("karvon.js.br").exists() && !dir.join("karvon.js.gz").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
