//! Signature help inside a flag's value: the flag's syntax, and for
//! `RUN --mount=` the keys its `type` accepts (`bind` when no type is
//! given) with the key under the cursor active.

use super::docs;
use super::hover::mount_field_at;
use super::Analysis;
use crate::model::Instruction;
use crate::syntax::Keyword;
use crate::text::{TextRange, TextSize};

/// One parameter: its byte range in [`SignatureHelp::label`] and its docs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureParameter {
    pub label: TextRange,
    pub documentation: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureHelp {
    pub label: String,
    pub documentation: String,
    pub parameters: Vec<SignatureParameter>,
    /// The parameter the cursor is on, if any.
    pub active_parameter: Option<usize>,
}

impl SignatureHelp {
    /// The label text of parameter `i`.
    pub fn parameter_text(&self, i: usize) -> &str {
        self.parameters[i].label.slice(&self.label)
    }
}

impl Analysis {
    /// Signature help at `offset`: only inside the value of a flag.
    pub fn signature_help(&self, offset: TextSize) -> Option<SignatureHelp> {
        if offset as usize > self.text().len() {
            return None;
        }
        let ins = self.model().instruction_at(offset)?;
        flag_signature(self.text(), ins, offset)
            .or_else(|| flag_signature(self.text(), ins.onbuild.as_deref()?, offset))
    }
}

fn flag_signature(text: &str, ins: &Instruction, offset: TextSize) -> Option<SignatureHelp> {
    let f = ins.flags.iter().find(|f| {
        f.word.range.touches(offset) && f.value_range.is_some() && offset > f.name_range.end
    })?;
    let doc = docs::flag_doc(ins.kind, &f.name)?;
    if ins.kind == Keyword::Run && f.name == "mount" {
        return Some(mount_signature(text, f.value_range?, offset, doc));
    }
    let label = doc.syntax.lines().next().unwrap_or(doc.syntax).to_string();
    let eq = label.find('=').map_or(0, |i| i + 1);
    let value_end = label.find(['\n', ' ']).unwrap_or(label.len());
    Some(SignatureHelp {
        parameters: vec![SignatureParameter {
            label: TextRange::from_usize(eq, value_end),
            documentation: doc.text.to_string(),
        }],
        label,
        documentation: doc.text.to_string(),
        active_parameter: Some(0),
    })
}

fn mount_signature(
    text: &str,
    value: TextRange,
    offset: TextSize,
    flag: &docs::Doc,
) -> SignatureHelp {
    let (typ, field) = mount_field_at(text, value, offset);
    let known = docs::mount_type_doc(&typ).is_some();
    let shown_type = if known { typ.as_str() } else { "bind" };
    let mut label = String::from("--mount=");
    let mut parameters = Vec::new();
    let mut names = Vec::new();
    let type_doc = docs::mount_type_doc(shown_type).map_or(flag.text, |d| d.text);
    let start = label.len();
    label.push_str("type=");
    label.push_str(shown_type);
    parameters.push(SignatureParameter {
        label: TextRange::from_usize(start, label.len()),
        documentation: type_doc.to_string(),
    });
    names.push("type");
    for key in docs::mount_keys(shown_type) {
        let Some(doc) = docs::mount_key_doc(shown_type, key) else {
            continue;
        };
        label.push(',');
        let start = label.len();
        label.push_str(doc.syntax);
        parameters.push(SignatureParameter {
            label: TextRange::from_usize(start, label.len()),
            documentation: doc.text.to_string(),
        });
        names.push(key);
    }
    let active = field.and_then(|(key, _, _)| {
        let key = docs::mount_key_canonical(&key);
        names.iter().position(|n| *n == key).or_else(|| {
            // A key being typed: the only key it starts.
            let mut starts = names.iter().enumerate().filter(|(_, n)| n.starts_with(key));
            match (key.is_empty(), starts.next(), starts.next()) {
                (false, Some((i, _)), None) => Some(i),
                _ => None,
            }
        })
    });
    SignatureHelp {
        label,
        documentation: flag.text.to_string(),
        parameters,
        active_parameter: active,
    }
}
