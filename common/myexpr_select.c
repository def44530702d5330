/* myexpr_select.c - SELECT statements of views (myexpr_int.h) */
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

static bool order_limit(px *p, buf *out);

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
	s->items = mem_realloc(s->items, (s->n + 1) * sizeof *s->items);
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
	if (t->kind == T_QIDENT || (t->kind == T_WORD && !mx_word_is_reserved(t->text) && !is_word(t, "straight_join") &&
	                            !is_word(t, "use") && !is_word(t, "force") && !is_word(t, "ignore"))) {
		*alias = mem_strdup(t->text);
		p->pos++;
		return true;
	}
	if (as)
		return mx_fail(p, "expected an alias after AS");
	return true;
}

static bool table_factor_in(px *p, buf *out);

static bool table_factor(px *p, buf *out)
{
	if (++p->nesting > MAX_NESTING) {
		p->nesting--;
		return mx_fail(p, "query nested too deeply");
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
			bool ok = mx_query(p, &q, false) && mx_expect_op(p, ")");
			p->depth = depth;
			char *alias = NULL;
			ok = ok && opt_alias(p, &alias);
			if (ok && !alias)
				ok = mx_fail(p, "derived table without an alias");
			if (ok) {
				scope_item *it = scope_add(p->sc);
				it->alias = alias;
				mx_alias_name(p, alias, &it->qual);
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
		bool ok = table_refs(p, &inner, true) && mx_expect_op(p, ")");
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
	if (!mx_is_name(t))
		return mx_fail(p, "expected a table name near '%s'", tok_desc(t));
	name = mem_strdup(t->text);
	p->pos++;
	if (accept_op(p, ".")) {
		t = cur(p);
		if (!mx_is_name(t)) {
			free(name);
			return mx_fail(p, "expected a table name near '%s'", tok_desc(t));
		}
		db = name;
		name = mem_strdup(t->text);
		p->pos++;
	}
	bool ok = opt_alias(p, &alias);
	if (ok && (is_word(cur(p), "use") || is_word(cur(p), "force") || is_word(cur(p), "ignore")))
		ok = mx_fail(p, "index hints");
	if (ok && is_word(cur(p), "partition"))
		ok = mx_fail(p, "partition selection");
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
			mx_alias_name(p, it->alias, &it->qual);
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
			return mx_fail(p, "NATURAL JOIN");
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
			bool ok = mx_expr(p, 0, &c) && mx_to_bool(p, &c);
			if (ok) {
				buf_puts(out, " ON ");
				buf_append(out, c.s.data, c.s.len);
			}
			frag_free(&c);
			if (!ok)
				return false;
		} else if (accept_word(p, "using")) {
			if (!mx_expect_op(p, "("))
				return false;
			buf_puts(out, " USING (");
			for (bool first = true;; first = false) {
				tok *t = cur(p);
				if (!mx_is_name(t))
					return mx_fail(p, "expected a column name in USING");
				p->pos++;
				if (!first)
					buf_puts(out, ", ");
				frag c;
				frag_init(&c);
				bool refused = false;
				bool ok = first_new < p->sc->n && mx_item_column(p, &p->sc->items[first_new], t->text, &c, &refused, false);
				if (ok)
					buf_append(out, c.s.data, c.s.len);
				frag_free(&c);
				if (refused)
					return false;
				if (!ok)
					mx_alias_name(p, t->text, out);
				if (accept_op(p, ","))
					continue;
				if (!mx_expect_op(p, ")"))
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
			return mx_fail(p, "%s without ON or USING", kind);
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
		if (is_op(cur(p), "*") || (mx_is_name(cur(p)) && is_op(peek(p, 1), ".") && is_op(peek(p, 2), "*")))
			return mx_fail(p, "SELECT * (the view's columns would not be named)");
		frag f;
		frag_init(&f);
		size_t start = p->pos;
		bool ok = mx_expr(p, 0, &f);
		char *alias = NULL;
		ok = ok && opt_alias(p, &alias);
		if (ok) {
			/* MySQL's name of an unaliased column reference is the column's name */
			const char *myname = alias;
			if (!myname && p->pos - start >= 1 && mx_is_name(&p->t[p->pos - 1]))
				myname = p->t[p->pos - 1].text;
			if (f.t == MYEXPR_BOOL && f.prec < P_ATOM)
				mx_note(p, "a condition in a view's select list is boolean in PostgreSQL (0/1 in MySQL)");
			buf_append(out, f.s.data, f.s.len);
			buf name;
			buf_init(&name);
			if (top && p->env->item_name)
				p->env->item_name(p->env->arg, idx, myname, &name);
			else if (myname)
				mx_alias_name(p, myname, &name);
			if (name.len) {
				buf_puts(out, " AS ");
				buf_append(out, name.data, name.len);
			}
			buf_free(&name);
			il->v = mem_realloc(il->v, (il->n + 1) * sizeof *il->v);
			il->agg = mem_realloc(il->agg, (il->n + 1) * sizeof *il->agg);
			il->lit = mem_realloc(il->lit, (il->n + 1) * sizeof *il->lit);
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
		bool ok = mx_expr(p, 0, &f);
		if (ok) {
			buf_append(out, f.s.data, f.s.len);
			if (keep) {
				keep->v = mem_realloc(keep->v, (keep->n + 1) * sizeof *keep->v);
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
		return mx_fail(p, "expected SELECT near '%s'", tok_desc(cur(p)));
	buf_puts(out, "SELECT ");
	if (accept_word(p, "distinct") || accept_word(p, "distinctrow"))
		buf_puts(out, "DISTINCT ");
	else
		accept_word(p, "all");
	tok *t = cur(p);
	if (t->kind == T_WORD && (strncasecmp(t->text, "sql_", 4) == 0 || is_word(t, "high_priority") ||
	                          is_word(t, "straight_join")))
		return mx_fail(p, "SELECT option %s", t->text);
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
			ok = mx_fail(p, "unexpected '%s' in the select list", tok_desc(cur(p)));
		p->pos = after_from;
		sep(p, out, "FROM ");
		buf_append(out, from.data, from.len);
	}
	bool grouped = false;
	if (ok && accept_word(p, "where")) {
		frag c;
		frag_init(&c);
		ok = mx_expr(p, 0, &c) && mx_to_bool(p, &c);
		if (ok) {
			sep(p, out, "WHERE ");
			buf_append(out, c.s.data, c.s.len);
		}
		frag_free(&c);
	}
	if (ok && accept_word(p, "group")) {
		if (!accept_word(p, "by"))
			ok = mx_fail(p, "expected BY after GROUP");
		sep(p, out, "GROUP BY ");
		ok = ok && expr_list(p, out, &groups, false);
		if (ok && accept_word(p, "with"))
			ok = mx_fail(p, "GROUP BY ... WITH ROLLUP");
		grouped = true;
	}
	if (ok && accept_word(p, "having")) {
		frag c;
		frag_init(&c);
		ok = mx_expr(p, 0, &c) && mx_to_bool(p, &c);
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
				ok = mx_fail(p, "select item %zu is neither aggregated nor in GROUP BY", i + 1);
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
			return mx_fail(p, "expected BY after ORDER");
		sep(p, out, "ORDER BY ");
		ok = expr_list(p, out, NULL, true);
	}
	if (ok && accept_word(p, "limit")) {
		tok *a = cur(p);
		if (a->kind != T_NUMBER)
			return mx_fail(p, "LIMIT without a number");
		p->pos++;
		char *first = a->text;
		if (accept_op(p, ",")) {
			tok *b = cur(p);
			if (b->kind != T_NUMBER)
				return mx_fail(p, "LIMIT without a number");
			p->pos++;
			sep(p, out, "LIMIT ");
			buf_printf(out, "%s OFFSET %s", b->text, first);
		} else {
			sep(p, out, "LIMIT ");
			buf_puts(out, first);
			if (accept_word(p, "offset")) {
				tok *b = cur(p);
				if (b->kind != T_NUMBER)
					return mx_fail(p, "OFFSET without a number");
				p->pos++;
				buf_printf(out, " OFFSET %s", b->text);
			}
		}
	}
	return ok;
}

bool mx_query(px *p, buf *out, bool top)
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
		ok = mx_fail(p, "unexpected '%s'", tok_desc(cur(p)));
	if (ok && (is_word(cur(p), "into") || is_word(cur(p), "for") || is_word(cur(p), "lock") ||
	           is_word(cur(p), "window") || is_word(cur(p), "procedure")))
		ok = mx_fail(p, "%s clause", cur(p)->text);
	p->depth = depth;
	return ok;
}
