//! Combining the reports of several shards (`mastiff scan --shard I/N`) into
//! one, as `mastiff merge` does.
//!
//! Reports are read as plain JSON values, so fields this version does not
//! know pass through: in a JSON report, unknown arrays are concatenated and
//! any other unknown value is taken from the first report that has it; in a
//! SARIF log, unknown run properties are taken from the first run.
//!
//! * JSON: `scanned` is concatenated and sorted by path (component by
//!   component, as a directory walk lists files); `findings` is concatenated
//!   and sorted as one scan sorts them; the numbers of `summary` are added.
//! * SARIF: runs of the same tool and category (`automationDetails.id`) are
//!   combined into one run, since GitHub rejects a log holding two runs of
//!   one category. Rules are merged by id (each result's `ruleIndex` follows),
//!   artifacts are concatenated (indices into them follow), results are
//!   sorted, and each shard's invocation is kept. Runs of different
//!   categories stay side by side, sorted by category.
//!
//! Reports of different tools or versions, or listing the same scanned file
//! (overlapping shards), are refused.

use serde::Serialize;
use serde_json::{Map, Value};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Most results GitHub accepts in one run.
const MAX_RESULTS: usize = 25_000;

/// What kind of report a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A mastiff JSON report (`scanned`, `findings`).
    Json,
    /// A SARIF log (`runs`).
    Sarif,
}

/// The kind of `doc`, or `None` when it is neither kind.
pub fn kind_of(doc: &Value) -> Option<Kind> {
    if doc.get("runs").is_some_and(Value::is_array) {
        Some(Kind::Sarif)
    } else if doc.get("findings").is_some_and(Value::is_array)
        && doc.get("scanned").is_some_and(Value::is_array)
    {
        Some(Kind::Json)
    } else {
        None
    }
}

/// A merged JSON report, serialised with the known fields first.
#[derive(Debug, Clone, Serialize)]
pub struct JsonReport {
    pub tool: Value,
    pub scanned: Vec<Value>,
    pub findings: Vec<Value>,
    #[serde(skip_serializing_if = "Value::is_null")]
    pub summary: Value,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A merged SARIF log and what the merge noticed (e.g. a run now past
/// GitHub's result limit).
#[derive(Debug, Clone)]
pub struct SarifLog {
    pub log: Value,
    pub warnings: Vec<String>,
}

/// Merges mastiff JSON reports.
pub fn merge_json(docs: Vec<Value>) -> Result<JsonReport, String> {
    let mut merged = JsonReport {
        tool: Value::Null,
        scanned: Vec::new(),
        findings: Vec::new(),
        summary: Value::Null,
        other: Map::new(),
    };
    let mut paths = HashSet::new();
    for (i, doc) in docs.into_iter().enumerate() {
        let Value::Object(mut doc) = doc else {
            return Err(format!("report {}: not a JSON object", i + 1));
        };
        let tool = doc.remove("tool").unwrap_or(Value::Null);
        same_tool(&mut merged.tool, tool, i)?;
        for artifact in take_array(&mut doc, "scanned", i)? {
            let path = artifact.get("path").and_then(Value::as_str).unwrap_or("");
            if !paths.insert(path.to_string()) {
                return Err(overlap(path));
            }
            merged.scanned.push(artifact);
        }
        merged.findings.extend(take_array(&mut doc, "findings", i)?);
        if let Some(summary) = doc.remove("summary") {
            add_numbers(&mut merged.summary, summary);
        }
        for (key, value) in doc {
            match (merged.other.get_mut(&key), value) {
                (Some(Value::Array(have)), Value::Array(more)) => have.extend(more),
                (Some(_), _) => {}
                (None, value) => {
                    merged.other.insert(key, value);
                }
            }
        }
    }
    merged
        .scanned
        .sort_by(|a, b| path_order(str_at(a, &["path"]), str_at(b, &["path"])));
    merged.findings.sort_by(finding_order);
    Ok(merged)
}

/// Merges SARIF logs.
pub fn merge_sarif(docs: Vec<Value>) -> Result<SarifLog, String> {
    let mut top = Map::new();
    let mut groups: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    for (i, doc) in docs.into_iter().enumerate() {
        let Value::Object(mut doc) = doc else {
            return Err(format!("log {}: not a JSON object", i + 1));
        };
        if let (Some(have), Some(version)) = (top.get("version"), doc.get("version")) {
            if have != version {
                return Err(format!(
                    "log {}: SARIF version {version} differs from {have}",
                    i + 1
                ));
            }
        }
        for run in take_array(&mut doc, "runs", i)? {
            let name = str_at(&run, &["tool", "driver", "name"]).to_string();
            let category = str_at(&run, &["automationDetails", "id"]).to_string();
            groups.entry((category, name)).or_default().push(run);
        }
        for (key, value) in doc {
            top.entry(key).or_insert(value);
        }
    }
    let mut warnings = Vec::new();
    let mut runs = Vec::with_capacity(groups.len());
    for ((category, _), group) in groups {
        let run = combine_runs(group)?;
        let results = run
            .get("results")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if results > MAX_RESULTS {
            warnings.push(format!(
                "run {category:?} holds {results} results; GitHub accepts at most {MAX_RESULTS} per run"
            ));
        }
        runs.push(run);
    }
    top.insert("runs".into(), Value::Array(runs));
    Ok(SarifLog {
        log: Value::Object(top),
        warnings,
    })
}

/// One run from runs of the same tool and category.
fn combine_runs(group: Vec<Value>) -> Result<Value, String> {
    let mut merged = Map::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_index: HashMap<String, usize> = HashMap::new();
    let mut artifacts: Vec<Value> = Vec::new();
    let mut targets = HashSet::new();
    let mut results: Vec<Value> = Vec::new();
    let mut invocations: Vec<Value> = Vec::new();
    let mut bases = Map::new();
    let mut version: Option<Value> = None;
    for run in group {
        let Value::Object(mut run) = run else {
            return Err("a run is not a JSON object".into());
        };
        let driver_version = run
            .get("tool")
            .map_or(Value::Null, |t| value_at(t, &["driver", "version"]));
        match &version {
            Some(v) if *v != driver_version => {
                return Err(format!(
                    "logs come from different tool versions ({v} and {driver_version})"
                ));
            }
            Some(_) => {}
            None => version = Some(driver_version),
        }
        // Rules: this run's index → merged index.
        let own_rules = run
            .get_mut("tool")
            .and_then(|t| t.get_mut("driver"))
            .and_then(|d| d.get_mut("rules"))
            .map(Value::take)
            .and_then(|r| match r {
                Value::Array(r) => Some(r),
                _ => None,
            })
            .unwrap_or_default();
        let mut remap = Vec::with_capacity(own_rules.len());
        for rule in own_rules {
            let id = str_at(&rule, &["id"]).to_string();
            let index = *rule_index.entry(id).or_insert_with(|| {
                rules.push(rule);
                rules.len() - 1
            });
            remap.push(index);
        }
        let offset = artifacts.len();
        for mut artifact in take_array(&mut run, "artifacts", 0).unwrap_or_default() {
            if artifact.get("parentIndex").is_none() {
                let uri = str_at(&artifact, &["location", "uri"]).to_string();
                if !targets.insert(uri.clone()) {
                    return Err(overlap(&uri));
                }
            }
            if let Some(parent) = artifact.get_mut("parentIndex") {
                shift(parent, offset);
            }
            shift_artifact_indices(&mut artifact, offset);
            artifacts.push(artifact);
        }
        for mut result in take_array(&mut run, "results", 0).unwrap_or_default() {
            let id = result
                .get("ruleId")
                .and_then(Value::as_str)
                .map(String::from);
            let index = match id {
                Some(id) => rule_index.get(&id).copied(),
                None => result
                    .get("ruleIndex")
                    .and_then(Value::as_u64)
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| remap.get(i).copied()),
            };
            if let (Some(index), Some(slot)) = (index, result.get_mut("ruleIndex")) {
                *slot = Value::from(index);
            }
            shift_artifact_indices(&mut result, offset);
            results.push(result);
        }
        for mut invocation in take_array(&mut run, "invocations", 0).unwrap_or_default() {
            shift_artifact_indices(&mut invocation, offset);
            invocations.push(invocation);
        }
        if let Some(Value::Object(more)) = run.remove("originalUriBaseIds") {
            for (key, value) in more {
                bases.entry(key).or_insert(value);
            }
        }
        for (key, value) in run {
            merged.entry(key).or_insert(value);
        }
    }
    results.sort_by(result_order);
    if let Some(driver) = merged
        .get_mut("tool")
        .and_then(|t| t.get_mut("driver"))
        .and_then(Value::as_object_mut)
    {
        driver.insert("rules".into(), Value::Array(rules));
    }
    merged.insert("results".into(), Value::Array(results));
    for (key, list) in [("artifacts", artifacts), ("invocations", invocations)] {
        if !list.is_empty() {
            merged.insert(key.into(), Value::Array(list));
        }
    }
    if !bases.is_empty() {
        merged.insert("originalUriBaseIds".into(), Value::Object(bases));
    }
    Ok(Value::Object(merged))
}

/// Adds `offset` to the `index` of every `artifactLocation` in `value`.
fn shift_artifact_indices(value: &mut Value, offset: usize) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    if key == "artifactLocation" {
                        if let Some(index) = child.get_mut("index") {
                            shift(index, offset);
                        }
                    }
                    stack.push(child);
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// Adds `offset` to an index (left alone when it is not an index).
fn shift(index: &mut Value, offset: usize) {
    if let Some(i) = index.as_u64() {
        *index = Value::from(i.saturating_add(offset as u64));
    }
}

/// Keeps `tool` of the first report; refuses a different one.
fn same_tool(have: &mut Value, tool: Value, i: usize) -> Result<(), String> {
    if have.is_null() {
        *have = tool;
        Ok(())
    } else if *have == tool {
        Ok(())
    } else {
        Err(format!(
            "report {} comes from {tool}, the first from {have}: merge reports of one tool version",
            i + 1
        ))
    }
}

fn overlap(path: &str) -> String {
    format!("{path} is in more than one report: do the shards overlap?")
}

/// Removes the array `key` from `doc`; absent counts as empty.
fn take_array(doc: &mut Map<String, Value>, key: &str, i: usize) -> Result<Vec<Value>, String> {
    match doc.remove(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("report {}: `{key}` is not an array", i + 1)),
    }
}

/// Adds the numbers of `more` into `sum`, object by object; other values
/// are kept from the first.
fn add_numbers(sum: &mut Value, more: Value) {
    match (sum, more) {
        (sum @ Value::Null, more) => *sum = more,
        (Value::Object(have), Value::Object(more)) => {
            for (key, value) in more {
                match have.get_mut(&key) {
                    Some(slot) => add_numbers(slot, value),
                    None => {
                        have.insert(key, value);
                    }
                }
            }
        }
        (sum @ Value::Number(_), Value::Number(more)) => {
            let total = match (sum.as_u64(), more.as_u64()) {
                (Some(a), Some(b)) => Value::from(a.saturating_add(b)),
                _ => sum
                    .as_f64()
                    .zip(more.as_f64())
                    .and_then(|(a, b)| serde_json::Number::from_f64(a + b))
                    .map_or(Value::Null, Value::Number),
            };
            *sum = total;
        }
        _ => {}
    }
}

fn value_at(v: &Value, path: &[&str]) -> Value {
    path.iter()
        .try_fold(v, |v, key| v.get(key))
        .cloned()
        .unwrap_or(Value::Null)
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter()
        .try_fold(v, |v, key| v.get(key))
        .and_then(Value::as_str)
        .unwrap_or("")
}

fn u64_at(v: &Value, path: &[&str]) -> Option<u64> {
    path.iter().try_fold(v, |v, key| v.get(key))?.as_u64()
}

/// Paths compared component by component (`a/b` before `a-b`).
fn path_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// The order of one scan's findings: artifact, chain, offset, line, rule,
/// value; the whole finding breaks remaining ties.
fn finding_order(a: &Value, b: &Value) -> Ordering {
    let chain = |v: &Value| -> Vec<String> {
        v.get("location")
            .and_then(|l| l.get("chain"))
            .and_then(Value::as_array)
            .map(|c| {
                c.iter()
                    .map(|s| s.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    let key = |v: &Value| {
        (
            str_at(v, &["artifact"]).to_string(),
            chain(v),
            u64_at(v, &["location", "offset"]),
            u64_at(v, &["location", "line"]),
            str_at(v, &["rule_id"]).to_string(),
            str_at(v, &["value"]).to_string(),
        )
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.to_string().cmp(&b.to_string()))
}

/// Results ordered by file, path inside it, offset, line, rule and
/// fingerprint; the whole result breaks remaining ties.
fn result_order(a: &Value, b: &Value) -> Ordering {
    let key = |v: &Value| {
        let location = v
            .get("locations")
            .and_then(|l| l.get(0))
            .and_then(|l| l.get("physicalLocation"))
            .cloned()
            .unwrap_or(Value::Null);
        (
            str_at(&location, &["artifactLocation", "uri"]).to_string(),
            str_at(v, &["properties", "inner-path"]).to_string(),
            u64_at(v, &["properties", "byte-offset"]),
            u64_at(&location, &["region", "startLine"]),
            str_at(v, &["ruleId"]).to_string(),
            str_at(v, &["partialFingerprints", "mastiff/v1"]).to_string(),
        )
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.to_string().cmp(&b.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn finding(artifact: &str, offset: u64, rule: &str) -> Value {
        json!({"rule_id": rule, "artifact": artifact, "severity": "high",
               "location": {"chain": [artifact, "classes.dex"], "offset": offset},
               "value": "v", "fingerprint": format!("{artifact}{offset}{rule}")})
    }

    fn report(paths: &[&str], findings: Vec<Value>, high: u64) -> Value {
        json!({
            "tool": {"name": "mastiff", "version": "1.0.0"},
            "scanned": paths.iter().map(|p| json!({"path": p, "future": 1})).collect::<Vec<_>>(),
            "findings": findings,
            "summary": {"critical": 0, "high": high, "suppressed": 1,
                        "suppressed_by": {"allowlist": 1, "baseline": 0}},
            "extras": [paths[0]],
            "note": paths[0],
        })
    }

    #[test]
    fn json_reports_concatenate_sort_and_add_up() {
        let a = report(
            &["apps/b.apk"],
            vec![finding("apps/b.apk", 9, "x"), finding("apps/b.apk", 3, "x")],
            2,
        );
        let b = report(
            &["apps/a-1.apk", "apps/a/z.apk"],
            vec![finding("apps/a-1.apk", 5, "y")],
            1,
        );
        let merged = merge_json(vec![a, b]).unwrap();
        let paths: Vec<&str> = merged
            .scanned
            .iter()
            .map(|s| str_at(s, &["path"]))
            .collect();
        assert_eq!(paths, ["apps/a/z.apk", "apps/a-1.apk", "apps/b.apk"]);
        assert_eq!(merged.scanned[0]["future"], 1);
        let order: Vec<(String, u64)> = merged
            .findings
            .iter()
            .map(|f| {
                (
                    str_at(f, &["artifact"]).into(),
                    u64_at(f, &["location", "offset"]).unwrap(),
                )
            })
            .collect();
        assert_eq!(
            order,
            [
                ("apps/a-1.apk".into(), 5),
                ("apps/b.apk".into(), 3),
                ("apps/b.apk".into(), 9)
            ]
        );
        assert_eq!(merged.summary["high"], 3);
        assert_eq!(merged.summary["suppressed"], 2);
        assert_eq!(merged.summary["suppressed_by"]["allowlist"], 2);
        assert_eq!(
            merged.other["extras"],
            json!(["apps/b.apk", "apps/a-1.apk"])
        );
        assert_eq!(merged.other["note"], "apps/b.apk");
        let text = serde_json::to_string(&merged).unwrap();
        assert!(text.starts_with("{\"tool\":"), "{text}");
    }

    #[test]
    fn json_refuses_overlap_and_mixed_versions() {
        let a = report(&["a.apk"], vec![], 0);
        assert!(merge_json(vec![a.clone(), a.clone()])
            .unwrap_err()
            .contains("more than one report"));
        let mut b = report(&["b.apk"], vec![], 0);
        b["tool"]["version"] = json!("2.0.0");
        assert!(merge_json(vec![a, b]).unwrap_err().contains("tool version"));
        assert!(merge_json(vec![json!([1])]).is_err());
    }

    fn run(category: &str, rules: &[&str], target: &str, results: &[(&str, &str)]) -> Value {
        json!({
            "tool": {"driver": {"name": "mastiff", "version": "1.0.0",
                     "rules": rules.iter().map(|r| json!({"id": r})).collect::<Vec<_>>()}},
            "automationDetails": {"id": category},
            "artifacts": [
                {"location": {"uri": target, "uriBaseId": "%SRCROOT%"}},
                {"location": {"uri": "classes.dex"}, "parentIndex": 0}
            ],
            "results": results.iter().map(|(rule, fp)| json!({
                "ruleId": rule,
                "ruleIndex": rules.iter().position(|r| r == rule).unwrap(),
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": target, "index": 0}}}],
                "partialFingerprints": {"mastiff/v1": fp}
            })).collect::<Vec<_>>(),
            "invocations": [{"executionSuccessful": true}],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///w/"}},
            "future": target,
        })
    }

    fn log(runs: Vec<Value>) -> Value {
        json!({"$schema": "s", "version": "2.1.0", "runs": runs})
    }

    #[test]
    fn sarif_runs_of_one_category_become_one() {
        let a = log(vec![
            run("mastiff/ios/", &["r1"], "x.ipa", &[("r1", "f1")]),
            run("mastiff/android/", &["r1", "r2"], "b.apk", &[("r2", "f2")]),
        ]);
        let b = log(vec![run(
            "mastiff/android/",
            &["r3", "r2"],
            "a.apk",
            &[("r3", "f3"), ("r2", "f4")],
        )]);
        let merged = merge_sarif(vec![a, b]).unwrap();
        assert!(merged.warnings.is_empty());
        let runs = merged.log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 2);
        let android = &runs[0];
        assert_eq!(android["automationDetails"]["id"], "mastiff/android/");
        assert_eq!(runs[1]["automationDetails"]["id"], "mastiff/ios/");
        let rules: Vec<&str> = android["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| str_at(r, &["id"]))
            .collect();
        assert_eq!(rules, ["r1", "r2", "r3"]);
        let results = android["results"].as_array().unwrap();
        assert_eq!(results.len(), 3);
        for r in results {
            let index = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[index], r["ruleId"]);
        }
        // a.apk's results sort before b.apk's and point at a.apk's artifact.
        assert_eq!(results[0]["partialFingerprints"]["mastiff/v1"], "f4");
        let artifacts = android["artifacts"].as_array().unwrap();
        assert_eq!(artifacts.len(), 4);
        let target = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["index"]
            .as_u64()
            .unwrap() as usize;
        assert_eq!(artifacts[target]["location"]["uri"], "a.apk");
        assert_eq!(artifacts[3]["parentIndex"], 2);
        assert_eq!(android["invocations"].as_array().unwrap().len(), 2);
        assert_eq!(android["future"], "b.apk");
        assert_eq!(merged.log["version"], "2.1.0");
    }

    #[test]
    fn sarif_refuses_overlap_and_mixed_versions() {
        let a = log(vec![run("c/", &["r"], "a.apk", &[])]);
        assert!(merge_sarif(vec![a.clone(), a.clone()])
            .unwrap_err()
            .contains("more than one report"));
        let mut b = log(vec![run("c/", &["r"], "b.apk", &[])]);
        b["runs"][0]["tool"]["driver"]["version"] = json!("2.0.0");
        assert!(merge_sarif(vec![a, b])
            .unwrap_err()
            .contains("tool versions"));
    }

    #[test]
    fn kinds_are_recognised() {
        assert_eq!(kind_of(&log(vec![])), Some(Kind::Sarif));
        assert_eq!(kind_of(&report(&["a"], vec![], 0)), Some(Kind::Json));
        assert_eq!(kind_of(&json!({"findings": []})), None);
    }
}
