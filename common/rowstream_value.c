/*
 * rowstream_value.c - one value's encoding: a varint tag, then the bytes (rowstream.h).
 * The bodies are rowstream_int.h's, which the writer and the reader inline.
 */
#include "rowstream.h"

#include "rowstream_int.h"

void rs_encode_value(buf *b, const void *data, size_t len, bool null)
{
	encode_value(b, data, len, null);
}

bool rs_decode_values(const uint8_t *p, size_t len, size_t n, rs_value *out)
{
	return decode_values(p, len, n, out);
}
