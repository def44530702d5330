/* mem_test.c - the string vector of common/mem.h */
#include <stdlib.h>

#include "mem.h"
#include "test.h"

TEST(strv_copies_and_frees)
{
	char **v = NULL;
	size_t n = 0;
	char name[] = "rooms";
	mem_strv_push(&v, &n, name);
	mem_strv_push(&v, &n, NULL);
	mem_strv_push(&v, &n, "a,b");
	name[0] = 'R'; /* a copy was kept */
	CHECK(n == 3);
	CHECK_STR(v[0], "rooms");
	CHECK_STR(v[1], "");
	CHECK_STR(v[2], "a,b");
	mem_strv_free(v, n);
	mem_strv_free(NULL, 0);
}

int main(void)
{
	RUN(strv_copies_and_frees);
	return test_done();
}
