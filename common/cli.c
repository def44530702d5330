#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "keytext.h"
#include "log.h"
#include "conninfo.h"
#include "rowstream.h"

/* digits and an optional suffix (sizes): false when v is not that, or out of range */
static bool parse_value(const char *v, bool size, unsigned long long min, unsigned long long max,
                        unsigned long long *out)
{
	if (*v < '0' || *v > '9')
		return false; /* no sign, no space: strtoull would take them */
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if (errno)
		return false;
	unsigned shift = 0;
	if (size && *end) {
		const char *sfx = strchr("kKmMgG", *end);
		if (!sfx)
			return false;
		shift = 10u * (unsigned)((sfx - "kKmMgG") / 2 + 1);
		end++;
	}
	if (*end || (shift && x > (~0ull >> shift)))
		return false;
	x <<= shift;
	if (x < min || x > max)
		return false;
	*out = x;
	return true;
}

/* parse_value, logging a bad value with the range it must be in */
static bool parse_logged(const char *opt, const char *v, bool size, unsigned long long min, unsigned long long max,
                         unsigned long long *out)
{
	if (parse_value(v, size, min, max, out))
		return true;
	log_error("invalid %s '%s' (%llu to %llu%s)", opt, v, min, max, size ? " bytes, or with a K, M or G suffix" : "");
	return false;
}

bool cli_parse_number(const char *opt, const char *v, unsigned long long min, unsigned long long max,
                      unsigned long long *out)
{
	return parse_logged(opt, v, false, min, max, out);
}

bool cli_parse_size(const char *opt, const char *v, unsigned long long min, unsigned long long max,
                    unsigned long long *out)
{
	return parse_logged(opt, v, true, min, max, out);
}

bool cli_parse_block_bytes(const char *v, size_t *out)
{
	unsigned long long n;
	if (!cli_parse_size("--block-bytes", v, CLI_BLOCK_BYTES_MIN, RS_MAX_BLOCK / 2, &n))
		return false;
	*out = (size_t)n;
	return true;
}

void cli_settings_init(cli_settings *s)
{
	memset(s, 0, sizeof *s);
	s->max_rejects = -1;
	s->range.limit = -1;
}

void cli_settings_free(cli_settings *s)
{
	free(s->conninfo);
	s->conninfo = NULL;
}

/* one getopt_long result: 1 a shared option (s or log_verbosity set), 0 not one, -1 a bad
 * value (logged), CLI_HELP */
static int common_opt(int c, char *arg, cli_settings *s)
{
	unsigned long long n;
	switch (c) {
	case 'q':
		log_verbosity = 0;
		return 1;
	case 'v':
		log_verbosity++;
		return 1;
	case 'h':
		return arg ? 0 : CLI_HELP; /* with an argument, the tool's -h (the MySQL host) */
	case 'f':
		s->force = true;
		return 1;
	case 'd':
		/* a copy; the password in argv is overwritten at once (ps, /proc/PID/cmdline) */
		free(s->conninfo);
		s->conninfo = pgconn_take_conninfo(arg);
		return 1;
	case CLI_OPT_ZSTD:
		n = 3;
		if (arg && !cli_parse_number("--zstd", arg, 1, 22, &n))
			return -1;
		s->zstd_level = (int)n;
		return 1;
	case CLI_OPT_BLOCK_BYTES:
		return cli_parse_block_bytes(arg, &s->block_bytes) ? 1 : -1;
	case CLI_OPT_REJECTS:
		s->rejects = arg;
		return 1;
	case CLI_OPT_MAX_REJECTS:
		if (!cli_parse_number("--max-rejects", arg, 0, (unsigned long long)LLONG_MAX, &n))
			return -1;
		s->max_rejects = (long long)n;
		return 1;
	case CLI_OPT_COLUMNS:
		s->range.columns = arg;
		return 1;
	case CLI_OPT_WHERE:
		s->range.where = arg;
		return 1;
	case CLI_OPT_AFTER:
		s->range.after = keytext_bound(arg);
		return 1;
	case CLI_OPT_UNTIL:
		s->range.until = keytext_bound(arg);
		return 1;
	case CLI_OPT_LIMIT:
		if (!cli_parse_number("--limit", arg, 0, (unsigned long long)LLONG_MAX, &n))
			return -1;
		s->range.limit = (long long)n;
		return 1;
	}
	return 0;
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts, cli_settings *s)
{
	for (;;) {
		int c = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (c == -1 || c == '?' || c == ':')
			return c;
		int k = common_opt(c, optarg, s);
		if (k == 0 && s->more)
			k = s->more(s->more_ctx, c, optarg);
		if (k == 0)
			return c;
		if (k == CLI_HELP)
			return CLI_HELP;
		if (k < 0)
			return CLI_BAD;
	}
}

#define USAGE_WIDTH 80

/* the length of the next word of s: up to a space outside brackets (or any space when
 * the bracketed group alone is wider than room) */
static size_t usage_word(const char *s, size_t room)
{
	size_t n = 0;
	int depth = 0;
	for (; s[n] && !(s[n] == ' ' && depth == 0); n++) {
		if (s[n] == '[')
			depth++;
		else if (s[n] == ']' && depth > 0)
			depth--;
	}
	if (n > room) {
		size_t sp = strcspn(s, " ");
		return sp < n ? sp : n;
	}
	return n;
}

void cli_usage(FILE *f, const char *const *forms)
{
	for (size_t i = 0; forms[i]; i++) {
		const char *s = forms[i];
		const char *lead = i == 0 ? "usage: " : "       ";
		size_t name = strcspn(s, " ");
		size_t indent = strlen(lead) + name + 1;
		fprintf(f, "%s%.*s", lead, (int)name, s);
		size_t col = strlen(lead) + name;
		s += name;
		while (*s == ' ')
			s++;
		bool first = true;
		while (*s) {
			size_t w = usage_word(s, USAGE_WIDTH - indent);
			if (!first && col + 1 + w > USAGE_WIDTH) {
				fprintf(f, "\n%*s", (int)indent, "");
				col = indent;
			} else {
				fputc(' ', f);
				col++;
			}
			fprintf(f, "%.*s", (int)w, s);
			col += w;
			first = false;
			s += w;
			while (*s == ' ')
				s++;
		}
		fputc('\n', f);
	}
}

bool cli_is_std(const char *path)
{
	return !path || strcmp(path, "-") == 0;
}

static int open_path(const char *path, int flags, int std, const char *std_name, const char **name)
{
	if (cli_is_std(path)) {
		*name = std_name;
		return std;
	}
	*name = path;
	int fd;
	do
		fd = open(path, flags | O_CLOEXEC, 0644);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		log_errno("%s", path);
	return fd;
}

int cli_open_read(const char *path, const char **name)
{
	return open_path(path, O_RDONLY, STDIN_FILENO, "stdin", name);
}

int cli_open_write(const char *path, const char **name)
{
	return open_path(path, O_WRONLY | O_CREAT | O_TRUNC, STDOUT_FILENO, "stdout", name);
}

bool cli_close(int fd, const char *name)
{
	if (fd <= STDERR_FILENO)
		return true;
	if (close(fd) != 0 && errno != EINTR) {
		log_errno("%s: close failed", name);
		return false;
	}
	return true;
}

double cli_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_sigpipe(int sig)
{
	(void)sig;
	_exit(EXIT_IO);
}

void cli_sigpipe_exits(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigpipe;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
	/* a parent may have left it blocked (the signal mask is inherited): then a write to a
	 * closed pipe would fail with EPIPE instead, and each module would log it its own way */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

void cli_init(const char *argv0)
{
	log_init(argv0);
	cli_sigpipe_exits();
}
