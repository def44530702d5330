/*
 * fk.c - the foreign keys fk-check found and its report of their orphans: a
 * line each on stdout (through outbuf) and, with --stream, a row each in a
 * row stream. fk_my.c and fk_pg.c find the keys and orphans and call these;
 * nothing here calls them back.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fk.h"
#include "cli.h"
#include "keytext.h"
#include "log.h"
#include "pgoid.h"

bool fk_table_selected(const fkctx *x, const char *table)
{
	if (x->ntables == 0)
		return true;
	for (size_t i = 0; i < x->ntables; i++)
		if (strcasecmp(x->tables[i], table) == 0)
			return true;
	return false;
}

void fk_free(fkey *k)
{
	free(k->name);
	free(k->child_schema);
	free(k->child_table);
	free(k->parent_schema);
	free(k->parent_table);
	mem_strv_free(k->cols, k->ncols);
	mem_strv_free(k->refcols, k->ncols);
	mem_strv_free(k->pk, k->npk);
}

void fk_add(fkctx *x, fkey *fk)
{
	if (!fk_table_selected(x, fk->child_table)) {
		fk_free(fk);
		return;
	}
	x->fks = mem_realloc(x->fks, (x->nfks + 1) * sizeof *x->fks);
	x->fks[x->nfks++] = *fk;
}

static void put_list(buf *b, char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(b, ", ");
		buf_puts(b, names[i]);
	}
}

/* key text of values, NULL shown as NULL */
static void put_values(buf *b, const char *const *v, const size_t *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ',');
		if (!v[i])
			buf_puts(b, "NULL");
		else
			keytext_format_field(b, v[i], l[i]);
	}
}

static bool stream_put(fkctx *x, const char *s, size_t n)
{
	return rs_writer_put(x->w, s, n);
}

static bool stream_put_buf(fkctx *x, buf *b)
{
	return rs_writer_put(x->w, b->len ? (const char *)b->data : "", b->len);
}

bool fk_report_orphan(fkctx *x, fkey *k, const char *const *pkv, const size_t *pkl, const char *const *fkv,
                      const size_t *fkl)
{
	k->orphans++;
	x->total_orphans++;
	/* constraint schema.table key: (cols)=(values) not in schema.parent(refcols) */
	buf *o = &x->out.b;
	buf_printf(o, "%s %s.%s ", k->name, k->child_schema, k->child_table);
	if (k->npk)
		put_values(o, pkv, pkl, k->npk);
	else
		buf_putc(o, '-');
	buf_puts(o, ": (");
	put_list(o, k->cols, k->ncols);
	buf_puts(o, ")=(");
	put_values(o, fkv, fkl, k->ncols);
	buf_printf(o, ") not in %s.%s(", k->parent_schema, k->parent_table);
	put_list(o, k->refcols, k->ncols);
	buf_puts(o, ")\n");
	outbuf_maybe_flush(&x->out);
	if (!x->w)
		return true;
	buf t;
	buf_init(&t);
	bool ok = stream_put(x, k->name, strlen(k->name));
	buf_printf(&t, "%s.%s", k->child_schema, k->child_table);
	ok = ok && stream_put_buf(x, &t);
	if (ok && k->npk) {
		buf_reset(&t);
		put_values(&t, pkv, pkl, k->npk);
		ok = stream_put_buf(x, &t);
	} else if (ok) {
		ok = rs_writer_put_null(x->w);
	}
	buf_reset(&t);
	for (size_t i = 0; i < k->ncols; i++) {
		if (i)
			buf_putc(&t, ',');
		keytext_format_field(&t, k->cols[i], strlen(k->cols[i]));
	}
	ok = ok && stream_put_buf(x, &t);
	buf_reset(&t);
	put_values(&t, fkv, fkl, k->ncols);
	ok = ok && stream_put_buf(x, &t);
	buf_reset(&t);
	buf_printf(&t, "%s.%s", k->parent_schema, k->parent_table);
	ok = ok && stream_put_buf(x, &t);
	buf_reset(&t);
	for (size_t i = 0; i < k->ncols; i++) {
		if (i)
			buf_putc(&t, ',');
		keytext_format_field(&t, k->refcols[i], strlen(k->refcols[i]));
	}
	ok = ok && stream_put_buf(x, &t) && rs_writer_end_row(x->w);
	buf_free(&t);
	if (!ok)
		x->io_failed = true;
	return ok;
}

void fk_report_moved(fkctx *x, const fkey *k, uint64_t n, const char *orphans_table)
{
	buf_printf(&x->out.b, "moved %" PRIu64 " row%s of %s.%s to %s.%s (%s)\n", n, n == 1 ? "" : "s", k->child_schema,
	           k->child_table, k->child_schema, orphans_table, k->name);
}

bool fk_stream_open(fkctx *x, const char *path)
{
	if (cli_is_std(path)) {
		log_error("%s: the orphans stream needs a file of its own (stdout carries the report)", path);
		return false;
	}
	const char *name;
	x->stream_fd = cli_open_write(path, &name);
	if (x->stream_fd < 0)
		return false;
	x->stream_path = path;
	rs_header *h = rs_header_new(RS_DOMAIN_PG, x->scope, "fk_orphans");
	rs_header_add_meta(h, "source", x->pg ? "postgresql" : "mysql");
	rs_header_add_meta(h, "produced_by", "fk-check");
	static const char *const cols[] = {"constraint", "child_table", "child_key", "columns",
	                                   "missing",    "parent_table", "parent_columns"};
	for (size_t i = 0; i < sizeof cols / sizeof *cols; i++)
		rs_header_add_column(h, cols[i], "text", PGOID_TEXT, i == 2 ? 0 : RS_COL_NOT_NULL, 0);
	bool ok = rs_header_finish(h);
	if (ok)
		x->w = rs_writer_new(x->stream_fd, path, h, NULL);
	rs_header_free(h);
	return ok && x->w != NULL;
}

bool fk_stream_close(fkctx *x, bool finish)
{
	bool ok = !finish || !x->w || rs_writer_finish(x->w);
	rs_writer_free(x->w);
	x->w = NULL;
	if (x->stream_fd >= 0) {
		if (!cli_close(x->stream_fd, x->stream_path))
			ok = false;
		x->stream_fd = -1;
	}
	return ok;
}
