/*
 * rs-splice - damages a row stream the way a bad copy or storage layer would, with every
 * frame intact on its own (test tool, not installed).
 *
 *   rs-splice [--drop N] [--dup N] [--swap N] [--v1] < stream > damaged
 *
 * A block here is a block frame with the chunk frames that follow it; N counts blocks
 * from 1. The trailer is kept as written.
 * --drop N:  block N left out.
 * --dup N:   block N written twice in a row.
 * --swap N:  blocks N and N + 1 exchanged.
 * --v1:      the stream rewritten in format version 1 (no seq/prev fields; checksums,
 *            frame count and digest recomputed, so that an undamaged stream stays valid).
 * At most one of --drop, --dup, --swap.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "buf.h"
#include "byteorder.h"
#include "log.h"

typedef struct unit {
	size_t off, len; /* a block frame and its chunk frames */
} unit;

static void frame_v1(buf *out, const uint8_t *f, size_t len, size_t fixed_v1, uint64_t *digest)
{
	/* v2 frame: fixed_v1 bytes, u64 seq, u64 prev, the rest, u64 checksum */
	size_t start = out->len;
	buf_append(out, f, fixed_v1);
	buf_append(out, f + fixed_v1 + 16, len - fixed_v1 - 16 - 8);
	uint64_t sum = XXH3_64bits(out->data + start, out->len - start);
	buf_put_u64le(out, sum);
	uint8_t x[8];
	byteorder_put_u64le(x, sum);
	*digest = XXH3_64bits_withSeed(x, 8, *digest);
}

int main(int argc, char **argv)
{
	log_init(argv[0]);
	long drop = 0, dup = 0, swap = 0;
	bool v1 = false;
	static const struct option longopts[] = {
		{"drop", required_argument, NULL, 'd'}, {"dup", required_argument, NULL, 'D'},
		{"swap", required_argument, NULL, 's'}, {"v1", no_argument, NULL, '1'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': drop = strtol(optarg, NULL, 10); break;
		case 'D': dup = strtol(optarg, NULL, 10); break;
		case 's': swap = strtol(optarg, NULL, 10); break;
		case '1': v1 = true; break;
		default:
			fprintf(stderr, "usage: rs-splice [--drop N] [--dup N] [--swap N] [--v1] < stream > damaged\n");
			return 2;
		}
	}
	buf in;
	buf_init(&in);
	uint8_t tmp[65536];
	ssize_t n;
	while ((n = read(STDIN_FILENO, tmp, sizeof tmp)) > 0)
		buf_append(&in, tmp, (size_t)n);
	if (in.len < 24 + 40 || memcmp(in.data, "\x89ROW\r\n\x1a\n", 8) != 0 || byteorder_get_u16le(in.data + 8) != 2) {
		log_error("stdin: not a version 2 row stream");
		return 3;
	}
	size_t hdr_len = 16 + byteorder_get_u32le(in.data + 12) + 8, off = hdr_len;
	unit *u = NULL;
	size_t nu = 0;
	while (off < in.len && in.data[off] != 'T') {
		size_t len;
		if (in.data[off] == 'B')
			len = 36 + (size_t)byteorder_get_u32le(in.data + off + 16) + byteorder_get_u32le(in.data + off + 12) + 8;
		else if (in.data[off] == 'V')
			len = 24 + (size_t)byteorder_get_u32le(in.data + off + 4) + 8;
		else
			break;
		if (off + len > in.len)
			break;
		if (in.data[off] == 'B' || nu == 0) {
			u = mem_realloc(u, (nu + 1) * sizeof *u);
			u[nu].off = off;
			u[nu++].len = 0;
		}
		u[nu - 1].len += len;
		off += len;
	}
	if (off + 40 != in.len || in.data[off] != 'T') {
		log_error("stdin: malformed stream at byte %zu", off);
		return 3;
	}
	long which = drop ? drop : dup ? dup : swap;
	if (which < 0 || (size_t)which > nu || (swap && (size_t)swap >= nu)) {
		log_error("the stream has %zu blocks", nu);
		return 2;
	}
	/* the order of the blocks */
	size_t *order = mem_calloc(nu + 1, sizeof *order), k = 0;
	for (size_t i = 0; i < nu; i++) {
		size_t b = i + 1;
		if (drop && (long)b == drop)
			continue;
		if (swap && (long)b == swap)
			order[k++] = i + 1;
		else if (swap && (long)b == swap + 1)
			order[k++] = i - 1;
		else
			order[k++] = i;
		if (dup && (long)b == dup)
			order[k++] = i;
	}
	/* in version 1: every unit rewritten, the trailer of the undamaged stream recomputed */
	buf conv;
	buf_init(&conv);
	uint8_t trailer[40];
	memcpy(trailer, in.data + off, 40);
	const uint8_t *src = in.data;
	if (v1) {
		buf_append(&conv, in.data, hdr_len);
		conv.data[8] = 1;
		uint64_t digest = XXH3_64bits(conv.data, hdr_len - 8), frames = 0;
		byteorder_put_u64le(conv.data + hdr_len - 8, digest);
		for (size_t i = 0; i < nu; i++) {
			const uint8_t *p = in.data + u[i].off, *end = p + u[i].len;
			size_t start = conv.len;
			while (p < end) {
				size_t len = p[0] == 'B' ? 36 + (size_t)byteorder_get_u32le(p + 16) + byteorder_get_u32le(p + 12) + 8
				                         : 24 + (size_t)byteorder_get_u32le(p + 4) + 8;
				frame_v1(&conv, p, len, p[0] == 'B' ? 20 : 8, &digest);
				frames++;
				p += len;
			}
			u[i].off = start;
			u[i].len = conv.len - start;
		}
		byteorder_put_u64le(trailer + 16, frames);
		byteorder_put_u64le(trailer + 24, digest);
		byteorder_put_u64le(trailer + 32, XXH3_64bits(trailer, 32));
		src = conv.data;
	}
	buf out;
	buf_init(&out);
	buf_append(&out, src, hdr_len);
	for (size_t i = 0; i < k; i++)
		buf_append(&out, src + u[order[i]].off, u[order[i]].len);
	buf_append(&out, trailer, 40);
	size_t done = 0;
	while (done < out.len) {
		ssize_t w = write(STDOUT_FILENO, out.data + done, out.len - done);
		if (w <= 0) {
			log_errno("stdout: write error");
			return 6;
		}
		done += (size_t)w;
	}
	free(order);
	free(u);
	buf_free(&in);
	buf_free(&conv);
	buf_free(&out);
	return 0;
}
