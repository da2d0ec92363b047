; Scopes, definitions and references for berth's Dockerfile grammar (node
; names after tree-sitter-dockerfile by Camden Cheek, MIT; the queries are
; berth's own).
;
; The names are build stages: `FROM image AS name` defines one for the whole
; file; `COPY --from=name`, `ADD --from=name` and `FROM name` refer to one
; (an image reference that names no stage simply finds no definition).
; BuildKit matches stage names without regard to case; editors compare the
; text as it is. `RUN --mount=from=name` is inside a flag value the grammar
; does not split, so it is not a reference here.

(source_file) @local.scope

(from_instruction
  as: (image_alias) @local.definition)

(from_instruction
  image: (image_spec) @local.reference)

(param
  name: (param_name) @_name
  value: (param_value) @local.reference
  (#eq? @_name "from"))
