#include "myconn.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <errmsg.h>
#include <mysqld_error.h>

#include "hex.h"
#include "log.h"

#define QUERY_SHOWN 300 /* characters of a failing query shown in its error message */

void myconn_opts_init(myconn_opts *o)
{
	memset(o, 0, sizeof *o);
}

static void wipe_free(char *s)
{
	if (!s)
		return;
	volatile char *p = s;
	while (*p)
		*p++ = 0;
	free(s);
}

void myconn_opts_free(myconn_opts *o)
{
	free(o->host);
	free(o->user);
	wipe_free(o->password);
	free(o->socket);
	free(o->database);
	free(o->defaults_file);
	free(o->defaults_extra_file);
	free(o->ssl_ca);
	free(o->ssl_cert);
	free(o->ssl_key);
	myconn_opts_init(o);
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = mem_strdup(v);
}

static bool parse_port(const char *v, unsigned *port)
{
	char *end;
	errno = 0;
	unsigned long p = strtoul(v, &end, 10);
	if (errno || end == v || *end || p == 0 || p > 65535)
		return false;
	*port = (unsigned)p;
	return true;
}

static bool parse_ssl_mode(const char *v, myconn_ssl_mode *mode)
{
	static const struct {
		const char *name;
		myconn_ssl_mode mode;
	} modes[] = {
		{"DISABLED", MYCONN_SSL_DISABLED},       {"PREFERRED", MYCONN_SSL_PREFERRED},
		{"REQUIRED", MYCONN_SSL_REQUIRED},       {"VERIFY_CA", MYCONN_SSL_VERIFY_CA},
		{"VERIFY_IDENTITY", MYCONN_SSL_VERIFY_IDENTITY},
	};
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (strcasecmp(v, modes[i].name) == 0) {
			*mode = modes[i].mode;
			return true;
		}
	}
	return false;
}

/* copies a password argument and overwrites it in argv, so ps(1) does not show it */
static void take_password(myconn_opts *o, char *arg)
{
	wipe_free(o->password);
	o->password = mem_strdup(arg);
	o->password_prompt = false;
	for (char *p = arg; *p; p++)
		*p = 'x';
}

int myconn_opts_more(void *ctx, int opt, char *arg)
{
	myconn_opts *o = ctx;
	int k = myconn_opts_parse(o, opt, arg);
	if (k > 0)
		o->given++;
	return k;
}

int myconn_opts_parse(myconn_opts *o, int opt, char *arg)
{
	switch (opt) {
	case 'h': set_str(&o->host, arg); return 1;
	case 'u': set_str(&o->user, arg); return 1;
	case 'S': set_str(&o->socket, arg); return 1;
	case 'D': set_str(&o->database, arg); return 1;
	case 'P':
	case MYCONN_OPT_PORT:
		if (!parse_port(arg, &o->port)) {
			log_error("invalid port '%s'", arg);
			return -1;
		}
		return 1;
	case 'p':
	case MYCONN_OPT_PASSWORD:
		if (arg) {
			take_password(o, arg);
		} else {
			wipe_free(o->password);
			o->password = NULL;
			o->password_prompt = true;
		}
		return 1;
	case MYCONN_OPT_DEFAULTS_FILE: set_str(&o->defaults_file, arg); return 1;
	case MYCONN_OPT_DEFAULTS_EXTRA_FILE: set_str(&o->defaults_extra_file, arg); return 1;
	case MYCONN_OPT_NO_DEFAULTS: o->no_defaults = true; return 1;
	case MYCONN_OPT_SSL_CA: set_str(&o->ssl_ca, arg); return 1;
	case MYCONN_OPT_SSL_CERT: set_str(&o->ssl_cert, arg); return 1;
	case MYCONN_OPT_SSL_KEY: set_str(&o->ssl_key, arg); return 1;
	case MYCONN_OPT_SSL_MODE:
		if (!parse_ssl_mode(arg, &o->ssl_mode)) {
			log_error("invalid --ssl-mode '%s' (DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY)",
			          arg);
			return -1;
		}
		return 1;
	case MYCONN_OPT_CONNECT_TIMEOUT: {
		char *end;
		errno = 0;
		unsigned long t = strtoul(arg, &end, 10);
		if (errno || end == arg || *end || t == 0 || t > 86400) {
			log_error("invalid --connect-timeout '%s' (seconds, 1 to 86400)", arg);
			return -1;
		}
		o->connect_timeout = (unsigned)t;
		return 1;
	}
	default: return 0;
	}
}

/* ------------------------------------------------------------ option file */

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

/* an option file value: surrounding quotes removed, the usual backslash escapes resolved */
static void unquote_value(char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0]) {
		memmove(v, v + 1, n - 2);
		v[n - 2] = 0;
	}
	char *w = v;
	for (char *r = v; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			switch (*r) {
			case 'n': *w++ = '\n'; break;
			case 't': *w++ = '\t'; break;
			case 'r': *w++ = '\r'; break;
			case 'b': *w++ = '\b'; break;
			case 's': *w++ = ' '; break;
			case '"':
			case '\'':
			case '\\': *w++ = *r; break;
			default:
				*w++ = '\\';
				*w++ = *r;
			}
		} else {
			*w++ = *r;
		}
	}
	*w = 0;
}

static bool extra_option(myconn_opts *o, const char *path, unsigned line, const char *key, char *val)
{
	char k[64];
	size_t n = strlen(key);
	if (n >= sizeof k)
		return true; /* not one of ours */
	for (size_t i = 0; i <= n; i++)
		k[i] = key[i] == '_' ? '-' : key[i];
	/* only fill what the command line did not give */
#define FILL(field)                         \
	do {                                    \
		if (!o->field)                      \
			o->field = mem_strdup(val ? val : ""); \
	} while (0)
	if (strcmp(k, "host") == 0) {
		FILL(host);
	} else if (strcmp(k, "user") == 0) {
		FILL(user);
	} else if (strcmp(k, "password") == 0) {
		if (!o->password && !o->password_prompt)
			o->password = mem_strdup(val ? val : "");
	} else if (strcmp(k, "socket") == 0) {
		FILL(socket);
	} else if (strcmp(k, "database") == 0) {
		FILL(database);
	} else if (strcmp(k, "ssl-ca") == 0) {
		FILL(ssl_ca);
	} else if (strcmp(k, "ssl-cert") == 0) {
		FILL(ssl_cert);
	} else if (strcmp(k, "ssl-key") == 0) {
		FILL(ssl_key);
	} else if (strcmp(k, "port") == 0) {
		if (!o->port && (!val || !parse_port(val, &o->port))) {
			log_error("%s:%u: invalid port", path, line);
			return false;
		}
	} else if (strcmp(k, "ssl-mode") == 0) {
		if (o->ssl_mode == MYCONN_SSL_DEFAULT && (!val || !parse_ssl_mode(val, &o->ssl_mode))) {
			log_error("%s:%u: invalid ssl-mode", path, line);
			return false;
		}
	} else {
		log_debug("%s:%u: option '%s' ignored", path, line, key);
	}
#undef FILL
	return true;
}

bool myconn_read_extra_file(myconn_opts *o, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		log_errno("%s: unable to read option file", path);
		return false;
	}
	char *line = NULL;
	size_t cap = 0;
	unsigned lineno = 0;
	bool in_group = false, ok = true;
	while (ok && getline(&line, &cap, f) >= 0) {
		lineno++;
		char *s = trim(line);
		if (*s == 0 || *s == '#' || *s == ';' || *s == '!')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end) {
				log_error("%s:%u: malformed group line", path, lineno);
				ok = false;
				break;
			}
			*end = 0;
			char *g = trim(s + 1);
			in_group = strcmp(g, "client") == 0 || strcmp(g, "client-server") == 0 ||
			           strcmp(g, "client-mariadb") == 0;
			continue;
		}
		if (!in_group)
			continue;
		char *eq = strchr(s, '=');
		char *val = NULL;
		if (eq) {
			*eq = 0;
			val = trim(eq + 1);
			unquote_value(val);
		}
		ok = extra_option(o, path, lineno, trim(s), val);
	}
	if (ok && ferror(f)) {
		log_errno("%s: read error", path);
		ok = false;
	}
	if (line) {
		memset(line, 0, cap); /* it may have held a password */
		free(line);
	}
	fclose(f);
	return ok;
}

/* ------------------------------------------------------------ connecting */

static bool prompt_password(myconn_opts *o)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		log_errno("unable to prompt for the password: /dev/tty");
		return false;
	}
	static const char prompt[] = "Enter password: ";
	ssize_t w = write(fd, prompt, sizeof prompt - 1);
	(void)w;
	struct termios old, noecho;
	bool restore = false;
	if (tcgetattr(fd, &old) == 0) {
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		noecho.c_lflag |= ECHONL;
		restore = tcsetattr(fd, TCSANOW, &noecho) == 0; /* keep what was typed ahead */
	}
	char pw[1024];
	size_t n = 0;
	bool ok = true;
	for (;;) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			log_errno("unable to read the password from /dev/tty");
			ok = false;
			break;
		}
		if (r == 0 || c == '\n' || c == '\r')
			break;
		if (n + 1 < sizeof pw)
			pw[n++] = c;
	}
	if (restore)
		tcsetattr(fd, TCSANOW, &old);
	close(fd);
	pw[n] = 0;
	if (ok) {
		wipe_free(o->password);
		o->password = mem_strdup(pw);
		o->password_prompt = false;
	}
	memset(pw, 0, sizeof pw);
	return ok;
}

void myconn_log_error(MYSQL *m, const char *fmt, ...)
{
	char ctx[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx, sizeof ctx, fmt, ap);
	va_end(ap);
	log_error("[source] %u %s (%s)", mysql_errno(m), mysql_error(m), ctx);
}

static bool set_option(MYSQL *m, enum mysql_option opt, const void *arg, const char *what)
{
	if (mysql_optionsv(m, opt, arg) != 0) {
		log_error("[source] unable to set connection option %s", what);
		return false;
	}
	return true;
}

static bool configure(MYSQL *m, const myconn_opts *o)
{
	unsigned timeout = o->connect_timeout ? o->connect_timeout : 30;
	unsigned long packet = 1ul << 30;
	my_bool off = 0, on = 1;
	unsigned infile = 0;
	if (!set_option(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout, "connect timeout") ||
	    !set_option(m, MYSQL_OPT_MAX_ALLOWED_PACKET, &packet, "max_allowed_packet") ||
	    !set_option(m, MYSQL_OPT_LOCAL_INFILE, &infile, "local infile") ||
	    !set_option(m, MYSQL_SET_CHARSET_NAME, "utf8mb4", "character set"))
		return false;
	if (o->defaults_file) {
		if (!set_option(m, MYSQL_READ_DEFAULT_FILE, o->defaults_file, "defaults file") ||
		    !set_option(m, MYSQL_READ_DEFAULT_GROUP, "client", "defaults group"))
			return false;
	} else if (!o->no_defaults) {
		if (!set_option(m, MYSQL_READ_DEFAULT_GROUP, "client", "defaults group"))
			return false;
	}

	myconn_ssl_mode mode = o->ssl_mode;
	if (mode == MYCONN_SSL_DEFAULT) {
		if (o->ssl_ca)
			mode = MYCONN_SSL_VERIFY_CA;
		else if (o->ssl_cert || o->ssl_key)
			mode = MYCONN_SSL_PREFERRED;
		else
			return true; /* the library's (and option files') defaults */
	}
	if (mode == MYCONN_SSL_DISABLED)
		return set_option(m, MYSQL_OPT_SSL_ENFORCE, &off, "ssl enforce") &&
		       set_option(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &off, "ssl verify server cert");
	if ((o->ssl_ca && !set_option(m, MYSQL_OPT_SSL_CA, o->ssl_ca, "ssl-ca")) ||
	    (o->ssl_cert && !set_option(m, MYSQL_OPT_SSL_CERT, o->ssl_cert, "ssl-cert")) ||
	    (o->ssl_key && !set_option(m, MYSQL_OPT_SSL_KEY, o->ssl_key, "ssl-key")))
		return false;
	/* Connector/C 3.3: enforce asks for TLS (falling back to plain text when the server has
	 * none, checked after connecting); a CA file makes it verify the chain; verify server
	 * cert adds the host name check (and refuses plain text) */
	my_bool verify = mode == MYCONN_SSL_VERIFY_IDENTITY;
	return set_option(m, MYSQL_OPT_SSL_ENFORCE, &on, "ssl enforce") &&
	       set_option(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify, "ssl verify server cert");
}

static myconn_ssl_mode effective_ssl_mode(const myconn_opts *o)
{
	if (o->ssl_mode != MYCONN_SSL_DEFAULT)
		return o->ssl_mode;
	return o->ssl_ca ? MYCONN_SSL_VERIFY_CA : MYCONN_SSL_DEFAULT;
}

/* session settings; those a server may not know (MariaDB vs MySQL) are optional */
static bool session_setup(MYSQL *m)
{
	if (mysql_set_character_set(m, "utf8mb4") != 0) {
		myconn_log_error(m, "SET NAMES utf8mb4");
		return false;
	}
	if (!myconn_exec(m, "SET SESSION character_set_results = NULL, time_zone = '+00:00', "
	                    "sql_mode = 'ALLOW_INVALID_DATES', net_read_timeout = 3600, "
	                    "net_write_timeout = 3600, sql_big_selects = 1"))
		return false;
	static const char *const optional[] = {
		"SET SESSION sql_select_limit = 18446744073709551615",
		"SET SESSION max_join_size = 18446744073709551615",
		"SET SESSION wait_timeout = 31536000",
		"SET SESSION max_statement_time = 0",  /* MariaDB */
		"SET SESSION max_execution_time = 0",  /* MySQL */
	};
	for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
		if (mysql_real_query(m, optional[i], strlen(optional[i])) != 0) {
			unsigned e = mysql_errno(m);
			if (e != ER_UNKNOWN_SYSTEM_VARIABLE && e != ER_WRONG_VALUE_FOR_VAR && e != ER_WRONG_TYPE_FOR_VAR) {
				myconn_log_error(m, "query: %s", optional[i]);
				return false;
			}
			log_debug("[source] %s: %s (ignored)", optional[i], mysql_error(m));
		}
	}
	return true;
}

bool myconn_opts_finish(myconn_opts *o)
{
	if (o->finished)
		return true;
	if (o->defaults_file && access(o->defaults_file, R_OK) != 0) {
		log_errno("%s: unable to read option file", o->defaults_file);
		return false;
	}
	if (o->defaults_extra_file && !myconn_read_extra_file(o, o->defaults_extra_file))
		return false;
	if ((o->ssl_mode == MYCONN_SSL_VERIFY_CA || o->ssl_mode == MYCONN_SSL_VERIFY_IDENTITY) && !o->ssl_ca) {
		log_error("--ssl-mode=%s needs --ssl-ca",
		          o->ssl_mode == MYCONN_SSL_VERIFY_CA ? "VERIFY_CA" : "VERIFY_IDENTITY");
		return false;
	}
	if (o->password_prompt && !prompt_password(o))
		return false;
	o->finished = true;
	return true;
}

MYSQL *myconn_connect(myconn_opts *o)
{
	if (!myconn_opts_finish(o))
		return NULL;
	/* the client library ignores SIGPIPE when it initialises (on the first mysql_init):
	 * keep the tool's policy (cli.h) */
	struct sigaction pipe_action;
	sigset_t mask;
	sigaction(SIGPIPE, NULL, &pipe_action);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	MYSQL *m = mysql_init(NULL);
	sigaction(SIGPIPE, &pipe_action, NULL);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (!m) {
		log_error("[source] unable to initialise the MySQL client library");
		return NULL;
	}
	if (!configure(m, o)) {
		mysql_close(m);
		return NULL;
	}
	if (!mysql_real_connect(m, o->host, o->user, o->password, o->database, o->port, o->socket, 0)) {
		log_error("[source] %u unable to connect: %s", mysql_errno(m), mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	myconn_ssl_mode mode = effective_ssl_mode(o);
	if (mode >= MYCONN_SSL_REQUIRED && !mysql_get_ssl_cipher(m)) {
		log_error("[source] TLS is required (--ssl-mode) but the connection is not encrypted: the server "
		          "does not support it");
		mysql_close(m);
		return NULL;
	}
	log_info("[source] connected to %s (%s)%s", mysql_get_host_info(m), mysql_get_server_info(m),
	         mysql_get_ssl_cipher(m) ? ", TLS" : "");
	if (!session_setup(m)) {
		mysql_close(m);
		return NULL;
	}
	return m;
}

void myconn_close(MYSQL *m)
{
	if (m)
		mysql_close(m);
}

bool myconn_is_mariadb(MYSQL *m)
{
	const char *v = mysql_get_server_info(m);
	return v && strstr(v, "MariaDB") != NULL;
}

/* ------------------------------------------------------------ queries */

static bool run(MYSQL *m, const char *sql)
{
	log_debug("[source] query: %s", sql);
	if (mysql_real_query(m, sql, strlen(sql)) != 0) {
		myconn_log_error(m, "query: %.*s%s", QUERY_SHOWN, sql, strlen(sql) > QUERY_SHOWN ? "..." : "");
		return false;
	}
	return true;
}

bool myconn_exec(MYSQL *m, const char *sql)
{
	if (!run(m, sql))
		return false;
	/* discard results, of every statement */
	for (;;) {
		MYSQL_RES *r = mysql_store_result(m);
		if (r)
			mysql_free_result(r);
		else if (mysql_field_count(m) != 0) {
			myconn_log_error(m, "reading the result of: %.*s", QUERY_SHOWN, sql);
			return false;
		}
		int more = mysql_next_result(m);
		if (more < 0)
			return true;
		if (more > 0) {
			myconn_log_error(m, "query: %.*s", QUERY_SHOWN, sql);
			return false;
		}
	}
}

/* runs sql and takes its result set with get (mysql_store_result or mysql_use_result) */
static MYSQL_RES *query_result(MYSQL *m, const char *sql, MYSQL_RES *(*get)(MYSQL *))
{
	if (!run(m, sql))
		return NULL;
	MYSQL_RES *r = get(m);
	if (!r) {
		if (mysql_errno(m))
			myconn_log_error(m, "reading the result of: %.*s", QUERY_SHOWN, sql);
		else
			log_error("[source] query returned no result set: %.*s", QUERY_SHOWN, sql);
	}
	return r;
}

MYSQL_RES *myconn_store(MYSQL *m, const char *sql)
{
	return query_result(m, sql, mysql_store_result);
}

MYSQL_RES *myconn_use(MYSQL *m, const char *sql)
{
	return query_result(m, sql, mysql_use_result);
}

bool myconn_value(MYSQL *m, const char *sql, char **out)
{
	*out = NULL;
	myconn_rows it;
	if (!myconn_rows_open(&it, m, sql, 1))
		return false;
	if (myconn_rows_next(&it))
		*out = myconn_rows_dup(&it, 0);
	myconn_rows_close(&it);
	return true;
}

bool myconn_rows_open(myconn_rows *it, MYSQL *m, const char *sql, unsigned ncols)
{
	memset(it, 0, sizeof *it);
	it->res = myconn_store(m, sql);
	if (!it->res)
		return false;
	if (mysql_num_fields(it->res) < ncols) {
		log_error("[source] expected %u result columns, got %u: %.*s", ncols, mysql_num_fields(it->res),
		          QUERY_SHOWN, sql);
		myconn_rows_close(it);
		return false;
	}
	return true;
}

bool myconn_rows_next(myconn_rows *it)
{
	it->row = mysql_fetch_row(it->res);
	it->len = it->row ? mysql_fetch_lengths(it->res) : NULL;
	return it->row != NULL;
}

void myconn_rows_close(myconn_rows *it)
{
	if (it->res)
		mysql_free_result(it->res);
	memset(it, 0, sizeof *it);
}

char *myconn_rows_dup(const myconn_rows *it, unsigned i)
{
	return it->row[i] ? mem_strndup(it->row[i], it->len[i]) : NULL;
}

bool myconn_rows_is(const myconn_rows *it, unsigned i, const char *s)
{
	return it->row[i] && it->len[i] == strlen(s) && memcmp(it->row[i], s, it->len[i]) == 0;
}

/* ------------------------------------------------------------ SQL text */

void myconn_where_table(MYSQL *m, buf *out, const char *db, const char *table)
{
	buf_puts(out, " WHERE TABLE_SCHEMA = ");
	myconn_quote_literal(m, out, db, strlen(db));
	buf_puts(out, " AND TABLE_NAME = ");
	myconn_quote_literal(m, out, table, strlen(table));
}

void myconn_quote_ident(buf *out, const char *name)
{
	buf_putc(out, '`');
	for (const char *p = name; *p; p++) {
		if (*p == '`')
			buf_putc(out, '`');
		buf_putc(out, (uint8_t)*p);
	}
	buf_putc(out, '`');
}

void myconn_quote_table(buf *out, const char *db, const char *table)
{
	if (db) {
		myconn_quote_ident(out, db);
		buf_putc(out, '.');
	}
	myconn_quote_ident(out, table);
}

void myconn_quote_literal(MYSQL *m, buf *out, const char *s, size_t n)
{
	buf_reserve(out, 2 * n + 3);
	out->data[out->len++] = '\'';
	unsigned long k = mysql_real_escape_string(m, (char *)out->data + out->len, s, (unsigned long)n);
	out->len += k;
	out->data[out->len++] = '\'';
	out->data[out->len] = 0;
}

void myconn_hex_literal(buf *out, const char *cs, const void *s, size_t n)
{
	buf_putc(out, '_');
	buf_puts(out, cs && *cs ? cs : "binary");
	buf_puts(out, " X'");
	hex_append_digits(out, s, n, HEX_UPPER);
	buf_putc(out, '\'');
}

/* one name part: `quoted` (backticks doubled) up to the closing backtick, or plain up to
 * stop (0: the end); *pp is left on the character after it */
static bool name_part(const char **pp, char stop, char **out)
{
	const char *p = *pp;
	buf b;
	buf_init(&b);
	if (*p == '`') {
		p++;
		for (;;) {
			if (*p == 0) {
				buf_free(&b);
				return false;
			}
			if (*p == '`') {
				if (p[1] == '`') {
					buf_putc(&b, '`');
					p += 2;
					continue;
				}
				p++;
				break;
			}
			buf_putc(&b, (uint8_t)*p++);
		}
	} else {
		while (*p && *p != stop)
			buf_putc(&b, (uint8_t)*p++);
	}
	*out = mem_strndup(b.len ? (const char *)b.data : "", b.len);
	buf_free(&b);
	*pp = p;
	return true;
}

bool myconn_split_name(const char *s, char **db, char **table)
{
	*db = *table = NULL;
	const char *p = s;
	char *first = NULL;
	if (!name_part(&p, '.', &first))
		goto bad;
	if (*p == 0) {
		*table = first;
		first = NULL;
	} else if (*p == '.') {
		p++;
		*db = first;
		first = NULL;
		if (!name_part(&p, 0, table) || *p != 0)
			goto bad;
	} else {
		goto bad;
	}
	if ((*db && !**db) || !**table)
		goto bad;
	return true;
bad:
	free(first);
	free(*db);
	free(*table);
	*db = *table = NULL;
	log_error("malformed table name '%s' (expected DB.TABLE, `DB`.`TABLE` or TABLE with -D DB)", s);
	return false;
}

void myconn_free_members(char **members, size_t *lens, size_t n)
{
	if (members)
		for (size_t i = 0; i < n; i++)
			free(members[i]);
	free(members);
	free(lens);
}

bool myconn_parse_members(const char *type, char ***members_out, size_t **lens_out, size_t *n_out)
{
	const char *p;
	if (strncasecmp(type, "enum(", 5) == 0)
		p = type + 5;
	else if (strncasecmp(type, "set(", 4) == 0)
		p = type + 4;
	else
		return false;
	char **members = NULL;
	size_t *lens = NULL, n = 0;
	buf b;
	buf_init(&b);
	for (;;) {
		if (*p != '\'')
			goto bad;
		p++;
		buf_reset(&b);
		for (;;) {
			if (*p == 0)
				goto bad;
			if (*p == '\'') {
				if (p[1] == '\'') {
					buf_putc(&b, '\'');
					p += 2;
					continue;
				}
				p++;
				break;
			}
			if (*p == '\\' && p[1]) {
				p++;
				switch (*p) {
				case '0': buf_putc(&b, 0); break;
				case 'n': buf_putc(&b, '\n'); break;
				case 'r': buf_putc(&b, '\r'); break;
				case 't': buf_putc(&b, '\t'); break;
				case 'b': buf_putc(&b, '\b'); break;
				case 'Z': buf_putc(&b, 0x1a); break;
				default: buf_putc(&b, (uint8_t)*p);
				}
				p++;
				continue;
			}
			buf_putc(&b, (uint8_t)*p++);
		}
		members = mem_realloc(members, (n + 1) * sizeof *members);
		lens = mem_realloc(lens, (n + 1) * sizeof *lens);
		members[n] = mem_strndup(b.len ? (const char *)b.data : "", b.len);
		lens[n] = b.len;
		n++;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == ')' && p[1] == 0)
			break;
		goto bad;
	}
	buf_free(&b);
	*members_out = members;
	*lens_out = lens;
	*n_out = n;
	return true;
bad:
	buf_free(&b);
	myconn_free_members(members, lens, n);
	return false;
}
