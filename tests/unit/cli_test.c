/* cli_test.c - option values and usage text (common/cli.c) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "exitcodes.h"
#include "log.h"
#include "rowstream.h"
#include "test.h"

TEST(counts)
{
	unsigned long long v = 7;
	CHECK(cli_parse_number("--n", "0", 0, 10, &v) && v == 0);
	CHECK(cli_parse_number("--n", "10", 0, 10, &v) && v == 10);
	CHECK(cli_parse_number("--n", "18446744073709551615", 0, ~0ull, &v) && v == ~0ull);
	v = 7;
	/* a count takes no suffix, sign, space or fraction; the range holds */
	const char *bad[] = {"1K", "1k", "", "-1", "+1", " 1", "1 ", "1.5", "0x10", "11", "18446744073709551616"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!cli_parse_number("--n", bad[i], 0, 10, &v));
	CHECK(v == 7);
	CHECK(!cli_parse_number("--n", "0", 1, 10, &v));
}

TEST(sizes)
{
	unsigned long long v = 0;
	CHECK(cli_parse_size("--s", "65536", 0, ~0ull, &v) && v == 65536);
	CHECK(cli_parse_size("--s", "64K", 0, ~0ull, &v) && v == 65536);
	CHECK(cli_parse_size("--s", "64k", 0, ~0ull, &v) && v == 65536);
	CHECK(cli_parse_size("--s", "256M", 0, ~0ull, &v) && v == 256ull << 20);
	CHECK(cli_parse_size("--s", "1G", 0, ~0ull, &v) && v == 1ull << 30);
	CHECK(cli_parse_size("--s", "3g", 0, ~0ull, &v) && v == 3ull << 30);
	CHECK(cli_parse_size("--s", "0", 0, ~0ull, &v) && v == 0);
	/* 2^34 G overflows 64 bits */
	CHECK(!cli_parse_size("--s", "17179869184G", 0, ~0ull, &v));
	const char *bad[] = {"", "K", "1KB", "1T", "-1K", "+1", "1 K", "1.5M", "1KK"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(!cli_parse_size("--s", bad[i], 0, ~0ull, &v));
	CHECK(!cli_parse_size("--s", "2K", 0, 2047, &v));
}

TEST(block_bytes)
{
	size_t n = 0;
	CHECK(cli_parse_block_bytes("4096", &n) && n == 4096);
	CHECK(cli_parse_block_bytes("4K", &n) && n == 4096);
	CHECK(cli_parse_block_bytes("256K", &n) && n == 262144);
	CHECK(cli_parse_block_bytes("32M", &n) && n == RS_MAX_BLOCK / 2);
	CHECK(!cli_parse_block_bytes("4095", &n));
	CHECK(!cli_parse_block_bytes("1K", &n));
	CHECK(!cli_parse_block_bytes("33M", &n));
}

/* cli_usage into a string */
static char *usage_text(const char *const *forms)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);
	cli_usage(f, forms);
	fclose(f);
	return s;
}

TEST(usage_wraps_and_aligns)
{
	static const char *const forms[] = {
	    "tool [-a] [--long-option value] [--another-option value] [--third-option value] [file]",
	    "tool --other [x]",
	    NULL,
	};
	char *s = usage_text(forms);
	CHECK_STR(s, "usage: tool [-a] [--long-option value] [--another-option value]\n"
	             "            [--third-option value] [file]\n"
	             "       tool --other [x]\n");
	free(s);
	/* a bracketed group is not broken unless it alone is wider than a line */
	static const char *const nested[] = {
	    "t [--choose one | two | three | four | five | six | seven | eight | nine | ten | eleven | twelve] f",
	    NULL,
	};
	s = usage_text(nested);
	CHECK_STR(s, "usage: t [--choose one | two | three | four | five | six | seven | eight | nine\n"
	             "         | ten | eleven | twelve] f\n");
	free(s);
}

TEST(file_or_dash)
{
	const char *name = NULL;
	CHECK(cli_open_read(NULL, &name) == STDIN_FILENO);
	CHECK_STR(name, "stdin");
	CHECK(cli_open_read("-", &name) == STDIN_FILENO);
	CHECK(cli_open_write("-", &name) == STDOUT_FILENO);
	CHECK_STR(name, "stdout");
	CHECK(cli_close(STDIN_FILENO, "stdin") && cli_close(STDOUT_FILENO, "stdout"));
	CHECK(fcntl(STDOUT_FILENO, F_GETFD) >= 0); /* the standard ones stay open */
	char path[4096];
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/cli-open-%d", dir && *dir ? dir : "/tmp", (int)getpid());
	/* a path: created (or emptied) for writing, then read back */
	int fd = cli_open_write(path, &name);
	CHECK(fd > STDERR_FILENO);
	CHECK_STR(name, path);
	CHECK(write(fd, "abc", 3) == 3);
	CHECK(cli_close(fd, name));
	fd = cli_open_write(path, &name);
	CHECK(fd > STDERR_FILENO && write(fd, "x", 1) == 1 && cli_close(fd, name));
	char got[8] = {0};
	fd = cli_open_read(path, &name);
	CHECK(fd > STDERR_FILENO && read(fd, got, sizeof got) == 1 && got[0] == 'x');
	CHECK(cli_close(fd, name));
	unlink(path);
	/* a path that is not there: -1 (logged) */
	CHECK(cli_open_read(path, &name) == -1);
	CHECK_STR(name, path);
}

/* the SIGPIPE policy: a child writing into a pipe whose reader is gone ends with EXIT_IO */
TEST(closed_pipe_exits_with_io_status)
{
	for (int blocked = 0; blocked < 2; blocked++) {
		int p[2];
		CHECK(pipe(p) == 0);
		close(p[0]); /* no reader, in either process */
		pid_t pid = fork();
		if (pid == 0) {
			if (blocked) { /* a parent that left SIGPIPE blocked changes nothing */
				sigset_t set;
				sigemptyset(&set);
				sigaddset(&set, SIGPIPE);
				sigprocmask(SIG_BLOCK, &set, NULL);
			}
			cli_init("cli_test");
			for (int i = 0; i < 1000; i++)
				if (write(p[1], "x", 1) < 0)
					_exit(99); /* EPIPE: the policy did not hold */
			_exit(98);
		}
		close(p[1]);
		int st = 0;
		CHECK(waitpid(pid, &st, 0) == pid);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == EXIT_IO);
	}
}

int main(void)
{
	log_verbosity = -1;
	RUN(counts);
	RUN(sizes);
	RUN(block_bytes);
	RUN(usage_wraps_and_aligns);
	RUN(file_or_dash);
	RUN(closed_pipe_exits_with_io_status);
	return test_done();
}
