//! Well-known third-party packages, and the pinning libraries recognised by
//! their package names.

/// Package prefixes (descriptor form) of widely used libraries, most
/// specific first, with the name a report shows.
const KNOWN_PACKAGES: &[(&str, &str)] = &[
    ("Lcom/google/android/gms/", "Google Play services"),
    ("Lcom/google/firebase/", "Firebase"),
    ("Lcom/google/", "Google"),
    ("Landroidx/", "AndroidX"),
    ("Landroid/support/", "Android Support Library"),
    ("Lokhttp3/", "OkHttp"),
    ("Lokio/", "Okio"),
    ("Lretrofit2/", "Retrofit"),
    ("Lcom/squareup/", "Square"),
    ("Lcom/facebook/react/", "React Native"),
    ("Lcom/facebook/", "Facebook SDK"),
    ("Lkotlin/", "Kotlin"),
    ("Lkotlinx/", "Kotlin"),
    ("Lorg/apache/cordova/", "Cordova"),
    ("Lorg/apache/", "Apache"),
    ("Lcom/getcapacitor/", "Capacitor"),
    ("Lio/flutter/", "Flutter"),
    ("Lcom/android/volley/", "Volley"),
    ("Lcom/loopj/android/http/", "android-async-http"),
    ("Lcom/bumptech/glide/", "Glide"),
    ("Lcom/amazonaws/", "AWS SDK"),
    ("Lcom/microsoft/", "Microsoft"),
    ("Lorg/chromium/", "Chromium"),
    ("Lorg/webrtc/", "WebRTC"),
    ("Lio/grpc/", "gRPC"),
    ("Lio/sentry/", "Sentry"),
    ("Lio/reactivex/", "RxJava"),
    ("Lcom/crashlytics/", "Crashlytics"),
    ("Lio/fabric/", "Fabric"),
    ("Lcom/unity3d/", "Unity"),
    ("Lorg/jsoup/", "jsoup"),
    ("Lorg/bouncycastle/", "Bouncy Castle"),
    ("Lcom/appsflyer/", "AppsFlyer"),
    ("Lcom/adjust/", "Adjust"),
    ("Lcom/flurry/", "Flurry"),
    ("Lcom/onesignal/", "OneSignal"),
    ("Lcom/mixpanel/", "Mixpanel"),
    ("Lcom/datatheorem/android/trustkit/", "TrustKit"),
    ("Lcom/wultra/android/sslpinning/", "Wultra SSL pinning"),
    ("Lcom/silkimen/", "cordova-plugin-advanced-http"),
];

/// The well-known library whose package holds the class `descriptor`.
pub(super) fn library_of(descriptor: &str) -> Option<&'static str> {
    KNOWN_PACKAGES
        .iter()
        .find(|(prefix, _)| descriptor.starts_with(prefix))
        .map(|&(_, name)| name)
}

/// Pinning libraries recognised by their package (or class) name: a call
/// into one from outside it is a use; a class of it in the file is presence.
/// Each prefix is ASCII and ends the part of the name it matches.
pub(super) const PINNING_PACKAGES: &[(&str, &str)] = &[
    ("Lcom/datatheorem/android/trustkit/", "TrustKit"),
    ("Lcom/wultra/android/sslpinning/", "Wultra SSL pinning"),
    ("Lcom/silkimen/", "cordova-plugin-advanced-http"),
    (
        "Lnl/xservices/plugins/SSLCertificateChecker",
        "Cordova SSLCertificateChecker",
    ),
    ("Lappcelerator/https/", "Appcelerator https"),
    ("Lorg/thoughtcrime/ssl/pinning/", "thoughtcrime pinning"),
];

/// Name of the OkHttp library in pinning records.
pub(super) const OKHTTP: &str = "OkHttp";
/// Name of Cronet in pinning records.
pub(super) const CRONET: &str = "Cronet";
/// Library name of pins found as literals without a recognised call.
pub(super) const UNKNOWN: &str = "unknown (pin literals)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_specific_package_wins() {
        assert_eq!(
            library_of("Lcom/google/android/gms/common/Foo;"),
            Some("Google Play services")
        );
        assert_eq!(library_of("Lcom/google/gson/Gson;"), Some("Google"));
        assert_eq!(
            library_of("Lorg/apache/cordova/CordovaWebViewClient;"),
            Some("Cordova")
        );
        assert_eq!(library_of("Lcom/example/Net;"), None);
        assert_eq!(library_of("Lokhttp3x/Foo;"), None);
    }
}
