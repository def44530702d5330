/* myexpr_fn.c - the function table, calls, CAST/CONVERT, INTERVAL and CASE (myexpr_int.h) */
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

const fn_def *mx_find_fn(const char *name)
{
	for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
		if (strcasecmp(fns[i].my, name) == 0)
			return &fns[i];
	return NULL;
}

void mx_args_free(args *a)
{
	for (size_t i = 0; i < a->n; i++)
		frag_free(&a->v[i]);
	free(a->v);
	memset(a, 0, sizeof *a);
}

/* '(' already consumed: arguments up to ')' */
bool mx_parse_args(px *p, args *a)
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
		a->v = mem_realloc(a->v, (a->n + 1) * sizeof *a->v);
		frag_init(&a->v[a->n]);
		a->n++;
		if (!mx_expr(p, 0, &a->v[a->n - 1]))
			return false;
		if (accept_op(p, ","))
			continue;
		return mx_expect_op(p, ")");
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
		return mx_fail(p, "%s() with %zu arguments", name, a->n);
	if (a->distinct)
		return mx_fail(p, "DISTINCT in %s()", name);
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
		if (nullif ? !mx_cmp_coerce(p, &a->v[0], &a->v[1]) : !mx_unify(p, a->v, a->n, &t))
			return false;
		if (nullif)
			t = a->v[0].t;
		emit_call(out, nullif ? "nullif" : "coalesce", a, 0);
		out->t = t;
		return true;
	}
	if (strcasecmp(name, "if") == 0) {
		if (!argc_ok(p, name, a, 3, 3) || !mx_to_bool(p, &a->v[0]))
			return false;
		myexpr_type t;
		if (!mx_unify(p, a->v + 1, 2, &t))
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
			if (!mx_to_text(p, &a->v[i]))
				return false;
			mx_wrap(&a->v[i], P_OP + 1);
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
		if (mx_immutable_context(p))
			return mx_fail(p, "concat_ws() is not immutable in PostgreSQL");
		for (size_t i = 0; i < a->n; i++)
			if (!mx_to_text(p, &a->v[i]))
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
			if (!mx_to_num(p, &a->v[i]))
				return false;
		myexpr_type t = a->v[0].t;
		if (a->n == 2 && a->v[0].t != MYEXPR_INT && a->v[0].t != MYEXPR_NUMERIC) {
			/* round(double precision, int) does not exist in PostgreSQL */
			mx_wrap(&a->v[0], P_CAST);
			buf_puts(&a->v[0].s, "::numeric");
			a->v[0].prec = P_CAST;
			if (t == MYEXPR_FLOAT)
				mx_note(p, "rounding of a floating-point value done in numeric");
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
		bool ok = mx_divide(p, out, &x, "%", &y);
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
			if (!mx_to_num(p, &a->v[i]))
				return false;
			if (a->n == 2 || two) {
				mx_wrap(&a->v[i], P_CAST);
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
		if (!argc_ok(p, name, a, 3, 3) || !mx_to_text(p, &a->v[0]) || !mx_to_num(p, &a->v[1]) || !mx_to_text(p, &a->v[2]))
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
			return mx_fail(p, "%s() of a value that is not a date", name);
		if (a->v[0].t == MYEXPR_TIMESTAMP) {
			if (mx_immutable_context(p))
				return mx_fail(p, "%s() of a timestamp with time zone is not immutable in PostgreSQL", name);
			mx_note(p, "date parts of a timestamp taken in the session time zone");
		}
		if (a->v[0].lit == L_STR)
			mx_enclose(&a->v[0], "DATE ", "", P_ATOM);
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
		if (a->v[0].t == MYEXPR_TIMESTAMP && mx_immutable_context(p))
			return mx_fail(p, "date() of a timestamp with time zone is not immutable in PostgreSQL");
		if (a->v[0].t != MYEXPR_DATE && a->v[0].t != MYEXPR_TIMESTAMP && a->v[0].lit != L_STR)
			return mx_fail(p, "date() of a value that is not a date");
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

bool mx_call(px *p, const char *name, args *a, frag *out)
{
	bool handled;
	if (!call_special(p, name, a, out, &handled))
		return false;
	if (handled)
		return true;
	const fn_def *f = mx_find_fn(name);
	if (!f)
		return mx_fail(p, "function %s() has no PostgreSQL translation", name);
	if (f->flags & F_AGG) {
		if (p->env->context != MYEXPR_VIEW)
			return mx_fail(p, "aggregate %s() outside a query", name);
		if (a->star ? strcasecmp(name, "count") != 0 || a->n : a->n != 1)
			return mx_fail(p, "%s() with %zu arguments", name, a->n);
		if (a->distinct && strcasecmp(name, "count") != 0 && strcasecmp(name, "sum") != 0 &&
		    strcasecmp(name, "avg") != 0)
			return mx_fail(p, "DISTINCT in %s()", name);
	} else if (!argc_ok(p, name, a, (size_t)f->min, (size_t)f->max)) {
		return false;
	}
	if ((f->flags & F_VOLATILE) && mx_immutable_context(p))
		return mx_fail(p, "%s() is not immutable", name);
	for (size_t i = 0; i < a->n; i++) {
		bool ok = true;
		if ((f->flags & F_TEXT) || ((f->flags & F_FIRSTTEXT) && i == 0))
			ok = mx_to_text(p, &a->v[i]);
		else if ((f->flags & (F_NUM | F_FIRSTTEXT)) || (f->flags & F_AGG && a->v[i].t == MYEXPR_BOOL &&
		                                                 strcasecmp(name, "count") != 0))
			ok = mx_to_num(p, &a->v[i]);
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
		mx_note(p, "uuid() makes a version 1 UUID in MySQL, gen_random_uuid() a version 4 UUID");
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
		return mx_fail(p, "expected a type in CAST near '%s'", tok_desc(w));
	p->pos++;
	long a = -1, b = -1;
	if (accept_op(p, "(")) {
		if (cur(p)->kind != T_NUMBER)
			return mx_fail(p, "expected a number in a CAST type");
		a = strtol(cur(p)->text, NULL, 10);
		p->pos++;
		if (accept_op(p, ",")) {
			if (cur(p)->kind != T_NUMBER)
				return mx_fail(p, "expected a number in a CAST type");
			b = strtol(cur(p)->text, NULL, 10);
			p->pos++;
		}
		if (!mx_expect_op(p, ")"))
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
				return mx_fail(p, "expected a character set name");
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
			return mx_fail(p, "invalid decimal(%ld,%ld) in CAST", a, b);
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
		return mx_fail(p, "CAST to %s has no PostgreSQL translation", n);
	}
	return true;
}

bool mx_parse_cast(px *p, bool convert, frag *out)
{
	if (!mx_expect_op(p, "("))
		return false;
	frag x;
	frag_init(&x);
	buf ty;
	buf_init(&ty);
	myexpr_type t = MYEXPR_UNKNOWN;
	bool ok = mx_expr(p, 0, &x);
	if (ok && convert && accept_word(p, "using"))
		ok = mx_fail(p, "CONVERT(... USING charset) has no PostgreSQL translation");
	if (ok && !(convert ? accept_op(p, ",") : accept_word(p, "as")))
		ok = mx_fail(p, "malformed %s", convert ? "CONVERT" : "CAST");
	ok = ok && cast_type(p, &ty, &t) && mx_expect_op(p, ")");
	if (ok && x.t == MYEXPR_BOOL)
		ok = mx_to_num(p, &x);
	if (ok && t == MYEXPR_TEXT && x.t != MYEXPR_TEXT && x.t != MYEXPR_NULL && x.lit != L_STR)
		ok = mx_to_text(p, &x);
	if (ok) {
		if (t == MYEXPR_TIMESTAMP && mx_immutable_context(p) && x.t != MYEXPR_TIMESTAMP)
			ok = mx_fail(p, "CAST to datetime is not immutable in PostgreSQL");
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

bool mx_parse_interval(px *p, frag *out)
{
	frag x;
	frag_init(&x);
	bool ok = mx_expr(p, 13, &x) && mx_to_num(p, &x);
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
		return mx_fail(p, "INTERVAL unit '%s' has no PostgreSQL translation", tok_desc(u));
	}
	p->pos++;
	buf_reset(&out->s);
	if (x.lit == L_INT) {
		buf_printf(&out->s, "INTERVAL '%lld %s'", x.ival * units[k].mult, units[k].pg);
		out->prec = P_ATOM;
	} else {
		mx_wrap(&x, P_MUL);
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

bool mx_parse_case(px *p, frag *out)
{
	frag subject;
	frag_init(&subject);
	bool simple = !is_word(cur(p), "when");
	bool ok = true;
	if (simple)
		ok = mx_expr(p, 0, &subject);
	size_t n = 0;
	frag *conds = NULL, *vals = NULL;
	while (ok && accept_word(p, "when")) {
		conds = mem_realloc(conds, (n + 1) * sizeof *conds);
		vals = mem_realloc(vals, (n + 2) * sizeof *vals);
		frag_init(&conds[n]);
		frag_init(&vals[n]);
		n++;
		ok = mx_expr(p, 0, &conds[n - 1]);
		if (ok)
			ok = simple ? mx_cmp_coerce(p, &subject, &conds[n - 1]) : mx_to_bool(p, &conds[n - 1]);
		if (ok && !accept_word(p, "then"))
			ok = mx_fail(p, "expected THEN in CASE");
		ok = ok && mx_expr(p, 0, &vals[n - 1]);
	}
	bool has_else = false;
	if (ok && n == 0)
		ok = mx_fail(p, "CASE without WHEN");
	if (ok && accept_word(p, "else")) {
		has_else = true;
		frag_init(&vals[n]);
		ok = mx_expr(p, 0, &vals[n]);
	}
	if (ok && !accept_word(p, "end"))
		ok = mx_fail(p, "expected END in CASE");
	myexpr_type t = MYEXPR_UNKNOWN;
	if (ok)
		ok = mx_unify(p, vals, n + has_else, &t);
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
