; Indentation for berth's Dockerfile grammar, in nvim-treesitter's capture
; names (node names after tree-sitter-dockerfile by Camden Cheek, MIT; the
; queries are berth's own). Helix and Zed name their captures differently:
; editors/helix and editors/zed ship their own indents.scm.
;
; The continuation lines of an instruction are indented one level:
;
;   RUN apt-get update && \
;       apt-get install -y curl
;
; The instruction node covers its continuation lines (and the blank and
; comment lines BuildKit skips inside them).
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
] @indent.begin

; A new line typed after a trailing `\` at the end of the file is not inside
; the instruction yet: the continuation itself reaches it.
(line_continuation) @indent.begin

; A new line after the last line of an instruction (one that does not end
; with `\`) starts a new instruction at the margin: the node that ends such a
; line ends the indentation.
[
  (shell_fragment)
  (heredoc_marker)
  (heredoc_end)
  (unquoted_string)
  (path)
  (expose_port)
  (image_spec)
  (image_alias)
  (param_name)
  (param_value)
  (expansion)
  (keyword)
  "]"
  "NONE"
] @indent.end

; Heredoc bodies are text as written: never indented.
[
  (heredoc_content)
  (heredoc_end)
] @indent.zero
