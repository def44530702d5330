/*
 * typemap_int.h - what the modules of the type map share (private: typemap.h is the API).
 *
 *   typemap.c         the map: a MySQL column -> its PostgreSQL type (typemap_lookup)
 *   typemap_rules.c   overrides: --cast specs, the rules file and its parser
 *   typemap_pgtype.c  PostgreSQL type names: parsing them, spelling them as format_type() does
 */
#ifndef TYPEMAP_INT_H
#define TYPEMAP_INT_H

#include <stdbool.h>

#include "buf.h"
#include "typemap.h"

/* canonical form of a possibly qualified, possibly quoted type name: parts
 * unquoted ("" -> "), bare parts lowercased, joined by '.'; false when malformed */
bool typemap_name_canon(const char *s, buf *out);
/* a malloc'd copy of [s, e) without leading blanks and trailing blanks or CR */
char *typemap_trim_dup(const char *s, const char *e);

/* fills pg_type (format_type() spelling) and oid from pg/mod/scale */
void typemap_set_target(typemap_result *r, typemap_pg pg, int32_t mod, int32_t scale);
/* parses "(a)" or "(a,b)" at s; returns the number of values (0 when no parenthesis), -1 malformed */
int typemap_parse_mods(const char **s, long *a, long *b);

#endif
