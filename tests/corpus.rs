//! Runs berth over ../shared/corpus (real Dockerfiles written by others).
//! The corpus lives beside the repository in CI; in a clone without it,
//! these tests say they were skipped and pass.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use berth::ide::{Analysis, Settings};
use berth::rules::{self, Category};
use berth::syntax;
use berth::text::Document;

#[path = "oracle/buildkit_lines.rs"]
mod buildkit_lines;

/// Whether the tree has an ERROR or MISSING node (shell bodies are not
/// parsed by this grammar, so any is in the Dockerfile's own syntax).
fn tree_has_dockerfile_error(tree: &tree_sitter::Tree) -> bool {
    let mut cursor = tree.walk();
    loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            return true;
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return false;
            }
        }
    }
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: {} is absent (it sits beside the repository in CI)",
            dir.display()
        );
        None
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for sub in [dir.to_path_buf(), dir.join("snippets")] {
        let Ok(entries) = std::fs::read_dir(&sub) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".Dockerfile") || name.ends_with(".df") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn read(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}

/// Files the corpus README lists as rejected by BuildKit, with the code
/// berth must report for them.
fn expected_syntax_errors(name: &str, text: &str) -> Option<&'static str> {
    if name == "0121.Dockerfile" || name.starts_with("f05_stage_alias_with_slash") {
        return Some("InvalidStageName");
    }
    // A buildah fixture: `FROM x AS ${NAME}`. buildah expands the name,
    // BuildKit validates it as written and fails.
    if name == "0179.Dockerfile" {
        return Some("InvalidStageName");
    }
    // devcontainers templates: `FROM REPLACE-ME`, replaced by their build
    // script before any build; BuildKit refuses the upper case.
    if matches!(
        name,
        "0230.Dockerfile" | "0231.Dockerfile" | "1026.Dockerfile"
    ) {
        return Some("InvalidBaseImageReference");
    }
    // balena's CROSS_BUILD_* instructions are not BuildKit instructions.
    if name.starts_with("m04_cross_build") {
        return Some("UnknownInstruction");
    }
    // Bare instructions without arguments (buildah fixtures).
    let bare = text.lines().any(|l| {
        let t = l.trim();
        !t.is_empty()
            && !t.starts_with('#')
            && !t.contains(char::is_whitespace)
            && syntax::Keyword::from_word(t) != syntax::Keyword::Unknown
    });
    bare.then_some("InvalidArguments")
}

#[test]
fn every_corpus_file_is_analysed_without_panic_or_false_syntax_error() {
    let Some(dir) = corpus_dir() else { return };
    let settings = Arc::new(Settings::default());
    let mut failures = Vec::new();
    let mut files_with_syntax_diag = 0;
    let mut tree_error_files = 0;
    let all = files(&dir);
    assert!(all.len() > 1000, "corpus has {} files", all.len());
    for p in &all {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let text = read(p);
        let result = std::panic::catch_unwind(|| {
            let a = Analysis::new(Document::new(text.clone(), 1), settings.clone());
            // Every request at a spread of offsets.
            let step = (text.len() / 40).max(1);
            for off in (0..=text.len()).step_by(step) {
                a.definition(off as u32);
                a.completions(off as u32);
            }
            let syntax: Vec<String> = a
                .diagnostics()
                .iter()
                .filter(|d| {
                    rules::find(d.code).is_some_and(|r| r.meta.category == Category::Syntax)
                })
                .map(|d| format!("{} {:?} {}", d.code, d.range.slice(&text), d.message))
                .collect();
            (syntax, tree_has_dockerfile_error(a.document().tree()))
        });
        match result {
            Err(_) => failures.push(format!("{name}: panicked")),
            Ok((syntax, tree_error)) => {
                tree_error_files += usize::from(tree_error);
                if syntax.is_empty() {
                    continue;
                }
                files_with_syntax_diag += 1;
                match expected_syntax_errors(&name, &text) {
                    Some(code) if syntax.iter().all(|s| s.starts_with(code)) => {}
                    _ => failures.push(format!("{name}: {syntax:?}")),
                }
            }
        }
    }
    eprintln!(
        "corpus: {} files; {} with a berth syntax diagnostic; {} ({:.1} %) where berth's grammar has an ERROR or MISSING node",
        all.len(),
        files_with_syntax_diag,
        tree_error_files,
        100.0 * tree_error_files as f64 / all.len() as f64
    );
    assert!(
        failures.is_empty(),
        "{} files:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The tree's instruction ranges, each extended over the blanks that end
/// its last line (BuildKit's range runs to the line's content end; a
/// tree-sitter node ends at its last token).
fn tree_ranges(text: &str, tree: &tree_sitter::Tree) -> Vec<(u32, u32)> {
    let bytes = text.as_bytes();
    let root = tree.root_node();
    let mut cursor = root.walk();
    let nodes: Vec<_> = root
        .named_children(&mut cursor)
        .filter(|n| syntax::kinds::INSTRUCTION_KINDS.contains(&n.kind()))
        .collect();
    nodes
        .iter()
        .map(|n| {
            let r = (n.start_byte() as u32, n.end_byte() as u32);
            let mut end = n.end_byte();
            while end < bytes.len() && matches!(bytes[end], b' ' | b'\t') {
                end += 1;
            }
            // A continuation at the very end of the text is kept by
            // BuildKit's range; in the tree it is an extra after the node.
            let rest = &text[end..];
            let tail = rest.trim_start_matches(['\\', '`']);
            if tail.len() + 1 == rest.len() && tail.trim().is_empty() {
                end += 1;
            }
            (r.0, end as u32)
        })
        .collect()
}

/// The first difference between two readings of a file, if any.
fn syntax_difference(want: &syntax::SyntaxFile, got: &syntax::SyntaxFile) -> Option<String> {
    if want.escape != got.escape || want.bom != got.bom {
        return Some(format!(
            "escape/bom {:?} vs {:?}",
            (want.escape, want.bom),
            (got.escape, got.bom)
        ));
    }
    if want.directives != got.directives {
        return Some(format!(
            "directives {:?} vs {:?}",
            want.directives, got.directives
        ));
    }
    if want.comments != got.comments {
        return Some(format!(
            "comments {:?} vs {:?}",
            want.comments, got.comments
        ));
    }
    if want.errors != got.errors {
        return Some(format!("errors {:?} vs {:?}", want.errors, got.errors));
    }
    if want.instructions.len() != got.instructions.len() {
        return Some(format!(
            "{} instructions vs {}",
            want.instructions.len(),
            got.instructions.len()
        ));
    }
    for (w, g) in want.instructions.iter().zip(&got.instructions) {
        let w_view = (
            w.range,
            w.logical_end,
            &w.joined.text,
            w.joined.pieces(),
            &w.heredocs,
            &w.empty_continuation_lines,
            w.scan_end,
        );
        let g_view = (
            g.range,
            g.logical_end,
            &g.joined.text,
            g.joined.pieces(),
            &g.heredocs,
            &g.empty_continuation_lines,
            g.scan_end,
        );
        if w_view != g_view {
            return Some(format!(
                "instruction differs:\n  BuildKit {w_view:?}\n  tree     {g_view:?}"
            ));
        }
    }
    None
}

/// Every file the corpus, its snippets and the examples hold: the grammar's
/// instruction nodes start and end where BuildKit's line joining puts the
/// instructions, and a file BuildKit accepts has no ERROR or MISSING node.
#[test]
fn grammar_agrees_with_buildkit_line_joining() {
    let Some(dir) = corpus_dir() else { return };
    let mut paths = files(&dir);
    for extra in [
        dir.join("../examples"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
    ] {
        if let Ok(entries) = std::fs::read_dir(&extra) {
            let mut more: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            more.sort();
            paths.extend(more);
        }
    }
    let (mut agree, mut accepted, mut accepted_with_error) = (0, 0, 0);
    let mut failures = Vec::new();
    for p in &paths {
        let text = read(p);
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let doc = Document::new(text.clone(), 0);
        let oracle = buildkit_lines::split(&text);
        let ours: Vec<(u32, u32)> = oracle
            .instructions
            .iter()
            .map(|i| (i.range.start, i.range.end))
            .collect();
        let theirs = tree_ranges(&text, doc.tree());
        if ours == theirs {
            agree += 1;
        } else {
            let first = ours
                .iter()
                .zip(&theirs)
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("BuildKit {a:?}, tree {b:?}"))
                .unwrap_or_else(|| format!("{} instructions, tree {}", ours.len(), theirs.len()));
            failures.push(format!("{name}: boundaries differ: {first}"));
        }
        // What the model reads from the tree equals what BuildKit's line
        // joining gives, field by field.
        if let Some(diff) = syntax_difference(&oracle, &syntax::read(&text, doc.tree())) {
            failures.push(format!("{name}: {diff}"));
        }
        let rejected = name == "broken.Dockerfile"
            || name.contains("broken")
            || expected_syntax_errors(&name, &text).is_some();
        if !rejected {
            accepted += 1;
            if tree_has_dockerfile_error(doc.tree()) {
                accepted_with_error += 1;
                failures.push(format!(
                    "{name}: ERROR or MISSING node in a file BuildKit accepts"
                ));
            }
        }
    }
    eprintln!(
        "grammar: instruction boundaries agree with BuildKit's line joining on {agree} of {} files ({:.2} %); \
         {accepted_with_error} of {accepted} files BuildKit accepts have an ERROR or MISSING node",
        paths.len(),
        100.0 * agree as f64 / paths.len() as f64
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
