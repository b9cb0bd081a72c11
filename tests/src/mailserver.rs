//! Real mail servers for tests and benchmarks: Dovecot (IMAP + LMTP) from Debian and an aiosmtpd SMTP server
//! that delivers `@mail.test` addresses into Dovecot over LMTP, both started as child processes on free
//! loopback ports with their data in a temporary folder, killed (process group) when dropped. See
//! `../shared/MAILTEST.md`. A small raw IMAP client puts test messages in (MULTIAPPEND with LITERAL+).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const DOVECOT_CONF: &str = r#"instance_name = test-@IMAP_PORT@
base_dir = @DIR@/run
state_dir = @DIR@/state
log_path = @DIR@/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
@SSL@
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Ln
hostname = mail.test
postmaster_address = postmaster@mail.test
default_internal_user = @IUSER@
default_internal_group = @IGROUP@
default_login_user = @LUSER@
first_valid_uid = 1
first_valid_gid = 1
mail_uid = @UID@
mail_gid = @GID@
mail_location = sdbox:~/mail
mail_fsync = never
namespace inbox {
  inbox = yes
  mailbox Sent {
    special_use = \Sent
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN @DIR@/users
}
userdb {
  driver = passwd-file
  args = @DIR@/users
  default_fields = home=@DIR@/home/%n
}
service imap-login {
  chroot =
  inet_listener imap {
    port = @IMAP_PORT@
  }
  inet_listener imaps {
    port = @IMAPS_PORT@
  }
}
service anvil {
  chroot =
}
service lmtp {
  inet_listener lmtp {
    port = @LMTP_PORT@
  }
}
"#;

/// Dovecot and the SMTP server, up.
pub struct MailServers {
    pub dir: PathBuf,
    pub imap_port: u16,
    pub smtp_port: u16,
    pub lmtp_port: u16,
    /// IMAP over TLS (0 unless started with [`MailServers::start_tls`]).
    pub imaps_port: u16,
    /// The certificate authority (PEM) that signed the servers' certificate, with [`MailServers::start_tls`].
    pub ca_pem: Option<Vec<u8>>,
    children: Vec<Child>,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port()
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd}: {e}"));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Waits until `port` greets with a line starting with `greeting`.
fn wait_greeting(port: u16, greeting: &str, what: &str, log: &Path) {
    use std::io::{BufRead, BufReader};
    let start = Instant::now();
    loop {
        if let Ok(s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut line = String::new();
            if BufReader::new(s).read_line(&mut line).is_ok() && line.starts_with(greeting) {
                return;
            }
        }
        if start.elapsed() > Duration::from_secs(15) {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{what} did not start on port {port}: {log}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl MailServers {
    /// Starts both servers with `users` (`(name, password)`; addresses are `name@mail.test`) on free ports.
    pub fn start(users: &[(&str, &str)]) -> MailServers {
        Self::start_on(users, None)
    }

    /// Starts both servers with TLS as a company's own mail servers have it: a certificate for 127.0.0.1
    /// signed by a certificate authority of its own (`ca_pem`), IMAP over TLS on `imaps_port`, STARTTLS on
    /// the SMTP port.
    pub fn start_tls(users: &[(&str, &str)]) -> MailServers {
        Self::launch(users, None, true)
    }

    /// Starts both servers, on `(imap, smtp, lmtp)` ports when given.
    pub fn start_on(users: &[(&str, &str)], ports: Option<(u16, u16, u16)>) -> MailServers {
        Self::launch(users, ports, false)
    }

    fn launch(users: &[(&str, &str)], ports: Option<(u16, u16, u16)>, tls: bool) -> MailServers {
        // They listen on 127.0.0.1, which Karvon dials only when allowed (as KARVON_MAIL_ALLOW_PRIVATE_HOSTS does).
        app::mail::net::ALLOW_PRIVATE_HOSTS.store(true, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("karvon_mail_{}_{}", std::process::id(), rand::random::<u32>()));
        std::fs::create_dir_all(dir.join("home")).expect("mail dir");
        std::fs::create_dir_all(dir.join("spool")).expect("spool dir");
        let root = run("id", &["-u"]) == "0";
        let (uid, gid, iuser, igroup, luser) = if root {
            (
                "65534".to_string(),
                "65534".to_string(),
                "dovecot".to_string(),
                "dovecot".to_string(),
                "dovenull".to_string(),
            )
        } else {
            let me = run("id", &["-un"]);
            let group = run("id", &["-gn"]);
            (run("id", &["-u"]), run("id", &["-g"]), me.clone(), group, me)
        };
        let (imap_port, smtp_port, lmtp_port) = ports.unwrap_or_else(|| (free_port(), free_port(), free_port()));
        let (imaps_port, ssl) = if tls {
            make_certificates(&dir);
            let d = dir.display();
            (free_port(), format!("ssl = yes\nssl_cert = <{d}/cert.pem\nssl_key = <{d}/key.pem"))
        } else {
            (0, "ssl = no".to_string())
        };
        let conf = DOVECOT_CONF
            .replace("@SSL@", &ssl)
            .replace("@IMAPS_PORT@", &imaps_port.to_string())
            .replace("@DIR@", &dir.display().to_string())
            .replace("@IMAP_PORT@", &imap_port.to_string())
            .replace("@LMTP_PORT@", &lmtp_port.to_string())
            .replace("@UID@", &uid)
            .replace("@GID@", &gid)
            .replace("@IUSER@", &iuser)
            .replace("@IGROUP@", &igroup)
            .replace("@LUSER@", &luser);
        std::fs::write(dir.join("dovecot.conf"), conf).expect("dovecot.conf");
        let lines: String = users.iter().map(|(u, p)| format!("{u}:{{PLAIN}}{p}::::::\n")).collect();
        std::fs::write(dir.join("users"), lines).expect("users");
        if root {
            run("chmod", &["0755", &dir.display().to_string()]);
            run("chown", &["-R", "65534:65534", &dir.join("home").display().to_string()]);
        }
        let spawn = |cmd: &mut Command| -> Child {
            use std::os::unix::process::CommandExt;
            cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).process_group(0);
            cmd.spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e} (scripts/setup.sh --tests installs it)"))
        };
        let dovecot = spawn(Command::new("/usr/sbin/dovecot").arg("-c").arg(dir.join("dovecot.conf")).arg("-F"));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("mail/smtpd.py");
        let mut smtpd = Command::new("/usr/bin/python3");
        smtpd
            .arg(script)
            .arg(smtp_port.to_string())
            .arg(dir.join("users"))
            .arg(dir.join("spool"))
            .arg(lmtp_port.to_string());
        if tls {
            smtpd.arg(dir.join("cert.pem")).arg(dir.join("key.pem"));
        }
        let smtpd = spawn(&mut smtpd);
        let ca_pem = tls.then(|| std::fs::read(dir.join("ca.pem")).expect("ca.pem"));
        let servers = MailServers {
            dir: dir.clone(),
            imap_port,
            smtp_port,
            lmtp_port,
            imaps_port,
            ca_pem,
            children: vec![dovecot, smtpd],
        };
        wait_greeting(imap_port, "* OK", "Dovecot", &dir.join("dovecot.log"));
        wait_greeting(smtp_port, "220", "the SMTP server", &dir.join("dovecot.log"));
        servers
    }

    /// Messages the SMTP server accepted: `(recipients, raw message)`.
    pub fn spool(&self) -> Vec<(Vec<String>, String)> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(self.dir.join("spool")).expect("spool").flatten() {
            if e.path().extension().is_some_and(|x| x == "eml") {
                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                let (head, rest) = text.split_once("\r\n").unwrap_or(("", ""));
                let rcpt = head.trim_start_matches("X-Rcpt: ").split(',').map(str::to_string).collect();
                out.push((rcpt, rest.to_string()));
            }
        }
        out
    }

    /// A raw IMAP connection logged in as `user`.
    pub async fn imap(&self, user: &str, password: &str) -> RawImap {
        let s = TcpStream::connect(("127.0.0.1", self.imap_port)).await.expect("imap connect");
        let mut c = RawImap { r: BufReader::new(s), tag: 0 };
        let mut greeting = String::new();
        c.r.read_line(&mut greeting).await.expect("greeting");
        c.command(&format!("LOGIN {user} {password}")).await;
        c
    }
}

/// A certificate authority (`ca.pem`) and a server certificate for 127.0.0.1 and localhost that it signed
/// (`cert.pem`, `key.pem`; not itself an authority, which rustls would refuse), made with openssl.
fn make_certificates(dir: &Path) {
    let d = |f: &str| dir.join(f).display().to_string();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl").args(args).output().expect("openssl (scripts/setup.sh --tests installs it)");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let (ca_key, ca, key, csr, cert, ext) =
        (d("ca.key"), d("ca.pem"), d("key.pem"), d("cert.csr"), d("cert.pem"), d("cert.ext"));
    openssl(
        &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", &ca_key, "-out", &ca, "-days", "30"]
            .into_iter()
            .chain(["-subj", "/CN=Karvon test company CA", "-addext", "basicConstraints=critical,CA:TRUE"])
            .collect::<Vec<_>>(),
    );
    openssl(&["req", "-newkey", "rsa:2048", "-nodes", "-keyout", &key, "-out", &csr, "-subj", "/CN=localhost"]);
    std::fs::write(
        &ext,
        "basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n",
    )
    .expect("cert.ext");
    openssl(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-out",
        &cert,
        "-days",
        "30",
        "-extfile",
        &ext,
    ]);
}

impl Drop for MailServers {
    fn drop(&mut self) {
        // SIGKILL to each server's own process (never `kill -KILL -<pgid>`: procps-ng 4.0's kill took that
        // for "every process" here). Dovecot's helpers see their master gone and exit on their own.
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Just enough IMAP to put test messages into folders.
pub struct RawImap {
    r: BufReader<TcpStream>,
    tag: u32,
}

impl RawImap {
    /// Sends a command (with any literals inline, LITERAL+) and reads up to its tagged answer; panics on NO/BAD.
    async fn send(&mut self, head: &[u8]) -> Vec<String> {
        self.tag += 1;
        let tag = format!("t{}", self.tag);
        let mut line = format!("{tag} ").into_bytes();
        line.extend_from_slice(head);
        line.extend_from_slice(b"\r\n");
        self.r.get_mut().write_all(&line).await.expect("imap write");
        let mut lines = Vec::new();
        loop {
            let mut l = String::new();
            if self.r.read_line(&mut l).await.expect("imap read") == 0 {
                panic!("IMAP connection closed");
            }
            if let Some(rest) = l.strip_prefix(&format!("{tag} ")) {
                assert!(rest.starts_with("OK"), "IMAP refused: {rest}");
                return lines;
            }
            lines.push(l);
        }
    }

    pub async fn command(&mut self, cmd: &str) -> Vec<String> {
        self.send(cmd.as_bytes()).await
    }

    /// Appends messages to `folder` with one MULTIAPPEND command per 500.
    pub async fn append(&mut self, folder: &str, messages: &[Vec<u8>]) {
        for chunk in messages.chunks(500) {
            let mut cmd = format!("APPEND {folder}").into_bytes();
            for m in chunk {
                cmd.extend_from_slice(format!(" {{{}+}}\r\n", m.len()).as_bytes());
                cmd.extend_from_slice(m);
            }
            self.send(&cmd).await;
        }
    }
}

/// A simple test message.
pub fn message(from: &str, to: &str, subject: &str, message_id: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\nDate: Tue, 3 Nov 2026 10:00:00 +0500\r\n\
         {extra_headers}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// Installs a mail key for the process (the first call wins; tests share it).
pub fn install_mail_key() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let key = app::mail::crypto::MailKey::from_base64(&app::mail::crypto::MailKey::generate()).expect("key");
        app::mail::crypto::install(key);
    });
}
