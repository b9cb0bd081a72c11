//! Sending: a plain-text message built with lettre, sent over the mailbox's SMTP server, then appended to
//! its Sent folder over IMAP so that every mail client of the user sees it.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox as Addr, Message, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use rand::Rng;

use super::Security;
use super::imap::{self, MailError};
use super::store::MailboxRow;

/// A message to send.
pub struct Draft<'a> {
    pub from_name: &'a str,
    pub to: &'a [String],
    pub subject: &'a str,
    pub body: &'a str,
    pub in_reply_to: Option<&'a str>,
    /// Message-IDs of the thread, oldest first.
    pub references: &'a [String],
    /// Files sent with it (a printed document).
    pub attachments: &'a [OutAttachment],
}

/// A file to send with a message.
#[derive(Debug, Clone)]
pub struct OutAttachment {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A fresh Message-ID (without brackets) in the sender's domain.
pub fn new_message_id(address: &str) -> String {
    let domain = address.rsplit_once('@').map(|(_, d)| d).unwrap_or("karvon.local");
    let n: u128 = rand::thread_rng().r#gen();
    format!("{n:032x}@{domain}")
}

/// Builds the message; returns its bytes (for the Sent folder) with the lettre message.
pub fn build(mb: &MailboxRow, message_id: &str, d: &Draft<'_>) -> Result<Message, String> {
    let from: lettre::Address = mb.address.parse().map_err(|_| format!("bad sender {}", mb.address))?;
    let mut b = Message::builder()
        .from(Addr::new(Some(d.from_name.to_string()).filter(|n| !n.is_empty()), from))
        .subject(d.subject)
        .message_id(Some(format!("<{message_id}>")))
        .date_now();
    for t in d.to {
        let addr: lettre::Address = t.parse().map_err(|_| format!("bad recipient {t}"))?;
        b = b.to(Addr::new(None, addr));
    }
    if let Some(r) = d.in_reply_to {
        b = b.in_reply_to(format!("<{r}>"));
    }
    if !d.references.is_empty() {
        b = b.references(d.references.iter().map(|r| format!("<{r}>")).collect::<Vec<_>>().join(" "));
    }
    if d.attachments.is_empty() {
        return b.header(ContentType::TEXT_PLAIN).body(d.body.to_string()).map_err(|e| e.to_string());
    }
    let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(d.body.to_string()));
    for a in d.attachments {
        let content_type = ContentType::parse(&a.content_type).map_err(|e| e.to_string())?;
        parts = parts.singlepart(Attachment::new(a.file_name.clone()).body(a.data.clone(), content_type));
    }
    b.multipart(parts).map_err(|e| e.to_string())
}

fn smtp_error(e: lettre::transport::smtp::Error) -> MailError {
    let code = e.status().map(u16::from);
    if e.is_timeout() {
        MailError::Timeout
    } else if e.is_tls() {
        MailError::Tls(e.to_string())
    } else if matches!(code, Some(530 | 534 | 535 | 538)) {
        MailError::Auth(e.to_string())
    } else if e.is_permanent() || e.is_transient() {
        MailError::Protocol(e.to_string())
    } else {
        MailError::Connect(e.to_string())
    }
}

/// The mailbox's SMTP transport, logging in with `password`.
async fn transport(
    mb: &MailboxRow,
    password: &str,
    timeout: Duration,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailError> {
    let port = u16::try_from(mb.smtp_port).map_err(|_| MailError::Connect("bad port".into()))?;
    // The connection goes to the address checked here; the name stays the TLS certificate's.
    let addr = super::net::resolve(&mb.smtp_host, port).await?;
    let params = || {
        let mut b = TlsParameters::builder(mb.smtp_host.clone());
        let ca = super::net::company_ca();
        if !ca.is_empty() {
            b = b.add_root_certificate(Certificate::from_pem(&ca).map_err(|e| MailError::Tls(e.to_string()))?);
        }
        b.build().map_err(|e| MailError::Tls(e.to_string()))
    };
    let tls = match mb.smtp_security() {
        Security::Tls => Tls::Wrapper(params()?),
        Security::Starttls => Tls::Required(params()?),
        Security::None => Tls::None,
    };
    Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(addr.ip().to_string())
        .port(port)
        .tls(tls)
        .credentials(Credentials::new(mb.login.clone(), password.to_string()))
        .timeout(Some(timeout))
        .build())
}

/// Sends `message` over the mailbox's SMTP server.
pub async fn smtp(mb: &MailboxRow, password: &str, message: Message) -> Result<(), MailError> {
    let transport = transport(mb, password, Duration::from_secs(30)).await?;
    transport.send(message).await.map(|_| ()).map_err(smtp_error)
}

/// Puts a sent message into the mailbox's Sent folder (made if missing).
pub async fn append_to_sent(mb: &MailboxRow, password: &str, raw: &[u8]) -> Result<(), MailError> {
    let port = u16::try_from(mb.imap_port).map_err(|_| MailError::Connect("bad port".into()))?;
    let mut session = imap::login(&mb.imap_host, port, mb.imap_security(), &mb.login, password).await?;
    let folder = imap::find_sent_folder(&mut session).await?.unwrap_or_else(|| "Sent".into());
    let result = imap::append(&mut session, &folder, raw).await;
    let _ = tokio::time::timeout(Duration::from_secs(5), session.logout()).await;
    result
}

/// Checks that the settings work: logs in over IMAP and SMTP.
pub async fn check_login(mb: &MailboxRow, password: &str) -> Result<(), (&'static str, MailError)> {
    let port = u16::try_from(mb.imap_port).map_err(|_| ("imap_port", MailError::Connect("bad port".into())))?;
    let mut session =
        imap::login(&mb.imap_host, port, mb.imap_security(), &mb.login, password).await.map_err(|e| ("imap", e))?;
    let _ = tokio::time::timeout(Duration::from_secs(5), session.logout()).await;
    let transport = transport(mb, password, Duration::from_secs(20)).await.map_err(|e| ("smtp", e))?;
    match transport.test_connection().await {
        Ok(true) => Ok(()),
        Ok(false) => Err(("smtp", MailError::Connect("the SMTP server did not answer".into()))),
        Err(e) => Err(("smtp", smtp_error(e))),
    }
}
