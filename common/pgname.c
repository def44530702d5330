/*
 * pgname.c - the names PostgreSQL refuses or the tools keep (pgname.h).
 */
#include "pgname.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool pgname_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (fold(*a) != fold(*b))
			return false;
	return *a == *b;
}

int pgname_find(const char *name, bool exact, size_t n, const char *(*name_at)(const void *arg, size_t i),
                const void *arg)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name_at(arg, i), name) == 0)
			return (int)i;
	if (exact)
		return -1;
	int hit = -1;
	for (size_t i = 0; i < n; i++) {
		if (pgname_equal(name_at(arg, i), name)) {
			if (hit >= 0)
				return -2;
			hit = (int)i;
		}
	}
	return hit;
}

/* PostgreSQL 12 and later (oid stopped being one in 12) */
static const char *const system_columns[] = {"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"};

bool pgname_is_system_column(const char *name)
{
	for (size_t i = 0; i < sizeof system_columns / sizeof *system_columns; i++)
		if (pgname_equal(name, system_columns[i]))
			return true;
	return false;
}

static bool taken(const char *name, const char *const *cols, size_t n, size_t self)
{
	for (size_t i = 0; i < n; i++)
		if (i != self && pgname_equal(name, cols[i]))
			return true;
	return false;
}

char *pgname_column(const char *name, const char *const *cols, size_t n, size_t self)
{
	if (!pgname_is_system_column(name))
		return mem_strdup(name);
	size_t len = strlen(name);
	/* n other names can take at most n candidates */
	char *s = mem_alloc(len + n + 2);
	memcpy(s, name, len);
	for (;;) {
		s[len++] = '_';
		s[len] = '\0';
		if (!taken(s, cols, n, self))
			return s;
	}
}

int pgname_find_renamed(const char *name, const char *const *others, size_t n, size_t self,
                        int (*find)(const void *table, const char *name), const void *table, size_t ncols)
{
	if (!pgname_is_system_column(name))
		return -1;
	char *s = pgname_column(name, others, n, self);
	size_t len = strlen(s);
	/* a table of ncols columns holds at most ncols candidates */
	s = mem_realloc(s, len + ncols + 1);
	int hit = -1;
	for (size_t k = 0; k < ncols; k++) {
		int c = find(table, s);
		if (c < -1 || (c >= 0 && hit >= 0)) {
			hit = -2;
			break;
		}
		if (c >= 0)
			hit = c;
		s[len++] = '_';
		s[len] = '\0';
	}
	free(s);
	return hit;
}

bool pgname_schema_reserved(const char *name)
{
	return (fold(name[0]) == 'p' && fold(name[1]) == 'g' && name[2] == '_') ||
	       pgname_equal(name, PGNAME_STATE_SCHEMA);
}

char *pgname_schema(const char *name)
{
	if (!pgname_schema_reserved(name))
		return mem_strdup(name);
	size_t p = strlen(PGNAME_SCHEMA_PREFIX), n = strlen(name);
	char *s = mem_alloc(p + n + 1);
	memcpy(s, PGNAME_SCHEMA_PREFIX, p);
	memcpy(s + p, name, n + 1);
	return s;
}
