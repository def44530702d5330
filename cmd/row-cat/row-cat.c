/*
 * row-cat - a row stream as CSV/TSV for people, and CSV/TSV into a row stream.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "charset.h"
#include "exitcodes.h"
#include "cli.h"
#include "log.h"
#include "outbuf.h"
#include "pgtext.h"
#include "rowstream.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: row-cat [-q | -v] [--tsv] [--no-header] [--header-only] [--raw] [FILE]\n"
	           "       row-cat --from-csv | --from-tsv [-f] [--table [SCHEMA.]TABLE] [--key COL[,COL...]]\n"
	           "               [--zstd[=LEVEL]] [--block-bytes N] [FILE]\n");
}

/* ------------------------------------------------------------ stream → text */

static bool csv_needs_quotes(const uint8_t *p, size_t n)
{
	if (n == 0)
		return true; /* empty string is "", NULL is nothing */
	for (size_t i = 0; i < n; i++)
		if (p[i] == ',' || p[i] == '"' || p[i] == '\n' || p[i] == '\r')
			return true;
	/* a lone \. would be taken for end-of-data by some loaders; quote it too */
	return n == 2 && p[0] == '\\' && p[1] == '.';
}

static void csv_put_escaped(outbuf *o, const uint8_t *p, size_t n)
{
	const uint8_t *s = p;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"') {
			buf_append(&o->b, s, (size_t)(p + i + 1 - s));
			buf_putc(&o->b, '"');
			s = p + i + 1;
		}
	}
	buf_append(&o->b, s, (size_t)(p + n - s));
}

static void tsv_put_escaped(outbuf *o, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		switch (c) {
		case '\t': buf_puts(&o->b, "\\t"); break;
		case '\n': buf_puts(&o->b, "\\n"); break;
		case '\r': buf_puts(&o->b, "\\r"); break;
		case '\\': buf_puts(&o->b, "\\\\"); break;
		default: buf_putc(&o->b, c);
		}
	}
}

static void put_text_field(outbuf *o, bool tsv, const uint8_t *p, size_t n)
{
	if (tsv) {
		tsv_put_escaped(o, p, n);
	} else if (csv_needs_quotes(p, n)) {
		buf_putc(&o->b, '"');
		csv_put_escaped(o, p, n);
		buf_putc(&o->b, '"');
	} else {
		buf_append(&o->b, p, n);
	}
}

/* ------------------------------------------------ text in other character sets, for people */

/* text of set cs as UTF-8 into out; what does not decode is shown as \xHH, byte by byte */
static void decode_text(buf *out, charset_id cs, const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		charset_conv cv;
		size_t mark = out->len;
		charset_conv_init(&cv, cs, CHARSET_NUL_REJECT, CHARSET_INVALID_REJECT);
		if (charset_to_utf8(&cv, p + i, n - i, out))
			return;
		out->len = mark;
		size_t bad = (size_t)cv.error_offset;
		charset_conv_init(&cv, cs, CHARSET_NUL_REJECT, CHARSET_INVALID_REJECT);
		if (bad > 0 && !charset_to_utf8(&cv, p + i, bad, out)) {
			out->len = mark; /* cannot happen: the prefix converted before */
			bad = 0;
		}
		size_t unit = (size_t)charset_unit(cs);
		if (unit > n - i - bad)
			unit = n - i - bad;
		if (unit == 0)
			unit = 1;
		for (size_t k = 0; k < unit; k++)
			buf_printf(out, "\\x%02x", p[i + bad + k]);
		i += bad + unit;
	}
}

/* a set whose bytes row-cat shows decoded (not UTF-8, not binary); CHARSET_UNKNOWN: as stored */
static charset_id shown_charset(const char *name)
{
	charset_id cs = charset_from_name(name);
	if (!charset_is_text(cs) || cs == CHARSET_UTF8MB4 || cs == CHARSET_UTF8MB3)
		return CHARSET_UNKNOWN;
	return cs;
}

/* the n-th name of a comma-separated list (empty when there is none) */
static charset_id list_charset(const char *list, size_t nth)
{
	if (!list)
		return CHARSET_UNKNOWN;
	for (; nth > 0 && list; nth--) {
		list = strchr(list, ',');
		if (list)
			list++;
	}
	if (!list)
		return CHARSET_UNKNOWN;
	char name[64];
	size_t n = strcspn(list, ",");
	if (n >= sizeof name)
		return CHARSET_UNKNOWN;
	memcpy(name, list, n);
	name[n] = 0;
	return shown_charset(name);
}

static int hexv(uint8_t ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* a rejects file's key or row text (CSV fields of source values, NUL-holding ones as \x and hex)
 * with each field decoded by the set of its column (list: row_charsets or key_charsets) */
static void decode_fields(buf *out, const char *list, const uint8_t *p, size_t n)
{
	buf field, dec;
	buf_init(&field);
	buf_init(&dec);
	size_t i = 0, nth = 0;
	for (;;) {
		buf_reset(&field);
		bool quoted = i < n && p[i] == '"';
		if (quoted) {
			for (i++; i < n; i++) {
				if (p[i] == '"' && i + 1 < n && p[i + 1] == '"')
					buf_putc(&field, p[i++]);
				else if (p[i] == '"')
					break;
				else
					buf_putc(&field, p[i]);
			}
			i++; /* the closing quote */
		} else {
			size_t s = i;
			while (i < n && p[i] != ',')
				i++;
			buf_append(&field, p + s, i - s);
		}
		charset_id cs = list_charset(list, nth);
		bool hex = field.len >= 2 && field.data[0] == '\\' && field.data[1] == 'x' && field.len % 2 == 0;
		for (size_t k = 2; hex && k < field.len; k++)
			hex = hexv(field.data[k]) >= 0;
		if (cs != CHARSET_UNKNOWN && hex) {
			buf bytes;
			buf_init(&bytes);
			for (size_t k = 2; k < field.len; k += 2)
				buf_putc(&bytes, (uint8_t)(hexv(field.data[k]) << 4 | hexv(field.data[k + 1])));
			buf_reset(&field);
			buf_append(&field, bytes.data, bytes.len);
			buf_free(&bytes);
		}
		buf_reset(&dec);
		bool is_null = !quoted && field.len == 2 && memcmp(field.data, "\\N", 2) == 0;
		if (cs != CHARSET_UNKNOWN && !is_null)
			decode_text(&dec, cs, field.data, field.len);
		else
			buf_append(&dec, field.data, field.len);
		bool q = quoted || memchr(dec.data, ',', dec.len) || memchr(dec.data, '"', dec.len);
		if (q) {
			buf_putc(out, '"');
			for (size_t k = 0; k < dec.len; k++) {
				if (dec.data[k] == '"')
					buf_putc(out, '"');
				buf_putc(out, dec.data[k]);
			}
			buf_putc(out, '"');
		} else {
			buf_append(out, dec.data, dec.len);
		}
		if (i >= n)
			break;
		buf_putc(out, ',');
		i++; /* the comma */
		nth++;
	}
	buf_free(&field);
	buf_free(&dec);
}

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

static int cat_stream(int fd, const char *name, bool tsv, bool header, bool header_only, bool raw)
{
	rs_reader *r = rs_reader_new(fd, name);
	if (!r)
		return EXIT_STREAM;
	const rs_header *h = rs_reader_header(r);
	outbuf o;
	outbuf_init(&o, STDOUT_FILENO);
	buf text;
	buf_init(&text);
	int rc = EXIT_OK;
	uint8_t *chunk = NULL;
	charset_id *shown = NULL;
	if (header_only) {
		print_header(&o, h);
		goto done;
	}
	if (header) {
		for (size_t i = 0; i < h->ncols; i++) {
			if (i)
				buf_putc(&o.b, tsv ? '\t' : ',');
			put_text_field(&o, tsv, (const uint8_t *)h->cols[i].name, strlen(h->cols[i].name));
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
			shown[i] = shown_charset(rs_column_attr(&h->cols[i], "charset"));
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
					rc = EXIT_STREAM;
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
						static const char hx[] = "0123456789abcdef";
						for (long long j = 0; j < n; j++) {
							buf_putc(&o.b, (uint8_t)hx[chunk[j] >> 4]);
							buf_putc(&o.b, (uint8_t)hx[chunk[j] & 15]);
						}
					} else if (tsv) {
						tsv_put_escaped(&o, chunk, (size_t)n);
					} else {
						csv_put_escaped(&o, chunk, (size_t)n);
					}
					outbuf_maybe_flush(&o);
				}
				if (n < 0) {
					rc = EXIT_STREAM;
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
					rc = EXIT_STREAM;
					goto done;
				}
				put_text_field(&o, tsv, text.data, text.len);
			} else if (rejects && (i == 1 || i == 5)) {
				buf_reset(&text);
				decode_fields(&text, rs_header_meta(h, i == 1 ? "key_charsets" : "row_charsets"), v[i].data,
				              (size_t)v[i].len);
				put_text_field(&o, tsv, text.data, text.len);
			} else if (rejects && i == 4 && !v[2].null && !v[2].chunked) {
				buf_reset(&text);
				buf_puts(&text, "charset:");
				buf_append(&text, v[2].data, (size_t)v[2].len);
				charset_id cs = shown_charset(rs_header_meta(h, buf_cstr(&text)));
				buf_reset(&text);
				if (cs != CHARSET_UNKNOWN)
					decode_text(&text, cs, v[i].data, (size_t)v[i].len);
				else
					buf_append(&text, v[i].data, (size_t)v[i].len);
				put_text_field(&o, tsv, text.data, text.len);
			} else if (shown[i] != CHARSET_UNKNOWN) {
				buf_reset(&text);
				decode_text(&text, shown[i], v[i].data, (size_t)v[i].len);
				put_text_field(&o, tsv, text.data, text.len);
			} else {
				put_text_field(&o, tsv, v[i].data, (size_t)v[i].len);
			}
		}
		/* a single NULL column would be an empty line; CSV readers (and --from-csv) read that as NULL */
		buf_putc(&o.b, '\n');
		outbuf_maybe_flush(&o);
		if (o.failed)
			break;
	}
	if (k < 0)
		rc = EXIT_STREAM;
done:
	if (!outbuf_close(&o) && rc == EXIT_OK)
		rc = EXIT_IO;
	free(chunk);
	free(shown);
	buf_free(&text);
	rs_reader_free(r);
	return rc;
}

/* ------------------------------------------------------------ text → stream */

typedef struct loader {
	bool tsv;
	const char *name;
	const char *schema, *table;
	const char *keycols;
	rs_writer_opts wo;
	rs_header *h;
	rs_writer *w;
	/* the current record */
	buf fields;       /* field bytes, back to back */
	size_t *off, *len;
	bool *null;
	size_t nf, capf;
	uint64_t line;    /* records seen (header included) */
	bool have_header;
	bool failed;
	int rc;
	int last_term;    /* terminator of the previous record, to fold CR LF */
	bool pending_cr;
} loader;

static void ld_field(void *s, size_t n, void *data)
{
	loader *l = data;
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

static bool ld_make_header(loader *l)
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
				l->rc = EXIT_USAGE;
				return false;
			}
			l->h->cols[c].keypos = ++pos;
			l->h->cols[c].flags |= RS_COL_NOT_NULL;
		}
		free(list);
	}
	if (!rs_header_finish(l->h))
		return false;
	l->w = rs_writer_new(STDOUT_FILENO, "stdout", l->h, &l->wo);
	if (!l->w) {
		l->rc = EXIT_IO;
		return false;
	}
	return true;
}

static void ld_record(int term, void *data)
{
	loader *l = data;
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
			if (l->rc == EXIT_OK)
				l->rc = EXIT_STREAM;
		}
		l->nf = 0;
		buf_reset(&l->fields);
		return;
	}
	if (l->nf != l->h->ncols) {
		log_error("%s: record %" PRIu64 " has %zu fields, the header has %zu", l->name, l->line, l->nf,
		          l->h->ncols);
		l->failed = true;
		l->rc = EXIT_STREAM;
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
	if (l->failed && l->rc == EXIT_OK)
		l->rc = EXIT_STREAM;
	l->nf = 0;
	buf_reset(&l->fields);
}

static int csv_space_none(unsigned char c)
{
	(void)c;
	return 0;
}

/* TSV in PostgreSQL text format: \N is NULL, backslash escapes */
static bool tsv_unescape_field(loader *l, const char *s, size_t n)
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

static int load_text(int fd, loader *l)
{
	buf_init(&l->fields);
	struct csv_parser p;
	if (!l->tsv) {
		if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_EMPTY_IS_NULL) != 0) {
			log_error("unable to initialise the CSV parser");
			return EXIT_INTERNAL;
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
			l->rc = EXIT_IO;
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
							l->rc = EXIT_STREAM;
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
			l->rc = EXIT_STREAM;
		}
		offset += (uint64_t)n;
		if (l->failed)
			break;
	}
	if (!l->failed) {
		if (l->tsv) {
			if (line.len) {
				log_error("%s: last line has no newline", l->name);
				l->rc = EXIT_STREAM;
				l->failed = true;
			}
		} else if (csv_fini(&p, ld_field, ld_record, l) != 0) {
			log_error("%s: malformed CSV at end of input: %s", l->name, csv_strerror(csv_error(&p)));
			l->rc = EXIT_STREAM;
			l->failed = true;
		}
	}
	if (!l->tsv)
		csv_free(&p);
	free(in);
	buf_free(&line);
	if (!l->failed && !l->have_header) {
		log_error("%s: no header line", l->name);
		l->rc = EXIT_STREAM;
		l->failed = true;
	}
	if (!l->failed && !rs_writer_finish(l->w))
		l->rc = EXIT_IO;
	rs_writer_free(l->w);
	rs_header_free(l->h);
	buf_free(&l->fields);
	free(l->off);
	free(l->len);
	free(l->null);
	return l->failed && l->rc == EXIT_OK ? EXIT_STREAM : l->rc;
}

int main(int argc, char **argv)
{
	log_init(argv[0]);
	cli_sigpipe_exits();
	enum { O_TSV = 256, O_RAW, O_FROM_CSV, O_FROM_TSV, O_NO_HEADER, O_HEADER_ONLY, O_TABLE, O_KEY, O_ZSTD, O_BLOCK };
	static const struct option opts[] = {
		{"tsv", no_argument, NULL, O_TSV},
		{"raw", no_argument, NULL, O_RAW},
		{"from-csv", no_argument, NULL, O_FROM_CSV},
		{"from-tsv", no_argument, NULL, O_FROM_TSV},
		{"no-header", no_argument, NULL, O_NO_HEADER},
		{"header-only", no_argument, NULL, O_HEADER_ONLY},
		{"table", required_argument, NULL, O_TABLE},
		{"key", required_argument, NULL, O_KEY},
		{"zstd", optional_argument, NULL, O_ZSTD},
		{"block-bytes", required_argument, NULL, O_BLOCK},
		{"force", no_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool raw = false, tsv = false, from_csv = false, from_tsv = false, header = true, header_only = false, force = false;
	char *table = NULL;
	loader l = {0};
	l.schema = "";
	l.table = "csv";
	int c;
	unsigned long long n;
	while ((c = getopt_long(argc, argv, "fqvh", opts, NULL)) != -1) {
		switch (c) {
		case O_TSV: tsv = true; break;
		case O_RAW: raw = true; break;
		case O_FROM_CSV: from_csv = true; break;
		case O_FROM_TSV: from_tsv = true; break;
		case O_NO_HEADER: header = false; break;
		case O_HEADER_ONLY: header_only = true; break;
		case O_TABLE: table = optarg; break;
		case O_KEY: l.keycols = optarg; break;
		case O_ZSTD:
			n = 3;
			if (optarg && !cli_parse_number("--zstd level", optarg, 1, 22, &n))
				return EXIT_USAGE;
			l.wo.zstd_level = (int)n;
			break;
		case O_BLOCK:
			if (!cli_parse_number("--block-bytes", optarg, 64, RS_MAX_BLOCK / 2, &n))
				return EXIT_USAGE;
			l.wo.block_bytes = (size_t)n;
			break;
		case 'f': force = true; break;
		case 'q': log_verbosity = 0; break;
		case 'v': log_verbosity++; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind > 1 || (from_csv && from_tsv)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *path = optind < argc ? argv[optind] : "-";
	int fd = STDIN_FILENO;
	if (strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			log_errno("%s", path);
			return EXIT_IO;
		}
	}
	const char *name = fd == STDIN_FILENO ? "stdin" : path;
	int rc;
	if (from_csv || from_tsv) {
		if (!log_check_stdout_binary(force))
			return EXIT_USAGE;
		char *tcopy = NULL;
		if (table) {
			tcopy = mem_strdup(table);
			char *dot = strchr(tcopy, '.');
			if (dot) {
				*dot = 0;
				l.schema = tcopy;
				l.table = dot + 1;
			} else {
				l.table = tcopy;
			}
		}
		l.tsv = from_tsv;
		l.name = name;
		rc = load_text(fd, &l);
		free(tcopy);
	} else {
		rc = cat_stream(fd, name, tsv, header, header_only, raw);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}
