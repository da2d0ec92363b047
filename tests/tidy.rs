//! Architecture invariants that a grep can check (see ARCHITECTURE.md).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// Source lines of a module, without comments and `#[cfg(test)]` modules.
fn code_lines(module: &str) -> Vec<(PathBuf, usize, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(module);
    let mut out = Vec::new();
    for file in rust_files(&dir) {
        let text = std::fs::read_to_string(&file).unwrap();
        let body = match text.find("#[cfg(test)]") {
            Some(i) => &text[..i],
            None => &text[..],
        };
        for (n, line) in body.lines().enumerate() {
            let t = line.trim_start();
            if t.starts_with("//") {
                continue;
            }
            out.push((file.clone(), n + 1, line.to_string()));
        }
    }
    out
}

/// In dependency order. `host` does the IO `lsp` and `cli` share (config
/// files, ShellCheck): it may use every analysis layer and neither edge.
const LAYERS: &[&str] = &[
    "text", "syntax", "model", "shell", "rules", "ide", "host", "lsp", "cli",
];

/// What each layer may not depend on: every layer after it, and the two
/// edges do not depend on each other.
fn forbidden(layer: &str) -> Vec<&'static str> {
    let pos = LAYERS.iter().position(|l| *l == layer).unwrap();
    let mut out: Vec<&str> = LAYERS[pos + 1..].to_vec();
    if layer == "lsp" {
        out.retain(|l| *l != "cli");
        out.push("cli");
    }
    if layer == "cli" {
        out.push("lsp");
    }
    out
}

#[test]
fn layers_depend_one_way() {
    let mut bad = Vec::new();
    for layer in LAYERS {
        for (file, n, line) in code_lines(layer) {
            for f in forbidden(layer) {
                if line.contains(&format!("crate::{f}::"))
                    || line.contains(&format!("crate::{f}}}"))
                    || line.contains(&format!("crate::{f};"))
                {
                    bad.push(format!(
                        "{}:{n}: {layer} uses {f}: {}",
                        file.display(),
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "layering violations:\n{}", bad.join("\n"));
}

#[test]
fn only_text_syntax_and_shell_touch_tree_sitter() {
    let mut bad = Vec::new();
    for layer in ["model", "rules", "ide", "host", "lsp", "cli"] {
        for (file, n, line) in code_lines(layer) {
            if line.contains("tree_sitter") {
                bad.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "tree-sitter outside text/syntax:\n{}",
        bad.join("\n")
    );
}

#[test]
fn only_lsp_speaks_the_protocol_and_runs_async() {
    let mut bad = Vec::new();
    for layer in [
        "text", "syntax", "model", "shell", "rules", "ide", "host", "cli",
    ] {
        for (file, n, line) in code_lines(layer) {
            for needle in ["tower_lsp_server", "ls_types", "tokio"] {
                if line.contains(needle) {
                    bad.push(format!("{}:{n}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "protocol or async code outside lsp/:\n{}",
        bad.join("\n")
    );
}

#[test]
fn analysis_does_no_io() {
    // `host`, `lsp` and `cli` do IO; everything before them is pure.
    let mut bad = Vec::new();
    for layer in ["text", "syntax", "model", "shell", "rules", "ide"] {
        for (file, n, line) in code_lines(layer) {
            for needle in [
                "std::fs",
                "std::io",
                "std::net",
                "std::process",
                "std::env",
                "serde_json",
                "println!",
                "eprintln!",
            ] {
                if line.contains(needle) {
                    bad.push(format!("{}:{n}: {}", file.display(), line.trim()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "IO in the analysis layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_tree_sitter_points_reach_positions() {
    // Line/column for users come from the rope (LSP line breaks), never
    // from tree-sitter points, which count only `\n`.
    let mut bad = Vec::new();
    for layer in LAYERS {
        for (file, n, line) in code_lines(layer) {
            if line.contains("start_position()") || line.contains("end_position()") {
                bad.push(format!("{}:{n}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "tree-sitter points used:\n{}",
        bad.join("\n")
    );
}
