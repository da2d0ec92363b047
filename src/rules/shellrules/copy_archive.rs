//! DL3010: an archive COPYed into the image, then extracted by a RUN.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::shell::Command;
use crate::syntax::Keyword;
use crate::text::TextRange;

pub static META: RuleMeta = RuleMeta {
    code: "DL3010",
    aliases: &[],
    summary: "COPY of an archive that a later RUN extracts (use ADD)",
    docs: "## What\nA local archive (`.tar`, `.tar.gz`, `.tgz`, `.tar.xz`, `.bz2`...) copied \
with `COPY`, then extracted by a later `RUN` of the same stage (`tar -x`, `gunzip`, \
`unxz`...).\n\n\
## Why\nThe `COPY` layer keeps the compressed archive for ever, even when the `RUN` deletes \
it afterwards, so the image carries the data twice. `ADD` extracts a local tar archive \
itself, in one layer.\n\n\
## Example\n```dockerfile\nFROM debian:12\nCOPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n```\n\n\
## Fix\n`ADD app.tar.gz /opt/`. (Or, to keep `COPY`, extract from a bind mount: \
`RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar -xzf /tmp/app.tar.gz -C /opt`.) \
The archive is matched by file name, as in hadolint; berth also recognises old-style \
`tar xzf file` and `--file=`, and does not take `--exclude` for an extraction flag.",
    severity: Severity::Info,
    category: Category::Shell,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

const EXTENSIONS: &[&str] = &[
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

fn basename(p: &str) -> &str {
    let p = p.trim_matches(['"', '\'']);
    p.rsplit(['/', '\\']).next().unwrap_or(p)
}

fn is_archive(p: &str) -> bool {
    let p = p.trim_matches(['"', '\'']);
    EXTENSIONS.iter().any(|e| p.ends_with(e))
}

const DECOMPRESSORS: &[&str] = &[
    "unzip",
    "gunzip",
    "bunzip2",
    "unlzma",
    "unxz",
    "zgz",
    "uncompress",
    "zcat",
    "gzcat",
];

fn extracts(cmd: &Command) -> bool {
    let prog = cmd.program();
    if DECOMPRESSORS.contains(&prog) {
        return true;
    }
    if prog != "tar" {
        return false;
    }
    cmd.args.iter().enumerate().any(|(i, a)| {
        let v = a.value.as_str();
        if let Some(long) = v.strip_prefix("--") {
            matches!(long, "extract" | "get")
        } else if let Some(b) = v.strip_prefix('-') {
            b.contains('x')
        } else {
            // Old-style bundle: `tar xzf file`.
            i == 0 && v.contains('x') && v.chars().all(|c| c.is_ascii_alphabetic())
        }
    })
}

/// The file names a command reads: its operands, and `--file=` values.
fn file_names(cmd: &Command) -> impl Iterator<Item = &str> {
    cmd.args.iter().filter_map(|a| {
        let v = a.value.as_str();
        if let Some(f) = v.strip_prefix("--file=") {
            Some(basename(f))
        } else if v.starts_with('-') {
            None
        } else {
            Some(basename(v))
        }
    })
}

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for stage in &m.stages {
        // (archive name, where the COPY names it, already reported)
        let mut archives: Vec<(String, TextRange, bool)> = Vec::new();
        for ins in m
            .instructions
            .get(stage.instructions.clone())
            .unwrap_or(&[])
        {
            match ins.kind {
                Keyword::Copy if ins.flag("from").is_none() && ins.heredocs.is_empty() => {
                    let Some((dest, srcs)) = ins.args.split_last() else {
                        continue;
                    };
                    if is_archive(&dest.value) {
                        archives.push((basename(&dest.value).to_string(), dest.range, false));
                    } else {
                        for s in srcs.iter().filter(|s| is_archive(&s.value)) {
                            archives.push((basename(&s.value).to_string(), s.range, false));
                        }
                    }
                }
                Keyword::Run if !archives.is_empty() => {
                    for cmd in ctx
                        .scripts(ins.index)
                        .iter()
                        .flat_map(|s| s.commands.iter())
                    {
                        if !extracts(cmd) {
                            continue;
                        }
                        for name in file_names(cmd) {
                            for (archive, range, done) in archives.iter_mut() {
                                if *done || archive != name {
                                    continue;
                                }
                                *done = true;
                                acc.push(
                                    &META,
                                    *range,
                                    format!(
                                        "`{archive}` is copied, then extracted by a RUN: \
`ADD` extracts a local tar archive in one layer"
                                    ),
                                )
                                .related(cmd.range, "extracted here");
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
}
