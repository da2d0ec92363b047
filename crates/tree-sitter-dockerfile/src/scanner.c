// External scanner of berth's Dockerfile grammar.
//
// BuildKit reads a Dockerfile line by line: parser directives at the top
// (`# escape=` picks the escape character), whole-line comments, an escape
// character ending a line continues the instruction (comment and blank
// lines inside a continuation are skipped), exec form only when the whole
// rest of the logical line is a JSON string array, and heredoc bodies
// (`RUN <<EOF`) read raw up to their terminator line. None of that is
// context free, so this scanner owns every token inside an instruction;
// the grammar arranges them. Everything here is berth's own code.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum TokenType {
  EOL,
  LINE_CONTINUATION,
  COMMENT,
  WORD_START,
  WORD_MORE,
  EXPANSION_START,
  EXPANSION_MORE,
  PARAM_START,
  PARAM_VALUE,
  PARAM_EXPANSION,
  JSON_OPEN,
  NOT_JSON,
  JSON_STRING,
  SHELL_FRAGMENT,
  HEREDOC_MARKER,
  HEREDOC_CONTENT,
  HEREDOC_END,
  UNKNOWN_KEYWORD,
  STAGE_END,
  FROM_AS,
  ERROR_SENTINEL,
};

// Where the last token left the scan on its line.
enum LineState {
  MID_LINE = 0,
  // At the start of a line: the file's first, or the one after a
  // continuation.
  LINE_START = 1,
  // At the end of a whole-line comment: its line break is not a blank line.
  AFTER_COMMENT = 2,
  // After the zero-width "not JSON" token at a `[`: a word starts here.
  AFTER_NOT_JSON = 3,
};

#define MAX_HEREDOCS 8
#define MAX_NAME 96

typedef struct {
  uint8_t chomp;
  uint8_t len;
  char name[MAX_NAME];
} Heredoc;

typedef struct {
  uint8_t escape;
  uint8_t line_state;
  uint8_t directives_open;
  uint8_t escape_seen;
  // The last word piece is glued to what follows it.
  uint8_t in_word;
  // The quote a word or shell text is inside (0 when none).
  uint8_t quote;
  // The last shell text ended on white space: a heredoc marker may start.
  uint8_t word_boundary;
  uint8_t heredoc_count;
  Heredoc heredocs[MAX_HEREDOCS];
} Scanner;

static void reset(Scanner *s) {
  memset(s, 0, sizeof(*s));
  s->escape = '\\';
  s->line_state = LINE_START;
  s->directives_open = 1;
  s->word_boundary = 1;
}

static inline void advance(TSLexer *l) { l->advance(l, false); }
static inline void skip(TSLexer *l) { l->advance(l, true); }

static inline bool is_blank(int32_t c) { return c == ' ' || c == '\t'; }

// Go's unicode.IsSpace, which BuildKit trims lines with (no line break).
static inline bool is_space(int32_t c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == 0x85 ||
         c == 0xa0 || c == 0xfeff || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
         c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

// White space that separates words (ASCII, as BuildKit's word splitting).
static inline bool is_separator(int32_t c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

static inline bool at_eof(TSLexer *l) { return l->eof(l); }

static inline bool is_name_start(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static inline bool is_name_char(int32_t c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

static const char *const KEYWORDS[] = {
    "from",  "run",      "cmd",        "label",       "expose", "env",
    "add",   "copy",     "entrypoint", "volume",      "user",   "workdir",
    "arg",   "onbuild",  "stopsignal", "healthcheck", "shell",  "maintainer",
};

// After the escape character: blanks then the end of the line (or of the
// text). Consumes them; the caller has marked where its token ends.
static bool rest_is_line_end(TSLexer *l) {
  while (is_blank(l->lookahead)) advance(l);
  while (l->lookahead == '\r') advance(l);
  return l->lookahead == '\n' || at_eof(l);
}

// Consume a line break (`\r`* `\n`) when one is next.
static void consume_line_end(TSLexer *l) {
  while (l->lookahead == '\r') advance(l);
  if (l->lookahead == '\n') advance(l);
}

// ---------------------------------------------------------------------------
// Serialization

unsigned tree_sitter_dockerfile_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = payload;
  unsigned n = 0;
  buffer[n++] = (char)s->escape;
  buffer[n++] = (char)s->line_state;
  buffer[n++] = (char)(s->directives_open | (s->escape_seen << 1) | (s->in_word << 2) |
                       (s->word_boundary << 3));
  buffer[n++] = (char)s->quote;
  buffer[n++] = (char)s->heredoc_count;
  for (unsigned i = 0; i < s->heredoc_count; i++) {
    Heredoc *h = &s->heredocs[i];
    if (n + 2 + h->len > TREE_SITTER_SERIALIZATION_BUFFER_SIZE) {
      buffer[4] = (char)i;
      break;
    }
    buffer[n++] = (char)h->chomp;
    buffer[n++] = (char)h->len;
    memcpy(&buffer[n], h->name, h->len);
    n += h->len;
  }
  return n;
}

void tree_sitter_dockerfile_external_scanner_deserialize(void *payload, const char *buffer,
                                                         unsigned length) {
  Scanner *s = payload;
  reset(s);
  if (length < 5) return;
  unsigned n = 0;
  s->escape = (uint8_t)buffer[n++];
  s->line_state = (uint8_t)buffer[n++];
  uint8_t flags = (uint8_t)buffer[n++];
  s->directives_open = flags & 1;
  s->escape_seen = (flags >> 1) & 1;
  s->in_word = (flags >> 2) & 1;
  s->word_boundary = (flags >> 3) & 1;
  s->quote = (uint8_t)buffer[n++];
  uint8_t count = (uint8_t)buffer[n++];
  for (unsigned i = 0; i < count && i < MAX_HEREDOCS && n + 2 <= length; i++) {
    Heredoc *h = &s->heredocs[i];
    h->chomp = (uint8_t)buffer[n++];
    h->len = (uint8_t)buffer[n++];
    if (h->len > MAX_NAME || n + h->len > length) break;
    memcpy(h->name, &buffer[n], h->len);
    n += h->len;
    s->heredoc_count = (uint8_t)(i + 1);
  }
}

void *tree_sitter_dockerfile_external_scanner_create(void) {
  static const size_t size = sizeof(Scanner);
  Scanner *s = (Scanner *)calloc(1, size);
  reset(s);
  return s;
}

void tree_sitter_dockerfile_external_scanner_destroy(void *payload) { free(payload); }

// ---------------------------------------------------------------------------
// Comments and directives

// Consume the rest of a comment line (from `#`), marking its end before
// any trailing `\r`. Collects up to `cap - 1` bytes of it (ASCII only;
// enough to read a directive).
static void lex_comment(TSLexer *l, char *text, unsigned cap) {
  unsigned n = 0;
  while (!at_eof(l) && l->lookahead != '\n') {
    int32_t c = l->lookahead;
    if (n + 1 < cap) text[n++] = (c > 0 && c < 0x80) ? (char)c : '?';
    advance(l);
    if (c != '\r') l->mark_end(l);
  }
  text[n] = 0;
}

static bool ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

// A parser directive line (`#` name `=` value): the name lower-cased into
// `name` and the value trimmed into `value`, as BuildKit reads them.
static bool parse_directive(const char *text, char *name, unsigned name_cap, char *value,
                            unsigned value_cap) {
  const char *p = text;
  if (*p != '#') return false;
  p++;
  while (ascii_space(*p)) p++;
  unsigned n = 0;
  if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return false;
  while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
    if (n + 1 < name_cap) name[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    p++;
  }
  name[n] = 0;
  while (ascii_space(*p)) p++;
  if (*p != '=') return false;
  p++;
  while (ascii_space(*p)) p++;
  unsigned v = 0;
  while (*p && v + 1 < value_cap) value[v++] = *p++;
  while (v > 0 && ascii_space(value[v - 1])) v--;
  value[v] = 0;
  if (v == 0) return false;
  return strcmp(name, "syntax") == 0 || strcmp(name, "escape") == 0 ||
         strcmp(name, "check") == 0;
}

static bool emit_comment(Scanner *s, TSLexer *l, bool top_level) {
  char text[128];
  lex_comment(l, text, sizeof(text));
  if (top_level && s->directives_open) {
    char name[16], value[96];
    if (parse_directive(text, name, sizeof(name), value, sizeof(value))) {
      if (strcmp(name, "escape") == 0 && !s->escape_seen) {
        s->escape_seen = 1;
        if (strcmp(value, "`") == 0) s->escape = '`';
        if (strcmp(value, "\\") == 0) s->escape = '\\';
      }
    } else {
      s->directives_open = 0;
    }
  }
  s->line_state = AFTER_COMMENT;
  l->result_symbol = COMMENT;
  return true;
}

// ---------------------------------------------------------------------------
// Heredocs

static bool heredoc_enabled(const bool *valid) {
  return valid[HEREDOC_MARKER];
}

static void push_heredoc(Scanner *s, const char *name, unsigned len, bool chomp) {
  if (s->heredoc_count >= MAX_HEREDOCS || len == 0 || len > MAX_NAME) return;
  Heredoc *h = &s->heredocs[s->heredoc_count++];
  h->chomp = chomp;
  h->len = (uint8_t)len;
  memcpy(h->name, name, len);
}

static void pop_heredoc(Scanner *s) {
  if (s->heredoc_count == 0) return;
  memmove(&s->heredocs[0], &s->heredocs[1], sizeof(Heredoc) * (s->heredoc_count - 1));
  s->heredoc_count--;
}

// Append the UTF-8 encoding of `c` to `buf` (of `cap` bytes) at `*n`.
static bool put_utf8(char *buf, unsigned cap, unsigned *n, int32_t c) {
  char tmp[4];
  unsigned k = 0;
  if (c < 0x80) {
    tmp[k++] = (char)c;
  } else if (c < 0x800) {
    tmp[k++] = (char)(0xc0 | (c >> 6));
    tmp[k++] = (char)(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    tmp[k++] = (char)(0xe0 | (c >> 12));
    tmp[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
    tmp[k++] = (char)(0x80 | (c & 0x3f));
  } else {
    tmp[k++] = (char)(0xf0 | (c >> 18));
    tmp[k++] = (char)(0x80 | ((c >> 12) & 0x3f));
    tmp[k++] = (char)(0x80 | ((c >> 6) & 0x3f));
    tmp[k++] = (char)(0x80 | (c & 0x3f));
  }
  if (*n + k > cap) return false;
  memcpy(buf + *n, tmp, k);
  *n += k;
  return true;
}

// Whether the rest of the current line is exactly `h`'s name (after
// leading tabs for `<<-`), then the line's end. Consumes what it reads.
static bool line_is_terminator(TSLexer *l, const Heredoc *h) {
  if (h->chomp) {
    while (l->lookahead == '\t') advance(l);
  }
  char buf[MAX_NAME + 4];
  unsigned n = 0;
  while (!at_eof(l) && l->lookahead != '\n' && l->lookahead != '\r') {
    if (!put_utf8(buf, sizeof(buf), &n, l->lookahead)) return false;
    advance(l);
  }
  while (l->lookahead == '\r') advance(l);
  if (!(l->lookahead == '\n' || at_eof(l))) return false;
  return n == h->len && memcmp(buf, h->name, n) == 0;
}

// The body of the first pending heredoc: from the line after the current
// one up to its terminator line (or the end of the text).
static bool lex_heredoc_content(Scanner *s, TSLexer *l) {
  while (is_blank(l->lookahead) || l->lookahead == '\r') skip(l);
  if (l->lookahead == '\n') {
    skip(l);
  } else if (!at_eof(l)) {
    return false;
  }
  const Heredoc *h = &s->heredocs[0];
  for (;;) {
    l->mark_end(l);
    if (at_eof(l)) break;
    if (line_is_terminator(l, h)) break;
    while (!at_eof(l) && l->lookahead != '\n') advance(l);
    if (l->lookahead == '\n') advance(l);
  }
  s->line_state = MID_LINE;
  s->in_word = 0;
  l->result_symbol = HEREDOC_CONTENT;
  return true;
}

static bool lex_heredoc_end(Scanner *s, TSLexer *l) {
  const Heredoc *h = &s->heredocs[0];
  if (at_eof(l)) {
    // Unterminated: the body ran to the end of the text. A zero-width end
    // keeps the instruction whole (BuildKit's error is the model's to say).
    pop_heredoc(s);
    s->line_state = MID_LINE;
    l->result_symbol = HEREDOC_END;
    return true;
  }
  if (h->chomp) {
    while (l->lookahead == '\t') skip(l);
  }
  char buf[MAX_NAME + 4];
  unsigned n = 0;
  while (!at_eof(l) && l->lookahead != '\n' && l->lookahead != '\r' && n < h->len) {
    if (!put_utf8(buf, sizeof(buf), &n, l->lookahead)) return false;
    advance(l);
  }
  if (n != h->len || memcmp(buf, h->name, n) != 0) return false;
  l->mark_end(l);
  while (l->lookahead == '\r') advance(l);
  if (!(l->lookahead == '\n' || at_eof(l))) return false;
  pop_heredoc(s);
  s->line_state = MID_LINE;
  l->result_symbol = HEREDOC_END;
  return true;
}

// A heredoc marker word (`<<EOF`, `<<-"EOF"`, `2<<EOF`) from the current
// character, which starts a shell-like word. Consumes the word (quotes
// and backslash escapes group, as BuildKit's raw word split does). When
// it is a marker, its end is marked and the heredoc is queued.
static bool lex_heredoc_marker(Scanner *s, TSLexer *l, bool mark) {
  char word[MAX_NAME + 8];
  unsigned n = 0;
  bool overflow = false;
  uint8_t quote = 0;
  while (!at_eof(l)) {
    int32_t c = l->lookahead;
    if (quote == 0 && (is_separator(c) || c == '\n')) break;
    if (c == '\n') break;
    if (quote == 0 && (c == '\'' || c == '"')) {
      quote = (uint8_t)c;
    } else if (quote != 0 && c == quote) {
      quote = 0;
    } else if (c == '\\' && quote != '\'') {
      if (!put_utf8(word, sizeof(word), &n, c)) overflow = true;
      advance(l);
      c = l->lookahead;
      if (at_eof(l) || c == '\n') break;
    }
    if (!put_utf8(word, sizeof(word), &n, c)) overflow = true;
    advance(l);
  }
  if (overflow) return false;
  word[n] = 0;
  unsigned i = 0;
  while (i < n && word[i] >= '0' && word[i] <= '9') i++;
  if (i + 2 > n || word[i] != '<' || word[i + 1] != '<') return false;
  i += 2;
  bool chomp = false;
  if (i < n && word[i] == '-') {
    chomp = true;
    i++;
  }
  while (i < n && ascii_space(word[i])) i++;
  if (i >= n) return false;
  char name[MAX_NAME + 8];
  unsigned len = 0;
  for (unsigned k = i; k < n; k++) {
    if (word[k] == '<') return false;
    if (word[k] != '"' && word[k] != '\'') name[len++] = word[k];
  }
  if (len == 0 || len > MAX_NAME) return false;
  if (mark) l->mark_end(l);
  push_heredoc(s, name, len, chomp);
  return true;
}

static bool starts_marker(int32_t c) { return (c >= '0' && c <= '9') || c == '<'; }

// ---------------------------------------------------------------------------
// JSON exec form

static bool json_ws_and_continuations(Scanner *s, TSLexer *l) {
  for (;;) {
    int32_t c = l->lookahead;
    if (c == ' ' || c == '\t' || c == '\r') {
      advance(l);
    } else if (c == s->escape) {
      advance(l);
      if (!rest_is_line_end(l)) return false;
      if (at_eof(l)) return true;
      advance(l);  // the line break
      // Comment and blank lines inside the continuation.
      for (;;) {
        while (is_space(l->lookahead)) advance(l);
        if (l->lookahead == '\n') {
          advance(l);
        } else if (l->lookahead == '#') {
          while (!at_eof(l) && l->lookahead != '\n') advance(l);
        } else {
          break;
        }
        if (at_eof(l)) break;
      }
    } else {
      return true;
    }
  }
}

static bool json_string_body(TSLexer *l) {
  if (l->lookahead != '"') return false;
  advance(l);
  for (;;) {
    int32_t c = l->lookahead;
    if (at_eof(l) || c == '\n' || (c >= 0 && c < 0x20)) return false;
    advance(l);
    if (c == '"') return true;
    if (c == '\\') {
      c = l->lookahead;
      if (c == 'u') {
        advance(l);
        for (int k = 0; k < 4; k++) {
          int32_t h = l->lookahead;
          if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F')))
            return false;
          advance(l);
        }
      } else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' ||
                 c == 'r' || c == 't') {
        advance(l);
      } else {
        return false;
      }
    }
  }
}

// Whether the rest of the logical line, from `[`, is a JSON array of
// strings and nothing else. Consumes it.
static bool json_array_follows(Scanner *s, TSLexer *l) {
  if (l->lookahead != '[') return false;
  advance(l);
  if (!json_ws_and_continuations(s, l)) return false;
  if (l->lookahead == ']') {
    advance(l);
  } else {
    for (;;) {
      if (!json_string_body(l)) return false;
      if (!json_ws_and_continuations(s, l)) return false;
      if (l->lookahead == ',') {
        advance(l);
        if (!json_ws_and_continuations(s, l)) return false;
        continue;
      }
      if (l->lookahead == ']') {
        advance(l);
        break;
      }
      return false;
    }
  }
  if (!json_ws_and_continuations(s, l)) return false;
  while (is_space(l->lookahead)) advance(l);
  return l->lookahead == '\n' || at_eof(l);
}

// ---------------------------------------------------------------------------
// Shell text and words

// Shell text of RUN, CMD, ENTRYPOINT, SHELL: the rest of the physical line,
// ending before a line continuation or a heredoc marker.
static bool lex_shell_fragment(Scanner *s, TSLexer *l, const bool *valid, bool boundary) {
  bool heredocs = heredoc_enabled(valid);
  bool any = false;
  int32_t prev = boundary ? ' ' : 0;
  uint8_t quote = s->quote;
  for (;;) {
    if (at_eof(l) || l->lookahead == '\n') break;
    int32_t c = l->lookahead;
    if (c == '\r') {
      l->mark_end(l);
      while (l->lookahead == '\r') advance(l);
      if (l->lookahead == '\n' || at_eof(l)) {
        s->quote = quote;
        s->word_boundary = 1;
        s->line_state = MID_LINE;
        l->result_symbol = SHELL_FRAGMENT;
        return any;
      }
      any = true;
      prev = '\r';
      continue;
    }
    if (c == s->escape && prev != s->escape) {
      l->mark_end(l);
      advance(l);
      if (rest_is_line_end(l)) {
        if (!any) {
          // Only the continuation: that is its own token.
          return false;
        }
        s->quote = quote;
        s->word_boundary = is_separator(prev);
        s->line_state = MID_LINE;
        l->result_symbol = SHELL_FRAGMENT;
        return true;
      }
      any = true;
      prev = s->escape;
      l->mark_end(l);
      continue;
    }
    if (heredocs && quote == 0 && is_separator(prev) && starts_marker(c)) {
      if (any) {
        l->mark_end(l);
        if (lex_heredoc_marker(s, l, false)) {
          // The marker is the next token: forget it for now.
          s->heredoc_count--;
          s->quote = quote;
          s->word_boundary = 1;
          s->line_state = MID_LINE;
          l->result_symbol = SHELL_FRAGMENT;
          return true;
        }
        // Not a marker: what was read is shell text.
        any = true;
        prev = 'x';
        l->mark_end(l);
        continue;
      }
      if (lex_heredoc_marker(s, l, true)) {
        s->word_boundary = 0;
        s->line_state = MID_LINE;
        l->result_symbol = HEREDOC_MARKER;
        return true;
      }
      any = true;
      prev = 'x';
      l->mark_end(l);
      continue;
    }
    if (quote == 0 && (c == '\'' || c == '"')) {
      quote = (uint8_t)c;
    } else if (quote != 0 && c == quote) {
      quote = 0;
    } else if (c == '\\' && quote != '\'') {
      advance(l);
      any = true;
      prev = 'x';
      if (l->lookahead == '\n' || at_eof(l) || l->lookahead == '\r') {
        // A backslash that is not the escape character, at the line end.
        l->mark_end(l);
        continue;
      }
    }
    advance(l);
    any = true;
    prev = (quote == 0 && is_separator(c)) ? ' ' : c;
    l->mark_end(l);
  }
  s->quote = quote;
  s->word_boundary = 1;
  s->line_state = MID_LINE;
  l->result_symbol = SHELL_FRAGMENT;
  return any;
}

// A variable reference from `$`: `$name` or `${...}` (braces nested).
// Returns true when one was read (its end marked).
static bool lex_expansion(TSLexer *l) {
  advance(l);  // $
  if (l->lookahead == '{') {
    advance(l);
    int depth = 1;
    while (depth > 0) {
      int32_t c = l->lookahead;
      if (at_eof(l) || c == '\n' || c == '\r') return false;
      if (c == '{') depth++;
      if (c == '}') depth--;
      advance(l);
    }
    l->mark_end(l);
    return true;
  }
  if (is_name_start(l->lookahead)) {
    while (is_name_char(l->lookahead)) advance(l);
    l->mark_end(l);
    return true;
  }
  return false;
}

// Whether the word goes on right after the current position.
static bool word_goes_on(Scanner *s, TSLexer *l) {
  int32_t c = l->lookahead;
  if (at_eof(l) || c == '\n') return false;
  if (s->quote != 0) return c != '\r';
  if (is_separator(c)) return false;
  return true;
}

// One piece of a word: a variable reference, or text up to the next
// reference, unquoted white space or the line's end.
static bool lex_word_piece(Scanner *s, TSLexer *l, bool first, bool param_value,
                           const bool *valid) {
  int32_t c = l->lookahead;
  if (at_eof(l) || c == '\n' || (s->quote == 0 && is_separator(c))) return false;
  if (first && s->quote == 0 && heredoc_enabled(valid) && starts_marker(c)) {
    if (lex_heredoc_marker(s, l, true)) {
      s->in_word = 0;
      s->line_state = MID_LINE;
      l->result_symbol = HEREDOC_MARKER;
      return true;
    }
    // What was read is the start of an ordinary word.
    l->mark_end(l);
    if (!word_goes_on(s, l)) {
      s->in_word = 0;
      s->line_state = MID_LINE;
      l->result_symbol = param_value ? PARAM_VALUE : WORD_START;
      return true;
    }
  }
  bool any = false;
  if (s->quote != '\'' && l->lookahead == '$') {
    if (lex_expansion(l)) {
      s->in_word = word_goes_on(s, l);
      s->line_state = MID_LINE;
      l->result_symbol = first ? (param_value ? PARAM_EXPANSION : EXPANSION_START) : EXPANSION_MORE;
      return true;
    }
    any = true;
    l->mark_end(l);
  }
  int32_t prev = 0;
  for (;;) {
    c = l->lookahead;
    if (at_eof(l) || c == '\n') break;
    if (s->quote == 0 && is_separator(c)) break;
    if (s->quote == 0 && c == '\r') break;
    if (c == '$' && s->quote != '\'') break;
    if (c == s->escape && prev != s->escape) {
      l->mark_end(l);
      advance(l);
      if (rest_is_line_end(l)) break;
      // An escaped character: part of the word. BuildKit looks one
      // character back: an escape after an escape does not continue.
      any = true;
      prev = s->escape;
      l->mark_end(l);
      continue;
    }
    if (s->quote == 0 && (c == '\'' || c == '"')) {
      s->quote = (uint8_t)c;
    } else if (s->quote != 0 && c == s->quote) {
      s->quote = 0;
    }
    advance(l);
    prev = c;
    any = true;
    l->mark_end(l);
  }
  if (!any) return false;
  // Continue only if the next character is part of the word (a reference,
  // or quoted text); a continuation ends it.
  bool goes_on = false;
  if (l->lookahead == '$' && s->quote != '\'') goes_on = true;
  else if (s->quote != 0 && !at_eof(l) && l->lookahead != '\n') goes_on = true;
  if (!goes_on) s->quote = 0;
  s->in_word = goes_on;
  s->line_state = MID_LINE;
  if (param_value && first) {
    l->result_symbol = PARAM_VALUE;
  } else {
    l->result_symbol = first ? WORD_START : WORD_MORE;
  }
  return true;
}

// ---------------------------------------------------------------------------

static bool is_known_keyword(const char *word) {
  for (unsigned i = 0; i < sizeof(KEYWORDS) / sizeof(KEYWORDS[0]); i++) {
    if (strcmp(word, KEYWORDS[i]) == 0) return true;
  }
  return false;
}

// An instruction keyword BuildKit does not know, or (`stage_end`) the
// zero-width end of a stage before a FROM.
static bool lex_unknown_keyword(Scanner *s, TSLexer *l, bool healthcheck, bool stage_end) {
  l->mark_end(l);
  char word[16];
  unsigned n = 0;
  bool long_word = false;
  while (!at_eof(l) && !is_space(l->lookahead) && l->lookahead != '\n' &&
         l->lookahead != s->escape) {
    int32_t c = l->lookahead;
    if (n + 1 < sizeof(word)) {
      word[n++] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : (c < 0x80 ? c : '?'));
    } else {
      long_word = true;
    }
    advance(l);
  }
  if (n == 0) return false;
  word[n] = 0;
  if (stage_end && !long_word && strcmp(word, "from") == 0) {
    l->result_symbol = STAGE_END;
    return true;
  }
  // After HEALTHCHECK only CMD and NONE are the grammar's: any other
  // keyword there is a type BuildKit rejects, kept whole on its line.
  if (healthcheck) {
    if (strcmp(word, "none") == 0 || strcmp(word, "cmd") == 0) return false;
  } else if (!long_word && is_known_keyword(word)) {
    return false;
  }
  l->mark_end(l);
  s->directives_open = 0;
  s->line_state = MID_LINE;
  l->result_symbol = UNKNOWN_KEYWORD;
  return true;
}

// After FROM's image: the `AS` before a stage name, or else the start of
// an extra word (BuildKit reads the words and rejects a wrong count; the
// tree keeps them in the instruction rather than breaking it).
static bool lex_from_as(Scanner *s, TSLexer *l, const bool *valid) {
  s->line_state = MID_LINE;
  s->directives_open = 0;
  advance(l);
  if (l->lookahead == 's' || l->lookahead == 'S') {
    advance(l);
    if (at_eof(l) || is_separator(l->lookahead)) {
      l->mark_end(l);
      s->in_word = 0;
      l->result_symbol = FROM_AS;
      return true;
    }
  }
  // An ordinary word that starts with what was read.
  l->mark_end(l);
  s->quote = 0;
  s->in_word = 0;
  if (word_goes_on(s, l) && lex_word_piece(s, l, true, false, valid)) return true;
  l->result_symbol = WORD_START;
  return true;
}

// Where a keyword is due but the text starts with what no keyword does
// (an escaped character, dashes that are not a flag): the rest of the
// word, read so far up to here, is an unknown keyword.
static bool lex_rest_of_keyword(Scanner *s, TSLexer *l) {
  while (!at_eof(l) && !is_space(l->lookahead) && l->lookahead != '\n') advance(l);
  l->mark_end(l);
  s->directives_open = 0;
  s->in_word = 0;
  s->line_state = MID_LINE;
  l->result_symbol = UNKNOWN_KEYWORD;
  return true;
}

static bool end_line(Scanner *s, TSLexer *l) {
  s->line_state = MID_LINE;
  s->directives_open = 0;
  s->in_word = 0;
  s->quote = 0;
  s->word_boundary = 1;
  s->heredoc_count = 0;
  l->result_symbol = EOL;
  return true;
}

bool tree_sitter_dockerfile_external_scanner_scan(void *payload, TSLexer *l,
                                                  const bool *valid) {
  Scanner *s = payload;

  if (valid[ERROR_SENTINEL]) {
    // Error recovery: end the broken instruction at its line's end.
    while (is_blank(l->lookahead) || l->lookahead == '\r') skip(l);
    if (l->lookahead == '\n' || at_eof(l)) return end_line(s, l);
    return false;
  }

  // Heredoc bodies follow the logical line that named them.
  bool heredoc_padding = false;
  if (s->heredoc_count > 0) {
    if (valid[HEREDOC_CONTENT]) {
      int32_t c = l->lookahead;
      if (c == '\n' || c == '\r' || is_blank(c) || at_eof(l)) {
        // Only at the end of the line: check without consuming content.
        while (is_blank(l->lookahead) || l->lookahead == '\r') {
          skip(l);
          heredoc_padding = true;
        }
        if (l->lookahead == '\n' || at_eof(l)) return lex_heredoc_content(s, l);
        // Mid-line: go on below (blanks were skipped as padding).
      }
    } else if (valid[HEREDOC_END]) {
      return lex_heredoc_end(s, l);
    }
  }

  // Inside an instruction (even one the grammar finds incomplete): its
  // logical line ends at the next line break that does not continue it.
  bool inside = valid[EOL] || valid[WORD_START] || valid[WORD_MORE] || valid[PARAM_START] ||
                valid[PARAM_VALUE] || valid[SHELL_FRAGMENT] || valid[JSON_OPEN] ||
                valid[JSON_STRING] || valid[HEREDOC_MARKER] || valid[EXPANSION_START];
  uint8_t ls = s->line_state;
  if (ls == LINE_START && inside && l->get_column(l) != 0) ls = MID_LINE;
  bool skipped = heredoc_padding;
  if (ls == AFTER_NOT_JSON) {
    ls = MID_LINE;
    skipped = true;
  }

  for (;;) {
    int32_t c = l->lookahead;
    if (c == '\n') {
      if (ls == MID_LINE && inside) break;  // the logical line ends here
      if (ls == LINE_START && !inside) s->directives_open = 0;  // a blank line
      skip(l);
      ls = LINE_START;
      skipped = true;
      continue;
    }
    if (ls == LINE_START ? is_space(c) : (is_blank(c) || c == '\r' || c == '\v' || c == '\f')) {
      skip(l);
      skipped = true;
      continue;
    }
    break;
  }

  if (valid[STAGE_END] && !inside && at_eof(l)) {
    l->result_symbol = STAGE_END;
    return true;
  }

  if (at_eof(l) || l->lookahead == '\n') {
    if (inside && s->heredoc_count == 0) return end_line(s, l);
    if (inside && s->heredoc_count > 0 && !valid[HEREDOC_CONTENT]) return end_line(s, l);
    return false;
  }

  int32_t c = l->lookahead;

  // `=` glued to a flag's name is the grammar's own token.
  // (A flag's value may itself start with `=`: `--a==b`.)
  if (c == '=' && !skipped && ls != LINE_START && !s->in_word && !valid[PARAM_VALUE]) {
    return false;
  }

  if (ls == LINE_START && c == '#' && valid[COMMENT]) {
    return emit_comment(s, l, !inside);
  }

  if (c == s->escape && valid[LINE_CONTINUATION]) {
    advance(l);
    if (rest_is_line_end(l)) {
      if (!at_eof(l)) advance(l);
      l->mark_end(l);
      s->line_state = LINE_START;
      s->in_word = 0;
      l->result_symbol = LINE_CONTINUATION;
      return true;
    }
    // An escaped character: the start of a word or shell text.
    if (valid[SHELL_FRAGMENT]) {
      l->mark_end(l);
      bool any = lex_shell_fragment(s, l, valid, false);
      (void)any;
      s->line_state = MID_LINE;
      l->result_symbol = SHELL_FRAGMENT;
      return true;
    }
    if (valid[UNKNOWN_KEYWORD] && !valid[WORD_START]) {
      return lex_rest_of_keyword(s, l);
    }
    if (valid[WORD_START] || valid[WORD_MORE] || valid[PARAM_VALUE]) {
      l->mark_end(l);
      bool first = !(s->in_word && !skipped && valid[WORD_MORE]);
      bool param_value = valid[PARAM_VALUE] && !skipped;
      lex_word_piece(s, l, first, param_value, valid);
      if (first && param_value) l->result_symbol = PARAM_VALUE;
      else l->result_symbol = first ? WORD_START : WORD_MORE;
      s->line_state = MID_LINE;
      return true;
    }
    return false;
  }

  if (valid[PARAM_VALUE] && !skipped && ls != LINE_START) {
    s->quote = 0;
    return lex_word_piece(s, l, true, true, valid);
  }

  if (valid[UNKNOWN_KEYWORD] && !(c == '-' && valid[PARAM_START])) {
    return lex_unknown_keyword(s, l, valid[PARAM_START], valid[STAGE_END] && !inside);
  }

  if (valid[JSON_STRING] && c == '"') {
    if (!json_string_body(l)) return false;
    l->mark_end(l);
    s->line_state = MID_LINE;
    l->result_symbol = JSON_STRING;
    return true;
  }

  if (c == '[' && valid[JSON_OPEN] && (skipped || ls == LINE_START)) {
    l->mark_end(l);
    s->line_state = MID_LINE;
    s->directives_open = 0;
    l->result_symbol = json_array_follows(s, l) ? JSON_OPEN : NOT_JSON;
    if (l->result_symbol == NOT_JSON && !valid[NOT_JSON]) return false;
    if (l->result_symbol == NOT_JSON) s->line_state = AFTER_NOT_JSON;
    return true;
  }

  if (valid[FROM_AS] && skipped && !s->in_word && (c == 'a' || c == 'A')) {
    return lex_from_as(s, l, valid);
  }

  if (c == '-' && valid[PARAM_START] && (skipped || ls == LINE_START)) {
    advance(l);
    if (l->lookahead == '-') {
      advance(l);
      if (is_name_start(l->lookahead)) {
        l->mark_end(l);
        s->line_state = MID_LINE;
        s->in_word = 0;
        l->result_symbol = PARAM_START;
        return true;
      }
    }
    // Not a flag: shell text or a word that starts with dashes.
    l->mark_end(l);
    if (valid[SHELL_FRAGMENT]) {
      lex_shell_fragment(s, l, valid, false);
      l->result_symbol = SHELL_FRAGMENT;
      s->line_state = MID_LINE;
      return true;
    }
    if (valid[WORD_START]) {
      if (word_goes_on(s, l)) lex_word_piece(s, l, false, false, valid);
      else s->in_word = 0;
      l->result_symbol = WORD_START;
      s->line_state = MID_LINE;
      return true;
    }
    if (valid[UNKNOWN_KEYWORD]) return lex_rest_of_keyword(s, l);
    return false;
  }

  if (valid[PARAM_VALUE] && !skipped && ls != LINE_START) {
    s->quote = 0;
    return lex_word_piece(s, l, true, true, valid);
  }

  if (valid[SHELL_FRAGMENT]) {
    bool boundary = s->word_boundary || skipped || ls == LINE_START;
    return lex_shell_fragment(s, l, valid, boundary);
  }

  bool more = s->in_word && !skipped && ls != LINE_START && valid[WORD_MORE];
  if (more) return lex_word_piece(s, l, false, false, valid);
  bool param_value = valid[PARAM_VALUE] && !skipped && ls != LINE_START;
  if (param_value || ((skipped || ls == LINE_START) && valid[WORD_START])) {
    s->quote = 0;
    return lex_word_piece(s, l, true, param_value, valid);
  }
  return false;
}
