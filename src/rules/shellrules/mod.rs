//! Rules on the shell commands of RUN instructions (not package managers).

use crate::rules::Rule;

mod cd;
mod copy_archive;
mod ln_sh;
mod pipefail;
mod pointless_commands;
mod sudo;
mod useradd_uid;
mod wget_and_curl;
mod wget_progress;

pub static RULES: &[Rule] = &[
    pointless_commands::RULE,
    cd::RULE,
    sudo::RULE,
    copy_archive::RULE,
    useradd_uid::RULE,
    wget_progress::RULE,
    wget_and_curl::RULE,
    ln_sh::RULE,
    pipefail::RULE,
];
