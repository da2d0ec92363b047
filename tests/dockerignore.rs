//! `.dockerignore` matching, case by case. Each row is worked out from
//! Docker's "dockerignore" documentation and moby/patternmatcher's rules:
//! Go `filepath.Match` syntax plus `**`, `!` exceptions, last match wins,
//! patterns cleaned (leading and trailing slashes, `.` and `..`), `#`
//! comments, a directory pattern excluding what is below it.

use berth::model::dockerignore::{clean, pattern_match, DockerIgnore};

/// (the .dockerignore text, path relative to the context, excluded?)
const CASES: &[(&str, &str, bool)] = &[
    // Plain names match at the root only (no implicit `**/`).
    ("secret.txt", "secret.txt", true),
    ("secret.txt", "sub/secret.txt", false),
    // The docs' examples.
    ("*/temp*", "somedir/temporary.txt", true),
    ("*/temp*", "somedir/temp", true),
    ("*/temp*", "temp", false),
    ("*/*/temp*", "somedir/subdir/temporary.txt", true),
    ("*/*/temp*", "somedir/temporary.txt", false),
    ("temp?", "tempa", true),
    ("temp?", "temp", false),
    ("temp?", "tempab", false),
    ("**/*.go", "main.go", true),
    ("**/*.go", "cmd/app/main.go", true),
    ("**/*.go", "main.gox", false),
    // `*` never crosses `/`.
    ("*.md", "README.md", true),
    ("*.md", "docs/guide.md", false),
    // A directory pattern excludes the directory and what is below it.
    ("node_modules", "node_modules", true),
    ("node_modules", "node_modules/left-pad/index.js", true),
    ("node_modules", "web/node_modules/x.js", false),
    ("**/node_modules", "web/node_modules/x.js", true),
    // Leading and trailing slashes, `./` and `..` are cleaned away.
    ("/build/", "build/out.o", true),
    ("./build", "build", true),
    ("build/../dist", "dist/app.js", true),
    ("build//out", "build/out", true),
    // `**` in the middle matches zero or more directories.
    ("a/**/b", "a/b", true),
    ("a/**/b", "a/x/y/b", true),
    ("a/**/b", "a/x/y/c", false),
    ("a/**", "a/x/y", true),
    ("a/**", "b/x", false),
    // Character classes and escapes.
    ("file[0-9].txt", "file7.txt", true),
    ("file[0-9].txt", "filex.txt", false),
    ("file[^0-9].txt", "filex.txt", true),
    ("file[^0-9].txt", "file7.txt", false),
    ("\\*star", "*star", true),
    ("\\*star", "xstar", false),
    // Comments, blank lines and surrounding spaces.
    ("# secret.txt\n\n  ", "secret.txt", false),
    ("  secret.txt  ", "secret.txt", true),
    // The last matching pattern wins; `!` re-includes.
    ("*.md\n!README.md", "README.md", false),
    ("*.md\n!README.md", "CHANGES.md", true),
    ("!README.md\n*.md", "README.md", true),
    // An exception re-includes a file inside an excluded directory.
    ("docs\n!docs/keep.txt", "docs/keep.txt", false),
    ("docs\n!docs/keep.txt", "docs/drop.txt", true),
    ("docs\n!docs/keep.txt", "docs", true),
    // Everything but one file (the BuildKit test's case).
    ("**\n!Dockerfile", "Dockerfile", false),
    ("**\n!Dockerfile", "src/main.rs", true),
    ("*\n!src", "src/main.rs", false),
    ("*\n!src\nsrc/*.tmp", "src/x.tmp", true),
    // A malformed class matches nothing (and does not panic).
    ("file[0-9", "file1", false),
    // The root itself is never excluded.
    ("*", ".", false),
    // Patterns with a leading `!` and spaces: `! foo` is `!foo`.
    ("foo\n! foo", "foo", false),
];

#[test]
fn dockerignore_table() {
    let mut failures = Vec::new();
    for &(ignore, path, want) in CASES {
        let got = DockerIgnore::parse(ignore).excludes(path);
        if got != want {
            failures.push(format!(
                "{ignore:?} on {path:?}: got excluded={got}, want {want}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn patterns_are_cleaned_like_go() {
    let ig = DockerIgnore::parse("/build/\n./a/../b\n!/keep//me/\n# c\n\u{feff}x");
    let texts: Vec<(&str, bool)> = ig
        .patterns
        .iter()
        .map(|p| (p.text.as_str(), p.exclusion))
        .collect();
    assert_eq!(
        texts,
        [
            ("build", false),
            ("b", false),
            ("keep/me", true),
            ("\u{feff}x", false)
        ]
    );
    let ig = DockerIgnore::parse("\u{feff}x");
    assert_eq!(ig.patterns[0].text, "x", "a BOM at the start is dropped");
    assert_eq!(clean("a/./b/../c/"), "a/c");
    assert_eq!(clean("../a"), "../a");
    assert_eq!(clean("/../a"), "/a");
    assert_eq!(clean("."), ".");
    assert!(ig.patterns.iter().all(|p| !p.exclusion));
}

#[test]
fn glob_matching_never_panics_on_odd_input() {
    for (p, s) in [
        ("[", "["),
        ("\\", "x"),
        ("**/**/**", "a/b"),
        ("[]a]", "]"),
        ("é*", "éa"),
        ("*?*?*?*?*?*?*?", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab/"),
    ] {
        let _ = pattern_match(p, s);
    }
    assert!(
        pattern_match("[]a]", "]"),
        "`]` first in a class is literal"
    );
    assert!(pattern_match("é*", "éa"));
}

/// A pattern of 50,000 `**/` overflowed the stack (one recursion per
/// token), and many stars backtracked exponentially: the matcher is
/// iterative and linear in pattern × path. Run on a 2 MiB stack, the size
/// of the threads that analyse.
#[test]
fn deep_and_starry_patterns_are_matched_without_recursion() {
    let worker = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(|| {
            let deep = format!("{}x", "**/".repeat(50_000));
            let starry = "*a".repeat(40);
            let long_path = format!("{}b", "a".repeat(60));
            (
                pattern_match(&deep, "a/b/x"),
                pattern_match(&deep, "a/b/y"),
                pattern_match(&starry, &long_path),
                DockerIgnore::parse(&deep).excludes("a/b/x"),
            )
        })
        .unwrap();
    assert_eq!(worker.join().unwrap(), (true, false, false, true));
}
