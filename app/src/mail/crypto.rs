//! Mailbox passwords at rest: AES-256-GCM under a key from the configuration (`KARVON_MAIL_KEY`, or a key
//! file made on first start). Stored as base64 of nonce (12 bytes) followed by ciphertext and tag.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use ring::rand::{SecureRandom, SystemRandom};

/// The key every server in a deployment shares (set once at start).
static KEY: OnceLock<MailKey> = OnceLock::new();

/// A 256-bit key.
pub struct MailKey(LessSafeKey);

impl std::fmt::Debug for MailKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailKey(…)")
    }
}

impl MailKey {
    /// From base64 of exactly 32 bytes.
    pub fn from_base64(s: &str) -> Result<MailKey, String> {
        let bytes = STANDARD.decode(s.trim()).map_err(|_| "the mail key is not base64".to_string())?;
        let key = UnboundKey::new(&AES_256_GCM, &bytes).map_err(|_| "the mail key must be 32 bytes".to_string())?;
        Ok(MailKey(LessSafeKey::new(key)))
    }

    /// A fresh random key, as base64.
    pub fn generate() -> String {
        let mut bytes = [0u8; 32];
        SystemRandom::new().fill(&mut bytes).expect("the system random source");
        STANDARD.encode(bytes)
    }

    pub fn encrypt(&self, plain: &str) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new().fill(&mut nonce).expect("the system random source");
        let mut buf = plain.as_bytes().to_vec();
        self.0
            .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut buf)
            .expect("AES-GCM sealing a short text");
        let mut out = nonce.to_vec();
        out.extend(buf);
        STANDARD.encode(out)
    }

    /// `None` when the text was not sealed with this key (a changed key, a damaged value).
    pub fn decrypt(&self, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        if bytes.len() < NONCE_LEN {
            return None;
        }
        let (nonce, rest) = bytes.split_at(NONCE_LEN);
        let mut buf = rest.to_vec();
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let plain = self.0.open_in_place(nonce, Aad::empty(), &mut buf).ok()?;
        String::from_utf8(plain.to_vec()).ok()
    }
}

/// Sets the deployment's key (the first call wins).
pub fn install(key: MailKey) {
    let _ = KEY.set(key);
}

/// The key, if one was installed.
pub fn key() -> Option<&'static MailKey> {
    KEY.get()
}

/// The key from `configured` (base64), else from `file`, made with a fresh key (mode 0600) if missing.
pub fn load_or_create(configured: Option<&str>, file: &str) -> Result<MailKey, String> {
    if let Some(k) = configured {
        return MailKey::from_base64(k);
    }
    match std::fs::read_to_string(file) {
        Ok(text) => MailKey::from_base64(&text).map_err(|e| format!("{file}: {e}")),
        Err(_) => {
            let fresh = MailKey::generate();
            if let Some(dir) = std::path::Path::new(file).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|e| format!("{file}: {e}"))?;
            }
            write_private(file, &fresh).map_err(|e| format!("{file}: {e}"))?;
            MailKey::from_base64(&fresh)
        }
    }
}

#[cfg(unix)]
fn write_private(path: &str, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &str, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::MailKey;

    #[test]
    fn sealed_passwords_open_only_with_their_key() {
        let key = MailKey::from_base64(&MailKey::generate()).unwrap();
        let sealed = key.encrypt("s3cret пароль");
        assert!(!sealed.contains("s3cret"));
        assert_ne!(sealed, key.encrypt("s3cret пароль"), "a fresh nonce each time");
        assert_eq!(key.decrypt(&sealed).as_deref(), Some("s3cret пароль"));
        let other = MailKey::from_base64(&MailKey::generate()).unwrap();
        assert_eq!(other.decrypt(&sealed), None);
        assert_eq!(key.decrypt("garbage"), None);
        assert!(MailKey::from_base64("c2hvcnQ=").is_err());
    }
}
