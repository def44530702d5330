#include "rejects.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "hex.h"
#include "keytext.h"
#include "log.h"

struct rejects {
	char *path;
	int fd;
	rs_writer *w;
	char *stage;
	uint64_t count;
};

/* the character sets of the source's text columns, for row-cat to show their bytes as text:
 * row_charsets and key_charsets (one name a column, in row or key order, empty when not text),
 * charset:COLUMN for the value field */
static void add_charsets(rs_header *h, const rs_header *source)
{
	buf row, key;
	buf_init(&row);
	buf_init(&key);
	uint32_t nkey = 0;
	for (size_t i = 0; i < source->ncols; i++)
		if (source->cols[i].keypos > nkey)
			nkey = source->cols[i].keypos;
	for (size_t i = 0; i < source->ncols; i++) {
		const rs_column *c = &source->cols[i];
		const char *cs = c->flags & RS_COL_BINARY ? NULL : rs_column_attr(c, "charset");
		if (i)
			buf_putc(&row, ',');
		if (cs) {
			buf_puts(&row, cs);
			char k[512];
			snprintf(k, sizeof k, "charset:%s", c->name);
			rs_header_add_meta(h, k, cs);
		}
	}
	for (uint32_t p = 1; p <= nkey; p++) {
		if (p > 1)
			buf_putc(&key, ',');
		for (size_t i = 0; i < source->ncols; i++) {
			const rs_column *c = &source->cols[i];
			const char *cs = c->flags & RS_COL_BINARY ? NULL : rs_column_attr(c, "charset");
			if (c->keypos == p && cs)
				buf_puts(&key, cs);
		}
	}
	rs_header_add_meta(h, "row_charsets", buf_cstr(&row));
	rs_header_add_meta(h, "key_charsets", buf_cstr(&key));
	buf_free(&row);
	buf_free(&key);
}

rejects *rejects_open(const char *path, const char *stage, const rs_header *source)
{
	rejects *r = mem_calloc(1, sizeof *r);
	r->fd = -1;
	r->stage = mem_strdup(stage);
	if (!path)
		return r;
	r->path = mem_strdup(path);
	if (cli_is_std(path)) {
		log_error("%s: the rejects need a file of their own (stdout carries the stream)", path);
		free(r->path);
		free(r->stage);
		free(r);
		return NULL;
	}
	/* rejects of an earlier run are never overwritten: a resumed run names a new file */
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		log_error("%s: rejects file exists and is not empty (rejects of an earlier run?): "
		          "give another path, or remove it", path);
		free(r->path);
		free(r->stage);
		free(r);
		return NULL;
	}
	const char *name;
	r->fd = cli_open_write(path, &name);
	if (r->fd < 0) {
		free(r->path);
		free(r->stage);
		free(r);
		return NULL;
	}
	rs_header *h = rs_header_new(RS_DOMAIN_MYSQL, source ? source->schema : "", source ? source->table : "");
	rs_header_add_meta(h, "rejects", "1");
	rs_header_add_meta(h, "stage", stage);
	if (source && source->domain == RS_DOMAIN_MYSQL)
		add_charsets(h, source);
	static const char *const cols[] = {"stage", "key", "column", "reason", "value", "row"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		rs_header_add_column(h, cols[i], i == 4 ? "longblob" : "text", i == 4 ? 252 : 252,
		                     i == 4 ? RS_COL_BINARY : 0, 0);
	rs_writer_opts o = {.block_rows = 1}; /* every reject is durable as soon as it is known */
	r->w = rs_header_finish(h) ? rs_writer_new(r->fd, path, h, &o) : NULL;
	rs_header_free(h);
	if (!r->w) {
		close(r->fd);
		free(r->path);
		free(r->stage);
		free(r);
		return NULL;
	}
	return r;
}

bool rejects_add(rejects *r, const char *key, const char *column, const char *reason, const void *value,
                 size_t value_len, bool value_null, const char *row)
{
	r->count++;
	if (!r->w)
		return true;
	bool ok = rs_writer_put(r->w, r->stage, strlen(r->stage)) && rs_writer_put(r->w, key ? key : "", key ? strlen(key) : 0) &&
	          rs_writer_put(r->w, column ? column : "", column ? strlen(column) : 0) &&
	          rs_writer_put(r->w, reason, strlen(reason)) &&
	          (value_null ? rs_writer_put_null(r->w) : rs_writer_put(r->w, value, value_len)) &&
	          (row ? rs_writer_put(r->w, row, strlen(row)) : rs_writer_put_null(r->w)) && rs_writer_end_row(r->w);
	if (!ok)
		log_error("%s: unable to record a rejected row", r->path);
	return ok;
}

uint64_t rejects_count(const rejects *r) { return r->count; }

bool rejects_close(rejects *r)
{
	if (!r)
		return true;
	bool ok = true;
	if (r->w) {
		ok = rs_writer_finish(r->w);
		rs_writer_free(r->w);
	}
	if (r->fd >= 0 && !cli_close(r->fd, r->path))
		ok = false;
	free(r->path);
	free(r->stage);
	free(r);
	return ok;
}

/* a value holding NUL bytes: \x and hex digits, unquoted (keytext quotes every other field
 * holding a backslash, so this form is unambiguous) */
static void format_hex(buf *out, const uint8_t *p, size_t n)
{
	buf_puts(out, "\\x");
	hex_append(out, p, n);
}

void rejects_format_values(buf *out, const rs_value *vals, const size_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const rs_value *v = &vals[idx ? idx[i] : i];
		if (i)
			buf_putc(out, ',');
		if (v->null)
			buf_puts(out, "\\N");
		else if (v->chunked)
			buf_printf(out, "\"<%" PRIu64 " bytes>\"", v->len);
		else if (memchr(v->data, 0, (size_t)v->len))
			format_hex(out, v->data, (size_t)v->len);
		else
			keytext_format_field(out, (const char *)v->data, (size_t)v->len);
	}
}
