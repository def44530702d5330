#include "myexpr.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pgquote.h"

/* ---------------------------------------------------------------- tokens */

enum {
	T_END = 0,
	T_WORD,   /* bare word: keyword, function or column name */
	T_QIDENT, /* `quoted identifier` */
	T_STRING, /* 'text' (decoded) */
	T_BYTES,  /* X'0a', 0x0a, _binary'x' (decoded to bytes) */
	T_BITS,   /* b'0101' */
	T_NUMBER,
	T_OP
};

typedef struct tok {
	int kind;
	char *text; /* NUL-terminated; strings and bytes may also hold NULs: see len */
	size_t len;
	bool space_before; /* whitespace between this token and the previous one */
} tok;

typedef struct toks {
	tok *v;
	size_t n, cap;
} toks;

static void toks_push(toks *ts, int kind, const char *s, size_t n, bool sp)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 64;
		ts->v = xrealloc(ts->v, ts->cap * sizeof *ts->v);
	}
	tok *t = &ts->v[ts->n++];
	t->kind = kind;
	t->text = xmalloc(n + 1);
	if (n)
		memcpy(t->text, s, n);
	t->text[n] = 0;
	t->len = n;
	t->space_before = sp;
}

static void toks_free(toks *ts)
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

static bool lex(const char *src, toks *ts, buf *why)
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
				t->text = xrealloc(t->text, t->len + b.len + 1);
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

/* ---------------------------------------------------------------- fragments */

/* PostgreSQL operator precedence, for parentheses in the output */
enum {
	P_OR = 10,
	P_AND = 20,
	P_NOT = 30,
	P_IS = 40,
	P_CMP = 50,
	P_IN = 60, /* IN, LIKE, BETWEEN */
	P_OP = 70, /* || & | # << >> */
	P_ADD = 80,
	P_MUL = 90,
	P_EXP = 100,
	P_UMINUS = 110,
	P_CAST = 120,
	P_ATOM = 200
};

enum { L_NONE = 0, L_INT, L_NUM, L_STR, L_NULL, L_BOOL, L_BYTES };

typedef struct frag {
	buf s;
	myexpr_type t;
	int prec;
	int lit;
	long long ival; /* L_INT, L_BOOL */
	bool agg;       /* contains an aggregate */
} frag;

static void frag_init(frag *f)
{
	memset(f, 0, sizeof *f);
	buf_init(&f->s);
	f->prec = P_ATOM;
}

static void frag_free(frag *f)
{
	buf_free(&f->s);
	memset(f, 0, sizeof *f);
}

static void wrap(frag *f, int need)
{
	if (f->prec >= need)
		return;
	buf n;
	buf_init(&n);
	buf_putc(&n, '(');
	buf_append(&n, f->s.data, f->s.len);
	buf_putc(&n, ')');
	buf_free(&f->s);
	f->s = n;
	f->prec = P_ATOM;
}

/* out = a <op> b, out's previous text dropped; a and b are consumed */
static void combine(frag *out, frag *a, const char *op, frag *b, int prec, int rneed)
{
	wrap(a, prec);
	wrap(b, rneed);
	buf n;
	buf_init(&n);
	buf_append(&n, a->s.data, a->s.len);
	buf_puts(&n, op);
	buf_append(&n, b->s.data, b->s.len);
	bool agg = a->agg || b->agg;
	if (out != a)
		frag_free(a);
	if (out != b)
		frag_free(b);
	buf_free(&out->s);
	out->s = n;
	out->prec = prec;
	out->lit = L_NONE;
	out->agg = agg;
}

/* replaces f's text with prefix + text + suffix, as an atom */
static void enclose(frag *f, const char *prefix, const char *suffix, int prec)
{
	buf n;
	buf_init(&n);
	buf_puts(&n, prefix);
	buf_append(&n, f->s.data, f->s.len);
	buf_puts(&n, suffix);
	buf_free(&f->s);
	f->s = n;
	f->prec = prec;
	f->lit = L_NONE;
}

static bool is_number_type(myexpr_type t)
{
	return t == MYEXPR_INT || t == MYEXPR_NUMERIC || t == MYEXPR_FLOAT;
}

/* ---------------------------------------------------------------- parser */

typedef struct scope_item {
	char *alias; /* as written; NULL when none */
	char *db;    /* NULL: unqualified */
	char *table; /* MySQL name; NULL for a derived table */
	buf qual;    /* what qualifies its columns in the output */
} scope_item;

typedef struct scope {
	scope_item *items;
	size_t n;
	struct scope *parent;
} scope;

typedef struct px {
	tok *t;
	size_t n, pos;
	const myexpr_env *env;
	myexpr_result *r;
	scope *sc;
	int depth;   /* SELECT nesting */
	int nesting; /* expression nesting */
	bool failed;
} px;

static bool fail(px *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(px *p, const char *fmt, ...)
{
	if (!p->failed) {
		p->failed = true;
		va_list ap;
		va_start(ap, fmt);
		char tmp[512];
		vsnprintf(tmp, sizeof tmp, fmt, ap);
		va_end(ap);
		buf_reset(&p->r->why);
		buf_puts(&p->r->why, tmp);
	}
	return false;
}

static void note(px *p, const char *what)
{
	buf *n = &p->r->notes;
	/* each note once */
	buf_cstr(n);
	if (n->len && strstr((const char *)n->data, what))
		return;
	if (n->len)
		buf_puts(n, "; ");
	buf_puts(n, what);
}

static tok *cur(px *p)
{
	return &p->t[p->pos];
}

static tok *peek(px *p, size_t k)
{
	size_t i = p->pos + k;
	return i < p->n ? &p->t[i] : &p->t[p->n - 1];
}

static bool is_word(const tok *t, const char *w)
{
	return t->kind == T_WORD && strcasecmp(t->text, w) == 0;
}

static bool is_op(const tok *t, const char *o)
{
	return t->kind == T_OP && strcmp(t->text, o) == 0;
}

static bool accept_word(px *p, const char *w)
{
	if (!is_word(cur(p), w))
		return false;
	p->pos++;
	return true;
}

static bool accept_op(px *p, const char *o)
{
	if (!is_op(cur(p), o))
		return false;
	p->pos++;
	return true;
}

static const char *tok_desc(const tok *t)
{
	if (t->kind == T_END)
		return "end of expression";
	return t->text;
}

static bool expect_op(px *p, const char *o)
{
	if (accept_op(p, o))
		return true;
	return fail(p, "expected '%s' near '%s'", o, tok_desc(cur(p)));
}

static bool expr(px *p, int minbp, frag *out);
static bool expr_in(px *p, int minbp, frag *out);
static bool query(px *p, buf *out, bool top);
static bool order_limit(px *p, buf *out);

/* a condition: MySQL takes any number as true when not zero */
static bool to_bool(px *p, frag *f)
{
	switch (f->t) {
	case MYEXPR_BOOL:
	case MYEXPR_NULL:
	case MYEXPR_UNKNOWN: return true;
	case MYEXPR_INT:
	case MYEXPR_NUMERIC:
	case MYEXPR_FLOAT:
		if (f->lit == L_INT) {
			bool v = f->ival != 0;
			buf_reset(&f->s);
			buf_puts(&f->s, v ? "true" : "false");
			f->lit = L_BOOL;
			f->ival = v;
			f->prec = P_ATOM;
		} else {
			wrap(f, P_CMP + 1);
			buf_puts(&f->s, " <> 0");
			f->prec = P_CMP;
			f->lit = L_NONE;
		}
		f->t = MYEXPR_BOOL;
		return true;
	default: return fail(p, "a %s value used as a condition", f->t == MYEXPR_TEXT ? "text" : "non-numeric");
	}
}

/* a number: MySQL booleans are the integers 0 and 1 */
static bool to_num(px *p, frag *f)
{
	if (f->t == MYEXPR_BOOL) {
		if (f->lit == L_BOOL) {
			long long v = f->ival;
			buf_reset(&f->s);
			buf_puts(&f->s, v ? "1" : "0");
			f->lit = L_INT;
			f->prec = P_ATOM;
		} else {
			wrap(f, P_CAST);
			buf_puts(&f->s, "::integer");
			f->prec = P_CAST;
		}
		f->t = MYEXPR_INT;
		return true;
	}
	if (is_number_type(f->t) || f->t == MYEXPR_NULL || f->t == MYEXPR_UNKNOWN || f->lit == L_STR)
		return true;
	if (f->t == MYEXPR_TEXT)
		return fail(p, "text used as a number (MySQL converts implicitly, PostgreSQL does not)");
	return fail(p, "a non-numeric value used in arithmetic");
}

static bool immutable_context(const px *p)
{
	return p->env->context == MYEXPR_GENERATED;
}

/* text for concatenation and text functions */
static bool to_text(px *p, frag *f)
{
	if (f->t == MYEXPR_TEXT || f->t == MYEXPR_NULL || f->lit == L_STR)
		return true;
	if (f->t == MYEXPR_BOOL && !to_num(p, f))
		return false;
	if (f->lit == L_INT || f->lit == L_NUM) {
		/* a number literal as text: '5' */
		char *s = xstrndup((const char *)f->s.data, f->s.len);
		buf_reset(&f->s);
		bool ok = pgquote_literal(&f->s, s, strlen(s)); /* a number: no NUL byte */
		free(s);
		if (!ok)
			return false;
		f->lit = L_STR;
		f->t = MYEXPR_TEXT;
		f->prec = P_ATOM;
		return true;
	}
	switch (f->t) {
	case MYEXPR_INT:
	case MYEXPR_NUMERIC:
	case MYEXPR_UNKNOWN:
	case MYEXPR_JSON: break;
	case MYEXPR_FLOAT: note(p, "floating-point numbers print differently in text"); break;
	case MYEXPR_DATE:
	case MYEXPR_TIMESTAMP:
	case MYEXPR_INTERVAL:
	case MYEXPR_OTHER:
		if (immutable_context(p))
			return fail(p, "a date/time or other non-text value converted to text (not immutable in PostgreSQL)");
		note(p, "dates and times print differently in text");
		break;
	default: return fail(p, "a binary value used as text");
	}
	wrap(f, P_CAST);
	buf_puts(&f->s, "::text");
	f->prec = P_CAST;
	f->t = MYEXPR_TEXT;
	f->lit = L_NONE;
	return true;
}

/* makes two operands of a comparison comparable in PostgreSQL */
static bool cmp_coerce(px *p, frag *a, frag *b)
{
	frag *x[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		frag *f = x[i], *o = x[1 - i];
		if (f->t == MYEXPR_BOOL && o->t != MYEXPR_BOOL && o->t != MYEXPR_NULL && o->t != MYEXPR_UNKNOWN) {
			if (o->lit == L_INT && (o->ival == 0 || o->ival == 1)) {
				buf_reset(&o->s);
				buf_puts(&o->s, o->ival ? "true" : "false");
				o->lit = L_BOOL;
				o->t = MYEXPR_BOOL;
				o->prec = P_ATOM;
			} else if (is_number_type(o->t)) {
				if (!to_num(p, f))
					return false;
			} else if (o->lit != L_STR) {
				return fail(p, "a boolean compared with a non-numeric value");
			}
		}
	}
	bool an = is_number_type(a->t), bn = is_number_type(b->t);
	if ((an && b->t == MYEXPR_TEXT && b->lit != L_STR) || (bn && a->t == MYEXPR_TEXT && a->lit != L_STR))
		return fail(p, "text compared with a number (MySQL converts implicitly, PostgreSQL does not)");
	return true;
}

/* a value a boolean is compared with as a number (not the literal 0 or 1) */
static bool needs_number(const frag *o)
{
	return is_number_type(o->t) && !(o->lit == L_INT && (o->ival == 0 || o->ival == 1));
}

/* a boolean compared with several values (IN, BETWEEN): as a number if one of them needs it */
static bool cmp_coerce_many(px *p, frag *lhs, frag *v, size_t n)
{
	if (lhs->t == MYEXPR_BOOL)
		for (size_t i = 0; i < n; i++)
			if (needs_number(&v[i]))
				return to_num(p, lhs) && cmp_coerce_many(p, lhs, v, n);
	for (size_t i = 0; i < n; i++)
		if (!cmp_coerce(p, lhs, &v[i]))
			return false;
	return true;
}

/* common type of CASE branches, COALESCE arguments... (booleans become numbers next to numbers) */
static bool unify(px *p, frag *v, size_t n, myexpr_type *out)
{
	bool has_bool = false, has_num = false, has_text = false, has_nontext = false;
	myexpr_type t = MYEXPR_NULL;
	for (size_t i = 0; i < n; i++) {
		if (v[i].t == MYEXPR_BOOL)
			has_bool = true;
		if (is_number_type(v[i].t))
			has_num = true;
		if (v[i].t == MYEXPR_TEXT && v[i].lit != L_STR)
			has_text = true;
		if (v[i].t != MYEXPR_TEXT && v[i].t != MYEXPR_NULL && v[i].t != MYEXPR_UNKNOWN && v[i].lit != L_STR)
			has_nontext = true;
	}
	if (has_text && has_nontext)
		return fail(p, "text mixed with non-text values (MySQL converts implicitly, PostgreSQL does not)");
	for (size_t i = 0; i < n; i++) {
		if (has_bool && has_num && v[i].t == MYEXPR_BOOL && !to_num(p, &v[i]))
			return false;
		if (t == MYEXPR_NULL && v[i].t != MYEXPR_NULL)
			t = v[i].lit == L_STR && n > 1 ? t : v[i].t;
	}
	if (t == MYEXPR_NULL)
		for (size_t i = 0; i < n; i++)
			if (v[i].t != MYEXPR_NULL)
				t = v[i].t;
	*out = t;
	return true;
}

static myexpr_type arith_type(myexpr_type a, myexpr_type b)
{
	if (a == MYEXPR_FLOAT || b == MYEXPR_FLOAT)
		return MYEXPR_FLOAT;
	if (a == MYEXPR_NUMERIC || b == MYEXPR_NUMERIC)
		return MYEXPR_NUMERIC;
	if (a == MYEXPR_INT && b == MYEXPR_INT)
		return MYEXPR_INT;
	if (a == MYEXPR_INT || b == MYEXPR_INT)
		return MYEXPR_NUMERIC;
	return MYEXPR_UNKNOWN;
}

static bool is_datetime(myexpr_type t)
{
	return t == MYEXPR_DATE || t == MYEXPR_TIMESTAMP;
}

/* + - * on two operands */
static bool arith(px *p, frag *out, frag *a, const char *op, frag *b)
{
	myexpr_type t;
	if ((op[1] == '+' || op[1] == '-') && (is_datetime(a->t) || is_datetime(b->t) || a->t == MYEXPR_INTERVAL ||
	                                        b->t == MYEXPR_INTERVAL)) {
		bool ok = (is_datetime(a->t) && b->t == MYEXPR_INTERVAL) ||
		          (op[1] == '+' && a->t == MYEXPR_INTERVAL && is_datetime(b->t)) ||
		          (a->t == MYEXPR_INTERVAL && b->t == MYEXPR_INTERVAL);
		if (!ok)
			return fail(p, "date arithmetic without INTERVAL (MySQL computes with numbers, PostgreSQL with days)");
		t = a->t == MYEXPR_INTERVAL && b->t == MYEXPR_INTERVAL ? MYEXPR_INTERVAL : MYEXPR_TIMESTAMP;
		if (a->t == MYEXPR_DATE || b->t == MYEXPR_DATE)
			note(p, "date + interval is a timestamp in PostgreSQL");
	} else {
		if (!to_num(p, a) || !to_num(p, b))
			return false;
		t = arith_type(a->t, b->t);
	}
	int prec = op[1] == '*' ? P_MUL : P_ADD;
	combine(out, a, op, b, prec, prec + 1);
	out->t = t;
	return true;
}

/* nullif(x, 0): MySQL returns NULL on division by zero where PostgreSQL raises an error */
static void nonzero(frag *b)
{
	if (b->lit == L_INT && b->ival != 0)
		return;
	if (b->lit == L_NUM) {
		bool zero = true;
		for (size_t i = 0; i < b->s.len; i++)
			if (b->s.data[i] >= '1' && b->s.data[i] <= '9')
				zero = false;
		if (!zero)
			return;
	}
	enclose(b, "nullif(", ", 0)", P_ATOM);
}

static bool divide(px *p, frag *out, frag *a, const char *kind, frag *b)
{
	if (!to_num(p, a) || !to_num(p, b))
		return false;
	if (a->t == MYEXPR_UNKNOWN || b->t == MYEXPR_UNKNOWN)
		return fail(p, "division of values of unknown type");
	myexpr_type t = arith_type(a->t, b->t);
	nonzero(b);
	if (strcmp(kind, "/") == 0) {
		if (a->t == MYEXPR_INT && b->t == MYEXPR_INT) {
			/* MySQL divides integers exactly (decimal result) */
			wrap(a, P_CAST);
			buf_puts(&a->s, "::numeric");
			a->prec = P_CAST;
			t = MYEXPR_NUMERIC;
		}
		combine(out, a, " / ", b, P_MUL, P_MUL + 1);
	} else if (strcmp(kind, "div") == 0) {
		if (t == MYEXPR_INT) {
			combine(out, a, " / ", b, P_MUL, P_MUL + 1);
		} else if (t == MYEXPR_NUMERIC) {
			combine(out, a, ", ", b, P_OR, P_OR);
			enclose(out, "div(", ")", P_ATOM);
			t = MYEXPR_INT;
		} else {
			return fail(p, "DIV of floating-point values");
		}
	} else { /* % */
		if (t == MYEXPR_FLOAT)
			return fail(p, "modulo of floating-point values");
		combine(out, a, " % ", b, P_MUL, P_MUL + 1);
	}
	out->t = t;
	return true;
}

/* ---------------------------------------------------------------- names and columns */

static bool word_is_reserved(const char *w)
{
	static const char *const kw[] = {
		"and", "as", "asc", "between", "by", "case", "cross", "desc", "distinct", "div", "else", "end",
		"escape", "exists", "from", "group", "having", "in", "inner", "interval", "is", "join", "left",
		"like", "limit", "mod", "natural", "not", "null", "offset", "on", "or", "order", "outer",
		"regexp", "right", "rlike", "select", "straight_join", "then", "union", "using", "when",
		"where", "xor", "collate", "binary", "for", "into", "with", "window", "all", "any", "some",
	};
	for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
		if (strcasecmp(w, kw[i]) == 0)
			return true;
	return false;
}

static bool is_name(const tok *t)
{
	return t->kind == T_QIDENT || (t->kind == T_WORD && !word_is_reserved(t->text));
}

static void alias_name(px *p, const char *name, buf *out)
{
	if (p->env->alias)
		p->env->alias(p->env->arg, name, out);
	else
		pgquote_ident(out, name);
}

/* a column of a FROM item; false when it has no such column (refused: set when it refused) */
static bool item_column(px *p, const scope_item *it, const char *col, frag *out, bool *refused, bool qualify)
{
	buf name;
	buf_init(&name);
	myexpr_type t = MYEXPR_UNKNOWN;
	bool ok;
	if (it->table) {
		ok = p->env->column && p->env->column(p->env->arg, it->table, col, &name, &t, refused, &p->r->why);
		if (*refused) {
			p->failed = true;
			buf_free(&name);
			return false;
		}
	} else {
		alias_name(p, col, &name); /* a derived table's column */
		ok = true;
	}
	if (ok) {
		buf_reset(&out->s);
		if (qualify && it->qual.len) {
			buf_append(&out->s, it->qual.data, it->qual.len);
			buf_putc(&out->s, '.');
		}
		buf_append(&out->s, name.data, name.len);
		out->t = t;
		out->prec = P_ATOM;
		out->lit = L_NONE;
	}
	buf_free(&name);
	return ok;
}

static bool same_name(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

/* resolves an identifier chain a[.b[.c]] to a column */
static bool column_ref(px *p, char **parts, size_t n, frag *out)
{
	bool refused = false;
	const char *col = parts[n - 1];
	if (n == 1) {
		if (p->env->context != MYEXPR_VIEW) {
			buf_reset(&out->s);
			out->lit = L_NONE;
			bool ok = p->env->column && p->env->column(p->env->arg, NULL, col, &out->s, &out->t, &refused, &p->r->why);
			if (refused) {
				p->failed = true;
				return false;
			}
			if (!ok)
				return fail(p, "unknown column '%s'", col);
			out->prec = P_ATOM;
			return true;
		}
		for (scope *s = p->sc; s; s = s->parent) {
			const scope_item *found = NULL;
			for (size_t i = 0; i < s->n; i++) {
				frag tmp;
				frag_init(&tmp);
				bool has = s->items[i].table && item_column(p, &s->items[i], col, &tmp, &refused, false);
				frag_free(&tmp);
				if (refused)
					return false;
				if (has) {
					if (found)
						return fail(p, "column '%s' is ambiguous", col);
					found = &s->items[i];
				}
			}
			if (found)
				return item_column(p, found, col, out, &refused, s != p->sc || s->n > 1);
		}
		/* a select alias (ORDER BY, HAVING) */
		buf_reset(&out->s);
		alias_name(p, col, &out->s);
		out->t = MYEXPR_UNKNOWN;
		out->prec = P_ATOM;
		return true;
	}
	if (p->env->context != MYEXPR_VIEW)
		return fail(p, "qualified column reference");
	const char *db = n == 3 ? parts[0] : NULL;
	const char *qual = parts[n - 2];
	if (n > 3)
		return fail(p, "malformed column reference");
	for (scope *s = p->sc; s; s = s->parent) {
		/* an alias first (case-sensitive, then not), then an unaliased table */
		for (int pass = 0; pass < 3; pass++) {
			for (size_t i = 0; i < s->n; i++) {
				scope_item *it = &s->items[i];
				bool match;
				if (pass < 2)
					match = !db && it->alias && (pass == 0 ? strcmp(it->alias, qual) == 0 : same_name(it->alias, qual));
				else
					match = !it->alias && it->table && strcmp(it->table, qual) == 0 &&
					        (!db || !it->db || strcmp(db, it->db) == 0);
				if (!match)
					continue;
				if (item_column(p, it, col, out, &refused, true))
					return true;
				if (refused)
					return false;
				return fail(p, "unknown column '%s.%s'", qual, col);
			}
		}
	}
	return fail(p, "unknown table '%s' in column reference", qual);
}

/* ---------------------------------------------------------------- functions */

enum {
	F_TEXT = 1,      /* arguments as text */
	F_NUM = 2,       /* arguments as numbers */
	F_VOLATILE = 4,  /* not in generated columns */
	F_AGG = 8,       /* aggregate: views only */
	F_NOPAREN = 16,  /* SQL-standard function without parentheses: CURRENT_TIMESTAMP */
	F_FIRSTTEXT = 32 /* first argument text, the others numbers */
};

typedef struct fn_def {
	const char *my, *pg;
	int min, max;
	unsigned flags;
	myexpr_type result; /* MYEXPR_UNKNOWN: the first argument's type */
} fn_def;

static const fn_def fns[] = {
	{"upper", "upper", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"ucase", "upper", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"lower", "lower", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"lcase", "lower", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"length", "octet_length", 1, 1, F_TEXT, MYEXPR_INT},
	{"octet_length", "octet_length", 1, 1, F_TEXT, MYEXPR_INT},
	{"char_length", "char_length", 1, 1, F_TEXT, MYEXPR_INT},
	{"character_length", "char_length", 1, 1, F_TEXT, MYEXPR_INT},
	{"trim", "trim", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"ltrim", "ltrim", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"rtrim", "rtrim", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"substr", "substr", 2, 3, F_FIRSTTEXT, MYEXPR_TEXT},
	{"substring", "substr", 2, 3, F_FIRSTTEXT, MYEXPR_TEXT},
	{"left", "left", 2, 2, F_FIRSTTEXT, MYEXPR_TEXT},
	{"right", "right", 2, 2, F_FIRSTTEXT, MYEXPR_TEXT},
	{"replace", "replace", 3, 3, F_TEXT, MYEXPR_TEXT},
	{"reverse", "reverse", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"repeat", "repeat", 2, 2, F_FIRSTTEXT, MYEXPR_TEXT},
	{"md5", "md5", 1, 1, F_TEXT, MYEXPR_TEXT},
	{"floor", "floor", 1, 1, F_NUM, MYEXPR_UNKNOWN},
	{"ceil", "ceil", 1, 1, F_NUM, MYEXPR_UNKNOWN},
	{"ceiling", "ceil", 1, 1, F_NUM, MYEXPR_UNKNOWN},
	{"abs", "abs", 1, 1, F_NUM, MYEXPR_UNKNOWN},
	{"sign", "sign", 1, 1, F_NUM, MYEXPR_UNKNOWN},
	{"sqrt", "sqrt", 1, 1, F_NUM, MYEXPR_FLOAT},
	{"exp", "exp", 1, 1, F_NUM, MYEXPR_FLOAT},
	{"ln", "ln", 1, 1, F_NUM, MYEXPR_FLOAT},
	{"log10", "log", 1, 1, F_NUM, MYEXPR_FLOAT},
	{"pow", "power", 2, 2, F_NUM, MYEXPR_FLOAT},
	{"power", "power", 2, 2, F_NUM, MYEXPR_FLOAT},
	{"pi", "pi", 0, 0, F_NUM, MYEXPR_FLOAT},
	{"rand", "random", 0, 0, F_VOLATILE, MYEXPR_FLOAT},
	{"uuid", "gen_random_uuid", 0, 0, F_VOLATILE, MYEXPR_OTHER},
	{"now", "CURRENT_TIMESTAMP", 0, 1, F_VOLATILE | F_NOPAREN | F_NUM, MYEXPR_TIMESTAMP},
	{"current_timestamp", "CURRENT_TIMESTAMP", 0, 1, F_VOLATILE | F_NOPAREN | F_NUM, MYEXPR_TIMESTAMP},
	{"localtime", "CURRENT_TIMESTAMP", 0, 1, F_VOLATILE | F_NOPAREN | F_NUM, MYEXPR_TIMESTAMP},
	{"localtimestamp", "CURRENT_TIMESTAMP", 0, 1, F_VOLATILE | F_NOPAREN | F_NUM, MYEXPR_TIMESTAMP},
	{"sysdate", "CURRENT_TIMESTAMP", 0, 1, F_VOLATILE | F_NOPAREN | F_NUM, MYEXPR_TIMESTAMP},
	{"curdate", "CURRENT_DATE", 0, 0, F_VOLATILE | F_NOPAREN, MYEXPR_DATE},
	{"current_date", "CURRENT_DATE", 0, 0, F_VOLATILE | F_NOPAREN, MYEXPR_DATE},
	{"sum", "sum", 1, 1, F_AGG | F_NUM, MYEXPR_UNKNOWN},
	{"avg", "avg", 1, 1, F_AGG | F_NUM, MYEXPR_NUMERIC},
	{"min", "min", 1, 1, F_AGG, MYEXPR_UNKNOWN},
	{"max", "max", 1, 1, F_AGG, MYEXPR_UNKNOWN},
	{"count", "count", 1, 1, F_AGG, MYEXPR_INT},
};

static const fn_def *find_fn(const char *name)
{
	for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
		if (strcasecmp(fns[i].my, name) == 0)
			return &fns[i];
	return NULL;
}

typedef struct args {
	frag *v;
	size_t n;
	bool star;     /* count(*) */
	bool distinct; /* count(DISTINCT x) */
} args;

static void args_free(args *a)
{
	for (size_t i = 0; i < a->n; i++)
		frag_free(&a->v[i]);
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* '(' already consumed: arguments up to ')' */
static bool parse_args(px *p, args *a)
{
	if (accept_op(p, ")"))
		return true;
	if (accept_word(p, "distinct"))
		a->distinct = true;
	else
		accept_word(p, "all");
	if (is_op(cur(p), "*") && is_op(peek(p, 1), ")")) {
		p->pos += 2;
		a->star = true;
		return true;
	}
	for (;;) {
		a->v = xrealloc(a->v, (a->n + 1) * sizeof *a->v);
		frag_init(&a->v[a->n]);
		a->n++;
		if (!expr(p, 0, &a->v[a->n - 1]))
			return false;
		if (accept_op(p, ","))
			continue;
		return expect_op(p, ")");
	}
}

/* name(args...) into out */
static void emit_call(frag *out, const char *name, args *a, size_t from)
{
	buf_reset(&out->s);
	buf_puts(&out->s, name);
	buf_putc(&out->s, '(');
	if (a->distinct)
		buf_puts(&out->s, "DISTINCT ");
	if (a->star)
		buf_putc(&out->s, '*');
	for (size_t i = from; i < a->n; i++) {
		if (i > from)
			buf_puts(&out->s, ", ");
		buf_append(&out->s, a->v[i].s.data, a->v[i].s.len);
		if (a->v[i].agg)
			out->agg = true;
	}
	buf_putc(&out->s, ')');
	out->prec = P_ATOM;
	out->lit = L_NONE;
}

static bool argc_ok(px *p, const char *name, const args *a, size_t min, size_t max)
{
	if (a->star || a->n < min || a->n > max)
		return fail(p, "%s() with %zu arguments", name, a->n);
	if (a->distinct)
		return fail(p, "DISTINCT in %s()", name);
	return true;
}

static bool call_special(px *p, const char *name, args *a, frag *out, bool *handled)
{
	*handled = true;
	if (strcasecmp(name, "ifnull") == 0 || strcasecmp(name, "coalesce") == 0 || strcasecmp(name, "nullif") == 0) {
		bool nullif = strcasecmp(name, "nullif") == 0;
		if (!argc_ok(p, name, a, nullif ? 2 : strcasecmp(name, "ifnull") == 0 ? 2 : 1, nullif || strcasecmp(name, "ifnull") == 0 ? 2 : 1000))
			return false;
		myexpr_type t;
		if (nullif ? !cmp_coerce(p, &a->v[0], &a->v[1]) : !unify(p, a->v, a->n, &t))
			return false;
		if (nullif)
			t = a->v[0].t;
		emit_call(out, nullif ? "nullif" : "coalesce", a, 0);
		out->t = t;
		return true;
	}
	if (strcasecmp(name, "if") == 0) {
		if (!argc_ok(p, name, a, 3, 3) || !to_bool(p, &a->v[0]))
			return false;
		myexpr_type t;
		if (!unify(p, a->v + 1, 2, &t))
			return false;
		buf_reset(&out->s);
		buf_puts(&out->s, "CASE WHEN ");
		buf_append(&out->s, a->v[0].s.data, a->v[0].s.len);
		buf_puts(&out->s, " THEN ");
		buf_append(&out->s, a->v[1].s.data, a->v[1].s.len);
		buf_puts(&out->s, " ELSE ");
		buf_append(&out->s, a->v[2].s.data, a->v[2].s.len);
		buf_puts(&out->s, " END");
		out->prec = P_ATOM;
		out->t = t;
		out->agg = a->v[0].agg || a->v[1].agg || a->v[2].agg;
		return true;
	}
	if (strcasecmp(name, "concat") == 0) {
		if (!argc_ok(p, name, a, 1, 1000))
			return false;
		buf_reset(&out->s);
		for (size_t i = 0; i < a->n; i++) {
			if (!to_text(p, &a->v[i]))
				return false;
			wrap(&a->v[i], P_OP + 1);
			if (i)
				buf_puts(&out->s, " || ");
			buf_append(&out->s, a->v[i].s.data, a->v[i].s.len);
			out->agg |= a->v[i].agg;
		}
		out->prec = a->n > 1 ? P_OP : a->v[0].prec;
		out->t = MYEXPR_TEXT;
		out->lit = L_NONE;
		return true;
	}
	if (strcasecmp(name, "concat_ws") == 0) {
		if (!argc_ok(p, name, a, 2, 1000))
			return false;
		if (immutable_context(p))
			return fail(p, "concat_ws() is not immutable in PostgreSQL");
		for (size_t i = 0; i < a->n; i++)
			if (!to_text(p, &a->v[i]))
				return false;
		emit_call(out, "concat_ws", a, 0);
		out->t = MYEXPR_TEXT;
		return true;
	}
	if (strcasecmp(name, "round") == 0 || strcasecmp(name, "truncate") == 0) {
		bool trunc = name[0] == 't' || name[0] == 'T';
		if (!argc_ok(p, name, a, trunc ? 2 : 1, 2))
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (!to_num(p, &a->v[i]))
				return false;
		myexpr_type t = a->v[0].t;
		if (a->n == 2 && a->v[0].t != MYEXPR_INT && a->v[0].t != MYEXPR_NUMERIC) {
			/* round(double precision, int) does not exist in PostgreSQL */
			wrap(&a->v[0], P_CAST);
			buf_puts(&a->v[0].s, "::numeric");
			a->v[0].prec = P_CAST;
			if (t == MYEXPR_FLOAT)
				note(p, "rounding of a floating-point value done in numeric");
			t = MYEXPR_NUMERIC;
		}
		emit_call(out, trunc ? "trunc" : "round", a, 0);
		out->t = t;
		return true;
	}
	if (strcasecmp(name, "mod") == 0) {
		if (!argc_ok(p, name, a, 2, 2))
			return false;
		frag x = a->v[0], y = a->v[1];
		a->n = 0;
		bool ok = divide(p, out, &x, "%", &y);
		if (!ok) {
			frag_free(&x);
			frag_free(&y);
		}
		return ok;
	}
	if (strcasecmp(name, "log") == 0 || strcasecmp(name, "log2") == 0) {
		bool two = name[3] == '2';
		if (!argc_ok(p, name, a, two ? 1 : 1, two ? 1 : 2))
			return false;
		for (size_t i = 0; i < a->n; i++) {
			if (!to_num(p, &a->v[i]))
				return false;
			if (a->n == 2 || two) {
				wrap(&a->v[i], P_CAST);
				buf_puts(&a->v[i].s, "::numeric");
				a->v[i].prec = P_CAST;
			}
		}
		if (two) {
			buf_reset(&out->s);
			buf_puts(&out->s, "log(2.0, ");
			buf_append(&out->s, a->v[0].s.data, a->v[0].s.len);
			buf_putc(&out->s, ')');
			out->prec = P_ATOM;
			out->lit = L_NONE;
			out->t = MYEXPR_NUMERIC;
		} else if (a->n == 1) {
			emit_call(out, "ln", a, 0);
			out->t = MYEXPR_FLOAT;
		} else {
			emit_call(out, "log", a, 0);
			out->t = MYEXPR_NUMERIC;
		}
		return true;
	}
	if (strcasecmp(name, "lpad") == 0 || strcasecmp(name, "rpad") == 0) {
		if (!argc_ok(p, name, a, 3, 3) || !to_text(p, &a->v[0]) || !to_num(p, &a->v[1]) || !to_text(p, &a->v[2]))
			return false;
		emit_call(out, tolower((unsigned char)name[0]) == 'l' ? "lpad" : "rpad", a, 0);
		out->t = MYEXPR_TEXT;
		return true;
	}
	if (strcasecmp(name, "year") == 0 || strcasecmp(name, "month") == 0 || strcasecmp(name, "day") == 0 ||
	    strcasecmp(name, "dayofmonth") == 0) {
		if (!argc_ok(p, name, a, 1, 1))
			return false;
		if (a->v[0].t != MYEXPR_DATE && a->v[0].t != MYEXPR_TIMESTAMP && a->v[0].lit != L_STR)
			return fail(p, "%s() of a value that is not a date", name);
		if (a->v[0].t == MYEXPR_TIMESTAMP) {
			if (immutable_context(p))
				return fail(p, "%s() of a timestamp with time zone is not immutable in PostgreSQL", name);
			note(p, "date parts of a timestamp taken in the session time zone");
		}
		if (a->v[0].lit == L_STR)
			enclose(&a->v[0], "DATE ", "", P_ATOM);
		const char *field = tolower((unsigned char)name[0]) == 'y' ? "YEAR" : tolower((unsigned char)name[0]) == 'm' ? "MONTH" : "DAY";
		buf_reset(&out->s);
		buf_printf(&out->s, "CAST(EXTRACT(%s FROM ", field);
		buf_append(&out->s, a->v[0].s.data, a->v[0].s.len);
		buf_puts(&out->s, ") AS integer)");
		out->prec = P_ATOM;
		out->t = MYEXPR_INT;
		out->agg = a->v[0].agg;
		return true;
	}
	if (strcasecmp(name, "date") == 0) {
		if (!argc_ok(p, name, a, 1, 1))
			return false;
		if (a->v[0].t == MYEXPR_TIMESTAMP && immutable_context(p))
			return fail(p, "date() of a timestamp with time zone is not immutable in PostgreSQL");
		if (a->v[0].t != MYEXPR_DATE && a->v[0].t != MYEXPR_TIMESTAMP && a->v[0].lit != L_STR)
			return fail(p, "date() of a value that is not a date");
		buf_reset(&out->s);
		buf_puts(&out->s, "CAST(");
		buf_append(&out->s, a->v[0].s.data, a->v[0].s.len);
		buf_puts(&out->s, " AS date)");
		out->prec = P_ATOM;
		out->t = MYEXPR_DATE;
		out->agg = a->v[0].agg;
		return true;
	}
	*handled = false;
	return true;
}

static bool call(px *p, const char *name, args *a, frag *out)
{
	bool handled;
	if (!call_special(p, name, a, out, &handled))
		return false;
	if (handled)
		return true;
	const fn_def *f = find_fn(name);
	if (!f)
		return fail(p, "function %s() has no PostgreSQL translation", name);
	if (f->flags & F_AGG) {
		if (p->env->context != MYEXPR_VIEW)
			return fail(p, "aggregate %s() outside a query", name);
		if (a->star ? strcasecmp(name, "count") != 0 || a->n : a->n != 1)
			return fail(p, "%s() with %zu arguments", name, a->n);
		if (a->distinct && strcasecmp(name, "count") != 0 && strcasecmp(name, "sum") != 0 &&
		    strcasecmp(name, "avg") != 0)
			return fail(p, "DISTINCT in %s()", name);
	} else if (!argc_ok(p, name, a, (size_t)f->min, (size_t)f->max)) {
		return false;
	}
	if ((f->flags & F_VOLATILE) && immutable_context(p))
		return fail(p, "%s() is not immutable", name);
	for (size_t i = 0; i < a->n; i++) {
		bool ok = true;
		if ((f->flags & F_TEXT) || ((f->flags & F_FIRSTTEXT) && i == 0))
			ok = to_text(p, &a->v[i]);
		else if ((f->flags & (F_NUM | F_FIRSTTEXT)) || (f->flags & F_AGG && a->v[i].t == MYEXPR_BOOL &&
		                                                 strcasecmp(name, "count") != 0))
			ok = to_num(p, &a->v[i]);
		if (!ok)
			return false;
	}
	if (f->flags & F_NOPAREN) {
		/* CURRENT_TIMESTAMP(n): the precision is dropped (PostgreSQL keeps microseconds) */
		buf_reset(&out->s);
		buf_puts(&out->s, f->pg);
		out->prec = P_ATOM;
		out->lit = L_NONE;
	} else {
		emit_call(out, f->pg, a, 0);
	}
	out->t = f->result != MYEXPR_UNKNOWN ? f->result : a->n ? a->v[0].t : MYEXPR_UNKNOWN;
	if (strcasecmp(name, "sum") == 0 && out->t == MYEXPR_INT)
		out->t = MYEXPR_NUMERIC;
	if (f->flags & F_AGG)
		out->agg = true;
	if (strcasecmp(name, "uuid") == 0) {
		note(p, "uuid() makes a version 1 UUID in MySQL, gen_random_uuid() a version 4 UUID");
		if (p->env->target != MYEXPR_OTHER) {
			buf_puts(&out->s, "::text");
			out->prec = P_CAST;
			out->t = MYEXPR_TEXT;
		}
	}
	return true;
}

/* CAST(x AS type) / CONVERT(x, type) after the type keyword position */
static bool cast_type(px *p, buf *pg, myexpr_type *t)
{
	tok *w = cur(p);
	if (w->kind != T_WORD)
		return fail(p, "expected a type in CAST near '%s'", tok_desc(w));
	p->pos++;
	long a = -1, b = -1;
	if (accept_op(p, "(")) {
		if (cur(p)->kind != T_NUMBER)
			return fail(p, "expected a number in a CAST type");
		a = strtol(cur(p)->text, NULL, 10);
		p->pos++;
		if (accept_op(p, ",")) {
			if (cur(p)->kind != T_NUMBER)
				return fail(p, "expected a number in a CAST type");
			b = strtol(cur(p)->text, NULL, 10);
			p->pos++;
		}
		if (!expect_op(p, ")"))
			return false;
	}
	const char *n = w->text;
	if (strcasecmp(n, "signed") == 0 || strcasecmp(n, "integer") == 0 || strcasecmp(n, "int") == 0) {
		if (!accept_word(p, "integer"))
			accept_word(p, "int");
		buf_puts(pg, "bigint");
		*t = MYEXPR_INT;
	} else if (strcasecmp(n, "char") == 0 || strcasecmp(n, "varchar") == 0 || strcasecmp(n, "nchar") == 0) {
		if (accept_word(p, "character") || accept_word(p, "charset")) {
			accept_word(p, "set");
			if (cur(p)->kind != T_WORD && cur(p)->kind != T_QIDENT)
				return fail(p, "expected a character set name");
			p->pos++;
		}
		if (a >= 1)
			buf_printf(pg, "character varying(%ld)", a);
		else
			buf_puts(pg, "text");
		*t = MYEXPR_TEXT;
	} else if (strcasecmp(n, "decimal") == 0 || strcasecmp(n, "numeric") == 0 || strcasecmp(n, "dec") == 0) {
		if (a < 1)
			a = 10;
		if (b < 0)
			b = 0;
		if (a > 65 || b > a)
			return fail(p, "invalid decimal(%ld,%ld) in CAST", a, b);
		buf_printf(pg, "numeric(%ld,%ld)", a, b);
		*t = MYEXPR_NUMERIC;
	} else if (strcasecmp(n, "date") == 0) {
		buf_puts(pg, "date");
		*t = MYEXPR_DATE;
	} else if (strcasecmp(n, "datetime") == 0) {
		if (a >= 0)
			buf_printf(pg, "timestamp(%ld) with time zone", a);
		else
			buf_puts(pg, "timestamp with time zone");
		*t = MYEXPR_TIMESTAMP;
	} else if (strcasecmp(n, "double") == 0 || strcasecmp(n, "real") == 0) {
		accept_word(p, "precision");
		buf_puts(pg, "double precision");
		*t = MYEXPR_FLOAT;
	} else if (strcasecmp(n, "float") == 0) {
		buf_puts(pg, a > 24 ? "double precision" : "real");
		*t = MYEXPR_FLOAT;
	} else if (strcasecmp(n, "json") == 0) {
		buf_puts(pg, "jsonb");
		*t = MYEXPR_JSON;
	} else {
		return fail(p, "CAST to %s has no PostgreSQL translation", n);
	}
	return true;
}

static bool parse_cast(px *p, bool convert, frag *out)
{
	if (!expect_op(p, "("))
		return false;
	frag x;
	frag_init(&x);
	buf ty;
	buf_init(&ty);
	myexpr_type t = MYEXPR_UNKNOWN;
	bool ok = expr(p, 0, &x);
	if (ok && convert && accept_word(p, "using"))
		ok = fail(p, "CONVERT(... USING charset) has no PostgreSQL translation");
	if (ok && !(convert ? accept_op(p, ",") : accept_word(p, "as")))
		ok = fail(p, "malformed %s", convert ? "CONVERT" : "CAST");
	ok = ok && cast_type(p, &ty, &t) && expect_op(p, ")");
	if (ok && x.t == MYEXPR_BOOL)
		ok = to_num(p, &x);
	if (ok && t == MYEXPR_TEXT && x.t != MYEXPR_TEXT && x.t != MYEXPR_NULL && x.lit != L_STR)
		ok = to_text(p, &x);
	if (ok) {
		if (t == MYEXPR_TIMESTAMP && immutable_context(p) && x.t != MYEXPR_TIMESTAMP)
			ok = fail(p, "CAST to datetime is not immutable in PostgreSQL");
	}
	if (ok) {
		buf_reset(&out->s);
		buf_puts(&out->s, "CAST(");
		buf_append(&out->s, x.s.data, x.s.len);
		buf_puts(&out->s, " AS ");
		buf_append(&out->s, ty.data, ty.len);
		buf_putc(&out->s, ')');
		out->prec = P_ATOM;
		out->t = t;
		out->lit = L_NONE;
		out->agg = x.agg;
	}
	frag_free(&x);
	buf_free(&ty);
	return ok;
}

static bool parse_interval(px *p, frag *out)
{
	frag x;
	frag_init(&x);
	bool ok = expr(p, 13, &x) && to_num(p, &x);
	if (!ok) {
		frag_free(&x);
		return false;
	}
	static const struct {
		const char *my, *pg;
		int mult;
	} units[] = {
		{"microsecond", "microseconds", 1}, {"second", "seconds", 1}, {"minute", "minutes", 1},
		{"hour", "hours", 1},               {"day", "days", 1},       {"week", "weeks", 1},
		{"month", "months", 1},             {"quarter", "months", 3}, {"year", "years", 1},
	};
	tok *u = cur(p);
	int k = -1;
	for (size_t i = 0; u->kind == T_WORD && i < sizeof units / sizeof *units; i++)
		if (strcasecmp(u->text, units[i].my) == 0)
			k = (int)i;
	if (k < 0) {
		frag_free(&x);
		return fail(p, "INTERVAL unit '%s' has no PostgreSQL translation", tok_desc(u));
	}
	p->pos++;
	buf_reset(&out->s);
	if (x.lit == L_INT) {
		buf_printf(&out->s, "INTERVAL '%lld %s'", x.ival * units[k].mult, units[k].pg);
		out->prec = P_ATOM;
	} else {
		wrap(&x, P_MUL);
		buf_append(&out->s, x.s.data, x.s.len);
		buf_printf(&out->s, " * INTERVAL '%d %s'", units[k].mult, units[k].pg);
		out->prec = P_MUL;
	}
	out->t = MYEXPR_INTERVAL;
	out->lit = L_NONE;
	out->agg = x.agg;
	frag_free(&x);
	return true;
}

static bool parse_case(px *p, frag *out)
{
	frag subject;
	frag_init(&subject);
	bool simple = !is_word(cur(p), "when");
	bool ok = true;
	if (simple)
		ok = expr(p, 0, &subject);
	size_t n = 0;
	frag *conds = NULL, *vals = NULL;
	while (ok && accept_word(p, "when")) {
		conds = xrealloc(conds, (n + 1) * sizeof *conds);
		vals = xrealloc(vals, (n + 2) * sizeof *vals);
		frag_init(&conds[n]);
		frag_init(&vals[n]);
		n++;
		ok = expr(p, 0, &conds[n - 1]);
		if (ok)
			ok = simple ? cmp_coerce(p, &subject, &conds[n - 1]) : to_bool(p, &conds[n - 1]);
		if (ok && !accept_word(p, "then"))
			ok = fail(p, "expected THEN in CASE");
		ok = ok && expr(p, 0, &vals[n - 1]);
	}
	bool has_else = false;
	if (ok && n == 0)
		ok = fail(p, "CASE without WHEN");
	if (ok && accept_word(p, "else")) {
		has_else = true;
		frag_init(&vals[n]);
		ok = expr(p, 0, &vals[n]);
	}
	if (ok && !accept_word(p, "end"))
		ok = fail(p, "expected END in CASE");
	myexpr_type t = MYEXPR_UNKNOWN;
	if (ok)
		ok = unify(p, vals, n + has_else, &t);
	if (ok) {
		buf_reset(&out->s);
		buf_puts(&out->s, "CASE");
		if (simple) {
			buf_putc(&out->s, ' ');
			buf_append(&out->s, subject.s.data, subject.s.len);
		}
		for (size_t i = 0; i < n; i++) {
			buf_puts(&out->s, " WHEN ");
			buf_append(&out->s, conds[i].s.data, conds[i].s.len);
			buf_puts(&out->s, " THEN ");
			buf_append(&out->s, vals[i].s.data, vals[i].s.len);
			out->agg |= conds[i].agg || vals[i].agg;
		}
		if (has_else) {
			buf_puts(&out->s, " ELSE ");
			buf_append(&out->s, vals[n].s.data, vals[n].s.len);
			out->agg |= vals[n].agg;
		}
		buf_puts(&out->s, " END");
		out->prec = P_ATOM;
		out->t = t;
		out->lit = L_NONE;
		out->agg |= subject.agg;
	}
	for (size_t i = 0; i < n; i++) {
		frag_free(&conds[i]);
		frag_free(&vals[i]);
	}
	if (has_else)
		frag_free(&vals[n]);
	free(conds);
	free(vals);
	frag_free(&subject);
	return ok;
}

/* '(' SELECT ... ')' as an expression, '(' consumed and SELECT current */
static bool subquery(px *p, frag *out)
{
	buf q;
	buf_init(&q);
	bool ok = query(p, &q, false) && expect_op(p, ")");
	if (ok) {
		buf_reset(&out->s);
		buf_putc(&out->s, '(');
		buf_append(&out->s, q.data, q.len);
		buf_putc(&out->s, ')');
		out->prec = P_ATOM;
		out->t = MYEXPR_UNKNOWN;
		out->lit = L_NONE;
	}
	buf_free(&q);
	return ok;
}

static bool primary(px *p, frag *out)
{
	tok *t = cur(p);
	switch (t->kind) {
	case T_NUMBER: {
		p->pos++;
		buf_reset(&out->s);
		buf_puts(&out->s, t->text);
		out->prec = P_ATOM;
		if (strpbrk(t->text, "eE")) {
			out->t = MYEXPR_FLOAT;
			out->lit = L_NUM;
		} else if (strchr(t->text, '.')) {
			out->t = MYEXPR_NUMERIC;
			out->lit = L_NUM;
		} else {
			errno = 0;
			long long v = strtoll(t->text, NULL, 10);
			if (errno) {
				out->t = MYEXPR_NUMERIC;
				out->lit = L_NUM;
			} else {
				out->t = MYEXPR_INT;
				out->lit = L_INT;
				out->ival = v;
			}
		}
		return true;
	}
	case T_STRING:
		p->pos++;
		buf_reset(&out->s);
		if (!pgquote_literal(&out->s, t->text, t->len))
			return fail(p, "a string with a NUL character");
		out->t = MYEXPR_TEXT;
		out->lit = L_STR;
		out->prec = P_ATOM;
		return true;
	case T_BYTES:
		p->pos++;
		buf_reset(&out->s);
		pgquote_bytea(&out->s, t->text, t->len);
		buf_puts(&out->s, "::bytea");
		out->t = MYEXPR_BYTES;
		out->lit = L_BYTES;
		out->prec = P_CAST;
		return true;
	case T_BITS: return fail(p, "bit-value literal b'%s'", t->text);
	case T_OP:
		if (is_op(t, "(")) {
			p->pos++;
			if (is_word(cur(p), "select"))
				return subquery(p, out);
			if (!expr(p, 0, out))
				return false;
			if (is_op(cur(p), ","))
				return fail(p, "row constructor");
			/* the source's parentheses are dropped: the output gets its own from precedence */
			return expect_op(p, ")");
		}
		if (is_op(t, "@"))
			return fail(p, "user or system variable");
		if (is_op(t, "?"))
			return fail(p, "parameter marker");
		return fail(p, "unexpected '%s'", t->text);
	case T_END: return fail(p, "unexpected end of expression");
	default: break;
	}
	/* words and quoted identifiers */
	if (t->kind == T_WORD) {
		const char *w = t->text;
		if (strcasecmp(w, "null") == 0) {
			p->pos++;
			buf_reset(&out->s);
			buf_puts(&out->s, "NULL");
			out->t = MYEXPR_NULL;
			out->lit = L_NULL;
			out->prec = P_ATOM;
			return true;
		}
		if (strcasecmp(w, "true") == 0 || strcasecmp(w, "false") == 0) {
			p->pos++;
			buf_reset(&out->s);
			bool v = tolower((unsigned char)w[0]) == 't';
			buf_puts(&out->s, v ? "true" : "false");
			out->t = MYEXPR_BOOL;
			out->lit = L_BOOL;
			out->ival = v;
			out->prec = P_ATOM;
			return true;
		}
		if ((strcasecmp(w, "date") == 0 || strcasecmp(w, "timestamp") == 0 || strcasecmp(w, "time") == 0) &&
		    peek(p, 1)->kind == T_STRING) {
			tok *s = peek(p, 1);
			p->pos += 2;
			buf_reset(&out->s);
			if (!pgquote_literal(&out->s, s->text, s->len))
				return fail(p, "a string with a NUL character");
			out->lit = L_STR;
			out->prec = P_ATOM;
			out->t = tolower((unsigned char)w[1]) == 'a' ? MYEXPR_DATE : w[4] ? MYEXPR_TIMESTAMP : MYEXPR_INTERVAL;
			if (out->t == MYEXPR_DATE)
				enclose(out, "DATE ", "", P_ATOM);
			else if (out->t == MYEXPR_INTERVAL)
				enclose(out, "INTERVAL ", "", P_ATOM);
			return true;
		}
		if (strcasecmp(w, "case") == 0) {
			p->pos++;
			return parse_case(p, out);
		}
		if (strcasecmp(w, "cast") == 0 || strcasecmp(w, "convert") == 0) {
			p->pos++;
			return parse_cast(p, tolower((unsigned char)w[1]) == 'o', out);
		}
		if (strcasecmp(w, "interval") == 0) {
			p->pos++;
			return parse_interval(p, out);
		}
		if (strcasecmp(w, "exists") == 0) {
			p->pos++;
			if (!expect_op(p, "(") || !is_word(cur(p), "select"))
				return fail(p, "expected a subquery after EXISTS");
			if (!subquery(p, out))
				return false;
			enclose(out, "EXISTS ", "", P_ATOM);
			out->t = MYEXPR_BOOL;
			return true;
		}
		if (strcasecmp(w, "current_timestamp") == 0 || strcasecmp(w, "current_date") == 0 ||
		    strcasecmp(w, "localtime") == 0 || strcasecmp(w, "localtimestamp") == 0) {
			if (!is_op(peek(p, 1), "(")) {
				p->pos++;
				args a = {0};
				bool ok = call(p, w, &a, out);
				args_free(&a);
				return ok;
			}
		}
		if (is_op(peek(p, 1), "(") && !peek(p, 1)->space_before &&
		    (!word_is_reserved(w) || find_fn(w) || strcasecmp(w, "mod") == 0)) {
			char *name = xstrdup(w);
			p->pos += 2;
			args a = {0};
			bool ok = parse_args(p, &a) && call(p, name, &a, out);
			args_free(&a);
			free(name);
			return ok;
		}
		if (word_is_reserved(w))
			return fail(p, "unexpected '%s'", w);
	}
	/* identifier chain */
	char *parts[3];
	size_t n = 0;
	bool ok = true;
	for (;;) {
		tok *x = cur(p);
		if (!is_name(x)) {
			ok = fail(p, "expected a name near '%s'", tok_desc(x));
			break;
		}
		if (n == 3) {
			ok = fail(p, "malformed column reference");
			break;
		}
		parts[n++] = x->text;
		p->pos++;
		if (!is_op(cur(p), "."))
			break;
		p->pos++;
	}
	if (ok)
		ok = column_ref(p, parts, n, out);
	return ok;
}

/* MySQL binding power of the infix operator at the cursor; 0 when none */
static int infix_bp(px *p)
{
	tok *t = cur(p);
	if (t->kind == T_OP) {
		const char *o = t->text;
		if (!strcmp(o, "||"))
			return 1;
		if (!strcmp(o, "&&"))
			return 3;
		if (!strcmp(o, "=") || !strcmp(o, "<=>") || !strcmp(o, "<") || !strcmp(o, ">") || !strcmp(o, "<=") ||
		    !strcmp(o, ">=") || !strcmp(o, "<>") || !strcmp(o, "!="))
			return 6;
		if (!strcmp(o, "|"))
			return 7;
		if (!strcmp(o, "&"))
			return 8;
		if (!strcmp(o, "<<") || !strcmp(o, ">>"))
			return 9;
		if (!strcmp(o, "+") || !strcmp(o, "-"))
			return 10;
		if (!strcmp(o, "*") || !strcmp(o, "/") || !strcmp(o, "%"))
			return 11;
		if (!strcmp(o, "^"))
			return 12;
		return 0;
	}
	if (t->kind != T_WORD)
		return 0;
	if (is_word(t, "or"))
		return 1;
	if (is_word(t, "xor"))
		return 2;
	if (is_word(t, "and"))
		return 3;
	if (is_word(t, "is") || is_word(t, "like") || is_word(t, "in") || is_word(t, "between") ||
	    is_word(t, "regexp") || is_word(t, "rlike") || is_word(t, "sounds"))
		return 6;
	if (is_word(t, "not")) {
		tok *n = peek(p, 1);
		if (is_word(n, "like") || is_word(n, "in") || is_word(n, "between") || is_word(n, "regexp") ||
		    is_word(n, "rlike"))
			return 6;
		return 0;
	}
	if (is_word(t, "div") || is_word(t, "mod"))
		return 11;
	if (is_word(t, "collate"))
		return 15;
	return 0;
}

static bool parse_in(px *p, frag *lhs, bool neg, frag *out)
{
	if (!expect_op(p, "("))
		return false;
	buf list;
	buf_init(&list);
	bool ok = true;
	bool agg = lhs->agg;
	if (is_word(cur(p), "select")) {
		ok = query(p, &list, false);
	} else {
		size_t n = 0;
		frag *v = NULL;
		for (;;) {
			v = xrealloc(v, (n + 1) * sizeof *v);
			frag_init(&v[n]);
			n++;
			if (!(ok = expr(p, 0, &v[n - 1])))
				break;
			if (!accept_op(p, ","))
				break;
		}
		ok = ok && cmp_coerce_many(p, lhs, v, n);
		for (size_t i = 0; i < n; i++) {
			if (ok) {
				if (i)
					buf_puts(&list, ", ");
				buf_append(&list, v[i].s.data, v[i].s.len);
				agg |= v[i].agg;
			}
			frag_free(&v[i]);
		}
		free(v);
	}
	ok = ok && expect_op(p, ")");
	if (ok) {
		wrap(lhs, P_IN + 1);
		buf n;
		buf_init(&n);
		buf_append(&n, lhs->s.data, lhs->s.len);
		buf_puts(&n, neg ? " NOT IN (" : " IN (");
		buf_append(&n, list.data, list.len);
		buf_putc(&n, ')');
		buf_free(&out->s);
		out->s = n;
		out->prec = P_IN;
		out->t = MYEXPR_BOOL;
		out->lit = L_NONE;
		out->agg = agg;
	}
	buf_free(&list);
	return ok;
}

static bool infix(px *p, frag *lhs, int bp, frag *out)
{
	tok *t = cur(p);
	frag rhs;
	frag_init(&rhs);
	bool ok = true;
	if (t->kind == T_WORD && (is_word(t, "or") || is_word(t, "xor") || is_word(t, "and"))) {
		bool is_xor = is_word(t, "xor"), is_and = is_word(t, "and");
		p->pos++;
		ok = expr(p, bp + 1, &rhs) && to_bool(p, lhs) && to_bool(p, &rhs);
		if (ok) {
			if (is_xor) {
				wrap(lhs, P_CMP + 1);
				combine(out, lhs, " <> ", &rhs, P_CMP, P_CMP + 1);
			} else {
				combine(out, lhs, is_and ? " AND " : " OR ", &rhs, is_and ? P_AND : P_OR,
				        (is_and ? P_AND : P_OR) + 1);
			}
			out->t = MYEXPR_BOOL;
		}
	} else if (is_op(t, "||") || is_op(t, "&&")) {
		bool is_and = is_op(t, "&&");
		p->pos++;
		ok = expr(p, bp + 1, &rhs) && to_bool(p, lhs) && to_bool(p, &rhs);
		if (ok) {
			combine(out, lhs, is_and ? " AND " : " OR ", &rhs, is_and ? P_AND : P_OR, (is_and ? P_AND : P_OR) + 1);
			out->t = MYEXPR_BOOL;
		}
	} else if (t->kind == T_OP && bp == 6) {
		char op[4];
		snprintf(op, sizeof op, "%s", t->text);
		p->pos++;
		ok = expr(p, bp + 1, &rhs) && cmp_coerce(p, lhs, &rhs);
		if (ok) {
			if (!strcmp(op, "<=>")) {
				wrap(lhs, P_IS + 1);
				combine(out, lhs, " IS NOT DISTINCT FROM ", &rhs, P_IS, P_IS + 1);
			} else {
				wrap(lhs, P_CMP + 1);
				char o[8];
				snprintf(o, sizeof o, " %s ", !strcmp(op, "!=") ? "<>" : op);
				combine(out, lhs, o, &rhs, P_CMP, P_CMP + 1);
			}
			out->t = MYEXPR_BOOL;
		}
	} else if (is_word(t, "is")) {
		p->pos++;
		bool neg = accept_word(p, "not");
		const char *what = NULL;
		if (accept_word(p, "null"))
			what = "NULL";
		else if (accept_word(p, "true"))
			what = "TRUE";
		else if (accept_word(p, "false"))
			what = "FALSE";
		else if (accept_word(p, "unknown"))
			what = "UNKNOWN";
		else
			return fail(p, "expected NULL, TRUE, FALSE or UNKNOWN after IS");
		if (what[0] != 'N' && !to_bool(p, lhs))
			return false;
		if (out != lhs) {
			buf_free(&out->s);
			out->s = lhs->s;
			buf_init(&lhs->s);
			out->prec = lhs->prec;
			out->agg = lhs->agg;
		}
		wrap(out, P_IS + 1);
		buf_printf(&out->s, " IS %s%s", neg ? "NOT " : "", what);
		out->prec = P_IS;
		out->t = MYEXPR_BOOL;
		out->lit = L_NONE;
	} else if (is_word(t, "not") || is_word(t, "like") || is_word(t, "in") || is_word(t, "between") ||
	           is_word(t, "regexp") || is_word(t, "rlike") || is_word(t, "sounds")) {
		bool neg = accept_word(p, "not");
		t = cur(p);
		p->pos++;
		if (is_word(t, "in")) {
			ok = parse_in(p, lhs, neg, out);
		} else if (is_word(t, "like")) {
			frag esc;
			frag_init(&esc);
			ok = expr(p, bp + 1, &rhs) && to_text(p, lhs) && to_text(p, &rhs);
			bool has_esc = ok && accept_word(p, "escape");
			if (has_esc)
				ok = primary(p, &esc);
			if (ok) {
				note(p, "LIKE is case-sensitive in PostgreSQL (in MySQL it follows the collation)");
				combine(out, lhs, neg ? " NOT LIKE " : " LIKE ", &rhs, P_IN, P_IN + 1);
				if (has_esc) {
					buf_puts(&out->s, " ESCAPE ");
					buf_append(&out->s, esc.s.data, esc.s.len);
				}
				out->t = MYEXPR_BOOL;
			}
			frag_free(&esc);
		} else if (is_word(t, "between")) {
			frag hi;
			frag_init(&hi);
			ok = expr(p, 7, &rhs);
			if (ok && !accept_word(p, "and"))
				ok = fail(p, "expected AND in BETWEEN");
			ok = ok && expr(p, 7, &hi);
			if (ok) {
				frag both[2] = {rhs, hi};
				ok = cmp_coerce_many(p, lhs, both, 2);
				rhs = both[0];
				hi = both[1];
			}
			if (ok) {
				wrap(&hi, P_IN + 1);
				combine(out, lhs, neg ? " NOT BETWEEN " : " BETWEEN ", &rhs, P_IN, P_IN + 1);
				buf_puts(&out->s, " AND ");
				buf_append(&out->s, hi.s.data, hi.s.len);
				out->t = MYEXPR_BOOL;
			}
			frag_free(&hi);
		} else {
			ok = fail(p, "%s has no PostgreSQL translation", t->text);
		}
	} else if (t->kind == T_OP && (bp == 7 || bp == 8 || bp == 9 || bp == 12)) {
		char op[4];
		snprintf(op, sizeof op, "%s", t->text);
		p->pos++;
		ok = expr(p, bp + 1, &rhs) && to_num(p, lhs) && to_num(p, &rhs);
		if (ok && (lhs->t != MYEXPR_INT || rhs.t != MYEXPR_INT))
			ok = fail(p, "bit operator on values that are not integers");
		if (ok) {
			char o[8];
			snprintf(o, sizeof o, " %s ", !strcmp(op, "^") ? "#" : op);
			combine(out, lhs, o, &rhs, P_OP, P_OP + 1);
			out->t = MYEXPR_INT;
		}
	} else if (bp == 10 || (bp == 11 && is_op(t, "*"))) {
		char op[4];
		snprintf(op, sizeof op, " %s ", t->text);
		p->pos++;
		ok = expr(p, bp + 1, &rhs) && arith(p, out, lhs, op, &rhs);
	} else if (bp == 11) {
		const char *kind = is_op(t, "/") ? "/" : is_word(t, "div") ? "div" : "%";
		p->pos++;
		ok = expr(p, bp + 1, &rhs) && divide(p, out, lhs, kind, &rhs);
	} else if (is_word(t, "collate")) {
		ok = fail(p, "COLLATE has no PostgreSQL translation");
	} else {
		ok = fail(p, "unexpected '%s'", tok_desc(t));
	}
	frag_free(&rhs);
	return ok;
}

#define MAX_NESTING 200

static bool expr(px *p, int minbp, frag *out)
{
	if (++p->nesting > MAX_NESTING) {
		p->nesting--;
		return fail(p, "expression nested too deeply");
	}
	bool ok = expr_in(p, minbp, out);
	p->nesting--;
	return ok;
}

static bool expr_in(px *p, int minbp, frag *out)
{
	tok *t = cur(p);
	bool ok;
	if (is_word(t, "not") || is_op(t, "!")) {
		bool bang = is_op(t, "!");
		p->pos++;
		ok = expr(p, bang ? 14 : 5, out) && to_bool(p, out);
		if (ok) {
			wrap(out, P_NOT);
			enclose(out, "NOT ", "", P_NOT);
			out->t = MYEXPR_BOOL;
		}
	} else if (is_op(t, "-") || is_op(t, "+")) {
		bool minus = is_op(t, "-");
		p->pos++;
		ok = expr(p, 13, out) && to_num(p, out);
		if (ok && minus) {
			if (out->lit == L_INT || out->lit == L_NUM) {
				if (out->s.len && out->s.data[0] == '-') {
					memmove(out->s.data, out->s.data + 1, out->s.len - 1);
					out->s.len--;
					out->prec = P_ATOM;
				} else {
					enclose(out, "-", "", P_UMINUS);
				}
				out->ival = -out->ival;
			} else {
				wrap(out, P_UMINUS);
				enclose(out, "-", "", P_UMINUS);
			}
		}
	} else if (is_op(t, "~")) {
		return fail(p, "bit inversion ~ has no exact PostgreSQL translation");
	} else if (is_word(t, "binary") && peek(p, 1)->kind != T_END) {
		return fail(p, "BINARY operator has no PostgreSQL translation");
	} else {
		ok = primary(p, out);
	}
	while (ok && !p->failed) {
		int bp = infix_bp(p);
		if (bp == 0 || bp < minbp)
			break;
		ok = infix(p, out, bp, out);
	}
	return ok && !p->failed;
}

/* ---------------------------------------------------------------- SELECT */

static const char *const clause_words[] = {"from",  "where", "group", "having", "order", "limit",
                                           "union", "into",  "for",   "lock",   "window", "procedure"};

static bool at_clause_end(px *p)
{
	tok *t = cur(p);
	if (t->kind == T_END || is_op(t, ")") || is_op(t, ";"))
		return true;
	for (size_t i = 0; i < sizeof clause_words / sizeof *clause_words; i++)
		if (is_word(t, clause_words[i]))
			return true;
	return false;
}

static void sep(px *p, buf *out, const char *kw)
{
	buf_puts(out, p->depth == 0 ? "\n  " : " ");
	buf_puts(out, kw);
}

static scope_item *scope_add(scope *s)
{
	s->items = xrealloc(s->items, (s->n + 1) * sizeof *s->items);
	scope_item *it = &s->items[s->n++];
	memset(it, 0, sizeof *it);
	buf_init(&it->qual);
	return it;
}

static void scope_free(scope *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->items[i].alias);
		free(s->items[i].db);
		free(s->items[i].table);
		buf_free(&s->items[i].qual);
	}
	free(s->items);
}

static bool table_refs(px *p, buf *out, bool in_parens);

/* [AS] alias */
static bool opt_alias(px *p, char **alias)
{
	bool as = accept_word(p, "as");
	tok *t = cur(p);
	if (t->kind == T_QIDENT || (t->kind == T_WORD && !word_is_reserved(t->text) && !is_word(t, "straight_join") &&
	                            !is_word(t, "use") && !is_word(t, "force") && !is_word(t, "ignore"))) {
		*alias = xstrdup(t->text);
		p->pos++;
		return true;
	}
	if (as)
		return fail(p, "expected an alias after AS");
	return true;
}

static bool table_factor_in(px *p, buf *out);

static bool table_factor(px *p, buf *out)
{
	if (++p->nesting > MAX_NESTING) {
		p->nesting--;
		return fail(p, "query nested too deeply");
	}
	bool ok = table_factor_in(p, out);
	p->nesting--;
	return ok;
}

static bool table_factor_in(px *p, buf *out)
{
	if (accept_op(p, "(")) {
		if (is_word(cur(p), "select")) {
			/* derived table */
			buf q;
			buf_init(&q);
			int depth = p->depth;
			p->depth = depth + 1;
			bool ok = query(p, &q, false) && expect_op(p, ")");
			p->depth = depth;
			char *alias = NULL;
			ok = ok && opt_alias(p, &alias);
			if (ok && !alias)
				ok = fail(p, "derived table without an alias");
			if (ok) {
				scope_item *it = scope_add(p->sc);
				it->alias = alias;
				alias_name(p, alias, &it->qual);
				buf_putc(out, '(');
				buf_append(out, q.data, q.len);
				buf_puts(out, ") ");
				buf_append(out, it->qual.data, it->qual.len);
			} else {
				free(alias);
			}
			buf_free(&q);
			return ok;
		}
		buf inner;
		buf_init(&inner);
		bool ok = table_refs(p, &inner, true) && expect_op(p, ")");
		if (ok) {
			buf_putc(out, '(');
			buf_append(out, inner.data, inner.len);
			buf_putc(out, ')');
		}
		buf_free(&inner);
		return ok;
	}
	char *db = NULL, *name = NULL, *alias = NULL;
	tok *t = cur(p);
	if (!is_name(t))
		return fail(p, "expected a table name near '%s'", tok_desc(t));
	name = xstrdup(t->text);
	p->pos++;
	if (accept_op(p, ".")) {
		t = cur(p);
		if (!is_name(t)) {
			free(name);
			return fail(p, "expected a table name near '%s'", tok_desc(t));
		}
		db = name;
		name = xstrdup(t->text);
		p->pos++;
	}
	bool ok = opt_alias(p, &alias);
	if (ok && (is_word(cur(p), "use") || is_word(cur(p), "force") || is_word(cur(p), "ignore")))
		ok = fail(p, "index hints");
	if (ok && is_word(cur(p), "partition"))
		ok = fail(p, "partition selection");
	buf qualified, bare;
	buf_init(&qualified);
	buf_init(&bare);
	if (ok) {
		if (!p->env->table || !p->env->table(p->env->arg, db, name, &qualified, &bare, &p->r->why)) {
			if (!p->r->why.len)
				buf_printf(&p->r->why, "table %s cannot be referenced", name);
			p->failed = true;
			ok = false;
		}
	}
	if (ok) {
		scope_item *it = scope_add(p->sc);
		it->db = db;
		it->table = name;
		it->alias = alias;
		db = name = alias = NULL;
		buf_append(out, qualified.data, qualified.len);
		if (it->alias) {
			alias_name(p, it->alias, &it->qual);
			buf_putc(out, ' ');
			buf_append(out, it->qual.data, it->qual.len);
		} else {
			buf_append(&it->qual, bare.data, bare.len);
		}
	}
	buf_free(&qualified);
	buf_free(&bare);
	free(db);
	free(name);
	free(alias);
	return ok;
}

/* join type at the cursor, consumed; NULL when none */
static const char *join_kind(px *p)
{
	size_t save = p->pos;
	if (accept_word(p, "join") || accept_word(p, "straight_join"))
		return "JOIN";
	if (accept_word(p, "inner") && accept_word(p, "join"))
		return "JOIN";
	p->pos = save;
	if (accept_word(p, "cross") && accept_word(p, "join"))
		return "CROSS JOIN";
	p->pos = save;
	if (accept_word(p, "left")) {
		accept_word(p, "outer");
		if (accept_word(p, "join"))
			return "LEFT JOIN";
	}
	p->pos = save;
	if (accept_word(p, "right")) {
		accept_word(p, "outer");
		if (accept_word(p, "join"))
			return "RIGHT JOIN";
	}
	p->pos = save;
	return NULL;
}

static bool table_ref(px *p, buf *out)
{
	if (!table_factor(p, out))
		return false;
	for (;;) {
		if (is_word(cur(p), "natural"))
			return fail(p, "NATURAL JOIN");
		const char *kind = join_kind(p);
		if (!kind)
			return true;
		size_t first_new = p->sc->n;
		size_t kind_at = out->len;
		buf_printf(out, " %s ", kind);
		if (!table_factor(p, out))
			return false;
		if (accept_word(p, "on")) {
			frag c;
			frag_init(&c);
			bool ok = expr(p, 0, &c) && to_bool(p, &c);
			if (ok) {
				buf_puts(out, " ON ");
				buf_append(out, c.s.data, c.s.len);
			}
			frag_free(&c);
			if (!ok)
				return false;
		} else if (accept_word(p, "using")) {
			if (!expect_op(p, "("))
				return false;
			buf_puts(out, " USING (");
			for (bool first = true;; first = false) {
				tok *t = cur(p);
				if (!is_name(t))
					return fail(p, "expected a column name in USING");
				p->pos++;
				if (!first)
					buf_puts(out, ", ");
				frag c;
				frag_init(&c);
				bool refused = false;
				bool ok = first_new < p->sc->n && item_column(p, &p->sc->items[first_new], t->text, &c, &refused, false);
				if (ok)
					buf_append(out, c.s.data, c.s.len);
				frag_free(&c);
				if (refused)
					return false;
				if (!ok)
					alias_name(p, t->text, out);
				if (accept_op(p, ","))
					continue;
				if (!expect_op(p, ")"))
					return false;
				break;
			}
			buf_putc(out, ')');
		} else if (strcmp(kind, "JOIN") == 0) {
			/* MySQL's JOIN without a condition (how MariaDB stores a comma join) is a cross join */
			buf rest;
			buf_init(&rest);
			buf_append(&rest, out->data + kind_at + strlen(" JOIN "), out->len - kind_at - strlen(" JOIN "));
			out->len = kind_at;
			buf_puts(out, " CROSS JOIN ");
			buf_append(out, rest.data, rest.len);
			buf_free(&rest);
		} else if (strcmp(kind, "CROSS JOIN") != 0) {
			return fail(p, "%s without ON or USING", kind);
		}
	}
}

static bool table_refs(px *p, buf *out, bool in_parens)
{
	for (;;) {
		if (!table_ref(p, out))
			return false;
		if (!accept_op(p, ","))
			return true;
		buf_puts(out, in_parens ? " CROSS JOIN " : ", ");
	}
}

/* position of FROM of the SELECT whose list starts at the cursor; 0 when it has none */
static size_t find_from(px *p)
{
	int depth = 0;
	for (size_t i = p->pos; i < p->n; i++) {
		tok *t = &p->t[i];
		if (t->kind == T_END)
			return 0;
		if (is_op(t, "("))
			depth++;
		else if (is_op(t, ")")) {
			if (depth-- == 0)
				return 0;
		} else if (depth == 0) {
			if (is_word(t, "from"))
				return i;
			for (size_t k = 1; k < sizeof clause_words / sizeof *clause_words; k++)
				if (is_word(t, clause_words[k]))
					return 0;
		}
	}
	return 0;
}

typedef struct item_list {
	buf *v; /* translated expressions, for the GROUP BY check */
	bool *agg;
	bool *lit;
	size_t n;
} item_list;

static bool select_list(px *p, buf *out, bool top, item_list *il)
{
	for (size_t idx = 0;; idx++) {
		if (idx)
			buf_puts(out, ", ");
		if (is_op(cur(p), "*") || (is_name(cur(p)) && is_op(peek(p, 1), ".") && is_op(peek(p, 2), "*")))
			return fail(p, "SELECT * (the view's columns would not be named)");
		frag f;
		frag_init(&f);
		size_t start = p->pos;
		bool ok = expr(p, 0, &f);
		char *alias = NULL;
		ok = ok && opt_alias(p, &alias);
		if (ok) {
			/* MySQL's name of an unaliased column reference is the column's name */
			const char *myname = alias;
			if (!myname && p->pos - start >= 1 && is_name(&p->t[p->pos - 1]))
				myname = p->t[p->pos - 1].text;
			if (f.t == MYEXPR_BOOL && f.prec < P_ATOM)
				note(p, "a condition in a view's select list is boolean in PostgreSQL (0/1 in MySQL)");
			buf_append(out, f.s.data, f.s.len);
			buf name;
			buf_init(&name);
			if (top && p->env->item_name)
				p->env->item_name(p->env->arg, idx, myname, &name);
			else if (myname)
				alias_name(p, myname, &name);
			if (name.len) {
				buf_puts(out, " AS ");
				buf_append(out, name.data, name.len);
			}
			buf_free(&name);
			il->v = xrealloc(il->v, (il->n + 1) * sizeof *il->v);
			il->agg = xrealloc(il->agg, (il->n + 1) * sizeof *il->agg);
			il->lit = xrealloc(il->lit, (il->n + 1) * sizeof *il->lit);
			buf_init(&il->v[il->n]);
			buf_append(&il->v[il->n], f.s.data, f.s.len);
			il->agg[il->n] = f.agg;
			il->lit[il->n] = f.lit != L_NONE;
			il->n++;
		}
		free(alias);
		frag_free(&f);
		if (!ok)
			return false;
		if (!accept_op(p, ","))
			return true;
	}
}

static void item_list_free(item_list *il)
{
	for (size_t i = 0; i < il->n; i++)
		buf_free(&il->v[i]);
	free(il->v);
	free(il->agg);
	free(il->lit);
	memset(il, 0, sizeof *il);
}

static bool expr_list(px *p, buf *out, item_list *keep, bool order)
{
	for (bool first = true;; first = false) {
		if (!first)
			buf_puts(out, ", ");
		frag f;
		frag_init(&f);
		bool ok = expr(p, 0, &f);
		if (ok) {
			buf_append(out, f.s.data, f.s.len);
			if (keep) {
				keep->v = xrealloc(keep->v, (keep->n + 1) * sizeof *keep->v);
				buf_init(&keep->v[keep->n]);
				buf_append(&keep->v[keep->n], f.s.data, f.s.len);
				keep->n++;
			}
			if (order) {
				if (accept_word(p, "desc"))
					buf_puts(out, " DESC");
				else
					accept_word(p, "asc");
			}
		}
		frag_free(&f);
		if (!ok)
			return false;
		if (!accept_op(p, ","))
			return true;
	}
}

static bool one_select(px *p, buf *out, bool top, bool in_union)
{
	if (!accept_word(p, "select"))
		return fail(p, "expected SELECT near '%s'", tok_desc(cur(p)));
	buf_puts(out, "SELECT ");
	if (accept_word(p, "distinct") || accept_word(p, "distinctrow"))
		buf_puts(out, "DISTINCT ");
	else
		accept_word(p, "all");
	tok *t = cur(p);
	if (t->kind == T_WORD && (strncasecmp(t->text, "sql_", 4) == 0 || is_word(t, "high_priority") ||
	                          is_word(t, "straight_join")))
		return fail(p, "SELECT option %s", t->text);
	scope sc = {0};
	sc.parent = p->sc;
	p->sc = &sc;
	item_list items = {0}, groups = {0};
	buf from;
	buf_init(&from);
	bool ok = true;
	size_t list_pos = p->pos, from_pos = find_from(p), after_from = 0;
	if (from_pos) {
		p->pos = from_pos + 1;
		ok = table_refs(p, &from, false);
		after_from = p->pos;
		p->pos = list_pos;
	}
	ok = ok && select_list(p, out, top, &items);
	if (ok && from_pos) {
		if (p->pos != from_pos)
			ok = fail(p, "unexpected '%s' in the select list", tok_desc(cur(p)));
		p->pos = after_from;
		sep(p, out, "FROM ");
		buf_append(out, from.data, from.len);
	}
	bool grouped = false;
	if (ok && accept_word(p, "where")) {
		frag c;
		frag_init(&c);
		ok = expr(p, 0, &c) && to_bool(p, &c);
		if (ok) {
			sep(p, out, "WHERE ");
			buf_append(out, c.s.data, c.s.len);
		}
		frag_free(&c);
	}
	if (ok && accept_word(p, "group")) {
		if (!accept_word(p, "by"))
			ok = fail(p, "expected BY after GROUP");
		sep(p, out, "GROUP BY ");
		ok = ok && expr_list(p, out, &groups, false);
		if (ok && accept_word(p, "with"))
			ok = fail(p, "GROUP BY ... WITH ROLLUP");
		grouped = true;
	}
	if (ok && accept_word(p, "having")) {
		frag c;
		frag_init(&c);
		ok = expr(p, 0, &c) && to_bool(p, &c);
		if (ok) {
			sep(p, out, "HAVING ");
			buf_append(out, c.s.data, c.s.len);
		}
		frag_free(&c);
		grouped = true;
	}
	bool any_agg = false;
	for (size_t i = 0; i < items.n; i++)
		any_agg |= items.agg[i];
	if (ok && (grouped || any_agg)) {
		/* PostgreSQL wants every other select item in GROUP BY (MySQL may not, without ONLY_FULL_GROUP_BY) */
		for (size_t i = 0; ok && i < items.n; i++) {
			if (items.agg[i] || items.lit[i])
				continue;
			bool found = false;
			for (size_t k = 0; k < groups.n && !found; k++)
				found = groups.v[k].len == items.v[i].len &&
				        memcmp(groups.v[k].data, items.v[i].data, items.v[i].len) == 0;
			if (!found)
				ok = fail(p, "select item %zu is neither aggregated nor in GROUP BY", i + 1);
		}
	}
	/* ORDER BY and LIMIT of a single SELECT see its FROM; after a UNION they belong to the union */
	if (ok && !in_union && !is_word(cur(p), "union"))
		ok = order_limit(p, out);
	p->sc = sc.parent;
	scope_free(&sc);
	item_list_free(&items);
	item_list_free(&groups);
	buf_free(&from);
	return ok;
}

/* ORDER BY ... LIMIT ... at the cursor, if any */
static bool order_limit(px *p, buf *out)
{
	bool ok = true;
	if (accept_word(p, "order")) {
		if (!accept_word(p, "by"))
			return fail(p, "expected BY after ORDER");
		sep(p, out, "ORDER BY ");
		ok = expr_list(p, out, NULL, true);
	}
	if (ok && accept_word(p, "limit")) {
		tok *a = cur(p);
		if (a->kind != T_NUMBER)
			return fail(p, "LIMIT without a number");
		p->pos++;
		char *first = a->text;
		if (accept_op(p, ",")) {
			tok *b = cur(p);
			if (b->kind != T_NUMBER)
				return fail(p, "LIMIT without a number");
			p->pos++;
			sep(p, out, "LIMIT ");
			buf_printf(out, "%s OFFSET %s", b->text, first);
		} else {
			sep(p, out, "LIMIT ");
			buf_puts(out, first);
			if (accept_word(p, "offset")) {
				tok *b = cur(p);
				if (b->kind != T_NUMBER)
					return fail(p, "OFFSET without a number");
				p->pos++;
				buf_printf(out, " OFFSET %s", b->text);
			}
		}
	}
	return ok;
}

static bool query(px *p, buf *out, bool top)
{
	int depth = p->depth;
	if (!top)
		p->depth = depth + 1;
	bool ok = one_select(p, out, top, false);
	bool is_union = false;
	while (ok && accept_word(p, "union")) {
		is_union = true;
		sep(p, out, "UNION ");
		if (accept_word(p, "all"))
			buf_puts(out, "ALL ");
		else
			accept_word(p, "distinct");
		ok = one_select(p, out, false, true);
	}
	/* ORDER BY / LIMIT of a UNION: names are the output columns' */
	if (ok && is_union) {
		scope none = {0};
		scope *saved = p->sc;
		p->sc = &none;
		ok = order_limit(p, out);
		p->sc = saved;
	}
	if (ok && !at_clause_end(p))
		ok = fail(p, "unexpected '%s'", tok_desc(cur(p)));
	if (ok && (is_word(cur(p), "into") || is_word(cur(p), "for") || is_word(cur(p), "lock") ||
	           is_word(cur(p), "window") || is_word(cur(p), "procedure")))
		ok = fail(p, "%s clause", cur(p)->text);
	p->depth = depth;
	return ok;
}

/* ---------------------------------------------------------------- entry points */

void myexpr_result_init(myexpr_result *r)
{
	memset(r, 0, sizeof *r);
	buf_init(&r->sql);
	buf_init(&r->notes);
	buf_init(&r->why);
}

void myexpr_result_free(myexpr_result *r)
{
	buf_free(&r->sql);
	buf_free(&r->notes);
	buf_free(&r->why);
	memset(r, 0, sizeof *r);
}

static void result_reset(myexpr_result *r)
{
	buf_reset(&r->sql);
	buf_reset(&r->notes);
	buf_reset(&r->why);
	r->type = MYEXPR_UNKNOWN;
	r->atomic = false;
	r->literal = false;
}

static bool finish(myexpr_result *r, bool ok)
{
	buf_cstr(&r->sql);
	buf_cstr(&r->notes);
	if (!ok && !r->why.len)
		buf_puts(&r->why, "not translatable");
	buf_cstr(&r->why);
	return ok;
}

/* MySQL 8 shows the quotes of expressions in information_schema escaped: concat(_utf8mb4\'a\',`b`).
 * A backslash outside any quoted text means that form: *out is then the text unescaped once. */
static bool unescape_catalog(const char *sql, char **out)
{
	char q = 0;
	bool escaped = false;
	for (const char *p = sql; *p && !escaped; p++) {
		if (q) {
			if (*p == '\\' && q != '`' && p[1])
				p++;
			else if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"' || *p == '`') {
			q = *p;
		} else if (*p == '\\') {
			escaped = true;
		}
	}
	if (!escaped)
		return false;
	buf b;
	buf_init(&b);
	for (const char *p = sql; *p; p++) {
		if (*p == '\\' && (p[1] == '\'' || p[1] == '\\'))
			p++;
		buf_putc(&b, (uint8_t)*p);
	}
	*out = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return true;
}

static bool translate(const char *sql, const myexpr_env *env, myexpr_result *r);

bool myexpr_translate(const char *sql, const myexpr_env *env, myexpr_result *r)
{
	result_reset(r);
	char *unescaped = NULL;
	if (unescape_catalog(sql, &unescaped)) {
		bool ok = translate(unescaped, env, r);
		free(unescaped);
		return ok;
	}
	return translate(sql, env, r);
}

static bool translate(const char *sql, const myexpr_env *env, myexpr_result *r)
{
	toks ts = {0};
	if (!lex(sql, &ts, &r->why)) {
		toks_free(&ts);
		return finish(r, false);
	}
	px p = {.t = ts.v, .n = ts.n, .env = env, .r = r};
	frag f;
	frag_init(&f);
	bool ok = expr(&p, 0, &f);
	if (ok && cur(&p)->kind != T_END)
		ok = fail(&p, "unexpected '%s'", tok_desc(cur(&p)));
	if (ok && f.agg)
		ok = fail(&p, "aggregate outside a query");
	if (ok && env->context == MYEXPR_CHECK)
		ok = to_bool(&p, &f);
	if (ok && (env->context == MYEXPR_DEFAULT || env->context == MYEXPR_GENERATED)) {
		if (env->target == MYEXPR_BOOL && f.t != MYEXPR_BOOL)
			ok = to_bool(&p, &f);
		else if (is_number_type(env->target) && f.t == MYEXPR_BOOL)
			ok = to_num(&p, &f);
	}
	if (ok) {
		buf_append(&r->sql, f.s.data, f.s.len);
		r->type = f.t;
		r->atomic = f.prec >= P_CAST;
		r->literal = f.lit != L_NONE;
	}
	frag_free(&f);
	toks_free(&ts);
	return finish(r, ok);
}

bool myexpr_translate_select(const char *sql, const myexpr_env *env, myexpr_result *r)
{
	result_reset(r);
	toks ts = {0};
	if (!lex(sql, &ts, &r->why)) {
		toks_free(&ts);
		return finish(r, false);
	}
	px p = {.t = ts.v, .n = ts.n, .env = env, .r = r};
	bool ok;
	if (is_word(cur(&p), "with"))
		ok = fail(&p, "WITH (common table expressions)");
	else
		ok = query(&p, &r->sql, true);
	if (ok && cur(&p)->kind != T_END)
		ok = fail(&p, "unexpected '%s'", tok_desc(cur(&p)));
	r->atomic = false;
	toks_free(&ts);
	return finish(r, ok);
}
