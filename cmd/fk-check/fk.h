/*
 * fk.h - fk-check's internal interfaces: the foreign keys of one side, their
 * orphans, and moving orphans aside.
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
	buf out;
	bool out_failed;
	rs_writer *w;
	bool io_failed; /* writing the stream failed */
	uint64_t total_orphans;
	bool quarantine_replica; /* PostgreSQL: triggers off while moving (superuser) */
} fkctx;

/* keeps a foreign key found in the catalog when --table allows it (fk takes ownership) */
void fk_add(fkctx *x, fkey *fk);
void fk_free(fkey *k);
bool fk_table_selected(const fkctx *x, const char *table);
/* one orphan: child key values and foreign-key values (NULL pointer: SQL NULL) */
bool fk_report_orphan(fkctx *x, fkey *k, const char *const *pkv, const size_t *pkl, const char *const *fkv,
                      const size_t *fkl);
void fk_report_moved(fkctx *x, const fkey *k, uint64_t n, const char *orphans_table);
void fk_out_flush(fkctx *x);

/* MySQL side (fk_my.c) */
bool fk_my_list(fkctx *x);
bool fk_my_orphans(fkctx *x, fkey *k);
bool fk_my_quarantine(fkctx *x);
/* *any: k has orphans now */
bool fk_my_any(fkctx *x, const fkey *k, bool *any);

/* PostgreSQL side (fk_pg.c) */
bool fk_pg_list(fkctx *x);
bool fk_pg_orphans(fkctx *x, fkey *k);
bool fk_pg_quarantine(fkctx *x);
bool fk_pg_any(fkctx *x, const fkey *k, bool *any);
/* adds the foreign keys src (from MySQL database src_db) that the target schema does not
 * declare, with the target's spelling of tables and columns */
bool fk_pg_add_source(fkctx *x, const fkey *src, size_t n, const char *src_db);

#endif
