/*
 * fuzz_reader.c - libFuzzer target for the row stream reader.
 *
 * Any input must either be read to a clean end or rejected with an error;
 * never a crash, a hang, an out-of-bounds access or unbounded memory.
 *   make fuzz FUZZ_SECONDS=300
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"
#include "rowstream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	log_verbosity = -1;
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	lseek(fd, 0, SEEK_SET);
	rs_reader *r = rs_reader_new(fd, "fuzz");
	if (r) {
		uint8_t tmp[512];
		const rs_header *h = rs_reader_header(r);
		while (rs_reader_next(r) > 0) {
			const rs_value *v = rs_reader_values(r);
			for (size_t i = 0; i < h->ncols; i++) {
				if (v[i].chunked) {
					while (rs_reader_value_read(r, i, tmp, sizeof tmp) > 0)
						;
				} else if (!v[i].null && v[i].len) {
					/* touch the bytes so ASan checks the bounds */
					volatile uint8_t x = v[i].data[0] ^ v[i].data[v[i].len - 1];
					(void)x;
				}
			}
			if (rs_reader_at_block_end(r)) {
				size_t kl;
				const uint8_t *k = rs_reader_block_key(r, &kl);
				if (kl) {
					volatile uint8_t x = k[kl - 1];
					(void)x;
				}
			}
		}
		rs_reader_free(r);
	}
	close(fd);
	return 0;
}
