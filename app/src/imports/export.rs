//! Exporting a filtered customer list to CSV (UTF-8 with a byte order mark, so Excel reads Cyrillic) or
//! Excel .xlsx. Cells that a spreadsheet would run as formulas are neutralised.

use super::file::neutralise;
use crate::auth::CurrentUser;
use crate::core::db::Db;
use crate::core::{AppError, Lang, Msg};
use crate::custom_fields::{FieldEntity, store as fields};
use crate::customers::store::ListQuery;
use crate::customers::{Customer, service};

/// Most rows in one export.
pub const MAX_EXPORT: usize = 1_000_000;

/// A file to download.
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

/// The customers `user` may see that match `query` (its sort applies; its cursor and limit do not), as
/// `format` (`csv` or `xlsx`) with headers in `lang`.
pub async fn customers(
    db: &Db,
    user: &CurrentUser,
    query: &ListQuery,
    format: &str,
    lang: Lang,
) -> Result<Download, AppError> {
    if !matches!(format, "csv" | "xlsx") {
        return Err(AppError::field("format", crate::core::ErrCode::InvalidChoice));
    }
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
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut q = ListQuery { cursor: None, limit: crate::customers::MAX_PAGE, ..query.clone() };
    loop {
        let page = service::list_full(db, user, &q).await?;
        rows.extend(page.items.iter().map(|c| row(c, &defs, lang)));
        match page.next_cursor {
            Some(next) if rows.len() < MAX_EXPORT => q.cursor = Some(next),
            _ => break,
        }
        tokio::task::yield_now().await;
    }
    let stamp = crate::core::format::date_input(crate::core::now_millis());
    if format == "csv" {
        let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
        let io = |_| crate::core::request::internal("csv export");
        w.write_record(&headers).map_err(io)?;
        for r in &rows {
            w.write_record(r.iter().map(|c| neutralise(c))).map_err(io)?;
        }
        let bytes = w.into_inner().map_err(|_| crate::core::request::internal("csv export"))?;
        Ok(Download { bytes, content_type: "text/csv; charset=utf-8", file_name: format!("customers-{stamp}.csv") })
    } else {
        let io = |_| crate::core::request::internal("xlsx export");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let bold = rust_xlsxwriter::Format::new().set_bold();
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold).map_err(io)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                // Strings only: the writer never makes a formula of them.
                sheet.write_string(r as u32 + 1, c as u16, cell).map_err(io)?;
            }
        }
        let bytes = book.save_to_buffer().map_err(io)?;
        Ok(Download {
            bytes,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_name: format!("customers-{stamp}.xlsx"),
        })
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
