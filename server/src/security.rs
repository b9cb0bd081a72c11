//! Request origin checks (CSRF), the client address behind trusted proxies, and the security headers every
//! response carries.

use axum::http::{HeaderMap, HeaderValue, Method, header};

/// Where a request may come from, as the server sees itself.
#[derive(Clone, Debug, Default)]
pub struct Origins {
    /// `KARVON_PUBLIC_URL`'s `host[:port]`, when set (how browsers reach Karvon behind a proxy).
    pub public: Option<String>,
    /// Whether `X-Forwarded-Host` names the host (`KARVON_TRUST_PROXY`).
    pub trust_proxy: bool,
}

impl Origins {
    /// From `KARVON_PUBLIC_URL` (`https://crm.example.uz`) and the proxy setting.
    pub fn new(public_url: Option<&str>, trust_proxy: bool) -> Origins {
        Origins { public: public_url.and_then(authority_of), trust_proxy }
    }
}

/// Whether a request that changes state, sent without a bearer token, may be served: it must come from
/// Karvon's own pages (OWASP's CSRF cheat sheet: `Sec-Fetch-Site`, then `Origin`, then `Referer`).
/// A request carrying none of the three is a non-browser client: allowed only when it brings no session
/// cookie (it cannot ride somebody's session then).
pub fn same_origin(method: &Method, headers: &HeaderMap, has_session: bool, origins: &Origins) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none`: typed or bookmarked by the user; never a page's doing.
        return matches!(site, "same-origin" | "none");
    }
    let own = |authority: &str| {
        let authority = authority.to_ascii_lowercase();
        text(header::HOST).is_some_and(|h| h.eq_ignore_ascii_case(&authority))
            || (origins.trust_proxy
                && headers
                    .get("x-forwarded-host")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split(',').next())
                    .is_some_and(|h| h.trim().eq_ignore_ascii_case(&authority)))
            || origins.public.as_deref() == Some(authority.as_str())
    };
    if let Some(origin) = text(header::ORIGIN) {
        // `Origin: null` (sandboxed frames, some redirects) is never our own page.
        return authority_of(origin).is_some_and(|a| own(&a));
    }
    if let Some(referer) = text(header::REFERER) {
        return authority_of(referer).is_some_and(|a| own(&a));
    }
    !has_session
}

/// `host[:port]` of an absolute http(s) URL, lower-cased, default ports dropped.
fn authority_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?.to_ascii_lowercase();
    let default = match scheme.to_ascii_lowercase().as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => return None,
    };
    if authority.is_empty() {
        return None;
    }
    Some(authority.strip_suffix(default).unwrap_or(&authority).to_string())
}

/// The client's address: the socket's peer, or with `hops` trusted proxies in front, the address the
/// outermost of them saw (counted from the right of `X-Forwarded-For`, since every proxy appends and the
/// left part is whatever the client sent).
pub fn client_ip(forwarded_for: Option<&str>, hops: usize, peer: Option<String>) -> String {
    let from_proxies = forwarded_for.filter(|_| hops > 0).and_then(|list| {
        let hops_seen: Vec<&str> = list.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        let i = hops_seen.len().saturating_sub(hops);
        hops_seen.get(i).map(|s| s.to_string())
    });
    from_proxies.or(peer).unwrap_or_else(|| "unknown".into())
}

/// A fresh random nonce for one page's scripts.
pub fn new_nonce() -> String {
    use base64::Engine as _;
    let bytes: [u8; 16] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Adds the security headers to a response. Scripts run only from Karvon's own files or with this page's
/// nonce (the hydration and service-worker scripts carry it); WASM may be compiled; nothing frames Karvon.
/// Remote images (in received mail) are not loaded, which also keeps senders' tracking pixels silent.
pub fn add_headers(headers: &mut HeaderMap, nonce: Option<&str>, https: bool) {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'; worker-src 'self'; manifest-src 'self'"
    );
    let mut set = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.entry(name).or_insert(v);
        }
    };
    set("content-security-policy", &csp);
    set("x-frame-options", "DENY");
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "same-origin");
    set("cross-origin-opener-policy", "same-origin");
    set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if https {
        set("strict-transport-security", "max-age=31536000; includeSubDomains");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn origin_rules() {
        let o = Origins::new(Some("https://crm.example.uz/"), true);
        let post = Method::POST;
        let host = ("host", "127.0.0.1:3000");
        type Case<'a> = (&'a [(&'static str, &'a str)], bool, bool);
        let cases: &[Case] = &[
            (&[host, ("sec-fetch-site", "same-origin")], true, true),
            (&[host, ("sec-fetch-site", "cross-site"), ("origin", "http://127.0.0.1:3000")], true, false),
            (&[host, ("sec-fetch-site", "same-site")], true, false),
            (&[host, ("origin", "http://127.0.0.1:3000")], true, true),
            (&[host, ("origin", "http://evil.example")], true, false),
            (&[host, ("origin", "http://evil.example")], false, false),
            (&[host, ("origin", "null")], true, false),
            (&[host, ("origin", "https://crm.example.uz")], true, true),
            (&[host, ("origin", "https://crm.example.uz:443")], true, true),
            (&[host, ("origin", "https://crm.example.uz.evil.example")], true, false),
            (&[host, ("referer", "http://127.0.0.1:3000/customers?x=1")], true, true),
            (&[host, ("referer", "http://evil.example/http://127.0.0.1:3000/")], true, false),
            (&[host, ("referer", "http://user@127.0.0.1:3000/")], true, true),
            (&[host], true, false),
            (&[host], false, true),
            (
                &[("host", "10.0.0.5:3000"), ("x-forwarded-host", "crm.local"), ("origin", "http://crm.local")],
                true,
                true,
            ),
        ];
        for (i, (h, session, want)) in cases.iter().enumerate() {
            assert_eq!(same_origin(&post, &headers(h), *session, &o), *want, "case {i}: {h:?}");
        }
        assert!(same_origin(&Method::GET, &headers(&[("origin", "http://evil.example")]), true, &o));
        let untrusted = Origins::new(None, false);
        let h = headers(&[
            ("host", "10.0.0.5:3000"),
            ("x-forwarded-host", "evil.example"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!same_origin(&post, &h, true, &untrusted));
    }

    #[test]
    fn client_address_from_trusted_hops() {
        let peer = Some("10.0.0.9".to_string());
        assert_eq!(client_ip(Some("6.6.6.6, 1.2.3.4"), 1, peer.clone()), "1.2.3.4");
        assert_eq!(client_ip(Some("6.6.6.6, 1.2.3.4, 10.0.0.8"), 2, peer.clone()), "1.2.3.4");
        assert_eq!(client_ip(Some("1.2.3.4"), 2, peer.clone()), "1.2.3.4");
        assert_eq!(client_ip(Some("6.6.6.6"), 0, peer.clone()), "10.0.0.9");
        assert_eq!(client_ip(None, 1, peer), "10.0.0.9");
        assert_eq!(client_ip(None, 1, None), "unknown");
    }

    #[test]
    fn headers_carry_the_nonce() {
        let mut h = HeaderMap::new();
        add_headers(&mut h, Some("abc"), false);
        assert!(h["content-security-policy"].to_str().unwrap().contains("'nonce-abc'"));
        assert!(h.get("strict-transport-security").is_none());
        add_headers(&mut h, Some("abc"), true);
        assert!(h.get("strict-transport-security").is_some());
    }
}
