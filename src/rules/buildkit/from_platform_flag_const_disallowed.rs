//! `FROM --platform=` with a constant value.

use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity, RUN_COPY_ADD};

use super::util::parse_platform;

pub static META: RuleMeta = RuleMeta {
    code: "FromPlatformFlagConstDisallowed",
    aliases: &["DL3029"],
    summary: "FROM --platform with a constant value",
    docs: "## What\nA `FROM --platform=linux/amd64` (a constant, no variable) on a stage whose \
name does not mention that OS or architecture.\n\n\
## Why\nA constant platform pins the stage to one platform: the Dockerfile can no longer \
build a multi-platform image, and on another machine the stage runs under emulation. \
Stages that are platform-specific on purpose say so in their name \
(`AS build-amd64`), which silences the rule, as in BuildKit.\n\n\
hadolint's DL3029 is stricter: it reports every `--platform` except those using \
`$BUILDPLATFORM` or `$TARGETPLATFORM`, whatever the stage name or variables; berth keeps \
BuildKit's semantics and answers to DL3029 too.\n\n\
## Example\n```dockerfile\nFROM --platform=linux/amd64 alpine AS base\n```\n\n\
## Fix\nDrop the flag and pass `--platform` to `docker build`, use a variable \
(`--platform=$BUILDPLATFORM` for a stage that cross-compiles), or name the stage after \
its platform (`AS base-amd64`).",
    severity: Severity::Warning,
    category: Category::BestPractice,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: RUN_COPY_ADD,
    local_to: &[],
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    for st in &ctx.model.stages {
        let Some(flag) = &st.platform else { continue };
        let (Some(value), Some(range)) = (&flag.value, flag.value_range) else {
            continue;
        };
        if flag.word.raw.contains('$') {
            continue; // a variable: not a constant
        }
        // A value that does not parse fails the build instead.
        let Some((os, arch)) = parse_platform(value) else {
            continue;
        };
        let name = st.name.as_deref().unwrap_or("");
        if name.contains(os.as_str()) || arch.as_deref().is_some_and(|a| name.contains(a)) {
            continue;
        }
        let suffix = arch.as_deref().unwrap_or(os.as_str());
        acc.push(
            &META,
            range,
            format!(
                "constant platform `{value}` pins this stage to one platform: remove it (pass --platform to docker build), use a variable such as $BUILDPLATFORM, or name the stage after the platform (e.g. `AS {}-{suffix}`)",
                if name.is_empty() { "base" } else { name }
            ),
        );
    }
}
