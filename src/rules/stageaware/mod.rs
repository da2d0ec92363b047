//! berth's stage-aware rules: what each stage's filesystem holds and which
//! stages ship.

use crate::rules::Rule;

mod build_context_in_final_stage;
mod common;
mod copy_from_missing_path;
mod distro;
mod package_manager_mismatch;
mod runtime_path_mismatch;
mod scratch_missing_executable;
mod scratch_shell_form;
mod secret_in_shipped_stage;
mod toolchain_in_final_stage;
mod unknown_user;

pub static RULES: &[Rule] = &[
    scratch_shell_form::RULE,
    scratch_missing_executable::RULE,
    copy_from_missing_path::RULE,
    runtime_path_mismatch::RULE,
    toolchain_in_final_stage::RULE,
    build_context_in_final_stage::RULE,
    secret_in_shipped_stage::RULE,
    package_manager_mismatch::RULE,
    unknown_user::RULE,
];
