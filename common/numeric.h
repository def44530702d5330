/*
 * numeric.h - decimal numbers as PostgreSQL's numeric type holds them.
 *
 * A decimal text ("-123.4500", "1e2", "0.0010") is parsed into its significant
 * digits, the position of the decimal point and the display scale (dscale), the
 * way numeric_in does: dscale = digits after the point - exponent (at least 0).
 * From that, numeric_out's text and numeric_send's binary form are produced:
 *
 *   numeric_send: int16 ndigits | int16 weight | int16 sign | int16 dscale |
 *                 ndigits x int16 base-10000 digits (all big-endian)
 *   sign 0x0000 positive, 0x4000 negative, 0xC000 NaN; zero has ndigits 0, weight 0;
 *   no leading or trailing zero base-10000 digits.
 *   12345678.9 -> 0003 0001 0000 0001 | 04d2 162e 2328   (1234 5678 .9000)
 *   -1e2       -> 0001 0000 4000 0000 | 0064
 *   0.00       -> 0000 0000 0000 0002
 */
#ifndef NUMERIC_H
#define NUMERIC_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* PostgreSQL's limits */
#define NUMERIC_MAX_INT_DIGITS 131072 /* (NUMERIC_WEIGHT_MAX + 1) * 4 */
#define NUMERIC_MAX_DSCALE 16383

typedef struct numeric_dec {
	bool neg;
	bool nan;
	buf digits;     /* significant digits '0'..'9', no leading or trailing zeros; empty: zero */
	int64_t point;  /* value = 0.DIGITS x 10^point */
	int64_t dscale; /* digits shown after the decimal point */
} numeric_dec;

void numeric_init(numeric_dec *d);
void numeric_free(numeric_dec *d);

/* strict decimal syntax: [+-]digits[.digits] or [+-].digits, with [eE][+-]digits when
 * allow_exp; also "NaN" when allow_nan. False with a static reason in *err. */
CHECKED bool numeric_parse(numeric_dec *d, const uint8_t *s, size_t n, bool allow_exp, bool allow_nan,
                   const char **err);
/* applies numeric(precision, scale): refuses values that would be rounded or overflow */
CHECKED bool numeric_apply_typmod(numeric_dec *d, int precision, int scale, const char **err);
/* digits before the decimal point (0 for |value| < 1) */
int64_t numeric_int_digits(const numeric_dec *d);
void numeric_out(const numeric_dec *d, buf *out);
void numeric_send(const numeric_dec *d, buf *out);

#endif
