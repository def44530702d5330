/*
 * profile.h - what a conversion would do, counted per column (row-convert --profile).
 *
 * The converter reports every value of every row to the profile as it converts it
 * (refused, changed by a policy, NULL, or converted as it was); the profile keeps
 * counters per column and class only, never rows, and prints one JSON object:
 *
 *   {"schema":S,"table":T,"rows":N,"rows_ok":N,"rows_rejected":N,"rows_changed":N,
 *    "columns":[{"name":C,"source_type":"int(10) unsigned","pg_type":"bigint",
 *                "classes":{CLASS:{"action":A,"values":N,"rows":N,"examples":[KEY,...]},...},
 *                "fit":null|{"type":T,"check":SQL},"nulls":N[,"min":V,"max":V]},...]}
 *
 * A class is a policy class (convert.h: zero-date, ...) or the slug of a refusal no policy
 * covers (convert_reason_slug, or null-key / too-large from row-convert). values: the
 * column's values that hit the class, in every row; rows: the rows whose fate the class
 * decided as a run decides it: rows rejected for this column (the first refused column of
 * the row, as the rejects file names it) or written with this value changed. examples: the
 * key text (keytext.h, as the rejects file has it; "#N", the row number, for a table
 * without a key) of the first 5 rows with such a value, in stream order.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "convert.h"
#include "rowstream.h"

typedef struct profile profile;

profile *profile_new(const rs_header *in, const convert_column *cols);
void profile_free(profile *p);

/* a new row (its values stay valid until profile_row_end) */
void profile_row_begin(profile *p, const rs_value *vals);
void profile_null(profile *p, size_t col);
/* a value converted exactly, unchanged (in: its source bytes, for min/max) */
void profile_ok(profile *p, size_t col, const uint8_t *in, size_t n);
/* a value converted with the policy classes in `changed` (convert_status) */
void profile_changed(profile *p, size_t col, uint32_t changed);
/* a value a run refuses: class (static string) and its action "reject" */
void profile_refused(profile *p, size_t col, const char *class_name);
/* the row is done; true when a run rejects it (a value was refused) */
bool profile_row_end(profile *p);

uint64_t profile_rows_rejected(const profile *p);
uint64_t profile_rows_changed(const profile *p);
/* the JSON object and a newline on fd; false (and logs) on a write error */
bool profile_print(const profile *p, int fd);

#endif
