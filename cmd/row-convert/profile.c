/*
 * profile.c - per-column counters of a conversion and their JSON (profile.h).
 */
#include "profile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "rejects.h"

#define PROFILE_EXAMPLES 5

typedef struct pclass {
	const char *name;   /* static */
	const char *action; /* static */
	uint64_t values, rows;
	size_t nex;
	char *ex[PROFILE_EXAMPLES];
} pclass;

/* how min/max compare: by the source type's order */
typedef enum mm_kind { MM_NONE = 0, MM_INT, MM_DECIMAL, MM_FLOAT, MM_TEXT, MM_TIME } mm_kind;

typedef struct pcol {
	pclass *cls;
	size_t ncls;
	uint64_t nulls;
	uint64_t refused; /* values refused, any class */
	mm_kind kind;
	bool have;        /* min/max hold a value */
	buf min, max;     /* source text */
	bool min_neg, max_neg; /* MM_INT */
	uint64_t min_mag, max_mag;
	double min_d, max_d;   /* MM_FLOAT */
	int64_t min_t, max_t;  /* MM_TIME */
	struct dec *min_dec, *max_dec; /* MM_DECIMAL: min and max parsed (pointing into min/max) */
	/* the current row */
	uint32_t row_changed;
	int row_refused; /* class index of the first refusal in this column, -1 none */
} pcol;

struct profile {
	const rs_header *in;
	const convert_column *cols;
	pcol *c;
	uint64_t rows, rows_rejected, rows_changed;
	/* the current row */
	const rs_value *vals;
	bool key_ready;
	buf key;
	long rej_col; /* first column refused in this row (the rejects file's column), -1 none */
	size_t *touched;
	size_t ntouched;
};

static mm_kind kind_of(const convert_column *cc)
{
	switch (cc->map.src) {
	case TM_SRC_INT:
	case TM_SRC_YEAR: return MM_INT;
	case TM_SRC_DECIMAL: return MM_DECIMAL;
	case TM_SRC_FLOAT:
	case TM_SRC_DOUBLE: return MM_FLOAT;
	case TM_SRC_DATE:
	case TM_SRC_DATETIME:
	case TM_SRC_TIMESTAMP: return MM_TEXT;
	case TM_SRC_TIME: return MM_TIME;
	default: return MM_NONE;
	}
}

profile *profile_new(const rs_header *in, const convert_column *cols)
{
	profile *p = mem_calloc(1, sizeof *p);
	p->in = in;
	p->cols = cols;
	p->c = mem_calloc(in->ncols ? in->ncols : 1, sizeof *p->c);
	p->touched = mem_calloc(in->ncols ? in->ncols : 1, sizeof *p->touched);
	for (size_t i = 0; i < in->ncols; i++) {
		p->c[i].kind = kind_of(&cols[i]);
		p->c[i].row_refused = -1;
		buf_init(&p->c[i].min);
		buf_init(&p->c[i].max);
	}
	buf_init(&p->key);
	p->rej_col = -1;
	return p;
}

void profile_free(profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->in->ncols; i++) {
		pcol *c = &p->c[i];
		for (size_t k = 0; k < c->ncls; k++)
			for (size_t e = 0; e < c->cls[k].nex; e++)
				free(c->cls[k].ex[e]);
		free(c->cls);
		buf_free(&c->min);
		buf_free(&c->max);
		free(c->min_dec);
		free(c->max_dec);
	}
	free(p->c);
	free(p->touched);
	buf_free(&p->key);
	free(p);
}

/* ------------------------------------------------------------ rows */

void profile_row_begin(profile *p, const rs_value *vals)
{
	p->rows++;
	p->vals = vals;
	p->key_ready = false;
	p->rej_col = -1;
	p->ntouched = 0;
}

static const char *row_key(profile *p)
{
	if (!p->key_ready) {
		buf_reset(&p->key);
		if (p->in->nkey)
			rejects_format_values(&p->key, p->vals, p->in->key, p->in->nkey);
		else
			buf_printf(&p->key, "#%" PRIu64, p->rows);
		p->key_ready = true;
	}
	return buf_cstr(&p->key);
}

static void touch(profile *p, size_t col)
{
	pcol *c = &p->c[col];
	if (c->row_changed == 0 && c->row_refused < 0)
		p->touched[p->ntouched++] = col;
}

/* the class entry of a column, created on first use */
static size_t class_get(pcol *c, const char *name, const char *action)
{
	for (size_t k = 0; k < c->ncls; k++)
		if (strcmp(c->cls[k].name, name) == 0)
			return k;
	c->cls = mem_realloc(c->cls, (c->ncls + 1) * sizeof *c->cls);
	pclass *n = &c->cls[c->ncls];
	memset(n, 0, sizeof *n);
	n->name = name;
	n->action = action;
	return c->ncls++;
}

static void class_hit(profile *p, pclass *k)
{
	k->values++;
	if (k->nex < PROFILE_EXAMPLES)
		k->ex[k->nex++] = mem_strdup(row_key(p));
}

void profile_null(profile *p, size_t col)
{
	p->c[col].nulls++;
}

void profile_changed(profile *p, size_t col, uint32_t changed)
{
	pcol *c = &p->c[col];
	touch(p, col);
	c->row_changed |= changed;
	for (int k = 0; k < CONVERT_NCLASS; k++)
		if (changed & (1u << k)) {
			size_t i = class_get(c, convert_class_name((convert_class)k),
			                     convert_action_name(p->cols[col].pol.action[k]));
			class_hit(p, &c->cls[i]);
		}
}

void profile_refused(profile *p, size_t col, const char *class_name)
{
	pcol *c = &p->c[col];
	touch(p, col);
	size_t i = class_get(c, class_name, "reject");
	class_hit(p, &c->cls[i]);
	c->refused++;
	if (c->row_refused < 0)
		c->row_refused = (int)i;
	if (p->rej_col < 0)
		p->rej_col = (long)col;
}

bool profile_row_end(profile *p)
{
	bool changed = false, rejected = p->rej_col >= 0;
	if (rejected) {
		pcol *c = &p->c[p->rej_col];
		c->cls[c->row_refused].rows++;
		p->rows_rejected++;
	}
	for (size_t t = 0; t < p->ntouched; t++) {
		pcol *c = &p->c[p->touched[t]];
		if (p->rej_col < 0 && c->row_changed) {
			changed = true;
			for (int k = 0; k < CONVERT_NCLASS; k++)
				if (c->row_changed & (1u << k))
					c->cls[class_get(c, convert_class_name((convert_class)k), "")].rows++;
		}
		c->row_changed = 0;
		c->row_refused = -1;
	}
	if (changed)
		p->rows_changed++;
	p->ntouched = 0;
	return rejected;
}

uint64_t profile_rows_rejected(const profile *p)
{
	return p->rows_rejected;
}

uint64_t profile_rows_changed(const profile *p)
{
	return p->rows_changed;
}

/* ------------------------------------------------------------ min / max */

typedef struct dec dec;
static bool dec_parse(const uint8_t *s, size_t n, dec *d);

static bool parse_int(const uint8_t *s, size_t n, bool *neg, uint64_t *mag)
{
	size_t i = 0;
	*neg = false;
	*mag = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		*neg = s[i++] == '-';
	if (i == n)
		return false;
	size_t start = i;
	uint64_t m = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		uint64_t d = (uint64_t)(s[i] - '0');
		/* 19 digits never overflow; past that, check */
		if (i - start >= 19 && m > (UINT64_MAX - d) / 10)
			return false;
		m = m * 10 + d;
	}
	*mag = m;
	if (m == 0)
		*neg = false;
	return true;
}

static int cmp_int(bool an, uint64_t am, bool bn, uint64_t bm)
{
	if (an != bn)
		return an ? -1 : 1;
	int c = am < bm ? -1 : am > bm;
	return an ? -c : c;
}

/* decimal text "[-]digits[.digits]": sign, integer digits without leading zeros, fraction
 * digits without trailing zeros */
struct dec {
	bool neg;
	const uint8_t *ip, *fp;
	size_t il, fl;
};

static bool dec_parse(const uint8_t *s, size_t n, dec *d)
{
	size_t i = 0;
	memset(d, 0, sizeof *d);
	if (i < n && (s[i] == '-' || s[i] == '+'))
		d->neg = s[i++] == '-';
	size_t is = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	size_t ie = i, fs = i, fe = i;
	if (i < n && s[i] == '.') {
		fs = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		fe = i;
	}
	if (i != n || (ie == is && fe == fs))
		return false;
	while (is < ie && s[is] == '0')
		is++;
	while (fe > fs && s[fe - 1] == '0')
		fe--;
	d->ip = s + is;
	d->il = ie - is;
	d->fp = s + fs;
	d->fl = fe - fs;
	if (d->il == 0 && d->fl == 0)
		d->neg = false;
	return true;
}

/* d = v, parsed from `from`, pointing into the copy `to` of the same text */
static void dec_rebase(dec *d, const dec *v, const uint8_t *from, const uint8_t *to)
{
	*d = *v;
	d->ip = to + (v->ip - from);
	d->fp = to + (v->fp - from);
}

static int dec_cmp(const dec *a, const dec *b)
{
	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	int c;
	if (a->il != b->il)
		c = a->il < b->il ? -1 : 1;
	else {
		c = a->il ? memcmp(a->ip, b->ip, a->il) : 0;
		if (c == 0) {
			size_t m = a->fl < b->fl ? a->fl : b->fl;
			c = m ? memcmp(a->fp, b->fp, m) : 0;
			if (c == 0 && a->fl != b->fl)
				c = a->fl < b->fl ? -1 : 1;
		}
		c = c < 0 ? -1 : c > 0;
	}
	return a->neg ? -c : c;
}

static bool parse_double(const uint8_t *s, size_t n, double *d)
{
	char tmp[400];
	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	char *e;
	errno = 0;
	*d = strtod(tmp, &e);
	return *e == 0;
}

/* "[-]h+:mm:ss[.ffffff]" -> microseconds */
static bool parse_time(const uint8_t *s, size_t n, int64_t *us)
{
	size_t i = 0;
	bool neg = i < n && s[i] == '-';
	if (neg)
		i++;
	int64_t part[3] = {0, 0, 0};
	for (int k = 0; k < 3; k++) {
		size_t st = i;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 9)
			part[k] = part[k] * 10 + (s[i++] - '0');
		if (i == st || (k < 2 && (i >= n || s[i++] != ':')))
			return false;
	}
	int64_t f = 0;
	int fd = 0;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9' && fd < 6; i++, fd++)
			f = f * 10 + (s[i] - '0');
	if (i != n)
		return false;
	for (; fd < 6; fd++)
		f *= 10;
	*us = ((part[0] * 60 + part[1]) * 60 + part[2]) * 1000000 + f;
	if (neg)
		*us = -*us;
	return true;
}

static int text_cmp(const uint8_t *in, size_t n, const buf *b)
{
	int r = memcmp(in, b->data, n < b->len ? n : b->len);
	return r ? r : n < b->len ? -1 : n > b->len;
}

static void set_text(buf *b, const uint8_t *in, size_t n)
{
	buf_reset(b);
	buf_append(b, in, n);
}

void profile_ok(profile *p, size_t col, const uint8_t *in, size_t n)
{
	pcol *c = &p->c[col];
	bool lo = !c->have, hi = !c->have;
	switch (c->kind) {
	case MM_NONE:
		return;
	case MM_INT: {
		bool neg;
		uint64_t mag;
		if (!parse_int(in, n, &neg, &mag))
			return;
		hi = hi || cmp_int(neg, mag, c->max_neg, c->max_mag) > 0;
		lo = lo || (!hi && cmp_int(neg, mag, c->min_neg, c->min_mag) < 0);
		if (lo) {
			c->min_neg = neg;
			c->min_mag = mag;
		}
		if (hi) {
			c->max_neg = neg;
			c->max_mag = mag;
		}
		break;
	}
	case MM_DECIMAL: {
		dec v;
		if (!dec_parse(in, n, &v))
			return;
		hi = hi || dec_cmp(&v, c->max_dec) > 0;
		lo = lo || (!hi && dec_cmp(&v, c->min_dec) < 0);
		if (lo) {
			set_text(&c->min, in, n);
			if (!c->min_dec)
				c->min_dec = mem_alloc(sizeof *c->min_dec);
			dec_rebase(c->min_dec, &v, in, c->min.data);
		}
		if (hi) {
			set_text(&c->max, in, n);
			if (!c->max_dec)
				c->max_dec = mem_alloc(sizeof *c->max_dec);
			dec_rebase(c->max_dec, &v, in, c->max.data);
		}
		c->have = true;
		return;
	}
	case MM_FLOAT: {
		double d;
		if (!parse_double(in, n, &d))
			return;
		lo = lo || d < c->min_d;
		hi = hi || d > c->max_d;
		if (lo)
			c->min_d = d;
		if (hi)
			c->max_d = d;
		break;
	}
	case MM_TEXT:
		/* dates and date-times as MySQL prints them (fixed-width fields) order as bytes */
		hi = hi || text_cmp(in, n, &c->max) > 0;
		lo = lo || (!hi && text_cmp(in, n, &c->min) < 0);
		break;
	case MM_TIME: {
		int64_t t;
		if (!parse_time(in, n, &t))
			return;
		lo = lo || t < c->min_t;
		hi = hi || t > c->max_t;
		if (lo)
			c->min_t = t;
		if (hi)
			c->max_t = t;
		break;
	}
	}
	if (lo)
		set_text(&c->min, in, n);
	if (hi)
		set_text(&c->max, in, n);
	c->have = true;
}

/* ------------------------------------------------------------ JSON */

/* length of the valid UTF-8 sequence at s (1..4), 0 when invalid */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
		return 0;
	return len;
}

/* a JSON string; bytes that are not UTF-8 become U+FFFD */
static void json_str(buf *b, const void *v, size_t n)
{
	const uint8_t *s = v;
	buf_putc(b, '"');
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, c);
			i++;
		} else if (c < 0x20) {
			buf_printf(b, "\\u%04x", c);
			i++;
		} else {
			size_t l = utf8_len(s + i, n - i);
			if (l == 0) {
				buf_puts(b, "\\ufffd");
				i++;
			} else {
				buf_append(b, s + i, l);
				i += l;
			}
		}
	}
	buf_putc(b, '"');
}

static void json_cstr(buf *b, const char *s)
{
	json_str(b, s ? s : "", s ? strlen(s) : 0);
}

/* the narrower exact type: an unsigned integer column whose values all fit the signed type of
 * its own width, when the type map chose a wider one (int unsigned: bigint -> integer) */
static void print_fit(buf *b, const profile *p, size_t i)
{
	const pcol *c = &p->c[i];
	const typemap_result *m = &p->cols[i].map;
	const char *type = NULL;
	if (c->kind == MM_INT && c->have && c->refused == 0 && m->src == TM_SRC_INT && m->src_unsigned && !m->tinyint1 &&
	    !c->min_neg) {
		if (m->src_bits == 64 && m->pg == TM_PG_NUMERIC && c->max_mag <= (uint64_t)INT64_MAX)
			type = "bigint";
		else if (m->src_bits == 32 && m->pg == TM_PG_INT8 && c->max_mag <= (uint64_t)INT32_MAX)
			type = "integer";
		else if (m->src_bits == 16 && m->pg == TM_PG_INT4 && c->max_mag <= (uint64_t)INT16_MAX)
			type = "smallint";
	}
	if (!type) {
		buf_puts(b, "null");
		return;
	}
	buf check;
	buf_init(&check);
	buf_putc(&check, '"');
	for (const char *s = p->in->cols[i].name; *s; s++) {
		if (*s == '"')
			buf_putc(&check, '"');
		buf_putc(&check, (uint8_t)*s);
	}
	buf_puts(&check, "\" >= 0");
	buf_puts(b, "{\"type\":");
	json_cstr(b, type);
	buf_puts(b, ",\"check\":");
	json_str(b, check.data, check.len);
	buf_putc(b, '}');
	buf_free(&check);
}

static void print_column(buf *b, const profile *p, size_t i)
{
	const pcol *c = &p->c[i];
	const rs_column *src = &p->in->cols[i];
	buf_puts(b, "{\"name\":");
	json_cstr(b, src->name);
	buf_puts(b, ",\"source_type\":");
	json_cstr(b, src->type);
	buf_puts(b, ",\"pg_type\":");
	json_cstr(b, p->cols[i].map.pg_type);
	buf_puts(b, ",\"classes\":{");
	for (size_t k = 0; k < c->ncls; k++) {
		const pclass *e = &c->cls[k];
		if (k)
			buf_putc(b, ',');
		json_cstr(b, e->name);
		buf_puts(b, ":{\"action\":");
		json_cstr(b, e->action);
		buf_printf(b, ",\"values\":%" PRIu64 ",\"rows\":%" PRIu64 ",\"examples\":[", e->values, e->rows);
		for (size_t x = 0; x < e->nex; x++) {
			if (x)
				buf_putc(b, ',');
			json_cstr(b, e->ex[x]);
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, "},\"fit\":");
	print_fit(b, p, i);
	buf_printf(b, ",\"nulls\":%" PRIu64, c->nulls);
	if (c->kind != MM_NONE) {
		if (c->have) {
			buf_puts(b, ",\"min\":");
			json_str(b, c->min.data, c->min.len);
			buf_puts(b, ",\"max\":");
			json_str(b, c->max.data, c->max.len);
		} else
			buf_puts(b, ",\"min\":null,\"max\":null");
	}
	buf_putc(b, '}');
}

bool profile_print(const profile *p, int fd)
{
	buf b;
	buf_init(&b);
	buf_puts(&b, "{\"schema\":");
	json_cstr(&b, p->in->schema);
	buf_puts(&b, ",\"table\":");
	json_cstr(&b, p->in->table);
	buf_printf(&b,
	           ",\"rows\":%" PRIu64 ",\"rows_ok\":%" PRIu64 ",\"rows_rejected\":%" PRIu64
	           ",\"rows_changed\":%" PRIu64 ",\"columns\":[",
	           p->rows, p->rows - p->rows_rejected, p->rows_rejected, p->rows_changed);
	for (size_t i = 0; i < p->in->ncols; i++) {
		if (i)
			buf_putc(&b, ',');
		print_column(&b, p, i);
	}
	buf_puts(&b, "]}\n");
	bool ok = true;
	for (size_t off = 0; off < b.len;) {
		ssize_t w = write(fd, b.data + off, b.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			log_errno("stdout: unable to write the profile");
			ok = false;
			break;
		}
		off += (size_t)w;
	}
	buf_free(&b);
	return ok;
}
