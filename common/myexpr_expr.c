/* myexpr_expr.c - the expression parser (myexpr_int.h) */
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

static bool expr_in(px *p, int minbp, frag *out);

/* '(' SELECT ... ')' as an expression, '(' consumed and SELECT current */
static bool subquery(px *p, frag *out)
{
	buf q;
	buf_init(&q);
	bool ok = mx_query(p, &q, false) && mx_expect_op(p, ")");
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
			return mx_fail(p, "a string with a NUL character");
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
	case T_BITS: return mx_fail(p, "bit-value literal b'%s'", t->text);
	case T_OP:
		if (is_op(t, "(")) {
			p->pos++;
			if (is_word(cur(p), "select"))
				return subquery(p, out);
			if (!mx_expr(p, 0, out))
				return false;
			if (is_op(cur(p), ","))
				return mx_fail(p, "row constructor");
			/* the source's parentheses are dropped: the output gets its own from precedence */
			return mx_expect_op(p, ")");
		}
		if (is_op(t, "@"))
			return mx_fail(p, "user or system variable");
		if (is_op(t, "?"))
			return mx_fail(p, "parameter marker");
		return mx_fail(p, "unexpected '%s'", t->text);
	case T_END: return mx_fail(p, "unexpected end of expression");
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
				return mx_fail(p, "a string with a NUL character");
			out->lit = L_STR;
			out->prec = P_ATOM;
			out->t = tolower((unsigned char)w[1]) == 'a' ? MYEXPR_DATE : w[4] ? MYEXPR_TIMESTAMP : MYEXPR_INTERVAL;
			if (out->t == MYEXPR_DATE)
				mx_enclose(out, "DATE ", "", P_ATOM);
			else if (out->t == MYEXPR_INTERVAL)
				mx_enclose(out, "INTERVAL ", "", P_ATOM);
			return true;
		}
		if (strcasecmp(w, "case") == 0) {
			p->pos++;
			return mx_parse_case(p, out);
		}
		if (strcasecmp(w, "cast") == 0 || strcasecmp(w, "convert") == 0) {
			p->pos++;
			return mx_parse_cast(p, tolower((unsigned char)w[1]) == 'o', out);
		}
		if (strcasecmp(w, "interval") == 0) {
			p->pos++;
			return mx_parse_interval(p, out);
		}
		if (strcasecmp(w, "exists") == 0) {
			p->pos++;
			if (!mx_expect_op(p, "(") || !is_word(cur(p), "select"))
				return mx_fail(p, "expected a subquery after EXISTS");
			if (!subquery(p, out))
				return false;
			mx_enclose(out, "EXISTS ", "", P_ATOM);
			out->t = MYEXPR_BOOL;
			return true;
		}
		if (strcasecmp(w, "current_timestamp") == 0 || strcasecmp(w, "current_date") == 0 ||
		    strcasecmp(w, "localtime") == 0 || strcasecmp(w, "localtimestamp") == 0) {
			if (!is_op(peek(p, 1), "(")) {
				p->pos++;
				args a = {0};
				bool ok = mx_call(p, w, &a, out);
				mx_args_free(&a);
				return ok;
			}
		}
		if (is_op(peek(p, 1), "(") && !peek(p, 1)->space_before &&
		    (!mx_word_is_reserved(w) || mx_find_fn(w) || strcasecmp(w, "mod") == 0)) {
			char *name = mem_strdup(w);
			p->pos += 2;
			args a = {0};
			bool ok = mx_parse_args(p, &a) && mx_call(p, name, &a, out);
			mx_args_free(&a);
			free(name);
			return ok;
		}
		if (mx_word_is_reserved(w))
			return mx_fail(p, "unexpected '%s'", w);
	}
	/* identifier chain */
	char *parts[3];
	size_t n = 0;
	bool ok = true;
	for (;;) {
		tok *x = cur(p);
		if (!mx_is_name(x)) {
			ok = mx_fail(p, "expected a name near '%s'", tok_desc(x));
			break;
		}
		if (n == 3) {
			ok = mx_fail(p, "malformed column reference");
			break;
		}
		parts[n++] = x->text;
		p->pos++;
		if (!is_op(cur(p), "."))
			break;
		p->pos++;
	}
	if (ok)
		ok = mx_column_ref(p, parts, n, out);
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
	if (!mx_expect_op(p, "("))
		return false;
	buf list;
	buf_init(&list);
	bool ok = true;
	bool agg = lhs->agg;
	if (is_word(cur(p), "select")) {
		ok = mx_query(p, &list, false);
	} else {
		size_t n = 0;
		frag *v = NULL;
		for (;;) {
			v = mem_realloc(v, (n + 1) * sizeof *v);
			frag_init(&v[n]);
			n++;
			if (!(ok = mx_expr(p, 0, &v[n - 1])))
				break;
			if (!accept_op(p, ","))
				break;
		}
		ok = ok && mx_cmp_coerce_many(p, lhs, v, n);
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
	ok = ok && mx_expect_op(p, ")");
	if (ok) {
		mx_wrap(lhs, P_IN + 1);
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
		ok = mx_expr(p, bp + 1, &rhs) && mx_to_bool(p, lhs) && mx_to_bool(p, &rhs);
		if (ok) {
			if (is_xor) {
				mx_wrap(lhs, P_CMP + 1);
				mx_combine(out, lhs, " <> ", &rhs, P_CMP, P_CMP + 1);
			} else {
				mx_combine(out, lhs, is_and ? " AND " : " OR ", &rhs, is_and ? P_AND : P_OR,
				        (is_and ? P_AND : P_OR) + 1);
			}
			out->t = MYEXPR_BOOL;
		}
	} else if (is_op(t, "||") || is_op(t, "&&")) {
		bool is_and = is_op(t, "&&");
		p->pos++;
		ok = mx_expr(p, bp + 1, &rhs) && mx_to_bool(p, lhs) && mx_to_bool(p, &rhs);
		if (ok) {
			mx_combine(out, lhs, is_and ? " AND " : " OR ", &rhs, is_and ? P_AND : P_OR, (is_and ? P_AND : P_OR) + 1);
			out->t = MYEXPR_BOOL;
		}
	} else if (t->kind == T_OP && bp == 6) {
		char op[4];
		snprintf(op, sizeof op, "%s", t->text);
		p->pos++;
		ok = mx_expr(p, bp + 1, &rhs) && mx_cmp_coerce(p, lhs, &rhs);
		if (ok) {
			if (!strcmp(op, "<=>")) {
				mx_wrap(lhs, P_IS + 1);
				mx_combine(out, lhs, " IS NOT DISTINCT FROM ", &rhs, P_IS, P_IS + 1);
			} else {
				mx_wrap(lhs, P_CMP + 1);
				char o[8];
				snprintf(o, sizeof o, " %s ", !strcmp(op, "!=") ? "<>" : op);
				mx_combine(out, lhs, o, &rhs, P_CMP, P_CMP + 1);
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
			return mx_fail(p, "expected NULL, TRUE, FALSE or UNKNOWN after IS");
		if (what[0] != 'N' && !mx_to_bool(p, lhs))
			return false;
		if (out != lhs) {
			buf_free(&out->s);
			out->s = lhs->s;
			buf_init(&lhs->s);
			out->prec = lhs->prec;
			out->agg = lhs->agg;
		}
		mx_wrap(out, P_IS + 1);
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
			ok = mx_expr(p, bp + 1, &rhs) && mx_to_text(p, lhs) && mx_to_text(p, &rhs);
			bool has_esc = ok && accept_word(p, "escape");
			if (has_esc)
				ok = primary(p, &esc);
			if (ok) {
				mx_note(p, "LIKE is case-sensitive in PostgreSQL (in MySQL it follows the collation)");
				mx_combine(out, lhs, neg ? " NOT LIKE " : " LIKE ", &rhs, P_IN, P_IN + 1);
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
			ok = mx_expr(p, 7, &rhs);
			if (ok && !accept_word(p, "and"))
				ok = mx_fail(p, "expected AND in BETWEEN");
			ok = ok && mx_expr(p, 7, &hi);
			if (ok) {
				frag both[2] = {rhs, hi};
				ok = mx_cmp_coerce_many(p, lhs, both, 2);
				rhs = both[0];
				hi = both[1];
			}
			if (ok) {
				mx_wrap(&hi, P_IN + 1);
				mx_combine(out, lhs, neg ? " NOT BETWEEN " : " BETWEEN ", &rhs, P_IN, P_IN + 1);
				buf_puts(&out->s, " AND ");
				buf_append(&out->s, hi.s.data, hi.s.len);
				out->t = MYEXPR_BOOL;
			}
			frag_free(&hi);
		} else {
			ok = mx_fail(p, "%s has no PostgreSQL translation", t->text);
		}
	} else if (t->kind == T_OP && (bp == 7 || bp == 8 || bp == 9 || bp == 12)) {
		char op[4];
		snprintf(op, sizeof op, "%s", t->text);
		p->pos++;
		ok = mx_expr(p, bp + 1, &rhs) && mx_to_num(p, lhs) && mx_to_num(p, &rhs);
		if (ok && (lhs->t != MYEXPR_INT || rhs.t != MYEXPR_INT))
			ok = mx_fail(p, "bit operator on values that are not integers");
		if (ok) {
			char o[8];
			snprintf(o, sizeof o, " %s ", !strcmp(op, "^") ? "#" : op);
			mx_combine(out, lhs, o, &rhs, P_OP, P_OP + 1);
			out->t = MYEXPR_INT;
		}
	} else if (bp == 10 || (bp == 11 && is_op(t, "*"))) {
		char op[4];
		snprintf(op, sizeof op, " %s ", t->text);
		p->pos++;
		ok = mx_expr(p, bp + 1, &rhs) && mx_arith(p, out, lhs, op, &rhs);
	} else if (bp == 11) {
		const char *kind = is_op(t, "/") ? "/" : is_word(t, "div") ? "div" : "%";
		p->pos++;
		ok = mx_expr(p, bp + 1, &rhs) && mx_divide(p, out, lhs, kind, &rhs);
	} else if (is_word(t, "collate")) {
		ok = mx_fail(p, "COLLATE has no PostgreSQL translation");
	} else {
		ok = mx_fail(p, "unexpected '%s'", tok_desc(t));
	}
	frag_free(&rhs);
	return ok;
}

bool mx_expr(px *p, int minbp, frag *out)
{
	if (++p->nesting > MAX_NESTING) {
		p->nesting--;
		return mx_fail(p, "expression nested too deeply");
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
		ok = mx_expr(p, bang ? 14 : 5, out) && mx_to_bool(p, out);
		if (ok) {
			mx_wrap(out, P_NOT);
			mx_enclose(out, "NOT ", "", P_NOT);
			out->t = MYEXPR_BOOL;
		}
	} else if (is_op(t, "-") || is_op(t, "+")) {
		bool minus = is_op(t, "-");
		p->pos++;
		ok = mx_expr(p, 13, out) && mx_to_num(p, out);
		if (ok && minus) {
			if (out->lit == L_INT || out->lit == L_NUM) {
				if (out->s.len && out->s.data[0] == '-') {
					memmove(out->s.data, out->s.data + 1, out->s.len - 1);
					out->s.len--;
					out->prec = P_ATOM;
				} else {
					mx_enclose(out, "-", "", P_UMINUS);
				}
				out->ival = -out->ival;
			} else {
				mx_wrap(out, P_UMINUS);
				mx_enclose(out, "-", "", P_UMINUS);
			}
		}
	} else if (is_op(t, "~")) {
		return mx_fail(p, "bit inversion ~ has no exact PostgreSQL translation");
	} else if (is_word(t, "binary") && peek(p, 1)->kind != T_END) {
		return mx_fail(p, "BINARY operator has no PostgreSQL translation");
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
