/*
 * rowstream_header.c - the stream header: columns, metadata, attributes (rowstream.h).
 */
#include "rowstream.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "rowstream_int.h"

rs_header *rs_header_new(uint8_t domain, const char *schema, const char *table)
{
	rs_header *h = mem_calloc(1, sizeof *h);
	h->domain = domain;
	h->schema = mem_strdup(schema ? schema : "");
	h->table = mem_strdup(table ? table : "");
	return h;
}

static void attrs_free(rs_attr *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].key);
		free(a[i].value);
	}
	free(a);
}

void rs_header_free(rs_header *h)
{
	if (!h)
		return;
	free(h->schema);
	free(h->table);
	attrs_free(h->meta, h->nmeta);
	for (size_t i = 0; i < h->ncols; i++) {
		free(h->cols[i].name);
		free(h->cols[i].type);
		attrs_free(h->cols[i].attrs, h->cols[i].nattr);
	}
	free(h->cols);
	free(h->key);
	free(h);
}

static void attr_push(rs_attr **a, size_t *n, const char *key, const char *value, size_t vlen)
{
	*a = mem_realloc(*a, (*n + 1) * sizeof **a);
	(*a)[*n].key = mem_strdup(key);
	(*a)[*n].value = mem_strndup(value, vlen);
	(*a)[*n].value_len = vlen;
	(*n)++;
}

void rs_header_add_meta(rs_header *h, const char *key, const char *value)
{
	attr_push(&h->meta, &h->nmeta, key, value, strlen(value));
}

const char *rs_header_meta(const rs_header *h, const char *key)
{
	for (size_t i = 0; i < h->nmeta; i++)
		if (strcmp(h->meta[i].key, key) == 0)
			return h->meta[i].value;
	return NULL;
}

size_t rs_header_add_column(rs_header *h, const char *name, const char *type, uint32_t code,
                            uint32_t flags, uint32_t keypos)
{
	h->cols = mem_realloc(h->cols, (h->ncols + 1) * sizeof *h->cols);
	rs_column *c = &h->cols[h->ncols];
	memset(c, 0, sizeof *c);
	c->name = mem_strdup(name);
	c->type = mem_strdup(type ? type : "");
	c->code = code;
	c->flags = flags;
	c->keypos = keypos;
	return h->ncols++;
}

void rs_column_add_attr(rs_column *c, const char *key, const char *value)
{
	attr_push(&c->attrs, &c->nattr, key, value, strlen(value));
}

void rs_column_add_attr_n(rs_column *c, const char *key, const char *value, size_t n)
{
	attr_push(&c->attrs, &c->nattr, key, value, n);
}

const char *rs_column_attr(const rs_column *c, const char *key)
{
	for (size_t i = 0; i < c->nattr; i++)
		if (strcmp(c->attrs[i].key, key) == 0)
			return c->attrs[i].value;
	return NULL;
}

int rs_header_find(const rs_header *h, const char *name)
{
	for (size_t i = 0; i < h->ncols; i++)
		if (strcmp(h->cols[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool rs_header_finish(rs_header *h)
{
	size_t nkey = 0;
	for (size_t i = 0; i < h->ncols; i++)
		if (h->cols[i].keypos)
			nkey++;
	free(h->key);
	h->key = mem_calloc(nkey ? nkey : 1, sizeof *h->key);
	h->nkey = nkey;
	bool *seen = mem_calloc(nkey + 1, sizeof *seen);
	bool ok = true;
	for (size_t i = 0; i < h->ncols; i++) {
		uint32_t kp = h->cols[i].keypos;
		if (!kp)
			continue;
		if (kp > nkey || seen[kp]) {
			log_error("invalid key position %" PRIu32 " of column '%s'", kp, h->cols[i].name);
			ok = false;
			break;
		}
		seen[kp] = true;
		h->key[kp - 1] = i;
	}
	free(seen);
	return ok;
}

rs_header *rs_header_copy(const rs_header *h)
{
	rs_header *c = rs_header_new(h->domain, h->schema, h->table);
	for (size_t i = 0; i < h->nmeta; i++)
		attr_push(&c->meta, &c->nmeta, h->meta[i].key, h->meta[i].value, h->meta[i].value_len);
	for (size_t i = 0; i < h->ncols; i++) {
		const rs_column *s = &h->cols[i];
		size_t k = rs_header_add_column(c, s->name, s->type, s->code, s->flags, s->keypos);
		for (size_t j = 0; j < s->nattr; j++)
			attr_push(&c->cols[k].attrs, &c->cols[k].nattr, s->attrs[j].key, s->attrs[j].value,
			          s->attrs[j].value_len);
	}
	if (!rs_header_finish(c)) {
		rs_header_free(c);
		return NULL;
	}
	return c;
}
