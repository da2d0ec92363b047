//! What counts as a pinned package for yum, dnf and microdnf (DL3033,
//! DL3041), as hadolint reads it.

use crate::model::vars_visible;
use crate::rules::packages::util::{operands, shell_vars, RPM_OPTS};
use crate::rules::Acc;
use crate::rules::{Ctx, RuleMeta};

/// `name-version[-release]`: after the first `-`, every part is made of
/// version characters and one starts with a digit. A `.rpm` file is a fixed
/// artifact (hadolint still wants a `-` in its name). A word with a variable counts as pinned when the variable is
/// declared (ARG or ENV in scope), as the version usually comes from it.
fn pinned(ctx: &Ctx, at: usize, p: &str) -> bool {
    if p.ends_with(".rpm") {
        return true;
    }
    let mut parts = p.split('-');
    parts.next();
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        return false;
    }
    if p.contains('$') {
        let visible = vars_visible(ctx.model, at);
        return shell_vars(p).any(|name| {
            visible
                .iter()
                .any(|&d| ctx.model.decls.get(d).is_some_and(|d| d.name == name))
        });
    }
    rest.iter().all(|part| {
        part.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".~^_:+".contains(c))
    }) && rest
        .iter()
        .any(|part| part.starts_with(|c: char| c.is_ascii_digit()))
}

/// Report the unpinned packages of `<names> install` and unpinned modules of
/// `<names> module install`.
pub(crate) fn check_rpm_pins(
    ctx: &Ctx,
    acc: &mut Acc,
    meta: &'static RuleMeta,
    names: &[&str],
    tool: &str,
) {
    for (ins, cmd) in ctx.commands_named(names) {
        if !names.contains(&cmd.program()) {
            continue;
        }
        let ops = operands(cmd, RPM_OPTS);
        let first = ops.first().map(|a| a.value.as_str());
        let second = ops.get(1).map(|a| a.value.as_str());
        match (first, second) {
            (Some("install"), _) => {
                for p in &ops[1..] {
                    if !pinned(ctx, ins.index, &p.value) {
                        acc.push(
                            meta,
                            p.range,
                            format!("pin a version: `{}-<version>`", p.value),
                        );
                    }
                }
            }
            (Some("module"), Some("install")) => {
                for p in &ops[2..] {
                    if !p.value.contains(':') {
                        acc.push(
                            meta,
                            p.range,
                            format!(
                                "pin the module stream: `{tool} module install {}:<stream>`",
                                p.value
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}
