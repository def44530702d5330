/*
 * mem.h - allocation that never returns NULL.
 *
 * Every function aborts the program on out-of-memory after writing "out of memory" to
 * stderr: the one exception to "no exit in library code" (a tool cannot go on without
 * memory, and no caller could do better). A zero size allocates one byte, so the result
 * is never NULL.
 */
#ifndef MEM_H
#define MEM_H

#include <stddef.h>

void *mem_alloc(size_t n);
void *mem_calloc(size_t n, size_t m);
void *mem_realloc(void *p, size_t n);
char *mem_strdup(const char *s);
/* the first n bytes of s, NUL-terminated (s need not be) */
char *mem_strndup(const char *s, size_t n);
/* a vector of strings: *v grows by a copy of s (NULL: an empty string), *n counts them */
void mem_strv_push(char ***v, size_t *n, const char *s);
/* frees v[0..n) and v */
void mem_strv_free(char **v, size_t n);
/* writes "out of memory" and aborts */
void mem_oom(void) __attribute__((noreturn));

#endif
