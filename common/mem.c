/* mem.c - allocation that never returns NULL (mem.h) */
#include "mem.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void mem_oom(void)
{
	static const char msg[] = "out of memory\n";
	ssize_t w = write(2, msg, sizeof msg - 1);
	(void)w;
	abort();
}

void *mem_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		mem_oom();
	return p;
}

void *mem_calloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);
	if (!p)
		mem_oom();
	return p;
}

void *mem_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		mem_oom();
	return q;
}

char *mem_strdup(const char *s)
{
	return mem_strndup(s, strlen(s));
}

char *mem_strndup(const char *s, size_t n)
{
	char *p = mem_alloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void mem_strv_push(char ***v, size_t *n, const char *s)
{
	*v = mem_realloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = mem_strdup(s ? s : "");
}

void mem_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
