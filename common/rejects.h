/*
 * rejects.h - where rows that cannot be converted or loaded are kept.
 *
 * A rejects file is itself a row stream (domain mysql, table "<schema>.<table>"
 * of the source, meta "rejects=1") with these text columns, so row-cat shows it
 * and nothing in it is lost, including binary source bytes:
 *   stage   "row-convert" | "pg-load" | ...
 *   key     the row's primary key, as text: "v1" or "v1,v2" (values CSV-quoted when
 *           they hold a comma or quote); empty when the table has no key
 *   column  the column that failed, empty when the whole row failed
 *   reason  why, e.g. "zero date" or the server's message "[target] 23505 duplicate key ..."
 *   value   the original source bytes of the failing value (NULL when not applicable)
 *   row     the whole source row, CSV-encoded text (NULL values as \N, values holding NUL
 *           bytes as \x and hex digits), for re-loading by hand
 */
#ifndef REJECTS_H
#define REJECTS_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rowstream.h"

typedef struct rejects rejects;

/* path NULL: rejects are counted but not kept (callers must then stop at the first one).
 * An existing non-empty file is refused (NULL, logged): rejects are never overwritten. */
rejects *rejects_open(const char *path, const char *stage, const rs_header *source);
CHECKED bool rejects_add(rejects *r, const char *key, const char *column, const char *reason,
                 const void *value, size_t value_len, bool value_null, const char *row);
uint64_t rejects_count(const rejects *r);
/* writes the trailer; false on I/O error */
/* not CHECKED yet: cmd/row-convert/row-convert.c ignores it once (closing after a failure) */
bool rejects_close(rejects *r);

/* helpers to build the key/row text of the current row of a reader: CSV fields, NULL as \N,
 * values with NUL bytes as \x + hex: the result never holds a NUL byte */
void rejects_format_values(buf *out, const rs_value *vals, const size_t *idx, size_t n);

#endif
