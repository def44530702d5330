/*
 * collist.h - a --columns list (my-extract, pg-extract) resolved against a table.
 *
 * The list is key text (keytext.h): names separated by commas, double-quoted
 * when they hold a comma or a quote. Each name is looked up with the table's
 * own find function; unknown and repeated names are usage errors, logged
 * with the table's name.
 */
#ifndef COLLIST_H
#define COLLIST_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>

/* returns the column index of name, or a negative number when there is none */
typedef int (*collist_find_fn)(const void *table, const char *name);

/* spec NULL: all ncols columns in table order. *out is malloc'd. */
CHECKED bool collist_resolve(const char *spec, const char *qtable, collist_find_fn find, const void *table,
                     size_t ncols, size_t **out, size_t *nout);
/* the same for a PostgreSQL table made by my-schema: a name PostgreSQL refuses for a column
 * (xmin...) is the column my-schema renamed it to (pgname_find_renamed(), the other names of
 * the list telling which; a usage error when they cannot) */
CHECKED bool collist_resolve_pg(const char *spec, const char *qtable, collist_find_fn find, const void *table,
                        size_t ncols, size_t **out, size_t *nout);
/* every one of the nkey key columns is among the n chosen ones (false when nkey is 0) */
CHECKED bool collist_has_key(const size_t *cols, size_t n, const size_t *key, size_t nkey);

#endif
