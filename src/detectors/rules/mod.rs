//! Secret detection driven by data: the rules in `signatures/*.toml`.
//!
//! * [`RuleSet`] loads the built-in rule files (embedded at build time) and
//!   a user rule folder;
//! * [`RuleEngine`] runs them as a [`Detector`](super::Detector): one keyword
//!   prefilter, then each candidate rule's regex, entropy floor, validator
//!   and placeholder filter;
//! * [`check`] is `mastiff rules check`: every rule against its examples;
//! * [`list_markdown`], [`list_json`] and [`list_text`] render `rules list`.
//!
//! The file format is specified in `signatures/README.md`.

mod check;
mod compile;
mod engine;
mod entropy;
mod placeholder;
mod render;
mod rule;
mod set;
mod validate;

pub use check::{check, CheckProblem};
pub use engine::RuleEngine;
pub use entropy::shannon_entropy;
pub use placeholder::is_placeholder;
pub use render::{list_json, list_markdown, list_text};
pub use rule::{Example, ExampleTable, Platform, Rule, RuleError, Validator};
pub use set::{LoadedRule, RuleSet};
