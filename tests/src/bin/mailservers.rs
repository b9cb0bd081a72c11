//! Real mail servers for the end-to-end tests: Dovecot on IMAP port 3143 and the SMTP server on 3025 (LMTP
//! 3024), users `alice` / `alice-pw` and `bob` / `bob-pw` (`@mail.test`), alice's INBOX holding a few
//! messages. Runs until SIGTERM or SIGINT, then stops both servers.

use tests::mailserver::{MailServers, message};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let servers = MailServers::start_on(&[("alice", "alice-pw"), ("bob", "bob-pw")], Some((3143, 3025, 3024)));
    let hostile = b"From: Sardor Aliyev <sardor@bogbon.uz>\r\nTo: alice@mail.test\r\nSubject: Narxlar ro'yxati\r\n\
Message-ID: <e2e-1@bogbon.uz>\r\nDate: Tue, 3 Nov 2026 10:00:00 +0500\r\nMIME-Version: 1.0\r\n\
Content-Type: text/html; charset=utf-8\r\n\r\n<p>Assalomu alaykum! Please send the <b>price list</b>.</p>\
<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">\r\n"
        .to_vec();
    let plain = message(
        "Olga <olga@sever.ru>",
        "alice@mail.test",
        "Delivery to Tashkent",
        "e2e-2@sever.ru",
        "",
        "Hello, how long does delivery to Tashkent take?",
    );
    servers.imap("alice", "alice-pw").await.append("INBOX", &[hostile, plain]).await;
    println!("mail servers ready: IMAP 127.0.0.1:{} SMTP 127.0.0.1:{}", servers.imap_port, servers.smtp_port);
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("signal");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    drop(servers);
}
