#include "outbuf.h"

#include <errno.h>
#include <unistd.h>

#include "log.h"

#define OUTBUF_FLUSH_AT (1u << 16)

void outbuf_init(outbuf *o, int fd)
{
	buf_init(&o->b);
	o->fd = fd;
	o->failed = false;
}

void outbuf_flush(outbuf *o)
{
	size_t off = 0;
	while (!o->failed && off < o->b.len) {
		ssize_t w = write(o->fd, o->b.data + off, o->b.len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EPIPE)
				log_errno("stdout: write error");
			o->failed = true;
			break;
		}
		off += (size_t)w;
	}
	buf_reset(&o->b);
}

void outbuf_maybe_flush(outbuf *o)
{
	if (o->b.len >= OUTBUF_FLUSH_AT)
		outbuf_flush(o);
}

bool outbuf_close(outbuf *o)
{
	outbuf_flush(o);
	buf_free(&o->b);
	return !o->failed;
}
