; Folds for berth's Dockerfile grammar (node names after tree-sitter-dockerfile
; by Camden Cheek, MIT; the queries are berth's own).
;
; An instruction folds when it spans lines (continuations, heredocs); editors
; ignore a capture on a single line. A heredoc body folds on its own too. The
; tree is flat (stages are not nodes), so a stage from FROM to the next FROM
; cannot fold.

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
  (heredoc_block)
] @fold
