; Language injections for berth's Dockerfile grammar (node names after
; tree-sitter-dockerfile by Camden Cheek, MIT; the queries are berth's own).
;
; The shell form of RUN, CMD, ENTRYPOINT and SHELL is bash: one bash region
; per command, so the lines of one instruction are parsed together and two
; instructions never are. The region is the whole shell_command with its
; line continuations (bash reads `\` + newline as BuildKit does when the
; escape character is the default backslash) and comment lines.
;
; Why not the shell_fragment nodes with `injection.combined`: Neovim, Helix
; and Zed combine every match of a combined pattern in the document into ONE
; region, not the fragments of one command, and the bash lexer then joins the
; last word of one instruction to the first word of the next (`RUN echo a` and
; `RUN ls` become `echo als`). Zed always takes the captured node whole;
; Neovim and Helix need `injection.include-children` for that.
;
; HEALTHCHECK CMD is a cmd_instruction inside the healthcheck_instruction, so
; it is covered too; an unknown instruction's arguments are not shell.
([
  (run_instruction
    (shell_command) @injection.content)
  (cmd_instruction
    (shell_command) @injection.content)
  (entrypoint_instruction
    (shell_command) @injection.content)
  (shell_instruction
    (shell_command) @injection.content)
]
  (#set! injection.language "bash")
  (#set! injection.include-children))

; A RUN heredoc body is a script, run by the default shell. A COPY or ADD
; heredoc body is file content of any kind: not injected.
(run_instruction
  (heredoc_block
    (heredoc_content) @injection.content)
  (#set! injection.language "bash"))
