//! DL3040: `dnf install` without `dnf clean all` in the same RUN.

use crate::rules::packages::util::{
    cache_mount_covers, install_without_cleanup, is_sub, removes, span, subcommand, RPM_OPTS,
};
use crate::rules::{Acc, Category, Ctx, Default, Rule, RuleMeta, Severity};
use crate::shell::Command;

pub static META: RuleMeta = RuleMeta {
    code: "DL3040",
    aliases: &[],
    summary: "dnf install without dnf clean all",
    docs: "## What\nA `RUN` that installs or upgrades packages with `dnf` or `microdnf` \
(`install`, `upgrade`, `reinstall` and their short forms) with no `dnf clean all` (or an \
`rm -rf` of the dnf cache) after it.\n\n\
## Why\ndnf keeps repository metadata and downloaded packages in its cache directory; left in \
the layer they make the image larger for nothing.\n\n\
## Example\n```dockerfile\nFROM fedora:40\nRUN dnf install -y httpd\n```\n\n\
## Fix\nEnd the same `RUN` with `&& dnf clean all` (`microdnf clean all`), or use a cache \
mount of the cache directory (`/var/cache/libdnf5`, `/var/cache/dnf`). berth wants the \
cleanup after the last install; hadolint compares the first install with the first \
cleanup.",
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

const INSTALLS: &[&str] = &[
    "install",
    "in",
    "upgrade",
    "up",
    "upgrade-minimal",
    "up-min",
    "reinstall",
    "rei",
];

fn check(ctx: &Ctx, acc: &mut Acc) {
    // Only an install can be reported.
    if !ctx.runs_any(&["dnf", "microdnf"]) {
        return;
    }
    for ins in &ctx.model.instructions {
        let scripts = ctx.scripts(ins.index);
        if scripts.is_empty() {
            continue;
        }
        // dnf's cleanup is `dnf clean` (or `yum clean`, the same program on
        // RHEL 8+); microdnf's is `microdnf clean`; or an `rm` of the cache.
        let removes_cache = |c: &Command| {
            removes(
                c,
                &["/var/cache/dnf", "/var/cache/libdnf5", "/var/cache/yum"],
            )
        };
        let dnf = install_without_cleanup(
            scripts,
            |c| is_sub(c, &["dnf"], INSTALLS, RPM_OPTS),
            |c| is_sub(c, &["dnf", "yum"], &["clean"], RPM_OPTS) || removes_cache(c),
        );
        let microdnf = install_without_cleanup(
            scripts,
            |c| is_sub(c, &["microdnf"], INSTALLS, RPM_OPTS),
            |c| is_sub(c, &["microdnf"], &["clean"], RPM_OPTS) || removes_cache(c),
        );
        let Some(cmd) = dnf.or(microdnf) else {
            continue;
        };
        // Looked at only for a RUN that installs: it parses the flags.
        if cache_mount_covers(
            ins,
            &["/var/cache/dnf", "/var/cache/libdnf5", "~/.cache/libdnf5"],
        ) {
            continue;
        }
        let range = subcommand(cmd, RPM_OPTS).map_or(cmd.name.range, |s| span(cmd, s));
        acc.push(
            &META,
            range,
            format!(
                "dnf's cache stays in this layer: end this RUN with `&& {} clean all`",
                cmd.program()
            ),
        );
    }
}
