/* typemap_rules.c - overrides: --cast specs and the rules file (typemap.h) */
#include "typemap_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

/* ---------------------------------------------------------------- overrides */

void typemap_overrides_init(typemap_overrides *o)
{
	memset(o, 0, sizeof *o);
}

void typemap_overrides_free(typemap_overrides *o)
{
	for (size_t i = 0; i < o->ncasts; i++) {
		free(o->casts[i].column);
		free(o->casts[i].type);
	}
	free(o->casts);
	for (size_t i = 0; i < o->nenums; i++) {
		free(o->enums[i].name);
		for (size_t k = 0; k < o->enums[i].nlabels; k++)
			free(o->enums[i].labels[k]);
		free(o->enums[i].labels);
	}
	free(o->enums);
	for (size_t i = 0; i < o->npolicies; i++)
		free(o->policies[i]);
	free(o->policies);
	free(o->timezone);
	memset(o, 0, sizeof *o);
}

void typemap_overrides_add_cast(typemap_overrides *o, const char *column, const char *type)
{
	for (size_t i = 0; i < o->ncasts; i++) {
		if (strcmp(o->casts[i].column, column) == 0) {
			free(o->casts[i].type);
			o->casts[i].type = mem_strdup(type);
			return;
		}
	}
	o->casts = mem_realloc(o->casts, (o->ncasts + 1) * sizeof *o->casts);
	o->casts[o->ncasts].column = mem_strdup(column);
	o->casts[o->ncasts].type = mem_strdup(type);
	o->ncasts++;
}

/* canonical form of a possibly qualified, possibly quoted type name: parts
 * unquoted ("" -> "), bare parts lowercased, joined by '.'; false when malformed */
bool typemap_name_canon(const char *s, buf *out)
{
	buf_reset(out);
	const char *p = s;
	while (*p == ' ' || *p == '\t')
		p++;
	for (;;) {
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					return false;
				if (*p == '"') {
					if (p[1] == '"') {
						buf_putc(out, '"');
						p += 2;
						continue;
					}
					p++;
					break;
				}
				buf_putc(out, (uint8_t)*p++);
			}
		} else {
			const char *st = p;
			while (*p && *p != '.' && *p != '"' && *p != ' ' && *p != '\t')
				buf_putc(out, (uint8_t)tolower((unsigned char)*p++));
			if (p == st)
				return false;
		}
		if (*p == '.') {
			buf_putc(out, '.');
			p++;
			continue;
		}
		break;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	buf_cstr(out);
	return *p == 0;
}

static bool name_equal(const char *a, const char *b)
{
	buf x, y;
	buf_init(&x);
	buf_init(&y);
	bool eq = typemap_name_canon(a, &x) && typemap_name_canon(b, &y) && strcmp(buf_cstr(&x), buf_cstr(&y)) == 0;
	buf_free(&x);
	buf_free(&y);
	return eq;
}

void typemap_overrides_add_enum(typemap_overrides *o, const char *name, char *const *labels, size_t n)
{
	typemap_enum *e = NULL;
	for (size_t i = 0; i < o->nenums; i++)
		if (name_equal(o->enums[i].name, name))
			e = &o->enums[i];
	if (e) {
		for (size_t k = 0; k < e->nlabels; k++)
			free(e->labels[k]);
		free(e->labels);
		free(e->name);
	} else {
		o->enums = mem_realloc(o->enums, (o->nenums + 1) * sizeof *o->enums);
		e = &o->enums[o->nenums++];
	}
	e->name = mem_strdup(name);
	e->nlabels = n;
	e->labels = mem_alloc((n ? n : 1) * sizeof *e->labels);
	for (size_t k = 0; k < n; k++)
		e->labels[k] = mem_strdup(labels[k]);
}

const typemap_enum *typemap_find_enum(const typemap_overrides *o, const char *name)
{
	if (!o)
		return NULL;
	for (size_t i = 0; i < o->nenums; i++)
		if (name_equal(o->enums[i].name, name))
			return &o->enums[i];
	return NULL;
}

bool typemap_overrides_add_cast_spec(typemap_overrides *o, const char *spec)
{
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec || !eq[1]) {
		log_error("invalid cast '%s': expected COLUMN=TYPE", spec);
		return false;
	}
	char *col = mem_strndup(spec, (size_t)(eq - spec));
	typemap_overrides_add_cast(o, col, eq + 1);
	free(col);
	return true;
}

/* rules-file tokens */
typedef struct rtok {
	char kind; /* 'w' bare word, 'i' "identifier", 'l' 'literal', 0 end */
	buf text;
	const char *start, *end; /* raw extent in the line */
} rtok;

static bool rules_next(const char **pp, rtok *t, const char **err)
{
	const char *p = *pp;
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	buf_reset(&t->text);
	t->start = p;
	if (!*p) {
		t->kind = 0;
		t->end = p;
		*pp = p;
		return true;
	}
	if (*p == '"' || *p == '\'') {
		char q = *p++;
		t->kind = q == '"' ? 'i' : 'l';
		for (;;) {
			if (!*p) {
				*err = q == '"' ? "unterminated double-quoted identifier" : "unterminated quoted literal";
				return false;
			}
			if (*p == q) {
				if (p[1] == q) {
					buf_putc(&t->text, (uint8_t)q);
					p += 2;
					continue;
				}
				p++;
				break;
			}
			buf_putc(&t->text, (uint8_t)*p++);
		}
	} else {
		t->kind = 'w';
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '"' && *p != '\'')
			buf_putc(&t->text, (uint8_t)*p++);
	}
	buf_cstr(&t->text);
	t->end = p;
	*pp = p;
	return true;
}

char *typemap_trim_dup(const char *s, const char *e)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	return mem_strndup(s, (size_t)(e - s));
}

static bool rules_line(typemap_overrides *o, const char *line, const char **err)
{
	rtok t;
	buf_init(&t.text);
	bool ok = false;
	const char *p = line;
	if (!rules_next(&p, &t, err))
		goto out;
	if (t.kind == 0) {
		ok = true;
		goto out;
	}
	if (t.kind != 'w') {
		*err = "expected a directive (cast, enum, policy, timezone)";
		goto out;
	}
	if (strcmp((char *)t.text.data, "cast") == 0) {
		if (!rules_next(&p, &t, err))
			goto out;
		if (t.kind != 'w' && t.kind != 'i') {
			*err = "cast: expected a column name";
			goto out;
		}
		char *col = mem_strdup(buf_cstr(&t.text));
		char *type = typemap_trim_dup(p, p + strlen(p));
		if (!*type) {
			*err = "cast: expected a type after the column name";
			free(col);
			free(type);
			goto out;
		}
		typemap_overrides_add_cast(o, col, type);
		free(col);
		free(type);
		ok = true;
	} else if (strcmp((char *)t.text.data, "enum") == 0) {
		const char *name_start = p;
		const char *lit = NULL;
		/* the name is everything up to the first single-quoted literal */
		for (;;) {
			const char *before = p;
			if (!rules_next(&p, &t, err))
				goto out;
			if (t.kind == 0 || t.kind == 'l') {
				lit = before;
				break;
			}
		}
		char *name = typemap_trim_dup(name_start, lit);
		if (!*name) {
			*err = "enum: expected a type name";
			free(name);
			goto out;
		}
		size_t n = 0, cap = 8;
		char **labels = mem_alloc(cap * sizeof *labels);
		p = lit;
		for (;;) {
			if (!rules_next(&p, &t, err))
				break;
			if (t.kind == 0) {
				ok = true;
				break;
			}
			if (t.kind != 'l') {
				*err = "enum: labels must be single-quoted literals";
				break;
			}
			if (n == cap)
				labels = mem_realloc(labels, (cap *= 2) * sizeof *labels);
			labels[n++] = mem_strdup(buf_cstr(&t.text));
		}
		if (ok && n == 0) {
			*err = "enum: expected at least one label";
			ok = false;
		}
		if (ok)
			typemap_overrides_add_enum(o, name, labels, n);
		for (size_t k = 0; k < n; k++)
			free(labels[k]);
		free(labels);
		free(name);
	} else if (strcmp((char *)t.text.data, "policy") == 0 || strcmp((char *)t.text.data, "timezone") == 0) {
		bool pol = t.text.data[0] == 'p';
		if (!rules_next(&p, &t, err))
			goto out;
		if (t.kind != 'w' && t.kind != 'l' && t.kind != 'i') {
			*err = pol ? "policy: expected CLASS=ACTION" : "timezone: expected a time zone name";
			goto out;
		}
		char *v = mem_strdup(buf_cstr(&t.text));
		if (!rules_next(&p, &t, err)) {
			free(v);
			goto out;
		}
		if (t.kind != 0) {
			*err = "unexpected text after the value";
			free(v);
			goto out;
		}
		if (pol) {
			o->policies = mem_realloc(o->policies, (o->npolicies + 1) * sizeof *o->policies);
			o->policies[o->npolicies++] = v;
		} else {
			free(o->timezone);
			o->timezone = v;
		}
		ok = true;
	} else {
		*err = "unknown directive (expected cast, enum, policy or timezone)";
	}
out:
	buf_free(&t.text);
	return ok;
}

bool typemap_rules_parse(typemap_overrides *o, const char *text, size_t len, const char *name)
{
	size_t lineno = 0;
	const char *p = text, *end = text + len;
	bool ok = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		lineno++;
		char *line = mem_strndup(p, (size_t)(le - p));
		const char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s && *s != '#') {
			const char *err = NULL;
			if (strlen(line) != (size_t)(le - p)) {
				log_error("%s:%zu: NUL byte in rules", name, lineno);
				ok = false;
			} else if (!rules_line(o, s, &err)) {
				log_error("%s:%zu: %s", name, lineno, err ? err : "syntax error");
				ok = false;
			}
		}
		free(line);
		p = nl ? nl + 1 : end;
	}
	return ok;
}

bool typemap_rules_load(typemap_overrides *o, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		log_errno("%s: unable to open rules file", path);
		return false;
	}
	buf b;
	buf_init(&b);
	char tmp[8192];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_append(&b, tmp, n);
	bool ok = !ferror(f);
	if (!ok)
		log_errno("%s: unable to read rules file", path);
	fclose(f);
	if (ok)
		ok = typemap_rules_parse(o, (const char *)b.data, b.len, path);
	buf_free(&b);
	return ok;
}
