/*
 * text.c - values as text for people and CSV tools: CSV quoting (RFC 4180, as PostgreSQL's
 * COPY ... (FORMAT csv) writes it), TSV escaping (PostgreSQL's text format), and text in
 * character sets other than UTF-8 decoded for display.
 */
#include <stdio.h>
#include <string.h>

#include "hex.h"
#include "log.h"
#include "row-cat.h"

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

void rcat_csv_escape(buf *out, const uint8_t *p, size_t n)
{
	const uint8_t *s = p;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '"') {
			buf_append(out, s, (size_t)(p + i + 1 - s));
			buf_putc(out, '"');
			s = p + i + 1;
		}
	}
	buf_append(out, s, (size_t)(p + n - s));
}

void rcat_tsv_escape(buf *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		switch (c) {
		case '\t': buf_puts(out, "\\t"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\\': buf_puts(out, "\\\\"); break;
		default: buf_putc(out, c);
		}
	}
}

void rcat_put_field(buf *out, bool tsv, const uint8_t *p, size_t n)
{
	if (tsv) {
		rcat_tsv_escape(out, p, n);
	} else if (csv_needs_quotes(p, n)) {
		buf_putc(out, '"');
		rcat_csv_escape(out, p, n);
		buf_putc(out, '"');
	} else {
		buf_append(out, p, n);
	}
}

/* ------------------------------------------------ text in other character sets, for people */

/* text of set cs as UTF-8 into out; what does not decode is shown as \xHH, byte by byte */
void rcat_decode_text(buf *out, charset_id cs, const uint8_t *p, size_t n)
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
		for (size_t k = 0; k < unit; k++) {
			buf_puts(out, "\\x");
			hex_append(out, p + i + bad + k, 1);
		}
		i += bad + unit;
	}
}

/* a set whose bytes row-cat shows decoded (not UTF-8, not binary); CHARSET_UNKNOWN: as stored */
charset_id rcat_shown_charset(const char *name)
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
	return rcat_shown_charset(name);
}

/* a rejects file's key or row text (CSV fields of source values, NUL-holding ones as \x and hex)
 * with each field decoded by the set of its column (list: row_charsets or key_charsets) */
void rcat_decode_fields(buf *out, const char *list, const uint8_t *p, size_t n)
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
		if (cs != CHARSET_UNKNOWN && field.len >= 2 && field.data[0] == '\\' && field.data[1] == 'x') {
			buf bytes;
			buf_init(&bytes);
			if (hex_decode(&bytes, (const char *)field.data + 2, field.len - 2)) {
				buf_reset(&field);
				buf_append(&field, bytes.data, bytes.len);
			}
			buf_free(&bytes);
		}
		buf_reset(&dec);
		bool is_null = !quoted && field.len == 2 && memcmp(field.data, "\\N", 2) == 0;
		if (cs != CHARSET_UNKNOWN && !is_null)
			rcat_decode_text(&dec, cs, field.data, field.len);
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
