/*
 * render.c - row-checksum: output buffer and values as text.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hex.h"
#include "keytext.h"
#include "log.h"
#include "pgtext.h"
#include "rc.h"

bool rc_render_value(buf *out, uint8_t domain, const rs_column *c, const void *data, size_t len)
{
	if (domain == RS_DOMAIN_PG) {
		/* an array of a user type (code 0): elements by their own (or no) OID */
		size_t n = strlen(c->type);
		if (c->code == 0 && n > 2 && strcmp(c->type + n - 2, "[]") == 0 && pgtext_format_array(out, data, len))
			return true;
		return pgtext_format(out, c->code, data, len);
	}
	if (c->flags & RS_COL_BINARY) {
		buf_puts(out, "\\x");
		hex_append(out, data, len);
	} else
		buf_append(out, data, len);
	return true;
}

bool rc_render_key(buf *out, const rs_header *h, const rs_value *kv)
{
	buf t;
	buf_init(&t);
	bool ok = true;
	for (size_t i = 0; i < h->nkey && ok; i++) {
		if (i)
			buf_putc(out, ',');
		buf_reset(&t);
		ok = rc_render_value(&t, h->domain, &h->cols[h->key[i]], kv[i].data, (size_t)kv[i].len);
		if (ok)
			keytext_format_field(out, t.len ? (const char *)t.data : "", t.len);
	}
	buf_free(&t);
	return ok;
}

static bool display_bare(const uint8_t *s, size_t n)
{
	if (n == 0 || (n == 4 && memcmp(s, "NULL", 4) == 0))
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] == '"' || s[i] == '\\' || s[i] == '=' || s[i] == 0x7f)
			return false;
	return true;
}

void rc_quote_display(buf *out, const uint8_t *s, size_t n, size_t max)
{
	size_t shown = max && n > max ? max : n;
	while (shown < n && shown > 0 && (s[shown] & 0xc0) == 0x80)
		shown--; /* do not cut a UTF-8 sequence */
	if (shown == n && display_bare(s, n)) {
		buf_append(out, s, n);
		return;
	}
	buf_putc(out, '"');
	for (size_t i = 0; i < shown; i++) {
		uint8_t c = s[i];
		switch (c) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				buf_puts(out, "\\x");
				hex_append(out, &c, 1);
			} else {
				buf_putc(out, c);
			}
		}
	}
	buf_putc(out, '"');
	if (shown < n)
		buf_printf(out, "...(%zu bytes)", n);
}
