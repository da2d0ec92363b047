//! `FROM --platform=$TARGETPLATFORM`.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, Tag};
use crate::syntax::{words, Joined};
use crate::text::TextRange;

pub static META: RuleMeta = RuleMeta {
    code: "RedundantTargetPlatform",
    aliases: &["DL3065"],
    summary: "`FROM --platform=$TARGETPLATFORM` is the default",
    docs: "## What\nA `FROM --platform=` whose value is just `$TARGETPLATFORM` (or \
`${TARGETPLATFORM}`, quoted or with a default).\n\n\
## Why\nA stage is built for the target platform unless told otherwise: the flag changes \
nothing and suggests it does. (`--platform=$BUILDPLATFORM` is different and useful: it \
runs a stage on the build machine, for cross-compiling.)\n\n\
hadolint's DL3065 reports only the bare `$TARGETPLATFORM` and `${TARGETPLATFORM}`; berth \
follows BuildKit, which also sees through quotes and `${TARGETPLATFORM:-...}`.\n\n\
## Example\n```dockerfile\nFROM --platform=$TARGETPLATFORM alpine\n```\n\n\
## Fix\nRemove the flag: `FROM alpine`.",
    severity: Severity::Warning,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: &[],
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    let m = ctx.model;
    for st in &m.stages {
        let Some(flag) = &st.platform else { continue };
        let Some(eq) = flag.word.raw.find('=') else {
            continue;
        };
        let raw = &flag.word.raw[eq + 1..];
        if !is_target_platform(raw, m.escape) {
            continue;
        }
        acc.push(
            &META,
            flag.word.range,
            format!(
                "`--platform={raw}` is redundant: stages are built for $TARGETPLATFORM by default; remove the flag"
            ),
        )
        .tag(Tag::Unnecessary);
    }
}

/// Whether a --platform value expands to exactly `$TARGETPLATFORM` and uses
/// no other variable.
fn is_target_platform(raw: &str, escape: u8) -> bool {
    let j = Joined::new(raw, vec![TextRange::from_usize(0, raw.len())]);
    let refs = words::scan_vars(&j, (0, raw.len()), escape);
    let [r] = refs.as_slice() else {
        return false;
    };
    if r.name != "TARGETPLATFORM"
        || !matches!(
            r.modifier.as_deref(),
            None | Some("-") | Some(":-") | Some("?") | Some(":?")
        )
    {
        return false;
    }
    let whole = raw
        .get(r.range.start as usize..r.range.end as usize)
        .unwrap_or("");
    if whole.starts_with("${") && !whole.ends_with('}') {
        return false; // unterminated: BuildKit fails on it
    }
    // Around the reference, only double quotes.
    let before = &raw[..r.range.start as usize];
    let after = &raw[(r.range.end as usize).min(raw.len())..];
    before.chars().chain(after.chars()).all(|c| c == '"')
}
