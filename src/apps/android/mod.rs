//! Android app-level checks: the manifest, the network security config, the
//! pinning and trust code in DEX, and the signing block.

pub mod aab;
pub mod resources;

use super::AppFiles;
use crate::formats::axml::{self, XmlDocument};
use crate::formats::FormatError;
use resources::Resources;

/// One Android app as its checks see it, whatever the packaging (an APK, or
/// the base module of an AAB).
pub struct AndroidApp<'a> {
    /// The app's entries.
    pub files: &'a dyn AppFiles,
    /// Name of the entry holding the manifest.
    pub manifest_entry: String,
    /// The decoded manifest.
    pub manifest: XmlDocument,
    /// The resource table, when the app has a readable one.
    pub resources: Option<Box<dyn Resources + 'a>>,
    /// What resource file paths are relative to inside the archive: empty
    /// for an APK, `base/` for an AAB module.
    pub prefix: String,
    /// Decodes a compiled XML resource (binary XML in an APK, protobuf XML in
    /// an AAB).
    pub decode_xml: fn(&[u8]) -> Result<XmlDocument, FormatError>,
}

impl<'a> AndroidApp<'a> {
    /// Reads an APK's manifest and resources.arsc.
    pub fn from_apk(files: &'a dyn AppFiles) -> Result<Self, String> {
        const MANIFEST: &str = "AndroidManifest.xml";
        let bytes = files
            .read(MANIFEST)
            .ok_or_else(|| "AndroidManifest.xml cannot be read".to_string())?;
        let manifest = axml::parse(&bytes).map_err(|e| format!("AndroidManifest.xml: {e}"))?;
        let resources = files
            .read("resources.arsc")
            .and_then(|b| crate::formats::arsc::parse(&b).ok())
            .map(|t| Box::new(t) as Box<dyn Resources>);
        Ok(AndroidApp {
            files,
            manifest_entry: MANIFEST.into(),
            manifest,
            resources,
            prefix: String::new(),
            decode_xml: axml::parse,
        })
    }

    /// Reads and decodes the compiled XML resource at `path` (relative to
    /// [`AndroidApp::prefix`]); returns the entry name with the document.
    pub fn xml_resource(&self, path: &str) -> Option<(String, Result<XmlDocument, FormatError>)> {
        let entry = format!("{}{path}", self.prefix);
        let bytes = self.files.read(&entry)?;
        let doc = (self.decode_xml)(&bytes);
        Some((entry, doc))
    }
}
