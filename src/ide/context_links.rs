//! Build-context features: links from COPY/ADD sources to the files they
//! name, and completion of context paths in COPY/ADD sources.

use crate::ide::{Analysis, CompletionItem, CompletionKind};
use crate::model::context::{context_sources, join, BuildContext, EntryKind};
use crate::model::fs::Fs;
use crate::model::{Form, Instruction};
use crate::syntax::Keyword;
use crate::text::{TextRange, TextSize};

/// A COPY/ADD source that exists in the build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextLink {
    /// The source as written.
    pub range: TextRange,
    /// Relative to the context root, `/`-separated (`.` is never linked).
    pub path: String,
    pub is_dir: bool,
}

impl Analysis {
    /// Links for the COPY/ADD sources that are entries of the build context
    /// (files and directories; never symbolic links, globs or the root).
    /// Empty without a context.
    pub fn context_links(&self) -> Vec<ContextLink> {
        let Some(bc) = self.settings().rules.context.as_deref() else {
            return Vec::new();
        };
        let m = self.model();
        let fs = Fs::new(m);
        context_sources(m, &fs)
            .into_iter()
            .filter(|s| !s.source.wildcard && s.rel != ".")
            .filter_map(|s| {
                let e = bc.entry(&s.rel)?;
                (e.kind != EntryKind::Symlink).then(|| ContextLink {
                    range: s.source.range,
                    path: e.path.clone(),
                    is_dir: e.kind == EntryKind::Dir,
                })
            })
            .collect()
    }
}

/// Completion of a context path in a COPY/ADD source: the entries of the
/// directory typed so far (`partial` up to the cursor at `offset`),
/// directories with a trailing `/`, ignored entries left out.
pub(super) fn path_items(
    bc: &BuildContext,
    ins: &Instruction,
    partial: &str,
    offset: TextSize,
) -> Vec<CompletionItem> {
    if !matches!(ins.kind, Keyword::Copy | Keyword::Add)
        || ins.form == Form::Exec
        || ins.flag("from").is_some()
        || partial.starts_with("<<")
        || partial.contains(['$', '"', '\'', '*', '?', '['])
        || partial.contains("://")
    {
        return Vec::new();
    }
    // The last argument is the destination once there are two.
    let word_start = offset - partial.len() as TextSize;
    if ins.args.len() >= 2
        && ins
            .args
            .last()
            .is_some_and(|a| a.range.start <= word_start && word_start <= a.range.end)
    {
        return Vec::new();
    }
    let (dir, name) = match partial.rfind('/') {
        Some(i) => (&partial[..i], &partial[i + 1..]),
        None => ("", partial),
    };
    let mut parts = Vec::new();
    for seg in dir.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Vec::new(),
            s => parts.push(s),
        }
    }
    let dir = parts.join("/");
    if !bc.is_dir(&dir) {
        return Vec::new();
    }
    let edit = TextRange::new(offset - name.len() as TextSize, offset);
    bc.children(&dir)
        .filter(|(n, _)| n.starts_with(name))
        .filter(|(_, e)| !bc.ignored(&e.path))
        .map(|(n, e)| {
            let is_dir = e.kind == EntryKind::Dir;
            let insert = if is_dir {
                format!("{n}/")
            } else {
                n.to_string()
            };
            CompletionItem {
                label: insert.clone(),
                kind: if is_dir {
                    CompletionKind::Folder
                } else {
                    CompletionKind::File
                },
                detail: Some(join(&dir, n)),
                documentation: None,
                edit_range: edit,
                insert_text: insert,
                // Directories first, then files, by name.
                sort_text: Some(format!("{}{n}", if is_dir { 0 } else { 1 })),
            }
        })
        .collect()
}
