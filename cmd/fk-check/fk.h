/*
 * fk.h - fk-check's foreign keys, the context of a run, and the report of
 * orphans (fk.c). The two sides find keys and orphans and move them aside
 * (fk_side: fk_my.c, fk_pg.c) and report through fk.c; fk-check.c (main) calls
 * them all, and nothing calls back into it.
 */
#ifndef FK_H
#define FK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>
#include <mysql.h>

#include "buf.h"
#include "myconn.h"
#include "outbuf.h"
#include "rowstream.h"

typedef struct fkey {
	char *name;
	char *child_schema, *child_table;
	char *parent_schema, *parent_table;
	size_t ncols;
	char **cols;    /* child columns, in constraint order */
	char **refcols; /* referenced parent columns */
	bool match_full; /* PostgreSQL MATCH FULL: partly NULL keys are violations too */
	bool validated;  /* PostgreSQL: false for NOT VALID constraints */
	bool from_source; /* declared in MySQL, checked in PostgreSQL (--source-fks) */
	size_t npk;
	char **pk;       /* the child's primary key (empty when it has none) */
	uint64_t orphans, moved;
} fkey;

typedef struct fkctx {
	bool pg;
	const char *side; /* "source" (MySQL) or "target" (PostgreSQL), for messages */
	char *scope;      /* MySQL database or PostgreSQL schema */
	bool scope_quoted; /* PostgreSQL: the schema was given "quoted" (matches exactly) */
	char **tables;    /* --table filter (child tables); empty: all */
	size_t ntables;
	MYSQL *my;
	PGconn *pgc;
	size_t nfks;
	fkey *fks;
	/* output */
	outbuf out;      /* the report on stdout */
	rs_writer *w;    /* --stream, or NULL */
	int stream_fd;   /* -1 when closed */
	const char *stream_path;
	bool io_failed; /* writing the stream failed */
	uint64_t total_orphans;
	bool quarantine_replica; /* PostgreSQL: triggers off while moving (superuser) */
} fkctx;

/* what a side does, the same for both: fk_my_side (fk_my.c, MySQL/MariaDB), fk_pg_side
 * (fk_pg.c, PostgreSQL; fk_pg.h adds --source-fks) */
typedef struct fk_side {
	bool (*list)(fkctx *x);                          /* the foreign keys of x->scope (fk_add) */
	bool (*orphans)(fkctx *x, fkey *k);              /* k's orphans, reported (fk_report_orphan) */
	bool (*quarantine)(fkctx *x);                    /* every key's orphans moved aside */
	bool (*any)(fkctx *x, const fkey *k, bool *any); /* *any: k has orphans now */
} fk_side;
extern const fk_side fk_my_side, fk_pg_side;

/* fk.c: the keys found and the report of their orphans (called by both sides, calls neither) */

/* keeps a foreign key found in the catalog when --table allows it (fk takes ownership) */
void fk_add(fkctx *x, fkey *fk);
void fk_free(fkey *k);
bool fk_table_selected(const fkctx *x, const char *table);
/* one orphan: child key values and foreign-key values (NULL pointer: SQL NULL) */
bool fk_report_orphan(fkctx *x, fkey *k, const char *const *pkv, const size_t *pkl, const char *const *fkv,
                      const size_t *fkl);
void fk_report_moved(fkctx *x, const fkey *k, uint64_t n, const char *orphans_table);
/* --stream: creates path and writes the stream's header; false (and logs) on failure */
bool fk_stream_open(fkctx *x, const char *path);
/* writes the last block and the trailer (when finish) and closes the file; false (and
 * logs) on a write or close error. Does nothing when no stream is open. */
bool fk_stream_close(fkctx *x, bool finish);

#endif
