//! Endpoints that are never worth a finding, and hosts that are local.
//!
//! Noise is judged on the lowercase host and the path: XML namespaces and
//! schema URIs, licence and documentation sites, and the names reserved for
//! examples (RFC 2606, RFC 5737, RFC 3849) are written into apps by every XML
//! parser, licence notice and code sample, and are not endpoints the app
//! talks to.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Domains (with all their subdomains) that only name things: schemas,
/// namespaces, licences, standards and developer documentation.
const NOISE_DOMAINS: &[&str] = &[
    // Namespaces, schemas and XML parser feature URIs.
    "apache.org",
    "ccil.org",
    "jabber.org",
    "jcp.org",
    "json-schema.org",
    "megginson.com",
    "ns.adobe.com",
    "oasis-open.org",
    "openxmlformats.org",
    "purl.org",
    "relaxng.org",
    "saxproject.org",
    "schema.org",
    "schemas.android.com",
    "schemas.microsoft.com",
    "sun.com",
    "w3.org",
    "xml.org",
    "xmlpull.org",
    "xmlsoap.org",
    // Standards bodies (also named in ICC colour profiles and RFC links).
    "color.org",
    "iana.org",
    "iec.ch",
    "ietf.org",
    "unicode.org",
    // Licences and open-source project documentation.
    "creativecommons.org",
    "eclipse.org",
    "fsf.org",
    "gnu.org",
    "icu-project.org",
    "jcip.net",
    "mozilla.org",
    "netty.io",
    "opensource.org",
    "slf4j.org",
    "translationproject.org",
    // Platform developer documentation.
    "developer.android.com",
    "developer.apple.com",
    // Reserved for examples (RFC 2606).
    "example.com",
    "example.net",
    "example.org",
];

/// Exact hosts that are project and documentation pages rather than APIs
/// (their API hosts, such as `api.github.com`, are not listed).
const NOISE_HOSTS: &[&str] = &["github.com", "www.github.com"];

/// Domain and path prefix pairs that name documents: DTDs, licences, XML
/// namespaces served from otherwise real hosts.
const NOISE_PATHS: &[(&str, &str)] = &[
    ("apple.com", "/appleca"),
    ("apple.com", "/certificateauthority"),
    ("apple.com", "/dtds"),
    ("s3.amazonaws.com", "/doc/"),
    // OAuth scope identifiers, not endpoints.
    ("www.googleapis.com", "/auth/"),
];

/// Certificate infrastructure: CRL, OCSP and CA-issuer URLs embedded in
/// certificates and provisioning profiles. They are fetched in cleartext by
/// design (the data is signed) and are not the app's endpoints.
fn is_certificate_infrastructure(host: &str, path: &str) -> bool {
    let first = host.split('.').next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    first.starts_with("crl")
        || first.starts_with("ocsp")
        || first == "cacerts"
        || [".crl", ".crt", ".cer", ".p7c"]
            .iter()
            .any(|ext| last.contains(ext))
}

/// Schema and DTD documents named by their URL.
fn is_schema_document(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.ends_with(".xsd") || p.ends_with(".dtd")
}

/// Top-level names reserved for examples and tests (RFC 2606, RFC 6761).
const RESERVED_TLDS: &[&str] = &["example", "invalid", "test"];

/// Whether `host` equals `domain` or is a subdomain of it.
pub(super) fn within(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// Whether an endpoint names a document or an example rather than a
/// server the app talks to. `host` is lowercase; `path` as written.
pub(super) fn is_noise(host: &str, path: &str, ip: Option<IpAddr>) -> bool {
    if let Some(ip) = ip {
        return is_reserved_ip(ip);
    }
    let tld = host.rsplit('.').next().unwrap_or(host);
    NOISE_HOSTS.contains(&host)
        || is_certificate_infrastructure(host, path)
        || is_schema_document(path)
        || RESERVED_TLDS.contains(&tld)
        || NOISE_DOMAINS.iter().any(|d| within(host, d))
        || NOISE_PATHS.iter().any(|(d, p)| {
            within(host, d)
                && path
                    .get(..p.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(p))
        })
}

/// Addresses that cannot be a server: documentation, benchmarking,
/// multicast, broadcast and other reserved ranges.
fn is_reserved_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            v4.is_documentation()
                || v4.is_multicast()
                || v4.is_broadcast()
                || a >= 240
                || (a == 198 && (b & 0xfe) == 18)
                || (a == 192 && b == 0 && c == 0)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            v6.is_multicast() || (s[0] == 0x2001 && s[1] == 0x0db8)
        }
    }
}

/// Whether an address is this device: loopback or unspecified.
pub(super) fn is_loopback_ip(ip: IpAddr) -> bool {
    ip.is_loopback() || ip.is_unspecified()
}

/// Whether an address is on a private or link-local network.
pub(super) fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => is_private_v6(v6),
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private() || ip.is_link_local() || (a == 100 && (b & 0xc0) == 64)
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || ip.to_ipv4_mapped().is_some_and(is_private_v4)
}

/// Whether a lowercase host name is this device (`localhost`).
pub(super) fn is_localhost(host: &str) -> bool {
    within(host, "localhost")
}

/// Top-level labels used only inside private networks.
const PRIVATE_TLDS: &[&str] = &["corp", "home", "internal", "lan", "local", "localdomain"];

/// Whether a lowercase host name only resolves inside a private network:
/// a single label, or a private-use top-level label.
pub(super) fn is_private_name(host: &str) -> bool {
    let tld = host.rsplit('.').next().unwrap_or(host);
    !host.contains('.') || PRIVATE_TLDS.contains(&tld) || within(host, "home.arpa")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_scopes_are_noise_but_google_apis_are_not() {
        assert!(is_noise("www.googleapis.com", "/auth/drive.file", None));
        assert!(!is_noise("www.googleapis.com", "/drive/v3/files", None));
    }

    #[test]
    fn schema_licence_doc_and_example_hosts_are_noise() {
        for (host, path) in [
            ("schemas.android.com", "/apk/res/android"),
            ("www.w3.org", "/2000/svg"),
            ("ns.adobe.com", "/xap/1.0/"),
            ("www.xml.org", "/sax/features/namespaces"),
            ("purl.org", "/dc/elements/1.1/"),
            ("www.apple.com", "/DTDs/PropertyList-1.0.dtd"),
            ("schemas.microsoft.com", "/office/2006"),
            ("json-schema.org", "/draft-07/schema"),
            ("www.apache.org", "/licenses/LICENSE-2.0"),
            ("opensource.org", "/licenses/MIT"),
            ("www.gnu.org", "/licenses/gpl.html"),
            ("creativecommons.org", "/licenses/by/4.0/"),
            ("developer.android.com", "/reference"),
            ("developer.apple.com", "/documentation"),
            ("github.com", "/square/okhttp"),
            ("example.com", ""),
            ("api.example.org", "/v1"),
            ("www.example.net", ""),
            ("shop.example", ""),
            ("api.test", ""),
            ("nothing.invalid", ""),
            ("s3.amazonaws.com", "/doc/2006-03-01/"),
            ("xml.apache.org", "/xslt"),
            ("java.sun.com", "/xml/jaxp/properties/"),
            ("crl.apple.com", "/iphone.crl"),
            ("www.apple.com", "/appleca/root.crl0"),
            ("ocsp.digicert.com", ""),
            ("www.ibm.com", "/webservices/xsd/j2ee_1_1.xsd"),
            ("www.slf4j.org", "/codes.html"),
        ] {
            assert!(is_noise(host, path, None), "{host}{path}");
        }
        for (host, path) in [
            ("api.acme.com", "/v1"),
            ("www.apple.com", "/shop"),
            ("api.github.com", "/repos"),
            ("myexample.com", ""),
            ("w3.org.evil.io", ""),
        ] {
            assert!(!is_noise(host, path, None), "{host}{path}");
        }
    }

    #[test]
    fn reserved_addresses_are_noise() {
        for ip in [
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.251",
            "255.255.255.0",
        ] {
            assert!(is_noise("", "", Some(ip.parse().unwrap())), "{ip}");
        }
        assert!(is_noise("", "", Some("2001:db8::1".parse().unwrap())));
        assert!(!is_noise("", "", Some("8.8.8.8".parse().unwrap())));
    }

    #[test]
    fn private_and_local_ranges() {
        for ip in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "fd00::1",
            "fe80::1",
        ] {
            assert!(is_private_ip(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["172.32.0.1", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_private_ip(ip.parse().unwrap()), "{ip}");
        }
        assert!(is_loopback_ip("127.0.0.2".parse().unwrap()));
        assert!(is_loopback_ip("::1".parse().unwrap()));
        assert!(is_localhost("localhost") && is_localhost("app.localhost"));
        assert!(!is_localhost("notlocalhost"));
        for h in [
            "intranet",
            "nas.local",
            "git.corp",
            "printer.lan",
            "db.internal",
            "pi.home.arpa",
        ] {
            assert!(is_private_name(h), "{h}");
        }
        assert!(!is_private_name("api.acme.com"));
    }
}
