//! The README's rule table is generated from the rule registry: this test
//! regenerates it and fails when the README is stale.
//!
//! `UPDATE_README=1 cargo test --test readme` rewrites it.

use std::path::Path;

use berth::rules::{self, Default};

const START: &str = "<!-- rules:start -->";
const END: &str = "<!-- rules:end -->";

/// Text for a markdown table cell.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

fn table() -> String {
    let mut out =
        String::from("| code | also | severity | default | summary |\n|---|---|---|---|---|\n");
    for r in rules::all() {
        let m = r.meta;
        let aliases = m
            .aliases
            .iter()
            .map(|a| format!("`{}`", cell(a)))
            .collect::<Vec<_>>()
            .join(", ");
        let default = match m.default {
            Default::On => "on",
            Default::EditorOnly => "editor only",
            Default::Off => "off",
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            cell(m.code),
            aliases,
            m.severity.as_str(),
            default,
            cell(m.summary)
        ));
    }
    out
}

#[test]
fn cells_are_escaped() {
    assert_eq!(cell("a | b\nc"), "a \\| b c");
}

#[test]
fn the_table_lists_every_rule() {
    let t = table();
    assert_eq!(t.lines().count(), rules::all().len() + 2);
    for r in rules::all() {
        assert!(
            t.contains(&format!("| `{}` |", r.meta.code)),
            "{}",
            r.meta.code
        );
    }
}

#[test]
fn readme_rule_table_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let text = std::fs::read_to_string(&path).expect("README.md is readable");
    let (Some(start), Some(end)) = (text.find(START), text.find(END)) else {
        panic!("README.md has lost its `{START}` / `{END}` markers");
    };
    assert!(start < end, "README.md's rule markers are out of order");
    let current = &text[start..end + END.len()];
    let wanted = format!("{START}\n{}{END}", table());
    if current == wanted {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some_and(|v| v == "1") {
        let updated = format!("{}{wanted}{}", &text[..start], &text[end + END.len()..]);
        std::fs::write(&path, updated).expect("README.md is writable");
        eprintln!("README.md: rule table updated");
        return;
    }
    panic!(
        "README.md's rule table is stale (a rule was added or changed).\n\
         Regenerate it with:\n\n    UPDATE_README=1 cargo test --test readme\n\n\
         Expected between the markers:\n{wanted}"
    );
}
