#include "pgquote.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "hex.h"

/* PostgreSQL 15: SELECT word FROM pg_get_keywords() WHERE catcode <> 'U' ORDER BY word */
static const char *const keywords[] = {
	"all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization",
	"between", "bigint", "binary", "bit", "boolean", "both", "case", "cast", "char", "character",
	"check", "coalesce", "collate", "collation", "column", "concurrently", "constraint", "create",
	"cross", "current_catalog", "current_date", "current_role", "current_schema", "current_time",
	"current_timestamp", "current_user", "dec", "decimal", "default", "deferrable", "desc",
	"distinct", "do", "else", "end", "except", "exists", "extract", "false", "fetch", "float", "for",
	"foreign", "freeze", "from", "full", "grant", "greatest", "group", "grouping", "having", "ilike",
	"in", "initially", "inner", "inout", "int", "integer", "intersect", "interval", "into", "is",
	"isnull", "join", "lateral", "leading", "least", "left", "like", "limit", "localtime",
	"localtimestamp", "national", "natural", "nchar", "none", "normalize", "not", "notnull", "null",
	"nullif", "numeric", "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay",
	"placing", "position", "precision", "primary", "real", "references", "returning", "right", "row",
	"select", "session_user", "setof", "similar", "smallint", "some", "substring", "symmetric",
	"table", "tablesample", "then", "time", "timestamp", "to", "trailing", "treat", "trim", "true",
	"union", "unique", "user", "using", "values", "varchar", "variadic", "verbose", "when", "where",
	"window", "with", "xmlattributes", "xmlconcat", "xmlelement", "xmlexists", "xmlforest",
	"xmlnamespaces", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmltable",
};

bool pgquote_is_keyword(const char *name)
{
	size_t lo = 0, hi = sizeof keywords / sizeof *keywords;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, keywords[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

bool pgquote_is_bare(const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	if (!*p || !((*p >= 'a' && *p <= 'z') || *p == '_'))
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '$'))
			return false;
	return !pgquote_is_keyword(name);
}

void pgquote_ident_quoted(buf *out, const char *name)
{
	buf_putc(out, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, (uint8_t)*p);
	}
	buf_putc(out, '"');
}

void pgquote_ident(buf *out, const char *name)
{
	if (pgquote_is_bare(name))
		buf_puts(out, name);
	else
		pgquote_ident_quoted(out, name);
}

void pgquote_qualified(buf *out, const char *schema, const char *name)
{
	if (schema) {
		pgquote_ident(out, schema);
		buf_putc(out, '.');
	}
	pgquote_ident(out, name);
}

char *pgquote_lower(const char *name)
{
	char *s = mem_strdup(name);
	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

char *pgquote_shorten(const char *name, size_t max)
{
	size_t n = strlen(name);
	if (n <= max || max < 16)
		return mem_strdup(name);
	size_t keep = max - 9;
	/* do not cut a UTF-8 sequence: back up over continuation bytes */
	while (keep > 0 && ((unsigned char)name[keep] & 0xc0) == 0x80)
		keep--;
	uint32_t h = (uint32_t)XXH3_64bits(name, n);
	char *s = mem_alloc(keep + 10);
	memcpy(s, name, keep);
	snprintf(s + keep, 10, "_%08x", (unsigned)h);
	return s;
}

bool pgquote_literal(buf *out, const char *s, size_t n)
{
	bool esc = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0)
			return false;
		if (c < 0x20 || c == 0x7f)
			esc = true;
	}
	if (!esc) {
		buf_putc(out, '\'');
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\'')
				buf_putc(out, '\'');
			buf_putc(out, (uint8_t)s[i]);
		}
		buf_putc(out, '\'');
		return true;
	}
	buf_puts(out, "E'");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\'': buf_puts(out, "''"); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		case '\b': buf_puts(out, "\\b"); break;
		case '\f': buf_puts(out, "\\f"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				buf_puts(out, "\\x");
				hex_append(out, &c, 1);
			} else
				buf_putc(out, c);
		}
	}
	buf_putc(out, '\'');
	return true;
}

void pgquote_bytea(buf *out, const void *s, size_t n)
{
	buf_puts(out, "'\\x");
	hex_append(out, s, n);
	buf_putc(out, '\'');
}
