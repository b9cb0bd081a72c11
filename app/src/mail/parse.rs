//! Raw RFC 5322 messages into what is stored: headers, a text body, sanitised HTML, attachments. Never fails:
//! what cannot be read is marked `malformed` and kept with whatever could be read, so a broken message is
//! neither lost nor a reason for the sync to stop.

use mail_parser::{MessageParser, MimeHeaders};

/// What a message yields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    /// Message-IDs of the thread so far (`References`), oldest first.
    pub references: Vec<String>,
    pub from_addr: Option<String>,
    pub from_name: Option<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: Option<String>,
    /// Epoch milliseconds from the `Date` header, if it has one.
    pub date: Option<i64>,
    pub body_text: Option<String>,
    /// Sanitised.
    pub body_html: Option<String>,
    pub attachments: Vec<ParsedAttachment>,
    /// `malformed` when no header could be read.
    pub problem: Option<&'static str>,
}

/// A file of a message; `data` is `None` when it was over `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAttachment {
    pub file_name: String,
    pub content_type: String,
    pub size: usize,
    pub data: Option<Vec<u8>>,
}

/// Longest text body kept (characters); longer ones are cut with a mark.
const MAX_TEXT_CHARS: usize = 500_000;

fn cut(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}\n[…]", &s[..i]),
        None => s.to_string(),
    }
}

fn clean_id(s: &str) -> Option<String> {
    let s = s.trim().trim_start_matches('<').trim_end_matches('>').trim();
    (!s.is_empty() && s.len() <= 500).then(|| s.to_string())
}

fn addresses(a: Option<&mail_parser::Address<'_>>) -> Vec<String> {
    let Some(a) = a else { return Vec::new() };
    a.iter().filter_map(|x| x.address()).map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()).collect()
}

/// Sanitises mail HTML: no scripts, styles sheets, forms, frames or event handlers; links open safely.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

/// Parses `raw`; attachments over `limit` bytes keep only their name and size. With `headers_only` (a message
/// too large to download whole) only the headers are read.
pub fn parse(raw: &[u8], limit: usize, headers_only: bool) -> Parsed {
    let parser = MessageParser::default();
    let msg = if headers_only { parser.parse_headers(raw) } else { parser.parse(raw) };
    let Some(msg) = msg else {
        // Not even a header: keep the bytes as text so that nothing is lost.
        let text = String::from_utf8_lossy(&raw[..raw.len().min(MAX_TEXT_CHARS)]).into_owned();
        return Parsed { body_text: Some(text), problem: Some("malformed"), ..Default::default() };
    };
    let from = msg.from().and_then(|a| a.first());
    let mut p = Parsed {
        message_id: msg.message_id().and_then(clean_id),
        in_reply_to: msg.in_reply_to().as_text().and_then(clean_id),
        references: msg
            .references()
            .as_text_list()
            .map(|l| l.iter().filter_map(|r| clean_id(r)).collect())
            .or_else(|| msg.references().as_text().and_then(clean_id).map(|r| vec![r]))
            .unwrap_or_default(),
        from_addr: from.and_then(|a| a.address()).map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()),
        from_name: from.and_then(|a| a.name()).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        to: addresses(msg.to()),
        cc: addresses(msg.cc()),
        subject: msg.subject().map(|s| cut(s.trim(), 1000)),
        date: msg.date().map(|d| d.to_timestamp() * 1000),
        ..Default::default()
    };
    if p.in_reply_to.is_none() {
        // Some clients list the parents only in References.
        p.in_reply_to = msg.in_reply_to().as_text_list().and_then(|l| l.first().and_then(|r| clean_id(r)));
    }
    if headers_only {
        return p;
    }
    p.body_text = msg.body_text(0).map(|t| cut(&t, MAX_TEXT_CHARS)).filter(|t| !t.trim().is_empty());
    // A text-only message's "HTML body" is generated from the text: keep HTML only when the mail has some.
    if let Some(part) = msg.html_bodies().find(|part| part.is_text_html()) {
        p.body_html = part.text_contents().map(sanitize_html).filter(|h| !h.trim().is_empty());
    }
    for part in msg.attachments() {
        let size = part.len();
        let content_type = part
            .content_type()
            .map(|c| match c.subtype() {
                Some(sub) => format!("{}/{}", c.ctype(), sub),
                None => c.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into());
        let file_name = part
            .attachment_name()
            .map(crate::interactions::service::safe_file_name)
            .unwrap_or_else(|| if part.is_message() { "message.eml".into() } else { "file".into() });
        p.attachments.push(ParsedAttachment {
            file_name,
            content_type: content_type.chars().filter(|c| c.is_ascii_graphic()).take(100).collect(),
            size,
            data: (size <= limit).then(|| part.contents().to_vec()),
        });
    }
    if p.from_addr.is_none()
        && p.subject.is_none()
        && p.message_id.is_none()
        && p.body_text.is_none()
        && p.body_html.is_none()
    {
        // Nothing readable came out: keep the bytes as text so that nothing is lost.
        p.body_text = Some(String::from_utf8_lossy(&raw[..raw.len().min(MAX_TEXT_CHARS)]).into_owned());
        p.problem = Some("malformed");
    }
    p
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn reads_headers_bodies_and_attachments() {
        let raw = b"From: \"Ali Valiyev\" <Ali@Anor.UZ>\r\nTo: sales@karvon.test, b@x.uz\r\nSubject: =?UTF-8?B?0J/RgNC40LLQtdGC?=\r\n\
Message-ID: <m2@anor.uz>\r\nIn-Reply-To: <m1@karvon.test>\r\nReferences: <m0@karvon.test> <m1@karvon.test>\r\n\
Date: Tue, 3 Nov 2026 10:00:00 +0500\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n\
--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p onclick=\"x()\">Hi<script>alert(1)</script><a href=\"javascript:evil()\">x</a></p>\r\n\
--XX\r\nContent-Type: application/pdf; name=\"../offer.pdf\"\r\nContent-Disposition: attachment; filename=\"../offer.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--XX\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=big.zip\r\n\
Content-Transfer-Encoding: base64\r\n\r\nUEsDBBQAAAAIAAAAIQBQSwMEFAAAAAgAAAAhAA==\r\n--XX--\r\n";
        let p = parse(raw, 20, false);
        assert_eq!(p.message_id.as_deref(), Some("m2@anor.uz"));
        assert_eq!(p.in_reply_to.as_deref(), Some("m1@karvon.test"));
        assert_eq!(p.references, ["m0@karvon.test", "m1@karvon.test"]);
        assert_eq!((p.from_addr.as_deref(), p.from_name.as_deref()), (Some("ali@anor.uz"), Some("Ali Valiyev")));
        assert_eq!(p.to, ["sales@karvon.test", "b@x.uz"]);
        assert_eq!(p.subject.as_deref(), Some("Привет"));
        assert_eq!(p.date, Some(1_793_682_000_000));
        let html = p.body_html.unwrap();
        assert!(
            html.contains("Hi")
                && !html.contains("script")
                && !html.contains("onclick")
                && !html.contains("javascript")
        );
        assert_eq!(p.attachments.len(), 2);
        assert_eq!(p.attachments[0].file_name, "offer.pdf");
        assert_eq!(p.attachments[0].data.as_deref(), Some(&b"%PDF-1.4\n"[..]));
        assert_eq!(p.attachments[1].data, None, "over the limit: name and size only");
        assert!(p.attachments[1].size > 20);
        assert_eq!(p.problem, None);
    }

    #[test]
    fn garbage_is_kept_as_malformed_text() {
        let p = parse(b"\x00\x01 not a message at all", 1000, false);
        assert!(p.body_text.is_some());
        let q = parse(b"", 1000, false);
        assert_eq!(q.problem, Some("malformed"));
    }
}
