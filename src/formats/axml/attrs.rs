//! Resource ids of the framework (`android:`) attributes that manifests and
//! `res/xml` files use. Android matches these attributes by id, not by
//! name, so a manifest whose attribute name strings are empty or wrong still
//! means what the ids say; the parser names them from this table.

/// `(id, name)` pairs from the framework's `public.xml` (checked against the
/// Android 10 framework resource table), sorted by id.
const ANDROID_ATTRS: &[(u32, &str)] = &[
    (0x0101_0000, "theme"),
    (0x0101_0001, "label"),
    (0x0101_0002, "icon"),
    (0x0101_0003, "name"),
    (0x0101_0004, "manageSpaceActivity"),
    (0x0101_0005, "allowClearUserData"),
    (0x0101_0006, "permission"),
    (0x0101_0007, "readPermission"),
    (0x0101_0008, "writePermission"),
    (0x0101_0009, "protectionLevel"),
    (0x0101_000a, "permissionGroup"),
    (0x0101_000b, "sharedUserId"),
    (0x0101_000c, "hasCode"),
    (0x0101_000d, "persistent"),
    (0x0101_000e, "enabled"),
    (0x0101_000f, "debuggable"),
    (0x0101_0010, "exported"),
    (0x0101_0011, "process"),
    (0x0101_0012, "taskAffinity"),
    (0x0101_0013, "multiprocess"),
    (0x0101_0014, "finishOnTaskLaunch"),
    (0x0101_0015, "clearTaskOnLaunch"),
    (0x0101_0016, "stateNotNeeded"),
    (0x0101_0017, "excludeFromRecents"),
    (0x0101_0018, "authorities"),
    (0x0101_0019, "syncable"),
    (0x0101_001a, "initOrder"),
    (0x0101_001b, "grantUriPermissions"),
    (0x0101_001c, "priority"),
    (0x0101_001d, "launchMode"),
    (0x0101_001e, "screenOrientation"),
    (0x0101_001f, "configChanges"),
    (0x0101_0020, "description"),
    (0x0101_0021, "targetPackage"),
    (0x0101_0022, "handleProfiling"),
    (0x0101_0023, "functionalTest"),
    (0x0101_0024, "value"),
    (0x0101_0025, "resource"),
    (0x0101_0026, "mimeType"),
    (0x0101_0027, "scheme"),
    (0x0101_0028, "host"),
    (0x0101_0029, "port"),
    (0x0101_002a, "path"),
    (0x0101_002b, "pathPrefix"),
    (0x0101_002c, "pathPattern"),
    (0x0101_0202, "targetActivity"),
    (0x0101_0203, "alwaysRetainTaskState"),
    (0x0101_0204, "allowTaskReparenting"),
    (0x0101_020c, "minSdkVersion"),
    (0x0101_021b, "versionCode"),
    (0x0101_021c, "versionName"),
    (0x0101_022b, "windowSoftInputMode"),
    (0x0101_022d, "noHistory"),
    (0x0101_0261, "sharedUserLabel"),
    (0x0101_0270, "targetSdkVersion"),
    (0x0101_0271, "maxSdkVersion"),
    (0x0101_0272, "testOnly"),
    (0x0101_027f, "backupAgent"),
    (0x0101_0280, "allowBackup"),
    (0x0101_0281, "glEsVersion"),
    (0x0101_028e, "required"),
    (0x0101_029c, "killAfterRestore"),
    (0x0101_02b7, "installLocation"),
    (0x0101_02b8, "vmSafeMode"),
    (0x0101_02ba, "restoreAnyVersion"),
    (0x0101_02be, "logo"),
    (0x0101_02d3, "hardwareAccelerated"),
    (0x0101_035a, "largeHeap"),
    (0x0101_036a, "stopWithTask"),
    (0x0101_0398, "uiOptions"),
    (0x0101_03a7, "parentActivityName"),
    (0x0101_03a9, "isolatedProcess"),
    (0x0101_03af, "supportsRtl"),
    (0x0101_03bf, "singleUser"),
    (0x0101_03c7, "permissionFlags"),
    (0x0101_03d0, "requiredForAllUsers"),
    (0x0101_03d5, "restrictedAccountType"),
    (0x0101_03d6, "requiredAccountType"),
    (0x0101_03e3, "ssp"),
    (0x0101_03e4, "sspPrefix"),
    (0x0101_03e5, "sspPattern"),
    (0x0101_03f2, "banner"),
    (0x0101_03f5, "allowEmbedded"),
    (0x0101_0405, "pathData"),
    (0x0101_0445, "documentLaunchMode"),
    (0x0101_0473, "fullBackupOnly"),
    (0x0101_04ea, "extractNativeLibs"),
    (0x0101_04eb, "fullBackupContent"),
    (0x0101_04ec, "usesCleartextTraffic"),
    (0x0101_04ee, "autoVerify"),
    (0x0101_04f6, "resizeableActivity"),
    (0x0101_04f7, "supportsPictureInPicture"),
    (0x0101_0505, "directBootAware"),
    (0x0101_0527, "networkSecurityConfig"),
    (0x0101_052c, "roundIcon"),
    (0x0101_0531, "visibleToInstantApps"),
    (0x0101_0549, "splitName"),
    (0x0101_0554, "requiredFeature"),
    (0x0101_0555, "requiredNotFeature"),
    (0x0101_0572, "compileSdkVersion"),
    (0x0101_0573, "compileSdkVersionCodename"),
    (0x0101_057a, "appComponentFactory"),
    (0x0101_058e, "usesNonSdkApi"),
    (0x0101_0591, "isSplitRequired"),
    (0x0101_0599, "foregroundServiceType"),
    (0x0101_059a, "hasFragileUserData"),
    (0x0101_059d, "zygotePreloadName"),
    (0x0101_059e, "useEmbeddedDex"),
    (0x0101_0601, "allowAudioPlaybackCapture"),
    (0x0101_0603, "requestLegacyExternalStorage"),
];

/// The name of the framework attribute with resource id `id`, if known.
pub fn android_attr_name(id: u32) -> Option<&'static str> {
    ANDROID_ATTRS
        .binary_search_by_key(&id, |&(i, _)| i)
        .ok()
        .and_then(|i| ANDROID_ATTRS.get(i))
        .map(|&(_, name)| name)
}

/// The resource id of the framework attribute `name`, if known.
pub fn android_attr_id(name: &str) -> Option<u32> {
    ANDROID_ATTRS
        .iter()
        .find(|&&(_, n)| n == name)
        .map(|&(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_by_id_with_unique_names() {
        assert!(ANDROID_ATTRS.windows(2).all(|w| w[0].0 < w[1].0));
        let mut names: Vec<_> = ANDROID_ATTRS.iter().map(|&(_, n)| n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ANDROID_ATTRS.len());
    }

    #[test]
    fn looks_up_both_ways() {
        assert_eq!(android_attr_id("usesCleartextTraffic"), Some(0x0101_04ec));
        assert_eq!(android_attr_id("versionCode"), Some(0x0101_021b));
        assert_eq!(android_attr_id("package"), None);
        assert_eq!(
            android_attr_name(0x0101_0527),
            Some("networkSecurityConfig")
        );
        assert_eq!(android_attr_name(0x0101_0003), Some("name"));
        assert_eq!(android_attr_name(0x7f01_0000), None);
    }
}
