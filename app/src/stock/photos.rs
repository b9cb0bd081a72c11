//! A product's photo: one image per product (JPEG, PNG or WebP, known by its first bytes rather than by what
//! the upload claims, so nothing but an image is ever served inline), kept in the database beside the
//! product (a backup holds it) with a hash of its bytes for caching.

/// The largest photo accepted: a phone's camera picture fits.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

/// The image type of `data` by its signature, if it is one a photo may be.
pub fn image_type(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.len() >= 12 && data.starts_with(b"RIFF") && &data[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(feature = "ssr")]
pub use ssr::*;

#[cfg(feature = "ssr")]
mod ssr {
    use sha2::{Digest, Sha256};

    use super::{MAX_PHOTO_BYTES, image_type};
    use crate::core::db::Db;
    use crate::core::identity::CurrentUser;
    use crate::core::{AppError, ErrCode, now_millis};
    use crate::db_run;
    use crate::stock::service::catalog_keeper;
    use crate::stock::{Product, store};

    /// A stored photo.
    pub struct Photo {
        pub content_type: String,
        /// A hash of the bytes: the HTTP entity tag.
        pub etag: String,
        pub data: Vec<u8>,
    }

    /// Sets (or replaces) product `id`'s photo; those who keep the catalog only. Refusals name the field
    /// `photo`.
    pub async fn set(db: &Db, user: &CurrentUser, id: i64, data: &[u8]) -> Result<Product, AppError> {
        catalog_keeper(user)?;
        store::product(db, id).await?;
        let refuse = |code| Err(AppError::field("photo", code));
        if data.is_empty() {
            return refuse(ErrCode::EmptyFile);
        }
        if data.len() > MAX_PHOTO_BYTES {
            return refuse(ErrCode::PhotoTooLarge);
        }
        let Some(content_type) = image_type(data) else { return refuse(ErrCode::NotAnImage) };
        let etag: String = Sha256::digest(data).iter().take(12).map(|b| format!("{b:02x}")).collect();
        let sql = "INSERT INTO product_photos (product_id, content_type, size, etag, data, updated_by, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (product_id) DO UPDATE SET \
                   content_type = excluded.content_type, size = excluded.size, etag = excluded.etag, \
                   data = excluded.data, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
        let size = data.len() as i64;
        db_run!(db, p => sqlx::query(sql).bind(id).bind(content_type).bind(size).bind(&etag).bind(data)
            .bind(user.id).bind(now_millis()).execute(p).await.map(|_| ()))?;
        store::product(db, id).await
    }

    /// Product `id`'s photo, or `NotFound`; anyone signed in sees it (as they see the catalog).
    pub async fn get(db: &Db, _user: &CurrentUser, id: i64) -> Result<Photo, AppError> {
        let sql = "SELECT content_type, etag, data FROM product_photos WHERE product_id = $1";
        let row: Option<(String, String, Vec<u8>)> =
            db_run!(db, p => sqlx::query_as(sql).bind(id).fetch_optional(p).await)?;
        let (content_type, etag, data) = row.ok_or(AppError::NotFound)?;
        Ok(Photo { content_type, etag, data })
    }

    /// Removes product `id`'s photo (there may be none); those who keep the catalog only.
    pub async fn remove(db: &Db, user: &CurrentUser, id: i64) -> Result<Product, AppError> {
        catalog_keeper(user)?;
        store::product(db, id).await?;
        db_run!(db, p => sqlx::query("DELETE FROM product_photos WHERE product_id = $1").bind(id).execute(p).await.map(|_| ()))?;
        store::product(db, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::image_type;

    #[test]
    fn a_photo_is_known_by_its_first_bytes() {
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some("image/jpeg"));
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(image_type(b"RIFF\x24\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(image_type(b"RIFF\x24\0\0\0WAVEfmt "), None);
        assert_eq!(image_type(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), None);
        assert_eq!(image_type(b"GIF89a"), None);
        assert_eq!(image_type(b""), None);
    }
}
