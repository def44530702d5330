#include "jsonb.h"

#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "hex.h"
#include "numeric.h"

/* objects of at most this many keys of at most JSONB_SHAPE_BYTES in all have their key
 * order remembered */
#define JSONB_SHAPE_MAX 16
#define JSONB_SHAPE_BYTES 256

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
	/* the last object written whose keys were distinct, written as they are (no escape) and
	 * few: its keys in input order (their bytes one after the other) and the order they are
	 * written in; the next object of a JSON column usually has the same, and is then not sorted */
	struct {
		size_t n;
		uint8_t order[JSONB_SHAPE_MAX];
		size_t klen[JSONB_SHAPE_MAX];
		buf keys;
	} shape;
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

/* at a string's opening quote p: its text in *type, *off, *len; the position after it, or NULL.
 * The usual string (printable ASCII, no escape) without a call */
static inline const uint8_t *scan_string(jparse *j, const uint8_t *p, uint8_t *type, size_t *off, size_t *len)
{
	const uint8_t *s = p + 1, *q = s + plain_run(s, j->end);
	if (q < j->end && *q == '"') {
		*type = JV_RAW;
		*off = (size_t)(s - j->in);
		*len = (size_t)(q - s);
		return q + 1;
	}
	j->p = q;
	return parse_string_rest(j, s, type, off, len) ? j->p : NULL;
}

/* the same at j->p, which it moves past the string */
static inline bool parse_string(jparse *j, uint8_t *type, size_t *off, size_t *len)
{
	const uint8_t *p = scan_string(j, j->p, type, off, len);
	if (p)
		j->p = p;
	return p != NULL;
}

/* the rest of a string that starts at start, from j->p (after its first plain run) */
static bool parse_string_rest(jparse *j, const uint8_t *start, uint8_t *type, size_t *off, size_t *len)
{
	for (;;) {
		j->p += plain_run(j->p, j->end);
		if (j->p < j->end && *j->p >= 0x80) {
			/* a two-byte sequence (Latin, Greek, Cyrillic...) checked here */
			if (*j->p >= 0xC2 && *j->p <= 0xDF && j->end - j->p >= 2 && (j->p[1] & 0xC0) == 0x80) {
				j->p += 2;
				continue;
			}
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

/* keys by length, then bytes (short keys compared without a call) */
static inline int key_order(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	if (na != nb)
		return na < nb ? -1 : 1;
	if (na > 16)
		return memcmp(a, b, na);
	for (size_t i = 0; i < na; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

static int key_cmp(const jpair *x, const jpair *y)
{
	return key_order(x->key, x->klen, y->key, y->klen);
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

/* whether pair x sorts after y; of equal keys the one kept (the last, or the first with
 * JSONB_DUPS_FIRST) first */
static inline bool member_after(const jpair *x, const jpair *y, bool first)
{
	int c = key_order(x->key, x->klen, y->key, y->klen);
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
		while (k > 0 && member_after(&pairs[k - 1], &x, first)) {
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
 * moved down over them. The checks and their reasons are the tree parser's, in the same
 * order. The position in the input is a local pointer passed along and returned (NULL with
 * j->err set on failure), so the writes into the output do not make the compiler read it
 * back from memory. */

#define WS_MASK ((1ull << ' ') | (1ull << '\t') | (1ull << '\n') | (1ull << '\r'))

/* past the space at p: usually none or the one space after ',' or ':' */
static inline const uint8_t *ws(const uint8_t *p, const uint8_t *end)
{
	if (p < end && *p > ' ')
		return p;
	if (end - p >= 2 && p[0] == ' ' && p[1] > ' ')
		return p + 1;
	while (p < end && *p <= ' ' && (WS_MASK >> *p & 1))
		p++;
	return p;
}

/* a member of an object being written: its key (in the input when raw, else in the pool)
 * and its value's text at out[vstart, vend) */
typedef struct jmember {
	bool raw;
	size_t koff, klen, vstart, vend;
} jmember;

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

/* a string without escapes, s[0..n) of the input, in quotes */
static inline void put_raw(const jparse *j, buf *out, const uint8_t *s, size_t n)
{
	buf_reserve(out, n + 2 + 16);
	uint8_t *d = out->data + out->len;
	d[0] = '"';
	copy_short(d + 1, s, n, (size_t)(j->end - s));
	d[1 + n] = '"';
	out->len += n + 2;
}

/* a string's key or value as scan_string left it */
static inline void put_parsed(const jparse *j, buf *out, uint8_t type, size_t off, size_t len)
{
	if (type == JV_RAW)
		put_raw(j, out, j->in + off, len);
	else
		put_string(out, j->pool.data + off, len);
}

static const uint8_t *w_container(jparse *j, const uint8_t *p, buf *out, int depth);

/* a value that is no container, at its first byte */
static inline __attribute__((always_inline)) const uint8_t *w_scalar(jparse *j, const uint8_t *p, buf *out)
{
	const uint8_t *end = j->end;
	uint8_t c = *p;
	if (c == '"') {
		uint8_t type;
		size_t off, len;
		if (!(p = scan_string(j, p, &type, &off, &len)))
			return NULL;
		put_parsed(j, out, type, off, len);
		return p;
	}
	if (c >= '1' && c <= '9') {
		/* the usual number: digits, no point or exponent, copied as written */
		const uint8_t *q = p + 1;
		while (q < end && is_digit(*q))
			q++;
		if ((q == end || (*q != '.' && *q != 'e' && *q != 'E')) && q - p <= NUMBER_PLAIN_MAX) {
			buf_append(out, p, (size_t)(q - p));
			return q;
		}
	}
	if (c == '-' || is_digit(c)) {
		j->p = p;
		return number_text(j, out) ? j->p : NULL;
	}
	if (c == 't' && end - p >= 4 && memcmp(p, "true", 4) == 0) {
		PUT_LIT(out, "true");
		return p + 4;
	}
	if (c == 'f' && end - p >= 5 && memcmp(p, "false", 5) == 0) {
		PUT_LIT(out, "false");
		return p + 5;
	}
	if (c == 'n' && end - p >= 4 && memcmp(p, "null", 4) == 0) {
		PUT_LIT(out, "null");
		return p + 4;
	}
	j->err = "invalid json: unexpected token";
	return NULL;
}

/* a value after any space: containers recurse, scalars are written in place */
static inline __attribute__((always_inline)) const uint8_t *w_value(jparse *j, const uint8_t *p, buf *out,
                                                                   int depth)
{
	p = ws(p, j->end);
	if (p >= j->end) {
		j->err = "invalid json: unexpected end of input";
		return NULL;
	}
	if (*p == '{' || *p == '[')
		return w_container(j, p, out, depth);
	return w_scalar(j, p, out);
}

/* after an item of a container: the position after the ',' (*more) or the closing bracket */
static inline const uint8_t *w_after_item(jparse *j, const uint8_t *p, uint8_t close, bool *more)
{
	p = ws(p, j->end);
	if (p < j->end && (*p == ',' || *p == close)) {
		*more = *p == ',';
		return p + 1;
	}
	j->err = close == '}' ? "invalid json: expected ',' or '}'" : "invalid json: expected ',' or ']'";
	return NULL;
}

/* whether a[0..n) equals b[0..n); a key of at most 8 bytes as one word when 8 bytes can be
 * read at a and at b */
static inline bool same_key(const uint8_t *a, size_t readable_a, const uint8_t *b, size_t n)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (n <= 8 && readable_a >= 8) {
		uint64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		return ((x ^ y) & (n == 8 ? ~0ull : (1ull << (8 * n)) - 1)) == 0;
	}
#endif
	return memcmp(a, b, n) == 0;
}

/* whether the np members have the remembered shape's keys, in its order */
static bool same_shape(const jparse *j, const jmember *mem, size_t np)
{
	if (np != j->shape.n)
		return false;
	const uint8_t *k = j->shape.keys.data;
	for (size_t i = 0; i < np; i++) {
		const uint8_t *key = j->in + mem[i].koff;
		if (!mem[i].raw || mem[i].klen != j->shape.klen[i] || !same_key(key, (size_t)(j->end - key), k, mem[i].klen))
			return false;
		k += mem[i].klen;
	}
	return true;
}

/* the np members, sorted into pairs, remembered as the shape when they are one */
static void keep_shape(jparse *j, const jmember *mem, const jpair *pairs, size_t np)
{
	j->shape.n = 0;
	if (np == 0 || np > JSONB_SHAPE_MAX)
		return;
	size_t bytes = 0;
	for (size_t i = 0; i < np; i++) {
		if (!mem[i].raw || (i > 0 && key_cmp(&pairs[i], &pairs[i - 1]) == 0))
			return;
		bytes += mem[i].klen;
	}
	if (bytes > JSONB_SHAPE_BYTES)
		return;
	buf_reset(&j->shape.keys);
	for (size_t i = 0; i < np; i++) {
		buf_append(&j->shape.keys, j->in + mem[i].koff, mem[i].klen);
		j->shape.klen[i] = mem[i].klen;
		j->shape.order[i] = (uint8_t)pairs[i].vnode;
	}
	/* 8 bytes that same_key may read after the last key */
	static const uint8_t zeros[8];
	buf_append(&j->shape.keys, zeros, 8);
	j->shape.keys.len -= 8;
	j->shape.n = np;
}

/* the object's members (from base in j->members, their values written from out[start]) in
 * key order, moved down to start */
static bool w_object_members(jparse *j, buf *out, size_t base, size_t start)
{
	size_t np = j->nmembers - base;
	const jmember *mem = j->members + base;
	jpair *pairs = NULL;
	if (!same_shape(j, mem, np)) {
		pairs = pairs_for(j, np);
		for (size_t i = 0; i < np; i++)
			pairs[i] = (jpair){(mem[i].raw ? j->in : j->pool.data) + mem[i].koff, mem[i].klen, i, mem[i].raw, i};
		sort_pairs(pairs, np, j->dups);
		keep_shape(j, mem, pairs, np);
	}
	size_t built = out->len;
	buf_putc(out, '{');
	for (size_t i = 0, kept = 0; i < np; i++) {
		if (pairs) {
			int repeated = repeated_key(j, pairs, i);
			if (repeated < 0)
				return false;
			if (repeated)
				continue;
		}
		const jmember *m = &mem[pairs ? pairs[i].vnode : j->shape.order[i]];
		const uint8_t *key = (m->raw ? j->in : j->pool.data) + m->koff;
		size_t vlen = m->vend - m->vstart;
		/* room for the separator, the key, ": " and the value (its bytes stay where they are) */
		buf_reserve(out, 2 + m->klen + 2 + 16 + 2 + vlen + 16);
		uint8_t *d = out->data + out->len;
		if (kept++) {
			d[0] = ',';
			d[1] = ' ';
			d += 2;
		}
		if (m->raw) {
			d[0] = '"';
			copy_short(d + 1, key, m->klen, (size_t)(j->end - key));
			d[1 + m->klen] = '"';
			d += m->klen + 2;
		} else {
			out->len = (size_t)(d - out->data);
			put_string(out, key, m->klen);
			buf_reserve(out, 2 + vlen + 16);
			d = out->data + out->len;
		}
		d[0] = ':';
		d[1] = ' ';
		d += 2;
		copy_short(d, out->data + m->vstart, vlen, out->cap - m->vstart);
		out->len = (size_t)(d + vlen - out->data);
	}
	buf_putc(out, '}');
	memmove(out->data + start, out->data + built, out->len - built);
	out->len = start + (out->len - built);
	j->nmembers = base;
	return true;
}

/* at '{' or '[' */
static const uint8_t *w_container(jparse *j, const uint8_t *p, buf *out, int depth)
{
	if (depth >= JSONB_MAX_DEPTH) {
		j->err = "json nested too deeply";
		return NULL;
	}
	bool object = *p == '{', more;
	uint8_t close = object ? '}' : ']';
	p = ws(p + 1, j->end);
	if (p < j->end && *p == close) {
		if (object)
			PUT_LIT(out, "{}");
		else
			PUT_LIT(out, "[]");
		return p + 1;
	}
	if (!object) {
		buf_putc(out, '[');
		for (;;) {
			if (!(p = w_value(j, p, out, depth + 1)) || !(p = w_after_item(j, p, ']', &more)))
				return NULL;
			if (!more)
				break;
			PUT_LIT(out, ", ");
		}
		buf_putc(out, ']');
		return p;
	}
	size_t base = j->nmembers, start = out->len;
	for (;;) {
		p = ws(p, j->end);
		if (p >= j->end || *p != '"') {
			j->err = "invalid json: expected a string as object key";
			return NULL;
		}
		uint8_t type;
		size_t off, len;
		if (!(p = scan_string(j, p, &type, &off, &len)))
			return NULL;
		p = ws(p, j->end);
		if (p >= j->end || *p != ':') {
			j->err = "invalid json: expected ':'";
			return NULL;
		}
		if (j->nmembers == j->capmembers) {
			j->capmembers = j->capmembers ? 2 * j->capmembers : 64;
			j->members = mem_realloc(j->members, j->capmembers * sizeof *j->members);
		}
		size_t me = j->nmembers++;
		size_t vstart = out->len;
		if (!(p = w_value(j, p + 1, out, depth + 1)))
			return NULL;
		j->members[me] = (jmember){type == JV_RAW, off, len, vstart, out->len};
		if (!(p = w_after_item(j, p, '}', &more)))
			return NULL;
		if (!more)
			break;
	}
	return w_object_members(j, out, base, start) ? p : NULL;
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
	bool ok;
	if (out) {
		const uint8_t *p = w_value(jp, in, out, 0);
		if ((ok = p != NULL))
			jp->p = p;
	} else {
		ok = parse_value(jp, &root, 0);
	}
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
		buf_free(&jp->shape.keys);
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
