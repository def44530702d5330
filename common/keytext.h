/*
 * keytext.h - primary-key values as one line of text.
 *
 * The key text of a row is its key columns' values in text form, separated by
 * commas. A field is double-quoted, with inner double quotes doubled, when it
 * is empty or holds a comma, a double quote, a backslash, a control character
 * (newline, tab...), or leading/trailing spaces:
 *     42            17,"a,b"            "",7            "say ""hi"""
 * Keys never contain NULL.
 */
#ifndef KEYTEXT_H
#define KEYTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

void keytext_format(buf *out, const char *const *vals, const size_t *lens, size_t n);
/* one field, appended to out (with quoting as needed) */
void keytext_format_field(buf *out, const char *val, size_t len);
/* splits s into fields; *vals[i] are malloc'd NUL-terminated copies (lens exclude the NUL).
 * false (and logs) on malformed text. Free with keytext_free. */
bool keytext_parse(const char *s, char ***vals, size_t **lens, size_t *n);
void keytext_free(char **vals, size_t *lens, size_t n);

#endif
