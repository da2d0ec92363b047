//! DL3033: `yum install` of a package without a version.

use crate::rules::packages::rpm_pin::check_rpm_pins;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3033",
    aliases: &[],
    summary: "yum install without a pinned package version",
    docs: "## What\nA package named in `yum install` without a version (`httpd` rather than \
`httpd-2.4.6`), or a module in `yum module install` without a stream (`nodejs` rather \
than `nodejs:20`).\n\n\
## Why\nyum installs the newest version in the enabled repositories at build time: two builds \
of one Dockerfile can differ.\n\n\
## Example\n```dockerfile\nFROM centos:7\nRUN yum install -y httpd && yum clean all\n```\n\n\
## Fix\n`yum install -y httpd-2.4.6`. As in hadolint, a name counts as versioned when what \
follows its first `-` looks like a version (`java-11-openjdk` passes, `python3-devel` does \
not), a `.rpm` file counts as pinned (hadolint also wants a `-` in its name), and a word with a declared variable \
(`httpd-${HTTPD_VERSION}`) is taken as pinned.",
    severity: Severity::Warning,
    category: Category::Packages,
    default: Default::On,
};

pub const RULE: Rule = Rule {
    meta: &META,
    check,
    blind_to: crate::rules::COPY_ADD,
    local_to: crate::rules::RUN,
};

fn check(ctx: &Ctx, acc: &mut Acc) {
    check_rpm_pins(ctx, acc, &META, &["yum"], "yum");
}
