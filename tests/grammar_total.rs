//! BuildKit splits any text into instructions, and rejects bad ones one by
//! one; berth's grammar must do the same: every logical line read into an
//! instruction node, with no ERROR or MISSING node to spill over onto the
//! lines after it (error recovery there made the model of a file being
//! typed differ from BuildKit's reading, and forced whole reads on every
//! keystroke).
//!
//! Lines are made at random from keywords and the pieces that broke the
//! grammar before (flags glued to odd characters, words after FROM's
//! image, `[` that is not JSON, HEALTHCHECK types, escaped characters where
//! a keyword is due), two per text, with and without `# escape=`.

mod common;
use common::Rng;

use berth::syntax;
use berth::text::parse_tree;

const KEYWORDS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
    "MAINTAINER",
    "from",
    "onbuild",
    "AS",
    "NONE",
    "x",
];

const PIECES: &[&str] = &[
    "a",
    "AS",
    "as",
    "asx",
    "NONE",
    "CMD",
    "RUN",
    "FROM",
    "[",
    "]",
    "\"a\"",
    ",",
    "[\"a\"]",
    "[\"a\", \"b\"]",
    "--from=x",
    "--mount=type=cache",
    "--",
    "-",
    "=",
    "a=b",
    "$x",
    "${x}",
    "${x:-y}",
    "<<EOF",
    "<<-E",
    "\\",
    "'q'",
    "\"q",
    "#",
    "# c",
    "`",
    "{",
    "}",
    "\t",
    "$",
    "'",
    "\"",
    ":",
    "--x",
    "--platform=$P",
    "--f#",
    "--x'",
    "--a\"b",
    "--a$b",
    "--1",
    "--=",
    "--a=",
    "--a==b",
    "-x",
    "--a=b\\",
    "\"a b\"",
    "--link",
    "--chmod=7`",
];

fn line(rng: &mut Rng) -> String {
    let mut line = KEYWORDS[rng.below(KEYWORDS.len())].to_string();
    for _ in 0..rng.below(5) {
        line.push(' ');
        line.push_str(PIECES[rng.below(PIECES.len())]);
    }
    line
}

fn cases() -> usize {
    std::env::var("GRAMMAR_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30_000)
}

#[test]
fn every_line_reads_into_an_instruction_without_error_nodes() {
    let mut rng = Rng(0x5eed_1234_abcd);
    let mut bad = Vec::new();
    let n = cases();
    for _ in 0..n {
        let pre = ["", "# escape=`\n", "# syntax=x\n"][rng.below(3)];
        let (a, b) = (line(&mut rng), line(&mut rng));
        let text = format!("{pre}FROM a\n{a}\n{b}\nRUN z\nEOF\nE\n");
        let tree = parse_tree(&text);
        if tree.root_node().has_error() && bad.len() < 20 {
            bad.push(text.clone());
        }
        // The reading says so when it had to recover.
        assert_eq!(
            syntax::read(&text, &tree).recovered,
            tree.root_node().has_error()
        );
    }
    eprintln!(
        "grammar: {n} random texts, {} with an ERROR or MISSING node",
        bad.len()
    );
    assert!(bad.is_empty(), "ERROR or MISSING nodes in:\n{bad:#?}");
}

/// Lines BuildKit rejects keep their words in their own instruction node.
#[test]
fn rejected_lines_stay_whole() {
    for (line, kind, words) in [
        ("FROM a b c", "from_instruction", 2),
        ("FROM base# comment", "from_instruction", 1),
        ("FROM a AS b c", "from_instruction", 1),
        ("FROM a AS", "from_instruction", 0),
        ("HEALTHCHECK NONE x", "healthcheck_instruction", 1),
        ("COPY [a] b", "copy_instruction", 0),
    ] {
        let text = format!("FROM x\n{line}\nRUN y\n");
        let tree = parse_tree(&text);
        let root = tree.root_node();
        assert!(!root.has_error(), "{line}: {}", root.to_sexp());
        let node = root.named_child(1).unwrap();
        assert_eq!(node.kind(), kind, "{line}");
        assert_eq!(node.end_byte(), 7 + line.len(), "{line}");
        let mut cursor = node.walk();
        let extra = node
            .named_children(&mut cursor)
            .filter(|c| c.kind() == "unquoted_string")
            .count();
        assert_eq!(extra, words, "{line}: {}", node.to_sexp());
        assert_eq!(root.named_child(2).unwrap().kind(), "run_instruction");
    }
    // `AS` in any case names the stage; a word that only starts with it
    // does not.
    for (line, alias) in [("FROM a as b", Some("b")), ("FROM a asx y", None)] {
        let tree = parse_tree(line);
        let from = tree.root_node().named_child(0).unwrap();
        let got = from
            .child_by_field_name("as")
            .map(|n| &line[n.start_byte()..n.end_byte()]);
        assert_eq!(got, alias, "{line}");
    }
}
