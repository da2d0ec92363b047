//! DL3020: ADD of local files or folders.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::syntax::Keyword;

use super::drop_quotes;

pub static META: RuleMeta = RuleMeta {
    code: "DL3020",
    aliases: &[],
    summary: "ADD of a local file or folder (use COPY)",
    docs: "## What\nAn `ADD` source that is a plain local file or folder: not a URL, not a git \
repository, not a local archive that ADD would extract.\n\n\
## Why\n`ADD` does more than copy: it downloads URLs and unpacks local tar archives. Used for \
an ordinary file it behaves like `COPY` but hides those side effects (rename `app.tar` one day \
and it gets unpacked). `COPY` says what happens.\n\n\
Archives are recognised by name, as in hadolint: `.tar`, `.gz`, `.bz2`, `.xz`, `.lz`, \
`.lzma`, `.Z`, `.tgz`, `.tbz`, `.tbz2`, `.tb2`, `.tlz`, `.tpz`, `.txz`, `.tZ`, and (berth \
only) `.zst`, `.tzst`, which BuildKit also unpacks. `.zip` is not unpacked by ADD, so it is \
reported. Differences from hadolint: git sources (`git@host:org/repo.git`, `ssh://`, \
`git://`) are remote, and a source that is a variable (`ADD ${SRC} /x`) is not reported \
since it may hold a URL.\n\n\
## Example\n```dockerfile\nFROM alpine:3.20\nADD app.py /app/\n```\n\n\
## Fix\nUse `COPY app.py /app/`.",
    severity: Severity::Error,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

const ARCHIVES: &[&str] = &[
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz", ".zst", ".tzst",
];

const REMOTE: &[&str] = &["http://", "https://", "git@", "git://", "ssh://"];

fn check(ctx: &Ctx, acc: &mut Acc) {
    for ins in ctx
        .model
        .instructions
        .iter()
        .filter(|i| i.kind == Keyword::Add)
    {
        let Some((_, sources)) = ins.args.split_last() else {
            continue;
        };
        for w in sources {
            let src = drop_quotes(&w.value);
            if src.starts_with("<<")
                || src.contains('$')
                || REMOTE.iter().any(|p| src.starts_with(p))
                || ARCHIVES.iter().any(|a| src.ends_with(a))
            {
                continue;
            }
            acc.push(
                &META,
                w.range,
                format!("`{src}` is a local file or folder: use COPY (ADD is for URLs and archives to unpack)"),
            );
        }
    }
}
