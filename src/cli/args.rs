use crate::findings::{Confidence, Severity};
use crate::reports::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Find what a mobile app binary gives away: hardcoded secrets and private
/// keys, cleartext and other risky endpoints — from the shipped APK, AAB,
/// IPA, DEX, Mach-O or ELF alone.
#[derive(Debug, Parser)]
#[command(name = "mastiff", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan apps, binaries or directories of them and report findings.
    ///
    /// Files are recognised by content, not by extension: APK, AAB,
    /// XAPK/APKS, JAR/AAR, IPA and other ZIPs (walked in memory, nested
    /// archives included), DEX, Mach-O (thin and fat), ELF, plists and text.
    #[command(
        after_help = "Exit status: 0 no finding at or above --fail-on; 1 findings at or above \
        --fail-on; 2 usage error, invalid configuration or unreadable input; 3 (only with \
        --fail-on-incomplete, and when 1 does not apply) something could not be scanned in \
        full.

\
        Configuration: mastiff.toml in the working directory (or --config FILE) turns rules \
        off, changes severities and allowlists findings; see docs/ci.md.

Examples:
  \
        mastiff scan app-release.apk
  \
        mastiff scan app.apk app.ipa build/ --format sarif -o mastiff.sarif\n  \
        mastiff scan app.apk --format json --show-secrets --fail-on high\n  \
        mastiff scan app.apk --baseline mastiff-baseline.json --fail-on medium --summary \"$GITHUB_STEP_SUMMARY\"\n  \
        mastiff scan apps/ --format jsonl -o results.jsonl\n  \
        mastiff scan apps/ --shard 2/4 --format sarif -o shard-2.sarif"
    )]
    Scan(ScanArgs),

    /// List every endpoint (URL, host, IP literal) the inputs name, with
    /// where each was seen and whether it is the app's own or an SDK's.
    #[command(
        after_help = "Risky endpoints (cleartext, hard-coded addresses, staging hosts, cloud \
        storage, credentials in URLs) are also findings of `mastiff scan`; this command lists \
        them all.

Examples:
  mastiff endpoints app.apk
  \
        mastiff endpoints app.ipa --own --format csv -o endpoints.csv"
    )]
    Endpoints(EndpointsArgs),

    /// Combine the JSON reports or SARIF logs of several shards
    /// (`scan --shard I/N`) into one.
    ///
    /// JSON: scanned files and findings are concatenated and sorted, summary
    /// counts added. SARIF: runs of the same category become one run (rules
    /// merged by id), other runs stay side by side. Unknown fields pass
    /// through. Reports of different versions, or that list the same file,
    /// are refused.
    #[command(
        after_help = "Example:\n  mastiff merge shard-*.sarif -o mastiff.sarif\n  \
        mastiff merge shard-1.json shard-2.json --format json -o report.json"
    )]
    Merge(MergeArgs),

    /// Record the findings of today as known, so later scans given
    /// `--baseline` report only new ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Example:\n  mastiff completions bash > /etc/bash_completion.d/mastiff"
    )]
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the manual page (roff) of mastiff, or of one command, on
    /// standard output.
    #[command(
        after_help = "Examples:\n  mastiff man > /usr/local/share/man/man1/mastiff.1\n  \
        mastiff man scan > /usr/local/share/man/man1/mastiff-scan.1"
    )]
    Man {
        /// The command to document (scan, baseline, rules, …).
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },

    /// List the secret rules, or check that every rule behaves as its
    /// examples say.
    #[command(subcommand)]
    Rules(RulesCommand),
}

/// `mastiff rules …`
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print every rule: id, category, severity, confidence and name.
    List {
        /// Output format: a text table, a JSON array of rule objects, or a
        /// Markdown rule reference.
        #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Also load rules from every *.toml file in DIR.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Compile every rule and run it on its examples and negative examples.
    /// Exit status 1 when any rule fails.
    Check {
        /// Also load (and check) rules from every *.toml file in DIR.
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
}

/// `mastiff baseline …`
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan and write the findings as a JSON report that `scan --baseline`
    /// reads. Any JSON or SARIF report of mastiff is a baseline too.
    Create(BaselineCreateArgs),
}

/// Options of `mastiff baseline create`.
#[derive(Debug, Args)]
pub struct BaselineCreateArgs {
    /// Files or directories to scan (directories are walked recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Where to write the baseline.
    #[arg(
        short,
        long,
        value_name = "FILE",
        default_value = "mastiff-baseline.json"
    )]
    pub output: PathBuf,

    #[command(flatten)]
    pub settings: ScanSettings,
}

/// Options of `mastiff merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Reports to merge, all JSON reports or all SARIF logs of mastiff.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Format of the inputs and the output [default: that of the inputs].
    #[arg(short, long, value_enum)]
    pub format: Option<MergeFormat>,

    /// Write the merged report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Formats `mastiff merge` reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    Json,
    Sarif,
}

/// Formats of `mastiff rules list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    Markdown,
}

/// Options of `mastiff scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (directories are walked recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Also append a Markdown summary to FILE (e.g. "$GITHUB_STEP_SUMMARY").
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,

    /// Show secret values in full. By default every format masks them,
    /// keeping only the first 4 and last 2 characters.
    #[arg(long)]
    pub show_secrets: bool,

    /// Exit with status 1 when a reported finding of this severity or higher
    /// exists [default: `fail-on` of the configuration, else none].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,

    /// Report only findings of this confidence or higher; the others are not
    /// reported at all [default: `min-confidence` of the configuration, else low].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<MinConfidence>,

    /// Report only findings whose fingerprint is not in FILE, a previous JSON
    /// or SARIF report of mastiff (see `mastiff baseline create`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Category prefix of the SARIF runs: their ids become NAME/<platform>/
    /// instead of mastiff/<platform>/. Give each job that uploads to the same
    /// repository its own NAME.
    #[arg(long, value_name = "NAME")]
    pub sarif_category: Option<String>,

    /// Scan only shard I of N (1 <= I <= N): the inputs whose path hashes
    /// to it (SHA-256 of the path as shown in reports). N jobs given the same
    /// paths scan disjoint sets that cover every input; `mastiff merge`
    /// combines their reports. See docs/ci.md.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<super::shard::Shard>,

    /// Colour in text output: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    #[command(flatten)]
    pub settings: ScanSettings,
}

/// Options of `mastiff endpoints`.
#[derive(Debug, Args)]
pub struct EndpointsArgs {
    /// Files or directories to scan (directories are walked recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = crate::reports::InventoryFormat::Text)]
    pub format: crate::reports::InventoryFormat,

    /// Write the inventory to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Leave out endpoints seen only in well-known SDK code (third party).
    #[arg(long)]
    pub own: bool,

    #[command(flatten)]
    pub limits: LimitArgs,

    /// Worker threads (default: one per CPU core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// Options shared by every command that scans.
#[derive(Debug, Args)]
pub struct ScanSettings {
    /// Read the configuration from FILE instead of ./mastiff.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Exit with status 3 when any file or archive entry could not be
    /// scanned in full (unreadable, cut at a limit, over the time budget,
    /// headers that disagree, internal error). Status 1 takes precedence.
    #[arg(long)]
    pub fail_on_incomplete: bool,

    /// Also load secret rules from every *.toml file in DIR (a rule with a
    /// built-in rule's id replaces it). See signatures/README.md.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,

    /// Worker threads (default: one per CPU core).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Keep the results of each archive entry in DIR, keyed by the entry's
    /// SHA-256, this build of mastiff and its rules, so a re-scan of a new
    /// build of an app re-analyses only the entries that changed.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,

    /// Judge expiry dates (pin-sets, certificates, provisioning profiles)
    /// as of this day, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<time::Date>,

    /// Print nothing on standard error but errors: no progress, no summary.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print the time each input took, and the configuration used, on
    /// standard error.
    #[arg(short, long)]
    pub verbose: bool,

    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Bounds on what one input may make mastiff read.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Deepest archive nesting walked (an APK inside an XAPK is depth 2).
    #[arg(long, value_name = "N", default_value_t = crate::archives::Limits::default().max_depth)]
    pub max_depth: usize,
    /// Largest inflated size of one archive entry, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = crate::archives::Limits::default().max_entry_size)]
    pub max_entry_size: u64,
    /// Largest total inflated size for one input file, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = crate::archives::Limits::default().max_total_size)]
    pub max_total_size: u64,
    /// Most entries read from one archive.
    #[arg(long, value_name = "N", default_value_t = crate::archives::Limits::default().max_entries)]
    pub max_entries: usize,
    /// Time budget per input file, in seconds (fractions allowed); a file
    /// still being scanned when it runs out is reported as partially scanned.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub timeout_per_file: Option<std::time::Duration>,
}

/// Parses a calendar day written YYYY-MM-DD.
fn parse_date(s: &str) -> Result<time::Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, format).map_err(|e| format!("{e} (expected YYYY-MM-DD)"))
}

/// Parses a non-negative number of seconds.
fn parse_seconds(s: &str) -> Result<std::time::Duration, String> {
    let secs: f64 = s.parse().map_err(|e| format!("{e}"))?;
    std::time::Duration::try_from_secs_f64(secs).map_err(|e| format!("{e}"))
}

impl LimitArgs {
    /// The limits these options describe.
    pub fn limits(&self) -> crate::archives::Limits {
        crate::archives::Limits {
            max_depth: self.max_depth,
            max_entry_size: self.max_entry_size,
            max_total_size: self.max_total_size,
            max_entries: self.max_entries,
            time_per_file: self.timeout_per_file,
            ..Default::default()
        }
    }
}

/// The severity threshold for a failing exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    None,
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl FailOn {
    /// The lowest severity that fails, or `None` when nothing does.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::None => None,
            FailOn::Info => Some(Severity::Info),
            FailOn::Low => Some(Severity::Low),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::High => Some(Severity::High),
            FailOn::Critical => Some(Severity::Critical),
        }
    }
}

/// The confidence floor of reported findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinConfidence {
    Low,
    Medium,
    High,
}

impl MinConfidence {
    /// The lowest confidence reported.
    pub fn floor(self) -> Confidence {
        match self {
            MinConfidence::Low => Confidence::Low,
            MinConfidence::Medium => Confidence::Medium,
            MinConfidence::High => Confidence::High,
        }
    }
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_a_typical_ci_invocation() {
        let cli = Cli::try_parse_from([
            "mastiff",
            "scan",
            "a.apk",
            "b/",
            "--format",
            "sarif",
            "-o",
            "out.sarif",
            "--fail-on",
            "high",
        ])
        .unwrap();
        let Command::Scan(args) = cli.command else {
            panic!("expected scan");
        };
        assert_eq!(args.paths.len(), 2);
        assert_eq!(args.format, Format::Sarif);
        assert_eq!(
            args.fail_on.and_then(FailOn::threshold),
            Some(Severity::High)
        );
        assert!(!args.show_secrets);
        assert!(args.min_confidence.is_none() && args.baseline.is_none());
    }

    #[test]
    fn parses_triage_options_and_new_commands() {
        let cli = Cli::try_parse_from([
            "mastiff",
            "scan",
            "a.apk",
            "--min-confidence",
            "medium",
            "--baseline",
            "base.json",
            "--config",
            "ci.toml",
            "--sarif-category",
            "shop",
            "-q",
        ])
        .unwrap();
        let Command::Scan(args) = cli.command else {
            panic!("expected scan");
        };
        assert_eq!(
            args.min_confidence.map(MinConfidence::floor),
            Some(Confidence::Medium)
        );
        assert!(args.settings.quiet && !args.settings.verbose);
        assert_eq!(
            args.settings.config.as_deref(),
            Some(std::path::Path::new("ci.toml"))
        );
        assert!(Cli::try_parse_from(["mastiff", "scan", "a.apk", "-q", "-v"]).is_err());
        let cli = Cli::try_parse_from(["mastiff", "baseline", "create", "a.apk"]).unwrap();
        let Command::Baseline(BaselineCommand::Create(b)) = cli.command else {
            panic!("expected baseline create");
        };
        assert_eq!(b.output, PathBuf::from("mastiff-baseline.json"));
        assert!(Cli::try_parse_from(["mastiff", "completions", "zsh"]).is_ok());
        assert!(Cli::try_parse_from(["mastiff", "completions", "cmd"]).is_err());
    }
}
