/*
 * report.c - everything not converted, or converted approximately.
 *
 * Format (man/man1/my-schema.1):
 *   # my-schema report: MySQL database `shop` -> PostgreSQL schema shop
 *   # 3 not converted, 5 converted approximately
 *   NOT CONVERTED  view shop.v: function date_format() has no PostgreSQL translation
 *       select ...                      (the MySQL source, indented by 4 spaces)
 *   APPROXIMATE    index t.idx: prefix index: expression index on left(c, 10)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "schema.h"

void report_init(report *r)
{
	memset(r, 0, sizeof *r);
}

void report_free(report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].object);
		free(r->v[i].message);
		free(r->v[i].sql);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

void report_add(report *r, rep_kind kind, const char *object, const char *sql, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->v = mem_realloc(r->v, (r->n + 1) * sizeof *r->v);
	rep_entry *e = &r->v[r->n++];
	e->kind = kind;
	e->object = mem_strdup(object);
	e->message = mem_strdup(msg);
	e->sql = sql && *sql ? mem_strdup(sql) : NULL;
	if (kind == REP_NOT_CONVERTED)
		r->not_converted++;
	else
		r->approximate++;
}

static const char *kind_label(rep_kind k)
{
	return k == REP_NOT_CONVERTED ? "NOT CONVERTED" : "APPROXIMATE  ";
}

bool report_write(const report *r, FILE *f, const char *name, const char *db, const char *schema)
{
	fprintf(f, "# my-schema report: MySQL database `%s` -> PostgreSQL schema %s\n", db, schema);
	fprintf(f, "# %zu not converted, %zu converted approximately\n", r->not_converted, r->approximate);
	for (size_t i = 0; i < r->n; i++) {
		const rep_entry *e = &r->v[i];
		fprintf(f, "%s  %s: %s\n", kind_label(e->kind), e->object, e->message);
		if (e->sql) {
			fputs("    ", f);
			for (const char *p = e->sql; *p; p++) {
				fputc(*p, f);
				if (*p == '\n' && p[1])
					fputs("    ", f);
			}
			if (e->sql[strlen(e->sql) - 1] != '\n')
				fputc('\n', f);
		}
	}
	if (fflush(f) != 0 || ferror(f)) {
		log_errno("%s: unable to write the report", name);
		return false;
	}
	return true;
}

void report_log(const report *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const rep_entry *e = &r->v[i];
		log_warn("%s %s: %s", e->object, e->kind == REP_NOT_CONVERTED ? "not converted" : "converted approximately",
		         e->message);
	}
}
