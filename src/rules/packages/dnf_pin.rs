//! DL3041: `dnf install` of a package without a version.

use crate::rules::packages::rpm_pin::check_rpm_pins;
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3041",
    aliases: &[],
    summary: "dnf install without a pinned package version",
    docs: "## What\nA package named in `dnf install` or `microdnf install` without a version \
(`httpd` rather than `httpd-2.4.62`), or a module in `dnf module install` without a \
stream (`nodejs` rather than `nodejs:20`).\n\n\
## Why\ndnf installs the newest version in the enabled repositories at build time: two builds \
of one Dockerfile can differ.\n\n\
## Example\n```dockerfile\nFROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n```\n\n\
## Fix\n`dnf install -y httpd-2.4.62`. As in hadolint, a name counts as versioned when what \
follows its first `-` looks like a version, a `.rpm` file counts as pinned (hadolint also wants a `-` in its name), and a word with a \
declared variable (`httpd-${HTTPD_VERSION}`) is taken as pinned.",
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
    check_rpm_pins(ctx, acc, &META, &["dnf", "microdnf"], "dnf");
}
