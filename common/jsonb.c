#include "jsonb.h"

#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "hex.h"
#include "numeric.h"

/* the parser's arrays are kept for the next value up to this size in all */
#define JSONB_KEEP_BYTES (1u << 20)

/* JV_RAW: a string without escapes, a..a+b of the input (printed as it is written) */
enum { JV_NULL, JV_TRUE, JV_FALSE, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT, JV_RAW };

typedef struct jv {
	uint8_t type;
	size_t a; /* string/number: offset in pool; array/object: first index in kids */
	size_t b; /* string/number: length; array: elements; object: pairs */
} jv;

typedef struct jpair {
	const uint8_t *key;
	size_t klen;
	size_t order;
	size_t knode, vnode;
} jpair;

typedef struct jparse {
	const uint8_t *in, *p, *end;
	jv *nodes;
	size_t nnodes, capnodes;
	size_t *kids; /* children of finished containers (objects: key, value, key, value...) */
	size_t nkids, capkids;
	size_t *stack; /* children of open containers */
	size_t nstack, capstack;
	jpair *pairs; /* an object's pairs while they are sorted */
	size_t cappairs;
	struct jmember *members; /* members of the objects being written (emit_container) */
	size_t nmembers, capmembers;
	buf pool; /* decoded strings and number texts */
	numeric_dec num;
	const char *err;
	bool json_only; /* json_in's rules: syntax only (no \u0000, surrogate or numeric checks) */
	jsonb_dups dups; /* which of duplicate keys is kept, or none (refused) */
	bool had_dups;   /* an object had a key twice */
} jparse;


static void push(size_t **v, size_t *n, size_t *cap, size_t x)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = mem_realloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = x;
}

static size_t new_node(jparse *j, uint8_t type, size_t a, size_t b)
{
	if (j->nnodes == j->capnodes) {
		j->capnodes = j->capnodes ? j->capnodes * 2 : 64;
		j->nodes = mem_realloc(j->nodes, j->capnodes * sizeof *j->nodes);
	}
	j->nodes[j->nnodes] = (jv){ type, a, b };
	return j->nnodes++;
}

static inline void skip_ws(jparse *j)
{
	/* most calls are at a token already: one compare */
	while (j->p < j->end && *j->p <= ' ' && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* from p, the length of the longest run of bytes that a string holds as they are (0x20 to 0x7F
 * but '"' and '\\'), eight at a time while eight are there */
static inline size_t plain_run(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *q = p;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (end - q >= 8) {
		uint64_t w;
		memcpy(&w, q, 8);
		uint64_t quote = w ^ (ONES * '"'), bslash = w ^ (ONES * '\\');
		/* a lane is marked when its byte is >= 0x80, < 0x20, '"' or '\\' (the lowest mark is exact) */
		uint64_t stop = (w | ((w - ONES * 0x20) & ~w) | ((quote - ONES) & ~quote) | ((bslash - ONES) & ~bslash)) &
		                HIGHS;
		if (stop)
			return (size_t)(q - p) + ((size_t)__builtin_ctzll(stop) >> 3);
		q += 8;
	}
#endif
	while (q < end && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
		q++;
	return (size_t)(q - p);
}

static bool read_u4(jparse *j, uint32_t *v)
{
	if (j->end - j->p < 4) {
		j->err = "invalid json: bad \\u escape";
		return false;
	}
	uint32_t x = 0;
	for (int i = 0; i < 4; i++) {
		int h = hex_value(j->p[i]);
		if (h < 0) {
			j->err = "invalid json: bad \\u escape";
			return false;
		}
		x = x << 4 | (uint32_t)h;
	}
	j->p += 4;
	*v = x;
	return true;
}

/* at the opening quote; a string without escapes is left in the input (*type JV_RAW, *off
 * its offset there), any other is decoded into the pool (JV_STRING, *off in the pool) */
static bool parse_string_rest(jparse *j, const uint8_t *start, uint8_t *type, size_t *off, size_t *len);

/* at the opening quote; the usual string (printable ASCII, no escape) without a call */
static inline bool parse_string(jparse *j, uint8_t *type, size_t *off, size_t *len)
{
	const uint8_t *start = j->p + 1;
	const uint8_t *q = start + plain_run(start, j->end);
	if (q < j->end && *q == '"') {
		*type = JV_RAW;
		*off = (size_t)(start - j->in);
		*len = (size_t)(q - start);
		j->p = q + 1;
		return true;
	}
	j->p = q;
	return parse_string_rest(j, start, type, off, len);
}

/* the rest of a string that starts at start, from j->p (after its first plain run) */
static bool parse_string_rest(jparse *j, const uint8_t *start, uint8_t *type, size_t *off, size_t *len)
{
	for (;;) {
		j->p += plain_run(j->p, j->end);
		if (j->p < j->end && *j->p >= 0x80) {
			int r = charset_utf8_seq(j->p, (size_t)(j->end - j->p));
			if (r <= 0) {
				j->err = "invalid UTF-8 in json";
				return false;
			}
			j->p += r;
			continue;
		}
		break;
	}
	if (j->p < j->end && *j->p == '"') {
		*type = JV_RAW;
		*off = (size_t)(start - j->in);
		*len = (size_t)(j->p - start);
		j->p++;
		return true;
	}
	/* an escape (or an error): decoded from the start into the pool */
	*type = JV_STRING;
	*off = j->pool.len;
	buf_append(&j->pool, start, (size_t)(j->p - start));
	for (;;) {
		const uint8_t *run = j->p;
		while (j->p < j->end && *j->p >= 0x20 && *j->p < 0x80 && *j->p != '"' && *j->p != '\\')
			j->p++;
		buf_append(&j->pool, run, (size_t)(j->p - run));
		if (j->p >= j->end) {
			j->err = "invalid json: unterminated string";
			return false;
		}
		uint8_t c = *j->p;
		if (c == '"') {
			j->p++;
			break;
		}
		if (c < 0x20) {
			j->err = "invalid json: control character in string must be escaped";
			return false;
		}
		if (c >= 0x80) {
			int r = charset_utf8_seq(j->p, (size_t)(j->end - j->p));
			if (r <= 0) {
				j->err = "invalid UTF-8 in json";
				return false;
			}
			buf_append(&j->pool, j->p, (size_t)r);
			j->p += r;
			continue;
		}
		/* backslash */
		j->p++;
		if (j->p >= j->end) {
			j->err = "invalid json: unterminated string";
			return false;
		}
		c = *j->p++;
		switch (c) {
		case '"': buf_putc(&j->pool, '"'); break;
		case '\\': buf_putc(&j->pool, '\\'); break;
		case '/': buf_putc(&j->pool, '/'); break;
		case 'b': buf_putc(&j->pool, '\b'); break;
		case 'f': buf_putc(&j->pool, '\f'); break;
		case 'n': buf_putc(&j->pool, '\n'); break;
		case 'r': buf_putc(&j->pool, '\r'); break;
		case 't': buf_putc(&j->pool, '\t'); break;
		case 'u': {
			uint32_t u;
			if (!read_u4(j, &u))
				return false;
			if (j->json_only)
				break;
			if (u >= 0xD800 && u <= 0xDBFF) {
				uint32_t lo;
				if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u') {
					j->err = "invalid json: unicode high surrogate must be followed by a low surrogate";
					return false;
				}
				j->p += 2;
				if (!read_u4(j, &lo))
					return false;
				if (lo < 0xDC00 || lo > 0xDFFF) {
					j->err = "invalid json: unicode high surrogate must be followed by a low surrogate";
					return false;
				}
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			} else if (u >= 0xDC00 && u <= 0xDFFF) {
				j->err = "invalid json: unicode low surrogate must follow a high surrogate";
				return false;
			} else if (u == 0) {
				j->err = "json \\u0000 cannot be stored in jsonb";
				return false;
			}
			charset_put_utf8(&j->pool, u);
			break;
		}
		default:
			j->err = "invalid json: bad escape sequence";
			return false;
		}
	}
	*len = j->pool.len - *off;
	return true;
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* numbers of at most this many characters without an exponent are copied as written */
#define NUMBER_PLAIN_MAX 40

/* at a number: checks it and, unless only checking, appends the text numeric_out prints
 * for it to dst */
static bool number_text(jparse *j, buf *dst)
{
	const uint8_t *s = j->p;
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || !is_digit(*j->p))
		goto bad;
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && is_digit(*j->p))
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || !is_digit(*j->p))
			goto bad;
		while (j->p < j->end && is_digit(*j->p))
			j->p++;
	}
	bool plain = j->p - s <= NUMBER_PLAIN_MAX;
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		plain = false;
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (j->p >= j->end || !is_digit(*j->p))
			goto bad;
		while (j->p < j->end && is_digit(*j->p))
			j->p++;
	}
	if (j->json_only)
		return true;
	if (plain) {
		/* -?(0|[1-9][0-9]*)(.[0-9]+)?, short: numeric_out prints it as written, except that
		 * numeric has no negative zero */
		const uint8_t *t = s;
		if (*t == '-') {
			bool zero = true;
			for (const uint8_t *q = t + 1; q < j->p && zero; q++)
				zero = *q == '0' || *q == '.';
			if (zero)
				t++;
		}
		buf_append(dst, t, (size_t)(j->p - t));
		return true;
	}
	const char *err = NULL;
	if (!numeric_parse(&j->num, s, (size_t)(j->p - s), true, false, &err)) {
		j->err = err;
		return false;
	}
	numeric_out(&j->num, dst);
	return true;
bad:
	j->err = "invalid json: bad number";
	return false;
}

static bool parse_number(jparse *j, size_t *node)
{
	size_t off = j->pool.len;
	if (!number_text(j, &j->pool))
		return false;
	*node = j->json_only ? new_node(j, JV_NULL, 0, 0) : new_node(j, JV_NUMBER, off, j->pool.len - off);
	return true;
}

static bool keyword(jparse *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
		return false;
	j->p += n;
	return true;
}

static int key_cmp(const jpair *x, const jpair *y)
{
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return memcmp(x->key, y->key, x->klen);
}

/* equal keys: the later one first, so it is the one kept */
static int pair_cmp_last(const void *a, const void *b)
{
	const jpair *x = a, *y = b;
	int c = key_cmp(x, y);
	return c ? c : x->order > y->order ? -1 : 1;
}

/* equal keys: the earlier one first */
static int pair_cmp_first(const void *a, const void *b)
{
	const jpair *x = a, *y = b;
	int c = key_cmp(x, y);
	return c ? c : x->order < y->order ? -1 : 1;
}

/* whether pair x sorts after y: keys by length then bytes; of equal keys the one kept
 * (the last, or the first with JSONB_DUPS_FIRST) first */
static inline bool pair_after(const jpair *x, const jpair *y, bool first)
{
	if (x->klen != y->klen)
		return x->klen > y->klen;
	int c = memcmp(x->key, y->key, x->klen);
	if (c)
		return c > 0;
	return first ? x->order > y->order : x->order < y->order;
}

/* pairs[0..np) in that order: insertion sort for the usual small object, else qsort */
static void sort_pairs(jpair *pairs, size_t np, jsonb_dups dups)
{
	bool first = dups == JSONB_DUPS_FIRST;
	if (np > 16) {
		qsort(pairs, np, sizeof *pairs, first ? pair_cmp_first : pair_cmp_last);
		return;
	}
	for (size_t i = 1; i < np; i++) {
		jpair x = pairs[i];
		size_t k = i;
		while (k > 0 && pair_after(&pairs[k - 1], &x, first)) {
			pairs[k] = pairs[k - 1];
			k--;
		}
		pairs[k] = x;
	}
}

static bool parse_value(jparse *j, size_t *node, int depth);

/* after an array element or object member: skips the space after it, then 1 at a ','
 * (another follows), 0 at the closing bracket, -1 with j->err set otherwise; consumes what
 * it saw */
static inline int after_item(jparse *j, char close, bool object)
{
	skip_ws(j);
	if (j->p < j->end && (*j->p == ',' || *j->p == close))
		return *j->p++ == ',';
	j->err = object ? "invalid json: expected ',' or '}'" : "invalid json: expected ',' or ']'";
	return -1;
}

/* the first byte of the next value (after any space) in *c; false with j->err set at the end */
static inline bool value_start(jparse *j, uint8_t *c)
{
	skip_ws(j);
	if (j->p >= j->end) {
		j->err = "invalid json: unexpected end of input";
		return false;
	}
	*c = *j->p;
	return true;
}

/* an object member's key and the ':' after it (and the space around it); false with j->err set */
static inline bool member_key(jparse *j, uint8_t *type, size_t *off, size_t *len)
{
	if (j->p >= j->end || *j->p != '"') {
		j->err = "invalid json: expected a string as object key";
		return false;
	}
	if (!parse_string(j, type, off, len))
		return false;
	skip_ws(j);
	if (j->p >= j->end || *j->p != ':') {
		j->err = "invalid json: expected ':'";
		return false;
	}
	j->p++;
	return true;
}

/* whether pairs[i] (sorted) repeats the key before it: 1 (the pair is dropped), 0 (it does
 * not), -1 with j->err set when duplicate keys are refused */
static inline int repeated_key(jparse *j, const jpair *pairs, size_t i)
{
	if (i == 0 || key_cmp(&pairs[i], &pairs[i - 1]) != 0)
		return 0;
	j->had_dups = true;
	if (j->dups == JSONB_DUPS_REFUSE) {
		j->err = "json object has a duplicate key";
		return -1;
	}
	return 1;
}

/* room for the np members of an object, to sort them */
static jpair *pairs_for(jparse *j, size_t np)
{
	if (np > j->cappairs) {
		j->cappairs = np > 2 * j->cappairs ? np : 2 * j->cappairs;
		j->pairs = mem_realloc(j->pairs, j->cappairs * sizeof *j->pairs);
	}
	return j->pairs;
}

static bool parse_container(jparse *j, size_t *node, int depth, bool object)
{
	if (depth >= JSONB_MAX_DEPTH) {
		j->err = "json nested too deeply";
		return false;
	}
	j->p++;
	size_t base = j->nstack;
	skip_ws(j);
	uint8_t close = object ? '}' : ']';
	if (j->p < j->end && *j->p == close)
		j->p++;
	else {
		for (;;) {
			skip_ws(j);
			size_t v;
			if (object) {
				size_t off, len;
				uint8_t type;
				if (!member_key(j, &type, &off, &len))
					return false;
				push(&j->stack, &j->nstack, &j->capstack, new_node(j, type, off, len));
			}
			if (!parse_value(j, &v, depth + 1))
				return false;
			push(&j->stack, &j->nstack, &j->capstack, v);
			int more = after_item(j, close, object);
			if (more < 0)
				return false;
			if (!more)
				break;
		}
	}
	size_t n = j->nstack - base;
	size_t first = j->nkids;
	if (!object) {
		for (size_t i = 0; i < n; i++)
			push(&j->kids, &j->nkids, &j->capkids, j->stack[base + i]);
		*node = new_node(j, JV_ARRAY, first, n);
	} else {
		size_t np = n / 2, kept = 0;
		jpair *pairs = pairs_for(j, np);
		for (size_t i = 0; i < np; i++) {
			const jv *k = &j->nodes[j->stack[base + 2 * i]];
			pairs[i] = (jpair){ NULL, k->b, i, j->stack[base + 2 * i], j->stack[base + 2 * i + 1] };
		}
		/* the pool no longer moves once every key of this object is parsed */
		for (size_t i = 0; i < np; i++) {
			const jv *k = &j->nodes[pairs[i].knode];
			pairs[i].key = (k->type == JV_RAW ? j->in : j->pool.data) + k->a;
		}
		sort_pairs(pairs, np, j->dups);
		for (size_t i = 0; i < np; i++) {
			int repeated = repeated_key(j, pairs, i);
			if (repeated < 0)
				return false;
			if (repeated)
				continue;
			push(&j->kids, &j->nkids, &j->capkids, pairs[i].knode);
			push(&j->kids, &j->nkids, &j->capkids, pairs[i].vnode);
			kept++;
		}
		*node = new_node(j, JV_OBJECT, first, kept);
	}
	j->nstack = base;
	return true;
}

static bool parse_value(jparse *j, size_t *node, int depth)
{
	uint8_t c;
	if (!value_start(j, &c))
		return false;
	if (c == '{' || c == '[')
		return parse_container(j, node, depth, c == '{');
	if (c == '"') {
		size_t off, len;
		uint8_t type;
		if (!parse_string(j, &type, &off, &len))
			return false;
		*node = new_node(j, type, off, len);
		return true;
	}
	if (c == '-' || is_digit(c))
		return parse_number(j, node);
	uint8_t t = 0;
	if (keyword(j, "true"))
		t = JV_TRUE;
	else if (keyword(j, "false"))
		t = JV_FALSE;
	else if (keyword(j, "null"))
		t = JV_NULL;
	else {
		j->err = "invalid json: unexpected token";
		return false;
	}
	*node = new_node(j, t, 0, 0);
	return true;
}

#define PUT_LIT(out, lit) buf_append((out), (lit), sizeof(lit) - 1)

static void put_string(buf *out, const uint8_t *s, size_t n)
{
	buf_putc(out, '"');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(out, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"': PUT_LIT(out, "\\\""); break;
		case '\\': PUT_LIT(out, "\\\\"); break;
		case '\b': PUT_LIT(out, "\\b"); break;
		case '\f': PUT_LIT(out, "\\f"); break;
		case '\n': PUT_LIT(out, "\\n"); break;
		case '\r': PUT_LIT(out, "\\r"); break;
		case '\t': PUT_LIT(out, "\\t"); break;
		default: buf_printf(out, "\\u%04x", c); break;
		}
	}
	buf_append(out, s + run, n - run);
	buf_putc(out, '"');
}

/* ---------------------------------------------------------------- canonical text in one pass
 *
 * For jsonb the canonical text is written while parsing: scalars and arrays as they come,
 * an object's members where they come, then the object rebuilt in key order after them and
 * moved down over them. The checks and their reasons are the tree parser's (the same
 * functions), in the same order. */

/* a member of an object being written: its key (in the input or the pool) and its value's
 * text at out[vstart, vend) */
typedef struct jmember {
	bool raw;
	size_t koff, klen, order, vstart, vend;
} jmember;

static bool emit_value(jparse *j, buf *out, int depth, jmember **mem, size_t *nmem, size_t *capmem);
static inline __attribute__((always_inline)) bool emit_element(jparse *j, buf *out, int depth, jmember **mem,
                                                              size_t *nmem, size_t *capmem);
static inline bool emit_scalar(jparse *j, buf *out, uint8_t c);

/* n bytes from src to dst; a short run as one 16-byte move when 16 bytes can be read at src
 * (dst has room for them) */
static inline void copy_short(uint8_t *dst, const uint8_t *src, size_t n, size_t readable)
{
	if (n <= 16 && readable >= 16) {
		uint8_t t[16];
		memcpy(t, src, 16);
		memcpy(dst, t, 16);
	} else {
		memmove(dst, src, n);
	}
}

static void put_key(const jparse *j, buf *out, const jpair *k)
{
	if (k->knode) {
		/* raw: as written, in the input */
		buf_reserve(out, k->klen + 2 + 16);
		uint8_t *d = out->data + out->len;
		d[0] = '"';
		copy_short(d + 1, k->key, k->klen, (size_t)(j->end - k->key));
		d[1 + k->klen] = '"';
		out->len += k->klen + 2;
	} else {
		put_string(out, k->key, k->klen);
	}
}

static bool emit_container(jparse *j, buf *out, int depth, bool object, jmember **mem, size_t *nmem,
                           size_t *capmem)
{
	if (depth >= JSONB_MAX_DEPTH) {
		j->err = "json nested too deeply";
		return false;
	}
	j->p++;
	size_t base = *nmem, start = out->len;
	skip_ws(j);
	uint8_t close = object ? '}' : ']';
	if (!object)
		buf_putc(out, '[');
	if (j->p < j->end && *j->p == close) {
		j->p++;
		if (object)
			PUT_LIT(out, "{}");
		else
			buf_putc(out, ']');
		return true;
	}
	for (size_t i = 0;; i++) {
		skip_ws(j);
		if (object) {
			size_t off, len;
			uint8_t type;
			if (!member_key(j, &type, &off, &len))
				return false;
			if (*nmem == *capmem) {
				*capmem = *capmem ? 2 * *capmem : 64;
				*mem = mem_realloc(*mem, *capmem * sizeof **mem);
			}
			size_t me = (*nmem)++;
			(*mem)[me] = (jmember){type == JV_RAW, off, len, i, out->len, 0};
			if (!emit_element(j, out, depth + 1, mem, nmem, capmem))
				return false;
			(*mem)[me].vend = out->len;
		} else {
			if (i)
				PUT_LIT(out, ", ");
			if (!emit_element(j, out, depth + 1, mem, nmem, capmem))
				return false;
		}
		int more = after_item(j, close, object);
		if (more < 0)
			return false;
		if (!more)
			break;
	}
	if (!object) {
		buf_putc(out, ']');
		return true;
	}
	/* the members in key order (raw keys marked by a non-zero knode), written after the
	 * values, then moved down to where the object starts */
	size_t np = *nmem - base;
	jpair *pairs = pairs_for(j, np);
	for (size_t i = 0; i < np; i++) {
		const jmember *m = &(*mem)[base + i];
		pairs[i] = (jpair){(m->raw ? j->in : j->pool.data) + m->koff, m->klen, m->order, m->raw, base + i};
	}
	sort_pairs(pairs, np, j->dups);
	size_t built = out->len;
	buf_putc(out, '{');
	for (size_t i = 0, kept = 0; i < np; i++) {
		int repeated = repeated_key(j, pairs, i);
		if (repeated < 0)
			return false;
		if (repeated)
			continue;
		if (kept++)
			PUT_LIT(out, ", ");
		put_key(j, out, &pairs[i]);
		PUT_LIT(out, ": ");
		const jmember *m = &(*mem)[pairs[i].vnode];
		size_t vlen = m->vend - m->vstart;
		buf_reserve(out, vlen + 16); /* the value's bytes stay where they are */
		copy_short(out->data + out->len, out->data + m->vstart, vlen, out->cap - m->vstart);
		out->len += vlen;
	}
	buf_putc(out, '}');
	memmove(out->data + start, out->data + built, out->len - built);
	out->len = start + (out->len - built);
	*nmem = base;
	return true;
}

/* a value that is no container, at its first byte c */
static inline bool emit_scalar(jparse *j, buf *out, uint8_t c)
{
	if (c == '"') {
		size_t off, len;
		uint8_t type;
		if (!parse_string(j, &type, &off, &len))
			return false;
		jpair k = {(type == JV_RAW ? j->in : j->pool.data) + off, len, 0, type == JV_RAW, 0};
		put_key(j, out, &k);
		return true;
	}
	if (c == '-' || is_digit(c))
		return number_text(j, out);
	if (keyword(j, "true"))
		PUT_LIT(out, "true");
	else if (keyword(j, "false"))
		PUT_LIT(out, "false");
	else if (keyword(j, "null"))
		PUT_LIT(out, "null");
	else {
		j->err = "invalid json: unexpected token";
		return false;
	}
	return true;
}

/* a value: containers recurse, scalars are written in place (no call for a member's scalar) */
/* inlined always: a member's scalar is then written without a call */
static inline __attribute__((always_inline)) bool emit_element(jparse *j, buf *out, int depth, jmember **mem,
                                                              size_t *nmem, size_t *capmem)
{
	uint8_t c;
	if (!value_start(j, &c))
		return false;
	if (c == '{' || c == '[')
		return emit_container(j, out, depth, c == '{', mem, nmem, capmem);
	return emit_scalar(j, out, c);
}

static bool emit_value(jparse *j, buf *out, int depth, jmember **mem, size_t *nmem, size_t *capmem)
{
	return emit_element(j, out, depth, mem, nmem, capmem);
}

static bool parse_all(const uint8_t *in, size_t n, buf *out, const char **err, bool json_only, jsonb_dups dups,
                      bool *had_dups)
{
	/* the parser's arrays are kept from one value to the next (a column of JSON values
	 * would otherwise allocate and free them for every row); bounded: see below */
	static _Thread_local jparse keep;
	jparse *jp = &keep;
	jp->nnodes = jp->nkids = jp->nstack = 0;
	jp->err = NULL;
	jp->had_dups = false;
	jp->json_only = json_only;
	jp->dups = dups;
	jp->in = jp->p = in;
	jp->end = in + n;
	if (!jp->pool.data)
		numeric_init(&jp->num);
	buf_reset(&jp->pool);
	buf_reserve(&jp->pool, 64); /* never NULL: empty strings point into it */
	size_t root = 0, at = out ? out->len : 0;
	bool ok = out ? emit_value(jp, out, 0, &jp->members, &jp->nmembers, &jp->capmembers) : parse_value(jp, &root, 0);
	jp->nmembers = 0;
	if (ok) {
		skip_ws(jp);
		if (jp->p != jp->end) {
			jp->err = "invalid json: unexpected content after the value";
			ok = false;
		}
	}
	if (!ok) {
		*err = jp->err ? jp->err : "invalid json";
		if (out)
			out->len = at;
	}
	if (had_dups)
		*had_dups = jp->had_dups;
	if (jp->capnodes * sizeof *jp->nodes + jp->capkids * sizeof *jp->kids + jp->capstack * sizeof *jp->stack +
	        jp->cappairs * sizeof *jp->pairs + jp->capmembers * sizeof *jp->members + jp->pool.cap + jp->num.digits.cap >
	    JSONB_KEEP_BYTES) {
		/* a large value: its memory is not kept */
		free(jp->nodes);
		free(jp->kids);
		free(jp->stack);
		free(jp->pairs);
		free(jp->members);
		buf_free(&jp->pool);
		numeric_free(&jp->num);
		memset(jp, 0, sizeof *jp);
	}
	return ok;
}

bool jsonb_send(const uint8_t *in, size_t n, buf *out, const char **err)
{
	buf_putc(out, 1);
	return jsonb_canonical(in, n, out, err);
}

bool jsonb_canonical(const uint8_t *in, size_t n, buf *out, const char **err)
{
	return parse_all(in, n, out, err, false, JSONB_DUPS_LAST, NULL);
}

bool jsonb_send_dups(const uint8_t *in, size_t n, jsonb_dups dups, buf *out, bool *had_dups, const char **err)
{
	buf_putc(out, 1);
	return parse_all(in, n, out, err, false, dups, had_dups);
}

bool jsonb_validate_json(const uint8_t *in, size_t n, const char **err)
{
	return parse_all(in, n, NULL, err, true, JSONB_DUPS_LAST, NULL);
}
