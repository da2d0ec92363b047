//! `berth check --format sarif|checkstyle|gnu` and `--select`, through the
//! binary. The SARIF log is checked against what SARIF 2.1.0 requires of
//! each object it contains (by hand: a JSON-schema validator would be a
//! large dependency for one test).

mod support;

use serde_json::Value;
use support::{berth_in, code, stderr, stdout, TempDir};

/// Line 4 has an emoji (two UTF-16 code units) before the stage typo,
/// which is at UTF-16 column 24 (1-based) and character column 23; the
/// stage `builder` is defined on line 1, columns 21..28.
const TYPO: &str = "\
FROM golang:1.23 AS builder
RUN go build -o /app .
FROM scratch
COPY --chown=\u{1f6a2} --from=buidler /app /app
COPY --from=buidler /app /app
";

fn sarif(dir: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["check", "--format", "sarif", "--no-shellcheck"];
    args.extend_from_slice(extra);
    let o = berth_in(dir, &args);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(&o)))
}

fn string<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what} must be a string, got {v}"))
}

fn positive(v: &Value, what: &str) -> u64 {
    let n = v
        .as_u64()
        .unwrap_or_else(|| panic!("{what} must be an integer, got {v}"));
    assert!(n >= 1, "{what} must be at least 1");
    n
}

/// A `message` object: `text` is required (we never use `id`).
fn check_message(m: &Value, what: &str) {
    string(&m["text"], &format!("{what}.text"));
}

/// A URI or URI reference: no characters that must be percent-encoded.
fn check_uri(u: &str, what: &str) {
    assert!(!u.is_empty(), "{what} is empty");
    assert!(
        u.chars()
            .all(|c| c.is_ascii() && !c.is_ascii_control() && !" \"<>\\^`{|}".contains(c)),
        "{what} is not a valid URI reference: {u:?}"
    );
}

fn check_location(l: &Value, what: &str) {
    let pl = &l["physicalLocation"];
    assert!(pl.is_object(), "{what}.physicalLocation");
    let al = &pl["artifactLocation"];
    check_uri(string(&al["uri"], "artifactLocation.uri"), what);
    if let Some(base) = al.get("uriBaseId") {
        string(base, "uriBaseId");
    }
    let r = &pl["region"];
    let sl = positive(&r["startLine"], "startLine");
    let sc = positive(&r["startColumn"], "startColumn");
    let el = positive(&r["endLine"], "endLine");
    let ec = positive(&r["endColumn"], "endColumn");
    assert!(
        el > sl || (el == sl && ec >= sc),
        "{what}: region ends before it starts: {r}"
    );
}

const LEVELS: &[&str] = &["none", "note", "warning", "error"];

/// Everything SARIF 2.1.0 requires of the objects berth writes.
fn check_sarif(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    string(&log["$schema"], "$schema");
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1, "one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "berth");
    string(&driver["version"], "driver.version");
    check_uri(
        string(&driver["informationUri"], "informationUri"),
        "informationUri",
    );
    assert!(
        string(&driver["informationUri"], "").contains("://"),
        "absolute"
    );
    let rules = driver["rules"]
        .as_array()
        .expect("driver.rules is an array");
    let mut ids = Vec::new();
    for r in rules {
        let id = string(&r["id"], "rule id").to_string();
        assert!(!ids.contains(&id), "rule {id} listed twice");
        ids.push(id);
        check_message(&r["shortDescription"], "shortDescription");
        if let Some(f) = r.get("fullDescription") {
            check_message(f, "fullDescription");
        }
        if let Some(h) = r.get("help") {
            check_message(h, "help");
        }
        if let Some(u) = r.get("helpUri") {
            check_uri(string(u, "helpUri"), "helpUri");
        }
        let level = string(
            &r["defaultConfiguration"]["level"],
            "defaultConfiguration.level",
        );
        assert!(LEVELS.contains(&level), "{level}");
    }
    assert!(
        ["utf16CodeUnits", "unicodeCodePoints"].contains(&string(&run["columnKind"], "columnKind"))
    );
    if let Some(bases) = run.get("originalUriBaseIds") {
        for (k, v) in bases.as_object().expect("originalUriBaseIds is an object") {
            let u = string(&v["uri"], k);
            check_uri(u, k);
            assert!(u.starts_with("file:///") && u.ends_with('/'), "{k}: {u}");
        }
    }
    for res in run["results"].as_array().expect("results is an array") {
        check_message(&res["message"], "result.message");
        let id = string(&res["ruleId"], "ruleId");
        let idx = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], id, "ruleIndex points at the rule");
        assert!(LEVELS.contains(&string(&res["level"], "level")));
        let locs = res["locations"].as_array().expect("locations");
        assert_eq!(locs.len(), 1);
        check_location(&locs[0], "location");
        if let Some(rel) = res.get("relatedLocations") {
            let mut seen = Vec::new();
            for l in rel.as_array().expect("relatedLocations is an array") {
                let id = l["id"].as_u64().expect("related location id");
                assert!(!seen.contains(&id), "related ids are unique");
                seen.push(id);
                check_message(&l["message"], "relatedLocation.message");
                check_location(l, "relatedLocation");
            }
        }
    }
    // Every rule listed fired.
    for id in &ids {
        assert!(
            run["results"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["ruleId"] == id.as_str()),
            "{id} listed but never fired"
        );
    }
}

#[test]
fn sarif_is_valid_and_positions_are_utf16() {
    let t = TempDir::new("sarif");
    t.write("web app/Dockerfile", TYPO);
    let log = sarif(t.path(), &["."]);
    check_sarif(&log);
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    let typo = results
        .iter()
        .find(|r| r["ruleId"] == "UndefinedStage")
        .unwrap_or_else(|| panic!("no UndefinedStage in {run}"));
    let loc = &typo["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "web%20app/Dockerfile");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 4);
    assert_eq!(loc["region"]["startColumn"], 24);
    assert_eq!(loc["region"]["endColumn"], 31);
    let related = &typo["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 1);
    assert_eq!(related["physicalLocation"]["region"]["startColumn"], 21);
    assert_eq!(typo["properties"]["aliases"][0], "DL3022");
    let base = string(&run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "root");
    assert!(base.ends_with('/'), "{base}");
    // The rule is described from its documentation.
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules.iter().find(|r| r["id"] == "UndefinedStage").unwrap();
    assert_eq!(rule["properties"]["aliases"][0], "DL3022");
    assert!(string(&rule["help"]["markdown"], "help").contains("## "));
    assert!(!string(&rule["fullDescription"]["text"], "full").contains("## "));
    assert_eq!(rule["defaultConfiguration"]["level"], "warning");
}

#[test]
fn sarif_of_a_clean_file_has_no_rules_and_no_results() {
    let t = TempDir::new("sarif-clean");
    t.write("Dockerfile", "FROM alpine:3.20\n");
    let log = sarif(t.path(), &["--select", "UndefinedStage", "Dockerfile"]);
    check_sarif(&log);
    assert_eq!(log["runs"][0]["results"], Value::Array(vec![]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"],
        Value::Array(vec![])
    );
}

#[test]
fn sarif_paths_outside_the_directory_are_absolute_file_uris() {
    let t = TempDir::new("sarif-out");
    let f = t.write("Dockerfile", TYPO);
    let inner = t.write("sub/keep", "");
    let log = sarif(inner.parent().unwrap(), &[f.to_str().unwrap()]);
    check_sarif(&log);
    let uri = string(
        &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "uri",
    );
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/Dockerfile"),
        "{uri}"
    );
}

#[test]
fn checkstyle_escapes_and_lists_every_file() {
    let t = TempDir::new("checkstyle");
    t.write("a&b/Dockerfile", TYPO);
    t.write("clean/Dockerfile", "FROM alpine:3.20\n");
    let o = berth_in(
        t.path(),
        &["check", "--format", "checkstyle", "--no-shellcheck", "."],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
        ),
        "{out}"
    );
    assert!(out.ends_with("</checkstyle>\n"), "{out}");
    assert!(out.contains("<file name=\"a&amp;b/Dockerfile\">"), "{out}");
    assert!(
        out.contains("<file name=\"clean/Dockerfile\">\n  </file>"),
        "{out}"
    );
    assert!(
        out.contains("<error line=\"4\" column=\"23\" severity=\"warning\" message=\"`buidler` "),
        "{out}"
    );
    assert!(out.contains("source=\"UndefinedStage\"/>"), "{out}");
    // Every `&` starts an entity; no raw `<` inside attribute values.
    for (i, _) in out.match_indices('&') {
        let rest = &out[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "bare & at {i}: {out}"
        );
    }
    for line in out.lines().filter(|l| l.contains("<error ")) {
        let inner = line.trim().trim_start_matches('<').trim_end_matches("/>");
        assert!(!inner.contains('<') && !inner.contains('>'), "{line}");
    }
}

#[test]
fn gnu_lines() {
    let t = TempDir::new("gnu");
    t.write("Dockerfile", TYPO);
    let o = berth_in(
        t.path(),
        &["check", "--format", "gnu", "--no-shellcheck", "Dockerfile"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out
        .lines()
        .filter(|l| l.ends_with("[UndefinedStage]"))
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].starts_with("Dockerfile:4:23: warning: `buidler` "),
        "{out}"
    );
    assert!(
        out.lines()
            .all(|l| l.starts_with("Dockerfile:") && l.contains(": ")),
        "{out}"
    );
    assert!(lines[1].starts_with("Dockerfile:5:13: warning: "), "{out}");
}

#[test]
fn select_runs_only_the_named_rules() {
    let t = TempDir::new("select");
    t.write(
        "Dockerfile",
        "FROM alpine AS unused\nFROM alpine AS a\nFROM alpine AS a\nCOPY --from=nope /x /x\n",
    );
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json", "--no-shellcheck", "Dockerfile"];
        all.extend_from_slice(args);
        let o = berth_in(t.path(), &all);
        let v: Value = serde_json::from_slice(&o.stdout).expect("json");
        let mut c: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        c.dedup();
        c
    };
    let all = codes(&[]);
    assert!(all.contains(&"DuplicateStageName".to_string()), "{all:?}");
    assert!(all.contains(&"UndefinedStage".to_string()), "{all:?}");
    assert_eq!(codes(&["--select", "UndefinedStage"]), ["UndefinedStage"]);
    // By alias, and repeated or comma-separated.
    assert_eq!(codes(&["--select=DL3024"]), ["DuplicateStageName"]);
    assert_eq!(
        codes(&["--select", "DL3024,UndefinedStage"]),
        ["DuplicateStageName", "UndefinedStage"]
    );
    // A rule off by default in the CLI runs when selected.
    assert_eq!(codes(&["--select", "UnusedStage"]), ["UnusedStage"]);
    // An unknown code is warned about.
    let o = berth_in(
        t.path(),
        &[
            "check",
            "--select",
            "Nope1",
            "--no-shellcheck",
            "Dockerfile",
        ],
    );
    assert!(
        stderr(&o).contains("--select Nope1: no rule"),
        "{}",
        stderr(&o)
    );
    assert_eq!(code(&o), 0, "nothing selected fires");
}

/// One `ENV` line of `pairs` pairs `Vn=${Vm}`, each pair a finding of its
/// own (UndefinedVar names `Vm`).
fn huge_env_line(pairs: usize) -> String {
    let mut s = String::from("FROM scratch\nENV");
    for i in 0..pairs {
        s.push_str(&format!(" V{i}=${{W{i}}}"));
    }
    s.push('\n');
    s
}

/// Each human finding shows a window of a long line, not all of it: the
/// output grows with the findings, not with findings times the line's
/// length (10,000 findings on a 200 KB line printed 2 GB). JSON is written
/// element by element and stays one valid array.
#[test]
fn findings_on_one_huge_line_print_in_linear_size() {
    let dir = TempDir::new("huge-line");
    let pairs = 10_000;
    let text = huge_env_line(pairs);
    dir.write("Dockerfile", &text);
    let o = berth_in(dir.path(), &["check", "--no-shellcheck", "Dockerfile"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    let findings = out.matches("UndefinedVar").count();
    assert!(findings >= pairs, "{findings} UndefinedVar findings");
    assert!(
        out.len() < findings * 1_000,
        "{} bytes of output for {findings} findings on a {}-byte line",
        out.len(),
        text.len()
    );
    assert!(out.contains("…"), "the long line is cut");

    let o = berth_in(
        dir.path(),
        &["check", "--no-shellcheck", "--format", "json", "Dockerfile"],
    );
    let items: Value = serde_json::from_slice(&o.stdout).expect("one JSON array");
    let items = items.as_array().unwrap();
    assert!(items.len() >= pairs, "{}", items.len());
    assert_eq!(items[0]["file"], "Dockerfile");
}

/// No findings: JSON output is still an empty array.
#[test]
fn json_without_findings_is_an_empty_array() {
    let dir = TempDir::new("json-empty");
    dir.write("app", "#!/bin/false\n");
    dir.write(
        "Dockerfile",
        "FROM scratch\nCOPY --chmod=0755 app /app\nENTRYPOINT [\"/app\"]\n",
    );
    let o = berth_in(
        dir.path(),
        &["check", "--no-shellcheck", "--format", "json", "Dockerfile"],
    );
    assert_eq!(stdout(&o), "[]\n", "{}", stderr(&o));
}
