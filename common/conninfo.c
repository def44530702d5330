/*
 * conninfo.c - where the passwords of a PostgreSQL conninfo lie, without libpq: the option
 * parsing of every tool takes -d through it (common/cli), and a tool that never connects to
 * PostgreSQL must not load libpq and its two dozen libraries for that (5 MiB of RSS).
 */
#include "conninfo.h"

#include <string.h>
#include <strings.h>

#include "buf.h"

static void add_span(conninfo_span *sp, size_t *n, size_t off, size_t len)
{
	if (*n < CONNINFO_MAX_SPANS)
		sp[(*n)++] = (conninfo_span){off, len};
}

static bool is_uri(const char *s)
{
	return strncasecmp(s, "postgresql://", 13) == 0 || strncasecmp(s, "postgres://", 11) == 0;
}

/* URI: the password of the userinfo (user:PASSWORD@host) and ?password=VALUE parameters */
static void spans_uri(const char *s, conninfo_span *sp, size_t *n)
{
	const char *p = strstr(s, "://") + 3;
	/* authority: up to the first '/' or '?'; userinfo before its last '@' */
	size_t alen = strcspn(p, "/?");
	const char *at = NULL;
	for (const char *q = p; q < p + alen; q++)
		if (*q == '@')
			at = q;
	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		if (colon)
			add_span(sp, n, (size_t)(colon + 1 - s), (size_t)(at - colon - 1));
	}
	const char *query = strchr(p + alen, '?');
	if (!query)
		return;
	p = query + 1;
	while (*p) {
		size_t len = strcspn(p, "&");
		if (len >= 9 && strncasecmp(p, "password=", 9) == 0)
			add_span(sp, n, (size_t)(p + 9 - s), len - 9);
		p += len;
		if (*p == '&')
			p++;
	}
}

/* key = value pairs: the value of every key spelled password in any case, quoted or not */
static void spans_kv(const char *s, conninfo_span *sp, size_t *n)
{
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		const char *key = p;
		while (*p && *p != '=' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		bool is_password = (size_t)(p - key) == 8 && strncasecmp(key, "password", 8) == 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *val = p;
		if (*p == '\'') {
			p++;
			while (*p && *p != '\'') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (*p == '\'')
				p++;
		} else {
			while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
		}
		if (is_password)
			add_span(sp, n, (size_t)(val - s), (size_t)(p - val));
	}
}

/* the password values of conninfo, in order; returns how many */
size_t conninfo_password_spans(const char *conninfo, conninfo_span *sp)
{
	size_t n = 0;
	if (is_uri(conninfo))
		spans_uri(conninfo, sp, &n);
	else
		spans_kv(conninfo, sp, &n);
	return n;
}

char *pgconn_masked(const char *conninfo)
{
	conninfo_span sp[CONNINFO_MAX_SPANS];
	size_t n = conninfo_password_spans(conninfo, sp), at = 0;
	buf out;
	buf_init(&out);
	for (size_t i = 0; i < n; i++) {
		buf_append(&out, conninfo + at, sp[i].off - at);
		buf_puts(&out, CONNINFO_MASK);
		at = sp[i].off + sp[i].len;
	}
	buf_puts(&out, conninfo + at);
	char *r = mem_strdup(buf_cstr(&out));
	buf_free(&out);
	return r;
}

char *pgconn_take_conninfo(char *arg)
{
	char *copy = mem_strdup(arg);
	conninfo_span sp[CONNINFO_MAX_SPANS];
	size_t n = conninfo_password_spans(copy, sp);
	for (size_t i = 0; i < n; i++)
		memset(arg + sp[i].off, 'x', sp[i].len);
	return copy;
}

