#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const char *log_progname = "rowtool";
int log_verbosity = 1;

void log_init(const char *argv0)
{
	const char *s = strrchr(argv0, '/');
	log_progname = s ? s + 1 : argv0;
}

static void log_v(const char *level, const char *fmt, va_list ap, const char *suffix)
{
	char line[8192];
	int n = snprintf(line, sizeof line, "%s: %s", log_progname, level);
	if (n < 0 || (size_t)n >= sizeof line)
		n = 0;
	int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	if (m < 0)
		m = 0;
	size_t len = strlen(line);
	if (suffix && len + 2 < sizeof line)
		snprintf(line + len, sizeof line - len, ": %s", suffix);
	len = strlen(line);
	if (len + 1 < sizeof line) {
		line[len++] = '\n';
		line[len] = 0;
	}
	/* one write per line, so lines from parallel tools do not interleave */
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

void log_error(const char *fmt, ...)
{
	if (log_verbosity < 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_v("", fmt, ap, NULL);
	va_end(ap);
}

void log_errno(const char *fmt, ...)
{
	int e = errno;
	if (log_verbosity < 0)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_v("", fmt, ap, strerror(e));
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	if (log_verbosity < 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_v("warning: ", fmt, ap, NULL);
	va_end(ap);
}

void log_notice(const char *fmt, ...)
{
	if (log_verbosity < 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_v("", fmt, ap, NULL);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	if (log_verbosity < 2)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_v("", fmt, ap, NULL);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	if (log_verbosity < 3)
		return;
	va_list ap;
	va_start(ap, fmt);
	log_v("debug: ", fmt, ap, NULL);
	va_end(ap);
}

bool log_check_stdout_binary(bool force)
{
	if (!force && isatty(STDOUT_FILENO)) {
		log_error("stdout is a terminal, refusing to write a binary row stream (use -f to force, or redirect)");
		return false;
	}
	return true;
}
