/*
 * keytext.h - primary-key values as one line of text.
 *
 * The key text of a row is its key columns' values in text form, separated by
 * commas. A field is double-quoted, with inner double quotes doubled, when it
 * is empty or holds a comma, a double quote, a backslash, a control character
 * (newline, tab...), or leading/trailing spaces:
 *     42            17,"a,b"            "",7            "say ""hi"""
 * Keys never contain NULL.
 *
 * An empty value is always written "" (two double quotes): the parser refuses
 * an empty unquoted field, so the empty string (no field at all) never means a
 * key. Range options (--after, --until) read an empty argument as "no bound"
 * (keytext_bound), which is what `key=$(pg-load --checkpoint T)` gives when
 * there is no checkpoint; a checkpoint at the key '' is printed "" and
 * --after '""' means the rows after ''.
 */
#ifndef KEYTEXT_H
#define KEYTEXT_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

void keytext_format(buf *out, const char *const *vals, const size_t *lens, size_t n);
/* one field, appended to out (with quoting as needed) */
void keytext_format_field(buf *out, const char *val, size_t len);
/* a range bound as given on a command line: NULL for an empty argument (no bound), else arg */
char *keytext_bound(char *arg);
/* splits s into fields; *vals[i] are malloc'd NUL-terminated copies (lens exclude the NUL).
 * false (and logs) on malformed text, including an empty unquoted field ("", "1,", ",a"). Free with keytext_free. */
CHECKED bool keytext_parse(const char *s, char ***vals, size_t **lens, size_t *n);
void keytext_free(char **vals, size_t *lens, size_t n);

#endif
