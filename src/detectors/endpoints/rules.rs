//! The endpoint rules: one table, documented in code.

use crate::findings::{Category, Confidence, RuleInfo, Severity};

/// Every rule the endpoint detector reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    CleartextHttpUrl,
    HardcodedPublicIp,
    HardcodedPrivateIp,
    LocalhostEndpoint,
    StagingHost,
    CredentialsInUrlQuery,
    S3BucketUrl,
    GcsBucketUrl,
    AzureBlobUrl,
    FirebaseStorageUrl,
    SupabaseUrl,
    ElasticsearchEndpoint,
    KibanaEndpoint,
    GraphqlEndpoint,
    AdminDebugPath,
}

/// A rule's documentation and defaults.
pub(super) struct RuleDoc {
    pub id: &'static str,
    pub name: &'static str,
    pub category: Category,
    pub severity: Severity,
    pub confidence: Confidence,
    pub description: &'static str,
    pub remediation: &'static str,
    pub references: &'static [&'static str],
    pub cwe: &'static [&'static str],
}

const IDENTIFIER_NOTE: &str = " The name alone grants nothing: whether the data behind it is \
exposed depends entirely on the service's access rules, so the finding is an inventory item \
to review, not a leak.";

impl Rule {
    pub const ALL: &'static [Rule] = &[
        Rule::CleartextHttpUrl,
        Rule::HardcodedPublicIp,
        Rule::HardcodedPrivateIp,
        Rule::LocalhostEndpoint,
        Rule::StagingHost,
        Rule::CredentialsInUrlQuery,
        Rule::S3BucketUrl,
        Rule::GcsBucketUrl,
        Rule::AzureBlobUrl,
        Rule::FirebaseStorageUrl,
        Rule::SupabaseUrl,
        Rule::ElasticsearchEndpoint,
        Rule::KibanaEndpoint,
        Rule::GraphqlEndpoint,
        Rule::AdminDebugPath,
    ];

    /// The rule's stable id.
    #[cfg(test)]
    pub fn id(self) -> &'static str {
        self.doc().id
    }

    /// The rule's documentation and defaults.
    pub fn doc(self) -> RuleDoc {
        use Category::*;
        use Confidence as C;
        use Severity as S;
        let d = |id, name, category, severity, confidence, description, remediation| RuleDoc {
            id,
            name,
            category,
            severity,
            confidence,
            description,
            remediation,
            references: &[],
            cwe: &[],
        };
        match self {
            Rule::CleartextHttpUrl => RuleDoc {
                references: &[
                    "https://developer.android.com/privacy-and-security/security-config",
                    "https://developer.apple.com/documentation/security/preventing-insecure-network-connections",
                ],
                cwe: &["CWE-319"],
                ..d(
                    "cleartext-http-url",
                    "Cleartext HTTP or WebSocket URL",
                    Transport,
                    S::Low,
                    C::Medium,
                    "An `http://` or `ws://` URL to a host on the internet (not localhost, a \
                     private address or a private-network name). Traffic to it can be read and \
                     changed by anyone on the network path, such as a public Wi-Fi operator. \
                     Android 9+ and iOS App Transport Security block cleartext by default, so the \
                     app either carries an exception for it or the request fails. Severity is \
                     raised when the URL also carries credentials.",
                    "Use `https://` (or `wss://`) and remove any cleartext exception from the \
                     network security config or ATS settings.",
                )
            },
            Rule::HardcodedPublicIp => RuleDoc {
                cwe: &["CWE-1188"],
                ..d(
                    "hardcoded-public-ip",
                    "Hardcoded public IP address",
                    Endpoint,
                    S::Low,
                    C::Medium,
                    "A public IP address written into the app, in a URL or on its own. Servers \
                     addressed by IP cannot present a normal certificate for a name, often \
                     bypass TLS, and cannot move without an app update; the address also points \
                     attackers straight at infrastructure.",
                    "Address servers by DNS name over HTTPS; if the address is a third-party \
                     service (for example a public DNS resolver), confirm it is intended.",
                )
            },
            Rule::HardcodedPrivateIp => d(
                "hardcoded-private-ip",
                "Hardcoded private IP address",
                Endpoint,
                S::Info,
                C::Medium,
                "A private, link-local or carrier-grade NAT address (10/8, 172.16/12, \
                 192.168/16, 169.254/16, 100.64/10, fc00::/7, fe80::/10) shipped in the app. \
                 It usually names an internal test server or a developer's machine and tells a \
                 reader about the internal network; 169.254.169.254 is the cloud metadata \
                 service.",
                "Remove development addresses from release builds (use build variants or \
                 configuration that is not shipped).",
            ),
            Rule::LocalhostEndpoint => d(
                "localhost-endpoint",
                "Localhost endpoint",
                Endpoint,
                S::Info,
                C::High,
                "A URL to `localhost`, a loopback or unspecified address (127.0.0.0/8, ::1, \
                 0.0.0.0), or such a host with a port. In a shipped app this is usually a debug \
                 leftover (a local mock server or a development proxy), or a local server the \
                 app runs itself, which other apps on the device can reach too.",
                "Remove debug endpoints from release builds; if the app runs a local server, \
                 bind it to loopback and authenticate its clients.",
            ),
            Rule::StagingHost => d(
                "staging-host",
                "Staging, test or internal host",
                Endpoint,
                S::Low,
                C::Medium,
                "A host whose subdomain labels name a non-production environment (`staging`, \
                 `stage`, `stg`, `dev`, `test`, `qa`, `uat`, `sandbox`, `preprod`, `internal`, as \
                 whole labels or `-` parts such as `dev-api` or `api-staging`), a \
                 private-network name (`.local`, `.corp`, `.lan`, `.internal`), or a tunnel to a \
                 developer machine (ngrok, Cloudflare quick tunnels, localtunnel). Such hosts \
                 are often less protected than production and reveal internal naming. Sandbox \
                 endpoints of payment and platform providers, shipped inside their SDKs, are \
                 reported at info severity.",
                "Build release variants without non-production hosts, and make sure staging \
                 servers require authentication and hold no real data.",
            ),
            Rule::CredentialsInUrlQuery => RuleDoc {
                cwe: &["CWE-598", "CWE-798"],
                ..d(
                    "credentials-in-url-query",
                    "Credential in URL query",
                    Secret,
                    S::Medium,
                    C::Medium,
                    "A URL whose query carries a credential: `api_key`, `apikey`, `access_token`, \
                     `token`, `auth_token`, `secret`, `client_secret`, `password`, `sig`, or `key` \
                     with a long value. The value is shipped to everyone with the app and is \
                     also written to server and proxy logs. Azure SAS URLs (`sv=…&sig=…`), \
                     Google API keys and passwords in the `user:password@` part are reported by \
                     their own signature rules instead.",
                    "Revoke the credential, and have the app obtain per-user, short-lived tokens \
                     from your backend, sent in a header rather than the URL.",
                )
            },
            Rule::S3BucketUrl => d(
                "s3-bucket-url",
                "Amazon S3 bucket",
                Endpoint,
                S::Info,
                C::High,
                "An Amazon S3 bucket named in a URL (`bucket.s3.amazonaws.com`, \
                 `bucket.s3.<region>.amazonaws.com`, `s3.amazonaws.com/bucket`, `s3://bucket`). \
                 The value is the bucket name.",
                "Check the bucket policy and ACLs: public listing or writing is the common \
                 misconfiguration. Serve private objects through presigned URLs from a backend.",
            ),
            Rule::GcsBucketUrl => d(
                "gcs-bucket-url",
                "Google Cloud Storage bucket",
                Endpoint,
                S::Info,
                C::High,
                "A Google Cloud Storage bucket named in a URL (`storage.googleapis.com/bucket`, \
                 `bucket.storage.googleapis.com`, `gs://bucket`). The value is the bucket name.",
                "Check the bucket's IAM policy for `allUsers` / `allAuthenticatedUsers` grants \
                 and use signed URLs for private objects.",
            ),
            Rule::AzureBlobUrl => d(
                "azure-blob-url",
                "Azure Blob Storage account",
                Endpoint,
                S::Info,
                C::High,
                "An Azure Storage account's blob endpoint (`<account>.blob.core.windows.net`). \
                 The value is the account name.",
                "Check that containers do not allow anonymous access and that clients use \
                 short-lived SAS tokens.",
            ),
            Rule::FirebaseStorageUrl => d(
                "firebase-storage-url",
                "Firebase Cloud Storage bucket",
                Endpoint,
                S::Info,
                C::High,
                "A Firebase Cloud Storage bucket (`firebasestorage.googleapis.com/v0/b/<bucket>` \
                 or `<project>.firebasestorage.app`). The value is the bucket name.",
                "Review the Storage Security Rules: require authentication and restrict each \
                 path to its owner; never ship test-mode rules.",
            ),
            Rule::SupabaseUrl => d(
                "supabase-url",
                "Supabase project URL",
                Endpoint,
                S::Info,
                C::High,
                "A Supabase project URL (`<ref>.supabase.co`). Apps ship it with the anon key by \
                 design; the data is protected only by row-level security policies.",
                "Enable row-level security on every table exposed through the API and keep the \
                 service-role key off clients.",
            ),
            Rule::ElasticsearchEndpoint => d(
                "elasticsearch-endpoint",
                "Elasticsearch / OpenSearch endpoint",
                Endpoint,
                S::Low,
                C::Medium,
                "A URL to Elasticsearch or OpenSearch: port 9200 or 9243, Elastic Cloud \
                 (`*.cloud.es.io`, `*.found.io`) or Amazon OpenSearch (`*.es.amazonaws.com`). A \
                 mobile app talking to a search cluster directly means the cluster accepts \
                 requests from the internet.",
                "Put the cluster behind your API; if it must be reachable, require \
                 authentication and restrict indices and operations per client.",
            ),
            Rule::KibanaEndpoint => d(
                "kibana-endpoint",
                "Kibana endpoint",
                Endpoint,
                S::Low,
                C::Medium,
                "A URL to a Kibana dashboard (port 5601, a `kibana` host label, or an \
                 `/app/kibana` / `/_plugin/kibana` path): an administrative interface to the \
                 data in Elasticsearch.",
                "Remove the URL from the app and keep Kibana behind authentication on an \
                 internal network.",
            ),
            Rule::GraphqlEndpoint => d(
                "graphql-endpoint",
                "GraphQL endpoint",
                Endpoint,
                S::Info,
                C::High,
                "A GraphQL endpoint (a `/graphql` or `/graphiql` path segment). Reported for \
                 inventory: check that introspection and the GraphiQL IDE are disabled in \
                 production and that every resolver authorizes its caller.",
                "Disable introspection and GraphiQL in production and enforce authorization in \
                 resolvers.",
            ),
            Rule::AdminDebugPath => d(
                "admin-debug-path",
                "Administrative or debug URL",
                Endpoint,
                S::Low,
                C::Medium,
                "A URL whose path has an administrative or debugging segment (`admin`, `debug`, \
                 `actuator`, `swagger`, `swagger-ui`, `api-docs`, `phpmyadmin`, `console`). Such \
                 interfaces in an app point attackers at management functions that are often \
                 less protected.",
                "Remove the URL from the app and restrict the interface to internal networks \
                 with strong authentication.",
            ),
        }
    }

    /// The rule as the finding model describes it.
    pub fn info(self) -> RuleInfo {
        let d = self.doc();
        RuleInfo {
            id: d.id.into(),
            name: d.name.into(),
            description: if matches!(
                self,
                Rule::S3BucketUrl
                    | Rule::GcsBucketUrl
                    | Rule::AzureBlobUrl
                    | Rule::FirebaseStorageUrl
                    | Rule::SupabaseUrl
            ) {
                format!("{}{IDENTIFIER_NOTE}", d.description)
            } else {
                d.description.into()
            },
            category: d.category,
            severity: d.severity,
            confidence: d.confidence,
            remediation: d.remediation.into(),
            references: d.references.iter().map(|r| r.to_string()).collect(),
            cwe: d.cwe.iter().map(|c| c.to_string()).collect(),
            platforms: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_well_formed_and_documented() {
        let mut ids: Vec<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        for r in Rule::ALL {
            let info = r.info();
            assert!(
                info.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                info.id
            );
            assert!(info.description.len() > 80, "{}", info.id);
            assert!(!info.remediation.is_empty(), "{}", info.id);
            assert!(!info.description.contains("  "), "{}", info.id);
        }
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }
}
