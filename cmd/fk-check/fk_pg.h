/*
 * fk_pg.h - fk-check on PostgreSQL (fk_pg.c).
 */
#ifndef FK_PG_H
#define FK_PG_H

#include "fk.h"

bool fk_pg_list(fkctx *x);
bool fk_pg_orphans(fkctx *x, fkey *k);
bool fk_pg_quarantine(fkctx *x);
bool fk_pg_any(fkctx *x, const fkey *k, bool *any);
/* adds the foreign keys src (from MySQL database src_db) that the target schema does not
 * declare, with the target's spelling of tables and columns */
bool fk_pg_add_source(fkctx *x, const fkey *src, size_t n, const char *src_db);

#endif
