//! Cloud storage and database endpoints: which service, and the bucket or
//! account they name.

use super::noise::within;
use super::rules::Rule;

/// A storage or database endpoint: the rule and the name it identifies.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct CloudHit {
    pub rule: Rule,
    /// Bucket, account or host name.
    pub name: String,
}

/// The service a URL or bare host points at, if any. `host` is lowercase;
/// `path` as written (empty for a bare host).
pub(super) fn cloud_endpoint(host: &str, port: Option<u16>, path: &str) -> Option<CloudHit> {
    let hit = |rule, name: &str| {
        Some(CloudHit {
            rule,
            name: name.to_string(),
        })
    };
    let segments = || path.split('/').filter(|s| !s.is_empty());
    if let Some(bucket) = s3_bucket(host, path) {
        return hit(Rule::S3BucketUrl, bucket);
    }
    if let Some(bucket) = gcs_bucket(host, path) {
        return hit(Rule::GcsBucketUrl, bucket);
    }
    if let Some(account) = first_label_of(host, "blob.core.windows.net") {
        return hit(Rule::AzureBlobUrl, account);
    }
    if host == "firebasestorage.googleapis.com" {
        let mut s = segments();
        if let (Some("v0"), Some("b"), Some(bucket)) = (s.next(), s.next(), s.next()) {
            return is_bucket_name(bucket)
                .then(|| hit(Rule::FirebaseStorageUrl, bucket))
                .flatten();
        }
        return None;
    }
    if within(host, "firebasestorage.app") && host != "firebasestorage.app" {
        return hit(Rule::FirebaseStorageUrl, host);
    }
    if first_label_of(host, "supabase.co").is_some()
        || first_label_of(host, "supabase.in").is_some()
    {
        return hit(Rule::SupabaseUrl, host);
    }
    let kibana_path = path.contains("/app/kibana") || path.contains("/_plugin/kibana");
    if port == Some(5601) || kibana_path || host.split('.').any(|l| l == "kibana") {
        return hit(Rule::KibanaEndpoint, host);
    }
    let es_host = ["cloud.es.io", "found.io", "es.amazonaws.com"]
        .iter()
        .any(|d| within(host, d) && host != *d);
    if matches!(port, Some(9200 | 9243)) || es_host {
        return hit(Rule::ElasticsearchEndpoint, host);
    }
    None
}

/// The bucket of a storage URL written as `s3://bucket` or `gs://bucket`.
pub(super) fn scheme_bucket(host: &str) -> Option<&str> {
    is_bucket_name(host).then_some(host)
}

/// The single label before `domain` in `host` (`acct` in
/// `acct.blob.core.windows.net`).
fn first_label_of<'h>(host: &'h str, domain: &str) -> Option<&'h str> {
    let label = host.strip_suffix(domain)?.strip_suffix('.')?;
    (!label.is_empty() && !label.contains('.')).then_some(label)
}

/// An S3 bucket in virtual-host (`b.s3.amazonaws.com`,
/// `b.s3.eu-west-1.amazonaws.com`, `b.s3-eu-west-1.amazonaws.com`) or path
/// style (`s3.amazonaws.com/b`).
fn s3_bucket<'h>(host: &'h str, path: &'h str) -> Option<&'h str> {
    let rest = host
        .strip_suffix(".amazonaws.com")
        .or_else(|| host.strip_suffix(".amazonaws.com.cn"))?;
    let labels: Vec<&str> = rest.split('.').collect();
    let s3 = labels
        .iter()
        .position(|l| *l == "s3" || l.starts_with("s3-"))?;
    let region_ok = labels[s3 + 1..].iter().all(|l| {
        l.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    if !region_ok {
        return None;
    }
    let bucket = if s3 == 0 {
        path.split('/').find(|s| !s.is_empty())?
    } else {
        let len: usize = labels[..s3].iter().map(|l| l.len() + 1).sum();
        rest.get(..len.checked_sub(1)?)?
    };
    is_bucket_name(bucket).then_some(bucket)
}

/// A Cloud Storage bucket in `storage.googleapis.com/b` (or the
/// `storage.cloud.google.com` and `commondatastorage.googleapis.com` hosts), `b.storage.googleapis.com` or the JSON API
/// form `storage.googleapis.com/storage/v1/b/<bucket>`.
fn gcs_bucket<'h>(host: &'h str, path: &'h str) -> Option<&'h str> {
    let path_style = [
        "commondatastorage.googleapis.com",
        "storage.cloud.google.com",
        "storage.googleapis.com",
    ];
    let bucket = if path_style.contains(&host) {
        let mut s = path.split('/').filter(|s| !s.is_empty());
        match s.next()? {
            "storage" | "upload" | "download" | "batch" => match (s.next(), s.next(), s.next()) {
                (Some(_), Some("b"), Some(bucket)) => bucket,
                _ => return None,
            },
            first => first,
        }
    } else {
        host.strip_suffix(".storage.googleapis.com")?
    };
    is_bucket_name(bucket).then_some(bucket)
}

/// A plausible bucket name: 3 to 63 of `[a-z0-9._-]`, starting and ending
/// with a letter or digit.
fn is_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'_')
        })
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cloud(host: &str, port: Option<u16>, path: &str) -> Option<(&'static str, String)> {
        cloud_endpoint(host, port, path).map(|h| (h.rule.id(), h.name))
    }

    fn hit(rule: &'static str, name: &str) -> Option<(&'static str, String)> {
        Some((rule, name.to_string()))
    }

    #[test]
    fn s3_buckets_in_every_style() {
        assert_eq!(
            cloud("acme-media.s3.amazonaws.com", None, "/a.png"),
            hit("s3-bucket-url", "acme-media")
        );
        assert_eq!(
            cloud("acme.media.s3.eu-west-1.amazonaws.com", None, ""),
            hit("s3-bucket-url", "acme.media")
        );
        assert_eq!(
            cloud("acme-logs.s3-us-west-2.amazonaws.com", None, ""),
            hit("s3-bucket-url", "acme-logs")
        );
        assert_eq!(
            cloud("s3.amazonaws.com", None, "/acme-media/a.png"),
            hit("s3-bucket-url", "acme-media")
        );
        assert_eq!(
            cloud("s3.us-east-1.amazonaws.com", None, "/acme-media"),
            hit("s3-bucket-url", "acme-media")
        );
        assert_eq!(cloud("s3.amazonaws.com", None, ""), None);
        assert_eq!(cloud("dynamodb.us-east-1.amazonaws.com", None, "/t"), None);
        assert_eq!(scheme_bucket("acme-backups"), Some("acme-backups"));
        assert_eq!(scheme_bucket("Ab"), None);
    }

    #[test]
    fn gcs_azure_firebase_supabase() {
        assert_eq!(
            cloud("storage.googleapis.com", None, "/acme-assets/x.json"),
            hit("gcs-bucket-url", "acme-assets")
        );
        assert_eq!(
            cloud("acme-assets.storage.googleapis.com", None, ""),
            hit("gcs-bucket-url", "acme-assets")
        );
        assert_eq!(
            cloud(
                "storage.googleapis.com",
                None,
                "/storage/v1/b/acme-assets/o"
            ),
            hit("gcs-bucket-url", "acme-assets")
        );
        assert_eq!(
            cloud("storage.googleapis.com", None, "/upload/storage/v1/"),
            None
        );
        assert_eq!(
            cloud("acmeprod.blob.core.windows.net", None, "/c"),
            hit("azure-blob-url", "acmeprod")
        );
        assert_eq!(cloud("blob.core.windows.net", None, ""), None);
        assert_eq!(
            cloud(
                "firebasestorage.googleapis.com",
                None,
                "/v0/b/acme-1.appspot.com/o/a.png"
            ),
            hit("firebase-storage-url", "acme-1.appspot.com")
        );
        assert_eq!(
            cloud("firebasestorage.googleapis.com", None, "/v0/b/"),
            None
        );
        assert_eq!(
            cloud("acme-1.firebasestorage.app", None, ""),
            hit("firebase-storage-url", "acme-1.firebasestorage.app")
        );
        assert_eq!(
            cloud("abcdefghijklmnopqrst.supabase.co", None, "/rest/v1"),
            hit("supabase-url", "abcdefghijklmnopqrst.supabase.co")
        );
        assert_eq!(cloud("supabase.co", None, "/docs"), None);
    }

    #[test]
    fn search_clusters() {
        assert_eq!(
            cloud("search.acme.com", Some(9200), "/_search"),
            hit("elasticsearch-endpoint", "search.acme.com")
        );
        assert_eq!(
            cloud("acme.es.us-central1.gcp.cloud.es.io", None, ""),
            hit(
                "elasticsearch-endpoint",
                "acme.es.us-central1.gcp.cloud.es.io"
            )
        );
        assert_eq!(
            cloud("search-acme-x1.us-east-1.es.amazonaws.com", None, ""),
            hit(
                "elasticsearch-endpoint",
                "search-acme-x1.us-east-1.es.amazonaws.com"
            )
        );
        assert_eq!(
            cloud("logs.acme.com", Some(5601), "/"),
            hit("kibana-endpoint", "logs.acme.com")
        );
        assert_eq!(
            cloud("logs.acme.com", None, "/_plugin/kibana/app"),
            hit("kibana-endpoint", "logs.acme.com")
        );
        assert_eq!(cloud("api.acme.com", Some(8443), "/search"), None);
    }
}
