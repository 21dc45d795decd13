//! Rule-level tests: positive and negative examples for every endpoint rule.

use super::*;
use crate::findings::Severity;

fn scan_with(text: &str, symbol: Option<&str>, context: Option<&str>) -> Vec<Match> {
    let s = ScannedString {
        text: text.as_bytes(),
        offset: None,
        line: None,
        symbol,
        context,
    };
    let mut out = Vec::new();
    EndpointDetector::new().detect(&s, &mut out);
    out
}

fn scan(text: &str) -> Vec<Match> {
    scan_with(text, None, None)
}

/// `(rule, value)` of every hit.
fn hits(text: &str) -> Vec<(String, String)> {
    scan(text)
        .into_iter()
        .map(|m| (m.rule_id, m.value))
        .collect()
}

fn has(text: &str, rule: &str, value: &str) -> bool {
    hits(text).iter().any(|(r, v)| r == rule && v == value)
}

fn fires(text: &str, rule: &str) -> bool {
    hits(text).iter().any(|(r, _)| r == rule)
}

#[test]
fn rules_lists_every_rule_once() {
    let d = EndpointDetector::new();
    assert_eq!(d.rules().len(), Rule::ALL.len());
    assert!(d.rules().iter().any(|r| r.id == "cleartext-http-url"));
}

#[test]
fn cleartext_http_url() {
    let rule = "cleartext-http-url";
    assert!(has(
        "http://api.acme.com/v1/login",
        rule,
        "http://api.acme.com/v1/login"
    ));
    assert!(has(
        "ws://push.acme.io:8080/socket",
        rule,
        "ws://push.acme.io:8080/socket"
    ));
    let m = &scan("http://api.acme.com/v1")[0];
    assert!(m.message.contains("api.acme.com"), "{}", m.message);
    assert_eq!(m.severity, None);
    for no in [
        "https://api.acme.com/v1",
        "wss://push.acme.io/socket",
        "http://localhost:8080/",
        "http://127.0.0.1/",
        "http://10.0.2.2:3000/api",
        "http://192.168.1.20/",
        "http://172.20.1.1/",
        "http://[::1]:8080/",
        "http://nas.local/",
        "http://intranet/",
        "http://schemas.android.com/apk/res/android",
        "http://www.w3.org/2001/XMLSchema-instance",
        "http://ns.adobe.com/xap/1.0/",
        "http://www.xml.org/sax/features/namespaces",
        "http://purl.org/dc/elements/1.1/",
        "http://www.apple.com/DTDs/PropertyList-1.0.dtd",
        "http://schemas.microsoft.com/office/2006",
        "http://json-schema.org/draft-07/schema#",
        "http://www.apache.org/licenses/LICENSE-2.0",
        "http://opensource.org/licenses/MIT",
        "http://www.gnu.org/licenses/",
        "http://creativecommons.org/licenses/by/4.0/",
        "http://developer.android.com/reference",
        "http://developer.apple.com/",
        "http://example.com/",
        "http://www.example.org/a",
        "http://api.example.net/",
        "http://shop.example/",
        "http://api.test/",
        "http://host.invalid/",
        "http://%s/path",
    ] {
        assert!(!fires(no, rule), "{no}");
    }
}

#[test]
fn cleartext_with_credentials_is_medium() {
    let m = scan("http://api.acme.com/v1?api_key=Zk3qP9xLm2Rt8Vw4")
        .into_iter()
        .find(|m| m.rule_id == "cleartext-http-url")
        .unwrap();
    assert_eq!(m.severity, Some(Severity::Medium));
}

#[test]
fn hardcoded_ips() {
    assert!(has(
        "connect to 52.14.200.7 now",
        "hardcoded-public-ip",
        "52.14.200.7"
    ));
    assert!(has(
        "https://52.14.200.7/api",
        "hardcoded-public-ip",
        "52.14.200.7"
    ));
    assert!(has(
        "dns=[2001:4860:4860::8888]",
        "hardcoded-public-ip",
        "2001:4860:4860::8888"
    ));
    assert!(has("10.0.0.15", "hardcoded-private-ip", "10.0.0.15"));
    assert!(has(
        "http://192.168.0.10:8080/",
        "hardcoded-private-ip",
        "192.168.0.10"
    ));
    assert!(has("fd12:3456::1", "hardcoded-private-ip", "fd12:3456::1"));
    for no in [
        "v1.2.3.4",
        "version 1.2.3.4",
        "1.2.3.4.5",
        "0.0.0.0",
        "255.255.255.0",
        "192.0.2.1",
        "203.0.113.5",
        "2001:db8::1",
        "12:30:00",
        "aa:bb:cc:dd:ee:ff",
        "std::vector",
        "1.2.840.113549",
        "127.0.0.1",
    ] {
        let h = hits(no);
        assert!(
            !h.iter().any(|(r, _)| r.starts_with("hardcoded-")),
            "{no}: {h:?}"
        );
    }
    assert!(scan_with("1.2.3.4", None, Some("versionName")).is_empty());
}

#[test]
fn localhost_endpoint() {
    let rule = "localhost-endpoint";
    assert!(has(
        "http://localhost:8080/api",
        rule,
        "http://localhost:8080/api"
    ));
    assert!(has("ws://127.0.0.1:9229", rule, "ws://127.0.0.1:9229"));
    assert!(has("https://[::1]/", rule, "https://[::1]/"));
    assert!(has("proxy at localhost:8888", rule, "localhost:8888"));
    assert!(has("127.0.0.1:5037", rule, "127.0.0.1:5037"));
    assert!(!fires("localhost", rule));
    assert!(!fires("127.0.0.1", rule));
    assert!(!fires("https://api.acme.com:8080/", rule));
}

#[test]
fn staging_host() {
    let rule = "staging-host";
    for (text, host) in [
        ("https://staging.acme.com/v1", "staging.acme.com"),
        ("https://dev-api.acme.com", "dev-api.acme.com"),
        ("https://api-staging.acme.com", "api-staging.acme.com"),
        ("https://qa2.acme.co.uk/", "qa2.acme.co.uk"),
        ("https://api.uat.acme.io/", "api.uat.acme.io"),
        ("https://preprod.acme.com", "preprod.acme.com"),
        ("https://api.pre-prod.acme.com", "api.pre-prod.acme.com"),
        ("https://git.acme.corp/", "git.acme.corp"),
        ("http://build.acme.lan", "build.acme.lan"),
        ("https://a1b2.ngrok-free.app/hook", "a1b2.ngrok-free.app"),
        ("https://abc.ngrok.io", "abc.ngrok.io"),
        (
            "https://quiet-sun.trycloudflare.com",
            "quiet-sun.trycloudflare.com",
        ),
        (
            "https://acme-staging.herokuapp.com",
            "acme-staging.herokuapp.com",
        ),
        ("api.staging.acme.com", "api.staging.acme.com"),
    ] {
        assert!(has(text, rule, host), "{text}: {:?}", hits(text));
    }
    for no in [
        "https://developer.acme.com",
        "https://devices.acme.com",
        "https://testflight.apple.com",
        "https://latest.acme.com",
        "https://api.test-company.com",
        "https://dev.com",
        "https://api.acme.com",
        "https://ngrok.io/docs",
    ] {
        assert!(!fires(no, rule), "{no}");
    }
    let sandbox = scan("https://sandbox.itunes.apple.com/verifyReceipt");
    let m = sandbox.iter().find(|m| m.rule_id == rule).unwrap();
    assert_eq!(m.severity, Some(Severity::Info));
    let m = &scan("https://api.sandbox.paypal.com")[0];
    assert_eq!(m.severity, Some(Severity::Info));
}

#[test]
fn credentials_in_url_query() {
    let rule = "credentials-in-url-query";
    assert!(has(
        "https://api.acme.com/v1?api_key=Zk3qP9xLm2Rt8Vw4",
        rule,
        "Zk3qP9xLm2Rt8Vw4"
    ));
    assert!(has(
        "https://api.acme.com/x?a=1&access_token=eyJhbGci0iJIUzI1&b=2",
        rule,
        "eyJhbGci0iJIUzI1"
    ));
    assert!(has(
        "https://maps.acme.com/?key=8f14e45fceea167a5a36dedd4bea2543",
        rule,
        "8f14e45fceea167a5a36dedd4bea2543"
    ));
    assert!(has(
        "https:\\/\\/api.acme.com\\/v1?token=Qm9vbGVhbjEyMzQ1",
        rule,
        "Qm9vbGVhbjEyMzQ1"
    ));
    let m = scan("https://api.acme.com/v1?api_key=Zk3qP9xLm2Rt8Vw4")
        .into_iter()
        .find(|m| m.rule_id == rule)
        .unwrap();
    assert!(m.message.contains("api_key") && !m.message.contains("Zk3qP9xLm2Rt8Vw4"));
    for no in [
        "https://api.acme.com/v1?api_key=",
        "https://api.acme.com/v1?api_key=%s",
        "https://api.acme.com/v1?api_key={key}",
        "https://api.acme.com/v1?api_key=YOUR_API_KEY",
        "https://api.acme.com/v1?key=short123",
        "https://api.acme.com/v1?key=abcdefghijklmnopqrstuvwxyz",
        "https://maps.googleapis.com/maps/api/js?key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW",
        "https://acme.blob.core.windows.net/c?sv=2022-11-02&sp=r&sig=gaCGJ7x7zZYNIxFWQ07XdMhHpr3H7llHTDRRhGcWbCy%3D",
        "https://deploy:Qx7vN2pLk9Rm@ci.acme.com/api",
        "https://api.acme.com/v1?monkey=Zk3qP9xLm2Rt8Vw4",
        "https://api.example.com/v1?api_key=Zk3qP9xLm2Rt8Vw4",
    ] {
        assert!(!fires(no, rule), "{no}");
    }
}

#[test]
fn deep_links_carry_credentials_like_urls() {
    let rule = "credentials-in-url-query";
    let m = scan("myapp://callback?token=Zk3qP9xLm2Rt8Vw4");
    assert_eq!(m.len(), 1, "{m:?}");
    assert_eq!(
        (m[0].rule_id.as_str(), m[0].value.as_str()),
        (rule, "Zk3qP9xLm2Rt8Vw4")
    );
    assert!(m[0].message.contains("callback"), "{}", m[0].message);
    let m = scan("com.acme.app:///auth?access_token=eyJhbGci0iJIUzI1");
    assert!(m[0].message.contains("com.acme.app://"), "{}", m[0].message);
    // Nothing else applies to a custom scheme: no cleartext, staging or
    // admin-path finding, and no credential without a credential key.
    assert!(scan("myapp://staging.acme.com/admin?id=Zk3qP9xLm2Rt8Vw4").is_empty());
    assert!(scan("myapp://callback?token={token}").is_empty());
}

#[test]
fn cloud_storage_and_databases() {
    assert!(has(
        "https://acme-media.s3.amazonaws.com/a.png",
        "s3-bucket-url",
        "acme-media"
    ));
    assert!(has(
        "s3://acme-backups/db.gz",
        "s3-bucket-url",
        "acme-backups"
    ));
    assert!(has("gs://acme-assets/x", "gcs-bucket-url", "acme-assets"));
    assert!(has(
        "https://storage.googleapis.com/acme-assets/x",
        "gcs-bucket-url",
        "acme-assets"
    ));
    assert!(has(
        "https://acmeprod.blob.core.windows.net/c/a",
        "azure-blob-url",
        "acmeprod"
    ));
    assert!(has(
        "https://firebasestorage.googleapis.com/v0/b/acme-1.appspot.com/o/x",
        "firebase-storage-url",
        "acme-1.appspot.com"
    ));
    assert!(has(
        "https://abcdefghijklmnopqrst.supabase.co",
        "supabase-url",
        "abcdefghijklmnopqrst.supabase.co"
    ));
    assert!(has(
        "https://search.acme.com:9200/_search",
        "elasticsearch-endpoint",
        "search.acme.com"
    ));
    assert!(has(
        "https://logs.acme.com:5601/app/kibana",
        "kibana-endpoint",
        "logs.acme.com"
    ));
    // A Firebase Realtime Database URL has its own signature rule.
    assert!(hits("https://acme-1.firebaseio.com").is_empty());
    assert!(!fires("http://localhost:9200/", "elasticsearch-endpoint"));
    assert!(!fires(
        "http://s3.amazonaws.com/doc/2006-03-01/",
        "s3-bucket-url"
    ));
    let bucket = scan("https://acme-media.s3.amazonaws.com/a.png");
    assert!(
        !bucket[0].message.contains("acme-media"),
        "{}",
        bucket[0].message
    );
}

#[test]
fn graphql_and_admin_paths() {
    assert!(has(
        "https://api.acme.com/graphql",
        "graphql-endpoint",
        "https://api.acme.com/graphql"
    ));
    assert!(fires(
        "https://api.acme.com/v2/GraphQL?op=x",
        "graphql-endpoint"
    ));
    for yes in [
        "https://api.acme.com/admin/users",
        "https://api.acme.com/actuator/health",
        "https://api.acme.com/swagger-ui.html",
        "https://api.acme.com/v2/api-docs",
        "https://db.acme.com/phpmyadmin/",
        "https://api.acme.com/debug",
        "https://api.acme.com/console",
    ] {
        assert!(fires(yes, "admin-debug-path"), "{yes}");
    }
    for no in [
        "https://api.acme.com/administrator-guide",
        "https://admin.acme.com/",
        "https://api.acme.com/v1/debugger",
        "https://www.example.com/admin",
        "http://192.168.1.1/admin",
        "api.acme.com/admin",
    ] {
        assert!(!fires(no, "admin-debug-path"), "{no}");
    }
}

#[test]
fn sdk_code_is_one_step_lower() {
    let m = &scan_with(
        "http://api.acme.com/v1",
        Some("com.squareup.okhttp3.OkHttpClient"),
        None,
    )[0];
    assert_eq!(m.severity, Some(Severity::Info));
    assert!(m.message.ends_with("in third-party SDK code"));
    let m = &scan_with("http://api.acme.com/v1", Some("com.acme.app.Api"), None)[0];
    assert_eq!(m.severity, None);
    let m = &scan_with(
        "http://api.acme.com/v1?token=Qm9vbGVhbjEyMzQ1",
        Some("io.sentry.Hub"),
        None,
    );
    let cred = m
        .iter()
        .find(|m| m.rule_id == "credentials-in-url-query")
        .unwrap();
    assert_eq!(cred.severity, Some(Severity::Low));
}

#[test]
fn same_value_is_reported_once_per_string() {
    let m = scan("http://api.acme.com/a http://api.acme.com/a");
    assert_eq!(m.len(), 1);
}

#[test]
fn plain_https_hosts_are_not_findings() {
    for quiet in [
        "https://api.acme.com/v2/payments",
        "api.acme.com",
        "com.google.android.gms",
        "index.html",
        "https://github.com/square/okhttp",
    ] {
        assert!(scan(quiet).is_empty(), "{quiet}: {:?}", hits(quiet));
    }
}

/// The bundled Android demo talks to its API over HTTPS only: nothing
/// about it is risky.
#[test]
fn demo_android_sample_has_no_risky_endpoint() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/demo-android.apk");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("{} missing; skipping", path.display());
        return;
    };
    let scanner = crate::scan::Scanner::new(
        vec![Box::new(EndpointDetector::new())],
        crate::archives::Limits::default(),
    );
    let (_, findings) = scanner.scan_bytes("demo-android.apk", &bytes);
    let risky: Vec<_> = findings
        .iter()
        .filter(|f| f.category == crate::findings::Category::Endpoint)
        .filter(|f| f.value.contains("mastiff-demo"))
        .map(|f| (&f.rule_id, &f.value))
        .collect();
    assert!(risky.is_empty(), "{risky:?}");
    let planted: Vec<_> = extract_endpoints(b"https://api.mastiff-demo.dev/v2/payments").collect();
    assert_eq!(planted.len(), 1);
    assert_eq!(planted[0].host(), "api.mastiff-demo.dev");
}

#[test]
fn a_package_name_is_not_a_host() {
    assert!(scan_with("dev.example.shop", Some("manifest"), Some("package")).is_empty());
    assert!(!scan_with("dev.example.shop", Some("strings"), Some("host")).is_empty());
}
