//! The base module of an Android App Bundle: protobuf manifest and resource
//! table, read into the same [`AndroidApp`] an APK gives.

use super::resources::Resources;
use super::AndroidApp;
use crate::apps::AppFiles;
use crate::formats::aapt_proto::{self, qualifier, simple_item, ProtoTable};

/// Entry of the base module's manifest.
const MANIFEST: &str = "base/manifest/AndroidManifest.xml";
/// Entry of the base module's resource table.
const TABLE: &str = "base/resources.pb";

impl<'a> AndroidApp<'a> {
    /// Reads an AAB's base module: the protobuf manifest and `resources.pb`.
    /// Resource file paths are relative to `base/`.
    pub fn from_aab(files: &'a dyn AppFiles) -> Result<Self, String> {
        let bytes = files
            .read(MANIFEST)
            .ok_or_else(|| format!("{MANIFEST} cannot be read"))?;
        let manifest = aapt_proto::parse_xml(&bytes).map_err(|e| format!("{MANIFEST}: {e}"))?;
        let resources = files
            .read(TABLE)
            .and_then(|b| aapt_proto::parse_table(&b).ok())
            .map(|t| Box::new(t) as Box<dyn Resources>);
        Ok(AndroidApp {
            files,
            manifest_entry: MANIFEST.into(),
            manifest,
            resources,
            prefix: "base/".into(),
            decode_xml: aapt_proto::parse_xml,
        })
    }
}

impl Resources for ProtoTable {
    fn files(&self, res_id: u32) -> Vec<(String, String)> {
        let Some(e) = self.entry(res_id) else {
            return Vec::new();
        };
        e.entry
            .config_value
            .iter()
            .filter_map(|cv| {
                let path = simple_item(cv)?.as_file()?;
                Some((qualifier(cv.config.as_deref()), path.to_string()))
            })
            .collect()
    }

    fn string(&self, res_id: u32) -> Option<String> {
        self.resolve_string(res_id).map(str::to_string)
    }

    fn name(&self, res_id: u32) -> Option<(String, String)> {
        let e = self.entry(res_id)?;
        Some((e.type_name.to_string(), e.entry.name.clone()))
    }

    fn id_of(&self, type_name: &str, key: &str) -> Option<u32> {
        ProtoTable::id_of(self, type_name, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::aab::{demo_aab, demo_table, ANDROID};
    use crate::fixtures::samples::planted;
    use std::borrow::Cow;
    use std::io::{Cursor, Read};

    /// The entries of an in-memory ZIP.
    struct Entries {
        names: Vec<String>,
        data: Vec<Vec<u8>>,
    }

    impl Entries {
        fn of(zip: &[u8]) -> Self {
            let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
            let (mut names, mut data) = (Vec::new(), Vec::new());
            for i in 0..archive.len() {
                let mut f = archive.by_index(i).unwrap();
                names.push(f.name().unwrap().to_string());
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).unwrap();
                data.push(bytes);
            }
            Entries { names, data }
        }
    }

    impl AppFiles for Entries {
        fn names(&self) -> &[String] {
            &self.names
        }
        fn read(&self, name: &str) -> Option<Cow<'_, [u8]>> {
            let i = self.names.iter().position(|n| n == name)?;
            self.data.get(i).map(|d| Cow::Borrowed(&d[..]))
        }
    }

    #[test]
    fn base_module_reads_like_an_apk() {
        let files = Entries::of(&demo_aab());
        assert!(files.names.iter().any(|n| n == "base/dex/classes.dex"));
        let app = AndroidApp::from_aab(&files).unwrap();
        assert_eq!(app.manifest_entry, "base/manifest/AndroidManifest.xml");
        assert_eq!(app.prefix, "base/");
        let root = app.manifest.root().unwrap();
        assert_eq!(root.attr_str("", "package"), Some("dev.mastiff.demo"));
        let application = root.elements_named("application").next().unwrap();
        let nsc = application
            .attr(ANDROID, "networkSecurityConfig")
            .and_then(|a| a.value.as_reference())
            .unwrap();

        // The reference resolves through resources.pb to a module file that
        // decodes with the app's own decoder.
        let res = app.resources.as_deref().unwrap();
        assert_eq!(
            res.name(nsc),
            Some(("xml".to_string(), "network_security_config".to_string()))
        );
        let files_of = res.files(nsc);
        assert_eq!(
            files_of,
            [(
                String::new(),
                "res/xml/network_security_config.xml".to_string()
            )]
        );
        let (entry, doc) = app.xml_resource(&files_of[0].1).unwrap();
        assert_eq!(entry, "base/res/xml/network_security_config.xml");
        assert_eq!(
            &*doc.unwrap().root().unwrap().name,
            "network-security-config"
        );
    }

    #[test]
    fn resources_trait_resolves_strings_names_and_ids() {
        let table = aapt_proto::parse_table(&demo_table().build()).unwrap();
        let res: &dyn Resources = &table;
        let id = res.id_of("string", "google_api_key").unwrap();
        assert_eq!(res.string(id).as_deref(), Some(planted::FIREBASE_API_KEY));
        assert_eq!(
            res.name(id),
            Some(("string".to_string(), "google_api_key".to_string()))
        );
        // A string resource is no file; unknown ids resolve to nothing.
        assert!(res.files(id).is_empty());
        assert_eq!(res.string(0x7f00_7777), None);
        assert_eq!(res.name(0x7f00_7777), None);
        assert_eq!(res.id_of("xml", "google_api_key"), None);
    }

    #[test]
    fn missing_or_broken_manifest_is_an_error() {
        let empty = Entries {
            names: Vec::new(),
            data: Vec::new(),
        };
        assert!(AndroidApp::from_aab(&empty)
            .err()
            .unwrap()
            .contains("cannot be read"));
        let broken = Entries {
            names: vec![MANIFEST.into()],
            data: vec![vec![0x0a, 0x7f]],
        };
        assert!(AndroidApp::from_aab(&broken)
            .err()
            .unwrap()
            .starts_with(MANIFEST));
        // Without resources.pb the manifest still reads.
        let manifest = crate::fixtures::aab::demo_manifest(0x7f02_0000);
        let bare = Entries {
            names: vec![MANIFEST.into()],
            data: vec![manifest],
        };
        assert!(AndroidApp::from_aab(&bare).unwrap().resources.is_none());
    }

    #[test]
    fn real_bundles_from_the_corpus_read_in_full() {
        let Some(dir) = crate::test_support::corpus_dir() else {
            return;
        };
        let Ok(listing) = std::fs::read_dir(dir.join("real-android")) else {
            eprintln!("no real-android corpus; skipping");
            return;
        };
        let mut bundles = 0;
        for path in listing.flatten().map(|e| e.path()) {
            if path.extension().is_none_or(|e| e != "aab") {
                continue;
            }
            bundles += 1;
            let files = Entries::of(&std::fs::read(&path).unwrap());
            let app = AndroidApp::from_aab(&files).unwrap();
            let root = app.manifest.root().unwrap();
            assert_eq!(&*root.name, "manifest", "{}", path.display());
            assert!(root.attr_str("", "package").is_some_and(|p| !p.is_empty()));
            let res = app.resources.as_deref().expect("resources.pb reads");
            let app_name = res.id_of("string", "app_name");
            assert!(app_name.and_then(|id| res.string(id)).is_some());
            let (mut xml, mut strings) = (0, 0);
            for (name, bytes) in files.names.iter().zip(&files.data) {
                match crate::formats::sniff_named(name, bytes) {
                    Some(crate::formats::Kind::ProtoXml) => {
                        aapt_proto::parse_xml(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
                        xml += 1;
                    }
                    Some(crate::formats::Kind::ProtoTable) => {
                        aapt_proto::extract_table(
                            bytes,
                            &mut |_: crate::formats::ScannedString<'_>| strings += 1,
                        )
                        .unwrap();
                    }
                    _ => {}
                }
            }
            eprintln!(
                "{}: {xml} protobuf XML files, {strings} table strings",
                path.display()
            );
            assert!(xml > 1 && strings > 0);
        }
        eprintln!("{bundles} bundles read");
    }
}
