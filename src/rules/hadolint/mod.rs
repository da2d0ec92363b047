//! hadolint's DL rules that read instructions (not shell commands).
//!
//! Semantics follow hadolint 2.15.1 (its rule sources and specs, and the
//! real binary on the corpus); where berth departs from it on purpose the
//! rule's docs say so. Like hadolint, these rules read top-level
//! instructions only: the trigger of an `ONBUILD` runs in another build.

use crate::model::{Base, Instruction, Model};
use crate::rules::Rule;
use crate::syntax::Keyword;
use crate::text::TextRange;

mod add_local_files;
mod consecutive_run;
mod copy_multi_dest;
mod copy_relative_no_workdir;
mod copy_root_filesystem;
mod env_self_reference;
mod expose_port_range;
mod healthcheck_missing;
mod inline_ignore;
mod instruction_before_from;
mod label_empty;
mod label_format;
mod label_key;
mod label_missing;
mod label_superfluous;
mod label_values;
mod latest_tag;
mod non_numeric_user;
mod root_user;
mod spdx;
mod trusted_registry;
mod untagged_image;

pub static RULES: &[Rule] = &[
    inline_ignore::RULE,
    root_user::RULE,
    untagged_image::RULE,
    latest_tag::RULE,
    expose_port_range::RULE,
    add_local_files::RULE,
    copy_multi_dest::RULE,
    trusted_registry::RULE,
    env_self_reference::RULE,
    copy_relative_no_workdir::RULE,
    label_key::RULE,
    label_missing::RULE,
    label_superfluous::RULE,
    label_empty::RULE,
    label_format::URL_RULE,
    label_format::RFC3339_RULE,
    label_format::SPDX_RULE,
    label_format::HASH_RULE,
    label_format::SEMVER_RULE,
    healthcheck_missing::RULE,
    label_format::EMAIL_RULE,
    consecutive_run::RULE,
    instruction_before_from::RULE,
    non_numeric_user::RULE,
    copy_root_filesystem::RULE,
];

/// `Text.dropAround` of hadolint: strip quotes at both ends.
fn drop_quotes(s: &str) -> &str {
    s.trim_matches(['"', '\''])
}

/// The stages that may end up as an image of their own: the target, and
/// every stage no other stage builds on or copies from (a Dockerfile
/// built with `--target` ships one of those). Builder stages that only
/// feed others are not images anyone runs.
fn image_stages(m: &Model) -> Vec<bool> {
    let mut used = vec![false; m.stages.len()];
    for r in &m.refs {
        if let Some(t) = r.target_stage() {
            if t != r.stage {
                if let Some(u) = used.get_mut(t) {
                    *u = true;
                }
            }
        }
    }
    for s in &m.stages {
        if let Base::Stage(b) = s.base {
            if b < s.index {
                used[b] = true;
            }
        }
    }
    let mut out: Vec<bool> = used.iter().map(|u| !u).collect();
    if let Some(t) = m.target.and_then(|t| out.get_mut(t)) {
        *t = true;
    }
    out
}

/// Stage `s` and the stages it is built `FROM`, nearest first.
fn chain(m: &Model, s: usize) -> impl Iterator<Item = usize> + '_ {
    let mut next = Some(s);
    std::iter::from_fn(move || {
        let cur = next?;
        next = match m.stages.get(cur).map(|st| &st.base) {
            Some(Base::Stage(b)) if *b < cur => Some(*b),
            _ => None,
        };
        Some(cur)
    })
}

/// The top-level instructions of stage `s` (its FROM included).
fn stage_instructions(m: &Model, s: usize) -> &[Instruction] {
    m.stages
        .get(s)
        .and_then(|st| m.instructions.get(st.instructions.clone()))
        .unwrap_or(&[])
}

/// A `key=value` pair of a LABEL instruction.
struct LabelPair {
    /// The key after quote removal.
    key: String,
    key_range: TextRange,
    /// The value after quote removal (variables kept as written).
    value: String,
    /// The whole `key=value` word (or the legacy `key value` text).
    range: TextRange,
    /// The value refers to a variable: BuildKit fills it in at build time.
    has_var: bool,
}

/// BuildKit's quote removal for a word, without variable expansion.
fn unquote(s: &str, escape: u8) -> String {
    let esc = escape as char;
    let mut out = String::with_capacity(s.len());
    let mut quote: Option<char> = None;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match quote {
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == esc => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            Some('\'') if c == '\'' => quote = None,
            Some('"') if c == '"' => quote = None,
            Some('"') if c == esc => match chars.next() {
                Some(n) if n == '"' || n == '$' || n == esc => out.push(n),
                Some(n) => {
                    out.push(esc);
                    out.push(n);
                }
                None => out.push(esc),
            },
            _ => out.push(c),
        }
    }
    out
}

/// The pairs of a LABEL instruction, `key=value` words or the legacy
/// `LABEL key value...` form.
fn label_pairs(ins: &Instruction, escape: u8) -> Vec<LabelPair> {
    let j = &ins.joined;
    let Some(first) = ins.args.first() else {
        return Vec::new();
    };
    if !first.raw.contains('=') {
        let value_words = &ins.args[1..];
        let (value, range, has_var) = match (value_words.first(), value_words.last()) {
            (Some(a), Some(b)) => {
                let text = j.text.get(a.joined.0 as usize..b.joined.1 as usize);
                let text = text.unwrap_or("");
                (
                    unquote(text, escape),
                    first.range.cover(b.range),
                    text.contains('$'),
                )
            }
            _ => (String::new(), first.range, false),
        };
        return vec![LabelPair {
            key: unquote(&first.raw, escape),
            key_range: first.range,
            value,
            range,
            has_var,
        }];
    }
    ins.args
        .iter()
        .filter_map(|w| {
            let eq = w.raw.find('=')?;
            let start = w.joined.0 as usize;
            let raw_value = &w.raw[eq + 1..];
            Some(LabelPair {
                key: unquote(&w.raw[..eq], escape),
                key_range: j.src_range(start, start + eq),
                value: unquote(raw_value, escape),
                range: w.range,
                has_var: raw_value.contains('$'),
            })
        })
        .collect()
}

/// Top-level LABEL instructions.
fn labels(m: &Model) -> impl Iterator<Item = &Instruction> {
    m.instructions.iter().filter(|i| i.kind == Keyword::Label)
}

/// The label schema entry for `key`, if any.
fn schema_kind<'a>(schema: &'a [(String, String)], key: &str) -> Option<&'a str> {
    schema
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, t)| t.as_str())
}

/// An image reference split where BuildKit splits it, with `${...}`
/// expansions kept opaque (`node:${V:-22}` has the tag `${V:-22}`).
struct ImageParts<'a> {
    /// Registry and repository.
    name: &'a str,
    /// Byte offset of the `:` before the tag, and the tag.
    tag: Option<(usize, &'a str)>,
    digest: Option<&'a str>,
}

fn split_image(text: &str) -> ImageParts<'_> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut colon = None;
    let mut at = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b'/' if depth == 0 => colon = None,
            b':' if depth == 0 && colon.is_none() => colon = Some(i),
            b'@' if depth == 0 => {
                at = Some(i);
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let name_end = at.unwrap_or(text.len());
    let digest = at.map(|a| &text[a + 1..]);
    match colon {
        Some(c) => ImageParts {
            name: &text[..c],
            tag: Some((c, &text[c + 1..name_end])),
            digest,
        },
        None => ImageParts {
            name: &text[..name_end],
            tag: None,
            digest,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_outside_expansions() {
        let p = split_image("node:${V:-22}@sha256:ab");
        assert_eq!(p.name, "node");
        assert_eq!(p.tag, Some((4, "${V:-22}")));
        assert_eq!(p.digest, Some("sha256:ab"));
        let p = split_image("localhost:5000/app");
        assert_eq!(p.name, "localhost:5000/app");
        assert_eq!(p.tag, None);
        let p = split_image("${IMG:-nginx}");
        assert_eq!(p.name, "${IMG:-nginx}");
        assert_eq!(p.tag, None);
    }

    #[test]
    fn quotes_are_removed() {
        assert_eq!(unquote(r#""a b"c"#, b'\\'), "a bc");
        assert_eq!(unquote(r#"'$x'"#, b'\\'), "$x");
        assert_eq!(unquote(r#""a\"b""#, b'\\'), "a\"b");
        assert_eq!(unquote(r#"a\ b"#, b'\\'), "a b");
    }
}
