//! Every node-kind string of berth's Dockerfile grammar
//! (crates/tree-sitter-dockerfile) that berth reads, in one place. A test
//! checks that each one exists in the grammar, so renaming a kind there
//! fails loudly instead of silently.

pub const SOURCE_FILE: &str = "source_file";
pub const COMMENT: &str = "comment";
pub const LINE_CONTINUATION: &str = "line_continuation";
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
pub const UNKNOWN_INSTRUCTION: &str = "unknown_instruction";
pub const KEYWORD: &str = "keyword";
pub const PARAM: &str = "param";
pub const PARAM_NAME: &str = "param_name";
pub const PARAM_VALUE: &str = "param_value";
pub const SHELL_COMMAND: &str = "shell_command";
pub const SHELL_FRAGMENT: &str = "shell_fragment";
pub const JSON_STRING_ARRAY: &str = "json_string_array";
pub const JSON_STRING: &str = "json_string";
pub const HEREDOC_MARKER: &str = "heredoc_marker";
pub const HEREDOC_BLOCK: &str = "heredoc_block";
pub const HEREDOC_CONTENT: &str = "heredoc_content";
pub const HEREDOC_END: &str = "heredoc_end";
pub const IMAGE_SPEC: &str = "image_spec";
pub const IMAGE_ALIAS: &str = "image_alias";
pub const EXPANSION: &str = "expansion";
pub const PATH: &str = "path";
pub const UNQUOTED_STRING: &str = "unquoted_string";
pub const EXPOSE_PORT: &str = "expose_port";
pub const ERROR: &str = "ERROR";

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
    UNKNOWN_INSTRUCTION,
];

/// Argument words: their pieces are glued text and `expansion`s.
pub const WORD_KINDS: &[&str] = &[
    UNQUOTED_STRING,
    PATH,
    EXPOSE_PORT,
    IMAGE_SPEC,
    IMAGE_ALIAS,
    PARAM_VALUE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_exists_in_the_grammar() {
        let language: tree_sitter::Language = tree_sitter_berth_dockerfile::LANGUAGE.into();
        let mut all = vec![
            SOURCE_FILE,
            COMMENT,
            LINE_CONTINUATION,
            KEYWORD,
            PARAM,
            PARAM_NAME,
            SHELL_COMMAND,
            SHELL_FRAGMENT,
            JSON_STRING_ARRAY,
            JSON_STRING,
            HEREDOC_MARKER,
            HEREDOC_BLOCK,
            HEREDOC_CONTENT,
            HEREDOC_END,
            EXPANSION,
        ];
        all.extend_from_slice(INSTRUCTION_KINDS);
        all.extend_from_slice(WORD_KINDS);
        for kind in all {
            assert_ne!(
                language.id_for_node_kind(kind, true),
                0,
                "node kind {kind:?} is not in berth's Dockerfile grammar"
            );
        }
    }
}
