/* cli_test.c - option values and usage text (common/cli.c) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <getopt.h>
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

/* a second family of shared options for cs.more, as myconn_opts_more: -h HOST, -P (bad: "x") */
static int more_opt(void *ctx, int c, char *arg)
{
	char **host = ctx;
	if (c == 'h') {
		*host = arg;
		return 1;
	}
	if (c == 'P')
		return strcmp(arg, "x") == 0 ? -1 : 1;
	return 0;
}

/* the shared options as a tool declares them: argv (NULL-terminated) through cli_getopt;
 * returns what ended the scan: CLI_BAD, CLI_HELP, the tool's own option ('x', '?') or -1 */
static int parse_with(cli_settings *s, const char *shortopts, const char **args)
{
	static const struct option longopts[] = {
		CLI_LONG_COMMON, CLI_LONG_WRITER, CLI_LONG_DBNAME, CLI_LONG_REJECTS, CLI_LONG_RANGE,
		{"own", no_argument, NULL, 'x'},
		{NULL, 0, NULL, 0},
	};
	/* writable, as argv is (-d overwrites a password), and kept until the next call, as
	 * argv is (--rejects keeps a pointer) */
	static char store[16][64];
	char *argv[16];
	int argc = 0;
	argv[argc++] = "tool";
	for (; *args; args++, argc++)
		argv[argc] = strcpy(store[argc], *args);
	argv[argc] = NULL;
	optind = 0; /* a fresh scan */
	opterr = 0;
	return cli_getopt(argc, argv, shortopts, longopts, s);
}

static int parse(cli_settings *s, const char **args)
{
	return parse_with(s, CLI_SHORT_COMMON CLI_SHORT_HELP CLI_SHORT_FORCE CLI_SHORT_DBNAME "x", args);
}

TEST(common_options)
{
	cli_settings s;
	cli_settings_init(&s);
	CHECK(!s.force && !s.conninfo && s.zstd_level == 0 && s.block_bytes == 0 && !s.rejects && s.max_rejects == -1);
	/* the defaults stay when nothing is given */
	CHECK(parse(&s, (const char *[]){NULL}) == -1);
	CHECK(s.max_rejects == -1 && s.zstd_level == 0);

	CHECK(parse(&s, (const char *[]){"-f", "--zstd", "--block-bytes", "64K", "--max-rejects", "10", NULL}) == -1);
	CHECK(s.force && s.zstd_level == 3 && s.block_bytes == 65536 && s.max_rejects == 10);
	CHECK(parse(&s, (const char *[]){"--force", "--zstd=19", "--rejects", "r.rs", NULL}) == -1);
	CHECK(s.zstd_level == 19 && s.rejects && strcmp(s.rejects, "r.rs") == 0);
	CHECK(parse(&s, (const char *[]){"--max-rejects=0", NULL}) == -1 && s.max_rejects == 0);
	CHECK(parse(&s, (const char *[]){"--max-rejects", "9223372036854775807", NULL}) == -1 &&
	      s.max_rejects == 9223372036854775807LL);

	/* -d keeps a copy, with the password in argv overwritten (pgconn_take_conninfo) */
	CHECK(parse(&s, (const char *[]){"-d", "dbname=a password=secret", NULL}) == -1);
	CHECK(s.conninfo && strcmp(s.conninfo, "dbname=a password=secret") == 0);
	CHECK(parse(&s, (const char *[]){"--dbname=b", NULL}) == -1);
	CHECK(s.conninfo && strcmp(s.conninfo, "b") == 0);

	/* an extractor's rows: an empty bound is no bound */
	CHECK(s.range.limit == -1 && !s.range.columns && !s.range.where && !s.range.after && !s.range.until);
	CHECK(parse(&s, (const char *[]){"--columns=a,b", "--where", "a > 1", "--after", "", "--until", "9", "--limit",
	                                  "0", NULL}) == -1);
	CHECK(strcmp(s.range.columns, "a,b") == 0 && strcmp(s.range.where, "a > 1") == 0 && !s.range.after &&
	      strcmp(s.range.until, "9") == 0 && s.range.limit == 0);
	CHECK(parse(&s, (const char *[]){"--after=7", "--limit=9223372036854775807", NULL}) == -1);
	CHECK(strcmp(s.range.after, "7") == 0 && s.range.limit == 9223372036854775807LL);

	/* verbosity counts in order: -q -v is the normal level in every tool */
	int saved = log_verbosity;
	log_verbosity = 1;
	CHECK(parse(&s, (const char *[]){"-v", "--verbose", NULL}) == -1 && log_verbosity == 3);
	CHECK(parse(&s, (const char *[]){"-q", NULL}) == -1 && log_verbosity == 0);
	CHECK(parse(&s, (const char *[]){"--quiet", "-v", NULL}) == -1 && log_verbosity == 1);
	log_verbosity = saved;

	/* --help and -h stop the scan; a tool's own option comes back, the shared ones before
	 * it taken */
	CHECK(parse(&s, (const char *[]){"--help", "--zstd=99", NULL}) == CLI_HELP);
	CHECK(parse(&s, (const char *[]){"-h", NULL}) == CLI_HELP);
	s.force = false;
	CHECK(parse(&s, (const char *[]){"-f", "-x", NULL}) == 'x' && s.force);
	CHECK(parse(&s, (const char *[]){"--no-such", NULL}) == '?');
	CHECK(parse(&s, (const char *[]){"--block-bytes", NULL}) == '?'); /* its value missing */

	/* bad values stop the scan and change nothing: counts take no suffix, sizes the block range */
	cli_settings_free(&s);
	cli_settings_init(&s);
	const char *bad[][3] = {
	    {"--zstd=0", NULL}, {"--zstd=23", NULL}, {"--zstd=x", NULL}, {"--max-rejects", "1K"},
	    {"--max-rejects", "-1"}, {"--max-rejects", "9223372036854775808"}, {"--block-bytes", "4095"},
	    {"--block-bytes", "1K"}, {"--block-bytes", "33M"}, {"--limit", "1K"}, {"--limit", "-1"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK(parse(&s, bad[i]) == CLI_BAD);
	CHECK(s.zstd_level == 0 && s.max_rejects == -1 && s.block_bytes == 0 && s.range.limit == -1);
	cli_settings_free(&s);
	CHECK(s.conninfo == NULL);
}

TEST(more_options_and_the_mysql_host)
{
	/* where -h takes an argument (the MySQL host, "h:"), it is not --help: cs.more has it */
	cli_settings s;
	cli_settings_init(&s);
	char *host = NULL;
	s.more = more_opt;
	s.more_ctx = &host;
	const char *my = CLI_SHORT_COMMON "h:P:";
	CHECK(parse_with(&s, my, (const char *[]){"-h", "db1", "-P", "3306", NULL}) == -1);
	CHECK(host && strcmp(host, "db1") == 0);
	CHECK(parse_with(&s, my, (const char *[]){"--help", NULL}) == CLI_HELP);
	CHECK(parse_with(&s, my, (const char *[]){"-P", "x", NULL}) == CLI_BAD);
	/* without the hook, -h HOST is the tool's own */
	s.more = NULL;
	CHECK(parse_with(&s, my, (const char *[]){"-h", "db2", NULL}) == 'h');
	cli_settings_free(&s);
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
	RUN(common_options);
	RUN(more_options_and_the_mysql_host);
	return test_done();
}
