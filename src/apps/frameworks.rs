//! Cross-platform frameworks: which ones an app is built with, and the
//! transport settings of the hybrid (web view) ones.
//!
//! [`detect`] names the frameworks from the app's structure (their runtime
//! libraries, bundles and config files together, not one file name).
//! [`detect_from_content`] names the framework a single file belongs to
//! from its bytes (for lone files and renamed entries).
//! [`config_issues`] reads Cordova's `config.xml` (binary XML in an APK,
//! text in an IPA) and Capacitor's `capacitor.config.json`.

mod config;

pub use config::config_issues;

/// The frameworks an app with entries `names` is built with, in a fixed
/// order: `react-native`, `hermes`, `xamarin`, `maui`, `unity-il2cpp`,
/// `flutter`, `cordova`, `capacitor`, `ionic`.
pub fn detect(names: &[String]) -> Vec<&'static str> {
    let has = |f: &dyn Fn(&str) -> bool| names.iter().any(|n| f(n));
    let file = |n: &str, base: &str| n == base || n.ends_with(&format!("/{base}"));
    let mut out = Vec::new();
    let rn_lib = has(&|n| file(n, "libreactnativejni.so") || file(n, "libreactnative.so"));
    let rn_bundle = has(&|n| file(n, "index.android.bundle") || file(n, "main.jsbundle"));
    let rn_ios = has(&|n| n.contains("/React.framework/") || n.contains("/React-Core"));
    if (rn_lib || rn_ios) && rn_bundle || rn_lib && rn_ios {
        out.push("react-native");
    }
    if has(&|n| file(n, "libhermes.so") || n.contains("/hermes.framework/")) {
        out.push("hermes");
    }
    let mono = has(&|n| {
        file(n, "libmonodroid.so") || file(n, "libxamarin-app.so") || file(n, "libmonosgen-2.0.so")
    });
    let assemblies = has(&|n| {
        (n.starts_with("assemblies/") && n.ends_with(".dll"))
            || file(n, "assemblies.blob")
            || n.rsplit('/')
                .next()
                .is_some_and(|b| b.starts_with("libassemblies.") && b.ends_with(".blob.so"))
            || n.ends_with("/Xamarin.iOS.dll")
            || n.ends_with("/Microsoft.iOS.dll")
    });
    if mono && assemblies || has(&|n| n.ends_with("/Xamarin.iOS.dll")) {
        out.push("xamarin");
    }
    if has(&|n| {
        n.rsplit('/')
            .next()
            .is_some_and(|b| b.starts_with("Microsoft.Maui") && b.ends_with(".dll"))
    }) {
        out.push("maui");
    }
    if has(&|n| file(n, "libil2cpp.so") || n.contains("/UnityFramework.framework/"))
        && has(&|n| file(n, "global-metadata.dat"))
    {
        out.push("unity-il2cpp");
    }
    let flutter_android = has(&|n| file(n, "libflutter.so")) && has(&|n| file(n, "libapp.so"));
    let flutter_ios =
        has(&|n| n.contains("/Flutter.framework/")) && has(&|n| n.contains("/App.framework/"));
    if flutter_android || flutter_ios {
        out.push("flutter");
    }
    let www = |n: &str| {
        n.starts_with("assets/www/")
            || n.starts_with("base/assets/www/")
            || (n.starts_with("Payload/") && n.contains(".app/www/"))
    };
    if has(&|n| www(n) && n.ends_with("/www/cordova.js")) && has(&|n| file(n, "config.xml")) {
        out.push("cordova");
    }
    if has(&|n| file(n, "capacitor.config.json")) {
        out.push("capacitor");
    }
    if has(&|n| www(n) && n.to_ascii_lowercase().contains("ionic")) {
        out.push("ionic");
    }
    out
}

/// The framework a single file belongs to, by its content: `flutter` for
/// an ELF or Mach-O carrying a Dart snapshot (`libapp.so`,
/// `App.framework/App`), `hermes` for Hermes bytecode, `react-native` for
/// a metro JavaScript bundle. `name` (the entry's path) only widens the
/// bundle test: a file named `*.bundle` or `*.jsbundle` needs no more than
/// a metro module definition in its head.
pub fn detect_from_content(name: &str, bytes: &[u8]) -> Option<&'static str> {
    use crate::formats::{dart, hermes, rn_bundle};
    if hermes::is_hermes(bytes) {
        return Some("hermes");
    }
    if bytes.starts_with(b"\x7fELF")
        || matches!(
            bytes.get(..4),
            Some([0xca, 0xfe, 0xba, 0xbe] | [0xcf | 0xce, 0xfa, 0xed, 0xfe])
        )
    {
        return dart::is_flutter_binary(bytes).then_some("flutter");
    }
    let named_bundle = name.ends_with(".bundle") || name.ends_with(".jsbundle");
    let head = &bytes[..bytes.len().min(4096)];
    let metro_module = named_bundle && !head.contains(&0) && head.windows(4).any(|w| w == b"__d(");
    (metro_module || rn_bundle::is_react_native_bundle(bytes)).then_some("react-native")
}

#[cfg(test)]
mod tests;
