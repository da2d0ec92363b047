; Matching brackets: the JSON arrays of exec form (node names after
; tree-sitter-dockerfile by Camden Cheek, MIT; the queries are berth's own).
(json_string_array
  "[" @open
  "]" @close)
