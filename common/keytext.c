#include "keytext.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

static bool needs_quotes(const char *v, size_t len)
{
	if (len == 0 || v[0] == ' ' || v[len - 1] == ' ')
		return true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == ',' || c == '"' || c == '\\' || c < 0x20 || c == 0x7f)
			return true;
	}
	return false;
}

void keytext_format_field(buf *out, const char *v, size_t len)
{
	if (!needs_quotes(v, len)) {
		buf_append(out, v, len);
		return;
	}
	buf_putc(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '"')
			buf_putc(out, '"');
		buf_putc(out, (uint8_t)v[i]);
	}
	buf_putc(out, '"');
}

void keytext_format(buf *out, const char *const *vals, const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ',');
		keytext_format_field(out, vals[i], lens[i]);
	}
}

char *keytext_bound(char *arg)
{
	return arg && *arg ? arg : NULL;
}

void keytext_free(char **vals, size_t *lens, size_t n)
{
	if (vals)
		for (size_t i = 0; i < n; i++)
			free(vals[i]);
	free(vals);
	free(lens);
}

bool keytext_parse(const char *s, char ***vals_out, size_t **lens_out, size_t *n_out)
{
	char **vals = NULL;
	size_t *lens = NULL;
	size_t n = 0;
	const char *p = s;
	buf f;
	buf_init(&f);
	for (;;) {
		buf_reset(&f);
		if (*p == '"') {
			p++;
			for (;;) {
				if (*p == 0) {
					log_error("key '%s': unterminated quoted field", s);
					goto fail;
				}
				if (*p == '"') {
					if (p[1] == '"') {
						buf_putc(&f, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				buf_putc(&f, (uint8_t)*p++);
			}
			if (*p != ',' && *p != 0) {
				log_error("key '%s': unexpected text after a quoted field", s);
				goto fail;
			}
		} else {
			if (*p == ',' || *p == 0) {
				log_error("key '%s': empty field (an empty value is written \"\")", s);
				goto fail;
			}
			while (*p && *p != ',') {
				if (*p == '"') {
					log_error("key '%s': quote inside an unquoted field", s);
					goto fail;
				}
				buf_putc(&f, (uint8_t)*p++);
			}
		}
		vals = mem_realloc(vals, (n + 1) * sizeof *vals);
		lens = mem_realloc(lens, (n + 1) * sizeof *lens);
		vals[n] = mem_strndup(f.len ? (const char *)f.data : "", f.len);
		lens[n] = f.len;
		n++;
		if (*p == 0)
			break;
		p++; /* comma */
	}
	buf_free(&f);
	*vals_out = vals;
	*lens_out = lens;
	*n_out = n;
	return true;
fail:
	buf_free(&f);
	keytext_free(vals, lens, n);
	return false;
}
