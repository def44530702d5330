/*
 * test.h - a tiny TAP producer for the C unit tests.
 *
 *   TEST(name) { CHECK(expr); CHECK_EQ_MEM(a, alen, b, blen); }
 *   int main(void) { RUN(name); return test_done(); }
 *
 * Each TEST is one TAP line ("ok N - name" / "not ok N - name"); failed
 * checks print a diagnostic (with a hexdump for memory) as TAP comments.
 */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

static int test_n, test_failed_total, test_cur_failed;

#define TEST(name) static void test_##name(void)
#define CHECK(e)                                                                   \
	do {                                                                           \
		if (!(e)) {                                                                \
			printf("# %s:%d: check failed: %s\n", __FILE__, __LINE__, #e);       \
			test_cur_failed = 1;                                                   \
		}                                                                          \
	} while (0)
#define CHECK_STR(a, b)                                                            \
	do {                                                                           \
		const char *a_ = (a), *b_ = (b);                                          \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                    \
			printf("# %s:%d: %s\n#   got:      \"%s\"\n#   expected: \"%s\"\n", __FILE__, \
			       __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)");            \
			test_cur_failed = 1;                                                   \
		}                                                                          \
	} while (0)
#define CHECK_MEM(a, alen, b, blen)                                                \
	do {                                                                           \
		if (!test_mem_eq((const unsigned char *)(a), (alen), (const unsigned char *)(b), (blen))) { \
			printf("# %s:%d: %s differs\n", __FILE__, __LINE__, #a);               \
			test_cur_failed = 1;                                                   \
		}                                                                          \
	} while (0)
#define RUN(name)                                                                  \
	do {                                                                           \
		test_cur_failed = 0;                                                       \
		test_##name();                                                             \
		test_n++;                                                                  \
		if (test_cur_failed)                                                       \
			test_failed_total++;                                                   \
		printf("%s %d - %s\n", test_cur_failed ? "not ok" : "ok", test_n, #name);   \
		fflush(stdout);                                                            \
	} while (0)

static inline void test_hexdump(const char *label, const unsigned char *p, size_t n)
{
	printf("#   %s (%zu bytes):", label, n);
	for (size_t i = 0; i < n && i < 256; i++)
		printf("%s%02x", i % 16 ? " " : "\n#     ", p[i]);
	printf("%s\n", n > 256 ? " ..." : "");
}

static inline int test_mem_eq(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 1;
	test_hexdump("got", a, alen);
	test_hexdump("expected", b, blen);
	return 0;
}

static inline int test_done(void)
{
	printf("1..%d\n", test_n);
	return test_failed_total ? 1 : 0;
}

#endif
