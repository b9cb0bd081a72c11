//! Exporting a filtered customer list or the catalog to CSV (UTF-8 with a byte order mark, so Excel reads Cyrillic) or
//! Excel .xlsx. Cells that a spreadsheet would run as formulas are neutralised.

use futures_util::StreamExt;

use super::file::neutralise;
use crate::core::db::Db;
use crate::core::identity::CurrentUser;
use crate::core::{AppError, Lang, Msg};
use crate::custom_fields::{FieldEntity, store as fields};
use crate::customers::store::ListQuery;
use crate::customers::{Customer, service};

/// Most rows in one export (also about Excel's own limit of rows in a sheet).
pub const MAX_EXPORT: usize = 1_000_000;

/// The bytes of a download, made while they are sent.
pub type Chunks = futures_util::stream::BoxStream<'static, Result<Vec<u8>, AppError>>;

/// A file to download.
pub struct Download {
    pub content_type: &'static str,
    pub file_name: String,
    pub body: Chunks,
}

impl Download {
    /// The whole file (for tests and small files; a response streams [`Download::body`] instead).
    pub async fn bytes(self) -> Result<Vec<u8>, AppError> {
        let mut out = Vec::new();
        let mut body = self.body;
        while let Some(chunk) = body.next().await {
            out.extend(chunk?);
        }
        Ok(out)
    }
}

/// What an export walks through: a list's pages, one at a time (keyset paging in every order), so memory
/// stays flat however many rows there are.
struct Pages {
    db: Db,
    source: Source,
    lang: Lang,
    rows: usize,
    done: bool,
}

/// The list an export reads.
enum Source {
    Customers {
        user: CurrentUser,
        query: ListQuery,
        defs: Vec<crate::custom_fields::CustomField>,
    },
    Products {
        query: crate::stock::store::ProductQuery,
        tree: crate::stock::groups::Tree,
        defs: Vec<crate::custom_fields::CustomField>,
    },
}

impl Pages {
    /// The next page's rows, `None` at the end.
    async fn next(&mut self) -> Result<Option<Vec<Vec<String>>>, AppError> {
        if self.done {
            return Ok(None);
        }
        let (rows, next): (Vec<Vec<String>>, Option<String>) = match &self.source {
            Source::Customers { user, query, defs } => {
                let page = service::list_full(&self.db, user, query).await?;
                (page.items.iter().map(|c| row(c, defs, self.lang)).collect(), page.next_cursor)
            }
            Source::Products { query, tree, defs } => {
                let page = crate::stock::store::products(&self.db, query).await?;
                (page.items.iter().map(|p| product_row(p, tree, defs, self.lang)).collect(), page.next_cursor)
            }
        };
        let take = rows.len().min(MAX_EXPORT - self.rows);
        self.rows += take;
        match next {
            Some(next) if self.rows < MAX_EXPORT => match &mut self.source {
                Source::Customers { query, .. } => query.cursor = Some(next),
                Source::Products { query, .. } => query.cursor = Some(next),
            },
            _ => self.done = true,
        }
        Ok(Some(rows.into_iter().take(take).collect()))
    }
}

/// The customers `user` may see that match `query` (its sort applies; its cursor and limit do not), as
/// `format` (`csv` or `xlsx`) with headers in `lang`. A bad filter is refused before anything is sent.
pub async fn customers(
    db: &Db,
    user: &CurrentUser,
    query: &ListQuery,
    format: &str,
    lang: Lang,
) -> Result<Download, AppError> {
    check_format(format)?;
    let defs: Vec<_> = fields::list(db, FieldEntity::Customer).await?;
    let mut headers: Vec<String> = [
        Msg::Name,
        Msg::Kind,
        Msg::Stage,
        Msg::Phone,
        Msg::Email,
        Msg::Source,
        Msg::Tags,
        Msg::Manager,
        Msg::CreatedAt,
        Msg::Notes,
    ]
    .iter()
    .map(|m| m.text(lang).to_string())
    .collect();
    headers.insert(0, "ID".into());
    headers.extend(defs.iter().map(|d| d.label.clone()));
    let query = ListQuery { cursor: None, limit: crate::customers::MAX_PAGE, ..query.clone() };
    let source = Source::Customers { user: user.clone(), query, defs };
    download(Pages { db: db.clone(), source, lang, rows: 0, done: false }, headers, format, "customers").await
}

/// The catalog's products matching `query` (its cursor and limit do not apply), as `format` with headers in
/// `lang`: the columns an import of products maps back by themselves (groups as paths, units as
/// `box=12`), so a catalog goes out to a spreadsheet and comes back.
pub async fn products(
    db: &Db,
    query: &crate::stock::store::ProductQuery,
    format: &str,
    lang: Lang,
) -> Result<Download, AppError> {
    check_format(format)?;
    let mut headers: Vec<String> =
        super::ImportKind::Products.targets().iter().map(|t| super::target_msg(t).text(lang).to_string()).collect();
    headers.insert(0, "ID".into());
    let defs: Vec<_> = fields::list(db, FieldEntity::Product).await?;
    headers.extend(defs.iter().map(|d| d.label.clone()));
    let query =
        crate::stock::store::ProductQuery { cursor: None, limit: i64::from(crate::core::MAX_PAGE), ..query.clone() };
    let tree = crate::stock::groups::Tree::load(db).await?;
    let source = Source::Products { query, tree, defs };
    download(Pages { db: db.clone(), source, lang, rows: 0, done: false }, headers, format, "products").await
}

fn check_format(format: &str) -> Result<(), AppError> {
    if matches!(format, "csv" | "xlsx") {
        Ok(())
    } else {
        Err(AppError::field("format", crate::core::ErrCode::InvalidChoice))
    }
}

/// The file of `pages` under `headers`. CSV goes out page by page as it is read; an .xlsx is written to a
/// temporary file with the writer's constant-memory mode, then sent from it.
async fn download(mut pages: Pages, headers: Vec<String>, format: &str, name: &str) -> Result<Download, AppError> {
    // The first page is read now: a bad filter or sort is an error answer, not a broken download.
    let first = pages.next().await?.unwrap_or_default();
    let stamp = crate::core::format::date_input(crate::core::now_millis());
    if format == "csv" {
        let mut head = b"\xEF\xBB\xBF".to_vec();
        head.extend(csv_rows(std::iter::once(headers), false)?);
        head.extend(csv_rows(first, true)?);
        let rest = futures_util::stream::unfold(pages, |mut pages| async move {
            match pages.next().await {
                Ok(Some(rows)) => Some((csv_rows(rows, true), pages)),
                Ok(None) => None,
                Err(e) => {
                    pages.done = true;
                    Some((Err(e), pages))
                }
            }
        });
        let body = futures_util::stream::once(std::future::ready(Ok(head))).chain(rest);
        return Ok(Download {
            content_type: "text/csv; charset=utf-8",
            file_name: format!("{name}-{stamp}.csv"),
            body: Box::pin(body),
        });
    }
    let file = TempFile::new("xlsx");
    let path = file.path.clone();
    fn io<E>(_: E) -> AppError {
        crate::core::request::internal("xlsx export")
    }
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().map_err(io)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold).map_err(io)?;
    }
    let mut r = 1u32;
    let mut rows = Some(first);
    while let Some(page) = rows {
        for row in page {
            for (c, cell) in row.iter().enumerate() {
                // Strings only: the writer never makes a formula of them.
                sheet.write_string(r, c as u16, cell).map_err(io)?;
            }
            r += 1;
        }
        tokio::task::yield_now().await;
        rows = pages.next().await?;
    }
    tokio::task::spawn_blocking(move || book.save(&path)).await.map_err(io)?.map_err(io)?;
    Ok(Download {
        content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name: format!("{name}-{stamp}.xlsx"),
        body: file.into_chunks().await?,
    })
}

/// CSV lines of `rows` (cells neutralised when `neutral`).
fn csv_rows(rows: impl IntoIterator<Item = Vec<String>>, neutral: bool) -> Result<Vec<u8>, AppError> {
    let io = |_| crate::core::request::internal("csv export");
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    for r in rows {
        if neutral {
            w.write_record(r.iter().map(|c| neutralise(c))).map_err(io)?;
        } else {
            w.write_record(&r).map_err(io)?;
        }
    }
    w.into_inner().map_err(|_| crate::core::request::internal("csv export"))
}

/// A file in the temporary directory, removed when dropped (after it was sent, or if sending stopped).
struct TempFile {
    path: std::path::PathBuf,
}

impl TempFile {
    fn new(ext: &str) -> TempFile {
        let name = format!("karvon-export-{}-{:016x}.{ext}", std::process::id(), rand::random::<u64>());
        TempFile { path: std::env::temp_dir().join(name) }
    }

    /// The file's bytes in chunks of 64 KiB; the file goes when the stream does.
    async fn into_chunks(self) -> Result<Chunks, AppError> {
        use tokio::io::AsyncReadExt;
        let f = tokio::fs::File::open(&self.path).await.map_err(|_| crate::core::request::internal("xlsx export"))?;
        let chunks = futures_util::stream::unfold((f, self), |(mut f, guard)| async move {
            let mut buf = vec![0u8; 64 * 1024];
            match f.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    Some((Ok(buf), (f, guard)))
                }
                Err(_) => Some((Err(crate::core::request::internal("xlsx export")), (f, guard))),
            }
        });
        Ok(Box::pin(chunks))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn row(c: &Customer, defs: &[crate::custom_fields::CustomField], lang: Lang) -> Vec<String> {
    let mut out = vec![
        c.id.to_string(),
        c.name.clone(),
        c.kind.msg().text(lang).to_string(),
        c.stage.msg().text(lang).to_string(),
        c.phone.clone().unwrap_or_default(),
        c.email.clone().unwrap_or_default(),
        c.source.clone().unwrap_or_default(),
        c.tags.join(", "),
        c.manager_name.clone(),
        crate::core::format::date_input(c.created_at),
        c.notes.clone().unwrap_or_default(),
    ];
    out.extend(defs.iter().map(|d| crate::custom_fields::value_text(c.custom.get(&d.key)).unwrap_or_default()));
    out
}

/// A product's row, in the order of the import's targets after its id, then its custom fields.
fn product_row(
    p: &crate::stock::Product,
    tree: &crate::stock::groups::Tree,
    defs: &[crate::custom_fields::CustomField],
    lang: Lang,
) -> Vec<String> {
    let units: Vec<String> = p.units.iter().map(|u| format!("{}={}", u.unit, u.factor.normalize())).collect();
    let mut out = vec![
        p.id.to_string(),
        p.name.clone(),
        p.name_ru.clone().unwrap_or_default(),
        p.name_en.clone().unwrap_or_default(),
        p.sku.clone().unwrap_or_default(),
        p.barcodes.join(", "),
        p.kind.msg().text(lang).to_string(),
        p.group_id.and_then(|g| tree.get(g)).map(|g| g.path.clone()).unwrap_or_default(),
        p.base_unit.clone(),
        units.join("; "),
        p.mxik.clone().unwrap_or_default(),
        p.package_code.clone().unwrap_or_default(),
        p.vat.clone(),
        p.weight_kg.map(|w| w.normalize().to_string()).unwrap_or_default(),
    ];
    out.extend(defs.iter().map(|d| crate::custom_fields::value_text(p.custom.get(&d.key)).unwrap_or_default()));
    out
}
