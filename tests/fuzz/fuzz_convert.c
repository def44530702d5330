/*
 * fuzz_convert.c - libFuzzer target for row-convert's value converters and the JSON parser.
 *
 * The first input byte picks a source column type; the rest is the MySQL value.
 * Any input must convert or be refused with a reason; never a crash, an
 * out-of-bounds access or undefined behaviour.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "jsonb.h"
#include "log.h"
#include "rowstream.h"
#include "typemap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* type, data_type, MYSQL_TYPE code, flags, extra attributes "k=v;k=v" */
static const struct {
	const char *type, *data_type;
	uint32_t code, flags;
	const char *attrs;
} cols[] = {
	{"int(11)", "int", 3, 0, ""},
	{"bigint(20) unsigned", "bigint", 8, RS_COL_UNSIGNED, ""},
	{"tinyint(1)", "tinyint", 1, 0, ""},
	{"decimal(65,30)", "decimal", 246, 0, "precision=65;scale=30"},
	{"double", "double", 5, 0, ""},
	{"float", "float", 4, 0, ""},
	{"datetime(6)", "datetime", 12, 0, "fsp=6"},
	{"timestamp(3)", "timestamp", 7, 0, "fsp=3"},
	{"date", "date", 10, 0, ""},
	{"time(6)", "time", 11, 0, "fsp=6"},
	{"year(4)", "year", 13, 0, ""},
	{"bit(10)", "bit", 16, RS_COL_BINARY, "precision=10"},
	{"enum('a','b''c','')", "enum", 254, 0, "charset=utf8mb4;member=a;member=b'c;member="},
	{"set('x','y','z')", "set", 254, 0, "charset=utf8mb4;member=x;member=y;member=z"},
	{"longtext", "longtext", 252, 0, "charset=utf8mb4;format=json"},
	{"varchar(20)", "varchar", 253, 0, "charset=latin1;length=20"},
	{"char(5)", "char", 254, 0, "charset=utf8mb4;length=5"},
	{"text", "text", 252, 0, "charset=utf8mb3"},
	{"blob", "blob", 252, RS_COL_BINARY, ""},
	{"geometry", "geometry", 255, RS_COL_BINARY, ""},
};
#define NCOLS (sizeof cols / sizeof *cols)

static convert_column conv[NCOLS];
static bool conv_ok[NCOLS];
static convert_tz tz, utc;

static void setup(void)
{
	log_verbosity = -1;
	convert_tz_init(&tz, "Europe/Berlin");
	convert_tz_init(&utc, "UTC");
	convert_policies pol;
	convert_policies_init(&pol);
	typemap_overrides o;
	typemap_overrides_init(&o);
	rs_header *h = rs_header_new(RS_DOMAIN_MYSQL, "f", "t");
	for (size_t i = 0; i < NCOLS; i++) {
		char name[16];
		snprintf(name, sizeof name, "c%zu", i);
		size_t k = rs_header_add_column(h, name, cols[i].type, cols[i].code, cols[i].flags, 0);
		rs_column_add_attr(&h->cols[k], "data_type", cols[i].data_type);
		char *a = strdup(cols[i].attrs), *save = NULL;
		for (char *t = strtok_r(a, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
			char *eq = strchr(t, '=');
			if (!eq)
				continue;
			*eq = 0;
			rs_column_add_attr(&h->cols[k], t, eq + 1);
		}
		free(a);
		conv_ok[i] = convert_column_init(&conv[i], &h->cols[k], &o, &pol, &tz, &utc);
		if (!conv_ok[i]) {
			/* a target that cannot be set up fuzzes nothing: say so, and stop */
			fprintf(stderr, "fuzz_convert: column %s cannot be converted\n", cols[i].type);
			abort();
		}
	}
	rs_header_free(h);
	typemap_overrides_free(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		setup();
		ready = true;
	}
	if (size < 1)
		return 0;
	buf out;
	buf_init(&out);
	size_t which = data[0] % (NCOLS + 1);
	if (which == NCOLS) {
		const char *err = NULL;
		jsonb_canonical(data + 1, size - 1, &out, &err);
	} else if (conv_ok[which]) {
		convert_status st;
		memset(&st, 0, sizeof st);
		convert_value(&conv[which], data + 1, size - 1, &out, &st);
	}
	buf_free(&out);
	return 0;
}
