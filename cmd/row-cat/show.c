/*
 * show.c - a row stream as CSV or TSV (or its header, one item a line), verified as it is
 * read: a damaged stream ends the output with RCAT_STREAM.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "pgoid.h"
#include "pgtext.h"
#include "log.h"
#include "row-cat.h"

static void print_header(outbuf *o, const rs_header *h)
{
	buf_printf(&o->b, "domain: %s\n", h->domain == RS_DOMAIN_MYSQL ? "mysql" : "postgresql");
	buf_printf(&o->b, "table: %s.%s\n", h->schema, h->table);
	for (size_t i = 0; i < h->nmeta; i++)
		buf_printf(&o->b, "meta: %s=%s\n", h->meta[i].key, h->meta[i].value);
	for (size_t i = 0; i < h->ncols; i++) {
		const rs_column *c = &h->cols[i];
		buf_printf(&o->b, "column: %s type=%s code=%" PRIu32, c->name, c->type, c->code);
		if (c->keypos)
			buf_printf(&o->b, " key=%" PRIu32, c->keypos);
		if (c->flags & RS_COL_NOT_NULL)
			buf_puts(&o->b, " not-null");
		if (c->flags & RS_COL_UNSIGNED)
			buf_puts(&o->b, " unsigned");
		if (c->flags & RS_COL_GENERATED)
			buf_puts(&o->b, " generated");
		if (c->flags & RS_COL_BINARY)
			buf_puts(&o->b, " binary");
		for (size_t j = 0; j < c->nattr; j++)
			buf_printf(&o->b, " %s=%s", c->attrs[j].key, c->attrs[j].value);
		buf_putc(&o->b, '\n');
	}
}

rcat_status rcat_show(int fd, const char *name, int out_fd, const rcat_show_opts *opt)
{
	bool tsv = opt->tsv, header = opt->header, raw = opt->raw;
	rs_reader *r = rs_reader_new(fd, name);
	if (!r)
		return RCAT_STREAM;
	const rs_header *h = rs_reader_header(r);
	outbuf o;
	outbuf_init(&o, out_fd);
	buf text;
	buf_init(&text);
	rcat_status rc = RCAT_OK;
	uint8_t *chunk = NULL;
	charset_id *shown = NULL;
	if (opt->header_only) {
		print_header(&o, h);
		goto done;
	}
	if (header) {
		for (size_t i = 0; i < h->ncols; i++) {
			if (i)
				buf_putc(&o.b, tsv ? '\t' : ',');
			rcat_put_field(&o.b, tsv, (const uint8_t *)h->cols[i].name, strlen(h->cols[i].name));
		}
		buf_putc(&o.b, '\n');
	}
	bool pg = h->domain == RS_DOMAIN_PG;
	/* text in other sets shown decoded (not with --raw): per column, and a rejects file's
	 * key, value and row by the sets of the source columns they hold */
	shown = mem_calloc(h->ncols ? h->ncols : 1, sizeof *shown);
	const char *rej = pg || raw ? NULL : rs_header_meta(h, "rejects");
	bool rejects = rej && strcmp(rej, "1") == 0 && h->ncols == 6;
	for (size_t i = 0; i < h->ncols && !pg && !raw && !rejects; i++)
		if (!(h->cols[i].flags & RS_COL_BINARY))
			shown[i] = rcat_shown_charset(rs_column_attr(&h->cols[i], "charset"));
	int k;
	while ((k = rs_reader_next(r)) > 0) {
		const rs_value *v = rs_reader_values(r);
		for (size_t i = 0; i < h->ncols; i++) {
			if (i)
				buf_putc(&o.b, tsv ? '\t' : ',');
			if (v[i].null) {
				if (tsv)
					buf_puts(&o.b, "\\N");
				continue;
			}
			if (v[i].chunked) {
				/* a large value: stream it through, escaping as we go */
				bool bytea = pg && h->cols[i].code == PGOID_BYTEA;
				if (pg && !bytea && h->cols[i].code != 0 && !pgtext_is_textlike(h->cols[i].code)) {
					log_error("%s: large value of column '%s' cannot be shown as text", name, h->cols[i].name);
					rc = RCAT_STREAM;
					goto done;
				}
				if (!chunk)
					chunk = mem_alloc(RS_CHUNK_BYTES);
				bool quote = !tsv;
				if (quote)
					buf_putc(&o.b, '"');
				if (bytea)
					buf_puts(&o.b, "\\x");
				long long n;
				while ((n = rs_reader_value_read(r, i, chunk, RS_CHUNK_BYTES)) > 0) {
					if (bytea) {
						hex_append(&o.b, chunk, (size_t)n);
					} else if (tsv) {
						rcat_tsv_escape(&o.b, chunk, (size_t)n);
					} else {
						rcat_csv_escape(&o.b, chunk, (size_t)n);
					}
					outbuf_maybe_flush(&o);
				}
				if (n < 0) {
					rc = RCAT_STREAM;
					goto done;
				}
				if (quote)
					buf_putc(&o.b, '"');
				continue;
			}
			if (pg) {
				buf_reset(&text);
				if (!pgtext_format(&text, h->cols[i].code, v[i].data, (size_t)v[i].len)) {
					log_error("%s: column '%s' of row %" PRIu64 ": value is not valid for type %s", name,
					          h->cols[i].name, rs_reader_rows(r), h->cols[i].type);
					rc = RCAT_STREAM;
					goto done;
				}
				rcat_put_field(&o.b, tsv, text.data, text.len);
			} else if (rejects && (i == 1 || i == 5)) {
				buf_reset(&text);
				rcat_decode_fields(&text, rs_header_meta(h, i == 1 ? "key_charsets" : "row_charsets"), v[i].data,
				              (size_t)v[i].len);
				rcat_put_field(&o.b, tsv, text.data, text.len);
			} else if (rejects && i == 4 && !v[2].null && !v[2].chunked) {
				buf_reset(&text);
				buf_puts(&text, "charset:");
				buf_append(&text, v[2].data, (size_t)v[2].len);
				charset_id cs = rcat_shown_charset(rs_header_meta(h, buf_cstr(&text)));
				buf_reset(&text);
				if (cs != CHARSET_UNKNOWN)
					rcat_decode_text(&text, cs, v[i].data, (size_t)v[i].len);
				else
					buf_append(&text, v[i].data, (size_t)v[i].len);
				rcat_put_field(&o.b, tsv, text.data, text.len);
			} else if (shown[i] != CHARSET_UNKNOWN) {
				buf_reset(&text);
				rcat_decode_text(&text, shown[i], v[i].data, (size_t)v[i].len);
				rcat_put_field(&o.b, tsv, text.data, text.len);
			} else {
				rcat_put_field(&o.b, tsv, v[i].data, (size_t)v[i].len);
			}
		}
		/* a single NULL column would be an empty line; CSV readers (and --from-csv) read that as NULL */
		buf_putc(&o.b, '\n');
		outbuf_maybe_flush(&o);
		if (o.failed)
			break;
	}
	if (k < 0)
		rc = RCAT_STREAM;
done:
	if (!outbuf_close(&o) && rc == RCAT_OK)
		rc = RCAT_IO;
	free(chunk);
	free(shown);
	buf_free(&text);
	rs_reader_free(r);
	return rc;
}
