; Indentation in Zed's capture names (node names after tree-sitter-dockerfile
; by Camden Cheek, MIT; the queries are berth's own). The continuation lines
; of an instruction are indented one level:
;
;   RUN apt-get update && \
;       apt-get install -y curl
;
; and the line after it goes back to the instruction's own indentation. A
; heredoc body is text as written: the indentation stops where it starts.
[
  (from_instruction)
  (run_instruction)
  (cmd_instruction)
  (label_instruction)
  (expose_instruction)
  (env_instruction)
  (add_instruction)
  (copy_instruction)
  (entrypoint_instruction)
  (volume_instruction)
  (user_instruction)
  (workdir_instruction)
  (arg_instruction)
  (onbuild_instruction)
  (stopsignal_instruction)
  (healthcheck_instruction)
  (shell_instruction)
  (maintainer_instruction)
  (unknown_instruction)
] @indent

(heredoc_block) @outdent
