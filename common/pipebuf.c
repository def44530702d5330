#include "pipebuf.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

void pipebuf_grow(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode))
		return;
	int cur = fcntl(fd, F_GETPIPE_SZ);
	if (cur < 0 || (unsigned)cur >= PIPEBUF_BYTES)
		return;
	if (fcntl(fd, F_SETPIPE_SZ, (int)PIPEBUF_BYTES) < 0)
		log_debug("pipe buffer of descriptor %d stays at %d bytes: %s", fd, cur, strerror(errno));
#else
	(void)fd;
#endif
}
