#include "convert.h"

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "byteorder.h"
#include "jsonb.h"
#include "log.h"
#include "numeric.h"
#include "utf8.h"

#define USECS_PER_SEC 1000000LL
#define SECS_PER_DAY 86400LL
#define PG_EPOCH_DAYS 10957LL /* 1970-01-01 -> 2000-01-01 */

/* ---------------------------------------------------------------- policies */

static const char *const class_names[CONVERT_NCLASS] = {
	"zero-date", "nul-in-text", "invalid-utf8", "tinyint1-range", "json-duplicate-key"
};
static const char *const action_names[] = {
	"reject", "null", "-infinity", "strip", "escape", "replace", "true", "keep-last", "keep-first"
};

const char *convert_class_name(convert_class c)
{
	return (unsigned)c < CONVERT_NCLASS ? class_names[c] : "unknown";
}

const char *convert_action_name(convert_action a)
{
	return (unsigned)a < sizeof action_names / sizeof *action_names ? action_names[a] : "unknown";
}

void convert_policies_init(convert_policies *p)
{
	for (int i = 0; i < CONVERT_NCLASS; i++)
		p->action[i] = CONVERT_REJECT;
}

static bool action_allowed(convert_class c, convert_action a)
{
	if (a == CONVERT_REJECT)
		return true;
	switch (c) {
	case CONVERT_ZERO_DATE: return a == CONVERT_NULL || a == CONVERT_NEG_INFINITY;
	case CONVERT_NUL_IN_TEXT: return a == CONVERT_STRIP || a == CONVERT_ESCAPE;
	case CONVERT_INVALID_UTF8: return a == CONVERT_REPLACE;
	case CONVERT_TINYINT1_RANGE: return a == CONVERT_TRUE;
	case CONVERT_JSON_DUP_KEY: return a == CONVERT_KEEP_LAST || a == CONVERT_KEEP_FIRST;
	default: return false;
	}
}

bool convert_policy_set(convert_policies *p, const char *spec)
{
	const char *eq = strchr(spec, '=');
	if (!eq) {
		log_error("invalid policy '%s': expected CLASS=ACTION", spec);
		return false;
	}
	size_t cl = (size_t)(eq - spec);
	int c = -1, a = -1;
	for (int i = 0; i < CONVERT_NCLASS; i++)
		if (strlen(class_names[i]) == cl && strncmp(spec, class_names[i], cl) == 0)
			c = i;
	for (size_t i = 0; i < sizeof action_names / sizeof *action_names; i++)
		if (strcmp(eq + 1, action_names[i]) == 0)
			a = (int)i;
	if (c < 0) {
		log_error("invalid policy '%s': unknown class (zero-date, nul-in-text, invalid-utf8, tinyint1-range, "
		          "json-duplicate-key)",
		          spec);
		return false;
	}
	if (a < 0 || !action_allowed((convert_class)c, (convert_action)a)) {
		static const char *const allowed[CONVERT_NCLASS] = {
			"reject, null, -infinity", "reject, strip, escape", "reject, replace", "reject, true",
			"reject, keep-last, keep-first"
		};
		log_error("invalid policy '%s': action for %s must be one of: %s", spec, class_names[c], allowed[c]);
		return false;
	}
	p->action[c] = (convert_action)a;
	return true;
}

/* ---------------------------------------------------------------- columns */

static charset_id text_charset(const convert_column *c);

bool convert_column_init(convert_column *cc, const rs_column *col, const typemap_overrides *o,
                         const convert_policies *pol, convert_tz *tz, convert_tz *session_tz)
{
	memset(cc, 0, sizeof *cc);
	if (!typemap_lookup(col, o, &cc->map)) {
		log_error("column \"%s\": %s", col->name, cc->map.why);
		return false;
	}
	cc->name = mem_strdup(col->name);
	if (pol)
		cc->pol = *pol;
	else
		convert_policies_init(&cc->pol);
	cc->tz = tz;
	cc->session_tz = session_tz;
	cc->utf8 = text_charset(cc) == CHARSET_UTF8MB4 || text_charset(cc) == CHARSET_UTF8MB3;
	const char *form = rs_column_attr(col, "enum_form");
	if (form) {
		if (strcmp(form, "index:text") != 0 || cc->map.src != TM_SRC_ENUM) {
			log_error("column \"%s\": unknown enum_form '%s'", col->name, form);
			convert_column_free(cc);
			return false;
		}
		cc->enum_index = true;
	}
	const typemap_result *m = &cc->map;
	if (m->pg == TM_PG_BIT && m->src == TM_SRC_BIT && m->mod != m->src_bits) {
		log_error("column \"%s\": bit(%d) cannot become %s (lengths differ)", col->name, m->src_bits, m->pg_type);
		convert_column_free(cc);
		return false;
	}
	if (m->pg == TM_PG_ENUM) {
		if (m->pg_enum) {
			cc->nlabels = m->pg_enum->nlabels;
			cc->labels = mem_alloc((cc->nlabels ? cc->nlabels : 1) * sizeof *cc->labels);
			cc->label_lens = mem_alloc((cc->nlabels ? cc->nlabels : 1) * sizeof *cc->label_lens);
			for (size_t i = 0; i < cc->nlabels; i++) {
				cc->labels[i] = mem_strdup(m->pg_enum->labels[i]);
				cc->label_lens[i] = strlen(cc->labels[i]);
			}
		} else {
			/* the MySQL members, in UTF-8 */
			size_t n = 0;
			for (size_t i = 0; i < col->nattr; i++)
				if (strcmp(col->attrs[i].key, "member") == 0)
					n++;
			cc->labels = mem_alloc((n ? n : 1) * sizeof *cc->labels);
			cc->label_lens = mem_alloc((n ? n : 1) * sizeof *cc->label_lens);
			for (size_t i = 0; i < col->nattr; i++) {
				if (strcmp(col->attrs[i].key, "member") != 0)
					continue;
				charset_conv cv;
				buf b;
				buf_init(&b);
				/* the catalog's members are UTF-8, whatever the column's set (rowstream(5)) */
				charset_conv_init(&cv, CHARSET_UTF8MB4, CHARSET_NUL_REJECT, CHARSET_INVALID_REJECT);
				if (!charset_to_utf8(&cv, (const uint8_t *)col->attrs[i].value, col->attrs[i].value_len, &b)) {
					log_error("column \"%s\": enum member is not valid UTF-8: %s", col->name, cv.error);
					buf_free(&b);
					convert_column_free(cc);
					return false;
				}
				cc->label_lens[cc->nlabels] = b.len;
				cc->labels[cc->nlabels++] = mem_strdup(buf_cstr(&b));
				buf_free(&b);
			}
		}
	}
	return true;
}

void convert_column_free(convert_column *cc)
{
	for (size_t i = 0; i < cc->nlabels; i++)
		free(cc->labels[i]);
	free(cc->labels);
	free(cc->label_lens);
	free(cc->name);
	memset(cc, 0, sizeof *cc);
}

/* ---------------------------------------------------------------- helpers */

/* big-endian integers appended in place (one store each; buf.h's are calls) */
static inline void put_be16(buf *b, uint16_t v)
{
	buf_reserve(b, 2);
	uint8_t *p = b->data + b->len;
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	b->len += 2;
}

static inline void put_be32(buf *b, uint32_t v)
{
	buf_reserve(b, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	memcpy(b->data + b->len, &v, 4);
	b->len += 4;
}

static inline void put_be64(buf *b, uint64_t v)
{
	buf_reserve(b, 8);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	memcpy(b->data + b->len, &v, 8);
	b->len += 8;
}

static bool fail(convert_status *st, const char *reason)
{
	st->reason = reason;
	return false;
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* strict "-?[0-9]+" (a leading '+' too), magnitude into *mag */
static bool parse_int(const uint8_t *s, size_t n, bool *neg, uint64_t *mag)
{
	size_t i = 0;
	*neg = false;
	*mag = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		*neg = s[i++] == '-';
	if (i == n)
		return false;
	if (n - i <= 19) {
		/* at most 19 digits cannot overflow */
		uint64_t m = 0;
		for (; i < n; i++) {
			unsigned d = (unsigned)s[i] - '0';
			if (d > 9)
				return false;
			m = m * 10 + d;
		}
		*mag = m;
	}
	for (; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		uint64_t d = (uint64_t)(s[i] - '0');
		if (*mag > (UINT64_MAX - d) / 10)
			return false;
		*mag = *mag * 10 + d;
	}
	if (*mag == 0)
		*neg = false;
	return true;
}

static charset_nul_action nul_action(const convert_column *c)
{
	switch (c->pol.action[CONVERT_NUL_IN_TEXT]) {
	case CONVERT_STRIP: return CHARSET_NUL_STRIP;
	case CONVERT_ESCAPE: return CHARSET_NUL_ESCAPE;
	default: return CHARSET_NUL_REJECT;
	}
}

/* the character set a column's text is read in */
static charset_id text_charset(const convert_column *c)
{
	charset_id cs = c->map.charset;
	/* bytes and ASCII-only MySQL texts (numbers, dates) are read as UTF-8 */
	if (c->map.src != TM_SRC_TEXT && c->map.src != TM_SRC_ENUM && c->map.src != TM_SRC_SET &&
	    c->map.src != TM_SRC_JSON)
		cs = CHARSET_UTF8MB4;
	if (cs == CHARSET_BINARY || cs == CHARSET_UNKNOWN)
		cs = CHARSET_UTF8MB4;
	return cs;
}

void convert_text_begin(const convert_column *c, charset_conv *cv)
{
	charset_conv_init(cv, text_charset(c), nul_action(c),
	                  c->pol.action[CONVERT_INVALID_UTF8] == CONVERT_REPLACE ? CHARSET_INVALID_REPLACE
	                                                                        : CHARSET_INVALID_REJECT);
}

uint32_t convert_text_changed(const charset_conv *cv)
{
	uint32_t ch = 0;
	if (cv->nul_changed)
		ch |= 1u << CONVERT_NUL_IN_TEXT;
	if (cv->invalid_changed)
		ch |= 1u << CONVERT_INVALID_UTF8;
	return ch;
}

/* the value as UTF-8 text into t; characters counted in *nchars */
static bool to_text(const convert_column *c, const uint8_t *in, size_t n, buf *t, size_t *nchars,
                    convert_status *st)
{
	size_t k;
	if (c->utf8 && utf8_check(in, n, &k)) {
		/* valid UTF-8 without NUL: the conversion would copy it unchanged */
		buf_append(t, in, n);
		if (nchars)
			*nchars = k;
		return true;
	}
	charset_conv cv;
	convert_text_begin(c, &cv);
	if (!charset_to_utf8(&cv, in, n, t))
		return fail(st, cv.error);
	st->changed |= convert_text_changed(&cv);
	if (nchars)
		*nchars = (size_t)cv.nchars;
	return true;
}

/* text, varchar(n), bpchar(n), enum: the UTF-8 text just appended to out at offset at
 * (nchars characters) checked, and padded for bpchar, in place */
static bool fit_text(const convert_column *c, buf *out, size_t at, size_t nchars, convert_status *st)
{
	const typemap_result *m = &c->map;
	switch (m->pg) {
	case TM_PG_VARCHAR:
		if (m->mod >= 0 && nchars > (size_t)m->mod)
			return fail(st, "value too long for character varying");
		return true;
	case TM_PG_BPCHAR:
		if (m->mod >= 0 && nchars > (size_t)m->mod) {
			/* PostgreSQL drops excess trailing spaces; anything else is too long */
			while (nchars > (size_t)m->mod && out->len > at && out->data[out->len - 1] == ' ') {
				out->len--;
				nchars--;
			}
			if (nchars > (size_t)m->mod)
				return fail(st, "value too long for character");
		}
		if (m->mod >= 0)
			for (size_t k = nchars; k < (size_t)m->mod; k++)
				buf_putc(out, ' ');
		return true;
	case TM_PG_ENUM:
		for (size_t i = 0; i < c->nlabels; i++)
			if (c->label_lens[i] == out->len - at &&
			    (out->len == at || memcmp(c->labels[i], out->data + at, out->len - at) == 0))
				return true;
		return fail(st, "value is not a label of the target enum");
	default:
		return true;
	}
}

/* ---------------------------------------------------------------- numbers */

static bool put_int_range(const convert_column *c, bool neg, uint64_t mag, buf *out, convert_status *st)
{
	uint64_t lim;
	switch (c->map.pg) {
	case TM_PG_INT2: lim = 32767; break;
	case TM_PG_INT4: lim = 2147483647; break;
	default: lim = INT64_MAX; break;
	}
	if (neg ? mag > lim + 1 : mag > lim)
		return fail(st, c->map.pg == TM_PG_INT2 ? "value out of range for smallint"
		                : c->map.pg == TM_PG_INT4 ? "value out of range for integer"
		                                          : "value out of range for bigint");
	uint64_t v = neg ? (uint64_t)0 - mag : mag;
	switch (c->map.pg) {
	case TM_PG_INT2: put_be16(out, (uint16_t)v); break;
	case TM_PG_INT4: put_be32(out, (uint32_t)v); break;
	default: put_be64(out, v); break;
	}
	return true;
}

/* integer targets from decimal text: exact integers only ("12.000" is 12) */
static bool conv_int(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	bool neg;
	uint64_t mag;
	if (parse_int(in, n, &neg, &mag))
		return put_int_range(c, neg, mag, out, st);
	if (c->map.src != TM_SRC_DECIMAL && c->map.src != TM_SRC_TEXT)
		return fail(st, "invalid integer");
	numeric_dec d;
	numeric_init(&d);
	const char *err = NULL;
	bool ok = numeric_parse(&d, in, n, false, false, &err);
	if (ok && (int64_t)d.digits.len > d.point) {
		ok = false;
		err = "value has a fractional part (it would be rounded)";
	}
	if (ok && d.point > 20) {
		ok = false;
		err = "value out of range";
	}
	if (ok) {
		uint64_t v = 0;
		for (int64_t k = 0; k < d.point && ok; k++) {
			uint64_t dg = k < (int64_t)d.digits.len ? (uint64_t)(d.digits.data[k] - '0') : 0;
			if (v > (UINT64_MAX - dg) / 10)
				ok = false;
			else
				v = v * 10 + dg;
		}
		if (!ok)
			err = "value out of range";
		else
			ok = put_int_range(c, d.neg, v, out, st);
		numeric_free(&d);
		return ok;
	}
	numeric_free(&d);
	return fail(st, err ? err : "invalid number");
}

/* the digits buffer of a numeric is kept from one value to the next, up to this size */
#define NUMERIC_KEEP_BYTES (64u << 10)

static int64_t floordiv4(int64_t a)
{
	return a >= 0 ? a / 4 : -((-a + 3) / 4);
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* the common case of a numeric: [-]digits[.digits], at most NUMERIC_FAST_MAX characters, that
 * fits the column's typmod. Writes what numeric_parse + numeric_apply_typmod + numeric_send
 * write (tests/unit/convert_test.c compares them on random values); false, nothing
 * written: not such a value (or one to refuse), take the general way */
#define NUMERIC_FAST_MAX 40

static bool numeric_fast(const convert_column *c, const uint8_t *s, size_t n, buf *out)
{
	if (n == 0 || n > NUMERIC_FAST_MAX)
		return false;
	size_t i = 0, nint = 0, nfrac = 0, nd = 0;
	uint8_t dg[NUMERIC_FAST_MAX];
	bool neg = s[0] == '-';
	if (neg)
		i++;
	while (i < n && is_digit(s[i]))
		dg[nd++] = (uint8_t)(s[i++] - '0'), nint++;
	if (nint == 0)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i]))
			dg[nd++] = (uint8_t)(s[i++] - '0'), nfrac++;
		if (nfrac == 0)
			return false;
	}
	if (i != n)
		return false;
	size_t lead = 0, end = nd;
	while (lead < nd && dg[lead] == 0)
		lead++;
	while (end > lead && dg[end - 1] == 0)
		end--;
	int64_t len = (int64_t)(end - lead), point = (int64_t)nint - (int64_t)lead, dscale = (int64_t)nfrac;
	if (len == 0)
		neg = false, point = 0;
	if (c->map.mod >= 0) {
		if (len - point > c->map.scale || (len > 0 && point > 0 ? point : 0) > c->map.mod - c->map.scale)
			return false;
		dscale = c->map.scale;
	}
	int64_t gfirst = 0, glast = 1;
	if (len > 0) {
		gfirst = floordiv4(point - 1);
		glast = floordiv4(point - len);
	}
	size_t ng = (size_t)(gfirst - glast + 1);
	/* the digits placed in whole groups of four: pad[k] has decimal exponent gfirst*4+3-k, so
	 * the significant digits start 0 to 3 places in */
	uint8_t pad[NUMERIC_FAST_MAX + 8];
	size_t at = len > 0 ? (size_t)(gfirst * 4 + 3 - (point - 1)) : 0;
	memset(pad, 0, sizeof pad);
	memcpy(pad + at, dg + lead, (size_t)len);
	buf_reserve(out, 8 + 2 * ng);
	uint8_t *p = out->data + out->len;
	put16(p, (unsigned)ng);
	put16(p + 2, len > 0 ? (uint16_t)(int16_t)gfirst : 0);
	put16(p + 4, neg ? 0x4000 : 0);
	put16(p + 6, (unsigned)dscale);
	p += 8;
	for (size_t g = 0; g < ng; g++, p += 2) {
		const uint8_t *q = pad + 4 * g;
		put16(p, (unsigned)(q[0] * 1000 + q[1] * 100 + q[2] * 10 + q[3]));
	}
	out->len += 8 + 2 * ng;
	return true;
}

static bool conv_numeric(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	if (numeric_fast(c, in, n, out))
		return true;
	static _Thread_local numeric_dec keep;
	numeric_dec d = keep;
	const char *err = NULL;
	bool exp = c->map.src == TM_SRC_FLOAT || c->map.src == TM_SRC_DOUBLE || c->map.src == TM_SRC_TEXT;
	bool ok = numeric_parse(&d, in, n, exp, c->map.src == TM_SRC_TEXT, &err);
	if (ok && c->map.mod >= 0)
		ok = numeric_apply_typmod(&d, c->map.mod, c->map.scale, &err);
	if (ok)
		numeric_send(&d, out);
	if (d.digits.cap > NUMERIC_KEEP_BYTES)
		numeric_free(&d), numeric_init(&d);
	keep = d;
	return ok ? true : fail(st, err);
}

/* the syntax float4in/float8in accept that MySQL prints: [-]digits[.digits][e[+-]digits] */
static bool float_syntax(const uint8_t *s, size_t n)
{
	size_t i = 0, nd = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && is_digit(s[i])) {
		i++;
		nd++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i])) {
			i++;
			nd++;
		}
	}
	if (nd == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i >= n || !is_digit(s[i]))
			return false;
		while (i < n && is_digit(s[i]))
			i++;
	}
	return i == n;
}

static bool conv_float(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	char tmp[400];
	if (n >= sizeof tmp || !float_syntax(in, n))
		return fail(st, "invalid floating-point number");
	memcpy(tmp, in, n);
	tmp[n] = 0;
	char *end;
	errno = 0;
	if (c->map.pg == TM_PG_FLOAT4) {
		float f = strtof(tmp, &end);
		/* as float4in: ERANGE is an error only for overflow and underflow to zero */
		if (errno == ERANGE && (f == 0.0f || isinf(f)))
			return fail(st, "value out of range for type real");
		uint32_t bits;
		memcpy(&bits, &f, 4);
		put_be32(out, bits);
	} else {
		double d = strtod(tmp, &end);
		if (errno == ERANGE && (d == 0.0 || isinf(d)))
			return fail(st, "value out of range for type double precision");
		uint64_t bits;
		memcpy(&bits, &d, 8);
		put_be64(out, bits);
	}
	return true;
}

/* tinyint(1) (or any integer) -> boolean */
static bool conv_bool_int(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	bool neg;
	uint64_t mag;
	if (!parse_int(in, n, &neg, &mag))
		return fail(st, "invalid integer");
	if (mag > 1 || neg) {
		if (c->pol.action[CONVERT_TINYINT1_RANGE] != CONVERT_TRUE)
			return fail(st, "value is neither 0 nor 1 (boolean); policy tinyint1-range=true makes it true");
		st->changed |= 1u << CONVERT_TINYINT1_RANGE;
		buf_putc(out, 1);
		return true;
	}
	buf_putc(out, mag ? 1 : 0);
	return true;
}

/* ---------------------------------------------------------------- bits */

static bool bit_value(const convert_column *c, const uint8_t *in, size_t n, uint64_t *v, convert_status *st)
{
	if (n > 8)
		return fail(st, "bit value longer than 8 bytes");
	*v = 0;
	for (size_t i = 0; i < n; i++)
		*v = *v << 8 | in[i];
	if (c->map.src_bits < 64 && (*v >> c->map.src_bits) != 0)
		return fail(st, "bit value wider than the column");
	return true;
}

static bool conv_bit(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	uint64_t v;
	if (!bit_value(c, in, n, &v, st))
		return false;
	int bits = c->map.src_bits;
	switch (c->map.pg) {
	case TM_PG_BOOL:
		buf_putc(out, v ? 1 : 0);
		return true;
	case TM_PG_BIT:
	case TM_PG_VARBIT: {
		if (c->map.pg == TM_PG_VARBIT && c->map.mod >= 0 && bits > c->map.mod)
			return fail(st, "bit string too long for bit varying");
		int nbytes = (bits + 7) / 8;
		uint64_t left = v << (nbytes * 8 - bits); /* first bit to the high bit */
		put_be32(out, (uint32_t)bits);
		for (int i = nbytes - 1; i >= 0; i--)
			buf_putc(out, (uint8_t)(left >> (8 * i)));
		return true;
	}
	case TM_PG_BYTEA:
		buf_append(out, in, n);
		return true;
	default: {
		char tmp[24];
		int k = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
		if (c->map.pg == TM_PG_NUMERIC)
			return conv_numeric(c, (const uint8_t *)tmp, (size_t)k, out, st);
		return put_int_range(c, false, v, out, st);
	}
	}
}

/* ---------------------------------------------------------------- dates and times */

typedef struct mydt {
	int year, month, day, hour, min, sec;
	int64_t usec;
	int fdigits; /* fraction digits present */
	bool has_time;
} mydt;

static int digits(const uint8_t *s, size_t n, size_t *i, int want, int *v)
{
	int k = 0;
	*v = 0;
	while (*i < n && k < want && is_digit(s[*i])) {
		*v = *v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	return k;
}

static bool parse_frac(const uint8_t *s, size_t n, size_t *i, mydt *d)
{
	d->usec = 0;
	d->fdigits = 0;
	if (*i < n && s[*i] == '.') {
		(*i)++;
		int k = 0;
		int64_t u = 0;
		while (*i < n && is_digit(s[*i])) {
			if (k >= 6)
				return false;
			u = u * 10 + (s[*i] - '0');
			(*i)++;
			k++;
		}
		if (k == 0)
			return false;
		d->fdigits = k;
		for (int j = k; j < 6; j++)
			u *= 10;
		d->usec = u;
	}
	return true;
}

/* two digits at s as a number, or -1 */
static inline int two_digits(const uint8_t *s)
{
	unsigned a = (unsigned)s[0] - '0', b = (unsigned)s[1] - '0';
	return a < 10 && b < 10 ? (int)(a * 10 + b) : -1;
}

/* "YYYY-MM-DD[ hh:mm:ss[.ffffff]]" */
static bool parse_datetime(const uint8_t *s, size_t n, mydt *d)
{
	memset(d, 0, sizeof *d);
	size_t i = 0;
	if (n >= 19 && s[4] == '-' && s[7] == '-' && s[10] == ' ' && s[13] == ':' && s[16] == ':') {
		/* how MySQL prints a DATETIME: every field at its place, read without a loop; what
		 * does not fit goes the general way below, which reads the same values */
		int y1 = two_digits(s), y2 = two_digits(s + 2), mo = two_digits(s + 5), da = two_digits(s + 8);
		int h = two_digits(s + 11), mi = two_digits(s + 14), se = two_digits(s + 17);
		if ((y1 | y2 | mo | da | h | mi | se) >= 0) {
			d->year = y1 * 100 + y2;
			d->month = mo;
			d->day = da;
			d->hour = h;
			d->min = mi;
			d->sec = se;
			d->has_time = true;
			if (n == 26 && s[19] == '.') {
				/* DATETIME(6): six fraction digits */
				int f1 = two_digits(s + 20), f2 = two_digits(s + 22), f3 = two_digits(s + 24);
				if ((f1 | f2 | f3) >= 0) {
					d->usec = (int64_t)f1 * 10000 + f2 * 100 + f3;
					d->fdigits = 6;
					return true;
				}
			}
			i = 19;
			return parse_frac(s, n, &i, d) && i == n;
		}
	}
	if (digits(s, n, &i, 4, &d->year) != 4 || i >= n || s[i++] != '-' || digits(s, n, &i, 2, &d->month) != 2 ||
	    i >= n || s[i++] != '-' || digits(s, n, &i, 2, &d->day) != 2)
		return false;
	if (i == n)
		return true;
	if (s[i] != ' ' && s[i] != 'T')
		return false;
	i++;
	d->has_time = true;
	if (digits(s, n, &i, 2, &d->hour) != 2 || i >= n || s[i++] != ':' || digits(s, n, &i, 2, &d->min) != 2 ||
	    i >= n || s[i++] != ':' || digits(s, n, &i, 2, &d->sec) != 2)
		return false;
	if (!parse_frac(s, n, &i, d))
		return false;
	return i == n;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* days since 1970-01-01 of a proleptic Gregorian date */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* zero/partial dates: returns true when the policy decided (out written or null),
 * false with st->reason when refused; *handled false when the date is a normal one */
static bool zero_date(const convert_column *c, const mydt *d, buf *out, convert_status *st, bool *handled)
{
	*handled = false;
	if (d->year != 0 && d->month != 0 && d->day != 0)
		return true;
	*handled = true;
	switch (c->pol.action[CONVERT_ZERO_DATE]) {
	case CONVERT_NULL:
		st->null = true;
		break;
	case CONVERT_NEG_INFINITY:
		if (c->map.pg == TM_PG_DATE)
			put_be32(out, 0x80000000u);
		else
			put_be64(out, 0x8000000000000000ull);
		break;
	default:
		return fail(st, d->year == 0 && d->month == 0 && d->day == 0
		                    ? "zero date (policy zero-date=null or -infinity converts it)"
		                    : "partial date with a zero year, month or day (policy zero-date=null or "
		                      "-infinity converts it)");
	}
	st->changed |= 1u << CONVERT_ZERO_DATE;
	return true;
}

static bool valid_date(const mydt *d)
{
	return d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= days_in_month(d->year, d->month) &&
	       d->hour <= 23 && d->min <= 59 && d->sec <= 59;
}

static bool conv_datetime(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	mydt d;
	if (!parse_datetime(in, n, &d))
		return fail(st, "invalid date/time text");
	if (c->map.src == TM_SRC_DATE && d.has_time)
		return fail(st, "invalid date text");
	bool handled;
	if (!zero_date(c, &d, out, st, &handled))
		return false;
	if (handled)
		return true;
	if (!valid_date(&d))
		return fail(st, "invalid date");
	int64_t days = days_from_civil(d.year, d.month, d.day);
	if (c->map.pg == TM_PG_DATE) {
		if (d.hour || d.min || d.sec || d.usec)
			return fail(st, "value has a time of day (it would be lost in a date)");
		put_be32(out, (uint32_t)(int32_t)(days - PG_EPOCH_DAYS));
		return true;
	}
	int prec = c->map.mod >= 0 ? c->map.mod : 6;
	int64_t unit = 1;
	for (int k = prec; k < 6; k++)
		unit *= 10;
	if (d.usec % unit != 0)
		return fail(st, "value has more fractional digits than the column precision (it would be rounded)");
	int64_t secs = days * SECS_PER_DAY + d.hour * 3600 + d.min * 60 + d.sec;
	if (c->map.pg == TM_PG_TIMESTAMPTZ) {
		convert_tz *tz = c->map.src == TM_SRC_TIMESTAMP ? c->session_tz : c->tz;
		if (tz && !convert_tz_to_utc(tz, secs, &secs))
			return fail(st, "time zone conversion failed");
	}
	int64_t us = (secs - PG_EPOCH_DAYS * SECS_PER_DAY) * USECS_PER_SEC + d.usec;
	put_be64(out, (uint64_t)us);
	return true;
}

/* "[-]h+:mm:ss[.ffffff]" -> microseconds */
static bool parse_time(const uint8_t *s, size_t n, int64_t *us, int *fdigits)
{
	size_t i = 0;
	bool neg = false;
	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	int h, m, sec;
	int nh = digits(s, n, &i, 4, &h);
	if (nh < 1 || i >= n || s[i++] != ':' || digits(s, n, &i, 2, &m) != 2 || i >= n || s[i++] != ':' ||
	    digits(s, n, &i, 2, &sec) != 2 || m > 59 || sec > 59)
		return false;
	mydt d;
	if (!parse_frac(s, n, &i, &d) || i != n)
		return false;
	*us = ((int64_t)h * 3600 + m * 60 + sec) * USECS_PER_SEC + d.usec;
	if (neg)
		*us = -*us;
	*fdigits = d.fdigits;
	return true;
}

static bool conv_time(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	int64_t us;
	int fd;
	if (!parse_time(in, n, &us, &fd))
		return fail(st, "invalid time text");
	if (c->map.mod >= 0 && c->map.mod < 6) {
		int64_t unit = 1;
		for (int k = c->map.mod; k < 6; k++)
			unit *= 10;
		if (us % unit != 0)
			return fail(st, "value has more fractional digits than the column precision (it would be rounded)");
	}
	if (c->map.pg == TM_PG_TIME) {
		if (us < 0 || us > 24 * 3600 * USECS_PER_SEC)
			return fail(st, "value out of range for time (00:00:00 to 24:00:00)");
		put_be64(out, (uint64_t)us);
		return true;
	}
	put_be64(out, (uint64_t)us);
	put_be32(out, 0);
	put_be32(out, 0);
	return true;
}

/* ---------------------------------------------------------------- other types */

static bool conv_set(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	buf t;
	buf_init(&t);
	if (!to_text(c, in, n, &t, NULL, st)) {
		buf_free(&t);
		return false;
	}
	size_t count = 0;
	if (t.len > 0) {
		count = 1;
		for (size_t i = 0; i < t.len; i++)
			count += t.data[i] == ',';
	}
	put_be32(out, count ? 1 : 0);
	put_be32(out, 0);
	put_be32(out, PGOID_TEXT);
	if (count) {
		put_be32(out, (uint32_t)count);
		put_be32(out, 1);
		size_t start = 0;
		for (size_t i = 0; i <= t.len; i++) {
			if (i == t.len || t.data[i] == ',') {
				put_be32(out, (uint32_t)(i - start));
				buf_append(out, t.data + start, i - start);
				start = i + 1;
			}
		}
	}
	buf_free(&t);
	return true;
}

static bool conv_json_slow(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st);

/* JSON in utf8mb4 under the default policies: parsed straight from the source bytes. The
 * parser takes only valid UTF-8 without NUL bytes (anything else outside a string is a syntax
 * error; inside one it checks each sequence and refuses control characters), which the
 * character set conversion would pass through unchanged; whatever it refuses goes the long
 * way, so that reasons and policies stay exactly those of the conversion. */
static bool conv_json(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	charset_id cs = c->map.charset; /* as convert_text_begin reads it */
	if (cs == CHARSET_BINARY || cs == CHARSET_UNKNOWN)
		cs = CHARSET_UTF8MB4;
	if (cs != CHARSET_UTF8MB4 || c->pol.action[CONVERT_NUL_IN_TEXT] != CONVERT_REJECT ||
	    c->pol.action[CONVERT_INVALID_UTF8] != CONVERT_REJECT || n > 0x0FFFFFFF)
		return conv_json_slow(c, in, n, out, st);
	size_t at = out->len;
	const char *err = NULL;
	bool ok;
	if (c->map.pg == TM_PG_JSONB) {
		convert_action a = c->pol.action[CONVERT_JSON_DUP_KEY];
		jsonb_dups d = a == CONVERT_KEEP_LAST ? JSONB_DUPS_LAST : a == CONVERT_KEEP_FIRST ? JSONB_DUPS_FIRST
		                                                                                   : JSONB_DUPS_REFUSE;
		bool dups = false;
		ok = jsonb_send_dups(in, n, d, out, &dups, &err);
		if (ok && dups)
			st->changed |= 1u << CONVERT_JSON_DUP_KEY;
	} else {
		ok = jsonb_validate_json(in, n, &err);
		if (ok)
			buf_append(out, in, n);
	}
	if (ok)
		return true;
	out->len = at;
	memset(st, 0, sizeof *st);
	return conv_json_slow(c, in, n, out, st);
}

static bool conv_json_slow(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	buf t;
	buf_init(&t);
	bool ok = to_text(c, in, n, &t, NULL, st);
	const uint8_t *p = t.data ? t.data : (const uint8_t *)"";
	const char *err = NULL;
	if (ok) {
		if (c->map.pg == TM_PG_JSONB) {
			if (t.len > 0x0FFFFFFF) {
				ok = false;
				err = "json value too large for jsonb";
			} else {
				convert_action a = c->pol.action[CONVERT_JSON_DUP_KEY];
				jsonb_dups d = a == CONVERT_KEEP_LAST    ? JSONB_DUPS_LAST
				               : a == CONVERT_KEEP_FIRST ? JSONB_DUPS_FIRST
				                                         : JSONB_DUPS_REFUSE;
				bool dups = false;
				ok = jsonb_send_dups(p, t.len, d, out, &dups, &err);
				if (ok && dups)
					st->changed |= 1u << CONVERT_JSON_DUP_KEY;
				else if (!ok && d == JSONB_DUPS_REFUSE && dups)
					err = "json object has a duplicate key (policy json-duplicate-key=keep-last or keep-first "
					      "keeps one)";
			}
		} else {
			ok = jsonb_validate_json(p, t.len, &err);
			if (ok)
				buf_append(out, p, t.len);
		}
		if (!ok)
			st->reason = err;
	}
	buf_free(&t);
	return ok;
}

static bool conv_uuid(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	if (c->map.src == TM_SRC_BINARY) {
		if (n != 16)
			return fail(st, "binary value is not 16 bytes long (uuid)");
		buf_append(out, in, 16);
		return true;
	}
	/* [{]xxxxxxxx[-]xxxx[-]xxxx[-]xxxx[-]xxxxxxxxxxxx[}] as uuid_in accepts */
	size_t i = 0, k = 0;
	uint8_t u[16];
	bool brace = n > 0 && in[0] == '{';
	if (brace)
		i++;
	while (k < 32) {
		if (i + 2 > n)
			return fail(st, "invalid uuid");
		int h[2];
		for (int q = 0; q < 2; q++) {
			uint8_t a = in[i + (size_t)q], l = (uint8_t)(a | 0x20);
			h[q] = is_digit(a) ? a - '0' : (l >= 'a' && l <= 'f') ? l - 'a' + 10 : -1;
		}
		if (h[0] < 0 || h[1] < 0)
			return fail(st, "invalid uuid");
		u[k / 2] = (uint8_t)(h[0] << 4 | h[1]);
		k += 2;
		i += 2;
		if (k % 4 == 0 && k < 32 && i < n && in[i] == '-')
			i++;
	}
	if (brace) {
		if (i >= n || in[i] != '}')
			return fail(st, "invalid uuid");
		i++;
	}
	if (i != n)
		return fail(st, "invalid uuid");
	buf_append(out, u, 16);
	return true;
}

static bool conv_inet(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	(void)c;
	char tmp[64];
	if (n >= sizeof tmp)
		return fail(st, "invalid inet address");
	memcpy(tmp, in, n);
	tmp[n] = 0;
	int bits = -1;
	char *slash = strchr(tmp, '/');
	if (slash) {
		*slash = 0;
		char *e;
		errno = 0;
		long b = strtol(slash + 1, &e, 10);
		if (e == slash + 1 || *e || errno || b < 0 || b > 128)
			return fail(st, "invalid inet address");
		bits = (int)b;
	}
	uint8_t a[16];
	if (inet_pton(AF_INET, tmp, a) == 1) {
		if (bits > 32)
			return fail(st, "invalid inet address");
		buf_putc(out, 2);
		buf_putc(out, (uint8_t)(bits < 0 ? 32 : bits));
		buf_putc(out, 0);
		buf_putc(out, 4);
		buf_append(out, a, 4);
		return true;
	}
	if (inet_pton(AF_INET6, tmp, a) == 1) {
		buf_putc(out, 3);
		buf_putc(out, (uint8_t)(bits < 0 ? 128 : bits));
		buf_putc(out, 0);
		buf_putc(out, 16);
		buf_append(out, a, 16);
		return true;
	}
	return fail(st, "invalid inet address");
}

/* MySQL geometry: 4-byte little-endian SRID + WKB. Out: the WKB, or EWKB carrying
 * the SRID when it is not the column's */
static bool conv_geometry(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	if (n < 9 || (in[4] != 0 && in[4] != 1))
		return fail(st, "invalid geometry value (expected SRID and WKB)");
	uint32_t srid = byteorder_get_u32le(in);
	if (srid == c->map.srid) {
		buf_append(out, in + 4, n - 4);
		return true;
	}
	bool le = in[4] == 1;
	uint32_t type = le ? byteorder_get_u32le(in + 5) : byteorder_get_u32be(in + 5);
	if (type & 0xE0000000u)
		return fail(st, "invalid geometry value (unexpected WKB type flags)");
	type |= 0x20000000u; /* EWKB: an SRID follows the type */
	buf_putc(out, in[4]);
	if (le) {
		buf_put_u32le(out, type);
		buf_put_u32le(out, srid);
	} else {
		put_be32(out, type);
		put_be32(out, srid);
	}
	buf_append(out, in + 9, n - 9);
	return true;
}

/*
 * PostGIS geometry: what geometry_send (binary COPY) writes is EWKB in the server's
 * byte order (little-endian on the platforms PostgreSQL runs on here), the SRID in
 * the outermost header only (flag 0x20000000, when not 0), the rest as ISO WKB.
 * The input WKB is walked and rewritten in that form (whatever its byte order), and
 * refused where PostGIS would refuse it (unknown or Z/M types, rings not closed or
 * too short, a one-point linestring, trailing bytes), so checksums match
 * pg-extract's and one bad value never fails a whole COPY batch.
 */
#define GEOM_MAX_DEPTH 32

typedef struct geom_walk {
	const uint8_t *p;
	size_t n, at;
	const char *why;
} geom_walk;

static bool gw_u32(geom_walk *w, bool le, uint32_t *v)
{
	if (w->n - w->at < 4) {
		w->why = "invalid geometry value (truncated WKB)";
		return false;
	}
	*v = le ? byteorder_get_u32le(w->p + w->at) : byteorder_get_u32be(w->p + w->at);
	w->at += 4;
	return true;
}

/* n points of 2 doubles, out little-endian; pts (may be NULL) gets the first and last */
static bool gw_points(geom_walk *w, bool le, uint32_t npts, buf *out, double ends[4])
{
	if ((uint64_t)npts * 16 > w->n - w->at) {
		w->why = "invalid geometry value (truncated WKB)";
		return false;
	}
	for (uint32_t i = 0; i < npts; i++) {
		for (int k = 0; k < 2; k++) {
			uint64_t bits = le ? byteorder_get_u64le(w->p + w->at) : byteorder_get_u64be(w->p + w->at);
			w->at += 8;
			buf_put_u64le(out, bits);
			if (ends && (i == 0 || i + 1 == npts)) {
				double d;
				memcpy(&d, &bits, sizeof d);
				ends[(i == 0 ? 0 : 2) + k] = d;
			}
		}
	}
	return true;
}

/* one geometry; want: the type it must be (0: any); srid: written in the header when not 0 */
static bool gw_geom(geom_walk *w, int depth, uint32_t want, uint32_t srid, buf *out, uint32_t *type_out)
{
	if (depth > GEOM_MAX_DEPTH) {
		w->why = "invalid geometry value (nested too deeply)";
		return false;
	}
	if (w->at >= w->n || w->p[w->at] > 1) {
		w->why = w->at >= w->n ? "invalid geometry value (truncated WKB)"
		                       : "invalid geometry value (bad WKB byte order)";
		return false;
	}
	bool le = w->p[w->at++] == 1;
	uint32_t type;
	if (!gw_u32(w, le, &type))
		return false;
	if (type < 1 || type > 7) {
		w->why = "invalid geometry value (unsupported WKB type: not a 2D geometry)";
		return false;
	}
	if (want && type != want) {
		w->why = "invalid geometry value (wrong WKB type inside a multi-geometry)";
		return false;
	}
	if (type_out)
		*type_out = type;
	buf_putc(out, 1);
	if (srid) {
		buf_put_u32le(out, type | 0x20000000u);
		buf_put_u32le(out, srid);
	} else {
		buf_put_u32le(out, type);
	}
	if (type == 1)
		return gw_points(w, le, 1, out, NULL);
	uint32_t count;
	if (!gw_u32(w, le, &count))
		return false;
	buf_put_u32le(out, count);
	if (type == 2) {
		if (count == 1) {
			w->why = "invalid geometry value (a linestring needs 0 or at least 2 points)";
			return false;
		}
		return gw_points(w, le, count, out, NULL);
	}
	if (type == 3) {
		if ((uint64_t)count * 4 > w->n - w->at) {
			w->why = "invalid geometry value (truncated WKB)";
			return false;
		}
		for (uint32_t r = 0; r < count; r++) {
			uint32_t npts;
			double e[4];
			if (!gw_u32(w, le, &npts))
				return false;
			buf_put_u32le(out, npts);
			if (npts < 4) {
				w->why = "invalid geometry value (a polygon ring needs at least 4 points)";
				return false;
			}
			if (!gw_points(w, le, npts, out, e))
				return false;
			if (memcmp(&e[0], &e[2], sizeof e[0]) != 0 || memcmp(&e[1], &e[3], sizeof e[1]) != 0) {
				w->why = "invalid geometry value (a polygon ring is not closed)";
				return false;
			}
		}
		return true;
	}
	if ((uint64_t)count * 9 > w->n - w->at) {
		w->why = "invalid geometry value (truncated WKB)";
		return false;
	}
	uint32_t sub = type == 7 ? 0 : type - 3; /* multipoint -> point ... */
	for (uint32_t i = 0; i < count; i++)
		if (!gw_geom(w, depth + 1, sub, 0, out, NULL))
			return false;
	return true;
}

static bool conv_postgis(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	const typemap_result *m = &c->map;
	if (n < 9)
		return fail(st, "invalid geometry value (expected SRID and WKB)");
	uint32_t srid = byteorder_get_u32le(in);
	if (srid > TM_GEOM_SRID_MAX)
		return fail(st, "geometry SRID out of PostGIS's range (0..999999)");
	if (m->pg_srid) {
		if (srid == 0)
			srid = m->pg_srid; /* as PostGIS does for a column with an SRID */
		else if (srid != m->pg_srid)
			return fail(st, "geometry SRID does not match the column's SRID");
	}
	size_t at = out->len;
	geom_walk w = {in + 4, n - 4, 0, NULL};
	uint32_t type = 0;
	bool ok = gw_geom(&w, 0, 0, srid, out, &type);
	if (ok && w.at != w.n) {
		w.why = "invalid geometry value (bytes after the WKB)";
		ok = false;
	}
	if (!ok) {
		out->len = at;
		return fail(st, w.why);
	}
	if (m->pg_geom != TM_GEOM_ANY && type != (uint32_t)m->pg_geom) {
		/* PostGIS takes MULTIPOINT EMPTY for POINT EMPTY in a Point column */
		if (m->pg_geom == TM_GEOM_POINT && type == TM_GEOM_MULTIPOINT && out->len - at == (srid ? 13u : 9u)) {
			out->len = at;
			buf_putc(out, 1);
			buf_put_u32le(out, srid ? 1 | 0x20000000u : 1);
			if (srid)
				buf_put_u32le(out, srid);
			uint64_t nan = UINT64_C(0x7ff8000000000000);
			buf_put_u64le(out, nan);
			buf_put_u64le(out, nan);
			return true;
		}
		out->len = at;
		return fail(st, "geometry type does not match the column's geometry type");
	}
	return true;
}

/* ---------------------------------------------------------------- dispatch */

/* enum_form index:text: "<member index>:<text>"; index 0 is MySQL's invalid value */
static bool enum_index_text(const uint8_t **in, size_t *n, convert_status *st)
{
	size_t k = 0;
	bool zero = true;
	while (k < *n && k < 6 && (*in)[k] >= '0' && (*in)[k] <= '9')
		zero = zero && (*in)[k++] == '0';
	if (k == 0 || k >= *n || (*in)[k] != ':')
		return fail(st, "malformed enum value (expected index:text)");
	if (zero)
		return fail(st, "MySQL's invalid ENUM value (index 0), which reads as '' like the member ''");
	*in += k + 1;
	*n -= k + 1;
	return true;
}

bool convert_value(const convert_column *c, const uint8_t *in, size_t n, buf *out, convert_status *st)
{
	memset(st, 0, sizeof *st);
	const typemap_result *m = &c->map;
	if (!in)
		in = (const uint8_t *)"";
	if (c->enum_index && !enum_index_text(&in, &n, st))
		return false;
	switch (m->pg) {
	case TM_PG_TEXT:
	case TM_PG_VARCHAR:
	case TM_PG_BPCHAR:
	case TM_PG_ENUM: {
		/* converted straight into out (no scratch copy per value), undone on failure */
		size_t at = out->len, nchars = 0;
		bool ok = to_text(c, in, n, out, &nchars, st) && fit_text(c, out, at, nchars, st);
		if (!ok)
			out->len = at;
		return ok;
	}
	case TM_PG_BOOL:
		if (m->src == TM_SRC_BIT)
			return conv_bit(c, in, n, out, st);
		return conv_bool_int(c, in, n, out, st);
	case TM_PG_INT2:
	case TM_PG_INT4:
	case TM_PG_INT8:
		if (m->src == TM_SRC_BIT)
			return conv_bit(c, in, n, out, st);
		return conv_int(c, in, n, out, st);
	case TM_PG_NUMERIC:
		if (m->src == TM_SRC_BIT)
			return conv_bit(c, in, n, out, st);
		return conv_numeric(c, in, n, out, st);
	case TM_PG_FLOAT4:
	case TM_PG_FLOAT8:
		return conv_float(c, in, n, out, st);
	case TM_PG_DATE:
	case TM_PG_TIMESTAMP:
	case TM_PG_TIMESTAMPTZ:
		return conv_datetime(c, in, n, out, st);
	case TM_PG_INTERVAL:
	case TM_PG_TIME:
		return conv_time(c, in, n, out, st);
	case TM_PG_BIT:
	case TM_PG_VARBIT:
		return conv_bit(c, in, n, out, st);
	case TM_PG_BYTEA:
		if (m->src == TM_SRC_GEOMETRY)
			return conv_geometry(c, in, n, out, st);
		buf_append(out, in, n);
		return true;
	case TM_PG_UUID:
		return conv_uuid(c, in, n, out, st);
	case TM_PG_JSONB:
	case TM_PG_JSON:
		return conv_json(c, in, n, out, st);
	case TM_PG_TEXT_ARRAY:
		return conv_set(c, in, n, out, st);
	case TM_PG_INET:
		return conv_inet(c, in, n, out, st);
	case TM_PG_GEOMETRY:
		return conv_postgis(c, in, n, out, st);
	default:
		return fail(st, "unsupported conversion");
	}
}

convert_stream_kind convert_stream_kind_of(const convert_column *c)
{
	if (c->map.pg == TM_PG_BYTEA && c->map.src != TM_SRC_GEOMETRY)
		return CONVERT_STREAM_COPY;
	if (c->map.pg == TM_PG_TEXT)
		return CONVERT_STREAM_TEXT;
	return CONVERT_STREAM_WHOLE;
}

/* ---------------------------------------------------------------- profiling */

int convert_refused_class(const convert_column *c, const uint8_t *in, size_t n, const char *reason)
{
	int found = -1;
	buf scratch;
	buf_init(&scratch);
	for (int k = 0; k < CONVERT_NCLASS && found < 0; k++) {
		if (c->pol.action[k] != CONVERT_REJECT)
			continue;
		int alt = -1;
		for (size_t a = 1; a < sizeof action_names / sizeof *action_names && alt < 0; a++)
			if (action_allowed((convert_class)k, (convert_action)a))
				alt = (int)a;
		if (alt < 0)
			continue;
		convert_column t = *c;
		t.pol.action[k] = (convert_action)alt;
		convert_status st;
		buf_reset(&scratch);
		bool ok = convert_value(&t, in, n, &scratch, &st);
		if (ok ? (st.changed & (1u << k)) != 0 : st.reason != reason)
			found = k;
	}
	buf_free(&scratch);
	return found;
}

static const struct {
	const char *prefix, *slug;
} reason_slugs[] = {
	{"value out of range for time", "time-out-of-range"},
	{"value out of range", "out-of-range"},
	{"value overflows numeric", "out-of-range"},
	{"numeric field overflow", "out-of-range"},
	{"value too long", "too-long"},
	{"value is not a label", "not-enum-member"},
	{"value has a fractional part", "fraction-lost"},
	{"value has more fractional digits", "fraction-lost"},
	{"value has a time of day", "time-of-day-lost"},
	{"invalid date", "invalid-date"},
	{"invalid time", "invalid-time"},
	{"invalid integer", "invalid-number"},
	{"invalid number", "invalid-number"},
	{"invalid floating-point", "invalid-number"},
	{"time zone conversion", "time-zone"},
	{"bit ", "invalid-bits"},
	{"binary value is not 16 bytes", "invalid-uuid"},
	{"invalid uuid", "invalid-uuid"},
	{"invalid inet", "invalid-inet"},
	{"invalid geometry", "invalid-geometry"},
	{"geometry", "invalid-geometry"},
	{"unsupported character set", "unsupported-charset"},
	{"unsupported conversion", "unsupported"},
};

const char *convert_reason_slug(const convert_column *c, const char *reason)
{
	if (!reason)
		return "refused";
	/* what the JSON parser or jsonb refuses (character set problems are policy classes) */
	if (c->map.pg == TM_PG_JSONB || c->map.pg == TM_PG_JSON)
		if (strncmp(reason, "unsupported character set", 25) != 0)
			return "invalid-json";
	for (size_t i = 0; i < sizeof reason_slugs / sizeof *reason_slugs; i++)
		if (strncmp(reason, reason_slugs[i].prefix, strlen(reason_slugs[i].prefix)) == 0)
			return reason_slugs[i].slug;
	return "refused";
}
