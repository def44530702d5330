/* myexpr.c - the entry points of myexpr.h; its modules are listed in myexpr_int.h */
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
	*out = mem_strdup(buf_cstr(&b));
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
	if (!mx_lex(sql, &ts, &r->why)) {
		mx_toks_free(&ts);
		return finish(r, false);
	}
	px p = {.t = ts.v, .n = ts.n, .env = env, .r = r};
	frag f;
	frag_init(&f);
	bool ok = mx_expr(&p, 0, &f);
	if (ok && cur(&p)->kind != T_END)
		ok = mx_fail(&p, "unexpected '%s'", tok_desc(cur(&p)));
	if (ok && f.agg)
		ok = mx_fail(&p, "aggregate outside a query");
	if (ok && env->context == MYEXPR_CHECK)
		ok = mx_to_bool(&p, &f);
	if (ok && (env->context == MYEXPR_DEFAULT || env->context == MYEXPR_GENERATED)) {
		if (env->target == MYEXPR_BOOL && f.t != MYEXPR_BOOL)
			ok = mx_to_bool(&p, &f);
		else if (is_number_type(env->target) && f.t == MYEXPR_BOOL)
			ok = mx_to_num(&p, &f);
	}
	if (ok) {
		buf_append(&r->sql, f.s.data, f.s.len);
		r->type = f.t;
		r->atomic = f.prec >= P_CAST;
		r->literal = f.lit != L_NONE;
	}
	frag_free(&f);
	mx_toks_free(&ts);
	return finish(r, ok);
}

bool myexpr_translate_select(const char *sql, const myexpr_env *env, myexpr_result *r)
{
	result_reset(r);
	toks ts = {0};
	if (!mx_lex(sql, &ts, &r->why)) {
		mx_toks_free(&ts);
		return finish(r, false);
	}
	px p = {.t = ts.v, .n = ts.n, .env = env, .r = r};
	bool ok;
	if (is_word(cur(&p), "with"))
		ok = mx_fail(&p, "WITH (common table expressions)");
	else
		ok = mx_query(&p, &r->sql, true);
	if (ok && cur(&p)->kind != T_END)
		ok = mx_fail(&p, "unexpected '%s'", tok_desc(cur(&p)));
	r->atomic = false;
	mx_toks_free(&ts);
	return finish(r, ok);
}
