/* myexpr_frag.c - output fragments, coercions, refusals and notes (myexpr_int.h) */
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

/* ---------------------------------------------------------------- fragments */

void mx_wrap(frag *f, int need)
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
void mx_combine(frag *out, frag *a, const char *op, frag *b, int prec, int rneed)
{
	mx_wrap(a, prec);
	mx_wrap(b, rneed);
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
void mx_enclose(frag *f, const char *prefix, const char *suffix, int prec)
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

/* ---------------------------------------------------------------- parser */

bool mx_fail(px *p, const char *fmt, ...)
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

void mx_note(px *p, const char *what)
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

bool mx_expect_op(px *p, const char *o)
{
	if (accept_op(p, o))
		return true;
	return mx_fail(p, "expected '%s' near '%s'", o, tok_desc(cur(p)));
}

/* a condition: MySQL takes any number as true when not zero */
bool mx_to_bool(px *p, frag *f)
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
			mx_wrap(f, P_CMP + 1);
			buf_puts(&f->s, " <> 0");
			f->prec = P_CMP;
			f->lit = L_NONE;
		}
		f->t = MYEXPR_BOOL;
		return true;
	default: return mx_fail(p, "a %s value used as a condition", f->t == MYEXPR_TEXT ? "text" : "non-numeric");
	}
}

/* a number: MySQL booleans are the integers 0 and 1 */
bool mx_to_num(px *p, frag *f)
{
	if (f->t == MYEXPR_BOOL) {
		if (f->lit == L_BOOL) {
			long long v = f->ival;
			buf_reset(&f->s);
			buf_puts(&f->s, v ? "1" : "0");
			f->lit = L_INT;
			f->prec = P_ATOM;
		} else {
			mx_wrap(f, P_CAST);
			buf_puts(&f->s, "::integer");
			f->prec = P_CAST;
		}
		f->t = MYEXPR_INT;
		return true;
	}
	if (is_number_type(f->t) || f->t == MYEXPR_NULL || f->t == MYEXPR_UNKNOWN || f->lit == L_STR)
		return true;
	if (f->t == MYEXPR_TEXT)
		return mx_fail(p, "text used as a number (MySQL converts implicitly, PostgreSQL does not)");
	return mx_fail(p, "a non-numeric value used in arithmetic");
}

bool mx_immutable_context(const px *p)
{
	return p->env->context == MYEXPR_GENERATED;
}

/* text for concatenation and text functions */
bool mx_to_text(px *p, frag *f)
{
	if (f->t == MYEXPR_TEXT || f->t == MYEXPR_NULL || f->lit == L_STR)
		return true;
	if (f->t == MYEXPR_BOOL && !mx_to_num(p, f))
		return false;
	if (f->lit == L_INT || f->lit == L_NUM) {
		/* a number literal as text: '5' */
		char *s = mem_strndup((const char *)f->s.data, f->s.len);
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
	case MYEXPR_FLOAT: mx_note(p, "floating-point numbers print differently in text"); break;
	case MYEXPR_DATE:
	case MYEXPR_TIMESTAMP:
	case MYEXPR_INTERVAL:
	case MYEXPR_OTHER:
		if (mx_immutable_context(p))
			return mx_fail(p, "a date/time or other non-text value converted to text (not immutable in PostgreSQL)");
		mx_note(p, "dates and times print differently in text");
		break;
	default: return mx_fail(p, "a binary value used as text");
	}
	mx_wrap(f, P_CAST);
	buf_puts(&f->s, "::text");
	f->prec = P_CAST;
	f->t = MYEXPR_TEXT;
	f->lit = L_NONE;
	return true;
}

/* makes two operands of a comparison comparable in PostgreSQL */
bool mx_cmp_coerce(px *p, frag *a, frag *b)
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
				if (!mx_to_num(p, f))
					return false;
			} else if (o->lit != L_STR) {
				return mx_fail(p, "a boolean compared with a non-numeric value");
			}
		}
	}
	bool an = is_number_type(a->t), bn = is_number_type(b->t);
	if ((an && b->t == MYEXPR_TEXT && b->lit != L_STR) || (bn && a->t == MYEXPR_TEXT && a->lit != L_STR))
		return mx_fail(p, "text compared with a number (MySQL converts implicitly, PostgreSQL does not)");
	return true;
}

/* a value a boolean is compared with as a number (not the literal 0 or 1) */
static bool needs_number(const frag *o)
{
	return is_number_type(o->t) && !(o->lit == L_INT && (o->ival == 0 || o->ival == 1));
}

/* a boolean compared with several values (IN, BETWEEN): as a number if one of them needs it */
bool mx_cmp_coerce_many(px *p, frag *lhs, frag *v, size_t n)
{
	if (lhs->t == MYEXPR_BOOL)
		for (size_t i = 0; i < n; i++)
			if (needs_number(&v[i]))
				return mx_to_num(p, lhs) && mx_cmp_coerce_many(p, lhs, v, n);
	for (size_t i = 0; i < n; i++)
		if (!mx_cmp_coerce(p, lhs, &v[i]))
			return false;
	return true;
}

/* common type of CASE branches, COALESCE arguments... (booleans become numbers next to numbers) */
bool mx_unify(px *p, frag *v, size_t n, myexpr_type *out)
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
		return mx_fail(p, "text mixed with non-text values (MySQL converts implicitly, PostgreSQL does not)");
	for (size_t i = 0; i < n; i++) {
		if (has_bool && has_num && v[i].t == MYEXPR_BOOL && !mx_to_num(p, &v[i]))
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
bool mx_arith(px *p, frag *out, frag *a, const char *op, frag *b)
{
	myexpr_type t;
	if ((op[1] == '+' || op[1] == '-') && (is_datetime(a->t) || is_datetime(b->t) || a->t == MYEXPR_INTERVAL ||
	                                        b->t == MYEXPR_INTERVAL)) {
		bool ok = (is_datetime(a->t) && b->t == MYEXPR_INTERVAL) ||
		          (op[1] == '+' && a->t == MYEXPR_INTERVAL && is_datetime(b->t)) ||
		          (a->t == MYEXPR_INTERVAL && b->t == MYEXPR_INTERVAL);
		if (!ok)
			return mx_fail(p, "date arithmetic without INTERVAL (MySQL computes with numbers, PostgreSQL with days)");
		t = a->t == MYEXPR_INTERVAL && b->t == MYEXPR_INTERVAL ? MYEXPR_INTERVAL : MYEXPR_TIMESTAMP;
		if (a->t == MYEXPR_DATE || b->t == MYEXPR_DATE)
			mx_note(p, "date + interval is a timestamp in PostgreSQL");
	} else {
		if (!mx_to_num(p, a) || !mx_to_num(p, b))
			return false;
		t = arith_type(a->t, b->t);
	}
	int prec = op[1] == '*' ? P_MUL : P_ADD;
	mx_combine(out, a, op, b, prec, prec + 1);
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
	mx_enclose(b, "nullif(", ", 0)", P_ATOM);
}

bool mx_divide(px *p, frag *out, frag *a, const char *kind, frag *b)
{
	if (!mx_to_num(p, a) || !mx_to_num(p, b))
		return false;
	if (a->t == MYEXPR_UNKNOWN || b->t == MYEXPR_UNKNOWN)
		return mx_fail(p, "division of values of unknown type");
	myexpr_type t = arith_type(a->t, b->t);
	nonzero(b);
	if (strcmp(kind, "/") == 0) {
		if (a->t == MYEXPR_INT && b->t == MYEXPR_INT) {
			/* MySQL divides integers exactly (decimal result) */
			mx_wrap(a, P_CAST);
			buf_puts(&a->s, "::numeric");
			a->prec = P_CAST;
			t = MYEXPR_NUMERIC;
		}
		mx_combine(out, a, " / ", b, P_MUL, P_MUL + 1);
	} else if (strcmp(kind, "div") == 0) {
		if (t == MYEXPR_INT) {
			mx_combine(out, a, " / ", b, P_MUL, P_MUL + 1);
		} else if (t == MYEXPR_NUMERIC) {
			mx_combine(out, a, ", ", b, P_OR, P_OR);
			mx_enclose(out, "div(", ")", P_ATOM);
			t = MYEXPR_INT;
		} else {
			return mx_fail(p, "DIV of floating-point values");
		}
	} else { /* % */
		if (t == MYEXPR_FLOAT)
			return mx_fail(p, "modulo of floating-point values");
		mx_combine(out, a, " % ", b, P_MUL, P_MUL + 1);
	}
	out->t = t;
	return true;
}
