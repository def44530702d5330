/*
 * rc.h - row-checksum's internal interfaces: output, value rendering, --diff.
 */
#ifndef RC_H
#define RC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "outbuf.h"
#include "rowstream.h"


/* a value as text: PostgreSQL's text output for PG-domain values (pgtext), the
 * bytes themselves for MySQL-domain values, \x hex for binary MySQL columns.
 * false when a PG-domain value is not valid for its type (out unchanged). */
bool rc_render_value(buf *out, uint8_t domain, const rs_column *c, const void *data, size_t len);
/* the key text of key values kv (nkey of them, in key order) */
bool rc_render_key(buf *out, const rs_header *h, const rs_value *kv);
/* text for people: bare when unambiguous, else "..." with \" \\ \n \r \t \xHH escapes;
 * at most max bytes of s are shown (0: all), followed by "...(N bytes)" */
void rc_quote_display(buf *out, const uint8_t *s, size_t n, size_t max);

typedef struct rc_diff_opts {
	size_t show_max; /* display bytes per value; 0: all */
} rc_diff_opts;

/* compares two key-ordered streams, printing the differing rows; returns an exit status */
int rc_diff(const char *path_a, const char *path_b, const rc_diff_opts *o);

#endif
