//! The built-in mail client: mailboxes connected over IMAP (incoming and sent mail) and SMTP (sending),
//! synced into the database, matched to customers by their contacts' addresses, threaded, and written from
//! the customer card with templates. Shared model and validation rules.

pub mod api;
#[cfg(feature = "ssr")]
pub mod crypto;
#[cfg(feature = "ssr")]
pub mod imap;
#[cfg(feature = "ssr")]
pub mod net;
pub mod page;
#[cfg(feature = "ssr")]
pub mod parse;
#[cfg(feature = "ssr")]
pub mod send;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod sync;

use serde::{Deserialize, Serialize};

use crate::core::modules::ModuleDef;
use crate::core::{AppError, Checks, ErrCode, Millis, Msg};

/// The mail module (switchable in Settings > Modules).
pub const MODULE: ModuleDef = ModuleDef {
    key: "mail",
    name: Msg::ModuleMail,
    paths: &["/mail", "/api/v1/mailboxes", "/api/v1/messages", "/api/v1/mail-templates"],
};

/// Largest attachment kept in the database; a larger one is listed with its name and size only.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Largest message downloaded whole; of a larger one only the headers are kept (marked `too_large`).
pub const MAX_MESSAGE_BYTES: i64 = 40 * 1024 * 1024;
/// Longest body written from Karvon.
pub const MAX_BODY_CHARS: usize = 100_000;

/// How a connection to a mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Security {
    /// TLS from the first byte (IMAP 993, SMTP 465).
    Tls,
    /// Plain, then STARTTLS before logging in (IMAP 143, SMTP 587).
    Starttls,
    /// No encryption: only for a server on the same machine or network.
    None,
}

impl Security {
    pub const ALL: [Security; 3] = [Security::Tls, Security::Starttls, Security::None];

    pub fn code(self) -> &'static str {
        match self {
            Security::Tls => "tls",
            Security::Starttls => "starttls",
            Security::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Security> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn msg(self) -> Msg {
        match self {
            Security::Tls => Msg::MailSecTls,
            Security::Starttls => Msg::MailSecStarttls,
            Security::None => Msg::MailSecNone,
        }
    }
}

/// A mailbox as users see it: settings (never the password) and where its sync stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Mailbox {
    pub id: i64,
    /// `None`: a shared company address.
    pub owner_id: Option<i64>,
    pub owner_name: Option<String>,
    pub name: String,
    pub address: String,
    pub login: String,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_security: Security,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: Security,
    /// `new` (never synced), `ok`, `error`.
    pub status: String,
    /// While a sync runs.
    pub syncing: bool,
    /// What went wrong last: a code (`connect`, `tls`, `auth`, `protocol`, `timeout`, `key`) and the
    /// server's words after a colon.
    pub last_error: Option<String>,
    pub last_sync_at: Option<Millis>,
    /// Messages imported, and those waiting in "unsorted".
    pub messages: i64,
    pub unsorted: i64,
    pub version: i64,
}

impl Mailbox {
    /// The code of the last error (`auth`, `connect`…), for a translated message.
    pub fn error_code(&self) -> Option<&str> {
        self.last_error.as_deref().map(|e| e.split(':').next().unwrap_or(e).trim())
    }
}

/// A mailbox to connect or change. An empty password on a change keeps the stored one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailboxInput {
    #[serde(default)]
    pub name: String,
    pub address: String,
    /// Default: the address.
    #[serde(default)]
    pub login: Option<String>,
    #[serde(default)]
    pub password: Option<String>,
    pub imap_host: String,
    #[serde(default)]
    pub imap_port: Option<i64>,
    #[serde(default)]
    pub imap_security: Option<Security>,
    pub smtp_host: String,
    #[serde(default)]
    pub smtp_port: Option<i64>,
    #[serde(default)]
    pub smtp_security: Option<Security>,
    /// A company address everyone may use (administrators only).
    #[serde(default)]
    pub shared: bool,
    /// The version being changed (changes only).
    #[serde(default)]
    pub version: Option<i64>,
}

/// [`MailboxInput`] checked and completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxValues {
    pub name: String,
    pub address: String,
    pub login: String,
    pub password: Option<String>,
    pub imap_host: String,
    pub imap_port: i64,
    pub imap_security: Security,
    pub smtp_host: String,
    pub smtp_port: i64,
    pub smtp_security: Security,
    pub shared: bool,
}

/// A host name or IP address: letters, digits, dots, dashes, colons (IPv6), at most 253 characters.
fn is_host(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_'))
        && !s.starts_with(['.', '-'])
}

impl MailboxInput {
    /// Every bad field at once. `creating`: the password is required.
    pub fn validate(&self, creating: bool) -> Result<MailboxValues, AppError> {
        let mut checks = Checks::default();
        let address = checks.opt_email("address", Some(&self.address));
        if address.is_none() && self.address.trim().is_empty() {
            checks.fail("address", ErrCode::Required);
        }
        let name = self.name.trim();
        if name.chars().count() > 100 {
            checks.fail("name", ErrCode::TooLong);
        }
        let login = self.login.as_deref().map(str::trim).filter(|l| !l.is_empty());
        if login.is_some_and(|l| l.len() > 254) {
            checks.fail("login", ErrCode::TooLong);
        }
        let password = self.password.clone().filter(|p| !p.is_empty());
        if creating && password.is_none() {
            checks.fail("password", ErrCode::Required);
        }
        if password.as_ref().is_some_and(|p| p.len() > 1000) {
            checks.fail("password", ErrCode::TooLong);
        }
        let mut host = |field: &str, v: &str| {
            let v = v.trim().to_lowercase();
            if v.is_empty() {
                checks.fail(field, ErrCode::Required);
            } else if !is_host(&v) {
                checks.fail(field, ErrCode::InvalidHost);
            }
            v
        };
        let imap_host = host("imap_host", &self.imap_host);
        let smtp_host = host("smtp_host", &self.smtp_host);
        let imap_security = self.imap_security.unwrap_or(Security::Tls);
        let smtp_security = self.smtp_security.unwrap_or(Security::Tls);
        let mut port = |field: &str, v: Option<i64>, default: i64| {
            let p = v.unwrap_or(default);
            if !(1..=65_535).contains(&p) {
                checks.fail(field, ErrCode::OutOfRange);
            }
            p
        };
        let imap_port = port("imap_port", self.imap_port, if imap_security == Security::Tls { 993 } else { 143 });
        let smtp_port = port(
            "smtp_port",
            self.smtp_port,
            match smtp_security {
                Security::Tls => 465,
                Security::Starttls => 587,
                Security::None => 25,
            },
        );
        checks.finish()?;
        let address = address.unwrap_or_default();
        Ok(MailboxValues {
            name: if name.is_empty() { address.clone() } else { name.to_string() },
            login: login.map(str::to_string).unwrap_or_else(|| address.clone()),
            address,
            password,
            imap_host,
            imap_port,
            imap_security,
            smtp_host,
            smtp_port,
            smtp_security,
            shared: self.shared,
        })
    }
}

/// Where a message lives on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Folder {
    Inbox,
    Sent,
}

impl Folder {
    pub fn code(self) -> &'static str {
        match self {
            Folder::Inbox => "inbox",
            Folder::Sent => "sent",
        }
    }

    pub fn parse(s: &str) -> Option<Folder> {
        match s {
            "inbox" => Some(Folder::Inbox),
            "sent" => Some(Folder::Sent),
            _ => None,
        }
    }
}

/// A message in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MessageSummary {
    pub id: i64,
    pub mailbox_id: i64,
    pub folder: Folder,
    /// `in` or `out`.
    pub direction: String,
    pub from_addr: Option<String>,
    pub from_name: Option<String>,
    pub to_addrs: String,
    pub subject: Option<String>,
    pub sent_at: Millis,
    pub thread_id: Option<i64>,
    /// `malformed` or `too_large` when the message could not be read whole.
    pub problem: Option<String>,
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    /// How many files it has.
    pub attachment_count: i64,
}

/// An attachment's description; `stored` is false when it was over the size limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MailAttachment {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub stored: bool,
}

/// A whole message, its attachments and its thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Message {
    #[serde(flatten)]
    pub summary: MessageSummary,
    pub message_id: Option<String>,
    pub cc_addrs: String,
    pub body_text: Option<String>,
    /// Sanitised HTML, safe to show as it is.
    pub body_html: Option<String>,
    pub attachments: Vec<MailAttachment>,
    /// Every message of the thread this user may see, oldest first (this one included).
    pub thread: Vec<MessageSummary>,
}

/// A page of messages; `next` is the cursor of the following page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MessagePage {
    pub items: Vec<MessageSummary>,
    pub next_cursor: Option<String>,
}

/// Which messages to list (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFilter {
    pub mailbox_id: Option<i64>,
    pub customer_id: Option<i64>,
    /// Only those not linked to a customer.
    #[serde(default)]
    pub unsorted: bool,
    pub cursor: Option<String>,
    pub limit: Option<i64>,
}

/// A message to write to a customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewMail {
    pub mailbox_id: i64,
    pub customer_id: i64,
    #[serde(default)]
    pub contact_id: Option<i64>,
    /// Addresses separated by commas; default: the contact's, else the customer's e-mail.
    #[serde(default)]
    pub to: Option<String>,
    pub subject: String,
    pub body: String,
    /// The message this answers (threading headers and `Re:` follow).
    #[serde(default)]
    pub reply_to: Option<i64>,
}

/// What sending did: the stored message, and whether it also reached the Sent folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Sent {
    pub message: MessageSummary,
    /// False when the Sent folder could not be written (the message went out all the same).
    pub in_sent_folder: bool,
}

/// A mail template: `{{customer.name}}`-style fields are filled in when writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Template {
    pub id: i64,
    pub name: String,
    pub subject: String,
    pub body: String,
    /// A change must name the version it was read at (409 when stale); only its author or an administrator
    /// may change it.
    pub version: i64,
}

/// The fields a template may use.
pub const TEMPLATE_FIELDS: [&str; 7] =
    ["customer.name", "customer.email", "customer.phone", "contact.name", "manager.name", "me.name", "me.email"];

/// Fills `{{field}}` placeholders from `values`; an unknown or empty field becomes empty, so a template
/// never sends braces to a customer. Whitespace inside the braces is allowed.
pub fn fill_template(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let key = after[..end].trim();
                if let Some((_, v)) = values.iter().find(|(k, _)| *k == key) {
                    out.push_str(v);
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A template checked: name, subject and body present and not too long, only known fields used.
pub fn check_template(name: &str, subject: &str, body: &str) -> Result<(String, String, String), AppError> {
    let mut checks = Checks::default();
    let name = checks.text("name", name, 100);
    let subject = checks.text("subject", subject, 300);
    let body = checks.text("body", body, MAX_BODY_CHARS);
    for (field, text) in [("subject", &subject), ("body", &body)] {
        let mut rest = text.as_str();
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else { break };
            if !TEMPLATE_FIELDS.contains(&after[..end].trim()) {
                checks.fail(field, ErrCode::UnknownField);
                break;
            }
            rest = &after[end + 2..];
        }
    }
    checks.finish()?;
    Ok((name, subject, body))
}

/// `Re: subject`, without piling up prefixes.
pub fn reply_subject(subject: &str) -> String {
    let s = subject.trim();
    let lower = s.to_lowercase();
    if lower.starts_with("re:") || lower.starts_with("на:") { s.to_string() } else { format!("Re: {s}") }
}

/// Splits `a@x.uz, b@y.uz; c@z.uz` into checked, lower-cased addresses (an error on `field` otherwise).
pub fn parse_addresses(field: &str, s: &str) -> Result<Vec<String>, AppError> {
    let mut checks = Checks::default();
    let mut out = Vec::new();
    for part in s.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        // `Name <a@x.uz>` is accepted; only the address is kept.
        let addr = match (part.rfind('<'), part.rfind('>')) {
            (Some(a), Some(b)) if a < b => &part[a + 1..b],
            _ => part,
        };
        if let Some(a) = checks.opt_email(field, Some(addr))
            && !out.contains(&a)
        {
            out.push(a);
        }
    }
    if out.len() > 50 {
        checks.fail(field, ErrCode::TooMany);
    }
    checks.finish()?;
    if out.is_empty() {
        return Err(AppError::field(field, ErrCode::Required));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_known_fields_and_drop_unknown_ones() {
        let v = [("customer.name", "Anor LLC"), ("me.name", "Dilnoza")];
        assert_eq!(fill_template("Hello {{ customer.name }}, {{me.name}}", &v), "Hello Anor LLC, Dilnoza");
        assert_eq!(fill_template("{{contact.name}}!", &v), "!");
        assert_eq!(fill_template("open {{ never closed", &v), "open {{ never closed");
        assert!(check_template("T", "Hi {{customer.name}}", "{{nope}}").is_err());
        assert!(check_template("T", "Hi {{customer.name}}", "{{ me.email }}").is_ok());
    }

    #[test]
    fn addresses_are_split_checked_and_deduplicated() {
        assert_eq!(
            parse_addresses("to", "A <Ali@X.uz>; ali@x.uz, b@y.uz").unwrap(),
            vec!["ali@x.uz".to_string(), "b@y.uz".to_string()]
        );
        assert!(parse_addresses("to", "not an address").is_err());
        assert!(parse_addresses("to", " , ").is_err());
    }

    #[test]
    fn mailbox_defaults_follow_security() {
        let input = MailboxInput {
            address: "Sales@Anor.uz".into(),
            password: Some("pw".into()),
            imap_host: "imap.anor.uz".into(),
            smtp_host: "smtp.anor.uz".into(),
            smtp_security: Some(Security::Starttls),
            ..Default::default()
        };
        let v = input.validate(true).unwrap();
        assert_eq!((v.imap_port, v.smtp_port), (993, 587));
        assert_eq!((v.login.as_str(), v.name.as_str()), ("sales@anor.uz", "sales@anor.uz"));
        let bad = MailboxInput { imap_host: "imap anor".into(), imap_port: Some(0), ..input.clone() };
        let AppError::Validation { fields } = bad.validate(false).unwrap_err() else { panic!() };
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["imap_host", "imap_port"]);
        assert!(MailboxInput { password: None, ..input }.validate(true).is_err());
    }

    #[test]
    fn a_message_survives_the_trip_to_the_browser() {
        // The summary is flattened into the message: a field named twice would not read back.
        let summary = MessageSummary {
            id: 1,
            mailbox_id: 2,
            folder: Folder::Inbox,
            direction: "in".into(),
            from_addr: Some("a@b.uz".into()),
            from_name: None,
            to_addrs: "c@d.uz".into(),
            subject: Some("S".into()),
            sent_at: 5,
            thread_id: Some(1),
            problem: None,
            customer_id: None,
            customer_name: None,
            attachment_count: 1,
        };
        let m = Message {
            summary: summary.clone(),
            message_id: Some("x@y".into()),
            cc_addrs: String::new(),
            body_text: Some("hi".into()),
            body_html: None,
            attachments: vec![MailAttachment {
                id: 3,
                file_name: "f".into(),
                content_type: "t/p".into(),
                size: 9,
                stored: true,
            }],
            thread: vec![summary],
        };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(serde_json::from_str::<Message>(&json).unwrap(), m);
    }

    #[test]
    fn replies_get_one_prefix() {
        assert_eq!(reply_subject("Offer"), "Re: Offer");
        assert_eq!(reply_subject("RE: Offer"), "RE: Offer");
    }
}
