/*
 * jsonb.h - JSON text to PostgreSQL's canonical jsonb text.
 *
 * PostgreSQL does not keep JSON text as written: jsonb_in parses it and jsonb_out
 * prints a canonical form, which is also what jsonb_send sends (after a version
 * byte 1). To be byte-identical with `COPY ... TO STDOUT (FORMAT binary)` of a
 * jsonb column, this module does the same:
 *   - objects: keys sorted by length, then bytewise; of duplicate keys the last wins
 *     (jsonb_send_dups: or the first, as MariaDB's JSON functions answer, or none: refused)
 *   - separators ", " and ": "; "{}" and "[]" when empty
 *   - numbers: as numeric_out prints the numeric value (1e2 -> 100, 1.0e-3 -> 0.0010,
 *     -0 -> 0), with numeric's limits (at most 131072 digits before the point,
 *     16383 after)
 *   - strings: \uXXXX escapes decoded (surrogate pairs joined); output escapes
 *     " \ \b \f \n \r \t, other characters below U+0020 as \u00xx (lowercase hex),
 *     everything else (including / and non-ASCII) as UTF-8
 * Refused as PostgreSQL refuses them: invalid JSON, invalid UTF-8, \u0000 (jsonb
 * cannot hold it), lone surrogates, unescaped control characters in strings.
 *
 * Example: {"b": 1, "a": [1.50, 2e1], "b": true}  ->  {"a": [1.50, 20], "b": true}
 */
#ifndef JSONB_H
#define JSONB_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* deepest nesting accepted (arrays and objects) */
#define JSONB_MAX_DEPTH 10000

/* appends the canonical jsonb text of the JSON text in[0..n) to out; on failure
 * returns false with a static reason in *err (out is then unspecified) */
CHECKED bool jsonb_canonical(const uint8_t *in, size_t n, buf *out, const char **err);

/* checks JSON text the way json_in does (syntax only: \u0000, lone surrogates and
 * any number are accepted); the json type keeps the text as it is */
CHECKED bool jsonb_validate_json(const uint8_t *in, size_t n, const char **err);

/* the binary COPY representation: version byte 1 + canonical text */
CHECKED bool jsonb_send(const uint8_t *in, size_t n, buf *out, const char **err);

/* which of an object's duplicate keys is kept: none (the value is refused with
 * "json object has a duplicate key"), the last (as jsonb_in), or the first (as
 * MariaDB's JSON_EXTRACT answers) */
typedef enum jsonb_dups { JSONB_DUPS_REFUSE, JSONB_DUPS_LAST, JSONB_DUPS_FIRST } jsonb_dups;

/* jsonb_send with a choice for duplicate keys; *had_dups (when not NULL) says whether
 * any object, at any depth, had a key twice */
CHECKED bool jsonb_send_dups(const uint8_t *in, size_t n, jsonb_dups dups, buf *out, bool *had_dups, const char **err);

#endif
