//! Completion: instruction keywords, flags and their values, stage names
//! after `--from=`, `from=` and `FROM`, variables after `$` and `${`.

use super::docs;
use crate::model::catalog;
use crate::model::{vars_visible, Model, Stage, PREDEFINED_ARGS};
use crate::syntax::{FlagKind, Keyword};
use crate::text::{TextRange, TextSize};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Flag,
    Value,
    Stage,
    Variable,
    /// A build-context file (COPY/ADD sources).
    File,
    /// A build-context directory.
    Folder,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    pub documentation: Option<String>,
    /// The text the item replaces.
    pub edit_range: TextRange,
    pub insert_text: String,
    /// Sorts before items with a larger key (stage order, nearest first).
    pub sort_text: Option<String>,
}

/// One-line summaries of the instructions.
pub fn keyword_summary(k: Keyword) -> &'static str {
    match k {
        Keyword::Add => "Add local files, URLs or git repositories to the image",
        Keyword::Arg => "Declare a build argument",
        Keyword::Cmd => "Default command of the container",
        Keyword::Copy => "Copy files from the build context or another stage",
        Keyword::Entrypoint => "Executable the container runs",
        Keyword::Env => "Set environment variables",
        Keyword::Expose => "Document a port the container listens on",
        Keyword::From => "Start a build stage from a base image or an earlier stage",
        Keyword::Healthcheck => "Command that checks the container is healthy",
        Keyword::Label => "Add metadata to the image",
        Keyword::Maintainer => "Deprecated author field (use LABEL)",
        Keyword::Onbuild => "Instruction to run when the image is used as a base",
        Keyword::Run => "Run a command while building",
        Keyword::Shell => "Shell used by shell-form instructions",
        Keyword::Stopsignal => "Signal that stops the container",
        Keyword::User => "User (and group) for the following instructions and the container",
        Keyword::Volume => "Mark a path as a volume",
        Keyword::Workdir => "Working directory for the following instructions",
        Keyword::Unknown => "",
    }
}

fn flag_values(flag: &str) -> &'static [(&'static str, &'static str)] {
    match flag {
        "network" => &[
            ("default", "the default network"),
            ("none", "no network access"),
            ("host", "the host's network (needs an entitlement)"),
        ],
        "security" => &[
            ("sandbox", "the default sandbox"),
            ("insecure", "privileged (needs an entitlement)"),
        ],
        "platform" => &[
            ("$BUILDPLATFORM", "the platform of the build machine"),
            ("$TARGETPLATFORM", "the platform being built"),
            ("linux/amd64", ""),
            ("linux/arm64", ""),
            ("linux/arm/v7", ""),
            ("windows/amd64", ""),
        ],
        "link" | "parents" | "unpack" | "keep-git-dir" => &[("true", ""), ("false", "")],
        _ => &[],
    }
}

const MOUNT_TYPES: &[(&str, &str)] = &[
    (
        "bind",
        "mount a directory of the build context or a stage (read-only by default)",
    ),
    (
        "cache",
        "a persistent cache directory for compilers and package managers",
    ),
    ("tmpfs", "a tmpfs mount"),
    ("secret", "a secret file, never stored in the image"),
    ("ssh", "the SSH agent socket"),
];

/// The 1-based line of each stage's start, for `stages` in order: one pass
/// over the text (not one per stage: a file may have hundreds).
fn stage_lines(text: &str, stages: &[Stage]) -> Vec<usize> {
    let mut line = 1;
    let mut from = 0;
    stages
        .iter()
        .map(|s| {
            let to = (s.range.start as usize).clamp(from, text.len());
            line += text.as_bytes()[from..to]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            from = to;
            line
        })
        .collect()
}

fn stage_item(line: usize, s: &Stage, label: String, edit: TextRange) -> CompletionItem {
    CompletionItem {
        detail: Some(format!(
            "stage {} · FROM {} · line {}",
            s.index, s.base_text, line
        )),
        documentation: None,
        kind: CompletionKind::Stage,
        edit_range: edit,
        insert_text: label.clone(),
        label,
        sort_text: Some(format!("{:05}", 99999 - s.index.min(99999))),
    }
}

/// Earlier named stages (nearest first), for `--from=` and `FROM`.
fn stage_items(
    text: &str,
    m: &Model,
    current: Option<usize>,
    edit: TextRange,
    with_index: bool,
) -> Vec<CompletionItem> {
    let end = current.unwrap_or(m.stages.len());
    let mut out = Vec::new();
    let mut seen: std::collections::HashSet<&str> = Default::default();
    let stages = &m.stages[..end];
    let lines = stage_lines(text, stages);
    for (s, &line) in stages.iter().zip(&lines).rev() {
        match &s.name {
            Some(n) if seen.insert(n.as_str()) => {
                out.push(stage_item(line, s, n.clone(), edit));
            }
            None if with_index => out.push(stage_item(line, s, s.index.to_string(), edit)),
            _ => {}
        }
    }
    out
}

pub(super) fn completions(
    text: &str,
    m: &Model,
    offset: TextSize,
    context: Option<&crate::model::context::BuildContext>,
) -> Vec<CompletionItem> {
    let offset = crate::text::floor_char_boundary(text, offset as usize);
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    // After the last whitespace character (which may be several bytes:
    // U+00A0, U+2028...).
    let word_start = prefix
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(line_start, |(i, c)| line_start + i + c.len_utf8());
    let partial = &text[word_start..offset];
    let edit = TextRange::from_usize(word_start, offset);
    let offset = offset as TextSize;

    let ins = m.instruction_at(offset);
    let in_logical_line =
        ins.is_some_and(|i| offset <= i.logical_end && offset > i.keyword.range.end);

    // Variables after `$` or `${`.
    if let Some(dollar) = partial.rfind('$') {
        if in_logical_line || ins.is_none() {
            let after = &partial[dollar + 1..];
            let name_part = after.strip_prefix('{').unwrap_or(after);
            if name_part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                let start = offset - name_part.len() as TextSize;
                return variable_items(
                    m,
                    ins.map(|i| i.index),
                    offset,
                    TextRange::new(start, offset),
                );
            }
        }
    }

    let Some(ins) = ins.filter(|_| in_logical_line) else {
        // At the start of a line: instruction keywords.
        if prefix.trim_start() == partial && partial.chars().all(|c| c.is_ascii_alphabetic()) {
            return Keyword::ALL
                .iter()
                .map(|&k| CompletionItem {
                    label: k.name().to_string(),
                    kind: CompletionKind::Keyword,
                    detail: Some(keyword_summary(k).to_string()),
                    documentation: docs::keyword_doc(k).map(|d| d.markdown()),
                    edit_range: edit,
                    insert_text: format!("{} ", k.name()),
                    sort_text: None,
                })
                .collect();
        }
        return Vec::new();
    };

    let stage = ins.stage;
    if let Some(flag_text) = partial.strip_prefix("--") {
        // Flags are only flags before the first argument.
        let before_args = ins.args_range.is_empty() || edit.start <= ins.args_range.start;
        if !before_args {
            return Vec::new();
        }
        return match flag_text.split_once('=') {
            None => ins
                .kind
                .flags()
                .iter()
                .map(|f| {
                    let insert = match f.kind {
                        FlagKind::Bool => format!("--{}", f.name),
                        _ => format!("--{}=", f.name),
                    };
                    CompletionItem {
                        label: insert.clone(),
                        kind: CompletionKind::Flag,
                        detail: Some(format!("{} flag", ins.kind.name())),
                        documentation: docs::flag_doc(ins.kind, f.name).map(|d| d.markdown()),
                        edit_range: edit,
                        insert_text: insert,
                        sort_text: None,
                    }
                })
                .collect(),
            Some((name, value)) => {
                let value_start = offset - value.len() as TextSize;
                flag_value_items(
                    text,
                    m,
                    ins.kind,
                    stage,
                    name,
                    value,
                    TextRange::new(value_start, offset),
                )
            }
        };
    }

    // `FROM name:<cursor>`: the tags berth's catalog knows for `name`.
    if ins.kind == Keyword::From {
        if let Some((name, tag)) = partial.split_once(':').filter(|(n, _)| !n.contains('$')) {
            // A `:` in a registry's port comes before a `/`.
            if !tag.contains('/') {
                let start = offset - tag.len() as TextSize;
                return tag_items(name, TextRange::new(start, offset));
            }
        }
    }
    // `FROM <cursor>`: earlier stages and scratch.
    if ins.kind == Keyword::From
        && ins
            .args
            .first()
            .is_none_or(|a| a.range.touches(offset) || edit.start <= a.range.start)
    {
        let mut items = stage_items(text, m, stage, edit, false);
        items.push(CompletionItem {
            label: "scratch".into(),
            kind: CompletionKind::Value,
            detail: Some("the empty image".into()),
            documentation: None,
            edit_range: edit,
            insert_text: "scratch".into(),
            sort_text: Some("zzzzz".into()),
        });
        return items;
    }
    // COPY/ADD sources: paths of the build context.
    if let Some(bc) = context {
        return super::context_links::path_items(bc, ins, partial, offset);
    }
    Vec::new()
}

/// The tags of `name` in berth's catalog, as written in its families
/// (a `*` version pattern is offered without its `*` part).
fn tag_items(name: &str, edit: TextRange) -> Vec<CompletionItem> {
    let image = crate::model::ImageRef::parse(name);
    let mut seen = std::collections::HashSet::new();
    let mut items = Vec::new();
    for (rank, f) in catalog::repository_families(&image).into_iter().enumerate() {
        for tag in f.tags.iter().filter(|t| !t.contains('*')) {
            if !seen.insert(*tag) {
                continue;
            }
            items.push(CompletionItem {
                label: tag.to_string(),
                kind: CompletionKind::Value,
                detail: Some(family_detail(f)),
                documentation: None,
                edit_range: edit,
                insert_text: tag.to_string(),
                sort_text: Some(format!("{rank:04}{tag}")),
            });
        }
    }
    items
}

fn family_detail(f: &catalog::ImageFacts) -> String {
    let shell = if f.has_shell { "" } else { ", no shell" };
    match f.variant {
        "" => format!("{}{shell}", f.repository),
        v => format!("{} ({v}){shell}", f.repository),
    }
}

fn flag_value_items(
    text: &str,
    m: &Model,
    kind: Keyword,
    stage: Option<usize>,
    name: &str,
    value: &str,
    edit: TextRange,
) -> Vec<CompletionItem> {
    let value_item = |label: &str, detail: &str, edit: TextRange| CompletionItem {
        label: label.to_string(),
        kind: CompletionKind::Value,
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        documentation: None,
        edit_range: edit,
        insert_text: label.to_string(),
        sort_text: None,
    };
    match (kind, name) {
        (Keyword::Copy, "from") => stage_items(text, m, stage, edit, true),
        (Keyword::Run, "mount") => {
            // The field being typed: after the last comma.
            let field = value.rsplit(',').next().unwrap_or("");
            let field_edit_start = edit.end - field.len() as TextSize;
            match field.split_once('=') {
                Some(("type", v)) => {
                    let e = TextRange::new(edit.end - v.len() as TextSize, edit.end);
                    MOUNT_TYPES
                        .iter()
                        .map(|(t, d)| CompletionItem {
                            documentation: docs::mount_type_doc(t).map(|d| d.markdown()),
                            ..value_item(t, d, e)
                        })
                        .collect()
                }
                Some(("from", v)) => {
                    let e = TextRange::new(edit.end - v.len() as TextSize, edit.end);
                    stage_items(text, m, stage, e, false)
                }
                Some(_) => Vec::new(),
                None => {
                    let typ = value
                        .split(',')
                        .find_map(|f| f.strip_prefix("type="))
                        .unwrap_or("bind");
                    let keys = docs::mount_keys(typ);
                    let e = TextRange::new(field_edit_start, edit.end);
                    let mut items: Vec<_> = keys
                        .iter()
                        .map(|k| CompletionItem {
                            documentation: docs::mount_key_doc(typ, k).map(|d| d.markdown()),
                            ..value_item(&format!("{k}="), &format!("--mount type={typ}"), e)
                        })
                        .collect();
                    if !value.contains("type=") {
                        items.insert(
                            0,
                            CompletionItem {
                                documentation: docs::mount_key_doc(typ, "type")
                                    .map(|d| d.markdown()),
                                ..value_item("type=", "bind, cache, tmpfs, secret or ssh", e)
                            },
                        );
                    }
                    items
                }
            }
        }
        _ => flag_values(name)
            .iter()
            .map(|(v, d)| value_item(v, d, edit))
            .collect(),
    }
}

fn variable_items(
    m: &Model,
    at: Option<usize>,
    offset: TextSize,
    edit: TextRange,
) -> Vec<CompletionItem> {
    let at = at.unwrap_or_else(|| m.instructions.partition_point(|i| i.range.start <= offset));
    let mut items: Vec<CompletionItem> = vars_visible(m, at)
        .into_iter()
        .map(|d| {
            let decl = &m.decls[d];
            let kind = match decl.kind {
                crate::model::VarKind::Arg => "ARG",
                crate::model::VarKind::Env => "ENV",
            };
            CompletionItem {
                label: decl.name.clone(),
                kind: CompletionKind::Variable,
                detail: Some(match &decl.value {
                    Some(v) => format!("{kind} {}={v}", decl.name),
                    None => format!("{kind} {}", decl.name),
                }),
                documentation: None,
                edit_range: edit,
                insert_text: decl.name.clone(),
                sort_text: Some(format!("0{}", decl.name)),
            }
        })
        .collect();
    let from_line = m
        .instructions
        .get(at)
        .is_some_and(|i| i.kind == Keyword::From);
    // What the base image's environment sets (berth's catalog).
    let stage = m.instructions.get(at).and_then(|i| i.stage);
    if let Some(f) = stage
        .filter(|_| !from_line)
        .and_then(|s| catalog::exact_for_stages(m).get(s).copied().flatten())
    {
        for (name, value) in f.env {
            if items.iter().any(|i| i.label == *name) {
                continue;
            }
            items.push(CompletionItem {
                label: name.to_string(),
                kind: CompletionKind::Variable,
                detail: Some(format!("{}'s environment: {name}={value}", f.repository)),
                documentation: None,
                edit_range: edit,
                insert_text: name.to_string(),
                sort_text: Some(format!("0~{name}")),
            });
        }
    }
    for (name, doc) in PREDEFINED_ARGS {
        let platform = crate::model::is_platform_arg(name);
        // Platform ARGs are free in FROM lines; proxy ARGs anywhere but FROM.
        if (from_line && !platform) || items.iter().any(|i| i.label == *name) {
            continue;
        }
        if !from_line && platform {
            continue;
        }
        items.push(CompletionItem {
            label: name.to_string(),
            kind: CompletionKind::Variable,
            detail: Some(format!("predefined: {doc}")),
            documentation: None,
            edit_range: edit,
            insert_text: name.to_string(),
            sort_text: Some(format!("1{name}")),
        });
    }
    items
}
