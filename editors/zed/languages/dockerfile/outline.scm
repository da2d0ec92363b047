; The outline: one item per build stage, `FROM image AS name` (node names
; after tree-sitter-dockerfile by Camden Cheek, MIT; the queries are berth's
; own).
(from_instruction
  "FROM" @context
  image: (image_spec) @name
  ("AS" @context
    as: (image_alias) @name)?) @item
