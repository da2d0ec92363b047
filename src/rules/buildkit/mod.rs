//! BuildKit's build checks (`docker build --check`), by their check names.

use crate::rules::Rule;

mod expose;
mod util;

mod consistent_instruction_casing;
mod copy_ignored_file;
mod expose_invalid_format;
mod expose_proto_casing;
mod from_as_casing;
mod from_platform_flag_const_disallowed;
mod invalid_default_arg_in_from;
mod invalid_definition_description;
pub(crate) mod json_args_recommended;
mod legacy_key_value_format;
mod maintainer_deprecated;
mod multiple_instructions_disallowed;
mod no_empty_continuation;
mod redundant_target_platform;
mod secrets_used_in_arg_or_env;
mod stage_name_casing;
mod undefined_var;
mod workdir_relative_path;

pub static RULES: &[Rule] = &[
    stage_name_casing::RULE,
    from_as_casing::RULE,
    no_empty_continuation::RULE,
    consistent_instruction_casing::RULE,
    json_args_recommended::RULE,
    maintainer_deprecated::RULE,
    workdir_relative_path::RULE,
    undefined_var::RULE,
    multiple_instructions_disallowed::RULE,
    legacy_key_value_format::RULE,
    redundant_target_platform::RULE,
    secrets_used_in_arg_or_env::RULE,
    invalid_default_arg_in_from::RULE,
    from_platform_flag_const_disallowed::RULE,
    invalid_definition_description::RULE,
    expose_proto_casing::RULE,
    expose_invalid_format::RULE,
    copy_ignored_file::RULE,
];
