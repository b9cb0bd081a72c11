//! Where a mailbox may make the server dial: public addresses only, unless the administrator allows the
//! local network (`KARVON_MAIL_ALLOW_PRIVATE_HOSTS`). Otherwise any user could make the server probe
//! 127.0.0.1 or the office network and read back which error came (a port scanner).

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};

use super::imap::MailError;

/// Set at start from the configuration; the test harness sets it for its local mail servers.
pub static ALLOW_PRIVATE_HOSTS: AtomicBool = AtomicBool::new(false);

/// The company's own certificate authorities (`KARVON_MAIL_CA_FILE`, PEM), trusted for IMAP and SMTP
/// besides the public roots; empty when none is configured.
static COMPANY_CA: std::sync::RwLock<Vec<u8>> = std::sync::RwLock::new(Vec::new());

/// Trusts the certificates in `pem` (one or more) besides the public roots, for every later connection.
/// Returns how many there are; a file with none, or one that does not parse, is refused.
pub fn trust_company_ca(pem: &[u8]) -> Result<usize, String> {
    use tokio_rustls::rustls::pki_types::CertificateDer;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    let certs = CertificateDer::pem_slice_iter(pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("not PEM certificates: {e}"))?;
    if certs.is_empty() {
        return Err("no certificate in it".into());
    }
    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    let (_, bad) = roots.add_parsable_certificates(certs.iter().cloned());
    if bad > 0 {
        return Err(format!("{bad} of its certificates cannot be used as an authority"));
    }
    *COMPANY_CA.write().unwrap_or_else(|e| e.into_inner()) = pem.to_vec();
    super::imap::forget_tls_config();
    Ok(certs.len())
}

/// The company's authorities as PEM (empty without any).
pub fn company_ca() -> Vec<u8> {
    COMPANY_CA.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Whether `ip` is a public unicast address (not loopback, private, link-local, unspecified, shared (CGNAT),
/// multicast, broadcast or documentation; IPv4 inside IPv6 judged as IPv4).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0xdb8
                || first == 0x64 && v6.segments()[1] == 0xff9b)
        }
    }
}

/// Resolves `host` and returns the first address the server may dial; the connection is then made to that
/// address (not the name again), so a second DNS answer cannot swap in a private one.
pub async fn resolve(host: &str, port: u16) -> Result<SocketAddr, MailError> {
    let allow_private = ALLOW_PRIVATE_HOSTS.load(Ordering::Relaxed);
    let addrs: Vec<SocketAddr> =
        tokio::time::timeout(std::time::Duration::from_secs(10), tokio::net::lookup_host((host, port)))
            .await
            .map_err(|_| MailError::Timeout)?
            .map_err(|e| MailError::Connect(format!("{host}: {e}")))?
            .collect();
    if addrs.is_empty() {
        return Err(MailError::Connect(format!("{host}: no address")));
    }
    addrs
        .into_iter()
        .find(|a| allow_private || is_public(a.ip()))
        .ok_or_else(|| MailError::PrivateHost(format!("{host} is a local or private-network address")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_and_private_addresses() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in ["8.8.8.8", "213.230.64.1", "172.32.0.1", "100.128.0.1", "2a00:1450:4017:80b::200e"] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
