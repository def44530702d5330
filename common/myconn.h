/*
 * myconn.h - connecting to MySQL/MariaDB (the source side) and talking to it.
 *
 * Every MySQL-side tool (my-extract, my-schema, fk-check) takes the same
 * connection options, parsed here:
 *
 *   -h, --host=HOST          -P, --port=PORT          -u, --user=USER
 *   -S, --socket=PATH        -D, --database=DB
 *   -p[PASSWORD], --password[=PASSWORD]     bare -p / --password prompts on /dev/tty
 *   --defaults-file=F        read only F (its [client] groups) instead of the usual files
 *   --defaults-extra-file=F  read F after the usual option files
 *   --no-defaults            read no option file
 *   --ssl-ca=F --ssl-cert=F --ssl-key=F
 *   --ssl-mode=DISABLED|PREFERRED|REQUIRED|VERIFY_CA|VERIFY_IDENTITY
 *
 * Precedence, highest first: command line, --defaults-extra-file, the usual
 * option files (/etc/my.cnf, /etc/mysql/my.cnf, $MYSQL_HOME/my.cnf, ~/.my.cnf;
 * groups [client], [client-server], [client-mariadb], read by Connector/C
 * through MYSQL_READ_DEFAULT_GROUP / MYSQL_READ_DEFAULT_FILE), then MYSQL_PWD.
 *
 * A password given on the command line is copied and overwritten with 'x'
 * in argv at once, so ps(1) does not show it; passwords are never logged.
 *
 * Sessions opened by myconn_connect are set up for exact bulk reads:
 *   SET NAMES utf8mb4; character_set_results = NULL   (values come back as the
 *       stored bytes of each column, in the column's own character set; names,
 *       comments and other catalog text arrive as UTF-8)
 *   time_zone '+00:00'; sql_mode 'ALLOW_INVALID_DATES' (no NO_BACKSLASH_ESCAPES,
 *       ANSI_QUOTES or ORACLE surprises; zero and invalid dates read and compare)
 *   net_read_timeout = net_write_timeout = 3600; wait_timeout one year;
 *   sql_select_limit and max_join_size unlimited; no statement time limit.
 *
 * Errors are logged once, where they happen, as
 *   prog: [source] 1146 Table 'shop.x' doesn't exist (query: SELECT ...)
 */
#ifndef MYCONN_H
#define MYCONN_H

#include "checked.h"

#include <getopt.h>
#include <mysql.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef enum myconn_ssl_mode {
	MYCONN_SSL_DEFAULT = 0, /* not given: PREFERRED semantics of the library, VERIFY_CA with --ssl-ca */
	MYCONN_SSL_DISABLED,
	MYCONN_SSL_PREFERRED,
	MYCONN_SSL_REQUIRED,
	MYCONN_SSL_VERIFY_CA,
	MYCONN_SSL_VERIFY_IDENTITY
} myconn_ssl_mode;

typedef struct myconn_opts {
	char *host;
	unsigned port; /* 0: default */
	char *user;
	char *password;       /* NULL: not given (option files, MYSQL_PWD) */
	bool password_prompt; /* bare -p / --password */
	char *socket;
	char *database;
	char *defaults_file;
	char *defaults_extra_file;
	bool no_defaults;
	char *ssl_ca, *ssl_cert, *ssl_key;
	myconn_ssl_mode ssl_mode;
	unsigned connect_timeout; /* seconds; 0: 30 */
	bool finished;            /* myconn_opts_finish done */
	unsigned given;           /* options taken by myconn_opts_more */
} myconn_opts;

/* option values above every tool's own; tools put MYCONN_LONG_OPTIONS in their table */
enum {
	MYCONN_OPT_DEFAULTS_FILE = 0x4d00,
	MYCONN_OPT_DEFAULTS_EXTRA_FILE,
	MYCONN_OPT_NO_DEFAULTS,
	MYCONN_OPT_SSL_CA,
	MYCONN_OPT_SSL_CERT,
	MYCONN_OPT_SSL_KEY,
	MYCONN_OPT_SSL_MODE,
	MYCONN_OPT_PASSWORD,
	MYCONN_OPT_PORT,
	MYCONN_OPT_CONNECT_TIMEOUT
};

#define MYCONN_SHORT_OPTIONS "h:P:u:S:p::D:"
#define MYCONN_LONG_OPTIONS                                                        \
	{"host", required_argument, NULL, 'h'},                                        \
	{"port", required_argument, NULL, 'P'},                                        \
	{"user", required_argument, NULL, 'u'},                                        \
	{"socket", required_argument, NULL, 'S'},                                      \
	{"database", required_argument, NULL, 'D'},                                    \
	{"password", optional_argument, NULL, MYCONN_OPT_PASSWORD},                    \
	{"defaults-file", required_argument, NULL, MYCONN_OPT_DEFAULTS_FILE},          \
	{"defaults-extra-file", required_argument, NULL, MYCONN_OPT_DEFAULTS_EXTRA_FILE}, \
	{"no-defaults", no_argument, NULL, MYCONN_OPT_NO_DEFAULTS},                    \
	{"ssl-ca", required_argument, NULL, MYCONN_OPT_SSL_CA},                        \
	{"ssl-cert", required_argument, NULL, MYCONN_OPT_SSL_CERT},                    \
	{"ssl-key", required_argument, NULL, MYCONN_OPT_SSL_KEY},                      \
	{"ssl-mode", required_argument, NULL, MYCONN_OPT_SSL_MODE},                    \
	{"connect-timeout", required_argument, NULL, MYCONN_OPT_CONNECT_TIMEOUT}

/* the connection options as usage() lines show them */
/* the connection options in a usage form (cli_usage), as the man pages' SYNOPSIS lists them */
#define MYCONN_SYNOPSIS                                                                                  \
	"[-h host] [-P port] [-u user] [-S socket] [-p[password]] [-D database] [--defaults-file=file | " \
	"--defaults-extra-file=file | --no-defaults] [--ssl-mode=mode] [--ssl-ca=file] [--ssl-cert=file] "   \
	"[--ssl-key=file] [--connect-timeout=seconds]"
void myconn_opts_init(myconn_opts *o);
/* frees the strings (the password is wiped first) */
void myconn_opts_free(myconn_opts *o);
/* handles one getopt_long result: 1 it was a connection option, 0 not one of ours,
 * -1 invalid value (logged). arg is getopt's optarg: a password in it is copied and
 * overwritten in place. */
int myconn_opts_parse(myconn_opts *o, int opt, char *arg);
/* after parsing: checks the option files can be read, reads --defaults-extra-file, checks
 * the TLS options fit together and asks for the password when -p had no value. false (and
 * logs) on a usage error (EXIT_USAGE). myconn_connect calls it when the tool did not. */
CHECKED bool myconn_opts_finish(myconn_opts *o);
/* myconn_opts_parse as cli_settings.more (cli.h), ctx the myconn_opts; counts in o->given */
int myconn_opts_more(void *ctx, int opt, char *arg);
/* reads --defaults-extra-file (groups [client], [client-server], [client-mariadb]) into
 * the options not given on the command line; false (and logs) when unreadable. Called
 * by myconn_connect; exposed for tests. */
CHECKED bool myconn_read_extra_file(myconn_opts *o, const char *path);

/* connects and sets the session up (see above); calls myconn_opts_finish first (so the
 * password is asked for once, and kept in o for the next connections). NULL on error (logged). */
MYSQL *myconn_connect(myconn_opts *o);
void myconn_close(MYSQL *m);
CHECKED bool myconn_is_mariadb(MYSQL *m);

/* "[source] <errno> <message> (<context>)" */
void myconn_log_error(MYSQL *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* runs a statement, discarding any result; false on error (logged) */
CHECKED bool myconn_exec(MYSQL *m, const char *sql);
/* runs a query and stores its (small) result; NULL on error (logged) */
MYSQL_RES *myconn_store(MYSQL *m, const char *sql);
/* runs a query and streams its result (mysql_use_result); NULL on error (logged) */
MYSQL_RES *myconn_use(MYSQL *m, const char *sql);
/* the first column of the first row: *out is a malloc'd copy, or NULL when there is no
 * row or the value is NULL; false on error (logged) */
CHECKED bool myconn_value(MYSQL *m, const char *sql, char **out);

/*
 * The rows of a (small, stored) result, one at a time:
 *
 *   myconn_rows it;
 *   if (!myconn_rows_open(&it, m, sql, 3))
 *       return false;                      (logged)
 *   while (myconn_rows_next(&it))
 *       ... it.row[i], it.len[i], myconn_rows_dup(&it, i), myconn_rows_is(&it, i, "x") ...
 *   myconn_rows_close(&it);
 *
 * open runs sql and checks the result has at least ncols columns (an error, logged, when not:
 * a row's fields up to ncols - 1 can be read without further checks).
 */
typedef struct myconn_rows {
	MYSQL_RES *res;
	MYSQL_ROW row;      /* the current row */
	unsigned long *len; /* its fields' lengths */
} myconn_rows;

CHECKED bool myconn_rows_open(myconn_rows *it, MYSQL *m, const char *sql, unsigned ncols);
/* the next row into it->row and it->len; false after the last */
bool myconn_rows_next(myconn_rows *it);
void myconn_rows_close(myconn_rows *it);
/* field i of the current row, malloc'd; NULL when the field is NULL */
char *myconn_rows_dup(const myconn_rows *it, unsigned i);
/* field i of the current row is not NULL and is s, byte for byte */
bool myconn_rows_is(const myconn_rows *it, unsigned i, const char *s);

/* " WHERE TABLE_SCHEMA = 'db' AND TABLE_NAME = 'table'", for information_schema queries */
void myconn_where_table(MYSQL *m, buf *out, const char *db, const char *table);
/* `name`, backticks doubled */
void myconn_quote_ident(buf *out, const char *name);
/* `db`.`table` */
void myconn_quote_table(buf *out, const char *db, const char *table);
/* 'text', escaped with mysql_real_escape_string for the connection's character set */
void myconn_quote_literal(MYSQL *m, buf *out, const char *s, size_t n);
/* a string literal whose bytes are taken as charset cs, whatever they hold:
 * _cs X'hex' (cs "binary" or NULL: _binary X'hex') */
void myconn_hex_literal(buf *out, const char *cs, const void *s, size_t n);

/* splits "db.table" (either part may be `quoted`, backticks doubled); without a dot,
 * *db is NULL and *table the whole name. false (and logs) on a malformed name. */
CHECKED bool myconn_split_name(const char *s, char **db, char **table);

/* ENUM/SET members of an information_schema COLUMN_TYPE such as
 * "enum('a','b''c','d\\e')": malloc'd array of malloc'd strings (lengths in *lens);
 * false when type is not a well-formed enum(...) or set(...) */
CHECKED bool myconn_parse_members(const char *column_type, char ***members, size_t **lens, size_t *n);
void myconn_free_members(char **members, size_t *lens, size_t n);

#endif
