//! Output formats for `berth check`: human (rustc/ruff-like blocks), JSON,
//! GNU (`file:line:col: severity: message [code]`) and Checkstyle XML;
//! SARIF is in `sarif.rs`.
//!
//! This is where byte offsets become lines and columns. Humans, JSON's
//! `range`, GNU and Checkstyle get 1-based lines and 1-based columns counted
//! in characters (Unicode scalar values); SARIF counts UTF-16 code units
//! (its default `columnKind`). A UTF-8 byte order mark is not counted
//! (editors hide it). JSON also carries the raw `byte_range` into the file.

use serde_json::{json, Value};

use crate::rules::{Diagnostic, Severity};
use crate::text::{floor_char_boundary, LineIndex, PositionEncoding, TextRange, TextSize};

const BOM: char = '\u{feff}';

/// A 1-based line and 1-based character column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// The position humans see for byte `offset` of `text`.
pub fn position(text: &str, index: &LineIndex, offset: TextSize) -> Pos {
    position_in(text, index, offset, PositionEncoding::Utf32)
}

/// 1-based line and column of byte `offset`, the column counted in
/// `encoding`'s units (a byte order mark not counted).
pub fn position_in(
    text: &str,
    index: &LineIndex,
    offset: TextSize,
    encoding: PositionEncoding,
) -> Pos {
    let lc = index.line_col(offset, encoding);
    let mut col = lc.col;
    if lc.line == 0 && text.starts_with(BOM) && col > 0 {
        col -= 1;
    }
    Pos {
        line: lc.line + 1,
        column: col + 1,
    }
}

/// ANSI styling, or none.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    pub color: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BOLD_BLUE: &str = "\x1b[1;34m";

impl Style {
    fn paint(self, codes: &str, s: &str) -> String {
        if self.color {
            format!("{codes}{s}{RESET}")
        } else {
            s.to_string()
        }
    }

    fn severity(self, sev: Severity) -> &'static str {
        match sev {
            Severity::Error => "\x1b[1;31m",
            Severity::Warning => "\x1b[1;33m",
            Severity::Info => "\x1b[1;34m",
            Severity::Hint => "\x1b[1;36m",
        }
    }
}

/// Replace control characters (other than tab) so a file cannot drive the
/// terminal; one char for one char, so columns stay aligned.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                char::REPLACEMENT_CHARACTER
            } else {
                c
            }
        })
        .collect()
}

/// Characters of a long line shown under a finding: a window around the
/// range's start, so output grows with the number of findings and not with
/// the number of findings times the line's length (one 300 KB `ENV` line
/// with 10,000 findings printed 3 GB before).
const SHOWN_CHARS: usize = 120;

/// Characters of the window before the range's start.
const SHOWN_BEFORE: usize = 40;

/// What to show under a finding: the first line of its range (or a window
/// of it) and where the carets go on it.
#[derive(Debug, PartialEq, Eq)]
struct Snippet<'a> {
    /// 1-based.
    line: u32,
    /// The line's text shown, without its line break (nor a BOM).
    text: &'a str,
    /// The part of `text` before the first caret.
    before: &'a str,
    /// Number of carets (at least one).
    carets: usize,
    /// Text of the line was left out before and after `text`.
    cut: (bool, bool),
}

fn snippet<'a>(text: &'a str, index: &LineIndex, range: TextRange) -> Snippet<'a> {
    let start = floor_char_boundary(text, range.start as usize);
    let end = floor_char_boundary(text, range.end as usize).max(start);
    let line = index
        .line_col(start as TextSize, PositionEncoding::Utf8)
        .line;
    let lr = index.line_range(line);
    let mut line_start = floor_char_boundary(text, lr.start);
    let mut line_end = floor_char_boundary(text, lr.end).max(line_start);
    if line == 0 && text.starts_with(BOM) {
        line_start = BOM.len_utf8().min(line_end);
    }
    let start = start.clamp(line_start, line_end);
    let mut cut = (false, false);
    // A long line: a window of it, found in steps bounded by the window's
    // size, never by the line's.
    if line_end - line_start > SHOWN_CHARS {
        let head = &text[line_start..start];
        let from = match head.char_indices().rev().nth(SHOWN_BEFORE - 1) {
            Some((i, _)) => line_start + i,
            None => line_start,
        };
        let tail = &text[from..line_end];
        let to = match tail.char_indices().nth(SHOWN_CHARS) {
            Some((i, _)) => from + i,
            None => line_end,
        };
        cut = (from > line_start, to < line_end);
        (line_start, line_end) = (from, to);
    }
    // A range running past its first line (or the window) is marked to
    // its end.
    let end = end.clamp(start, line_end);
    let marked = text.get(start..end).unwrap_or("").chars().count();
    Snippet {
        line: line + 1,
        text: text.get(line_start..line_end).unwrap_or(""),
        before: text.get(line_start..start).unwrap_or(""),
        carets: marked.max(1),
        cut,
    }
}

/// One file's findings as human-readable blocks, each followed by a blank line.
pub fn human(
    name: &str,
    text: &str,
    index: &LineIndex,
    diags: &[Diagnostic],
    style: Style,
) -> String {
    let mut out = String::new();
    let name = super::term::shown(name);
    for d in diags {
        let pos = position(text, index, d.range.start);
        let snip = snippet(text, index, d.range);
        let width = snip.line.to_string().len();
        let sev_style = style.severity(d.severity);
        let gutter = style.paint(BOLD_BLUE, &format!("{} |", " ".repeat(width + 1)));
        let eq = style.paint(BOLD_BLUE, &format!("{} =", " ".repeat(width + 1)));

        out.push_str(&style.paint(sev_style, &format!("{}[{}]", d.severity.as_str(), d.code)));
        out.push_str(&style.paint(BOLD, &format!(": {}", sanitize(&d.message))));
        out.push('\n');
        out.push_str(&format!(
            "{}{} {name}:{}:{}\n",
            " ".repeat(width + 1),
            style.paint(BOLD_BLUE, "-->"),
            pos.line,
            pos.column
        ));
        out.push_str(&gutter);
        out.push('\n');
        out.push_str(&style.paint(BOLD_BLUE, &format!(" {} |", snip.line)));
        if !snip.text.is_empty() {
            out.push(' ');
            if snip.cut.0 {
                out.push('…');
            }
            out.push_str(&sanitize(snip.text));
            if snip.cut.1 {
                out.push('…');
            }
        }
        out.push('\n');
        // Tabs stay tabs so the carets line up with what the terminal shows.
        let indent: String = snip
            .before
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        out.push_str(&gutter);
        out.push(' ');
        if snip.cut.0 {
            out.push(' ');
        }
        out.push_str(&indent);
        out.push_str(&style.paint(sev_style, &"^".repeat(snip.carets)));
        out.push('\n');
        if !d.aliases.is_empty() {
            out.push_str(&format!("{eq} also: {}\n", d.aliases.join(", ")));
        }
        for r in &d.related {
            let p = position(text, index, r.range.start);
            out.push_str(&format!(
                "{eq} note: {name}:{}:{}: {}\n",
                p.line,
                p.column,
                sanitize(&r.message)
            ));
        }
        out.push('\n');
    }
    out
}

fn range_json(text: &str, index: &LineIndex, range: TextRange) -> Value {
    let start = position(text, index, range.start);
    let end = position(text, index, range.end.max(range.start));
    json!({
        "start": { "line": start.line, "column": start.column },
        "end": { "line": end.line, "column": end.column },
    })
}

/// One file's findings as JSON objects, in position order.
pub fn json(name: &str, text: &str, index: &LineIndex, diags: &[Diagnostic]) -> Vec<Value> {
    diags
        .iter()
        .map(|d| {
            let related: Vec<Value> = d
                .related
                .iter()
                .map(|r| {
                    json!({
                        "file": name,
                        "message": r.message,
                        "range": range_json(text, index, r.range),
                        "byte_range": [r.range.start, r.range.end],
                    })
                })
                .collect();
            json!({
                "file": name,
                "code": d.code,
                "aliases": d.aliases,
                "severity": d.severity.as_str(),
                "message": d.message,
                "range": range_json(text, index, d.range),
                "byte_range": [d.range.start, d.range.end],
                "related": related,
            })
        })
        .collect()
}

/// One element of the JSON array `check --format json` prints, as
/// `serde_json`'s pretty printer would place it inside the array (the
/// opening bracket before the first), so the array can be written as the
/// files are checked instead of held whole.
pub fn json_element(first: bool, item: &Value) -> String {
    let pretty = serde_json::to_string_pretty(item).unwrap_or_else(|_| "null".to_string());
    let mut out = String::with_capacity(pretty.len() + pretty.len() / 8 + 4);
    out.push_str(if first { "[\n" } else { ",\n" });
    // A pretty-printed JSON string holds no raw line break, so every line
    // break of `pretty` is between tokens.
    for (i, line) in pretty.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        out.push_str(line);
    }
    out
}

/// One file's findings as GNU-style lines:
/// `file:line:col: severity: message [code]`.
pub fn gnu(name: &str, text: &str, index: &LineIndex, diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    let name = super::term::shown(name);
    for d in diags {
        let p = position(text, index, d.range.start);
        out.push_str(&format!(
            "{name}:{}:{}: {}: {} [{}]\n",
            p.line,
            p.column,
            d.severity.as_str(),
            sanitize(&d.message.replace(['\n', '\r'], " ")),
            d.code
        ));
    }
    out
}

/// Text for an XML attribute value: markup characters escaped, and
/// characters XML 1.0 forbids (most C0 controls) replaced.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push(char::REPLACEMENT_CHARACTER)
            }
            c => out.push(c),
        }
    }
    out
}

/// Checkstyle's severity names.
fn checkstyle_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "info",
    }
}

/// One file's `<file>` element (with no `<error>` when it is clean).
pub fn checkstyle_file(name: &str, text: &str, index: &LineIndex, diags: &[Diagnostic]) -> String {
    let mut out = format!("  <file name=\"{}\">\n", xml_escape(name));
    for d in diags {
        let p = position(text, index, d.range.start);
        out.push_str(&format!(
            "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>\n",
            p.line,
            p.column,
            checkstyle_severity(d.severity),
            xml_escape(&d.message),
            xml_escape(d.code)
        ));
    }
    out.push_str("  </file>\n");
    out
}

/// The Checkstyle document around the `<file>` elements.
pub fn checkstyle(files: &[String]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for f in files {
        out.push_str(f);
    }
    out.push_str("</checkstyle>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Related;

    fn diag(range: TextRange, sev: Severity) -> Diagnostic {
        Diagnostic {
            code: "Demo",
            aliases: &["DL0000"],
            range,
            severity: sev,
            message: "demo message".to_string(),
            related: Vec::new(),
            tags: Vec::new(),
            fixes: Vec::new(),
        }
    }

    fn range_of(text: &str, needle: &str) -> TextRange {
        let s = text.find(needle).expect("needle in text");
        TextRange::from_usize(s, s + needle.len())
    }

    #[test]
    fn block_layout() {
        let text = "FROM a AS builder\nFROM b\nCOPY --from=buidler /x /x\n";
        let idx = LineIndex::new(text);
        let mut d = diag(range_of(text, "buidler"), Severity::Warning);
        d.related.push(Related {
            range: range_of(text, "builder"),
            message: "defined here".into(),
        });
        let out = human("dir/Dockerfile", text, &idx, &[d], Style { color: false });
        let expected = "\
warning[Demo]: demo message
  --> dir/Dockerfile:3:13
   |
 3 | COPY --from=buidler /x /x
   |             ^^^^^^^
   = also: DL0000
   = note: dir/Dockerfile:1:11: defined here

";
        assert_eq!(out, expected);
    }

    #[test]
    fn tabs_are_kept_in_the_caret_line_and_columns_count_chars() {
        let text = "RUN\t\u{e9}\tx";
        let idx = LineIndex::new(text);
        let d = diag(range_of(text, "x"), Severity::Error);
        let out = human("f", text, &idx, &[d], Style { color: false });
        assert!(out.contains("--> f:1:7\n"), "{out}");
        assert!(out.contains("\n   |    \t \t^\n"), "{out:?}");
    }

    #[test]
    fn multi_line_and_empty_ranges() {
        let text = "FROM a\r\nRUN x \\\r\n  y\n";
        let idx = LineIndex::new(text);
        let s = text.find("x").unwrap();
        let e = text.find("y").unwrap();
        let snip = snippet(text, &idx, TextRange::from_usize(s, e));
        assert_eq!(
            (snip.line, snip.text, snip.before, snip.carets),
            (2, "RUN x \\", "RUN ", 3)
        );
        // Empty range at the end of a line: one caret after the last char.
        let snip = snippet(text, &idx, TextRange::empty(6));
        assert_eq!((snip.line, snip.before, snip.carets), (1, "FROM a", 1));
        // Past the end of the text: clamped, no panic.
        let snip = snippet(text, &idx, TextRange::new(500, 900));
        assert_eq!(snip.carets, 1);
        // A range starting inside a multi-byte char.
        let t2 = "FROM \u{e9}t\u{e9}";
        let idx2 = LineIndex::new(t2);
        let snip = snippet(t2, &idx2, TextRange::new(6, 9));
        assert_eq!((snip.before, snip.carets), ("FROM ", 2));
    }

    #[test]
    fn a_long_line_shows_a_window_around_the_range() {
        let mut text = String::from("ENV ");
        for i in 0..2_000 {
            text.push_str(&format!("V{i}=${{V{}}} ", i + 1));
        }
        let idx = LineIndex::new(&text);
        let r = range_of(&text, "V1000=");
        let d = diag(r, Severity::Warning);
        let out = human("f", &text, &idx, &[d], Style { color: false });
        let lines: Vec<&str> = out.lines().collect();
        // The real column, then the window with its cut marks.
        assert!(lines[1].ends_with(&format!("f:1:{}", r.start + 1)), "{out}");
        let shown = lines[3].strip_prefix(" 1 | …").expect("cut before");
        assert!(shown.ends_with('…'), "{out}");
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 1, "{out}");
        // The carets stand under the range's text.
        let caret = lines[4].chars().position(|c| c == '^').unwrap();
        let under: String = lines[3].chars().skip(caret).take(6).collect();
        assert_eq!(under, "V1000=", "{out}");
        assert_eq!(lines[4].matches('^').count(), 6, "{out}");
        // Near the line's start nothing is cut before.
        let d = diag(range_of(&text, "V1="), Severity::Warning);
        let out = human("f", &text, &idx, &[d], Style { color: false });
        assert!(out.contains(" 1 | ENV V0=${V1} V1="), "{out}");
        // Bounded per finding, whatever the line's length.
        let all: Vec<Diagnostic> = (0..2_000)
            .map(|i| diag(range_of(&text, &format!(" V{i}=")), Severity::Info))
            .collect();
        let out = human("f", &text, &idx, &all, Style { color: false });
        assert!(out.len() < 2_000 * 600, "{} bytes", out.len());
    }

    #[test]
    fn json_elements_make_the_pretty_printed_array() {
        let items = [
            json!({"a": 1, "b": [1, 2], "c": "x\ny"}),
            json!({}),
            json!([]),
        ];
        let mut streamed = String::new();
        for (i, item) in items.iter().enumerate() {
            streamed.push_str(&json_element(i == 0, item));
        }
        streamed.push_str("\n]");
        let whole = serde_json::to_string_pretty(&Value::Array(items.to_vec())).unwrap();
        assert_eq!(streamed, whole);
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}FROM x AS a\nFROM y\n";
        let idx = LineIndex::new(text);
        let r = range_of(text, "x");
        assert_eq!(position(text, &idx, r.start), Pos { line: 1, column: 6 });
        let snip = snippet(text, &idx, r);
        assert_eq!((snip.text, snip.before), ("FROM x AS a", "FROM "));
        let r = range_of(text, "y");
        assert_eq!(position(text, &idx, r.start), Pos { line: 2, column: 6 });
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        let text = "FROM \x1b[31mx";
        let idx = LineIndex::new(text);
        let d = diag(range_of(text, "x"), Severity::Hint);
        let out = human("f", text, &idx, &[d], Style { color: false });
        assert!(!out.contains('\x1b'), "{out:?}");
    }

    #[test]
    fn colors_when_asked() {
        let text = "FROM x";
        let idx = LineIndex::new(text);
        let d = diag(range_of(text, "x"), Severity::Error);
        let out = human("f", text, &idx, &[d], Style { color: true });
        assert!(out.starts_with("\x1b[1;31merror[Demo]\x1b[0m"), "{out:?}");
    }

    #[test]
    fn json_fields() {
        let text = "FROM \u{e9}x";
        let idx = LineIndex::new(text);
        let d = diag(range_of(text, "x"), Severity::Info);
        let v = json("f", text, &idx, &[d]);
        assert_eq!(
            v[0],
            json!({
                "file": "f", "code": "Demo", "aliases": ["DL0000"], "severity": "info",
                "message": "demo message",
                "range": {"start": {"line": 1, "column": 7}, "end": {"line": 1, "column": 8}},
                "byte_range": [7, 8],
                "related": [],
            })
        );
    }

    #[test]
    fn gnu_lines() {
        let text = "FROM a\nRUN \u{e9}x\n";
        let idx = LineIndex::new(text);
        let mut d = diag(range_of(text, "x"), Severity::Warning);
        d.message = "two\nlines".into();
        assert_eq!(
            gnu("dir/Dockerfile", text, &idx, &[d]),
            "dir/Dockerfile:2:6: warning: two lines [Demo]\n"
        );
    }

    #[test]
    fn checkstyle_escapes() {
        assert_eq!(
            xml_escape("a<b>&\"c\"'d'\u{1b}\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\u{fffd}&#10;"
        );
        let text = "FROM x";
        let idx = LineIndex::new(text);
        let mut d = diag(range_of(text, "x"), Severity::Hint);
        d.message = "use `a && b` <here>".into();
        let f = checkstyle_file("a&b/Dockerfile", text, &idx, &[d]);
        let doc = checkstyle(&[f]);
        assert_eq!(
            doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n  <file name=\"a&amp;b/Dockerfile\">\n    <error line=\"1\" column=\"6\" severity=\"info\" message=\"use `a &amp;&amp; b` &lt;here&gt;\" source=\"Demo\"/>\n  </file>\n</checkstyle>\n"
        );
    }

    #[test]
    fn utf16_positions() {
        let text = "\u{feff}FROM \u{1f6a2}x";
        let idx = LineIndex::new(text);
        let r = range_of(text, "x");
        assert_eq!(
            position_in(text, &idx, r.start, PositionEncoding::Utf16),
            Pos { line: 1, column: 8 }
        );
        assert_eq!(position(text, &idx, r.start), Pos { line: 1, column: 7 });
    }
}
