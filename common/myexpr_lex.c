/* myexpr_lex.c - the lexer: MySQL expression text as tokens (myexpr_int.h) */
#include "myexpr_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pgquote.h"

static void toks_push(toks *ts, int kind, const char *s, size_t n, bool sp)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 64;
		ts->v = mem_realloc(ts->v, ts->cap * sizeof *ts->v);
	}
	tok *t = &ts->v[ts->n++];
	t->kind = kind;
	t->text = mem_alloc(n + 1);
	if (n)
		memcpy(t->text, s, n);
	t->text[n] = 0;
	t->len = n;
	t->space_before = sp;
}

void mx_toks_free(toks *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		free(ts->v[i].text);
	free(ts->v);
	memset(ts, 0, sizeof *ts);
}

void myexpr_unescape(buf *out, const char *s, size_t n, char quote)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == quote && i + 1 < n && s[i + 1] == quote) {
			buf_putc(out, (uint8_t)quote);
			i++;
			continue;
		}
		if (c != '\\' || i + 1 >= n) {
			buf_putc(out, (uint8_t)c);
			continue;
		}
		char e = s[++i];
		switch (e) {
		case '0': buf_putc(out, 0); break;
		case 'b': buf_putc(out, '\b'); break;
		case 'n': buf_putc(out, '\n'); break;
		case 'r': buf_putc(out, '\r'); break;
		case 't': buf_putc(out, '\t'); break;
		case 'Z': buf_putc(out, 26); break;
		case '%':
		case '_':
			buf_putc(out, '\\');
			buf_putc(out, (uint8_t)e);
			break;
		default: buf_putc(out, (uint8_t)e); break;
		}
	}
}

static bool is_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* the body of a quoted string at s (s points at the opening quote); *end after the closing quote */
static bool scan_quoted(const char *s, const char **end)
{
	char q = *s++;
	for (;;) {
		if (!*s)
			return false;
		if (*s == '\\' && q != '`' && s[1]) {
			s += 2;
			continue;
		}
		if (*s == q) {
			if (s[1] == q) {
				s += 2;
				continue;
			}
			*end = s + 1;
			return true;
		}
		s++;
	}
}

static bool hex_to_bytes(buf *out, const char *s, size_t n)
{
	if (n % 2)
		buf_putc(out, 0); /* placeholder: an odd count gets a leading zero nibble */
	size_t start = out->len;
	if (n % 2) {
		int v = hexval((unsigned char)s[0]);
		if (v < 0)
			return false;
		out->data[start - 1] = (uint8_t)v;
		s++;
		n--;
	}
	for (size_t i = 0; i < n; i += 2) {
		int a = hexval((unsigned char)s[i]), b = hexval((unsigned char)s[i + 1]);
		if (a < 0 || b < 0)
			return false;
		buf_putc(out, (uint8_t)(a * 16 + b));
	}
	return true;
}

bool mx_lex(const char *src, toks *ts, buf *why)
{
	const char *p = src;
	buf b;
	buf_init(&b);
	bool ok = false;
	for (;;) {
		bool sp = false;
		for (;;) {
			while (*p && isspace((unsigned char)*p)) {
				p++;
				sp = true;
			}
			if (p[0] == '/' && p[1] == '*') {
				const char *e = strstr(p + 2, "*/");
				if (!e) {
					buf_puts(why, "unterminated comment");
					goto out;
				}
				p = e + 2;
				sp = true;
				continue;
			}
			if ((p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == '\t' || !p[2])) || p[0] == '#') {
				while (*p && *p != '\n')
					p++;
				sp = true;
				continue;
			}
			break;
		}
		if (!*p)
			break;
		unsigned char c = (unsigned char)*p;
		const char *e;
		buf_reset(&b);
		if (c == '`') {
			if (!scan_quoted(p, &e)) {
				buf_puts(why, "unterminated quoted identifier");
				goto out;
			}
			for (const char *q = p + 1; q < e - 1; q++) {
				buf_putc(&b, (uint8_t)*q);
				if (*q == '`')
					q++;
			}
			toks_push(ts, T_QIDENT, (const char *)b.data, b.len, sp);
			p = e;
		} else if (c == '\'' || c == '"') {
			if (!scan_quoted(p, &e)) {
				buf_puts(why, "unterminated string");
				goto out;
			}
			myexpr_unescape(&b, p + 1, (size_t)(e - p - 2), (char)c);
			/* 'a' 'b' is one string in MySQL */
			if (ts->n && ts->v[ts->n - 1].kind == T_STRING) {
				tok *t = &ts->v[ts->n - 1];
				t->text = mem_realloc(t->text, t->len + b.len + 1);
				if (b.len)
					memcpy(t->text + t->len, b.data, b.len);
				t->len += b.len;
				t->text[t->len] = 0;
			} else {
				toks_push(ts, T_STRING, (const char *)b.data, b.len, sp);
			}
			p = e;
		} else if ((c == 'x' || c == 'X') && p[1] == '\'') {
			if (!scan_quoted(p + 1, &e) || !hex_to_bytes(&b, p + 2, (size_t)(e - p - 3))) {
				buf_puts(why, "malformed hexadecimal literal");
				goto out;
			}
			toks_push(ts, T_BYTES, (const char *)b.data, b.len, sp);
			p = e;
		} else if ((c == 'b' || c == 'B') && p[1] == '\'') {
			if (!scan_quoted(p + 1, &e)) {
				buf_puts(why, "malformed bit literal");
				goto out;
			}
			toks_push(ts, T_BITS, p + 2, (size_t)(e - p - 3), sp);
			p = e;
		} else if (c == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
			e = p + 2;
			while (isxdigit((unsigned char)*e))
				e++;
			if (is_word_char((unsigned char)*e) || !hex_to_bytes(&b, p + 2, (size_t)(e - p - 2))) {
				buf_puts(why, "malformed hexadecimal literal");
				goto out;
			}
			toks_push(ts, T_BYTES, (const char *)b.data, b.len, sp);
			p = e;
		} else if (c == '0' && (p[1] == 'b') && (p[2] == '0' || p[2] == '1')) {
			e = p + 2;
			while (*e == '0' || *e == '1')
				e++;
			if (is_word_char((unsigned char)*e)) {
				buf_puts(why, "malformed bit literal");
				goto out;
			}
			toks_push(ts, T_BITS, p + 2, (size_t)(e - p - 2), sp);
			p = e;
		} else if (isdigit(c) || (c == '.' && isdigit((unsigned char)p[1]) &&
		                          !(ts->n && (ts->v[ts->n - 1].kind == T_WORD || ts->v[ts->n - 1].kind == T_QIDENT) &&
		                            !sp))) {
			e = p;
			while (isdigit((unsigned char)*e))
				e++;
			if (*e == '.') {
				e++;
				while (isdigit((unsigned char)*e))
					e++;
			}
			if ((*e == 'e' || *e == 'E') &&
			    (isdigit((unsigned char)e[1]) || ((e[1] == '+' || e[1] == '-') && isdigit((unsigned char)e[2])))) {
				e += 2;
				while (isdigit((unsigned char)*e))
					e++;
			}
			if (is_word_char((unsigned char)*e)) {
				/* 1abc is an identifier in MySQL: not supported here */
				buf_puts(why, "identifier starting with a digit");
				goto out;
			}
			toks_push(ts, T_NUMBER, p, (size_t)(e - p), sp);
			p = e;
		} else if (is_word_char(c)) {
			e = p;
			while (is_word_char((unsigned char)*e))
				e++;
			size_t n = (size_t)(e - p);
			const char *q = e;
			while (*q == ' ')
				q++;
			if ((*q == '\'' || *q == '"') && ((p[0] == '_' && n > 1) || (n == 1 && (c == 'n' || c == 'N')))) {
				/* charset introducer _utf8mb4'x', or N'x' */
				bool binary = n == 7 && strncasecmp(p, "_binary", 7) == 0;
				if (!scan_quoted(q, &e)) {
					buf_puts(why, "unterminated string");
					goto out;
				}
				myexpr_unescape(&b, q + 1, (size_t)(e - q - 2), *q);
				toks_push(ts, binary ? T_BYTES : T_STRING, (const char *)b.data, b.len, sp);
				p = e;
			} else {
				toks_push(ts, T_WORD, p, n, sp);
				p = e;
			}
		} else {
			static const char *const ops[] = {"<=>", "<=", ">=", "<>", "!=", "<<", ">>", "||", "&&", ":="};
			size_t n = 1;
			for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
				if (strncmp(p, ops[i], strlen(ops[i])) == 0) {
					n = strlen(ops[i]);
					break;
				}
			if (n == 1 && !strchr("=<>+-*/%^&|~!(),.;@?:{}", c)) {
				buf_printf(why, "unexpected character '%c'", c);
				goto out;
			}
			toks_push(ts, T_OP, p, n, sp);
			p += n;
		}
	}
	toks_push(ts, T_END, "", 0, true);
	ok = true;
out:
	buf_free(&b);
	return ok;
}
