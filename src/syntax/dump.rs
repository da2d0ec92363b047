//! The concrete syntax tree as text, for `berth syntax`: an s-expression
//! with positions (as the tree-sitter CLI prints it) or JSON with byte
//! ranges. Both walk the tree with a cursor, so a deeply nested file
//! costs heap, not stack. Rows and columns are counted here from byte
//! offsets (rows split at `\n`, columns in bytes, from 0), for reading
//! only: they are not the positions an editor uses.

use std::fmt::Write;

use tree_sitter::{Node, Tree};

use super::words::json_string;

/// Visit every node the output shows (named nodes for the s-expression,
/// all for JSON), calling `enter` before its children and `leave` after.
enum Event<'t> {
    Enter(Node<'t>, Option<&'t str>, usize),
    Leave,
}

fn walk<'t>(tree: &'t Tree, all: bool, mut f: impl FnMut(Event<'t>)) {
    let mut cursor = tree.walk();
    // Depth of shown nodes, and for each cursor level whether its node was shown.
    let mut shown: Vec<bool> = Vec::new();
    let mut depth = 0;
    loop {
        let node = cursor.node();
        let show = all || node.is_named() || node.is_missing();
        if show {
            f(Event::Enter(node, cursor.field_name(), depth));
            depth += 1;
        }
        shown.push(show);
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if shown.pop() == Some(true) {
                depth -= 1;
                f(Event::Leave);
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// Row and byte column of each offset: rows split at `\n`.
struct Rows(Vec<usize>);

impl Rows {
    fn new(text: &str) -> Rows {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Rows(starts)
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let row = self.0.partition_point(|&s| s <= offset).saturating_sub(1);
        (row, offset - self.0[row])
    }
}

/// `(kind [row, column] - [row, column] children...)`, one node a line,
/// with field names; rows and columns from 0, columns in bytes.
pub fn sexp(text: &str, tree: &Tree) -> String {
    let rows = Rows::new(text);
    let mut out = String::new();
    walk(tree, false, |event| {
        let Event::Enter(node, field, depth) = event else {
            out.push(')');
            return;
        };
        {
            if depth > 0 {
                out.push('\n');
            }
            out.push_str(&"  ".repeat(depth));
            if let Some(f) = field {
                let _ = write!(out, "{f}: ");
            }
            let (s, e) = (rows.at(node.start_byte()), rows.at(node.end_byte()));
            let kind = if node.is_missing() {
                format!("MISSING {}", node.kind())
            } else {
                node.kind().to_string()
            };
            let _ = write!(out, "({kind} [{}, {}] - [{}, {}]", s.0, s.1, e.0, e.1);
        }
    });
    out.push('\n');
    out
}

/// The tree as JSON: `{"kind", "named", "field"?, "start", "end" (byte
/// offsets), "start_point", "end_point" ([row, column]), "error"?,
/// "missing"?, "text"? (leaves), "children"?}`.
pub fn json(text: &str, tree: &Tree) -> String {
    let rows = Rows::new(text);
    let mut out = String::new();
    // Per open node: whether it has had a child yet.
    let mut open: Vec<bool> = Vec::new();
    walk(tree, true, |event| {
        let Event::Enter(node, field, _) = event else {
            if open.pop() == Some(true) {
                out.push(']');
            }
            out.push('}');
            return;
        };
        {
            if let Some(first) = open.last_mut() {
                out.push_str(if *first { "," } else { ",\"children\":[" });
                *first = true;
            }
            let (s, e) = (rows.at(node.start_byte()), rows.at(node.end_byte()));
            out.push_str("{\"kind\":");
            out.push_str(&json_string(node.kind()));
            let _ = write!(out, ",\"named\":{}", node.is_named());
            if let Some(f) = field {
                out.push_str(",\"field\":");
                out.push_str(&json_string(f));
            }
            let _ = write!(
                out,
                ",\"start\":{},\"end\":{},\"start_point\":[{},{}],\"end_point\":[{},{}]",
                node.start_byte(),
                node.end_byte(),
                s.0,
                s.1,
                e.0,
                e.1
            );
            if node.is_error() {
                out.push_str(",\"error\":true");
            }
            if node.is_missing() {
                out.push_str(",\"missing\":true");
            }
            if node.child_count() == 0 {
                let leaf = text.get(node.start_byte()..node.end_byte()).unwrap_or("");
                out.push_str(",\"text\":");
                out.push_str(&json_string(leaf));
            }
            open.push(false);
        }
    });
    out.push('\n');
    out
}
