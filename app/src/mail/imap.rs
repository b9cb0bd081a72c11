//! IMAP connections (TLS, STARTTLS or plain), errors sorted into what a user can act on, and the few
//! commands the sync needs.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::TryStreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::Security;

/// How long one network step may take before the sync gives up with `timeout`.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// Why talking to a mail server failed, in the terms the user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailError {
    /// The server cannot be reached (DNS, refused, no route).
    Connect(String),
    /// The TLS handshake failed (certificate, protocol).
    Tls(String),
    /// The server refused the login or password.
    Auth(String),
    /// The server answered something unexpected, or refused a command.
    Protocol(String),
    /// No answer in time.
    Timeout,
    /// The server's address is a local or private-network one, which this deployment does not dial.
    PrivateHost(String),
    /// The stored password cannot be decrypted (the mail key changed) or no key is set up.
    Key,
}

impl MailError {
    pub fn code(&self) -> &'static str {
        match self {
            MailError::Connect(_) => "connect",
            MailError::Tls(_) => "tls",
            MailError::Auth(_) => "auth",
            MailError::Protocol(_) => "protocol",
            MailError::Timeout => "timeout",
            MailError::Key => "key",
            MailError::PrivateHost(_) => "private_host",
        }
    }
}

impl std::fmt::Display for MailError {
    /// `code: detail`, as stored in `mailboxes.last_error`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let detail = match self {
            MailError::Connect(s)
            | MailError::Tls(s)
            | MailError::Auth(s)
            | MailError::Protocol(s)
            | MailError::PrivateHost(s) => s.as_str(),
            MailError::Timeout => "no answer in time",
            MailError::Key => "the password cannot be decrypted with this server's mail key",
        };
        let detail: String = detail.chars().filter(|c| !c.is_control()).take(300).collect();
        write!(f, "{}: {detail}", self.code())
    }
}

impl From<async_imap::error::Error> for MailError {
    fn from(e: async_imap::error::Error) -> MailError {
        use async_imap::error::Error;
        match e {
            Error::Io(io) => MailError::Connect(io.to_string()),
            Error::ConnectionLost => MailError::Connect("the connection was lost".into()),
            other => MailError::Protocol(other.to_string()),
        }
    }
}

/// Runs one network step with [`STEP_TIMEOUT`].
pub async fn step<T, E: Into<MailError>>(f: impl Future<Output = Result<T, E>>) -> Result<T, MailError> {
    match tokio::time::timeout(STEP_TIMEOUT, f).await {
        Ok(r) => r.map_err(Into::into),
        Err(_) => Err(MailError::Timeout),
    }
}

/// A plain or TLS stream.
#[derive(Debug)]
pub enum MailStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for MailStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for MailStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_flush(cx),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            MailStream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            MailStream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

pub type Session = async_imap::Session<MailStream>;

/// The TLS settings every mail connection shares, made on first use (and again after the company's
/// authorities change).
static TLS_CONFIG: std::sync::RwLock<Option<Arc<tokio_rustls::rustls::ClientConfig>>> = std::sync::RwLock::new(None);

/// Drops the shared TLS settings (the trusted authorities changed).
pub(super) fn forget_tls_config() {
    *TLS_CONFIG.write().unwrap_or_else(|e| e.into_inner()) = None;
}

fn tls_connector() -> TlsConnector {
    use tokio_rustls::rustls::pki_types::CertificateDer;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    if let Some(config) = TLS_CONFIG.read().unwrap_or_else(|e| e.into_inner()).clone() {
        return TlsConnector::from(config);
    }
    let mut roots = tokio_rustls::rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    // Checked when it was configured (`net::trust_company_ca`).
    roots.add_parsable_certificates(CertificateDer::pem_slice_iter(&super::net::company_ca()).flatten());
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = tokio_rustls::rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let config = Arc::new(config);
    *TLS_CONFIG.write().unwrap_or_else(|e| e.into_inner()) = Some(config.clone());
    TlsConnector::from(config)
}

async fn tls(host: &str, tcp: TcpStream) -> Result<MailStream, MailError> {
    let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|_| MailError::Tls(format!("{host} is not a valid server name")))?;
    let stream =
        step(async { tls_connector().connect(name, tcp).await.map_err(|e| MailError::Tls(e.to_string())) }).await?;
    Ok(MailStream::Tls(Box::new(stream)))
}

/// Connects and logs in.
pub async fn login(
    host: &str,
    port: u16,
    security: Security,
    user: &str,
    password: &str,
) -> Result<Session, MailError> {
    let addr = super::net::resolve(host, port).await?;
    let tcp =
        step(async { TcpStream::connect(addr).await.map_err(|e| MailError::Connect(format!("{host}:{port}: {e}"))) })
            .await?;
    let _ = tcp.set_nodelay(true);
    let stream = match security {
        Security::Tls => tls(host, tcp).await?,
        _ => MailStream::Plain(tcp),
    };
    let mut client = async_imap::Client::new(stream);
    // The greeting comes first.
    let greeting = step(async { client.read_response().await.map_err(|e| MailError::Connect(e.to_string())) }).await?;
    if greeting.is_none() {
        return Err(MailError::Connect("the server closed the connection".into()));
    }
    if security == Security::Starttls {
        step(client.run_command_and_check_ok("STARTTLS", None)).await?;
        let tcp = match client.into_inner() {
            MailStream::Plain(t) => t,
            MailStream::Tls(_) => unreachable!("STARTTLS starts on a plain connection"),
        };
        client = async_imap::Client::new(tls(host, tcp).await?);
    }
    match tokio::time::timeout(STEP_TIMEOUT, client.login(user, password)).await {
        Err(_) => Err(MailError::Timeout),
        Ok(Ok(session)) => Ok(session),
        Ok(Err((async_imap::error::Error::No(msg), _))) | Ok(Err((async_imap::error::Error::Bad(msg), _))) => {
            Err(MailError::Auth(msg))
        }
        Ok(Err((e, _))) => Err(e.into()),
    }
}

/// The folder holding sent mail: the one marked `\Sent` (RFC 6154), else one with a usual name.
pub async fn find_sent_folder(session: &mut Session) -> Result<Option<String>, MailError> {
    use async_imap::imap_proto::NameAttribute;
    let names: Vec<async_imap::types::Name> = step(async {
        let stream = session.list(Some(""), Some("*")).await?;
        stream.try_collect::<Vec<_>>().await
    })
    .await?;
    if let Some(n) = names.iter().find(|n| n.attributes().iter().any(|a| matches!(a, NameAttribute::Sent))) {
        return Ok(Some(n.name().to_string()));
    }
    const USUAL: [&str; 6] = ["sent", "sent messages", "sent items", "inbox.sent", "отправленные", "yuborilganlar"];
    Ok(names.iter().find(|n| USUAL.contains(&n.name().to_lowercase().as_str())).map(|n| n.name().to_string()))
}

/// Appends a message to `folder` as read, creating the folder if it is missing.
pub async fn append(session: &mut Session, folder: &str, raw: &[u8]) -> Result<(), MailError> {
    if step(session.append(folder, Some("(\\Seen)"), None, raw)).await.is_ok() {
        return Ok(());
    }
    // The usual failure is a missing folder ([TRYCREATE]): create it and try once more.
    let _ = step(session.create(folder)).await;
    step(session.append(folder, Some("(\\Seen)"), None, raw)).await
}
