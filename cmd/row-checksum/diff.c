/*
 * diff.c - row-checksum --diff: the rows that differ between two streams.
 *
 * Both streams are read at once, a row at a time, and rows are matched by
 * key (the encoded key values; for streams without a key, by row number).
 *
 * When every key column has a type whose order is the same in MySQL,
 * PostgreSQL and keyorder.h (numbers, dates and times, binary strings), the
 * streams are merged: the side whose last key is smaller is read next, a row
 * whose key the other side has already passed is reported at once as missing
 * there, and at most a row or two wait for their partner. Such streams must
 * be in key order (extractors write them so); one that is not stops the
 * comparison with an error, since rows reported missing may not have been.
 *
 * Keys of other types (text under a collation, enums, uuids) are sorted
 * differently by each server, so rows are matched by key through the table
 * of waiting rows, reading the streams alternately; rows on one side only
 * are reported at the end. Memory then grows with the number of rows out of
 * step between the streams (documented in row-checksum(1)).
 *
 * Values up to BIG_VALUE bytes are kept and compared byte for byte; longer
 * ones (large values included) by length and XXH3-128, and shown as
 * <N bytes, xxh3 HEX>.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xxhash.h>

#include "cli.h"
#include "exitcodes.h"
#include "hex.h"
#include "keyorder.h"
#include "log.h"
#include "rc.h"
#include "rowdigest.h"

#define BIG_VALUE (64u << 10)

typedef struct sval {
	bool null, big;
	uint64_t len;
	uint8_t *data; /* !big: the value */
	rowhash hash;  /* big: XXH3-128 of the value */
} sval;

typedef struct keyref {
	buf enc;       /* encoded key values, or the row number as u64 big-endian */
	rs_value *kv;  /* decoded key values (into enc) */
	uint64_t num;  /* row number in its stream, from 1 */
} keyref;

typedef struct srow {
	struct srow *hnext;       /* chain of the table of waiting rows */
	struct srow *prev, *next; /* waiting rows in arrival order */
	uint64_t khash;
	keyref k;
	sval *v;
} srow;

typedef struct waiting {
	srow **tab;
	size_t cap, n;
	srow *head, *tail;
} waiting;

typedef struct side {
	char tag; /* '<' (A) or '>' (B) */
	const char *label;
	char *name;
	int fd;
	rs_reader *r;
	const rs_header *h;
	bool eof;
	keyref last;
	bool have_last;
	waiting w;
	bool *user_array; /* per column: rowdigest_user_array() */
	uint8_t *chunk;
	XXH3_state_t *st;
} side;

typedef struct diff {
	side s[2];
	const rs_header *ha; /* the key order is A's */
	size_t ncols, nkey;
	bool merge; /* key order is known to agree: merge, report missing rows early */
	rc_diff_opts o;
	outbuf out;
	buf t1, t2;
	uint64_t changed, only[2], same;
	bool failed;
} diff;

/* ---------------------------------------------------------------- rows */

static void keyref_init(keyref *k) { memset(k, 0, sizeof *k); buf_init(&k->enc); }

static void keyref_free(keyref *k)
{
	buf_free(&k->enc);
	free(k->kv);
}

static void keyref_decode(keyref *k, size_t nkey)
{
	if (!nkey)
		return;
	if (!k->kv)
		k->kv = mem_calloc(nkey, sizeof *k->kv);
	/* cannot fail: enc was made by rs_encode_value */
	if (!rs_decode_values(k->enc.data, k->enc.len, nkey, k->kv))
		abort();
}

static void keyref_copy(keyref *dst, const keyref *src, size_t nkey)
{
	buf_reset(&dst->enc);
	buf_append(&dst->enc, src->enc.data, src->enc.len);
	dst->num = src->num;
	keyref_decode(dst, nkey);
}

static void srow_free(srow *r, size_t ncols)
{
	if (!r)
		return;
	for (size_t i = 0; i < ncols; i++)
		free(r->v[i].data);
	free(r->v);
	keyref_free(&r->k);
	free(r);
}

static int key_cmp(const diff *d, const keyref *a, const keyref *b)
{
	if (d->nkey == 0)
		return (a->num > b->num) - (a->num < b->num);
	return keyorder_cmp(d->ha, a->kv, b->kv);
}

static bool key_same(const keyref *a, const keyref *b)
{
	return a->enc.len == b->enc.len && memcmp(a->enc.data, b->enc.data, a->enc.len) == 0;
}

/* reads the next row of s: 1 a row, 0 end, -1 error */
static int side_read(diff *d, side *s, srow **out)
{
	int k = rs_reader_next(s->r);
	if (k <= 0)
		return k;
	const rs_value *v = rs_reader_values(s->r);
	srow *row = mem_calloc(1, sizeof *row);
	keyref_init(&row->k);
	row->v = mem_calloc(d->ncols, sizeof *row->v);
	row->k.num = rs_reader_rows(s->r);
	if (d->nkey) {
		for (size_t i = 0; i < d->nkey; i++) {
			const rs_value *kv = &v[s->h->key[i]];
			rs_encode_value(&row->k.enc, kv->data, (size_t)kv->len, kv->null);
		}
		keyref_decode(&row->k, d->nkey);
	} else {
		buf_put_u64be(&row->k.enc, row->k.num);
	}
	row->khash = XXH3_64bits(row->k.enc.data, row->k.enc.len);
	for (size_t i = 0; i < d->ncols; i++) {
		sval *sv = &row->v[i];
		sv->null = v[i].null;
		sv->len = v[i].len;
		if (sv->null)
			continue;
		sv->big = sv->len > BIG_VALUE;
		/* element type OIDs of user-type arrays are not compared (rowdigest.h) */
		bool ua = s->user_array[i];
		if (!v[i].chunked) {
			if (sv->big && !ua) {
				sv->hash = rowdigest_hash_bytes(v[i].data, (size_t)v[i].len);
			} else if (sv->big) {
				uint8_t head[12];
				memcpy(head, v[i].data, sizeof head);
				rowdigest_zero_elem(head, sizeof head, 0);
				XXH3_128bits_reset(s->st);
				XXH3_128bits_update(s->st, head, sizeof head);
				XXH3_128bits_update(s->st, v[i].data + sizeof head, (size_t)v[i].len - sizeof head);
				XXH128_hash_t hh = XXH3_128bits_digest(s->st);
				sv->hash.lo = hh.low64;
				sv->hash.hi = hh.high64;
			} else {
				sv->data = mem_alloc(sv->len ? (size_t)sv->len : 1);
				if (sv->len)
					memcpy(sv->data, v[i].data, (size_t)sv->len);
				if (ua)
					rowdigest_zero_elem(sv->data, (size_t)sv->len, 0);
			}
			continue;
		}
		/* a large value: keep it when small enough, else hash it as it goes by */
		if (!s->chunk)
			s->chunk = mem_alloc(RS_CHUNK_BYTES);
		if (!sv->big)
			sv->data = mem_alloc((size_t)sv->len);
		else
			XXH3_128bits_reset(s->st);
		uint64_t got = 0;
		long long n;
		while ((n = rs_reader_value_read(s->r, i, s->chunk, RS_CHUNK_BYTES)) > 0) {
			if (got + (uint64_t)n > sv->len)
				break;
			if (ua)
				rowdigest_zero_elem(s->chunk, (size_t)n, got);
			if (sv->big)
				XXH3_128bits_update(s->st, s->chunk, (size_t)n);
			else
				memcpy(sv->data + got, s->chunk, (size_t)n);
			got += (uint64_t)n;
		}
		if (n < 0 || got != sv->len) {
			if (n >= 0)
				log_error("%s: large value of column '%s' has the wrong length", s->name, s->h->cols[i].name);
			srow_free(row, d->ncols);
			return -1;
		}
		if (sv->big) {
			XXH128_hash_t hh = XXH3_128bits_digest(s->st);
			sv->hash.lo = hh.low64;
			sv->hash.hi = hh.high64;
		}
	}
	*out = row;
	return 1;
}

static bool sval_equal(const sval *a, const sval *b)
{
	if (a->null || b->null)
		return a->null == b->null;
	if (a->len != b->len || a->big != b->big)
		return false;
	if (a->big)
		return rowhash_equal(a->hash, b->hash);
	return a->len == 0 || memcmp(a->data, b->data, (size_t)a->len) == 0;
}

/* ---------------------------------------------------------------- waiting rows */

static void waiting_grow(waiting *w)
{
	size_t cap = w->cap ? w->cap * 2 : 64;
	srow **tab = mem_calloc(cap, sizeof *tab);
	for (size_t i = 0; i < w->cap; i++) {
		srow *r = w->tab[i];
		while (r) {
			srow *nx = r->hnext;
			size_t b = (size_t)(r->khash & (cap - 1));
			r->hnext = tab[b];
			tab[b] = r;
			r = nx;
		}
	}
	free(w->tab);
	w->tab = tab;
	w->cap = cap;
}

/* chains keep the oldest row of a key first: rows are appended at the chain's end */
static void waiting_add(waiting *w, srow *r)
{
	if (w->n + 1 > w->cap / 2)
		waiting_grow(w);
	srow **pp = &w->tab[r->khash & (w->cap - 1)];
	while (*pp)
		pp = &(*pp)->hnext;
	r->hnext = NULL;
	*pp = r;
	r->prev = w->tail;
	r->next = NULL;
	if (w->tail)
		w->tail->next = r;
	else
		w->head = r;
	w->tail = r;
	w->n++;
}

/* removes and returns the oldest waiting row with the key of k, or NULL */
static srow *waiting_take(waiting *w, const srow *k)
{
	if (!w->n)
		return NULL;
	srow **pp = &w->tab[k->khash & (w->cap - 1)];
	for (; *pp; pp = &(*pp)->hnext) {
		srow *r = *pp;
		if (r->khash != k->khash || !key_same(&r->k, &k->k))
			continue;
		*pp = r->hnext;
		if (r->prev)
			r->prev->next = r->next;
		else
			w->head = r->next;
		if (r->next)
			r->next->prev = r->prev;
		else
			w->tail = r->prev;
		w->n--;
		return r;
	}
	return NULL;
}

/* ---------------------------------------------------------------- reporting */

static void put_key(diff *d, const side *s, const srow *r)
{
	if (d->nkey == 0) {
		buf_printf(&d->out.b, "#%" PRIu64, r->k.num);
		return;
	}
	buf_reset(&d->t1);
	if (!rc_render_key(&d->t1, s->h, r->k.kv)) {
		buf_reset(&d->t1);
		buf_puts(&d->t1, "(key not valid for its type)");
	}
	buf_append(&d->out.b, d->t1.data, d->t1.len);
}

static void put_value(diff *d, const side *s, size_t col, const sval *v)
{
	buf *o = &d->out.b;
	buf_printf(o, " %s=", s->h->cols[col].name);
	if (v->null) {
		buf_puts(o, "NULL");
		return;
	}
	if (v->big) {
		char hx[ROWDIGEST_HEX];
		rowhash_hex(v->hash, hx);
		buf_printf(o, "<%" PRIu64 " bytes, xxh3 %s>", v->len, hx);
		return;
	}
	buf_reset(&d->t2);
	if (!rc_render_value(&d->t2, s->h->domain, &s->h->cols[col], v->data, (size_t)v->len)) {
		buf_puts(o, "<not valid for its type: \\x");
		hex_append(o, v->data, v->len > 64 ? 64 : (size_t)v->len);
		buf_puts(o, v->len > 64 ? "...>" : ">");
		return;
	}
	rc_quote_display(o, d->t2.data, d->t2.len, d->o.show_max);
}

static void report_only(diff *d, int which, srow *r)
{
	side *s = &d->s[which];
	for (int j = 0; j < 2; j++) {
		buf_putc(&d->out.b, (uint8_t)d->s[j].tag);
		buf_putc(&d->out.b, ' ');
		put_key(d, s, r);
		if (j == which) {
			for (size_t i = 0; i < d->ncols; i++)
				put_value(d, s, i, &r->v[i]);
		} else {
			buf_puts(&d->out.b, " (missing)");
		}
		buf_putc(&d->out.b, '\n');
	}
	d->only[which]++;
	outbuf_maybe_flush(&d->out);
	srow_free(r, d->ncols);
}

static void report_pair(diff *d, srow *a, srow *b)
{
	bool any = false;
	for (size_t i = 0; i < d->ncols && !any; i++)
		any = !sval_equal(&a->v[i], &b->v[i]);
	if (!any) {
		d->same++;
	} else {
		srow *rows[2] = {a, b};
		for (int j = 0; j < 2; j++) {
			buf_putc(&d->out.b, (uint8_t)d->s[j].tag);
			buf_putc(&d->out.b, ' ');
			put_key(d, &d->s[j], rows[j]);
			for (size_t i = 0; i < d->ncols; i++)
				if (!sval_equal(&a->v[i], &b->v[i]))
					put_value(d, &d->s[j], i, &rows[j]->v[i]);
			buf_putc(&d->out.b, '\n');
		}
		d->changed++;
		outbuf_maybe_flush(&d->out);
	}
	srow_free(a, d->ncols);
	srow_free(b, d->ncols);
}

/* ---------------------------------------------------------------- the merge */

/* a row r arrived from side x; false when a merged stream is out of order */
static bool arrive(diff *d, int x, srow *r)
{
	side *s = &d->s[x], *o = &d->s[1 - x];
	if (d->merge && s->have_last && key_cmp(d, &r->k, &s->last) < 0) {
		buf_reset(&d->t1);
		if (d->nkey)
			rc_render_key(&d->t1, s->h, r->k.kv);
		log_error("%s is not in key order at row %" PRIu64 " (key %s): --diff needs streams ordered by their key",
		          s->name, r->k.num, buf_cstr(&d->t1));
		srow_free(r, d->ncols);
		return false;
	}
	keyref_copy(&s->last, &r->k, d->nkey);
	s->have_last = true;

	srow *m = waiting_take(&o->w, r);
	if (m) {
		if (x == 0)
			report_pair(d, r, m);
		else
			report_pair(d, m, r);
	} else if (o->eof || (d->merge && o->have_last && key_cmp(d, &r->k, &o->last) < 0)) {
		report_only(d, x, r); /* the other side has passed this key */
	} else {
		waiting_add(&s->w, r);
	}
	/* rows of the other side that this side has passed */
	while (d->merge && o->w.head && key_cmp(d, &o->w.head->k, &s->last) < 0) {
		srow *t = waiting_take(&o->w, o->w.head);
		report_only(d, 1 - x, t);
	}
	return true;
}

static void flush_waiting(diff *d, int x)
{
	side *s = &d->s[x];
	while (s->w.head) {
		srow *t = waiting_take(&s->w, s->w.head);
		report_only(d, x, t);
	}
}

static bool side_open(side *s, const char *path)
{
	const char *name;
	s->fd = cli_open_read(path, &name);
	if (s->fd < 0)
		return false;
	s->name = mem_strdup(name);
	return true;
}

static void side_close(diff *d, side *s)
{
	if (s->r)
		rs_reader_free(s->r);
	if (!cli_close(s->fd, s->name)) {
		/* logged; an input: nothing was lost */
	}
	while (s->w.head) {
		srow *t = waiting_take(&s->w, s->w.head);
		srow_free(t, d->ncols);
	}
	free(s->w.tab);
	keyref_free(&s->last);
	free(s->chunk);
	free(s->user_array);
	if (s->st)
		XXH3_freeState(s->st);
	free(s->name);
}

/* headers that cannot be compared row by row: reported as a difference */
static bool headers_comparable(diff *d)
{
	const rs_header *a = d->s[0].h, *b = d->s[1].h;
	buf *o = &d->out.b;
	if (a->ncols != b->ncols) {
		buf_printf(o, "! columns differ: A has %zu, B has %zu\n", a->ncols, b->ncols);
		return false;
	}
	bool keys = a->nkey == b->nkey;
	for (size_t i = 0; keys && i < a->nkey; i++)
		keys = a->key[i] == b->key[i];
	if (!keys) {
		buf_puts(o, "! primary keys differ: A (");
		for (size_t i = 0; i < a->nkey; i++)
			buf_printf(o, "%s%s", i ? "," : "", a->cols[a->key[i]].name);
		buf_puts(o, "), B (");
		for (size_t i = 0; i < b->nkey; i++)
			buf_printf(o, "%s%s", i ? "," : "", b->cols[b->key[i]].name);
		buf_puts(o, ")\n");
		return false;
	}
	if (a->domain != b->domain)
		log_warn("A and B hold values of different domains (mysql and postgresql): values will differ");
	for (size_t i = 0; i < a->ncols; i++)
		if (strcmp(a->cols[i].name, b->cols[i].name) != 0)
			log_info("column %zu is '%s' in A and '%s' in B", i + 1, a->cols[i].name, b->cols[i].name);
	return true;
}

int rc_diff(const char *path_a, const char *path_b, const rc_diff_opts *opts)
{
	diff d;
	memset(&d, 0, sizeof d);
	d.o = *opts;
	outbuf_init(&d.out, STDOUT_FILENO);
	buf_init(&d.t1);
	buf_init(&d.t2);
	int rc = EXIT_OK;
	const char *paths[2] = {path_a, path_b};
	for (int j = 0; j < 2; j++) {
		side *s = &d.s[j];
		s->tag = j ? '>' : '<';
		s->label = j ? "B" : "A";
		s->fd = -1;
		keyref_init(&s->last);
		s->st = XXH3_createState();
	}
	if (strcmp(path_a, "-") == 0 && strcmp(path_b, "-") == 0) {
		log_error("--diff: only one of A and B can be stdin");
		rc = EXIT_USAGE;
		goto out;
	}
	for (int j = 0; j < 2; j++) {
		side *s = &d.s[j];
		if (!side_open(s, paths[j])) {
			rc = EXIT_IO;
			goto out;
		}
		s->r = rs_reader_new(s->fd, s->name);
		if (!s->r) {
			rc = EXIT_STREAM;
			goto out;
		}
		s->h = rs_reader_header(s->r);
		s->user_array = mem_calloc(s->h->ncols, sizeof *s->user_array);
		for (size_t c = 0; c < s->h->ncols; c++)
			s->user_array[c] = rowdigest_user_array(s->h, c);
	}
	d.ha = d.s[0].h;
	d.ncols = d.ha->ncols;
	d.nkey = d.ha->nkey;
	if (!headers_comparable(&d)) {
		rc = EXIT_FOUND;
		goto out;
	}
	d.merge = d.nkey == 0 || (keyorder_agrees(d.s[0].h) && keyorder_agrees(d.s[1].h));
	log_debug("%s", d.merge ? "merging by key" : "matching by key in memory");
	int turn = 0;
	while (!d.s[0].eof || !d.s[1].eof) {
		int x;
		if (d.s[0].eof)
			x = 1;
		else if (d.s[1].eof)
			x = 0;
		else if (!d.s[0].have_last)
			x = 0;
		else if (!d.s[1].have_last)
			x = 1;
		else if (d.merge)
			x = key_cmp(&d, &d.s[0].last, &d.s[1].last) <= 0 ? 0 : 1;
		else
			x = turn, turn = 1 - turn;
		srow *r = NULL;
		int k = side_read(&d, &d.s[x], &r);
		if (k < 0) {
			rc = EXIT_STREAM;
			goto out;
		}
		if (k == 0) {
			d.s[x].eof = true;
			flush_waiting(&d, 1 - x); /* nothing can match them any more */
			continue;
		}
		if (!arrive(&d, x, r)) {
			rc = EXIT_STREAM;
			goto out;
		}
		if (d.out.failed)
			break;
	}
	flush_waiting(&d, 0);
	flush_waiting(&d, 1);
	uint64_t ndiff = d.changed + d.only[0] + d.only[1];
	if (ndiff)
		log_notice("%" PRIu64 " row%s differ%s: %" PRIu64 " changed, %" PRIu64 " only in A (%s), %" PRIu64
		           " only in B (%s); %" PRIu64 " equal",
		           ndiff, ndiff == 1 ? "" : "s", ndiff == 1 ? "s" : "", d.changed, d.only[0], d.s[0].name, d.only[1],
		           d.s[1].name, d.same);
	else
		log_info("%s and %s hold the same %" PRIu64 " rows", d.s[0].name, d.s[1].name, d.same);
	rc = ndiff ? EXIT_FOUND : EXIT_OK;
out:
	if (!outbuf_close(&d.out) && (rc == EXIT_OK || rc == EXIT_FOUND))
		rc = EXIT_IO;
	for (int j = 0; j < 2; j++)
		side_close(&d, &d.s[j]);
	buf_free(&d.t1);
	buf_free(&d.t2);
	return rc;
}
