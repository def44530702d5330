/*
 * fk_pg.h - fk-check on PostgreSQL (fk_pg.c): fk_pg_side (fk.h), and the keys of
 * --source-fks.
 */
#ifndef FK_PG_H
#define FK_PG_H

#include "fk.h"

/* adds the foreign keys src (from MySQL database src_db) that the target schema does not
 * declare, with the target's spelling of tables and columns */
bool fk_pg_add_source(fkctx *x, const fkey *src, size_t n, const char *src_db);

#endif
