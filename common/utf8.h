/*
 * utf8.h - the fast check of UTF-8 text: valid, and without NUL bytes.
 *
 * The usual text value (a name, an ENUM label, a JSON string) is valid UTF-8 and needs no
 * conversion, only a check; this module does that check eight ASCII bytes at a time and
 * counts the characters on the way. What it refuses is not necessarily an error: the caller
 * then takes the general way (charset.h), which finds the offending byte, applies the
 * policies (nul-in-text, invalid-utf8) and words the reason.
 *
 * Valid means what charset_utf8_seq accepts, which is what PostgreSQL accepts: no overlong
 * forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
 *
 *   "Ayşe #7"  = 41 79 c5 9f 65 20 23 37   valid, 7 characters (c5 9f is U+015F)
 *   "a\0b"     = 61 00 62                  refused (NUL)
 *   c0 af                                  refused (overlong '/')
 *   ed a0 80                               refused (U+D800, a surrogate)
 */
#ifndef UTF8_H
#define UTF8_H

#include "checked.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* true when p[0..n) is valid UTF-8 without a NUL byte; *nchars (when not NULL) is then
 * its number of characters. false: not such text (nothing logged, *nchars unchanged) */
CHECKED bool utf8_check(const uint8_t *p, size_t n, size_t *nchars);

#endif
