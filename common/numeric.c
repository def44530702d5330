#include "numeric.h"

#include <string.h>

void numeric_init(numeric_dec *d)
{
	memset(d, 0, sizeof *d);
	buf_init(&d->digits);
}

void numeric_free(numeric_dec *d)
{
	buf_free(&d->digits);
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

bool numeric_parse(numeric_dec *d, const uint8_t *s, size_t n, bool allow_exp, bool allow_nan,
                   const char **err)
{
	size_t i = 0;
	buf_reset(&d->digits);
	d->neg = false;
	d->nan = false;
	d->point = 0;
	d->dscale = 0;
	if (allow_nan && n == 3 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'a' && (s[2] | 0x20) == 'n') {
		d->nan = true;
		return true;
	}
	if (i < n && (s[i] == '-' || s[i] == '+'))
		d->neg = s[i++] == '-';
	size_t nint = 0, nfrac = 0;
	while (i < n && is_digit(s[i])) {
		buf_putc(&d->digits, s[i++]);
		nint++;
	}
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && is_digit(s[i])) {
			buf_putc(&d->digits, s[i++]);
			nfrac++;
		}
	}
	if (nint + nfrac == 0) {
		*err = "invalid number";
		return false;
	}
	int64_t exp = 0;
	if (allow_exp && i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		if (i >= n || !is_digit(s[i])) {
			*err = "invalid number";
			return false;
		}
		while (i < n && is_digit(s[i])) {
			if (exp < 1000000000000LL)
				exp = exp * 10 + (s[i] - '0');
			i++;
		}
		if (eneg)
			exp = -exp;
		/* numeric_in's limit on the exponent */
		if (exp >= 1073741823 || exp <= -1073741823) {
			*err = "value overflows numeric format";
			return false;
		}
	}
	if (i != n) {
		*err = "invalid number";
		return false;
	}
	/* normalise: strip leading zeros (each moves the point), then trailing zeros */
	size_t lead = 0, len = d->digits.len;
	while (lead < len && d->digits.data[lead] == '0')
		lead++;
	d->point = (int64_t)nint - (int64_t)lead + exp;
	size_t end = len;
	while (end > lead && d->digits.data[end - 1] == '0')
		end--;
	if (lead > 0)
		memmove(d->digits.data, d->digits.data + lead, end - lead);
	d->digits.len = end - lead;
	d->dscale = (int64_t)nfrac - exp;
	if (d->dscale < 0)
		d->dscale = 0;
	if (d->digits.len == 0) {
		d->neg = false;
		d->point = 0;
	}
	if (d->dscale > NUMERIC_MAX_DSCALE || numeric_int_digits(d) > NUMERIC_MAX_INT_DIGITS) {
		*err = "value overflows numeric format";
		return false;
	}
	return true;
}

int64_t numeric_int_digits(const numeric_dec *d)
{
	return d->digits.len > 0 && d->point > 0 ? d->point : 0;
}

bool numeric_apply_typmod(numeric_dec *d, int precision, int scale, const char **err)
{
	if (d->nan)
		return true;
	int64_t frac = (int64_t)d->digits.len - d->point; /* significant digits after the point */
	if (frac > scale) {
		*err = "value has more fractional digits than the column scale (it would be rounded)";
		return false;
	}
	if (numeric_int_digits(d) > precision - scale) {
		*err = "numeric field overflow (too many digits before the decimal point)";
		return false;
	}
	d->dscale = scale;
	return true;
}

/* the digit of decimal exponent e (value = sum digit x 10^e), '0' outside */
static char digit_at(const numeric_dec *d, int64_t e)
{
	int64_t idx = d->point - 1 - e;
	if (idx < 0 || idx >= (int64_t)d->digits.len)
		return '0';
	return (char)d->digits.data[idx];
}

void numeric_out(const numeric_dec *d, buf *out)
{
	if (d->nan) {
		buf_puts(out, "NaN");
		return;
	}
	if (d->neg)
		buf_putc(out, '-');
	int64_t nint = numeric_int_digits(d);
	if (nint == 0)
		buf_putc(out, '0');
	else {
		/* digits before the point: the significant ones, then zeros */
		size_t sig = (size_t)nint < d->digits.len ? (size_t)nint : d->digits.len;
		buf_append(out, d->digits.data, sig);
		for (int64_t k = (int64_t)sig; k < nint; k++)
			buf_putc(out, '0');
	}
	if (d->dscale > 0) {
		buf_putc(out, '.');
		buf_reserve(out, (size_t)d->dscale);
		for (int64_t k = 1; k <= d->dscale; k++)
			buf_putc(out, (uint8_t)digit_at(d, -k));
	}
}

static int64_t floordiv4(int64_t a)
{
	return a >= 0 ? a / 4 : -((-a + 3) / 4);
}

void numeric_send(const numeric_dec *d, buf *out)
{
	if (d->nan) {
		buf_put_u16be(out, 0);
		buf_put_u16be(out, 0);
		buf_put_u16be(out, 0xC000);
		buf_put_u16be(out, 0);
		return;
	}
	if (d->digits.len == 0) {
		buf_put_u16be(out, 0);
		buf_put_u16be(out, 0);
		buf_put_u16be(out, 0);
		buf_put_u16be(out, (uint16_t)d->dscale);
		return;
	}
	/* the first digit has decimal exponent point-1, the last point-len */
	int64_t gfirst = floordiv4(d->point - 1);
	int64_t glast = floordiv4(d->point - (int64_t)d->digits.len);
	buf_put_u16be(out, (uint16_t)(gfirst - glast + 1));
	buf_put_u16be(out, (uint16_t)(int16_t)gfirst);
	buf_put_u16be(out, d->neg ? 0x4000 : 0);
	buf_put_u16be(out, (uint16_t)d->dscale);
	for (int64_t g = gfirst; g >= glast; g--) {
		int v = 0;
		for (int k = 3; k >= 0; k--)
			v = v * 10 + (digit_at(d, g * 4 + k) - '0');
		buf_put_u16be(out, (uint16_t)v);
	}
}
