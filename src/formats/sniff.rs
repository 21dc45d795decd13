/// What an artifact is, decided from its first bytes (never its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// ZIP family: APK, AAB, XAPK, APKS, JAR, AAR, IPA or a plain ZIP.
    Zip,
    /// Dalvik executable.
    Dex,
    /// Thin Mach-O (32- or 64-bit, either byte order).
    MachO,
    /// Universal (fat) Mach-O.
    MachOFat,
    /// ELF shared object or executable.
    Elf,
    /// Binary property list (`bplist00`).
    BinaryPlist,
    /// XML property list.
    XmlPlist,
    /// Android binary XML (compiled manifest or `res/xml`).
    Axml,
    /// Android compiled resource table (`resources.arsc`).
    Arsc,
    /// aapt2 protobuf XML (`AndroidManifest.xml`, `res/*/*.xml` of an AAB
    /// module); recognised by name, see [`sniff_named`].
    ProtoXml,
    /// aapt2 protobuf resource table (`resources.pb` of an AAB module).
    ProtoTable,
    /// Java class file.
    JavaClass,
    /// Hermes bytecode (a compiled React Native bundle).
    Hermes,
    /// PE image (a .NET assembly, in mobile apps).
    Pe,
    /// Xamarin LZ4-compressed assembly (`XALZ`).
    Xalz,
    /// Xamarin / .NET for Android assembly store (`XABA`).
    AssemblyStore,
    /// Unity IL2CPP `global-metadata.dat`.
    Il2cppMetadata,
    /// Text: UTF-8 (or ASCII) without binary control bytes.
    Text,
    /// Anything else.
    Binary,
}

impl Kind {
    /// Lower-case name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Zip => "zip",
            Kind::Dex => "dex",
            Kind::MachO => "mach-o",
            Kind::MachOFat => "mach-o-fat",
            Kind::Elf => "elf",
            Kind::BinaryPlist => "binary-plist",
            Kind::XmlPlist => "xml-plist",
            Kind::Axml => "axml",
            Kind::Arsc => "arsc",
            Kind::ProtoXml => "proto-xml",
            Kind::ProtoTable => "proto-table",
            Kind::JavaClass => "java-class",
            Kind::Hermes => "hermes",
            Kind::Pe => "pe",
            Kind::Xalz => "xalz",
            Kind::AssemblyStore => "assembly-store",
            Kind::Il2cppMetadata => "il2cpp-metadata",
            Kind::Text => "text",
            Kind::Binary => "binary",
        }
    }
}

/// Bytes of the head examined to tell text from binary.
const TEXT_PROBE: usize = 8192;

/// Recognises an artifact by content.
pub fn sniff(bytes: &[u8]) -> Kind {
    let head4: [u8; 4] = match bytes.get(..4) {
        Some(h) => [h[0], h[1], h[2], h[3]],
        None => {
            return if is_text(bytes) && !bytes.is_empty() {
                Kind::Text
            } else {
                Kind::Binary
            }
        }
    };
    match head4 {
        [b'P', b'K', 3, 4] | [b'P', b'K', 5, 6] | [b'P', b'K', 7, 8] => return Kind::Zip,
        [b'd', b'e', b'x', b'\n'] => return Kind::Dex,
        [0x7f, b'E', b'L', b'F'] => return Kind::Elf,
        [0xfe, 0xed, 0xfa, 0xce | 0xcf] | [0xce | 0xcf, 0xfa, 0xed, 0xfe] => return Kind::MachO,
        [0xca, 0xfe, 0xba, 0xbe] | [0xca, 0xfe, 0xba, 0xbf] => {
            // Java class files share this magic; their next word is a
            // version (>= 45), a fat header's is a small architecture count.
            let n = bytes
                .get(4..8)
                .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
            return match n {
                Some(n) if n > 0 && n < 45 => Kind::MachOFat,
                Some(_) if head4[3] == 0xbe => Kind::JavaClass,
                _ => Kind::Binary,
            };
        }
        [0x03, 0x00, 0x08, 0x00] => return Kind::Axml,
        [0x02, 0x00, 0x0c, 0x00] => return Kind::Arsc,
        [b'X', b'A', b'L', b'Z'] => return Kind::Xalz,
        [b'X', b'A', b'B', b'A'] => return Kind::AssemblyStore,
        [0xaf, 0x1b, 0xb1, 0xfa] => return Kind::Il2cppMetadata,
        [b'M', b'Z', _, _] if super::dotnet::is_pe(bytes) => return Kind::Pe,
        _ => {}
    }
    if super::hermes::is_hermes(bytes) {
        return Kind::Hermes;
    }
    if bytes.starts_with(b"bplist00") {
        return Kind::BinaryPlist;
    }
    if is_text(bytes) {
        let probe = &bytes[..bytes.len().min(512)];
        if contains(probe, b"<plist") || contains(probe, b"-//Apple//DTD PLIST") {
            return Kind::XmlPlist;
        }
        return Kind::Text;
    }
    Kind::Binary
}

/// Recognises the files of an AAB module that protobuf leaves without a
/// magic number, from the archive entry `name` (`base/resources.pb`):
/// `<module>/manifest/AndroidManifest.xml` and `<module>/res/<dir>/<file>.xml`
/// as [`Kind::ProtoXml`], `<module>/resources.pb` as [`Kind::ProtoTable`],
/// when `bytes` are neither text nor another known format and start like a
/// protobuf message (field 1 or 2, length-delimited). `None` otherwise:
/// [`sniff`] decides.
pub fn sniff_named(name: &str, bytes: &[u8]) -> Option<Kind> {
    if !matches!(bytes.first(), Some(0x0a | 0x12)) || sniff(bytes) != Kind::Binary {
        return None;
    }
    let mut parts = name.split('/');
    let module = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    if module.is_empty() {
        return None;
    }
    match rest[..] {
        ["manifest", "AndroidManifest.xml"] => Some(Kind::ProtoXml),
        ["res", dir, file] if !dir.is_empty() && file.len() > 4 && file.ends_with(".xml") => {
            Some(Kind::ProtoXml)
        }
        ["resources.pb"] => Some(Kind::ProtoTable),
        _ => None,
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// True when the head of `bytes` looks like text: valid UTF-8 (allowing a
/// cut multi-byte sequence at the probe's end) and no NUL or other control
/// bytes beyond tab, CR, LF and form feed.
fn is_text(bytes: &[u8]) -> bool {
    let probe = &bytes[..bytes.len().min(TEXT_PROBE)];
    if probe
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
    {
        return false;
    }
    match std::str::from_utf8(probe) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && probe.len() == TEXT_PROBE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_magics() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Kind::Zip);
        assert_eq!(sniff(b"dex\n035\0"), Kind::Dex);
        assert_eq!(sniff(b"\x7fELF\x02\x01"), Kind::Elf);
        assert_eq!(sniff(&[0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), Kind::MachO);
        assert_eq!(sniff(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]), Kind::MachOFat);
        assert_eq!(
            sniff(&[0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]),
            Kind::JavaClass
        );
        assert_eq!(sniff(b"bplist00\xd1"), Kind::BinaryPlist);
        assert_eq!(sniff(&[3, 0, 8, 0, 0, 0, 0, 0]), Kind::Axml);
        assert_eq!(sniff(&[2, 0, 12, 0, 0, 0, 0, 0]), Kind::Arsc);
        assert_eq!(sniff(&0x1F19_03C1_03BC_1FC6u64.to_le_bytes()), Kind::Hermes);
        assert_eq!(sniff(b"XALZ\0\0\0\0"), Kind::Xalz);
        assert_eq!(sniff(b"XABA\x01\0\0\0"), Kind::AssemblyStore);
        assert_eq!(
            sniff(&[0xaf, 0x1b, 0xb1, 0xfa, 29, 0, 0, 0]),
            Kind::Il2cppMetadata
        );
        // "MZ" alone (no PE signature where e_lfanew points) is not a PE.
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0"), Kind::Binary);
    }

    #[test]
    fn tells_text_from_binary() {
        assert_eq!(sniff(b"{\"key\": \"value\"}\n"), Kind::Text);
        assert_eq!(
            sniff(
                b"<?xml version=\"1.0\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\">"
            ),
            Kind::XmlPlist
        );
        assert_eq!(sniff(b"abc\0def"), Kind::Binary);
        assert_eq!(sniff(&[0xff, 0xfe, 0x41]), Kind::Binary);
        assert_eq!(sniff(b""), Kind::Binary);
        assert_eq!(sniff(b"ab"), Kind::Text);
    }

    #[test]
    fn aab_module_files_are_recognised_by_name_and_protobuf_head() {
        let pb = [0x0a, 0x03, 0x1a, 0x01, b'm'];
        assert_eq!(
            sniff_named("base/manifest/AndroidManifest.xml", &pb),
            Some(Kind::ProtoXml)
        );
        assert_eq!(
            sniff_named("feature/res/xml/network_security_config.xml", &pb),
            Some(Kind::ProtoXml)
        );
        assert_eq!(
            sniff_named("base/resources.pb", &[0x12, 0]),
            Some(Kind::ProtoTable)
        );
        // An APK's own files, other paths and other contents are left to sniff.
        assert_eq!(sniff_named("AndroidManifest.xml", &pb), None);
        assert_eq!(sniff_named("res/xml/config.xml", &pb), None);
        assert_eq!(sniff_named("base/res/xml/a/b.xml", &pb), None);
        assert_eq!(sniff_named("base/resources.pb.bak", &pb), None);
        assert_eq!(sniff_named("/resources.pb", &pb), None);
        assert_eq!(sniff_named("base/res/xml/config.xml", b"\n<config/>"), None);
        assert_eq!(
            sniff_named("base/manifest/AndroidManifest.xml", &[3, 0, 8, 0, 0, 0]),
            None
        );
        assert_eq!(sniff_named("base/resources.pb", &[0x08, 0x01]), None);
        assert_eq!(sniff_named("base/resources.pb", &[]), None);
    }

    #[test]
    fn extension_is_irrelevant_only_content_counts() {
        // A DEX renamed to .png is still DEX: sniff never sees names.
        assert_eq!(sniff(b"dex\n039\0"), Kind::Dex);
    }
}
