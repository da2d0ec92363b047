//! The tree-sitter queries shipped with berth's grammar
//! (crates/tree-sitter-dockerfile/queries/*.scm), compiled against the
//! grammar and run the way editors run them over the Dockerfiles in
//! examples/ (and ../shared/examples beside the repository, when present)
//! and over small fixtures:
//! - locals: a stage name after `AS` is a definition, the value of
//!   `--from=` and the image of `FROM` are references (to the same name);
//! - injections: a RUN's shell form and a RUN heredoc body are bash, one
//!   region per command (the regions are parsed with tree-sitter-bash, as an
//!   editor would, and their commands checked);
//! - highlights: comments, keywords, stage names; every capture name is one
//!   of a fixed list of names Neovim, Helix and Zed all style; no node gets
//!   two captures (editors disagree on which would win);
//! - folds and indents: multi-line instructions fold; continuation lines
//!   indent and the line after an instruction does not, under a model of
//!   nvim-treesitter's indent algorithm.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use tree_sitter::{
    Language, Node, Parser, Point, Query, QueryCursor, Range, StreamingIterator, Tree,
};
use tree_sitter_berth_dockerfile as grammar;

/// Highlight capture names that are standard in nvim-treesitter and are
/// also Helix theme scopes (Zed's themes match them by their first dotted
/// components), so one highlights.scm serves the three editors.
const HIGHLIGHT_NAMES: &[&str] = &[
    "attribute",
    "comment",
    "constant",
    "constant.builtin",
    "constructor",
    "function",
    "function.builtin",
    "function.macro",
    "function.method",
    "keyword",
    "keyword.directive",
    "keyword.function",
    "keyword.operator",
    "label",
    "operator",
    "punctuation.bracket",
    "punctuation.delimiter",
    "punctuation.special",
    "string",
    "string.regexp",
    "string.special",
    "string.special.path",
    "string.special.symbol",
    "string.special.url",
    "tag",
    "type",
    "type.builtin",
    "variable",
    "variable.builtin",
    "variable.parameter",
];

const INSTRUCTIONS: &[&str] = &[
    "from_instruction",
    "run_instruction",
    "cmd_instruction",
    "label_instruction",
    "expose_instruction",
    "env_instruction",
    "add_instruction",
    "copy_instruction",
    "entrypoint_instruction",
    "volume_instruction",
    "user_instruction",
    "workdir_instruction",
    "arg_instruction",
    "onbuild_instruction",
    "stopsignal_instruction",
    "healthcheck_instruction",
    "shell_instruction",
    "maintainer_instruction",
    "unknown_instruction",
];

/// Every instruction over two lines.
const MULTI_LINE: &str = "\
FROM \\\n  alpine AS base
RUN a \\\n  b
CMD a \\\n  b
LABEL a=b \\\n  c=d
EXPOSE 80 \\\n  443
ENV a=b \\\n  c=d
ADD a \\\n  b
COPY --from=base \\\n  a b
ENTRYPOINT a \\\n  b
VOLUME a \\\n  b
USER a \\\n  b
WORKDIR a \\\n  b
ARG a \\\n  b
ONBUILD RUN a \\\n  b
STOPSIGNAL a \\\n  b
HEALTHCHECK CMD a \\\n  b
SHELL [\"a\", \\\n  \"b\"]
MAINTAINER a \\\n  b
FOO a \\\n  b
";

fn language() -> Language {
    grammar::LANGUAGE.into()
}

fn query(name: &str, source: &str) -> Query {
    Query::new(&language(), source).unwrap_or_else(|e| panic!("queries/{name}.scm: {e}"))
}

fn parse(text: &str) -> Tree {
    let mut parser = Parser::new();
    parser.set_language(&language()).unwrap();
    parser.parse(text, None).unwrap()
}

/// The Dockerfiles to run the queries over: examples/, and
/// ../shared/examples when it exists.
fn example_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = dockerfiles(&root.join("examples"));
    assert!(!files.is_empty(), "examples/ has no Dockerfile");
    let shared = root.join("../shared/examples");
    if shared.is_dir() {
        files.extend(dockerfiles(&shared));
    } else {
        eprintln!(
            "SKIPPED: {} is absent; only examples/ is checked",
            shared.display()
        );
    }
    files
}

fn dockerfiles(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.contains("Dockerfile") || n.contains("Containerfile"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

struct Doc {
    name: String,
    text: String,
    tree: Tree,
}

impl Doc {
    fn new(name: &str, text: &str) -> Doc {
        Doc {
            name: name.to_string(),
            text: text.to_string(),
            tree: parse(text),
        }
    }

    fn text_of(&self, node: Node) -> &str {
        &self.text[node.byte_range()]
    }

    /// Every node of the tree, named or not, in document order.
    fn nodes(&self) -> Vec<Node<'_>> {
        let mut out = Vec::new();
        let mut stack = vec![self.tree.root_node()];
        while let Some(node) = stack.pop() {
            out.push(node);
            for i in (0..node.child_count()).rev() {
                stack.push(node.child(i).unwrap());
            }
        }
        out
    }

    fn nodes_of_kind(&self, kind: &str) -> Vec<Node<'_>> {
        self.nodes()
            .into_iter()
            .filter(|n| n.kind() == kind)
            .collect()
    }
}

fn docs() -> Vec<Doc> {
    example_files()
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            Doc::new(&p.display().to_string(), &text)
        })
        .collect()
}

/// The captures of `q` over `doc`, without the `_`-prefixed helper
/// captures that predicates use: (capture name, node).
fn captures<'d>(q: &Query, doc: &'d Doc) -> Vec<(String, Node<'d>)> {
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(q, doc.tree.root_node(), doc.text.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = matches.next() {
        for c in m.captures() {
            let name = q.capture_names()[c.index as usize];
            if !name.starts_with('_') {
                out.push((name.to_string(), c.node));
            }
        }
    }
    out
}

fn captured_as(caps: &[(String, Node)], node: Node) -> Vec<String> {
    caps.iter()
        .filter(|(_, n)| *n == node)
        .map(|(name, _)| name.clone())
        .collect()
}

/// An injected region: its language and the ranges parsed together.
#[derive(Debug)]
struct Region {
    language: String,
    ranges: Vec<Range>,
}

/// The injections of `doc` as Neovim, Helix and Zed compute them: the
/// language from `injection.language`; the content node whole with
/// `injection.include-children` (or when it has no named children), else
/// without its named children; `injection.combined` merges every match of
/// the pattern into one region. Each match must capture exactly one content
/// node: Neovim keeps only the last of several, Zed keeps all.
fn injections(q: &Query, doc: &Doc) -> Vec<Region> {
    let content = q
        .capture_index_for_name("injection.content")
        .expect("injections.scm captures @injection.content");
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(q, doc.tree.root_node(), doc.text.as_bytes());
    let mut regions = Vec::new();
    let mut combined: HashMap<usize, Region> = HashMap::new();
    while let Some(m) = matches.next() {
        let props = q.property_settings(m.pattern_index);
        let has = |key: &str| props.iter().any(|p| &*p.key == key);
        let language = props
            .iter()
            .find(|p| &*p.key == "injection.language")
            .and_then(|p| p.value.as_deref())
            .expect("every injection names its language")
            .to_string();
        let nodes: Vec<Node> = m.nodes_for_capture_index(content).collect();
        assert_eq!(nodes.len(), 1, "{}: one content node per match", doc.name);
        let node = nodes[0];
        let ranges = if has("injection.include-children") || node.named_child_count() == 0 {
            vec![node.range()]
        } else {
            without_children(node)
        };
        if has("injection.combined") {
            combined
                .entry(m.pattern_index)
                .or_insert_with(|| Region {
                    language: language.clone(),
                    ranges: Vec::new(),
                })
                .ranges
                .extend(ranges);
        } else {
            regions.push(Region { language, ranges });
        }
    }
    regions.extend(combined.into_values());
    regions
}

fn without_children(node: Node) -> Vec<Range> {
    let mut out = Vec::new();
    let (mut byte, mut point) = (node.start_byte(), node.start_position());
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        if child.start_byte() > byte {
            out.push(range(
                byte,
                point,
                child.start_byte(),
                child.start_position(),
            ));
        }
        (byte, point) = (child.end_byte(), child.end_position());
    }
    if node.end_byte() > byte {
        out.push(range(byte, point, node.end_byte(), node.end_position()));
    }
    out
}

fn range(start_byte: usize, start_point: Point, end_byte: usize, end_point: Point) -> Range {
    Range {
        start_byte,
        end_byte,
        start_point,
        end_point,
    }
}

fn covers(region: &Region, node: Node) -> bool {
    region
        .ranges
        .iter()
        .any(|r| r.start_byte <= node.start_byte() && node.end_byte() <= r.end_byte)
}

/// The region parsed as bash (tree-sitter-bash, berth's own dependency),
/// as an editor parses an injection: the document's text, restricted to
/// the region's ranges. Returns the tree and the names of its commands.
fn bash(doc: &Doc, region: &Region) -> (Tree, Vec<String>) {
    assert_eq!(region.language, "bash");
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_bash::LANGUAGE.into())
        .unwrap();
    parser.set_included_ranges(&region.ranges).unwrap();
    let tree = parser.parse(&doc.text, None).unwrap();
    let mut names = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.kind() == "command_name" {
            names.push(doc.text[node.byte_range()].to_string());
        }
        for i in (0..node.child_count()).rev() {
            stack.push(node.child(i).unwrap());
        }
    }
    (tree, names)
}

#[test]
fn every_query_compiles_and_uses_only_known_capture_names() {
    let files: [(&str, &str, &[&str]); 5] = [
        ("highlights", grammar::HIGHLIGHTS_QUERY, HIGHLIGHT_NAMES),
        (
            "injections",
            grammar::INJECTIONS_QUERY,
            &["injection.content", "injection.language"],
        ),
        (
            "locals",
            grammar::LOCALS_QUERY,
            &["local.scope", "local.definition", "local.reference"],
        ),
        ("folds", grammar::FOLDS_QUERY, &["fold"]),
        (
            "indents",
            grammar::INDENTS_QUERY,
            &[
                "indent.begin",
                "indent.end",
                "indent.align",
                "indent.dedent",
                "indent.branch",
                "indent.ignore",
                "indent.auto",
                "indent.zero",
            ],
        ),
    ];
    for (name, source, allowed) in files {
        assert!(
            source
                .lines()
                .any(|l| l.starts_with('(') || l.starts_with('[')),
            "queries/{name}.scm has no pattern"
        );
        let q = query(name, source);
        for capture in q.capture_names() {
            assert!(
                capture.starts_with('_') || allowed.contains(capture),
                "queries/{name}.scm: @{capture} is not one of {allowed:?}"
            );
        }
        // Only the settings editors read.
        for i in 0..q.pattern_count() {
            for p in q.property_settings(i) {
                assert!(
                    [
                        "injection.language",
                        "injection.include-children",
                        "injection.combined"
                    ]
                    .contains(&&*p.key),
                    "queries/{name}.scm: #set! {}",
                    p.key
                );
            }
        }
    }
}

#[test]
fn stage_names_are_definitions_and_from_values_references() {
    let q = query("locals", grammar::LOCALS_QUERY);
    let mut same_name = Vec::new();
    for doc in docs() {
        let caps = captures(&q, &doc);
        assert!(captured_as(&caps, doc.tree.root_node()).contains(&"local.scope".to_string()));
        let definitions: BTreeSet<&str> = caps
            .iter()
            .filter(|(n, _)| n == "local.definition")
            .map(|(_, node)| doc.text_of(*node))
            .collect();
        for from in doc.nodes_of_kind("from_instruction") {
            if let Some(alias) = from.child_by_field_name("as") {
                assert_eq!(
                    captured_as(&caps, alias),
                    ["local.definition"],
                    "{}: `AS {}`",
                    doc.name,
                    doc.text_of(alias)
                );
            }
            let image = from.child_by_field_name("image").unwrap();
            assert_eq!(
                captured_as(&caps, image),
                ["local.reference"],
                "{}",
                doc.name
            );
        }
        for param in doc.nodes_of_kind("param") {
            let name = doc.text_of(param.child_by_field_name("name").unwrap());
            let Some(value) = param.child_by_field_name("value") else {
                continue;
            };
            let expected: &[&str] = if name == "from" {
                &["local.reference"]
            } else {
                &[]
            };
            assert_eq!(
                captured_as(&caps, value),
                expected,
                "{}: --{name}={}",
                doc.name,
                doc.text_of(value)
            );
            if name == "from" && definitions.contains(doc.text_of(value)) {
                same_name.push(format!("{}: {}", doc.name, doc.text_of(value)));
            }
        }
    }
    // At least one `COPY --from=name` refers to a stage defined by `AS name`.
    assert!(
        !same_name.is_empty(),
        "no --from= names a stage defined with AS"
    );
}

#[test]
fn run_commands_and_heredocs_are_bash_one_region_per_command() {
    let q = query("injections", grammar::INJECTIONS_QUERY);
    let mut fragments = 0;
    for doc in docs() {
        let regions = injections(&q, &doc);
        for run in doc.nodes_of_kind("run_instruction") {
            for fragment in doc.nodes_of_kind("shell_fragment") {
                if !(run.start_byte() <= fragment.start_byte()
                    && fragment.end_byte() <= run.end_byte())
                {
                    continue;
                }
                fragments += 1;
                let mine: Vec<&Region> = regions.iter().filter(|r| covers(r, fragment)).collect();
                assert_eq!(mine.len(), 1, "{}: {:?}", doc.name, doc.text_of(fragment));
                assert_eq!(mine[0].language, "bash");
                // The region stays inside this RUN.
                for r in &mine[0].ranges {
                    assert!(
                        run.start_byte() <= r.start_byte && r.end_byte <= run.end_byte(),
                        "{}: a bash region reaches out of `{}`",
                        doc.name,
                        doc.text_of(run)
                    );
                }
                let (tree, names) = bash(&doc, mine[0]);
                assert!(
                    !names.is_empty(),
                    "{}: no command in {:?}",
                    doc.name,
                    doc.text_of(run)
                );
                // Examples are valid shell (broken.Dockerfile's mistakes
                // are Dockerfile mistakes).
                assert!(
                    !tree.root_node().has_error(),
                    "{}: bash error in {:?}",
                    doc.name,
                    doc.text_of(run)
                );
            }
        }
        // Exec form is JSON, never bash.
        for array in doc.nodes_of_kind("json_string_array") {
            assert!(!regions.iter().any(|r| covers(r, array)), "{}", doc.name);
        }
    }
    assert!(fragments > 0, "no RUN shell form in the examples");
}

#[test]
fn bash_regions_keep_commands_apart_and_continuations_together() {
    let q = query("injections", grammar::INJECTIONS_QUERY);
    let doc = Doc::new(
        "fixture",
        "FROM debian\n\
         RUN apt-get update && \\\n    apt-get install -y curl\n\
         RUN echo a\n\
         RUN ls -l\n\
         CMD ps\n\
         ENTRYPOINT [\"/app\"]\n\
         LABEL x=y\n",
    );
    let regions = injections(&q, &doc);
    let commands: Vec<Vec<String>> = regions
        .iter()
        .map(|r| {
            let (tree, names) = bash(&doc, r);
            assert!(!tree.root_node().has_error(), "{r:?}");
            names
        })
        .collect();
    // Combining the fragments of every RUN in one region would make
    // `echo a` and `ls -l` one command, `echo als -l`.
    assert_eq!(
        commands,
        [
            vec!["apt-get", "apt-get"],
            vec!["echo"],
            vec!["ls"],
            vec!["ps"]
        ]
    );
}

#[test]
fn run_heredoc_bodies_are_bash_copy_heredocs_are_text() {
    let injections_q = query("injections", grammar::INJECTIONS_QUERY);
    let highlights_q = query("highlights", grammar::HIGHLIGHTS_QUERY);
    let doc = Doc::new(
        "fixture",
        "FROM alpine\n\
         RUN <<EOF\nset -e\napk add curl\nEOF\n\
         COPY <<CONF /etc/app.conf\nif = then\nCONF\n",
    );
    let regions = injections(&injections_q, &doc);
    let bodies = doc.nodes_of_kind("heredoc_content");
    assert_eq!(bodies.len(), 2);
    let run_body: Vec<&Region> = regions.iter().filter(|r| covers(r, bodies[0])).collect();
    assert_eq!(run_body.len(), 1, "{regions:?}");
    assert_eq!(run_body[0].ranges, [bodies[0].range()]);
    let (tree, names) = bash(&doc, run_body[0]);
    assert!(!tree.root_node().has_error());
    assert_eq!(names, ["set", "apk"]);
    assert!(!regions.iter().any(|r| covers(r, bodies[1])), "{regions:?}");
    let caps = captures(&highlights_q, &doc);
    assert_eq!(captured_as(&caps, bodies[1]), ["string"]);
    assert!(captured_as(&caps, bodies[0]).is_empty());
}

#[test]
fn highlights_cover_comments_keywords_and_stages_once_each() {
    let q = query("highlights", grammar::HIGHLIGHTS_QUERY);
    let mut docs = docs();
    docs.push(Doc::new(
        "fixture",
        "# syntax=docker/dockerfile:1\n\
         # escape=\\\n\
         # A plain comment.\n\
         FROM alpine AS base\n\
         HEALTHCHECK NONE\n\
         COPY --from=base --chown=app /a /b\n\
         RUN echo $HOME\n",
    ));
    let mut comments = 0;
    for doc in &docs {
        let caps = captures(&q, doc);
        let mut seen = HashSet::new();
        for (name, node) in &caps {
            assert!(
                seen.insert(node.id()),
                "{}: `{}` ({}) captured twice, the second time as @{name}",
                doc.name,
                doc.text_of(*node),
                node.kind()
            );
        }
        for comment in doc.nodes_of_kind("comment") {
            comments += 1;
            let text = doc.text_of(comment);
            let directive = ["# syntax=", "# escape=", "# check="]
                .iter()
                .any(|d| text.starts_with(d));
            let expected = if directive {
                "keyword.directive"
            } else {
                "comment"
            };
            assert_eq!(
                captured_as(&caps, comment),
                [expected],
                "{}: {text}",
                doc.name
            );
        }
        for kind in INSTRUCTIONS {
            for node in doc.nodes_of_kind(kind) {
                let keyword = node.child(0).unwrap();
                if kind != &"unknown_instruction" {
                    assert!(!keyword.is_named());
                }
                assert_eq!(
                    captured_as(&caps, keyword),
                    ["keyword"],
                    "{}: {}",
                    doc.name,
                    doc.text_of(node)
                );
            }
        }
        for alias in doc.nodes_of_kind("image_alias") {
            assert_eq!(captured_as(&caps, alias), ["label"], "{}", doc.name);
        }
        for node in doc.nodes_of_kind("shell_fragment") {
            assert!(captured_as(&caps, node).is_empty(), "bash colours it");
        }
    }
    assert!(comments >= 3);
    let fixture = docs.last().unwrap();
    let caps = captures(&q, fixture);
    let names = |kind: &str| -> Vec<String> {
        fixture
            .nodes_of_kind(kind)
            .into_iter()
            .flat_map(|n| captured_as(&caps, n))
            .collect()
    };
    assert_eq!(names("NONE"), ["constant.builtin"]);
    assert_eq!(names("param"), ["attribute", "attribute"]);
    assert_eq!(names("param_value"), ["label", "string"]);
    assert_eq!(
        names("path"),
        ["string.special.path", "string.special.path"]
    );
    assert_eq!(names("image_spec"), ["string.special"]);
}

/// The indent nvim-treesitter gives `row` (in levels), modelled on its
/// algorithm for the captures these queries use: a blank line takes the
/// node that ends the previous non-blank line (the next line's node instead
/// when that one is @indent.end); @indent.zero puts a line at the margin;
/// each @indent.begin ancestor that spans lines and starts on an earlier
/// row adds a level, once per starting row.
fn nvim_indent(doc: &Doc, caps: &[(String, Node)], row: usize) -> usize {
    let is = |name: &str, node: Node| caps.iter().any(|(n, c)| n == name && *c == node);
    let lines: Vec<&str> = doc.text.split('\n').collect();
    let root = doc.tree.root_node();
    let at = |row: usize, column: usize| {
        let p = Point { row, column };
        root.descendant_for_point_range(p, p).unwrap()
    };
    let indent_of = |line: &str| line.len() - line.trim_start().len();
    let mut node = if lines[row].trim().is_empty() {
        let Some(prev) = (0..row).rev().find(|r| !lines[*r].trim().is_empty()) else {
            return 0;
        };
        let last = lines[prev].trim_end().len() - 1;
        let node = at(prev, last);
        if is("indent.end", node) {
            at(row, 0)
        } else {
            node
        }
    } else {
        at(row, indent_of(lines[row]))
    };
    if is("indent.zero", node) {
        return 0;
    }
    let mut indent = 0;
    let mut rows = HashSet::new();
    loop {
        let (start, end) = (node.start_position().row, node.end_position().row);
        if !rows.contains(&start) && is("indent.begin", node) && start != end && start != row {
            indent += 1;
            rows.insert(start);
        }
        match node.parent() {
            Some(parent) => node = parent,
            None => return indent,
        }
    }
}

#[test]
fn continuation_lines_indent_and_the_next_instruction_does_not() {
    let q = query("indents", grammar::INDENTS_QUERY);
    // Each line with the indent level expected for it, as typed: the blank
    // lines are where the cursor lands after Enter.
    let cases: &[&[(&str, usize)]] = &[
        &[
            ("FROM debian AS base", 0),
            ("RUN apt-get update && \\", 0),
            ("    apt-get install -y curl", 1),
            ("", 0),
            ("ENV A=1 \\", 0),
            ("    B=2", 1),
            ("COPY --from=base \\", 0),
            ("    /a /b", 1),
            ("CMD [\"a\", \\", 0),
            ("    \"b\"]", 1),
            ("", 0),
            ("RUN <<EOF", 0),
            ("set -e", 0),
            ("EOF", 0),
            ("", 0),
            ("LABEL a=b", 0),
        ],
        // Enter after a trailing `\` in the middle of the file (BuildKit
        // skips the blank line, the instruction goes on) ...
        &[("RUN a && \\", 0), ("", 1), ("    b", 1), ("USER app", 0)],
        // ... and at its end, where the instruction has ended.
        &[("FROM alpine", 0), ("RUN a && \\", 0), ("", 1)],
    ];
    for lines in cases {
        let text: String = lines.iter().map(|(l, _)| format!("{l}\n")).collect();
        let doc = Doc::new("fixture", &text);
        let caps = captures(&q, &doc);
        let got: Vec<(&str, usize)> = lines
            .iter()
            .enumerate()
            .map(|(row, (line, _))| (*line, nvim_indent(&doc, &caps, row)))
            .collect();
        assert_eq!(got, lines.to_vec(), "{text}");
    }
    // Over the examples and every kind of instruction: a continuation line
    // is indented one level, the first line of an instruction is not, and a
    // blank line typed after the last line of an instruction is not.
    let mut docs = docs();
    docs.push(Doc::new("fixture", MULTI_LINE));
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    for doc in docs {
        let caps = captures(&q, &doc);
        let lines: Vec<&str> = doc.text.split('\n').collect();
        let mut cursor = doc.tree.root_node().walk();
        for node in doc.tree.root_node().named_children(&mut cursor) {
            if !INSTRUCTIONS.contains(&node.kind()) {
                continue;
            }
            let (start, end) = (node.start_position().row, node.end_position().row);
            if start < end {
                kinds.insert(node.kind().to_string());
            }
            assert_eq!(
                nvim_indent(&doc, &caps, start),
                0,
                "{}: {}",
                doc.name,
                lines[start]
            );
            for (row, line) in lines.iter().enumerate().take(end + 1).skip(start + 1) {
                if !line.trim().is_empty() {
                    assert_eq!(nvim_indent(&doc, &caps, row), 1, "{}: {line}", doc.name);
                }
            }
            let mut typed = lines.clone();
            typed.insert(end + 1, "");
            let text = typed.join("\n");
            let after = Doc::new(&doc.name, &text);
            let after_caps = captures(&q, &after);
            assert_eq!(
                nvim_indent(&after, &after_caps, end + 1),
                0,
                "{}: a line typed after {:?}",
                doc.name,
                lines[end]
            );
        }
    }
    assert_eq!(kinds.len(), INSTRUCTIONS.len(), "{kinds:?}");
}

#[test]
fn multi_line_instructions_and_heredocs_fold() {
    let q = query("folds", grammar::FOLDS_QUERY);
    let mut docs = docs();
    let heredoc = format!("{MULTI_LINE}RUN <<EOF\necho a\necho b\nEOF\n");
    docs.push(Doc::new("fixture", &heredoc));
    let mut folded = BTreeSet::new();
    for doc in &docs {
        let caps = captures(&q, doc);
        let kinds = INSTRUCTIONS.iter().chain(&["heredoc_block"]);
        for kind in kinds {
            for node in doc.nodes_of_kind(kind) {
                if node.start_position().row < node.end_position().row {
                    folded.insert(*kind);
                    assert_eq!(captured_as(&caps, node), ["fold"], "{}: {}", doc.name, kind);
                }
            }
        }
    }
    // The fixture spreads every kind over lines.
    assert_eq!(folded.len(), INSTRUCTIONS.len() + 1, "{folded:?}");
}
