//! Parser directives (`# syntax=`, `# escape=`, `# check=`): the comments
//! at the top of a Dockerfile BuildKit reads as settings.

use crate::text::TextRange;

use super::words::is_go_space;
use super::{Directive, SyntaxError, SyntaxFile};

/// Reads the comments at the top of a file as directives until the first
/// line that is not one.
#[derive(Default)]
pub struct DirectiveParser {
    done: bool,
    seen: Vec<String>,
}

impl DirectiveParser {
    /// BuildKit's directive grammar: `#` then `name = value` with a known
    /// name; the first line that is not one ends the directive section.
    pub fn done(&self) -> bool {
        self.done
    }

    /// Something other than a directive came: the section is over.
    pub fn end(&mut self) {
        self.done = true;
    }

    /// Read a top-level comment (`range`, from `#` to the line's content
    /// end); whether it is a directive.
    pub fn line(&mut self, text: &str, range: TextRange, out: &mut SyntaxFile) -> bool {
        let (start, end) = (range.start as usize, range.end as usize);
        if self.done {
            return false;
        }
        let line = &text[start..end];
        let Some(after_hash) = line.strip_prefix('#') else {
            self.done = true;
            return false;
        };
        let body = after_hash.trim_start_matches(is_go_space);
        let body_start = end - body.len();
        let name_len = body
            .char_indices()
            .take_while(|&(i, c)| {
                if i == 0 {
                    c.is_ascii_alphabetic()
                } else {
                    c.is_ascii_alphanumeric()
                }
            })
            .count();
        let after_name = &body[name_len..];
        let after_ws = after_name.trim_start_matches(is_go_space);
        let Some(value_part) = after_ws.strip_prefix('=') else {
            self.done = true;
            return false;
        };
        let value_trim_left = value_part.trim_start_matches(is_go_space);
        let value = value_trim_left.trim_end_matches(is_go_space);
        if name_len == 0 || value.is_empty() {
            self.done = true;
            return false;
        }
        let name = body[..name_len].to_ascii_lowercase();
        if !matches!(name.as_str(), "syntax" | "escape" | "check") {
            self.done = true;
            return false;
        }
        let value_start = end - value_trim_left.len();
        let range = TextRange::from_usize(start, end);
        if self.seen.contains(&name) {
            out.errors.push(SyntaxError {
                range,
                message: format!("only one {name} parser directive can be used"),
            });
            return true;
        }
        self.seen.push(name.clone());
        if name == "escape" {
            match value {
                "\\" => out.escape = b'\\',
                "`" => out.escape = b'`',
                _ => out.errors.push(SyntaxError {
                    range: TextRange::from_usize(value_start, value_start + value.len()),
                    message: format!("invalid escape token '{value}' does not match ` or \\"),
                }),
            }
        }
        out.directives.push(Directive {
            name,
            value: value.to_string(),
            range,
            name_range: TextRange::from_usize(body_start, body_start + name_len),
            value_range: TextRange::from_usize(value_start, value_start + value.len()),
        });
        true
    }
}
