/*
 * myexpr_int.h - what the modules of myexpr share (private: myexpr.h is the API).
 *
 *   myexpr_lex.c     the lexer: MySQL text -> tokens (literals decoded)
 *   myexpr_frag.c    output fragments, their precedence, coercions between MySQL's and
 *                    PostgreSQL's types, refusals and notes
 *   myexpr_names.c   reserved words, names, column references through the caller's callbacks
 *   myexpr_fn.c      the function table and calls, CAST/CONVERT, INTERVAL, CASE
 *   myexpr_expr.c    the expression parser (primaries, infix operators by binding power)
 *   myexpr_select.c  SELECT: select lists, FROM and joins, clauses, UNION
 *   myexpr.c         the entry points
 *
 * A parser state (px) walks the tokens; every function returns false after mx_fail() has
 * set the reason (nothing is logged).
 */
#ifndef MYEXPR_INT_H
#define MYEXPR_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "myexpr.h"

/* ---------------------------------------------------------------- tokens (myexpr_lex.c) */

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

/* false with the reason in why; ts ends with a T_END token */
bool mx_lex(const char *src, toks *ts, buf *why);
void mx_toks_free(toks *ts);

/* ---------------------------------------------------------------- fragments (myexpr_frag.c) */

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

static inline void frag_init(frag *f)
{
	memset(f, 0, sizeof *f);
	buf_init(&f->s);
	f->prec = P_ATOM;
}

static inline void frag_free(frag *f)
{
	buf_free(&f->s);
	memset(f, 0, sizeof *f);
}

static inline bool is_number_type(myexpr_type t)
{
	return t == MYEXPR_INT || t == MYEXPR_NUMERIC || t == MYEXPR_FLOAT;
}

/* ---------------------------------------------------------------- the parser state */

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

/* the deepest nesting of expressions and parenthesised joins accepted (the parser recurses) */
#define MAX_NESTING 200

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

static inline tok *cur(px *p)
{
	return &p->t[p->pos];
}

static inline tok *peek(px *p, size_t k)
{
	size_t i = p->pos + k;
	return i < p->n ? &p->t[i] : &p->t[p->n - 1];
}

static inline bool is_word(const tok *t, const char *w)
{
	return t->kind == T_WORD && strcasecmp(t->text, w) == 0;
}

static inline bool is_op(const tok *t, const char *o)
{
	return t->kind == T_OP && strcmp(t->text, o) == 0;
}

static inline bool accept_word(px *p, const char *w)
{
	if (!is_word(cur(p), w))
		return false;
	p->pos++;
	return true;
}

static inline bool accept_op(px *p, const char *o)
{
	if (!is_op(cur(p), o))
		return false;
	p->pos++;
	return true;
}

static inline const char *tok_desc(const tok *t)
{
	if (t->kind == T_END)
		return "end of expression";
	return t->text;
}

/* refuses: sets the reason (the first one wins) and returns false */
bool mx_fail(px *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* records an approximation (each note once) */
void mx_note(px *p, const char *what);
bool mx_expect_op(px *p, const char *o);

void mx_wrap(frag *f, int need);
/* out = a <op> b, out's previous text dropped; a and b are consumed */
void mx_combine(frag *out, frag *a, const char *op, frag *b, int prec, int rneed);
/* replaces f's text with prefix + text + suffix, as an atom */
void mx_enclose(frag *f, const char *prefix, const char *suffix, int prec);
/* coercions */
bool mx_to_bool(px *p, frag *f);
bool mx_to_num(px *p, frag *f);
bool mx_to_text(px *p, frag *f);
bool mx_immutable_context(const px *p);
bool mx_cmp_coerce(px *p, frag *a, frag *b);
bool mx_cmp_coerce_many(px *p, frag *lhs, frag *v, size_t n);
bool mx_unify(px *p, frag *v, size_t n, myexpr_type *out);
bool mx_arith(px *p, frag *out, frag *a, const char *op, frag *b);
bool mx_divide(px *p, frag *out, frag *a, const char *kind, frag *b);

/* ---------------------------------------------------------------- names (myexpr_names.c) */

bool mx_word_is_reserved(const char *w);
bool mx_is_name(const tok *t);
void mx_alias_name(px *p, const char *name, buf *out);
bool mx_item_column(px *p, const scope_item *it, const char *col, frag *out, bool *refused, bool qualify);
bool mx_column_ref(px *p, char **parts, size_t n, frag *out);

/* ---------------------------------------------------------------- functions (myexpr_fn.c) */

typedef struct args {
	frag *v;
	size_t n;
	bool star;     /* count(*) */
	bool distinct; /* count(DISTINCT x) */
} args;

/* the function table's entry of name; NULL when it has none */
typedef struct fn_def fn_def;
const fn_def *mx_find_fn(const char *name);
void mx_args_free(args *a);
/* '(' already consumed: arguments up to ')' */
bool mx_parse_args(px *p, args *a);
/* name(args...) into out */
bool mx_call(px *p, const char *name, args *a, frag *out);
/* after CAST/CONVERT, INTERVAL, CASE */
bool mx_parse_cast(px *p, bool convert, frag *out);
bool mx_parse_interval(px *p, frag *out);
bool mx_parse_case(px *p, frag *out);

/* ---------------------------------------------------------------- expressions (myexpr_expr.c) */

bool mx_expr(px *p, int minbp, frag *out);

/* ---------------------------------------------------------------- SELECT (myexpr_select.c) */

bool mx_query(px *p, buf *out, bool top);

#endif
