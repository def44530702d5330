/*
 * outbuf.h - buffered text output to a file descriptor (stdout of the text-printing tools).
 *
 * Text goes into o->b with the buf functions; outbuf_maybe_flush writes it out once 64 KiB
 * have gathered. A write error is logged once (EPIPE silently: the reader went away) and
 * every later flush does nothing; outbuf_close reports whether all was written.
 */
#ifndef OUTBUF_H
#define OUTBUF_H

#include "checked.h"

#include <stdbool.h>

#include "buf.h"

typedef struct outbuf {
	buf b;
	int fd;
	bool failed;
} outbuf;

void outbuf_init(outbuf *o, int fd);
void outbuf_flush(outbuf *o);
void outbuf_maybe_flush(outbuf *o);
/* flushes and frees; false when anything could not be written */
CHECKED bool outbuf_close(outbuf *o);

#endif
