/* myexpr_names.c - reserved words, names and column references (myexpr_int.h) */
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

/* ---------------------------------------------------------------- names and columns */

bool mx_word_is_reserved(const char *w)
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

bool mx_is_name(const tok *t)
{
	return t->kind == T_QIDENT || (t->kind == T_WORD && !mx_word_is_reserved(t->text));
}

void mx_alias_name(px *p, const char *name, buf *out)
{
	if (p->env->alias)
		p->env->alias(p->env->arg, name, out);
	else
		pgquote_ident(out, name);
}

/* a column of a FROM item; false when it has no such column (refused: set when it refused) */
bool mx_item_column(px *p, const scope_item *it, const char *col, frag *out, bool *refused, bool qualify)
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
		mx_alias_name(p, col, &name); /* a derived table's column */
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
bool mx_column_ref(px *p, char **parts, size_t n, frag *out)
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
				return mx_fail(p, "unknown column '%s'", col);
			out->prec = P_ATOM;
			return true;
		}
		for (scope *s = p->sc; s; s = s->parent) {
			const scope_item *found = NULL;
			for (size_t i = 0; i < s->n; i++) {
				frag tmp;
				frag_init(&tmp);
				bool has = s->items[i].table && mx_item_column(p, &s->items[i], col, &tmp, &refused, false);
				frag_free(&tmp);
				if (refused)
					return false;
				if (has) {
					if (found)
						return mx_fail(p, "column '%s' is ambiguous", col);
					found = &s->items[i];
				}
			}
			if (found)
				return mx_item_column(p, found, col, out, &refused, s != p->sc || s->n > 1);
		}
		/* a select alias (ORDER BY, HAVING) */
		buf_reset(&out->s);
		mx_alias_name(p, col, &out->s);
		out->t = MYEXPR_UNKNOWN;
		out->prec = P_ATOM;
		return true;
	}
	if (p->env->context != MYEXPR_VIEW)
		return mx_fail(p, "qualified column reference");
	const char *db = n == 3 ? parts[0] : NULL;
	const char *qual = parts[n - 2];
	if (n > 3)
		return mx_fail(p, "malformed column reference");
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
				if (mx_item_column(p, it, col, out, &refused, true))
					return true;
				if (refused)
					return false;
				return mx_fail(p, "unknown column '%s.%s'", qual, col);
			}
		}
	}
	return mx_fail(p, "unknown table '%s' in column reference", qual);
}
