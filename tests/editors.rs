//! The editor integrations in editors/, tested with the real clients this
//! machine can run, against the freshly built binary:
//! - Neovim (Debian's, and a second one from `BERTH_NVIM` or
//!   `.venv-nvim/bin/nvim` when present) runs editors/neovim/test/run.lua;
//! - node runs the VS Code extension's tests (client options, and the
//!   protocol client VS Code is built on driving berth), after `tsc`;
//! - the `.vsix` is packaged when `CI=true` or `BERTH_TEST_VSIX=1` (slow);
//! - Helix's languages.toml and Zed's extension.toml are parsed and their
//!   keys checked; the Zed extension is built for wasm32-wasip2 when that
//!   target is installed, else checked natively;
//! - berth's grammar in the editors: the grammar entries of Helix and Zed
//!   (repository, pinned revision, subfolder), the query copies each editor
//!   ships (equal to crates/tree-sitter-dockerfile/queries), the editors'
//!   own queries compiled against the grammar, and Neovim 0.11 highlighting
//!   a Dockerfile with a parser built by `tree-sitter build`.
//!
//! A missing tool skips its test with a message, except under `CI=true`,
//! where `.ci/run` installs them and a missing one fails.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use support::TempDir;
use tree_sitter::{Language, Parser, Query, QueryCursor, StreamingIterator};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `name` on PATH, or `None` after saying the test is skipped (a failure
/// under CI).
fn require(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            !ci(),
            "{name} is not installed (CI=true: .ci/run installs it)"
        );
        println!("SKIPPED: {name} not installed");
    }
    found
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

const DOCKERFILE: &str = "\
FROM golang:1.22 AS build
RUN go build -o /app .

FROM alpine:3.20 AS runtime
COPY --from=biuld /app /app
COPY --from=build /app /app2
";

/// What editors/neovim/test/run.lua reports from `nvim`.
fn neovim_session(nvim: &Path) -> Value {
    let dir = TempDir::new("nvim");
    let file = dir.write("app.Dockerfile", DOCKERFILE);
    let out = dir.path().join("out.json");
    let status = Command::new("timeout")
        .args(["90", nvim.to_str().unwrap()])
        .args(["--headless", "--clean", "-i", "NONE", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            root().join("editors/neovim/test/run.lua").display()
        ))
        .arg(&file)
        .current_dir(dir.path())
        .env("BERTH_BIN", env!("CARGO_BIN_EXE_berth"))
        .env("BERTH_OUT", &out)
        .status()
        .expect("nvim runs");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim exited with {status}: {text}");
    serde_json::from_str(&text).expect("the script wrote JSON")
}

fn check_neovim(nvim: &Path, encoding: &str) {
    let r = neovim_session(nvim);
    println!("{r}");
    // Filetype detection for `*.Dockerfile` comes from editors/neovim.
    assert_eq!(r["filetype"], "dockerfile");
    assert_eq!(r["client"], "berth");
    assert_eq!(r["offset_encoding"], encoding);
    let diags = r["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "UndefinedStage");
    assert_eq!(
        (&diags[0]["lnum"], &diags[0]["col"], &diags[0]["end_col"]),
        (&json!(4), &json!(12), &json!(17))
    );
    assert_eq!(diags[0]["severity"], 2); // warning
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .ends_with("did you mean `build`?"));
    // `--from=build` on line 5 goes to `build` in `FROM golang:1.22 AS build`.
    let def = &r["definition"];
    assert_eq!(def.as_array().map(Vec::len), Some(1), "{def}");
    assert_eq!(
        def[0]["targetSelectionRange"],
        json!({"start": {"line": 0, "character": 20}, "end": {"line": 0, "character": 25}})
    );
    assert_eq!(
        def[0]["originSelectionRange"],
        json!({"start": {"line": 5, "character": 12}, "end": {"line": 5, "character": 17}})
    );
    // After `COPY --from=` in the last stage: the stages before it.
    assert_eq!(r["completion"], json!(["build"]));
}

#[test]
fn neovim_from_debian() {
    let Some(nvim) = require("nvim") else { return };
    let version = run(Command::new(&nvim).arg("--version"), "nvim --version");
    println!("{}", version.lines().next().unwrap_or_default());
    // Neovim before 0.10 offers no encodings: UTF-16.
    let old = ["NVIM v0.7.", "NVIM v0.8.", "NVIM v0.9."]
        .iter()
        .any(|v| version.starts_with(v));
    check_neovim(&nvim, if old { "utf-16" } else { "utf-8" });
}

#[test]
fn neovim_0_11() {
    let nvim = std::env::var_os("BERTH_NVIM")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv-nvim/bin/nvim"));
    if !nvim.is_file() {
        println!("SKIPPED: no Neovim 0.11 at {} (BERTH_NVIM)", nvim.display());
        return;
    }
    let version = run(Command::new(&nvim).arg("--version"), "nvim --version");
    assert!(version.starts_with("NVIM v0.1"), "{version}");
    // vim.lsp.config + vim.lsp.enable, reading editors/neovim/lsp/berth.lua.
    check_neovim(&nvim, "utf-8");
}

/// Neovim 0.11 from `BERTH_NVIM` or `.venv-nvim/bin/nvim`, or `None`
/// after saying the test is skipped.
fn nvim_0_11() -> Option<PathBuf> {
    let nvim = std::env::var_os("BERTH_NVIM")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv-nvim/bin/nvim"));
    if !nvim.is_file() {
        println!("SKIPPED: no Neovim 0.11 at {} (BERTH_NVIM)", nvim.display());
        return None;
    }
    Some(nvim)
}

/// The sources of the crate `name` in Cargo's registry, at the version
/// Cargo.lock has, or `None` (vendored sources, another CARGO_HOME).
fn registry_crate(name: &str) -> Option<PathBuf> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains(&format!("name = \"{name}\"\n")))?
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))?
        .trim_end_matches('"')
        .to_string();
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .flatten()
        .map(|index| index.path().join(format!("{name}-{version}")))
        .find(|dir| dir.join("src/parser.c").is_file())
}

const HIGHLIGHTED: &str = "\
# syntax=docker/dockerfile:1
# A comment.
FROM golang:1.22 AS build
RUN apt-get update && \\
    apt-get install -y curl
RUN <<EOF
echo from a heredoc
EOF

FROM alpine:3.20
COPY --from=build /app /app
COPY <<EOT /etc/motd
plain text
EOT
";

/// berth's grammar in Neovim 0.11 without any plugin: the parser built by
/// `tree-sitter build` and set up by `require('berth.treesitter')`, the
/// queries from editors/neovim/treesitter, bash (tree-sitter-bash, built
/// the same way) injected into RUN. editors/neovim/test/treesitter.lua
/// reports what Neovim made of the buffer.
#[test]
fn neovim_0_11_highlights_with_berths_grammar() {
    let Some(nvim) = nvim_0_11() else { return };
    // .ci/run does not install it (nor Neovim 0.11): skipped there too.
    if Command::new("tree-sitter")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("SKIPPED: the tree-sitter CLI is not installed (cargo install tree-sitter-cli)");
        return;
    }
    let Some(bash_dir) = registry_crate("tree-sitter-bash") else {
        println!("SKIPPED: tree-sitter-bash's sources are not in Cargo's registry");
        return;
    };
    let dir = TempDir::new("nvim-ts");
    let build = |grammar: &Path, out: &str| {
        let so = dir.path().join(out);
        run(
            Command::new("tree-sitter")
                .arg("build")
                .arg("-o")
                .arg(&so)
                .arg(grammar),
            "tree-sitter build",
        );
        so
    };
    let parser = build(&root().join(GRAMMAR_DIR), "dockerfile.so");
    let bash = build(&bash_dir, "bash.so");
    dir.write(
        "rtp/queries/bash/highlights.scm",
        tree_sitter_bash::HIGHLIGHT_QUERY,
    );
    let file = dir.write("app.Dockerfile", HIGHLIGHTED);
    let out = dir.path().join("out.json");
    let status = Command::new("timeout")
        .args(["90", nvim.to_str().unwrap()])
        .args(["--headless", "--clean", "-i", "NONE", "-n", "-c"])
        .arg(format!(
            "luafile {}",
            root().join("editors/neovim/test/treesitter.lua").display()
        ))
        .arg(&file)
        .current_dir(dir.path())
        .env("BERTH_TS_PARSER", &parser)
        .env("BERTH_TS_BASH", &bash)
        .env("BERTH_TS_RTP", dir.path().join("rtp"))
        .env("BERTH_OUT", &out)
        .status()
        .expect("nvim runs");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim exited with {status}: {text}");
    let r: Value = serde_json::from_str(&text).expect("the script wrote JSON");
    println!("{r}");
    assert_eq!(r["filetype"], "dockerfile");
    assert_eq!(r["highlighting"], true);
    // Every query compiles in Neovim, and the file Neovim reads is ours.
    for name in ["highlights", "injections", "locals", "folds", "indents"] {
        let q = &r["queries"][name];
        assert_eq!(q["compiles"], true, "{name}");
        let ours = root().join(format!(
            "editors/neovim/treesitter/queries/dockerfile/{name}.scm"
        ));
        assert_eq!(q["files"], json!([ours.to_str().unwrap()]), "{name}");
    }
    let caps = &r["captures"];
    assert_eq!(caps["from"], json!(["dockerfile:keyword"]));
    assert_eq!(caps["alias"], json!(["dockerfile:label"]));
    assert_eq!(caps["comment"], json!(["dockerfile:comment"]));
    assert_eq!(caps["directive"], json!(["dockerfile:keyword.directive"]));
    assert_eq!(
        caps["from_value"],
        json!(["dockerfile:attribute", "dockerfile:label"])
    );
    assert_eq!(caps["copied"], json!(["dockerfile:string"]));
    assert_eq!(r["language"]["copied"], "dockerfile");
    // RUN's commands, on its first and continuation lines and in its
    // heredoc, are bash, highlighted by bash's own query.
    for place in ["command", "continued", "heredoc"] {
        assert_eq!(r["language"][place], "bash", "{place}");
        assert_eq!(caps[place], json!(["bash:function"]), "{place}");
    }
    // One bash region per command (the row it starts on): both lines of the
    // first RUN, the heredoc RUN's `<<EOF`, the heredoc body.
    assert_eq!(r["bash_regions"], json!([[3], [5], [6]]));
    // The continued RUN and the heredoc RUN fold, the heredoc body inside.
    assert_eq!(
        r["foldlevels"],
        json!([0, 0, 0, 1, 1, 1, 2, 2, 0, 0, 0, 1, 2, 2])
    );
}

fn vscode_dir() -> Option<PathBuf> {
    let dir = root().join("editors/vscode");
    if !dir.join("node_modules").is_dir() {
        assert!(
            !ci(),
            "editors/vscode/node_modules is absent: .ci/run runs npm ci"
        );
        println!("SKIPPED: editors/vscode/node_modules absent (run `npm ci` there)");
        return None;
    }
    Some(dir)
}

#[test]
fn vscode_extension_compiles_and_its_tests_pass_against_berth() {
    require("node").expect("node");
    let Some(dir) = vscode_dir() else { return };
    run(
        Command::new("node")
            .arg("node_modules/typescript/bin/tsc")
            .args(["-p", "."])
            .current_dir(&dir),
        "tsc",
    );
    let out = run(
        Command::new("node")
            .args([
                "--test",
                "test/client-options.test.js",
                "test/server.test.js",
                "test/extension.test.js",
            ])
            .env("BERTH_BIN", env!("CARGO_BIN_EXE_berth"))
            .current_dir(&dir),
        "node --test",
    );
    for line in ["# pass 9", "# fail 0", "# skipped 0"] {
        assert!(out.lines().any(|l| l == line), "no `{line}` in:\n{out}");
    }
}

#[test]
fn vscode_vsix_packages_offline() {
    if !(ci() || std::env::var("BERTH_TEST_VSIX").is_ok_and(|v| v == "1")) {
        println!("SKIPPED: set BERTH_TEST_VSIX=1 (or CI=true) to package the .vsix");
        return;
    }
    require("node").expect("node");
    let Some(dir) = vscode_dir() else { return };
    let tmp = TempDir::new("vsix");
    let vsix = tmp.path().join("berth.vsix");
    run(
        Command::new("node")
            .arg("node_modules/@vscode/vsce/vsce")
            .args(["package", "--out"])
            .arg(&vsix)
            .current_dir(&dir)
            .stdin(std::process::Stdio::null()),
        "vsce package",
    );
    let size = std::fs::metadata(&vsix).expect("the .vsix exists").len();
    println!("berth.vsix: {size} bytes");
    assert!(size < 2_000_000, "{size} bytes: node_modules leaked in?");
    let listing = zip_names(&vsix);
    for name in [
        "extension/package.json",
        "extension/out/extension.js",
        "extension/out/config.js",
        "extension/LICENSE.txt",
        "extension/node_modules/vscode-languageclient/package.json",
    ] {
        assert!(
            listing.iter().any(|n| n == name),
            "{name} missing: {listing:?}"
        );
    }
    assert!(!listing
        .iter()
        .any(|n| n.contains("typescript/") || n.ends_with(".ts")));
}

/// The names in a zip file, read with Python's zipfile.
fn zip_names(path: &Path) -> Vec<String> {
    let out = run(
        Command::new("python3").args([
            "-c",
            "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
            path.to_str().unwrap(),
        ]),
        "python3 zipfile",
    );
    out.lines().map(str::to_string).collect()
}

/// A TOML file as JSON, read with Python's tomllib (3.11+).
fn toml(path: &Path) -> Option<Value> {
    require("python3")?;
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], 'rb'))))",
            path.to_str().unwrap(),
        ])
        .output()
        .expect("python3 runs");
    let err = String::from_utf8_lossy(&out.stderr);
    if err.contains("No module named 'tomllib'") {
        assert!(!ci(), "python3 has no tomllib (3.11+ needed)");
        println!("SKIPPED: python3 has no tomllib");
        return None;
    }
    assert!(
        out.status.success(),
        "{} is not valid TOML: {err}",
        path.display()
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn helix_languages_toml() {
    let Some(t) = toml(&root().join("editors/helix/languages.toml")) else {
        return;
    };
    let server = &t["language-server"]["berth"];
    assert_eq!(server["command"], "berth");
    assert_eq!(server["args"], json!(["lsp"]));
    // Only keys Helix reads for a language server.
    for key in server.as_object().unwrap().keys() {
        assert!(
            ["command", "args", "config", "environment", "timeout"].contains(&key.as_str()),
            "unknown key {key}"
        );
    }
    let langs = t["language"].as_array().unwrap();
    assert_eq!(langs.len(), 1);
    assert_eq!(langs[0]["name"], "dockerfile");
    assert_eq!(langs[0]["language-servers"][0], "berth");
    // berth's grammar, in place of Helix's default dockerfile grammar.
    assert_eq!(langs[0]["grammar"], "dockerfile");
    let grammars = t["grammar"].as_array().unwrap();
    assert_eq!(grammars.len(), 1);
    assert_eq!(grammars[0]["name"], "dockerfile");
    let source = &grammars[0]["source"];
    assert_eq!(sorted_keys(source), ["git", "rev", "subpath"]);
    assert_eq!(source["git"], REPOSITORY);
    assert_eq!(source["subpath"], GRAMMAR_DIR);
    assert_full_sha(source["rev"].as_str().unwrap());
}

/// The repository the editors fetch the grammar from: the one
/// editors/zed/extension.toml and editors/vscode/package.json name.
const REPOSITORY: &str = "https://github.com/berth-lsp/berth";
const GRAMMAR_DIR: &str = "crates/tree-sitter-dockerfile";

fn sorted_keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    keys
}

fn assert_full_sha(rev: &str) {
    assert!(
        rev.len() == 40
            && rev
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "`{rev}` is not a full commit SHA (Zed and Helix check out exactly that commit)"
    );
}

fn language() -> Language {
    tree_sitter_berth_dockerfile::LANGUAGE.into()
}

/// `path` compiled against berth's grammar, with every capture name one of
/// `allowed` (or a `_` helper for predicates).
fn editor_query(path: &Path, allowed: &[&str]) -> Query {
    let source =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let q = Query::new(&language(), &source).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for name in q.capture_names() {
        assert!(
            name.starts_with('_') || allowed.contains(name),
            "{}: @{name} is not one of {allowed:?}",
            path.display()
        );
    }
    q
}

/// (capture name, text) of every capture of `q` over `text`, in order.
fn run_query(q: &Query, text: &str) -> Vec<Vec<(String, String)>> {
    let mut parser = Parser::new();
    parser.set_language(&language()).unwrap();
    let tree = parser.parse(text, None).unwrap();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(q, tree.root_node(), text.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = matches.next() {
        out.push(
            m.captures()
                .iter()
                .map(|c| {
                    (
                        q.capture_names()[c.index as usize].to_string(),
                        text[c.node.byte_range()].to_string(),
                    )
                })
                .collect(),
        );
    }
    out
}

/// The query copies each editor ships, equal to the grammar's own
/// (scripts/sync-editor-queries.sh writes them), and nothing else there.
#[test]
fn shipped_queries_equal_the_grammars() {
    let crate_queries = root().join(GRAMMAR_DIR).join("queries");
    let copies: [(&str, &[&str], &[&str]); 3] = [
        (
            "editors/neovim/treesitter/queries/dockerfile",
            &["highlights", "injections", "locals", "folds", "indents"],
            &[],
        ),
        (
            "editors/helix/queries/dockerfile",
            &["highlights", "injections", "locals"],
            &["indents"],
        ),
        (
            "editors/zed/languages/dockerfile",
            &["highlights", "injections"],
            &["brackets", "indents", "outline"],
        ),
    ];
    for (dir, copied, own) in copies {
        for name in copied {
            let original =
                std::fs::read_to_string(crate_queries.join(format!("{name}.scm"))).unwrap();
            let copy = std::fs::read_to_string(root().join(dir).join(format!("{name}.scm")))
                .unwrap_or_else(|e| panic!("{dir}/{name}.scm: {e}"));
            assert!(
                copy == original,
                "{dir}/{name}.scm differs from {GRAMMAR_DIR}/queries/{name}.scm: run scripts/sync-editor-queries.sh"
            );
        }
        let mut found: Vec<String> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".scm"))
            .collect();
        found.sort();
        let mut expected: Vec<String> = copied
            .iter()
            .chain(own)
            .map(|n| format!("{n}.scm"))
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{dir}");
    }
}

/// Helix's indents.scm, in its capture names: continuation lines indent,
/// heredoc bodies do not.
#[test]
fn helix_indents_query() {
    let q = editor_query(
        &root().join("editors/helix/queries/dockerfile/indents.scm"),
        &[
            "indent",
            "outdent",
            "indent.always",
            "outdent.always",
            "align",
            "anchor",
            "extend",
            "extend.prevent-once",
        ],
    );
    let caps = run_query(&q, "RUN a \\\n  b\nRUN <<EOF\necho\nEOF\nUSER app\n");
    let names: Vec<&str> = caps.iter().flatten().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["indent", "indent", "outdent", "indent"]);
}

/// The revision of the grammar that Zed, Helix and nvim-treesitter fetch:
/// the same full SHA everywhere, and (when this is a full git clone) a
/// commit whose grammar has the node types the shipped queries use.
#[test]
fn grammar_revision_is_pinned_alike_everywhere() {
    let Some(zed) = toml(&root().join("editors/zed/extension.toml")) else {
        return;
    };
    let helix = toml(&root().join("editors/helix/languages.toml")).unwrap();
    let lua =
        std::fs::read_to_string(root().join("editors/neovim/lua/berth/treesitter.lua")).unwrap();
    let nvim_rev = lua
        .lines()
        .find_map(|l| l.strip_prefix("M.revision = '"))
        .and_then(|l| l.strip_suffix('\''))
        .expect("lua/berth/treesitter.lua sets M.revision");
    let rev = zed["grammars"]["dockerfile"]["rev"].as_str().unwrap();
    assert_full_sha(rev);
    assert_eq!(helix["grammar"][0]["source"]["rev"], rev);
    assert_eq!(nvim_rev, rev);
    for (key, value) in [("M.url", REPOSITORY), ("M.location", GRAMMAR_DIR)] {
        assert!(lua.contains(&format!("{key} = '{value}'")), "{key}");
    }

    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| o.stdout)
    };
    match git(&["rev-parse", "--is-shallow-repository"]) {
        None => {
            println!("SKIPPED: no git repository to find {rev} in");
            return;
        }
        Some(out) if out.starts_with(b"true") => {
            println!("SKIPPED: a shallow clone may not have {rev}");
            return;
        }
        Some(_) => {}
    }
    assert!(
        git(&["cat-file", "-e", &format!("{rev}^{{commit}}")]).is_some(),
        "{rev} is not a commit of this repository"
    );
    let at_rev = |file: &str| git(&["show", &format!("{rev}:{GRAMMAR_DIR}/{file}")]);
    let now = |file: &str| std::fs::read(root().join(GRAMMAR_DIR).join(file)).unwrap();
    for file in ["src/parser.c", "src/scanner.c", "grammar.js"] {
        assert!(at_rev(file).is_some(), "{rev} has no {GRAMMAR_DIR}/{file}");
    }
    assert!(
        at_rev("src/node-types.json") == Some(now("src/node-types.json")),
        "the grammar at {rev} has other node types than the queries are written for: \
         commit the grammar, then run scripts/sync-editor-queries.sh --pin"
    );
    for file in ["grammar.js", "src/parser.c", "src/scanner.c"] {
        if at_rev(file) != Some(now(file)) {
            println!(
                "note: {GRAMMAR_DIR}/{file} changed since {rev} (same node types); \
                 editors get the change after scripts/sync-editor-queries.sh --pin"
            );
        }
    }
}

#[test]
fn zed_extension() {
    let zed = root().join("editors/zed");
    let Some(manifest) = toml(&zed.join("extension.toml")) else {
        return;
    };
    let id = manifest["id"].as_str().unwrap();
    assert!(
        !id.contains("zed"),
        "Zed refuses ids containing `zed`: {id}"
    );
    assert_eq!(manifest["schema_version"], 1);
    let server = &manifest["language_servers"]["berth"];
    assert_eq!(server["languages"], json!(["Dockerfile"]));
    assert_eq!(server["language_ids"]["Dockerfile"], "dockerfile");
    assert!(zed.join("LICENSE").is_file(), "Zed requires a LICENSE");
    assert_eq!(manifest["repository"], REPOSITORY);

    // berth's grammar, built by Zed from the subfolder at a pinned commit;
    // Zed exports `tree_sitter_<name>` from it, so the name is the C one.
    let grammar = &manifest["grammars"]["dockerfile"];
    assert_eq!(sorted_keys(grammar), ["path", "repository", "rev"]);
    assert_eq!(grammar["repository"], REPOSITORY);
    assert_eq!(grammar["path"], GRAMMAR_DIR);
    assert_full_sha(grammar["rev"].as_str().unwrap());
    let parser = std::fs::read_to_string(root().join(GRAMMAR_DIR).join("src/parser.c")).unwrap();
    assert!(parser.contains("const TSLanguage *tree_sitter_dockerfile(void)"));
    assert!(root().join(GRAMMAR_DIR).join("src/scanner.c").is_file());

    // The language on it, named as the language server's `languages`.
    let lang_dir = zed.join("languages/dockerfile");
    let config = toml(&lang_dir.join("config.toml")).unwrap();
    assert_eq!(config["name"], "Dockerfile");
    assert_eq!(server["languages"][0], config["name"]);
    assert_eq!(config["grammar"], "dockerfile");
    assert_eq!(config["line_comments"], json!(["# "]));
    for suffix in ["Dockerfile", "Containerfile"] {
        assert!(
            config["path_suffixes"]
                .as_array()
                .unwrap()
                .contains(&json!(suffix)),
            "{suffix}"
        );
    }
    // Zed's own queries, against the grammar.
    editor_query(&lang_dir.join("brackets.scm"), &["open", "close"]);
    editor_query(
        &lang_dir.join("indents.scm"),
        &["indent", "start", "end", "outdent"],
    );
    let outline = editor_query(
        &lang_dir.join("outline.scm"),
        &["item", "name", "context", "context.extra", "annotation"],
    );
    // An outline item is the text of its @context and @name captures.
    let items: Vec<String> = run_query(&outline, DOCKERFILE)
        .iter()
        .map(|m| {
            m.iter()
                .filter(|(n, _)| n != "item")
                .map(|(_, t)| t.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        items,
        ["FROM golang:1.22 AS build", "FROM alpine:3.20 AS runtime"]
    );
    let cargo = toml(&zed.join("Cargo.toml")).unwrap();
    assert_eq!(cargo["lib"]["crate-type"], json!(["cdylib"]));
    assert_eq!(
        cargo["dependencies"]["zed_extension_api"], "=0.7.0",
        "the API version Zed's extension host loads"
    );
    assert!(cargo.get("workspace").is_some(), "its own [workspace]");

    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-wasip2"))
        .unwrap_or(false);
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(&zed)
        .env("CARGO_TARGET_DIR", zed.join("target"))
        .env_remove("RUSTFLAGS");
    if installed {
        cmd.args(["build", "--release", "--target", "wasm32-wasip2"]);
        run(&mut cmd, "cargo build (Zed extension, wasm32-wasip2)");
        let wasm = zed.join("target/wasm32-wasip2/release/berth_zed.wasm");
        let size = std::fs::metadata(&wasm).expect("the .wasm exists").len();
        println!("{}: {size} bytes", wasm.display());
    } else {
        println!("wasm32-wasip2 not installed: checking the Zed extension natively");
        run(cmd.arg("check"), "cargo check (Zed extension)");
    }
}
