//! The syntax tree read into BuildKit's terms.
//!
//! berth's grammar (crates/tree-sitter-dockerfile) splits the text where
//! BuildKit's line joining does; this module turns its nodes into what the
//! model reads: instructions with their joined logical line (continuations,
//! and the comment and blank lines inside them, left out), heredocs,
//! comments and parser directives.

use tree_sitter::{Node, Tree, TreeCursor};

use crate::text::{TextRange, TextSize};

use super::directives::DirectiveParser;
use super::kinds;
use super::words::Joined;
use super::{Comment, Heredoc, RawInstruction, SyntaxError, SyntaxFile};

/// Read `tree` (parsed from `text`) whole.
pub fn read(text: &str, tree: &Tree) -> SyntaxFile {
    let mut file = SyntaxFile::empty(text, b'\\');
    let bom = file.bom;
    let mut dp = DirectiveParser::default();
    let root = tree.root_node();
    file.recovered = root.has_error();
    let mut cursor = root.walk();
    let first = if bom { 3 } else { 0 };
    let mut last_line_start = first;
    let children: Vec<Node> = root.children(&mut cursor).collect();
    let mut top = TopLevel {
        nodes: flatten(children),
        cursor: None,
        comment_answer: None,
    };
    let mut i = 0;
    while let Some(node) = top.get(i) {
        i += 1;
        if node.kind() == kinds::COMMENT && !dp.done() {
            // A blank line before it ends the directives.
            let gap = &text[last_line_start.min(node.start_byte())..node.start_byte()];
            let breaks = gap.matches('\n').count();
            if breaks >= 2 || (breaks == 1 && last_line_start == first) {
                dp.end();
            }
            let range = TextRange::from_usize(node.start_byte(), node.end_byte());
            if dp.line(text, range, &mut file) {
                last_line_start = node.end_byte();
                continue;
            }
        } else if !dp.done() && node.kind() != kinds::COMMENT {
            dp.end();
        }
        last_line_start = node.end_byte();
        read_top_level(text, &mut top, i - 1, &mut file);
    }
    file
}

/// The top-level nodes in order (hidden stages see-through), taken from a
/// cursor as they are asked for: a read from an edit looks at the few
/// nodes after it, never at the whole list. Neighbours come from here, not
/// from `Node::prev_sibling`, which walks down from the root every time.
struct TopLevel<'t> {
    nodes: Vec<Node<'t>>,
    /// At the next node not yet in `nodes`.
    cursor: Option<TreeCursor<'t>>,
    /// The last comment [`after_continuation`] looked at, and its answer.
    comment_answer: Option<(usize, bool)>,
}

impl<'t> TopLevel<'t> {
    fn get(&mut self, i: usize) -> Option<Node<'t>> {
        while self.nodes.len() <= i {
            let cursor = self.cursor.as_mut()?;
            self.nodes.push(cursor.node());
            if !cursor.goto_next_sibling() {
                self.cursor = None;
            }
        }
        Some(self.nodes[i])
    }
}

/// The rest of `text` read from `tree` from `first` on, where a read of
/// the whole tree stands ready for an instruction (an instruction's
/// `scan_end`): what [`read`] gives for the rest, directives not looked
/// for, `escape` the one they set. Stops after the first instruction whose
/// `scan_end` satisfies `stop` and says where. `None` when the tree has an
/// ERROR or MISSING node (error recovery can join a node to the
/// instruction before it, which only a read of the whole tree sees), or a
/// node across `first`.
pub fn read_until(
    text: &str,
    tree: &Tree,
    first: usize,
    escape: u8,
    stop: &dyn Fn(TextSize) -> bool,
) -> Option<(SyntaxFile, Option<TextSize>)> {
    let mut file = SyntaxFile::empty(text, escape);
    // The first top-level node after `first`: looked for from the first
    // character that is not white space, which some visible node holds
    // (a hidden stage can end in white space after its last node).
    let rest = text.get(first..)?;
    let at = first
        + (rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_whitespace())
                .len());
    if at >= text.len() {
        return Some((file, None));
    }
    let root = tree.root_node();
    if root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    if cursor.goto_first_child_for_byte(at).is_none() || cursor.node().start_byte() < first {
        return None;
    }
    let mut top = TopLevel {
        nodes: Vec::new(),
        cursor: Some(cursor),
        comment_answer: None,
    };
    let mut i = 0;
    while top.get(i).is_some() {
        let before = file.instructions.len();
        read_top_level(text, &mut top, i, &mut file);
        i += 1;
        if file.instructions.len() > before {
            let scan_end = file.instructions[before].scan_end;
            if scan_end != TextSize::MAX && stop(scan_end) {
                return Some((file, Some(scan_end)));
            }
        }
    }
    Some((file, None))
}

/// `nodes` with each ERROR node that holds instructions replaced by its
/// children (error recovery can wrap good instructions with a bad one),
/// and so on inside; without recursion.
fn flatten(nodes: Vec<Node>) -> Vec<Node> {
    let mut out = Vec::with_capacity(nodes.len());
    let mut stack: Vec<Node> = nodes.into_iter().rev().collect();
    while let Some(n) = stack.pop() {
        let opens = n.kind() == kinds::ERROR && {
            let mut c = n.walk();
            let found = n
                .children(&mut c)
                .any(|k| kinds::INSTRUCTION_KINDS.contains(&k.kind()) || k.kind() == kinds::ERROR);
            found
        };
        if opens {
            let mut c = n.walk();
            let kids: Vec<Node> = n.children(&mut c).collect();
            stack.extend(kids.into_iter().rev());
        } else {
            out.push(n);
        }
    }
    out
}

/// A node that starts on the line of the previous instruction (what error
/// recovery left of a bad instruction) belongs to it: BuildKit starts
/// instructions only at line starts.
/// Where a node's text starts: an ERROR node can begin with the white
/// space and line breaks before what it holds.
fn text_start(text: &str, node: Node) -> usize {
    let start = node.start_byte();
    let rest = &text[start..node.end_byte().max(start)];
    start + (rest.len() - rest.trim_start_matches(|c: char| c.is_whitespace()).len())
}

fn joins_previous(text: &str, file: &SyntaxFile, node: Node) -> bool {
    node.kind() != kinds::COMMENT
        && node.kind() != kinds::LINE_CONTINUATION
        && file.instructions.last().is_some_and(|prev| {
            let end = prev.logical_end as usize;
            let start = text_start(text, node);
            end <= start && !text[end..start].contains('\n')
        })
}

fn read_top_level(text: &str, top: &mut TopLevel, i: usize, file: &mut SyntaxFile) {
    let Some(node) = top.get(i) else { return };
    match node.kind() {
        kinds::COMMENT if after_continuation(top, i) => {}
        kinds::COMMENT => file.comments.push(Comment {
            range: TextRange::from_usize(node.start_byte(), node.end_byte()),
            in_continuation: false,
        }),
        kinds::LINE_CONTINUATION => {}
        kind if kinds::INSTRUCTION_KINDS.contains(&kind) || kind == kinds::ERROR => {
            if joins_previous(text, file, node) {
                extend_previous(text, top, i, file);
                return;
            }
            if node.start_byte() == node.end_byte() {
                return;
            }
            let raw = instruction(text, top, i, file);
            file.instructions.push(raw);
        }
        _ => {}
    }
}

/// Whether a top-level comment follows a continuation that ends the text
/// (the instruction before it took it).
fn after_continuation(top: &mut TopLevel, i: usize) -> bool {
    let mut found = false;
    for j in (0..i).rev() {
        match top.get(j).map(|p| p.kind()) {
            Some(kinds::LINE_CONTINUATION) => found = true,
            // The comment before this one was answered already (a long run
            // of comments is not walked back once per comment).
            Some(kinds::COMMENT) => match top.comment_answer {
                Some((k, answer)) if k == j => found = answer,
                _ => continue,
            },
            _ => {}
        }
        break;
    }
    top.comment_answer = Some((i, found));
    found
}

/// An ERROR node after an instruction on its line: the instruction goes on
/// to the end of it.
fn extend_previous(text: &str, top: &mut TopLevel, i: usize, file: &mut SyntaxFile) {
    let mut extra = instruction(text, top, i, file);
    let Some(prev) = file.instructions.last_mut() else {
        return;
    };
    let start = prev.range.start;
    let mut pieces: Vec<TextRange> = prev.joined.pieces().iter().map(|p| p.1).collect();
    if let (Some(last), Some(first)) = (pieces.last_mut(), extra.joined.pieces().first()) {
        if first.1.start >= last.end {
            last.end = first.1.start;
        }
    }
    pieces.extend(extra.joined.pieces().iter().skip(1).map(|p| p.1));
    if let (Some(last), Some(first)) = (pieces.last_mut(), extra.joined.pieces().first()) {
        if extra.joined.pieces().len() == 1 {
            last.end = first.1.end.max(last.end);
        }
    }
    prev.joined = Joined::new(text, pieces);
    prev.range = TextRange::new(start, extra.range.end.max(prev.range.end));
    prev.logical_end = extra.logical_end.max(prev.logical_end);
    prev.scan_end = extra.scan_end;
    prev.heredocs.append(&mut extra.heredocs);
    prev.empty_continuation_lines
        .append(&mut extra.empty_continuation_lines);
}

/// The end of the line content at `offset`: past blanks, before `\r`/`\n`.
fn content_end(bytes: &[u8], mut offset: usize) -> usize {
    while offset < bytes.len() && matches!(bytes[offset], b' ' | b'\t') {
        offset += 1;
    }
    offset
}

/// The start of the line after the one `offset` is on, if any.
fn next_line(bytes: &[u8], offset: usize) -> Option<usize> {
    memchr::memchr(b'\n', &bytes[offset.min(bytes.len())..]).map(|i| offset + i + 1)
}

fn is_blank_line(bytes: &[u8], start: usize) -> bool {
    let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
    std::str::from_utf8(&bytes[start..end])
        .map(|l| l.chars().all(super::words::is_go_space))
        .unwrap_or(false)
}

/// One instruction node (or a top-level ERROR node standing for one).
fn instruction(text: &str, top: &mut TopLevel, i: usize, file: &mut SyntaxFile) -> RawInstruction {
    let node = top.get(i).expect("the node being read");
    let bytes = text.as_bytes();
    let start = text_start(text, node);
    let mut continuations = Vec::new();
    let mut markers = Vec::new();
    let mut blocks = Vec::new();
    let mut comments = Vec::new();
    let mut last_logical = start;
    collect(node, &mut |n| match n.kind() {
        kinds::LINE_CONTINUATION => continuations.push(n),
        kinds::COMMENT => comments.push(n),
        kinds::HEREDOC_MARKER => {
            markers.push(n);
            last_logical = last_logical.max(n.end_byte());
        }
        kinds::HEREDOC_BLOCK => blocks.push(n),
        // A node's range covers its hidden tokens (word pieces) too.
        _ => last_logical = last_logical.max(n.end_byte()),
    });
    // Continuations outside the node (trailing extras are not inside it):
    // lines holding only the escape character start the instruction after
    // them; one that ends the text, with the comment lines after it, ends
    // this one.
    let mut start = start;
    let mut leading = Vec::new();
    for j in (0..i).rev() {
        match top.get(j) {
            Some(sib) if matches!(sib.kind(), kinds::LINE_CONTINUATION | kinds::COMMENT) => {
                leading.push(sib)
            }
            _ => break,
        }
    }
    while leading
        .last()
        .is_some_and(|n| n.kind() != kinds::LINE_CONTINUATION)
    {
        leading.pop();
    }
    if let Some(first) = leading.last() {
        start = first.start_byte();
    }
    let mut trailing = Vec::new();
    let mut at_end = true;
    let mut j = i + 1;
    while let Some(sib) = top.get(j) {
        if !matches!(sib.kind(), kinds::LINE_CONTINUATION | kinds::COMMENT) {
            at_end = false;
            break;
        }
        trailing.push(sib);
        j += 1;
    }
    // Only a continuation on the instruction's own last line continues it;
    // one on a line of its own starts an (empty) instruction of its own.
    if !(at_end
        && trailing.first().is_some_and(|n| {
            n.kind() == kinds::LINE_CONTINUATION
                && !text[last_logical.min(n.start_byte())..n.start_byte()].contains('\n')
        }))
    {
        trailing.clear();
    }
    for n in leading.into_iter().chain(trailing) {
        match n.kind() {
            kinds::LINE_CONTINUATION => continuations.push(n),
            _ => comments.push(n),
        }
    }
    continuations.sort_by_key(|c| c.start_byte());
    comments.sort_by_key(|c| c.start_byte());
    // Where the logical line ends: after its last token (before heredoc
    // bodies), over trailing blanks. When nothing follows the last
    // continuation (the text ends), the line ends after its escape
    // character, as BuildKit keeps it.
    let mut logical_end = content_end(bytes, last_logical.max(start));
    let open_continuation = continuations
        .last()
        .is_some_and(|c| c.start_byte() >= last_logical);
    if let Some(last) = continuations.last().filter(|_| open_continuation) {
        logical_end = content_end(bytes, last.start_byte() + 1);
    }
    // The joined logical line: the text between continuations, each
    // continued line from its start, the comment and blank lines BuildKit
    // skips inside a continuation left out.
    let mut pieces = Vec::new();
    let mut empty_lines = Vec::new();
    let mut piece_start = start;
    for c in &continuations {
        pieces.push(TextRange::from_usize(
            piece_start,
            c.start_byte().max(piece_start),
        ));
        let mut line = c.end_byte();
        while line < bytes.len() {
            let next = next_line(bytes, line);
            if is_blank_line(bytes, line) {
                let mut content = next.map_or(bytes.len(), |n| n - 1);
                while content > line && bytes[content - 1] == b'\r' {
                    content -= 1;
                }
                empty_lines.push(TextRange::from_usize(line, content));
            } else if !comments
                .iter()
                .any(|cm| cm.start_byte() >= line && next.is_none_or(|n| cm.start_byte() < n))
            {
                break;
            }
            line = next.unwrap_or(bytes.len());
        }
        piece_start = line;
    }
    if !open_continuation {
        pieces.push(TextRange::from_usize(
            piece_start.min(logical_end),
            logical_end,
        ));
    }
    for cm in comments {
        file.comments.push(Comment {
            range: TextRange::from_usize(cm.start_byte(), cm.end_byte()),
            in_continuation: true,
        });
    }
    let joined = Joined::new(text, pieces);
    // Heredocs: markers in order, each with its block.
    let mut heredocs = Vec::new();
    let mut end = logical_end;
    for (i, marker) in markers.iter().enumerate() {
        let word = &text[marker.start_byte()..marker.end_byte()];
        let Some((name, chomp, expand, fd)) = marker_parts(word) else {
            continue;
        };
        let block = blocks.get(i);
        let content = block.and_then(|b| child_of_kind(*b, kinds::HEREDOC_CONTENT));
        let terminator = block
            .and_then(|b| child_of_kind(*b, kinds::HEREDOC_END))
            .filter(|t| !t.is_missing() && t.end_byte() > t.start_byte());
        let body = match content {
            Some(c) => TextRange::from_usize(c.start_byte(), c.end_byte()),
            None => {
                let at = next_line(bytes, end).unwrap_or(bytes.len());
                TextRange::from_usize(at, at)
            }
        };
        let marker_range = TextRange::from_usize(marker.start_byte(), marker.end_byte());
        match terminator {
            Some(t) => end = t.end_byte(),
            None => {
                end = bytes.len();
                file.errors.push(SyntaxError {
                    range: marker_range,
                    message: format!("unterminated heredoc: no line `{name}` ends it"),
                });
            }
        }
        heredocs.push(Heredoc {
            name,
            marker: marker_range,
            body,
            terminator: terminator.map(|t| TextRange::from_usize(t.start_byte(), t.end_byte())),
            chomp,
            expand,
            fd,
        });
    }
    let end = end.max(logical_end);
    let open_heredoc = heredocs.iter().any(|h| h.terminator.is_none());
    // Where a scan for the next instruction starts: the line after the
    // last one this instruction took.
    let scan_end = match next_line(bytes, end) {
        Some(n) if !(open_continuation || open_heredoc) => n as TextSize,
        _ => TextSize::MAX,
    };
    RawInstruction {
        range: TextRange::from_usize(start, end),
        logical_end: logical_end as TextSize,
        joined,
        heredocs,
        empty_continuation_lines: empty_lines,
        scan_end,
    }
}

fn child_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    let found = node.children(&mut cursor).find(|c| c.kind() == kind);
    found
}

/// Visit `node`'s descendants in order, without recursion.
fn collect<'t>(node: Node<'t>, f: &mut dyn FnMut(Node<'t>)) {
    let mut cursor = node.walk();
    if !cursor.goto_first_child() {
        return;
    }
    loop {
        let n = cursor.node();
        f(n);
        if n.kind() != kinds::HEREDOC_BLOCK && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() || cursor.node() == node {
                return;
            }
        }
    }
}

/// A heredoc marker's name, `<<-`, whether its body expands variables
/// (the name is unquoted) and its file descriptor.
fn marker_parts(word: &str) -> Option<(String, bool, bool, Option<u32>)> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = word[digits..].strip_prefix("<<")?;
    let (chomp, rest) = match rest.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let rest = rest.trim_start();
    let name: String = rest.chars().filter(|&c| c != '"' && c != '\'').collect();
    if name.is_empty() {
        return None;
    }
    let fd = (digits > 0).then(|| word[..digits].parse().ok()).flatten();
    Some((name.clone(), chomp, name.len() == rest.len(), fd))
}
