/*
 * conninfo.h - the passwords of a PostgreSQL conninfo (a key=value string or a
 * postgresql:// URI), found without libpq.
 */
#ifndef CONNINFO_H
#define CONNINFO_H

#include <stddef.h>

#define CONNINFO_MASK "********"
#define CONNINFO_MAX_SPANS 16

/* where a password value lies in a conninfo: bytes [off, off + len) */
typedef struct conninfo_span {
	size_t off, len;
} conninfo_span;

/* the password values of conninfo, in order (at most CONNINFO_MAX_SPANS); returns how many */
size_t conninfo_password_spans(const char *conninfo, conninfo_span *sp);

/* a copy of conninfo with any password replaced by ********; free() it. Masked: the
 * password of a URI's userinfo (postgresql://user:PASSWORD@host), URI parameters
 * ?password=, and key=value pairs password=VALUE or password='quoted value'; keys in
 * any case (libpq refuses PASSWORD=, but its error message must not show it either) */
char *pgconn_masked(const char *conninfo);
/* for a -d argument: returns a copy of arg (free() it) and overwrites the password
 * values in arg itself with 'x', so that ps(1) and /proc/PID/cmdline do not show them;
 * call it while parsing options, before anything slow (connecting) */
char *pgconn_take_conninfo(char *arg);

#endif
