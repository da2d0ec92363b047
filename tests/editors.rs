//! The editor integrations in editors/, tested with the real clients this
//! machine can run, against the freshly built binary:
//! - Neovim (Debian's, and a second one from `BERTH_NVIM` or
//!   `.venv-nvim/bin/nvim` when present) runs editors/neovim/test/run.lua;
//! - node runs the VS Code extension's tests (client options, and the
//!   protocol client VS Code is built on driving berth), after `tsc`;
//! - the `.vsix` is packaged when `CI=true` or `BERTH_TEST_VSIX=1` (slow);
//! - Helix's languages.toml and Zed's extension.toml are parsed and their
//!   keys checked; the Zed extension is built for wasm32-wasip2 when that
//!   target is installed, else checked natively.
//!
//! A missing tool skips its test with a message, except under `CI=true`,
//! where `.ci/run` installs them and a missing one fails.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use support::TempDir;

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
