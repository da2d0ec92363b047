//! `berth rules`: the rule catalog, and one rule's documentation.

use super::{eprint_line, print_text, EXIT_TROUBLE};
use crate::host::shellcheck::{is_sc_code, wiki_url};
use crate::model::edit_distance;
use crate::rules::{self, Default, Rule};

pub const USAGE: &str = "\
List berth's rules, or show the documentation of one.

Usage: berth rules [CODE]

CODE is a rule code or an alias (hadolint's DL codes), in any case.

Options:
  -h, --help    Print this help
";

pub fn run(args: &[String]) -> i32 {
    let mut code: Option<&str> = None;
    for arg in args {
        match arg.as_str() {
            "-h" | "--help" => return print_text(USAGE),
            a if a.starts_with('-') => {
                eprint_line(&format!("berth rules: unknown option `{a}`"));
                return EXIT_TROUBLE;
            }
            a if code.is_none() => code = Some(a),
            _ => {
                eprint_line("berth rules: give at most one CODE");
                return EXIT_TROUBLE;
            }
        }
    }
    match code {
        None => print_text(&table()),
        Some(code) => {
            let rules: Vec<&Rule> = rules::all()
                .iter()
                .copied()
                .filter(|r| r.meta.answers_to(code))
                .collect();
            if rules.is_empty() && is_sc_code(code) {
                let code = code.to_ascii_uppercase();
                return print_text(&format!(
                    "# {code}\n\nA ShellCheck check, reported on the scripts of RUN instructions \
                     when `shellcheck` is installed. See {}\n",
                    wiki_url(&code)
                ));
            }
            if rules.is_empty() {
                eprint_line(&unknown(code));
                return EXIT_TROUBLE;
            }
            let docs: Vec<String> = rules.iter().map(|r| docs(r)).collect();
            print_text(&docs.join("\n"))
        }
    }
}

fn default_str(d: Default) -> &'static str {
    match d {
        Default::On => "on",
        Default::EditorOnly => "editor-only",
        Default::Off => "off",
    }
}

fn aliases_str(r: &Rule) -> String {
    if r.meta.aliases.is_empty() {
        "-".to_string()
    } else {
        r.meta.aliases.join(",")
    }
}

/// `CODE  ALIASES  SEVERITY  DEFAULT  SUMMARY`, one rule a line.
fn table() -> String {
    let rows: Vec<[String; 5]> = rules::all()
        .iter()
        .map(|r| {
            [
                r.meta.code.to_string(),
                aliases_str(r),
                r.meta.severity.as_str().to_string(),
                default_str(r.meta.default).to_string(),
                r.meta.summary.to_string(),
            ]
        })
        .collect();
    let header = ["CODE", "ALIASES", "SEVERITY", "DEFAULT", "SUMMARY"].map(String::from);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        for (w, cell) in widths.iter().zip(row) {
            out.push_str(&format!("{cell:<w$}  "));
        }
        out.push_str(&row[4]);
        out.push('\n');
    }
    out.push_str(
        "\n`berth rules CODE` shows a rule's documentation. \
         editor-only rules are off in `berth check` unless given to --enable.\n",
    );
    out
}

fn docs(r: &Rule) -> String {
    let m = r.meta;
    let mut out = format!("# {}\n\n", m.code);
    if !m.aliases.is_empty() {
        out.push_str(&format!("Aliases: {}  \n", m.aliases.join(", ")));
    }
    out.push_str(&format!(
        "Severity: {}  \nCategory: {}  \nDefault: {}  \n\n{}\n\n",
        m.severity.as_str(),
        format!("{:?}", m.category).to_lowercase(),
        match m.default {
            Default::On => "on",
            Default::EditorOnly => "on in editors, off in `berth check` (use --enable)",
            Default::Off => "off (turn it on with --enable or the `rules` setting)",
        },
        m.summary,
    ));
    out.push_str(m.docs.trim_end());
    out.push('\n');
    out
}

/// Codes and aliases close to `code`, best first.
fn close_codes(code: &str) -> Vec<&'static str> {
    let q = code.to_ascii_lowercase();
    let limit = (q.chars().count() / 3).max(2);
    let mut found: Vec<(usize, &'static str)> = rules::all()
        .iter()
        .flat_map(|r| std::iter::once(r.meta.code).chain(r.meta.aliases.iter().copied()))
        .filter_map(|c| {
            let lc = c.to_ascii_lowercase();
            let d = edit_distance(&q, &lc);
            (d <= limit || (q.len() >= 3 && lc.contains(&q))).then_some((d, c))
        })
        .collect();
    found.sort();
    found.dedup_by_key(|(_, c)| *c);
    found.into_iter().take(5).map(|(_, c)| c).collect()
}

fn unknown(code: &str) -> String {
    let close = close_codes(code);
    if close.is_empty() {
        format!("berth rules: no rule `{code}`; `berth rules` lists them all")
    } else {
        format!(
            "berth rules: no rule `{code}`; did you mean {}?",
            close
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_codes_find_typos_and_fragments() {
        assert_eq!(
            close_codes("UndefinedStag").first(),
            Some(&"UndefinedStage")
        );
        assert!(close_codes("dl3o24").contains(&"DL3024"));
        assert!(close_codes("stage").contains(&"UnusedStage"));
        assert!(close_codes("zzzzzzzzzzzz").is_empty());
    }

    #[test]
    fn table_has_every_rule() {
        let t = table();
        for r in rules::all() {
            assert!(
                t.lines().any(|l| l.starts_with(r.meta.code)),
                "{}",
                r.meta.code
            );
        }
    }
}
