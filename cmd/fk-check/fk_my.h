/*
 * fk_my.h - fk-check on MySQL/MariaDB (fk_my.c).
 */
#ifndef FK_MY_H
#define FK_MY_H

#include "fk.h"

bool fk_my_list(fkctx *x);
bool fk_my_orphans(fkctx *x, fkey *k);
bool fk_my_quarantine(fkctx *x);
/* *any: k has orphans now */
bool fk_my_any(fkctx *x, const fkey *k, bool *any);

#endif
