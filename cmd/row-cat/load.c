/*
 * load.c - CSV (parsed with libcsv, strictly) or TSV whose first line names the columns, into
 * a MySQL-domain row stream of longtext (utf8mb4) columns.
 */
#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "row-cat.h"

/* ------------------------------------------------------------ text → stream */


static void ld_field(void *s, size_t n, void *data)
{
	rcat_loader *l = data;
	if (l->failed)
		return;
	if (l->nf == l->capf) {
		l->capf = l->capf ? l->capf * 2 : 16;
		l->off = mem_realloc(l->off, l->capf * sizeof *l->off);
		l->len = mem_realloc(l->len, l->capf * sizeof *l->len);
		l->null = mem_realloc(l->null, l->capf * sizeof *l->null);
	}
	l->off[l->nf] = l->fields.len;
	l->len[l->nf] = s ? n : 0;
	l->null[l->nf] = s == NULL;
	if (s)
		buf_append(&l->fields, s, n);
	l->nf++;
}

static bool ld_make_header(rcat_loader *l)
{
	l->h = rs_header_new(RS_DOMAIN_MYSQL, l->schema, l->table);
	rs_header_add_meta(l->h, "source", l->tsv ? "tsv" : "csv");
	for (size_t i = 0; i < l->nf; i++) {
		if (l->null[i]) {
			log_error("%s: header line: column %zu has no name", l->name, i + 1);
			return false;
		}
		char *nm = mem_strndup((const char *)l->fields.data + l->off[i], l->len[i]);
		if (rs_header_find(l->h, nm) >= 0) {
			log_error("%s: header line: duplicate column name '%s'", l->name, nm);
			free(nm);
			return false;
		}
		size_t c = rs_header_add_column(l->h, nm, "longtext", 252 /* MYSQL_TYPE_BLOB */, 0, 0);
		rs_column_add_attr(&l->h->cols[c], "data_type", "longtext");
		rs_column_add_attr(&l->h->cols[c], "charset", "utf8mb4");
		free(nm);
	}
	if (l->keycols) {
		char *list = mem_strdup(l->keycols);
		uint32_t pos = 0;
		for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			int c = rs_header_find(l->h, t);
			if (c < 0) {
				log_error("--key: no column '%s' in the header line", t);
				free(list);
				l->rc = RCAT_USAGE;
				return false;
			}
			l->h->cols[c].keypos = ++pos;
			l->h->cols[c].flags |= RS_COL_NOT_NULL;
		}
		free(list);
	}
	if (!rs_header_finish(l->h))
		return false;
	l->w = rs_writer_new(l->out_fd, l->out_name, l->h, &l->wo);
	if (!l->w) {
		l->rc = RCAT_IO;
		return false;
	}
	return true;
}

static void ld_record(int term, void *data)
{
	rcat_loader *l = data;
	if (l->failed)
		return;
	bool fold = l->pending_cr && term == '\n' && l->nf == 0;
	l->pending_cr = term == '\r';
	if (fold)
		return; /* the LF of a CR LF pair */
	if (l->nf == 0 && term == -1)
		return;
	l->line++;
	if (l->nf == 0) {
		/* an empty line: a single NULL column, otherwise an error */
		ld_field(NULL, 0, l);
	}
	if (!l->have_header) {
		l->have_header = true;
		if (!ld_make_header(l)) {
			l->failed = true;
			if (l->rc == RCAT_OK)
				l->rc = RCAT_STREAM;
		}
		l->nf = 0;
		buf_reset(&l->fields);
		return;
	}
	if (l->nf != l->h->ncols) {
		log_error("%s: record %" PRIu64 " has %zu fields, the header has %zu", l->name, l->line, l->nf,
		          l->h->ncols);
		l->failed = true;
		l->rc = RCAT_STREAM;
		return;
	}
	for (size_t i = 0; i < l->nf && !l->failed; i++) {
		bool ok = l->null[i] ? rs_writer_put_null(l->w)
		                     : rs_writer_put(l->w, l->fields.data + l->off[i], l->len[i]);
		if (!ok)
			l->failed = true;
	}
	if (!l->failed && !rs_writer_end_row(l->w))
		l->failed = true;
	if (l->failed && l->rc == RCAT_OK)
		l->rc = RCAT_STREAM;
	l->nf = 0;
	buf_reset(&l->fields);
}

static int csv_space_none(unsigned char c)
{
	(void)c;
	return 0;
}

/* TSV in PostgreSQL text format: \N is NULL, backslash escapes */
static bool tsv_unescape_field(rcat_loader *l, const char *s, size_t n)
{
	if (n == 2 && s[0] == '\\' && s[1] == 'N') {
		ld_field(NULL, 0, l);
		return true;
	}
	buf tmp;
	buf_init(&tmp);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			buf_putc(&tmp, (uint8_t)s[i]);
			continue;
		}
		if (++i == n) {
			buf_free(&tmp);
			return false;
		}
		switch (s[i]) {
		case 't': buf_putc(&tmp, '\t'); break;
		case 'n': buf_putc(&tmp, '\n'); break;
		case 'r': buf_putc(&tmp, '\r'); break;
		case '\\': buf_putc(&tmp, '\\'); break;
		default: buf_free(&tmp); return false;
		}
	}
	ld_field(tmp.data ? tmp.data : (uint8_t *)"", tmp.len, l);
	buf_free(&tmp);
	return true;
}

rcat_status rcat_load(int fd, rcat_loader *l)
{
	buf_init(&l->fields);
	struct csv_parser p;
	if (!l->tsv) {
		if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_EMPTY_IS_NULL) != 0) {
			log_error("unable to initialise the CSV parser");
			return RCAT_INTERNAL;
		}
		csv_set_space_func(&p, csv_space_none);
	}
	char *in = mem_alloc(1u << 16);
	buf line;
	buf_init(&line);
	uint64_t offset = 0;
	for (;;) {
		ssize_t n = read(fd, in, 1u << 16);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_errno("%s: read error", l->name);
			l->rc = RCAT_IO;
			l->failed = true;
			break;
		}
		if (n == 0)
			break;
		if (l->tsv) {
			for (ssize_t i = 0; i < n && !l->failed; i++) {
				if (in[i] != '\n') {
					buf_putc(&line, (uint8_t)in[i]);
					continue;
				}
				size_t s = 0;
				const char *d = line.data ? (const char *)line.data : "";
				if (line.len && d[line.len - 1] == '\r')
					line.len--;
				for (size_t j = 0; j <= line.len && !l->failed; j++) {
					if (j == line.len || d[j] == '\t') {
						if (!tsv_unescape_field(l, d + s, j - s)) {
							log_error("%s: record %" PRIu64 ": bad backslash escape", l->name, l->line + 1);
							l->failed = true;
							l->rc = RCAT_STREAM;
						}
						s = j + 1;
					}
				}
				if (!l->failed)
					ld_record('\n', l);
				buf_reset(&line);
			}
		} else if (csv_parse(&p, in, (size_t)n, ld_field, ld_record, l) != (size_t)n) {
			log_error("%s: malformed CSV near byte %" PRIu64 ": %s", l->name, offset + csv_error(&p),
			          csv_strerror(csv_error(&p)));
			l->failed = true;
			l->rc = RCAT_STREAM;
		}
		offset += (uint64_t)n;
		if (l->failed)
			break;
	}
	if (!l->failed) {
		if (l->tsv) {
			if (line.len) {
				log_error("%s: last line has no newline", l->name);
				l->rc = RCAT_STREAM;
				l->failed = true;
			}
		} else if (csv_fini(&p, ld_field, ld_record, l) != 0) {
			log_error("%s: malformed CSV at end of input: %s", l->name, csv_strerror(csv_error(&p)));
			l->rc = RCAT_STREAM;
			l->failed = true;
		}
	}
	if (!l->tsv)
		csv_free(&p);
	free(in);
	buf_free(&line);
	if (!l->failed && !l->have_header) {
		log_error("%s: no header line", l->name);
		l->rc = RCAT_STREAM;
		l->failed = true;
	}
	if (!l->failed && !rs_writer_finish(l->w))
		l->rc = RCAT_IO;
	rs_writer_free(l->w);
	rs_header_free(l->h);
	buf_free(&l->fields);
	free(l->off);
	free(l->len);
	free(l->null);
	return l->failed && l->rc == RCAT_OK ? RCAT_STREAM : l->rc;
}
