//! berth's core rules: what BuildKit rejects, and the stage graph.

use crate::rules::Rule;

mod copy_from_variable;
mod copy_source_missing;
mod duplicate_stage_name;
pub(crate) mod invalid_base_image_reference;
mod reserved_stage_name;
mod stage_forward_reference;
mod stage_index_out_of_range;
mod stage_self_reference;
mod syntax;
mod undefined_arg_in_from;
mod undefined_stage;
mod unused_stage;

pub static RULES: &[Rule] = &[
    syntax::UNKNOWN_INSTRUCTION_RULE,
    syntax::INVALID_FLAG_RULE,
    syntax::INVALID_ARGUMENTS_RULE,
    syntax::INVALID_STAGE_NAME_RULE,
    syntax::UNTERMINATED_HEREDOC_RULE,
    syntax::INVALID_DIRECTIVE_RULE,
    syntax::INVALID_ONBUILD_TRIGGER_RULE,
    invalid_base_image_reference::RULE,
    undefined_stage::RULE,
    duplicate_stage_name::RULE,
    reserved_stage_name::RULE,
    stage_self_reference::RULE,
    stage_forward_reference::RULE,
    stage_index_out_of_range::RULE,
    copy_from_variable::RULE,
    unused_stage::RULE,
    undefined_arg_in_from::RULE,
    copy_source_missing::RULE,
];
