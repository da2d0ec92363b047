; Highlights for berth's Dockerfile grammar.
;
; Node names follow tree-sitter-dockerfile (Camden Cheek, MIT) where they mean
; the same thing; these queries are berth's own. Capture names are
; nvim-treesitter's standard ones, chosen from those Helix and Zed themes also
; know (Helix and Zed fall back along the dotted name), so one file serves
; the three editors. No node gets two captures, since editors disagree on
; which pattern wins for the same node; nested nodes (a variable inside a
; path) are highlighted inside their parent in every editor.

; Instructions and the words that are part of their syntax.
[
  "FROM"
  "AS"
  "RUN"
  "CMD"
  "LABEL"
  "EXPOSE"
  "ENV"
  "ADD"
  "COPY"
  "ENTRYPOINT"
  "VOLUME"
  "USER"
  "WORKDIR"
  "ARG"
  "ONBUILD"
  "STOPSIGNAL"
  "HEALTHCHECK"
  "SHELL"
  "MAINTAINER"
] @keyword

; An instruction BuildKit does not know, and the type after HEALTHCHECK when
; it is not CMD or NONE. It must start with a letter: the grammar currently
; reads the flag of `HEALTHCHECK --interval=5s CMD ...` as that keyword.
(unknown_instruction
  (keyword) @keyword)

((healthcheck_instruction
  (keyword) @keyword)
  (#match? @keyword "^[A-Za-z]"))

; HEALTHCHECK NONE.
"NONE" @constant.builtin

; Comments, and parser directives (`# syntax=`, `# escape=`, `# check=`).
; BuildKit reads a directive only at the top of the file; a query cannot see
; "before any other line", so a directive-shaped comment further down looks
; like a directive too.
((comment) @comment
  (#not-match? @comment "^#\\s*(syntax|escape|check)\\s*[=]"))

((comment) @keyword.directive
  (#match? @keyword.directive "^#\\s*(syntax|escape|check)\\s*[=]"))

; The escape character that joins a line to the next.
(line_continuation) @punctuation.special

; Flags: `--from=build`, `--mount=type=cache,target=/root/.cache`. The value
; of `--from` names a stage (or an image), the others are plain values.
(param) @attribute

(param
  "=" @operator)

(param
  name: (param_name) @_name
  value: (param_value) @label
  (#eq? @_name "from"))

(param
  name: (param_name) @_name
  value: (param_value) @string
  (#not-eq? @_name "from"))

; FROM image AS name.
(image_spec) @string.special

(image_alias) @label

; Arguments.
(json_string) @string

[
  "["
  "]"
] @punctuation.bracket

"," @punctuation.delimiter

(path) @string.special.path

(expose_port) @constant

(stopsignal_instruction
  (unquoted_string) @constant)

(label_instruction
  (unquoted_string) @string)

(env_instruction
  (unquoted_string) @string)

(arg_instruction
  (unquoted_string) @string)

(user_instruction
  (unquoted_string) @string)

(maintainer_instruction
  (unquoted_string) @string)

; `$name` and `${name...}` inside a word.
(expansion) @variable

; Heredocs: the markers are labels, as in bash; the body of a COPY or ADD
; heredoc is file content (a RUN heredoc is injected as bash instead).
[
  (heredoc_marker)
  (heredoc_end)
] @label

(copy_instruction
  (heredoc_block
    (heredoc_content) @string))

(add_instruction
  (heredoc_block
    (heredoc_content) @string))
