/**
 * berth's Dockerfile grammar: the Dockerfile as BuildKit reads it.
 *
 * Node names follow tree-sitter-dockerfile (Camden Cheek, MIT) where they
 * mean the same thing, so editors' queries written for it keep working;
 * the rules and the external scanner are berth's own.
 *
 * What a context-free grammar cannot say lives in src/scanner.c: the
 * escape character chosen by `# escape=`, line continuations (with the
 * comment and blank lines BuildKit skips inside them), comments (only
 * whole lines), shell-like words, JSON exec form (chosen only when the
 * whole rest of the logical line is a JSON string array, as BuildKit
 * does), shell fragments and heredocs.
 */

/** A case-insensitive keyword. */
function kw(word) {
  const re = word
    .split('')
    .map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c))
    .join('');
  return alias(token(new RegExp(re)), word);
}

/** A word: a first piece, then the pieces glued to it. */
function wordRule($, first, firstExpansion) {
  return seq(
    choice(first, alias(firstExpansion || $._expansion_start, $.expansion)),
    repeat(choice($._word_more, alias($._expansion_more, $.expansion))),
  );
}

const INSTRUCTIONS = [
  'from', 'run', 'cmd', 'label', 'expose', 'env', 'add', 'copy',
  'entrypoint', 'volume', 'user', 'workdir', 'arg', 'onbuild',
  'stopsignal', 'healthcheck', 'shell', 'maintainer',
];

module.exports = grammar({
  name: 'dockerfile',

  externals: ($) => [
    $._eol,
    $.line_continuation,
    $.comment,
    $._word_start,
    $._word_more,
    $._expansion_start,
    $._expansion_more,
    $._param_start,
    $._param_value,
    $._param_expansion,
    $._json_open,
    $._not_json,
    $.json_string,
    $.shell_fragment,
    $.heredoc_marker,
    $.heredoc_content,
    $.heredoc_end,
    $._unknown_keyword,
    $._stage_end,
    $._from_as,
    $._error_sentinel,
  ],

  extras: ($) => [/\s/, $.line_continuation, $.comment],

  rules: {
    // Instructions are grouped into stages (hidden: the tree shows them as
    // children of source_file). A stage ends where the next FROM starts,
    // so an edit reparses its own stage and reuses the others whole:
    // tree-sitter cannot reuse the nodes that balance a long repetition.
    source_file: ($) => seq(repeat($._line), repeat($._stage)),

    _stage: ($) => seq(seq($.from_instruction, $._eol), repeat($._line), $._stage_end),

    _line: ($) => seq($._non_from_instruction, $._eol),

    _instruction: ($) => choice($.from_instruction, $._non_from_instruction),

    _non_from_instruction: ($) =>
      choice(
        ...INSTRUCTIONS.filter((n) => n !== 'from').map((name) => $[`${name}_instruction`]),
        $.unknown_instruction,
      ),

    from_instruction: ($) =>
      seq(
        kw('FROM'),
        repeat($.param),
        optional(
          seq(
            field('image', $.image_spec),
            choice(
              seq(
                alias($._from_as, 'AS'),
                optional(seq(field('as', $.image_alias), repeat($._extra_argument))),
              ),
              repeat($._extra_argument),
            ),
          ),
        ),
      ),

    run_instruction: ($) =>
      seq(
        kw('RUN'),
        repeat($.param),
        optional(choice($.json_string_array, alias($._heredoc_shell_command, $.shell_command))),
        repeat($.heredoc_block),
      ),

    cmd_instruction: ($) => seq(kw('CMD'), optional($._command)),

    entrypoint_instruction: ($) => seq(kw('ENTRYPOINT'), optional($._command)),

    shell_instruction: ($) => seq(kw('SHELL'), optional($._command)),

    label_instruction: ($) => seq(kw('LABEL'), repeat($._argument)),

    expose_instruction: ($) => seq(kw('EXPOSE'), repeat(alias($.word, $.expose_port))),

    env_instruction: ($) => seq(kw('ENV'), repeat($._argument)),

    arg_instruction: ($) => seq(kw('ARG'), repeat($._argument)),

    add_instruction: ($) => seq(kw('ADD'), repeat($.param), optional($._paths), repeat($.heredoc_block)),

    copy_instruction: ($) => seq(kw('COPY'), repeat($.param), optional($._paths), repeat($.heredoc_block)),

    volume_instruction: ($) =>
      seq(
        kw('VOLUME'),
        optional(
          choice($.json_string_array, seq(optional($._not_json), repeat1(alias($.word, $.path)))),
        ),
      ),

    user_instruction: ($) => seq(kw('USER'), repeat($._argument)),

    workdir_instruction: ($) => seq(kw('WORKDIR'), repeat(alias($.word, $.path))),

    stopsignal_instruction: ($) => seq(kw('STOPSIGNAL'), repeat($._argument)),

    maintainer_instruction: ($) => seq(kw('MAINTAINER'), repeat($._argument)),

    onbuild_instruction: ($) => seq(kw('ONBUILD'), optional($._instruction)),

    healthcheck_instruction: ($) =>
      seq(
        kw('HEALTHCHECK'),
        repeat($.param),
        optional(
          choice(
            seq(kw('NONE'), repeat($._extra_argument)),
            $.cmd_instruction,
            // BuildKit rejects any other type; the tree keeps it whole.
            seq(alias($._unknown_keyword, $.keyword), optional($.shell_command)),
          ),
        ),
      ),

    unknown_instruction: ($) =>
      seq(alias($._unknown_keyword, $.keyword), optional($.shell_command)),

    _command: ($) => choice($.json_string_array, $.shell_command),

    shell_command: ($) => seq(optional($._not_json), repeat1($.shell_fragment)),

    _heredoc_shell_command: ($) =>
      seq(optional($._not_json), repeat1(choice($.shell_fragment, $.heredoc_marker))),

    _paths: ($) =>
      choice(
        $.json_string_array,
        seq(optional($._not_json), repeat1(choice(alias($.word, $.path), $.heredoc_marker))),
      ),

    _argument: ($) => alias($.word, $.unquoted_string),

    // Words BuildKit reads and then rejects (`FROM a b`, `HEALTHCHECK NONE
    // x`): kept in the instruction, whose check reports them, so the error
    // stays on its line.
    _extra_argument: ($) => alias($.word, $.unquoted_string),

    param: ($) =>
      seq(
        $._param_start,
        field('name', alias(/[A-Za-z][^\s=\\`]*/, $.param_name)),
        optional(seq('=', optional(field('value', alias($._param_word, $.param_value))))),
      ),

    json_string_array: ($) =>
      seq($._json_open, '[', optional(seq($.json_string, repeat(seq(',', $.json_string)))), ']'),

    heredoc_block: ($) => seq(optional($.heredoc_content), $.heredoc_end),

    // A word as BuildKit splits arguments: text, quotes and variable
    // references up to unquoted white space. The scanner tells a piece
    // that starts a word from one that continues it.
    word: ($) => wordRule($, $._word_start),
    _param_word: ($) => wordRule($, $._param_value, $._param_expansion),
    image_spec: ($) => wordRule($, $._word_start),
    image_alias: ($) => wordRule($, $._word_start),
  },
});
