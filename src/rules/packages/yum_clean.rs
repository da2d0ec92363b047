//! DL3032: `yum install` without `yum clean all` in the same RUN.

use crate::rules::packages::util::{
    cache_mount_covers, install_without_cleanup, is_sub, removes, span, subcommand, RPM_OPTS,
};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    code: "DL3032",
    aliases: &[],
    summary: "yum install without yum clean all",
    docs: "## What\nA `RUN` that runs `yum install` and no `yum clean all` (or \
`rm -rf /var/cache/yum`) after it.\n\n\
## Why\nyum keeps downloaded packages and metadata in `/var/cache/yum`; left in the layer \
they make the image larger for nothing, and a later `RUN` cannot shrink that layer.\n\n\
## Example\n```dockerfile\nFROM centos:7\nRUN yum install -y httpd\n```\n\n\
## Fix\nEnd the same `RUN` with the cleanup: `yum install -y httpd && yum clean all`, or \
use a cache mount (`--mount=type=cache,target=/var/cache/yum`, or `/var/cache/dnf` where \
`yum` is dnf), which berth accepts too. \
hadolint only looks at the first install and the first cleanup; berth wants a cleanup \
after the last install.",
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
    // Only an install can be reported.
    if !ctx.runs_any(&["yum"]) {
        return;
    }
    for ins in &ctx.model.instructions {
        let scripts = ctx.scripts(ins.index);
        if scripts.is_empty() {
            continue;
        }
        let Some(cmd) = install_without_cleanup(
            scripts,
            |c| is_sub(c, &["yum"], &["install"], RPM_OPTS),
            |c| is_sub(c, &["yum"], &["clean"], RPM_OPTS) || removes(c, &["/var/cache/yum"]),
        ) else {
            continue;
        };
        // Looked at only for a RUN that installs: it parses the flags.
        // On RHEL 8 and later `yum` is dnf, whose cache is /var/cache/dnf.
        if cache_mount_covers(ins, &["/var/cache/yum", "/var/cache/dnf"]) {
            continue;
        }
        let range = subcommand(cmd, RPM_OPTS).map_or(cmd.name.range, |s| span(cmd, s));
        acc.push(
            &META,
            range,
            "yum's cache stays in this layer: end this RUN with `&& yum clean all`",
        );
    }
}
