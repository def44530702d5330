/* log_test.c - the levels of common/log.c: what -q silences, what plain runs and -v show */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "test.h"

/* what the log functions wrote to stderr while f ran at verbosity v */
static char *captured(int v, void (*f)(void))
{
	static char out[4096];
	char path[4096];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/log-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	int saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	log_verbosity = v;
	f();
	dup2(saved, STDERR_FILENO);
	close(saved);
	ssize_t n = pread(fd, out, sizeof out - 1, 0);
	close(fd);
	out[n > 0 ? n : 0] = 0;
	return out;
}

static void each_level(void)
{
	log_error("e %d", 1);
	log_warn("w");
	log_notice("%d rows differ", 3);
	log_info("i");
	log_debug("d");
}

TEST(levels)
{
	CHECK_STR(captured(-1, each_level), "");
	/* -q: errors only */
	CHECK_STR(captured(0, each_level), "log_test: e 1\n");
	/* a plain run: warnings and the summary (notice) */
	CHECK_STR(captured(1, each_level), "log_test: e 1\nlog_test: warning: w\nlog_test: 3 rows differ\n");
	/* -v, -vv */
	CHECK_STR(captured(2, each_level),
	          "log_test: e 1\nlog_test: warning: w\nlog_test: 3 rows differ\nlog_test: i\n");
	CHECK_STR(captured(3, each_level),
	          "log_test: e 1\nlog_test: warning: w\nlog_test: 3 rows differ\nlog_test: i\nlog_test: debug: d\n");
}

int main(int argc, char **argv)
{
	(void)argc;
	log_init(argv[0]);
	RUN(levels);
	return test_done();
}
