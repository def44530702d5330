/*
 * charset-conv - a MySQL character set to UTF-8 through common/charset.c, one value a line
 * (test tool, not installed).
 *
 *   charset-conv [--iconv] CHARSET < hex-lines
 *
 * Each input line is a value in hex digits; each output line is the hex digits of its UTF-8
 * text (upper case), or "-" when the value is refused. For sweeps against the server's
 * CONVERT(... USING utf8mb4). --iconv: through plain glibc iconv with the set's iconv name,
 * without MySQL's deviations (to find them); a NUL character is then printed as 00.
 */
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "charset.h"
#include "hex.h"

int main(int argc, char **argv)
{
	bool plain = argc == 3 && strcmp(argv[1], "--iconv") == 0;
	if (argc != 2 + plain) {
		fprintf(stderr, "usage: charset-conv [--iconv] CHARSET < hex-lines\n");
		return 2;
	}
	charset_id cs = charset_from_name(argv[1 + plain]);
	if (cs == CHARSET_UNKNOWN) {
		fprintf(stderr, "charset-conv: %s: unknown character set\n", argv[1 + plain]);
		return 2;
	}
	iconv_t cd = (iconv_t)-1;
	if (plain && (!charset_iconv_name(cs) || (cd = iconv_open("UTF-8", charset_iconv_name(cs))) == (iconv_t)-1)) {
		fprintf(stderr, "charset-conv: %s: no iconv converter\n", argv[2]);
		return 2;
	}
	char line[8192];
	buf in, out;
	buf_init(&in);
	buf_init(&out);
	while (fgets(line, sizeof line, stdin)) {
		buf_reset(&in);
		buf_reset(&out);
		size_t n = 0;
		while (hex_value((unsigned char)line[n]) >= 0)
			n++;
		if (!hex_decode(&in, line, n - n % 2)) /* the whole pairs of the line's hex digits */
			continue;                         /* cannot happen */
		bool ok;
		if (plain) {
			buf_reserve(&out, in.len * 4 + 16);
			char *ip = (char *)in.data, *op = (char *)out.data;
			size_t il = in.len, ol = out.cap;
			iconv(cd, NULL, NULL, NULL, NULL);
			ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1;
			out.len = (size_t)((uint8_t *)op - out.data);
		} else {
			charset_conv c;
			charset_conv_init(&c, cs, CHARSET_NUL_ESCAPE, CHARSET_INVALID_REJECT);
			ok = charset_to_utf8(&c, in.data, in.len, &out);
		}
		if (!ok) {
			puts("-");
			continue;
		}
		buf_reset(&in);
		hex_append_digits(&in, out.data, out.len, HEX_UPPER);
		buf_putc(&in, '\n');
		fwrite(in.data, 1, in.len, stdout);
	}
	buf_free(&in);
	buf_free(&out);
	return fclose(stdout) == 0 ? 0 : 1;
}
