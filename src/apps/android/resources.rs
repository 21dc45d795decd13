//! Resource lookup independent of how the table is stored (resources.arsc
//! in an APK, `resources.pb` in an AAB).

use crate::formats::arsc::{EntryValue, ResourceTable};

/// Resolves resource references such as `@xml/network_security_config`.
pub trait Resources {
    /// The file paths (`res/xml/network_security_config.xml`) of file
    /// resource `res_id`, one per configuration, each with its qualifier
    /// (empty for the default configuration).
    fn files(&self, res_id: u32) -> Vec<(String, String)>;
    /// The default-configuration string value of `res_id`.
    fn string(&self, res_id: u32) -> Option<String>;
    /// The type and key names of `res_id`, e.g. `("xml", "network_security_config")`.
    fn name(&self, res_id: u32) -> Option<(String, String)>;
    /// The id of `@type/key`.
    fn id_of(&self, type_name: &str, key: &str) -> Option<u32>;
}

impl Resources for ResourceTable {
    fn files(&self, res_id: u32) -> Vec<(String, String)> {
        self.resolve(res_id)
            .into_iter()
            .filter_map(|(config, entry)| match &entry.value {
                EntryValue::Simple(v) => {
                    let path = v.as_str()?;
                    path.starts_with("res/")
                        .then(|| (config.qualifier(), path.to_string()))
                }
                EntryValue::Complex { .. } => None,
            })
            .collect()
    }

    fn string(&self, res_id: u32) -> Option<String> {
        self.resolve_string(res_id).map(str::to_string)
    }

    fn name(&self, res_id: u32) -> Option<(String, String)> {
        ResourceTable::name(self, res_id).map(|(t, k)| (t.to_string(), k.to_string()))
    }

    fn id_of(&self, type_name: &str, key: &str) -> Option<u32> {
        ResourceTable::id_of(self, type_name, key)
    }
}
