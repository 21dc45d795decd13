//! Deterministic mixed string sets for the benchmarks: identifiers, class
//! names, URLs, UI text, base64, hex and JSON lines as an app binary holds
//! them, with a small share of fabricated secrets taken from the built-in
//! rules' own examples.

use base64::Engine as _;
use mastiff::detectors::rules::RuleSet;

/// One string in this many is a planted secret.
pub const SECRET_EVERY: usize = 997;

/// SplitMix64: small, fast, and the same on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "user",
    "profile",
    "account",
    "session",
    "login",
    "token",
    "cache",
    "view",
    "list",
    "item",
    "adapter",
    "holder",
    "fragment",
    "activity",
    "service",
    "manager",
    "config",
    "settings",
    "network",
    "request",
    "response",
    "image",
    "loader",
    "payment",
    "cart",
    "order",
    "message",
    "event",
    "tracker",
    "analytics",
    "state",
    "store",
    "click",
    "listener",
    "callback",
    "result",
    "error",
    "handler",
    "builder",
    "factory",
    "provider",
    "module",
    "repository",
    "database",
    "query",
    "record",
    "media",
    "player",
    "video",
    "audio",
    "location",
    "map",
    "search",
    "filter",
];
const PACKAGES: &[&str] = &[
    "com.example.shop",
    "com.google.android.gms.common",
    "androidx.recyclerview.widget",
    "androidx.lifecycle",
    "kotlinx.coroutines.internal",
    "okhttp3.internal.http2",
    "com.squareup.moshi",
    "io.reactivex.rxjava3.internal.operators",
    "com.facebook.react.bridge",
    "retrofit2.converter",
    "com.bumptech.glide.load.engine",
];
const TYPES: &[&str] = &[
    "I",
    "J",
    "Z",
    "V",
    "Ljava/lang/String;",
    "Ljava/lang/Object;",
    "Landroid/view/View;",
    "Landroid/content/Context;",
    "[B",
    "Ljava/util/List;",
    "Landroid/os/Bundle;",
];
const HOSTS: &[&str] = &[
    "api.example.com",
    "cdn.example-static.net",
    "www.googleapis.com",
    "graph.facebook.com",
    "firebaseinstallations.googleapis.com",
    "sdk.analytics.example.io",
    "m.shop.example.org",
];
const SENTENCES: &[&str] = &[
    "Please check your internet connection and try again.",
    "Your order has been placed",
    "Are you sure you want to sign out?",
    "Something went wrong. Tap to retry.",
    "Enter the 6-digit code we sent to your phone",
    "Allow access to your location to find stores near you",
    "Terms of Service",
    "Free delivery on orders over $25",
];
const LOG_FORMATS: &[&str] = &[
    "Failed to load %s: %d",
    "onCreate savedInstanceState=%s",
    "Request %s took %d ms",
    "Unexpected response code: ",
    "Cannot find view with id ",
    "expected BEGIN_OBJECT but was ",
];
const FIELDS: &[&str] = &[
    "TAG",
    "mTitle",
    "mListener",
    "BASE_URL",
    "DEFAULT_TIMEOUT",
    "serverUrl",
    "apiKey",
    "clientSecret",
    "mToken",
    "EXTRA_USER_ID",
    "PREF_NAME",
    "channelId",
    "appId",
    "password",
];

/// A fabricated secret from a rule's examples, with its context name.
struct Planted {
    text: String,
    context: Option<String>,
}

/// An endless, deterministic stream of app-like strings.
pub struct Mix {
    rng: Rng,
    planted: Vec<Planted>,
    count: usize,
}

impl Mix {
    /// A stream seeded with `seed`, planting the built-in rules' examples.
    pub fn new(seed: u64) -> Self {
        let set = RuleSet::builtin().expect("built-in rules load");
        let planted = set
            .rules()
            .iter()
            .flat_map(|r| r.rule.examples.iter())
            .map(|e| Planted {
                text: e.text().to_owned(),
                context: e.context().map(str::to_owned),
            })
            .collect();
        Mix {
            rng: Rng::new(seed),
            planted,
            count: 0,
        }
    }

    fn camel(&mut self, parts: usize) -> String {
        let mut s = String::new();
        for i in 0..parts {
            let w = self.rng.pick(WORDS);
            if i == 0 {
                s.push_str(w);
            } else {
                let mut c = w.chars();
                if let Some(first) = c.next() {
                    s.push(first.to_ascii_uppercase());
                    s.push_str(c.as_str());
                }
            }
        }
        s
    }

    /// A Java class name such as `com.example.shop.ui.ProfileAdapter`.
    pub fn class_name(&mut self) -> String {
        let pkg = self.rng.pick(PACKAGES);
        let sub = self.rng.pick(WORDS);
        let mut simple = self.camel(2);
        if let Some(first) = simple.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{pkg}.{sub}.{simple}{}", self.rng.below(50))
    }

    /// A field name as a class would declare it.
    pub fn field_name(&mut self) -> String {
        if self.rng.below(3) == 0 {
            self.rng.pick(FIELDS).to_owned()
        } else {
            format!("m{}", self.camel(2))
        }
    }

    fn random_bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.rng.next() as u8).collect()
    }

    fn hex(&mut self, n: usize) -> String {
        self.random_bytes(n)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The next string of the stream and, for a planted secret whose rule
    /// needs one, the context name it is expected under.
    pub fn draw(&mut self) -> (String, Option<String>) {
        self.count += 1;
        if self.count.is_multiple_of(SECRET_EVERY) && !self.planted.is_empty() {
            let p = &self.planted[self.count / SECRET_EVERY % self.planted.len()];
            return (p.text.clone(), p.context.clone());
        }
        (self.ordinary(), None)
    }

    fn ordinary(&mut self) -> String {
        match self.rng.below(100) {
            0..=29 => {
                let parts = 1 + self.rng.below(3);
                self.camel(parts)
            }
            30..=44 => self.class_name(),
            45..=49 => {
                let c = self.class_name().replace('.', "/");
                format!("L{c};")
            }
            50..=54 => {
                let a = self.rng.pick(TYPES);
                let b = self.rng.pick(TYPES);
                let r = self.rng.pick(TYPES);
                format!("({a}{b}){r}")
            }
            55..=64 => self.rng.pick(SENTENCES).to_owned(),
            65..=72 => {
                let host = self.rng.pick(HOSTS);
                let a = self.rng.pick(WORDS);
                let b = self.rng.pick(WORDS);
                format!("https://{host}/v{}/{a}/{b}?lang=en", 1 + self.rng.below(3))
            }
            73..=79 => self.rng.pick(LOG_FORMATS).to_owned(),
            80..=84 => {
                let k = self.camel(1);
                let v = self.camel(2);
                format!(
                    "{{\"id\":{},\"{k}\":\"{v}\",\"enabled\":true}}",
                    self.rng.below(100_000)
                )
            }
            85..=89 => {
                let n = 16 + self.rng.below(96);
                let bytes = self.random_bytes(n);
                base64::engine::general_purpose::STANDARD.encode(bytes)
            }
            90..=94 => {
                let n = [16, 20, 32][self.rng.below(3)];
                self.hex(n)
            }
            _ => {
                let h = self.hex(16);
                format!(
                    "{}-{}-{}-{}-{}",
                    &h[0..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..32]
                )
            }
        }
    }
}
