#include "charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"

/*
 * The one table: MySQL name -> how its bytes are read. kind UTF8: the UTF-8 validator below;
 * BYTE: one byte per character, a 256-entry table built from iconv on first use; WIDE/MULTI:
 * glibc iconv on the whole value. unit: bytes skipped per invalid sequence when replacing.
 */
enum { K_NONE, K_UTF8, K_BYTE, K_MULTI, K_BINARY };
enum { S_NONE, S_SJIS, S_DBCS, S_EUCJP }; /* lead bytes 81-9F,E0-FC / 81-FE / 8E,8F(3),A1-FE */

static const struct cs_info {
	const char *name;
	const char *iconv; /* glibc iconv name; NULL for utf8/binary, or when glibc has none */
	const char *base;  /* a near relative iconv knows, when glibc has none (deviations fix it) */
	uint8_t kind;
	uint8_t unit;
	uint8_t step; /* how characters are delimited, for finding deviations in a multi-byte text */
} cs_table[CHARSET_COUNT] = {
	[CHARSET_UNKNOWN] = {"unknown", NULL, NULL, K_NONE, 1, S_NONE},
	[CHARSET_UTF8MB4] = {"utf8mb4", NULL, NULL, K_UTF8, 1, S_NONE},
	[CHARSET_UTF8MB3] = {"utf8mb3", NULL, NULL, K_UTF8, 1, S_NONE},
	[CHARSET_LATIN1] = {"latin1", "CP1252", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_ASCII] = {"ascii", "ASCII", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_BINARY] = {"binary", NULL, NULL, K_BINARY, 1, S_NONE},
	[CHARSET_ARMSCII8] = {"armscii8", "ARMSCII-8", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_BIG5] = {"big5", "BIG5", NULL, K_MULTI, 1, S_DBCS},
	[CHARSET_CP1250] = {"cp1250", "CP1250", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_CP1251] = {"cp1251", "CP1251", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_CP1256] = {"cp1256", "CP1256", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_CP1257] = {"cp1257", "CP1257", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_CP850] = {"cp850", "CP850", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_CP852] = {"cp852", "CP852", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_CP866] = {"cp866", "CP866", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_CP932] = {"cp932", "CP932", NULL, K_MULTI, 1, S_SJIS},
	[CHARSET_DEC8] = {"dec8", "DEC-MCS", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_EUCJPMS] = {"eucjpms", "EUC-JP-MS", NULL, K_MULTI, 1, S_EUCJP},
	[CHARSET_EUCKR] = {"euckr", "CP949", NULL, K_MULTI, 1, S_DBCS},
	[CHARSET_GB2312] = {"gb2312", "GB2312", NULL, K_MULTI, 1, S_DBCS},
	[CHARSET_GBK] = {"gbk", "GBK", NULL, K_MULTI, 1, S_DBCS},
	[CHARSET_GEOSTD8] = {"geostd8", "GEORGIAN-PS", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_GREEK] = {"greek", "ISO-8859-7", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_HEBREW] = {"hebrew", "ISO-8859-8", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_HP8] = {"hp8", "HP-ROMAN8", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_KEYBCS2] = {"keybcs2", NULL, "CP437", K_BYTE, 1, S_NONE},
	[CHARSET_KOI8R] = {"koi8r", "KOI8-R", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_KOI8U] = {"koi8u", "KOI8-U", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_LATIN2] = {"latin2", "ISO-8859-2", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_LATIN5] = {"latin5", "ISO-8859-9", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_LATIN7] = {"latin7", "ISO-8859-13", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_MACCE] = {"macce", "MAC-CENTRALEUROPE", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_MACROMAN] = {"macroman", "MACINTOSH", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_SJIS] = {"sjis", "SHIFT_JIS", NULL, K_MULTI, 1, S_SJIS},
	[CHARSET_SWE7] = {"swe7", "ISO646-SE2", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_TIS620] = {"tis620", "TIS-620", NULL, K_BYTE, 1, S_NONE},
	[CHARSET_UCS2] = {"ucs2", "UCS-2BE", NULL, K_MULTI, 2, S_NONE},
	[CHARSET_UJIS] = {"ujis", "EUC-JP", NULL, K_MULTI, 1, S_EUCJP},
	[CHARSET_UTF16] = {"utf16", "UTF-16BE", NULL, K_MULTI, 2, S_NONE},
	[CHARSET_UTF16LE] = {"utf16le", "UTF-16LE", NULL, K_MULTI, 2, S_NONE},
	[CHARSET_UTF32] = {"utf32", "UTF-32BE", NULL, K_MULTI, 4, S_NONE},
	/* MySQL 8 only (MariaDB 10.11 has none to check it against) */
	[CHARSET_GB18030] = {"gb18030", "GB18030", NULL, K_MULTI, 1, S_NONE},
};

/*
 * MySQL's deviations from the iconv mapping, found by comparing every byte (single-byte
 * sets) or every two-byte sequence (multi-byte sets) with the server's own
 * CONVERT(... USING utf8mb4) (tests/bats/charsets.bats repeats the sweep against the server).
 * cp DEV_INVALID: MySQL does not accept the sequence although iconv does.
 */
#define DEV_INVALID 0xFFFFFFFFu
static const struct cs_dev {
	charset_id cs;
	uint8_t len;           /* bytes per character */
	uint8_t lo[3], hi[3];  /* byte k of the character is within lo[k]..hi[k] */
	uint32_t cp;           /* the first character (then one more per position, row by row) */
} cs_devs[] = {
#include "charset_devs.h"
};

charset_id charset_from_name(const char *name)
{
	if (!name)
		return CHARSET_UNKNOWN;
	if (strcmp(name, "utf8") == 0)
		return CHARSET_UTF8MB3;
	for (int i = 1; i < CHARSET_COUNT; i++)
		if (strcmp(name, cs_table[i].name) == 0)
			return (charset_id)i;
	return CHARSET_UNKNOWN;
}

const char *charset_name(charset_id cs)
{
	return cs > CHARSET_UNKNOWN && cs < CHARSET_COUNT ? cs_table[cs].name : "unknown";
}

const char *charset_iconv_name(charset_id cs)
{
	if (cs <= CHARSET_UNKNOWN || cs >= CHARSET_COUNT)
		return NULL;
	return cs_table[cs].iconv ? cs_table[cs].iconv : cs_table[cs].base;
}

bool charset_is_text(charset_id cs)
{
	return cs > CHARSET_UNKNOWN && cs < CHARSET_COUNT && cs_table[cs].kind != K_BINARY;
}

int charset_unit(charset_id cs)
{
	return cs > CHARSET_UNKNOWN && cs < CHARSET_COUNT ? cs_table[cs].unit : 1;
}

void charset_put_utf8(buf *out, uint32_t cp)
{
	uint8_t s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (uint8_t)(0xC0 | (cp >> 6));
		s[1] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (uint8_t)(0xE0 | (cp >> 12));
		s[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (uint8_t)(0xF0 | (cp >> 18));
		s[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (uint8_t)(0x80 | (cp & 0x3F));
		n = 4;
	}
	buf_append(out, s, n);
}

int charset_utf8_seq(const uint8_t *p, size_t n)
{
	if (n == 0)
		return 0;
	uint8_t c = p[0];
	if (c < 0x80)
		return 1;
	size_t need;
	uint8_t lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0; /* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F; /* <= U+10FFFF */
	} else
		return -1;
	for (size_t i = 1; i < need; i++) {
		if (i >= n)
			return 0;
		uint8_t b = p[i];
		uint8_t l = i == 1 ? lo : 0x80, h = i == 1 ? hi : 0xBF;
		if (b < l || b > h)
			return -(int)i;
	}
	return (int)need;
}

size_t charset_utf8_count(const uint8_t *p, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			k++;
	return k;
}

void charset_conv_init(charset_conv *c, charset_id cs, charset_nul_action nul,
                       charset_invalid_action invalid)
{
	memset(c, 0, sizeof *c);
	c->cs = cs;
	c->nul = nul;
	c->invalid = invalid;
}

static bool conv_nul(charset_conv *c, buf *out, uint64_t off)
{
	switch (c->nul) {
	case CHARSET_NUL_STRIP:
		c->nul_changed++;
		return true;
	case CHARSET_NUL_ESCAPE:
		buf_append(out, "\\u0000", 6);
		c->nchars += 6;
		c->nul_changed++;
		return true;
	default:
		c->error = "NUL byte in text (PostgreSQL text cannot hold it)";
		c->error_offset = off;
		return false;
	}
}

static const char *invalid_msg(charset_id cs)
{
	static char msgs[CHARSET_COUNT][48];
	if (cs == CHARSET_ASCII)
		return "byte outside ascii";
	if (cs == CHARSET_UTF8MB4 || cs == CHARSET_UTF8MB3 || cs <= CHARSET_UNKNOWN || cs >= CHARSET_COUNT)
		return "invalid UTF-8";
	if (!msgs[cs][0])
		snprintf(msgs[cs], sizeof msgs[cs], "invalid %s byte sequence", cs_table[cs].name);
	return msgs[cs];
}

static bool conv_invalid(charset_conv *c, buf *out, uint64_t off)
{
	if (c->invalid == CHARSET_INVALID_REPLACE) {
		buf_append(out, "\xEF\xBF\xBD", 3);
		c->nchars++;
		c->invalid_changed++;
		return true;
	}
	c->error = invalid_msg(c->cs);
	c->error_offset = off;
	return false;
}

/* UTF-8 input (utf8mb4/utf8mb3); offsets are base + index in this piece */
static bool feed_utf8(charset_conv *c, const uint8_t *in, size_t n, buf *out)
{
	uint64_t base = c->in_bytes;
	size_t i = 0;
	/* complete a sequence left over from the previous piece */
	while (c->npend > 0 && i < n) {
		uint8_t tmp[8];
		size_t take = n - i < 4 ? n - i : 4;
		memcpy(tmp, c->pend, c->npend);
		memcpy(tmp + c->npend, in + i, take);
		int r = charset_utf8_seq(tmp, c->npend + take);
		if (r > 0) {
			buf_append(out, tmp, (size_t)r);
			c->nchars++;
			i += (size_t)r - c->npend;
			c->npend = 0;
		} else if (r == 0) {
			/* still incomplete: this (short) piece is all pending */
			memcpy(c->pend + c->npend, in + i, take);
			c->npend += take;
			i += take;
		} else {
			/* the pending bytes were a valid prefix, so the invalid subpart covers them */
			size_t k = (size_t)-r;
			if (!conv_invalid(c, out, base - c->npend))
				return false;
			i += k - c->npend;
			c->npend = 0;
		}
	}
	size_t run = i; /* start of a run of valid bytes not yet copied */
	while (i < n) {
		uint8_t b = in[i];
		if (b >= 0x01 && b < 0x80) {
			i++;
			c->nchars++;
			continue;
		}
		if (b == 0) {
			buf_append(out, in + run, i - run);
			if (!conv_nul(c, out, base + i))
				return false;
			run = ++i;
			continue;
		}
		int r = charset_utf8_seq(in + i, n - i);
		if (r > 0) {
			i += (size_t)r;
			c->nchars++;
		} else if (r == 0) {
			buf_append(out, in + run, i - run);
			c->npend = n - i;
			memcpy(c->pend, in + i, c->npend);
			c->in_bytes = base + n;
			return true;
		} else {
			buf_append(out, in + run, i - run);
			if (!conv_invalid(c, out, base + i))
				return false;
			i += (size_t)-r;
			run = i;
		}
	}
	buf_append(out, in + run, i - run);
	c->in_bytes = base + n;
	return true;
}

/* ------------------------------------------------ single-byte sets: one table each */

typedef struct byte_table {
	uint8_t len[256];  /* UTF-8 length of the character, 0 when MySQL has none */
	uint8_t u8[256][4];
	bool ident[256];   /* the byte is the same ASCII character (copied in runs) */
	uint32_t cp[256];
} byte_table;

static byte_table *byte_tables[CHARSET_COUNT];
static bool byte_failed[CHARSET_COUNT];

static const byte_table *byte_table_get(charset_id cs)
{
	if (byte_tables[cs] || byte_failed[cs])
		return byte_tables[cs];
	const char *name = cs_table[cs].iconv ? cs_table[cs].iconv : cs_table[cs].base;
	iconv_t cd = iconv_open("UTF-32BE", name);
	if (cd == (iconv_t)-1) {
		byte_failed[cs] = true;
		return NULL;
	}
	byte_table *t = mem_calloc(1, sizeof *t);
	for (int b = 0; b < 256; b++) {
		char in = (char)b, outb[8];
		char *ip = &in, *op = outb;
		size_t il = 1, ol = sizeof outb;
		iconv(cd, NULL, NULL, NULL, NULL);
		t->cp[b] = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && ol == 4 ? byteorder_get_u32be((uint8_t *)outb) : DEV_INVALID;
	}
	iconv_close(cd);
	for (size_t i = 0; i < sizeof cs_devs / sizeof *cs_devs; i++) {
		const struct cs_dev *d = &cs_devs[i];
		if (d->cs == cs && d->len == 1)
			for (int b = d->lo[0]; b <= d->hi[0]; b++)
				t->cp[b] = d->cp == DEV_INVALID ? DEV_INVALID : d->cp + (uint32_t)(b - d->lo[0]);
	}
	t->cp[0] = 0; /* NUL is NUL everywhere; the NUL policy decides */
	for (int b = 0; b < 256; b++) {
		if (t->cp[b] == DEV_INVALID)
			continue;
		buf u;
		buf_init(&u);
		charset_put_utf8(&u, t->cp[b]);
		t->len[b] = (uint8_t)u.len;
		memcpy(t->u8[b], u.data, u.len);
		buf_free(&u);
		t->ident[b] = b > 0 && t->cp[b] == (uint32_t)b && b < 0x80;
	}
	byte_tables[cs] = t;
	return t;
}

static bool unsupported(charset_conv *c)
{
	c->error = "unsupported character set (no converter for it)";
	c->error_offset = c->in_bytes;
	return false;
}

static bool feed_bytes(charset_conv *c, const uint8_t *in, size_t n, buf *out)
{
	const byte_table *t = byte_table_get(c->cs);
	if (!t)
		return unsupported(c);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = in[i];
		if (t->ident[b])
			continue;
		buf_append(out, in + run, i - run);
		run = i + 1;
		if (b == 0) {
			if (!conv_nul(c, out, c->in_bytes + i))
				return false;
			c->nchars--; /* counted below with the run */
			continue;
		}
		if (t->len[b] == 0) {
			if (!conv_invalid(c, out, c->in_bytes + i))
				return false;
			c->nchars--;
			continue;
		}
		buf_append(out, t->u8[b], t->len[b]);
	}
	buf_append(out, in + run, n - run);
	c->nchars += n;
	c->in_bytes += n;
	return true;
}

/* -------------------------------------------- multi-byte and wide sets: glibc iconv */

static iconv_t to_cd[CHARSET_COUNT], from_cd[CHARSET_COUNT];
static bool to_tried[CHARSET_COUNT], from_tried[CHARSET_COUNT];

static iconv_t cd_get(charset_id cs, bool to_utf8)
{
	iconv_t *cd = to_utf8 ? &to_cd[cs] : &from_cd[cs];
	bool *tried = to_utf8 ? &to_tried[cs] : &from_tried[cs];
	if (!*tried) {
		*tried = true;
		const char *name = cs_table[cs].iconv;
		*cd = !name ? (iconv_t)-1 : to_utf8 ? iconv_open("UTF-8", name) : iconv_open(name, "UTF-8");
	}
	if (*cd != (iconv_t)-1)
		iconv(*cd, NULL, NULL, NULL, NULL);
	return *cd;
}

/* the character of p at cp, when deviation d covers the len(d) bytes at p */
static bool dev_match(const struct cs_dev *d, const uint8_t *p, size_t n, uint32_t *cp)
{
	if (d->len > n)
		return false;
	uint32_t idx = 0;
	for (int k = 0; k < d->len; k++) {
		if (p[k] < d->lo[k] || p[k] > d->hi[k])
			return false;
		idx = idx * (uint32_t)(d->hi[k] - d->lo[k] + 1) + (uint32_t)(p[k] - d->lo[k]);
	}
	*cp = d->cp == DEV_INVALID ? DEV_INVALID : d->cp + idx;
	return true;
}

/* a deviation of cs that is the character at p[0..n) (clen bytes; 0: any length) */
static const struct cs_dev *dev_at(charset_id cs, const uint8_t *p, size_t n, size_t clen, uint32_t *cp)
{
	for (size_t i = 0; i < sizeof cs_devs / sizeof *cs_devs; i++) {
		const struct cs_dev *d = &cs_devs[i];
		if (d->cs == cs && (clen == 0 || d->len == clen) && dev_match(d, p, n, cp))
			return d;
	}
	return NULL;
}

/* bytes of the character that starts with lead byte b */
static size_t char_len(int step, uint8_t b)
{
	switch (step) {
	case S_SJIS: return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC) ? 2 : 1;
	case S_DBCS: return b >= 0x81 && b <= 0xFE ? 2 : 1;
	case S_EUCJP: return b == 0x8F ? 3 : b == 0x8E || (b >= 0xA1 && b <= 0xFE) ? 2 : 1;
	default: return 1;
	}
}

/* first bytes of the deviations of cs (multi-byte sets: where the scan must look) */
static uint8_t dev_leads[CHARSET_COUNT][32];
static bool dev_leads_ready[CHARSET_COUNT], dev_any[CHARSET_COUNT];

static void dev_leads_init(charset_id cs)
{
	if (dev_leads_ready[cs])
		return;
	dev_leads_ready[cs] = true;
	for (size_t i = 0; i < sizeof cs_devs / sizeof *cs_devs; i++) {
		if (cs_devs[i].cs != cs)
			continue;
		dev_any[cs] = true;
		for (int b = cs_devs[i].lo[0]; b <= cs_devs[i].hi[0]; b++)
			dev_leads[cs][b >> 3] |= (uint8_t)(1u << (b & 7));
	}
}

/* where the next deviating character starts in in[0..n) (n: none) */
static size_t next_dev(charset_id cs, const uint8_t *in, size_t n)
{
	if (!dev_any[cs])
		return n;
	int step = cs_table[cs].step;
	uint32_t cp;
	for (size_t i = 0; i < n;) {
		uint8_t b = in[i];
		size_t len = char_len(step, b);
		if ((dev_leads[cs][b >> 3] & (1u << (b & 7))) && dev_at(cs, in + i, n - i, len, &cp))
			return i;
		i += len;
	}
	return n;
}

/* the UTF-8 just written to out[at..] by iconv from source bytes src[0..): NUL characters
 * under the NUL policy, characters counted; base = source offset of src */
static bool after_iconv(charset_conv *c, iconv_t cd, buf *out, size_t at, const uint8_t *src, size_t srclen,
                        uint64_t base)
{
	uint8_t *z = memchr(out->data + at, 0, out->len - at);
	if (!z) {
		c->nchars += charset_utf8_count(out->data + at, out->len - at);
		return true;
	}
	if (c->nul == CHARSET_NUL_REJECT) {
		/* where the NUL came from: convert again into exactly the bytes before it */
		size_t before = (size_t)(z - (out->data + at));
		char *tmp = mem_alloc(before + 1), *ip = (char *)src, *op = tmp;
		size_t il = srclen, ol = before;
		iconv(cd, NULL, NULL, NULL, NULL);
		iconv(cd, &ip, &il, &op, &ol);
		free(tmp);
		return conv_nul(c, out, base + (uint64_t)(ip - (const char *)src));
	}
	/* strip or escape: rewrite the tail in place */
	buf tail;
	buf_init(&tail);
	buf_append(&tail, out->data + at, out->len - at);
	out->len = at;
	size_t run = 0;
	for (size_t i = 0; i < tail.len; i++) {
		if (tail.data[i] != 0)
			continue;
		buf_append(out, tail.data + run, i - run);
		c->nchars += charset_utf8_count(tail.data + run, i - run);
		conv_nul(c, out, 0);
		run = i + 1;
	}
	buf_append(out, tail.data + run, tail.len - run);
	c->nchars += charset_utf8_count(tail.data + run, tail.len - run);
	buf_free(&tail);
	return true;
}

/* converts in[0..n) (source offset base) as far as it goes; *used: bytes consumed (an
 * incomplete character at the end is left) */
static bool run_iconv(charset_conv *c, iconv_t cd, const uint8_t *in, size_t n, uint64_t base, buf *out,
                      size_t *used)
{
	size_t i = 0;
	dev_leads_init(c->cs);
	while (i < n) {
		size_t end = i + next_dev(c->cs, in + i, n - i); /* iconv up to MySQL's next own character */
		while (i < end) {
			size_t at = out->len;
			buf_reserve(out, (end - i) * 3 + 16);
			char *ip = (char *)(in + i), *op = (char *)out->data + out->len;
			size_t il = end - i, ol = out->cap - out->len;
			size_t r = iconv(cd, &ip, &il, &op, &ol);
			int e = r == (size_t)-1 ? errno : 0;
			out->len = (size_t)((uint8_t *)op - out->data);
			size_t j = (size_t)((const uint8_t *)ip - in);
			if (!after_iconv(c, cd, out, at, in + i, end - i, base + i))
				return false;
			i = j;
			if (e == 0 || e == E2BIG)
				continue;
			if (e == EINVAL && end == n) { /* incomplete character at the end */
				*used = i;
				return true;
			}
			/* EILSEQ (or a character cut by a deviation: invalid too) */
			if (!conv_invalid(c, out, base + i))
				return false;
			size_t skip = cs_table[c->cs].unit;
			i += skip < end - i ? skip : end - i;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
		if (i >= n)
			break;
		uint32_t cp;
		const struct cs_dev *d = dev_at(c->cs, in + i, n - i, char_len(cs_table[c->cs].step, in[i]), &cp);
		if (!d)
			continue;
		if (cp == DEV_INVALID) {
			if (!conv_invalid(c, out, base + i))
				return false;
			i += cs_table[c->cs].unit;
			continue;
		}
		if (cp == 0) {
			if (!conv_nul(c, out, base + i))
				return false;
		} else {
			charset_put_utf8(out, cp);
			c->nchars++;
		}
		i += d->len;
	}
	*used = i;
	return true;
}

static bool feed_iconv(charset_conv *c, const uint8_t *in, size_t n, buf *out)
{
	iconv_t cd = cd_get(c->cs, true);
	if (cd == (iconv_t)-1)
		return unsupported(c);
	uint64_t base = c->in_bytes;
	size_t i = 0, used;
	if (c->npend > 0) {
		/* a character begun in the previous piece: finish it with a few bytes of this one */
		uint8_t tmp[12];
		size_t np = c->npend, take = n < 8 ? n : 8;
		memcpy(tmp, c->pend, np);
		memcpy(tmp + np, in, take);
		if (!run_iconv(c, cd, tmp, np + take, base - np, out, &used))
			return false;
		if (used < np || (used < np + take && take == n)) {
			size_t rest = np + take - used;
			if (rest > sizeof c->pend) { /* cannot happen: characters are at most 4 bytes */
				c->npend = 0;
				return conv_invalid(c, out, base - np + used);
			}
			memmove(c->pend, tmp + used, rest);
			c->npend = rest;
			c->in_bytes = base + n;
			return true;
		}
		c->npend = 0;
		i = used - np;
	}
	if (!run_iconv(c, cd, in + i, n - i, base + i, out, &used))
		return false;
	i += used;
	size_t rest = n - i;
	if (rest > sizeof c->pend) {
		if (!conv_invalid(c, out, base + i))
			return false;
		rest = 0;
	}
	memcpy(c->pend, in + i, rest);
	c->npend = rest;
	c->in_bytes = base + n;
	return true;
}

bool charset_conv_feed(charset_conv *c, const uint8_t *in, size_t n, buf *out)
{
	if (c->error)
		return false;
	if (c->cs <= CHARSET_UNKNOWN || c->cs >= CHARSET_COUNT)
		return unsupported(c);
	switch (cs_table[c->cs].kind) {
	case K_UTF8:
		return feed_utf8(c, in, n, out);
	case K_BYTE:
		return feed_bytes(c, in, n, out);
	case K_MULTI:
		return feed_iconv(c, in, n, out);
	default:
		return unsupported(c);
	}
}

bool charset_conv_finish(charset_conv *c, buf *out)
{
	if (c->error)
		return false;
	if (c->npend > 0) {
		uint64_t off = c->in_bytes - c->npend;
		c->npend = 0;
		if (!conv_invalid(c, out, off))
			return false;
	}
	return true;
}

bool charset_to_utf8(charset_conv *c, const uint8_t *in, size_t n, buf *out)
{
	return charset_conv_feed(c, in, n, out) && charset_conv_finish(c, out);
}

bool charset_from_utf8(charset_id cs, const uint8_t *in, size_t n, buf *out)
{
	if (cs <= CHARSET_UNKNOWN || cs >= CHARSET_COUNT)
		return false;
	int kind = cs_table[cs].kind;
	if (kind == K_UTF8) {
		for (size_t i = 0; i < n;) {
			int len = charset_utf8_seq(in + i, n - i);
			if (len <= 0 || (cs == CHARSET_UTF8MB3 && len == 4))
				return false;
			i += (size_t)len;
		}
		buf_append(out, in, n);
		return true;
	}
	if (kind == K_BYTE) {
		const byte_table *t = byte_table_get(cs);
		if (!t)
			return false;
		for (size_t i = 0; i < n;) {
			int len = charset_utf8_seq(in + i, n - i);
			if (len <= 0)
				return false;
			uint32_t cp = len == 1 ? in[i] : (uint32_t)(in[i] & (0x7f >> len));
			for (int k = 1; k < len; k++)
				cp = cp << 6 | (in[i + (size_t)k] & 0x3f);
			int b = 0;
			while (b < 256 && (t->len[b] == 0 || t->cp[b] != cp))
				b++;
			if (b == 256)
				return false;
			buf_putc(out, (uint8_t)b);
			i += (size_t)len;
		}
		return true;
	}
	if (kind != K_MULTI)
		return false;
	/* through iconv, then back: only what converts to exactly the same text is MySQL's */
	iconv_t cd = cd_get(cs, false);
	if (cd == (iconv_t)-1)
		return false;
	size_t at = out->len;
	buf_reserve(out, n * 4 + 16);
	char *ip = (char *)in, *op = (char *)out->data + out->len;
	size_t il = n, ol = out->cap - out->len;
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	if (r == (size_t)-1 || il != 0 || r != 0)
		return false;
	out->len = (size_t)((uint8_t *)op - out->data);
	charset_conv c;
	charset_conv_init(&c, cs, CHARSET_NUL_STRIP, CHARSET_INVALID_REJECT);
	buf back;
	buf_init(&back);
	bool ok = charset_to_utf8(&c, out->data + at, out->len - at, &back) && back.len == n &&
	          memcmp(back.data, in, n) == 0;
	buf_free(&back);
	return ok;
}
