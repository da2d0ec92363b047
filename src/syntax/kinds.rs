//! Every node-kind string of tree-sitter-containerfile that berth reads,
//! in one place. A test checks that each one exists in the grammar, so a
//! grammar upgrade that renames a kind fails loudly instead of silently.

pub const SOURCE_FILE: &str = "source_file";
pub const COMMENT: &str = "comment";
pub const FROM_INSTRUCTION: &str = "from_instruction";
pub const RUN_INSTRUCTION: &str = "run_instruction";
pub const CMD_INSTRUCTION: &str = "cmd_instruction";
pub const LABEL_INSTRUCTION: &str = "label_instruction";
pub const EXPOSE_INSTRUCTION: &str = "expose_instruction";
pub const ENV_INSTRUCTION: &str = "env_instruction";
pub const ADD_INSTRUCTION: &str = "add_instruction";
pub const COPY_INSTRUCTION: &str = "copy_instruction";
pub const ENTRYPOINT_INSTRUCTION: &str = "entrypoint_instruction";
pub const VOLUME_INSTRUCTION: &str = "volume_instruction";
pub const USER_INSTRUCTION: &str = "user_instruction";
pub const WORKDIR_INSTRUCTION: &str = "workdir_instruction";
pub const ARG_INSTRUCTION: &str = "arg_instruction";
pub const ONBUILD_INSTRUCTION: &str = "onbuild_instruction";
pub const STOPSIGNAL_INSTRUCTION: &str = "stopsignal_instruction";
pub const HEALTHCHECK_INSTRUCTION: &str = "healthcheck_instruction";
pub const SHELL_INSTRUCTION: &str = "shell_instruction";
pub const MAINTAINER_INSTRUCTION: &str = "maintainer_instruction";
pub const CROSS_BUILD_INSTRUCTION: &str = "cross_build_instruction";
pub const HEREDOC_BLOCK: &str = "heredoc_block";
pub const HEREDOC_CONTENT: &str = "heredoc_content";
pub const SHELL_COMMAND: &str = "shell_command";
pub const JSON_STRING_ARRAY: &str = "json_string_array";
pub const PARAM: &str = "param";
pub const MOUNT_PARAM: &str = "mount_param";
pub const IMAGE_SPEC: &str = "image_spec";
pub const IMAGE_ALIAS: &str = "image_alias";
pub const EXPANSION: &str = "expansion";
pub const LINE_CONTINUATION: &str = "line_continuation";
pub const ERROR: &str = "ERROR";

/// Kinds whose subtree is shell text (or text BuildKit never parses), where a
/// tree-sitter ERROR is not a Dockerfile syntax error.
pub const SHELL_BODY_KINDS: &[&str] = &[SHELL_COMMAND, HEREDOC_BLOCK, HEREDOC_CONTENT];

/// All instruction node kinds.
pub const INSTRUCTION_KINDS: &[&str] = &[
    FROM_INSTRUCTION,
    RUN_INSTRUCTION,
    CMD_INSTRUCTION,
    LABEL_INSTRUCTION,
    EXPOSE_INSTRUCTION,
    ENV_INSTRUCTION,
    ADD_INSTRUCTION,
    COPY_INSTRUCTION,
    ENTRYPOINT_INSTRUCTION,
    VOLUME_INSTRUCTION,
    USER_INSTRUCTION,
    WORKDIR_INSTRUCTION,
    ARG_INSTRUCTION,
    ONBUILD_INSTRUCTION,
    STOPSIGNAL_INSTRUCTION,
    HEALTHCHECK_INSTRUCTION,
    SHELL_INSTRUCTION,
    MAINTAINER_INSTRUCTION,
    CROSS_BUILD_INSTRUCTION,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_exists_in_the_grammar() {
        let language: tree_sitter::Language = tree_sitter_containerfile::LANGUAGE.into();
        let mut all = vec![
            SOURCE_FILE,
            COMMENT,
            HEREDOC_BLOCK,
            HEREDOC_CONTENT,
            SHELL_COMMAND,
            JSON_STRING_ARRAY,
            PARAM,
            MOUNT_PARAM,
            IMAGE_SPEC,
            IMAGE_ALIAS,
            EXPANSION,
            LINE_CONTINUATION,
        ];
        all.extend_from_slice(INSTRUCTION_KINDS);
        for kind in all {
            assert_ne!(
                language.id_for_node_kind(kind, true),
                0,
                "node kind {kind:?} is not in tree-sitter-containerfile"
            );
        }
    }
}
