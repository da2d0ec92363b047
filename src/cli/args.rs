//! Argument parsing for `berth check` (hand-rolled: it is small).

use crate::rules::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Checkstyle,
    Gnu,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckArgs {
    /// Files and directories as given; `-` is stdin.
    pub paths: Vec<String>,
    pub format: Format,
    /// Exit 1 when a finding is at least this severe; `None`: the
    /// configuration file's `failure-threshold`, or warning.
    pub fail_level: Option<Severity>,
    pub target: Option<String>,
    pub ignore: Vec<String>,
    pub enable: Vec<String>,
    /// Only these codes are reported (empty: all).
    pub select: Vec<String>,
    /// `--config FILE`: this file instead of `.hadolint.yaml` found upward.
    pub config: Option<String>,
    /// `--context DIR`: the build context of every file (relative to the
    /// current directory); each file's folder when absent.
    pub context: Option<String>,
    pub no_shellcheck: bool,
    /// Exit 0 whatever is found (usage and IO errors still exit 2).
    pub no_fail: bool,
    pub no_color: bool,
    pub quiet: bool,
}

impl Default for CheckArgs {
    fn default() -> CheckArgs {
        CheckArgs {
            paths: Vec::new(),
            format: Format::Human,
            fail_level: None,
            target: None,
            ignore: Vec::new(),
            enable: Vec::new(),
            select: Vec::new(),
            config: None,
            context: None,
            no_shellcheck: false,
            no_fail: false,
            no_color: false,
            quiet: false,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    Run(CheckArgs),
    Help,
    Version,
}

/// Parse the arguments after `check`. `Err` is a message for the user.
///
/// Options may come before, after or between paths; `--name=value` and
/// `--name value` are both accepted; `--` ends the options; `-` is stdin.
pub fn parse_check(args: &[String]) -> Result<Parsed, String> {
    let mut out = CheckArgs::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let arg = arg.as_str();
        if arg == "--" {
            out.paths.extend(it.by_ref().cloned());
            break;
        }
        if arg == "-" || !arg.starts_with('-') {
            out.paths.push(arg.to_string());
            continue;
        }
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v)),
            _ => (arg, None),
        };
        let takes_value = matches!(
            name,
            "--format"
                | "--fail-level"
                | "--target"
                | "--ignore"
                | "--enable"
                | "--select"
                | "--config"
                | "--context"
        );
        if !takes_value {
            if inline.is_some() {
                return Err(format!("option `{name}` takes no value"));
            }
            match name {
                "-h" | "--help" => return Ok(Parsed::Help),
                "-V" | "--version" => return Ok(Parsed::Version),
                "-q" | "--quiet" => out.quiet = true,
                "--no-color" => out.no_color = true,
                "--no-shellcheck" => out.no_shellcheck = true,
                "--no-fail" => out.no_fail = true,
                _ => return Err(format!("unknown option `{arg}`")),
            }
            continue;
        }
        let value = match inline {
            Some(v) => v.to_string(),
            None => match it.next() {
                Some(v) => v.clone(),
                None => return Err(format!("option `{name}` needs a value")),
            },
        };
        match name {
            "--format" => {
                out.format = match value.to_ascii_lowercase().as_str() {
                    "human" | "text" => Format::Human,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    "checkstyle" => Format::Checkstyle,
                    "gnu" => Format::Gnu,
                    _ => {
                        return Err(format!(
                            "invalid value `{value}` for `--format` \
                             (expected human, json, sarif, checkstyle or gnu)"
                        ))
                    }
                }
            }
            "--fail-level" => {
                out.fail_level = Some(Severity::parse(&value).ok_or_else(|| {
                    format!(
                        "invalid value `{value}` for `--fail-level` \
                         (expected error, warning, info or hint)"
                    )
                })?)
            }
            "--target" => {
                if value.is_empty() {
                    return Err("option `--target` needs a stage name".to_string());
                }
                out.target = Some(value)
            }
            "--ignore" => out.ignore.extend(split_codes(&value)),
            "--enable" => out.enable.extend(split_codes(&value)),
            "--select" => out.select.extend(split_codes(&value)),
            "--config" => {
                if value.is_empty() {
                    return Err("option `--config` needs a file".to_string());
                }
                out.config = Some(value)
            }
            "--context" => {
                if value.is_empty() {
                    return Err("option `--context` needs a directory".to_string());
                }
                out.context = Some(value)
            }
            _ => unreachable!("every option that takes a value is matched above"),
        }
    }
    Ok(Parsed::Run(out))
}

/// `--ignore A,B` is `--ignore A --ignore B`.
fn split_codes(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Parsed, String> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse_check(&args)
    }

    fn run(args: &[&str]) -> CheckArgs {
        match parse(args) {
            Ok(Parsed::Run(a)) => a,
            other => panic!("expected Run, got {other:?}"),
        }
    }

    #[test]
    fn values_inline_or_separate_and_options_anywhere() {
        let a = run(&[
            "a",
            "--format=json",
            "--fail-level",
            "error",
            "-",
            "--ignore",
            "X,Y",
            "--ignore=Z",
            "--enable",
            "UnusedStage",
            "--target=prod",
            "--select",
            "DL3008,SC2086",
            "--select=DL3009",
            "--config",
            "ci/.hadolint.yaml",
            "--no-shellcheck",
            "--no-fail",
            "-q",
            "--no-color",
            "--",
            "--weird-file",
        ]);
        assert_eq!(a.paths, ["a", "-", "--weird-file"]);
        assert_eq!(a.format, Format::Json);
        assert_eq!(a.fail_level, Some(Severity::Error));
        assert_eq!(a.ignore, ["X", "Y", "Z"]);
        assert_eq!(a.select, ["DL3008", "SC2086", "DL3009"]);
        assert_eq!(a.config.as_deref(), Some("ci/.hadolint.yaml"));
        assert!(a.no_shellcheck && a.no_fail);
        assert_eq!(a.enable, ["UnusedStage"]);
        assert_eq!(a.target.as_deref(), Some("prod"));
        assert!(a.quiet && a.no_color);
    }

    #[test]
    fn defaults() {
        let a = run(&["Dockerfile"]);
        assert_eq!(a.format, Format::Human);
        assert_eq!(a.fail_level, None);
        assert!(!a.quiet && !a.no_color && !a.no_shellcheck && !a.no_fail);
        for (f, want) in [
            ("sarif", Format::Sarif),
            ("checkstyle", Format::Checkstyle),
            ("GNU", Format::Gnu),
        ] {
            assert_eq!(run(&["--format", f, "x"]).format, want);
        }
    }

    #[test]
    fn errors_are_messages() {
        assert!(parse(&["--bogus"]).unwrap_err().contains("--bogus"));
        assert!(parse(&["-x"]).unwrap_err().contains("-x"));
        assert!(parse(&["--format"]).unwrap_err().contains("needs a value"));
        assert!(parse(&["--format", "xml"]).unwrap_err().contains("xml"));
        assert!(parse(&["--fail-level=fatal"])
            .unwrap_err()
            .contains("fatal"));
        assert!(parse(&["--quiet=yes"]).unwrap_err().contains("no value"));
        assert_eq!(parse(&["a", "--help"]), Ok(Parsed::Help));
        assert_eq!(parse(&["--version"]), Ok(Parsed::Version));
    }
}
